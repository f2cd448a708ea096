#!/bin/sh
# t_pam_policy.sh - pam_pacer.so with the ppolicy overlay: expired, grace
# logins, locked, reset, expiry warning; and password changes (RFC 3062)
# accepted and refused by the server's policy.
. "$(dirname "$0")/../lib.sh"
. "$T_TOP/tests/rig/rig.sh"
. "$T_TOP/tests/pam/pam_lib.sh"

pam_setup || exit 1
B=$RIG_BASE
PW=$RIG_PACER_PW

# One policy per case, one user per policy (uid=pp-NAME).
policy() {
	_p_name=$1; shift
	{
		printf 'dn: cn=%s,ou=policies,%s\n' "$_p_name" "$B"
		printf 'objectClass: pwdPolicy\nobjectClass: device\n'
		printf 'cn: %s\npwdAttribute: userPassword\n' "$_p_name"
		for _p_l in "$@"; do printf '%s\n' "$_p_l"; done
		printf '\ndn: uid=pp-%s,ou=pacer,%s\n' "$_p_name" "$B"
		printf 'objectClass: inetOrgPerson\nobjectClass: pacerAccount\n'
		printf 'uid: pp-%s\ncn: Policy %s\nsn: %s\n' "$_p_name" "$_p_name" "$_p_name"
		printf 'pacerAccountType: individual\npacerUpgraded: TRUE\n'
		printf 'userPassword: %s\n' "$PW"
		printf 'pwdPolicySubentry: cn=%s,ou=policies,%s\n' "$_p_name" "$B"
	} | rig_ldapadd - >/dev/null || echo "not ok - policy $_p_name loads"
}
policy grace "pwdMaxAge: 1" "pwdGraceAuthNLimit: 3"
policy expired "pwdMaxAge: 1" "pwdGraceAuthNLimit: 0"
policy locked "pwdLockout: TRUE" "pwdMaxFailure: 3"
policy reset "pwdMustChange: TRUE" "pwdAllowUserChange: TRUE"
policy warn "pwdMaxAge: 864000" "pwdExpireWarning: 8640000"
policy change "pwdAllowUserChange: TRUE"
policy minlen "pwdMinLength: 12" "pwdCheckQuality: 2" "pwdAllowUserChange: TRUE"
policy history "pwdInHistory: 4" "pwdAllowUserChange: TRUE"
rig_ldapmodify - >/dev/null <<EOF || echo "not ok - policy state loads"
dn: uid=pp-locked,ou=pacer,$B
changetype: modify
replace: pwdAccountLockedTime
pwdAccountLockedTime: 000001010000Z

dn: uid=pp-reset,ou=pacer,$B
changetype: modify
replace: pwdReset
pwdReset: TRUE
EOF
sleep 2	# pwdMaxAge 1 has passed for grace and expired

p_conf main
p_service svc main

# ---- binds under policy ----------------------------------------------------------
p_drive svc pp-expired "$PW" auth
t_match "expired: PAM_AUTH_ERR" "^auth: PAM_AUTH_ERR" "$P_OUT"
t_match "expired: told" \
	"^error: Your PACER password has expired. Reset it through PACER, then log in again.\$" "$P_OUT"
t_match "expired: logged" 'reason="password expired"' "$P_LOG"

p_drive svc pp-grace "$PW" auth acct
t_match "grace: auth succeeds" "^auth: PAM_SUCCESS" "$P_OUT"
t_match "grace: N grace logins left" \
	"^info: Your PACER password has expired: 2 grace logins left. Change your password now.\$" "$P_OUT"
t_match "grace: account asks for a new password" "^acct: PAM_NEW_AUTHTOK_REQD" "$P_OUT"
t_match "grace: and says so" "^error: You must change your PACER password now.\$" "$P_OUT"
p_tester svc pp-grace "$PW" authenticate acct_mgmt
t_match "grace through pamtester: one fewer left" "1 grace login left" "$P_OUT"
t_match "grace through pamtester: new token required" \
	"Authentication token is no longer valid; new one required" "$P_OUT"

