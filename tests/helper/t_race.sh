#!/bin/sh
# cmecf-link under concurrency and crashes: racing runs, a run killed
# between its two writes, half links made by hand, --check --repair.
. "$(dirname "$0")/common.sh"
h_setup
t0=$(t_now_ms)
PW=Pacer-Demo-1
EPW=Ecf-Demo-1
N=20
{
	i=1; while [ $i -le $N ]; do h_pacer_ldif "racer$i" "Racer $i"; i=$((i + 1)); done
	h_cmecf_ldif target1 "Racer"
	h_cmecf_ldif twin1 "Twin"; h_cmecf_ldif twin2 "Twin"; h_pacer_ldif twin "Twin"
	h_cmecf_ldif kill1 "Kill"; h_pacer_ldif killer "Kill"
	h_cmecf_ldif half1 "Half"; h_pacer_ldif halfp "Half"
	h_cmecf_ldif stale1 "Stale"; h_pacer_ldif stalep "Stale"
} | rig_ldapadd - >/dev/null || t_fail "fixtures loaded"

# --- 20 runs race to link one legacy account to 20 PACER accounts
i=1; pids=""
while [ $i -le $N ]; do
	printf 'racer%s\n%s\ntarget1\n%s\nyes\n' "$i" "$PW" "$EPW" >"$H_DIR/in.$i"
	( h_exec "$H_BIN" <"$H_DIR/in.$i" >"$H_DIR/out.$i" 2>&1; echo $? >"$H_DIR/rc.$i" ) &
	pids="$pids $!"
	i=$((i + 1))
done
for p in $pids; do wait "$p"; done
ok=0; refused=0; other=""
i=1; while [ $i -le $N ]; do
	case $(cat "$H_DIR/rc.$i") in 0) ok=$((ok + 1));; 3) refused=$((refused + 1));; *) other="$other $i:$(cat "$H_DIR/rc.$i")";; esac
	i=$((i + 1))
done
t_eq "race one legacy: exactly one link succeeded" 1 "$ok"
t_eq "race one legacy: every other run refused (3)" "$((N - 1)) []" "$refused [$other]"
winner=$(h_linked_pacer target1)
t_eq "race one legacy: one value on the legacy side" 1 "$(echo "$winner" | grep -c .)"
n=$(rig_search -b "ou=pacer,$RIG_BASE" "(pacerLinkedCmecf=uid=target1,ou=cmecf,cn=mnd,ou=courts,$RIG_BASE)" 1.1 | grep -c '^dn:')
t_eq "race one legacy: exactly one PACER side" 1 "$n"
t_match "race one legacy: the PACER side is the winner" "^$winner$" "$(rig_search -b "ou=pacer,$RIG_BASE" "(pacerLinkedCmecf=uid=target1,ou=cmecf,cn=mnd,ou=courts,$RIG_BASE)" 1.1 | sed -n 's/^dn: //p')"

# --- one PACER account, two legacy accounts of one court, at once
pids=""
for l in twin1 twin2; do
	printf 'twin\n%s\n%s\n%s\nyes\n' "$PW" "$l" "$EPW" >"$H_DIR/in.$l"
	( h_exec "$H_BIN" <"$H_DIR/in.$l" >"$H_DIR/out.$l" 2>&1; echo $? >"$H_DIR/rc.$l" ) &
	pids="$pids $!"
done
for p in $pids; do wait "$p"; done
t_eq "race one PACER: exit codes (one 0, one 3)" "0 3" "$(cat "$H_DIR/rc.twin1" "$H_DIR/rc.twin2" | sort | tr '\n' ' ' | sed 's/ $//')"
t_eq "race one PACER: one PACER-side value" 1 "$(h_pacer_links twin | grep -c .)"
t_eq "race one PACER: one legacy side" 1 "$( (h_linked_pacer twin1; h_linked_pacer twin2) | grep -c .)"

h_root --check
t_eq "after the races: --check consistent (0)" 0 "$H_RC"
t_match "after the races: --check says consistent" "consistent" "$H_OUT"

# --- a run killed between its two writes leaves a half link that is mended
make -s -C "$T_TOP" B="$H_DIR/pause" EXTRA_CFLAGS=-DCMECF_TEST_PAUSE "$H_DIR/pause/cmecf-link" >/dev/null 2>&1 ||
	t_fail "pause build"
h_install "$H_DIR/pause/cmecf-link" "$H_DIR/cmecf-link-pause"
printf 'killer\n%s\nkill1\n%s\nyes\n' "$PW" "$EPW" >"$H_DIR/in.kill"
h_exec "$H_DIR/cmecf-link-pause" <"$H_DIR/in.kill" >"$H_DIR/out.kill" 2>&1 &
wrapper=$!
stopped=""; i=0
while [ -z "$stopped" ] && [ $i -lt 100 ]; do
	for p in $(pgrep -f "^$H_DIR/cmecf-link-pause\$"); do
		[ "$(awk '{print $3}' "/proc/$p/stat" 2>/dev/null)" = T ] && stopped=$p
	done
	sleep 0.1; i=$((i + 1))
