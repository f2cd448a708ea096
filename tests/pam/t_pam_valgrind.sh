#!/bin/sh
# t_pam_valgrind.sh - pam_pacer.so in one long-lived process: 1,000 logins
# under valgrind with no memory error, no definite leak and no descriptor
# left open; failure paths likewise; many threads at once. Against an ASan
# build (PACER_PRELOAD set by make check-asan) the same loops run under
# ASan and LeakSanitizer instead, which valgrind cannot host.
. "$(dirname "$0")/../lib.sh"
. "$T_TOP/tests/rig/rig.sh"
. "$T_TOP/tests/pam/pam_lib.sh"

pam_setup || exit 1
B=$RIG_BASE
PW=$RIG_PACER_PW
if [ -z "${PACER_PRELOAD:-}" ] && ! command -v valgrind >/dev/null 2>&1; then
	echo "not ok - valgrind is installed"
	exit 1
fi
rig_ldapmodify - >/dev/null <<EOF2 || echo "not ok - fixtures load"
dn: uid=mlawyer7,ou=cmecf,cn=mnd,ou=courts,$B
changetype: modify
add: cmecfLinkedPacer
cmecfLinkedPacer: uid=mlawyer,ou=pacer,$B

dn: uid=mlawyer,ou=pacer,$B
changetype: modify
add: pacerLinkedCmecf
pacerLinkedCmecf: uid=mlawyer7,ou=cmecf,cn=mnd,ou=courts,$B
EOF2
p_conf main
p_service svc main efile client_code
p_service plain main
p_raw acct-only "auth required pam_permit.so" \
	"account required $P_MODULE config=$P_DIR/main.conf efile"
p_conf anon binddn "" bindpw_file ""
p_service anon anon
p_raw cross "auth required $P_MODULE config=$P_DIR/main.conf court=miwb" \
	"account required $P_MODULE config=$P_DIR/main.conf court=mnd efile"
rig_ldapadd - >/dev/null <<EOF2 || echo "not ok - reset fixture loads"
dn: cn=vg-mustchange,ou=policies,$B
objectClass: pwdPolicy
objectClass: device
cn: vg-mustchange
pwdAttribute: userPassword
pwdMustChange: TRUE
pwdAllowUserChange: TRUE

dn: uid=vg-reset,ou=pacer,$B
objectClass: inetOrgPerson
objectClass: pacerAccount
uid: vg-reset
cn: Valgrind Reset
sn: Reset
pacerAccountType: individual
pacerUpgraded: TRUE
userPassword: $PW
pwdPolicySubentry: cn=vg-mustchange,ou=policies,$B
pwdReset: TRUE
EOF2

if [ -n "${PACER_PRELOAD:-}" ]; then
	VG="env LD_PRELOAD=$PACER_PRELOAD"
	CHECKER="ASan"
else
	VG="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite --show-leak-kinds=definite --track-fds=no"
	CHECKER="valgrind"
fi

# vg NAME COUNT SVC USER ANSWERS OP...: COUNT iterations under valgrind.
vg() {
	_vg_name=$1; _vg_n=$2; _vg_svc=$3; _vg_user=$4; _vg_ans=$5; shift 5
	# shellcheck disable=SC2086
	_vg_out=$(printf '%s\n' "$_vg_ans" | $VG "$P_DRIVER" -q -n "$_vg_n" \
		-c "$P_DIR" -s "$_vg_svc" "$_vg_user" "$@" 2>&1)
	_vg_rc=$?
	t_eq "$_vg_name: $CHECKER reports no error and no definite leak" 0 "$_vg_rc"
	[ "$_vg_rc" -ne 0 ] && printf '%s\n' "$_vg_out" | head -40 | sed 's/^/#   /'
	_vg_before=$(printf '%s\n' "$_vg_out" | sed -n 's/^fds: before=\([0-9]*\) .*/\1/p')
	_vg_after=$(printf '%s\n' "$_vg_out" | sed -n 's/^fds: .*after=\([0-9]*\)$/\1/p')
	t_eq "$_vg_name: descriptors after = before" "${_vg_before:-x}" "${_vg_after:-y}"
	VG_SUMMARY=$(printf '%s\n' "$_vg_out" | sed -n 's/^summary: //p')
}

vg "1,000 logins (auth, account, efile)" 1000 svc mlawyer "$PW
ACME-1" auth acct setcred open close
t_eq "1,000 logins: every one succeeded" "iterations=1000 ok=1000 failed=0" "$VG_SUMMARY"

vg "wrong passwords" 50 plain jattorney "Wrong-Pass-1" auth
t_eq "wrong passwords: every one refused" "iterations=50 ok=0 failed=50" "$VG_SUMMARY"
vg "unknown users" 50 plain nosuchuser "$PW" auth
t_eq "unknown users: every one refused" "iterations=50 ok=0 failed=50" "$VG_SUMMARY"
vg "legacy logins" 50 plain jattorney1 "$RIG_ECF_PW" auth
t_eq "legacy logins: every one refused" "iterations=50 ok=0 failed=50" "$VG_SUMMARY"
vg "refused account (unlinked, efile)" 50 svc jattorney "$PW
" auth acct
t_eq "refused account: every one refused" "iterations=50 ok=0 failed=50" "$VG_SUMMARY"
vg "account alone (look-up identity)" 50 acct-only mlawyer "" auth acct
t_eq "account alone: every one succeeded" "iterations=50 ok=50 failed=0" "$VG_SUMMARY"
vg "anonymous look-ups: wrong passwords" 50 anon jattorney "Wrong-Pass-1" auth
t_eq "anonymous look-ups: every one refused" "iterations=50 ok=0 failed=50" "$VG_SUMMARY"
vg "anonymous look-ups: legacy logins" 50 anon mlawyer7 "$RIG_ECF_PW" auth
t_eq "anonymous legacy logins: every one refused" "iterations=50 ok=0 failed=50" "$VG_SUMMARY"
vg "auth for one court, account for another" 50 cross mlawyer "$PW" auth acct
t_eq "auth for one court, account for another: read again, allowed" \
	"iterations=50 ok=50 failed=0" "$VG_SUMMARY"
vg "anonymous look-ups: reset password changed" 1 anon vg-reset "$PW
$PW
Reset-Vg-1
Reset-Vg-1" auth acct expired
t_eq "anonymous reset: changed, then allowed" "iterations=1 ok=1 failed=0" "$VG_SUMMARY"
vg "hostile user name" 50 plain 'x)(uid=*' "$PW" auth
t_eq "hostile user name: every one refused" "iterations=50 ok=0 failed=50" "$VG_SUMMARY"

out=$(printf '%s\n' "$PW" "ACME-2" | p_run_driver -q -t 16 -n 50 -c "$P_DIR" \
	-s svc mlawyer auth acct 2>&1)
t_match "16 threads x 50 logins at once: all succeeded" \
	"^summary: iterations=800 ok=800 failed=0\$" "$out"
before=$(printf '%s\n' "$out" | sed -n 's/^fds: before=\([0-9]*\) .*/\1/p')
after=$(printf '%s\n' "$out" | sed -n 's/^fds: .*after=\([0-9]*\)$/\1/p')
t_eq "16 threads: descriptors after = before" "${before:-x}" "${after:-y}"

t_done