p_drive svc pp-locked "$PW" auth
t_match "locked (right password): PAM_AUTH_ERR" "^auth: PAM_AUTH_ERR" "$P_OUT"
t_match "locked: told" "^error: Your PACER account is locked after too many failed logins." "$P_OUT"
t_match "locked: logged" 'reason="account locked by password policy"' "$P_LOG"

p_drive svc pp-reset "$PW" auth acct
t_match "reset: auth succeeds" "^auth: PAM_SUCCESS" "$P_OUT"
t_match "reset: told" \
	"^info: Your PACER password was reset and must be changed before you continue.\$" "$P_OUT"
t_match "reset: account asks for a new password" "^acct: PAM_NEW_AUTHTOK_REQD" "$P_OUT"

p_drive svc pp-warn "$PW" auth acct
t_match "expiry warning: auth and account succeed" "^acct: PAM_SUCCESS" "$P_OUT"
t_match "expiry warning: days told" \
	"^info: Your PACER password expires in 10 days. Change it soon.\$" "$P_OUT"

# ---- password changes ----------------------------------------------------------------
p_tester svc pp-change "$PW
Fresh-Pacer-77
Fresh-Pacer-77" chauthtok
t_eq "change: pamtester exits 0" 0 "$P_RC"
t_match "change: done" "pamtester: authentication token altered successfully" "$P_OUT"
p_drive svc pp-change "Fresh-Pacer-77" auth
t_match "change: the new password works" "^auth: PAM_SUCCESS" "$P_OUT"
p_drive svc pp-change "$PW" auth
t_match "change: the old one does not" "^auth: PAM_AUTH_ERR" "$P_OUT"

p_drive svc pp-change "Not-The-Password
Other-Pacer-88
Other-Pacer-88" chauthtok
t_match "change with a wrong current password: PAM_AUTH_ERR" "^chauthtok: PAM_AUTH_ERR" "$P_OUT"
p_no_secret "change: no password in output or log" "Other-Pacer-88"

p_drive svc pp-change "Fresh-Pacer-77
Other-Pacer-88
Other-Pacer-89" chauthtok
t_match "change, retyped differently: refused" "^chauthtok: PAM_TRY_AGAIN" "$P_OUT"
t_match "change, retyped differently: told" "^error: Sorry, passwords do not match." "$P_OUT"

p_drive svc pp-reset "$PW
Reset-Pacer-55
Reset-Pacer-55" chauthtok
t_match "reset: the change is allowed" "^chauthtok: PAM_SUCCESS" "$P_OUT"
p_drive svc pp-reset "Reset-Pacer-55" auth acct
t_match "reset: afterwards a normal login" "^acct: PAM_SUCCESS" "$P_OUT"
t_nomatch "reset: and no reset message" "was reset" "$P_OUT"

p_drive svc pp-minlen "$PW
short-1
short-1" chauthtok
t_match "too short (pwdMinLength): PAM_AUTHTOK_ERR" "^chauthtok: PAM_AUTHTOK_ERR" "$P_OUT"
t_match "too short: the server's reason is shown" \
	"^error: The PACER password was not changed: .*(short|quality)" "$P_OUT"

p_drive svc pp-history "$PW
Second-Pacer-2
Second-Pacer-2" chauthtok
t_match "history: a first change is accepted" "^chauthtok: PAM_SUCCESS" "$P_OUT"
p_drive svc pp-history "Second-Pacer-2
$PW
$PW" chauthtok
t_match "history (pwdInHistory): back to an old password refused" \
	"^chauthtok: PAM_AUTHTOK_ERR" "$P_OUT"
t_match "history: the server's reason is shown" \
	"^error: The PACER password was not changed: .*history" "$P_OUT"

p_drive svc pp-change "Fresh-Pacer-77
Fresh-Pacer-77
Fresh-Pacer-77" chauthtok
t_match "new password equal to the current one: refused" "^chauthtok: PAM_AUTHTOK_ERR" "$P_OUT"

t_done