done
t_match "killed run: stopped after its first write" "^[0-9]+$" "$stopped"
[ -n "$stopped" ] && kill -KILL "$stopped"
wait "$wrapper"
# The legacy side is written first: what a kill leaves is a half link
# that --check finds and --check --repair (or the next run) finishes.
t_eq "killed run: legacy side written first" "uid=killer,ou=pacer,$RIG_BASE" "$(h_linked_pacer kill1)"
t_eq "killed run: PACER side not yet written" "" "$(h_pacer_links killer)"
h_root --check
t_eq "killed run: --check exits 3" 3 "$H_RC"
t_match "killed run: --check reports the half link" "half-link: legacy side only.*uid=kill1" "$H_OUT"
h_root --check --repair
t_eq "killed run: --check --repair exits 0" 0 "$H_RC"
t_eq "killed run: repaired, both sides" "uid=kill1,ou=cmecf,cn=mnd,ou=courts,$RIG_BASE" "$(h_pacer_links killer)"
h_in killer "$PW" kill1 "$EPW" yes; h_run
t_eq "killed run: a new run sees the finished link (3)" 3 "$H_RC"
t_match "killed run: and says it is already linked to this account" "already linked to your" "$H_OUT"
grep -q "cmecf-link-pause" "$T_BUILD/cmecf-link" 2>/dev/null
t_eq "installed build has no pause code" "" "$(strings "$T_BUILD/cmecf-link" | grep -i sigstop)"

# --- half links made by hand: reported, repaired, then linking works
rig_ldapmodify - >/dev/null <<EOL
dn: uid=half1,ou=cmecf,cn=mnd,ou=courts,$RIG_BASE
changetype: modify
add: cmecfLinkedPacer
cmecfLinkedPacer: uid=halfp,ou=pacer,$RIG_BASE

dn: uid=stalep,ou=pacer,$RIG_BASE
changetype: modify
add: pacerLinkedCmecf
pacerLinkedCmecf: uid=stale1,ou=cmecf,cn=mnd,ou=courts,$RIG_BASE
EOL
h_root --check
t_eq "half links: --check exits 3" 3 "$H_RC"
t_match "half links: legacy-only reported" "half-link: legacy side only.*uid=half1" "$H_OUT"
t_match "half links: PACER-only reported" "half-link: PACER side only.*uid=stalep" "$H_OUT"
t_eq "half links: --check alone writes nothing" "" "$(h_pacer_links halfp)"
h_root --check --repair
t_eq "half links: --check --repair exits 0" 0 "$H_RC"
t_match "half links: finished" "repaired: finished half link.*uid=half1" "$H_OUT"
t_match "half links: stale removed" "repaired: removed stale PACER side.*uid=stalep" "$H_OUT"
t_eq "half links: PACER side added" "uid=half1,ou=cmecf,cn=mnd,ou=courts,$RIG_BASE" "$(h_pacer_links halfp)"
t_eq "half links: stale value gone" "" "$(h_pacer_links stalep)"
h_root --check
t_eq "half links: consistent afterwards" 0 "$H_RC"
h_in stalep "$PW" stale1 "$EPW" yes; h_run
t_eq "after repair: the link goes through" 0 "$H_RC"
h_in halfp "$PW" half1 "$EPW" yes; h_run
t_eq "after repair: the finished link refuses a relink" 3 "$H_RC"
# the next run touching a stale PACER side undoes it itself
if [ -z "$(h_linked_pacer twin2)" ]; then l=twin2; else l=twin1; fi
# A racer that lost the first race: the winner is linked in this court.
case $winner in uid=racer2,*) pr=racer3;; *) pr=racer2;; esac
rig_ldapmodify - >/dev/null <<EOL
dn: uid=$pr,ou=pacer,$RIG_BASE
changetype: modify
add: pacerLinkedCmecf
pacerLinkedCmecf: uid=$l,ou=cmecf,cn=mnd,ou=courts,$RIG_BASE
EOL
h_in "$pr" "$PW" "$l" "$EPW" yes; h_run
t_eq "stale PACER side undone by the next link run, which links" 0 "$H_RC"
t_eq "stale PACER side: one value, now complete" "uid=$l,ou=cmecf,cn=mnd,ou=courts,$RIG_BASE" "$(h_pacer_links "$pr")"
h_root --check
t_eq "final --check: consistent" 0 "$H_RC"
# a second legacy account of the court claiming a PACER account that is
# linked there already is a race loser's leftover: undone, not reported
rig_ldapmodify - >/dev/null <<EOL
dn: uid=jattorney1,ou=cmecf,cn=mnd,ou=courts,$RIG_BASE
changetype: modify
add: cmecfLinkedPacer
cmecfLinkedPacer: uid=halfp,ou=pacer,$RIG_BASE
EOL
h_root --check --repair
t_eq "second claim in one court: --check --repair exits 0" 0 "$H_RC"
t_match "second claim in one court: undone" "repaired: removed a race loser's claim.*uid=jattorney1" "$H_OUT"
t_eq "second claim in one court: the complete link kept" "uid=half1,ou=cmecf,cn=mnd,ou=courts,$RIG_BASE" "$(h_pacer_links halfp)"
# two complete links of one court on one PACER account: needs a person
rig_ldapmodify - >/dev/null <<EOL
dn: uid=jattorney1,ou=cmecf,cn=mnd,ou=courts,$RIG_BASE
changetype: modify
add: cmecfLinkedPacer
cmecfLinkedPacer: uid=halfp,ou=pacer,$RIG_BASE

dn: uid=halfp,ou=pacer,$RIG_BASE
changetype: modify
add: pacerLinkedCmecf
pacerLinkedCmecf: uid=jattorney1,ou=cmecf,cn=mnd,ou=courts,$RIG_BASE
EOL
h_root --check --repair
t_eq "double link in one court: --check --repair exits 3" 3 "$H_RC"
t_match "double link in one court: reported" "needs-admin: PACER account linked to two legacy accounts of one court" "$H_OUT"

echo "# t_race: $(( ($(t_now_ms) - t0) / 1000 )) s"
[ "$T_FAILS" -eq 0 ]
