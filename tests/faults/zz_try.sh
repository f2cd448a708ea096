#!/bin/sh
cd /work/main/tests/faults
. ../lib.sh
. "$T_TOP/tests/rig/rig.sh"
. "$T_TOP/tests/rig/repl.sh"
t0=$(t_now_ms)
repl_start || { echo fail; exit 1; }
echo "start $(( $(t_now_ms) - t0 )) ms; A=$(repl_count A) B=$(repl_count B)"
printf 'dn: uid=jattorney,ou=pacer,dc=courts,dc=test\nchangetype: modify\nreplace: cn\ncn: X Y\n' | ldapmodify -x -H "$REPL_B_LDAPI_URI" -D "$RIG_ROOTDN" -w "$RIG_ROOTPW"
repl_wait_same uid=jattorney,ou=pacer,dc=courts,dc=test cn 5 && echo sameBtoA
repl_search A -b uid=jattorney,ou=pacer,dc=courts,dc=test cn contextCSN
repl_search A -b dc=courts,dc=test -s base contextCSN
repl_search B -b dc=courts,dc=test -s base contextCSN
repl_stop A
repl_restart A && echo restarted A $RIG_PID
repl_count A
rig_pids
