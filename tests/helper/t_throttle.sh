#!/bin/sh
# cmecf-link bounds password guessing however runs end or overlap: failed
# checks per account (link_max_failures) and per calling uid
# (link_max_failures_uid) within link_lockout seconds, counted in
# root-owned state before the password is checked.
. "$(dirname "$0")/common.sh"
h_setup
PW=Pacer-Demo-1
EPW=Ecf-Demo-1
STATE=$PACER_VARLIB/cmecf-link
{
	for n in 1 2 3 4 5 6; do h_pacer_ldif "victim$n" "Victim $n"; done
	h_cmecf_ldif jdoe5 "Jane Doe"
	h_pacer_ldif jdoe "Jane Doe"
} | rig_ldapadd - >/dev/null || t_fail "fixtures loaded"

# reset [KEY VALUE]...: an empty failure count and a configuration.
reset() { rm -rf "$STATE"; h_conf "$@"; }

# nrc N RC: how many of the exit codes in $RCS equal RC.
nrc() { printf '%s\n' $RCS | grep -cx "$1"; }

# --- the count lives in root-owned state
reset
h_in jattorney WRONG-1
h_run
t_eq "wrong PACER password: exit 2" 2 "$H_RC"
t_eq "state directory: root, 0700" "700 root" "$(stat -c '%a %U' "$STATE" 2>/dev/null)"
t_eq "failure file: root, 0600" "600 root" "$(stat -c '%a %U' "$STATE/failures" 2>/dev/null)"
t_eq "one failure recorded (one 128-byte record)" 128 "$(stat -c %s "$STATE/failures")"

# --- per account: link_max_failures wrong passwords, then even the right one is refused
reset
for i in 2 3 4 5; do h_in jattorney "WRONG-$i"; h_run; done
h_in jattorney WRONG-1
h_run
t_eq "5th wrong password: still exit 2" 2 "$H_RC"
h_in jattorney "$PW" jattorney1 "$EPW" yes
h_run
t_eq "locked account, right password: exit 3" 3 "$H_RC"
t_match "locked account: says when to try again" \
	"too many failed password attempts for PACER jattorney; its password is not checked again until $(date +%Y-%m-%d) " "$H_OUT"
t_nomatch "locked account: the password is not asked for a check (no link)" "Do you want to link" "$H_OUT"
t_eq "locked account: nothing linked" "" "$(h_linked_pacer jattorney1)"
t_match "locked account: logged" "action=link uid=65534\(nobody\) .*pacer_user=jattorney .*outcome=throttled" "$(cat "$H_LOG")"
h_in JAttorney "$PW"
h_run
t_eq "locked account, the name in other case: exit 3" 3 "$H_RC"
h_in victim1 "$PW" jdoe5 "$EPW" no
h_run
t_eq "another account of the same caller is not locked (exit 4 declined)" 4 "$H_RC"

# --- the window ends
reset link_max_failures 1 link_lockout 5
h_in jattorney WRONG-1; h_run
h_in jattorney "$PW"
h_run
t_eq "short window: locked at once" 3 "$H_RC"
sleep 3
h_in jattorney "$PW" jattorney1 "$EPW" no
h_run
t_eq "short window: checked again after it (exit 4 declined)" 4 "$H_RC"

# --- proven passwords do not count
reset link_max_failures 2
h_in jattorney WRONG-1; h_run
for i in 1 2 3; do h_in jattorney "$PW" jattorney1 "$EPW" no; h_run; done
t_eq "right passwords between failures: not locked (exit 4)" 4 "$H_RC"
h_in jattorney WRONG-2; h_run
t_eq "2nd failure: exit 2" 2 "$H_RC"
h_in jattorney "$PW"; h_run
t_eq "2nd failure reached link_max_failures 2: exit 3" 3 "$H_RC"

# --- the legacy account is counted per court
reset link_max_failures 3
for i in 1 2 3; do h_in jattorney "$PW" jattorney1 "WRONG-$i"; h_run; done
t_eq "wrong CM/ECF password: exit 2" 2 "$H_RC"
h_in jattorney "$PW" JATTORNEY1 "$EPW" yes
h_run
t_eq "locked CM/ECF login: exit 3" 3 "$H_RC"
t_match "locked CM/ECF login: named" "too many failed password attempts for CM/ECF JATTORNEY1" "$H_OUT"
t_eq "locked CM/ECF login: nothing linked" "" "$(h_linked_pacer jattorney1)"

# --- 20 parallel guesses at one account: at most link_max_failures are checked
reset
i=0
PIDS=""
while [ $i -lt 20 ]; do
	printf 'jattorney\nGUESS-%s\n' "$i" | h_exec "$H_BIN" >/dev/null 2>&1 &
	PIDS="$PIDS $!"
	i=$((i + 1))
done
RCS=""
for p in $PIDS; do wait "$p"; RCS="$RCS $?"; done
t_eq "20 parallel guesses: exactly 5 checked (exit 2)" 5 "$(nrc 2)"
t_eq "20 parallel guesses: 15 refused unchecked (exit 3)" 15 "$(nrc 3)"

# --- runs killed after their bind still count
reset
: >"$H_LOG"
i=0
while [ $i -lt 5 ]; do
	printf 'jattorney\nKILLED-%s\n' "$i" | h_exec "$H_BIN" >/dev/null 2>&1 &
	bg=$!
	# Killed once its bind was refused, while it waits out its delay.
	j=0
	while [ "$(grep -c 'outcome=bad-password' "$H_LOG")" -le "$i" ] &&
	      [ $j -lt 100 ]; do
		sleep 0.05; j=$((j + 1))
	done
	pkill -KILL -f "^$H_BIN\$" 2>/dev/null
	wait "$bg" 2>/dev/null
	i=$((i + 1))
done
h_in jattorney "$PW"
h_run
t_eq "5 runs killed after a wrong guess: the account is locked (exit 3)" 3 "$H_RC"

# --- per calling uid, whatever accounts it tries; root is not limited
reset link_max_failures 100 link_max_failures_uid 3
for n in 1 2 3; do h_in "victim$n" WRONG; h_run; done
t_eq "3 accounts, one wrong guess each: exit 2" 2 "$H_RC"
h_in victim4 "$PW"
h_run
t_eq "uid limit reached: a 4th account is refused (exit 3)" 3 "$H_RC"
t_match "uid limit: says it is the caller's" "too many failed password attempts from your user account" "$H_OUT"
t_match "uid limit: logged" "uid=65534\(nobody\) .*pacer_user=victim4 .*outcome=throttled-uid" "$(cat "$H_LOG")"
H_OUT=$(printf 'victim5\n%s\njdoe5\n%s\nno\n' "$PW" "$EPW" | "$T_TOP/tests/rig/with-syslog.sh" "$H_LOG" \
	unshare -m --propagation private sh -c \
	'mount --bind "$1" /etc/security || exit 99; shift; exec "$@"' x "$H_ETC" "$H_BIN" 2>&1)
t_eq "root is not limited per uid (exit 4 declined)" 4 "$?"
reset link_max_failures 100 link_max_failures_uid 0
for n in 1 2 3 4; do h_in "victim$n" WRONG; h_run; done
h_in victim6 "$PW" jdoe5 "$EPW" no
h_run
t_eq "link_max_failures_uid 0: no per-uid limit (exit 4)" 4 "$H_RC"

# --- a run that holds the lock too long (stopped, say) delays the others
# by at most 5 s, lets no guess through, and is named in the log
reset
h_in jattorney WRONG; h_run
# struct flock on amd64: short type, short whence, (pad), off_t start,
# off_t len, pid_t pid, (pad).
perl -e 'use Fcntl; open(my $f, "+<", $ARGV[0]) or die;
	fcntl($f, F_SETLKW, pack("s s x4 q q i x4", F_WRLCK, SEEK_SET, 0, 0, 0))
		or die; $| = 1; print "locked\n"; sleep 9;' "$STATE/failures" >"$H_DIR/locker.out" &
locker=$!
i=0; while ! grep -q locked "$H_DIR/locker.out" && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
t1=$(t_now_ms)
h_in jattorney "$PW"
h_run
t2=$(t_now_ms)
kill "$locker" 2>/dev/null; wait "$locker" 2>/dev/null
t_eq "failure file held locked by another: exit 3" 3 "$H_RC"
t_match "failure file held locked: told to try again" "too many cmecf-link runs at once" "$H_OUT"
t_le "failure file held locked: refused within 5 s and some" "$((t2 - t1))" 8000
t_match "failure file held locked: the holder's pid is logged" "outcome=throttle-busy: .*stayed locked for 5000 ms by pid $locker" "$(cat "$H_LOG")"

# --- state that is not root's own is refused, before any password
reset
h_in jattorney WRONG; h_run
chmod 0777 "$STATE"
h_in jattorney "$PW"
h_run
t_eq "state directory writable by others: exit 6" 6 "$H_RC"
t_match "state directory: says why" "/var/lib/cmecf-link must be a directory owned by root" "$H_OUT"
chmod 0700 "$STATE"
chown 65534 "$STATE/failures"
h_in jattorney "$PW"
h_run
t_eq "failure file owned by another user: exit 6" 6 "$H_RC"
rm -f "$STATE/failures"
ln -s /etc/passwd "$STATE/failures"
h_in jattorney "$PW"
h_run
t_eq "failure file a symbolic link: exit 6" 6 "$H_RC"
t_eq "the link's target is untouched" "root" "$(head -c 4 /etc/passwd)"
rm -f "$STATE/failures"
head -c 1000 /dev/urandom >"$STATE/failures"
chmod 0600 "$STATE/failures"
h_in jattorney "$PW" jattorney1 "$EPW" no
h_run
t_eq "garbage in the failure file counts nothing (exit 4)" 4 "$H_RC"

t_done
