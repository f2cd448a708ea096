#!/bin/sh
# cmecf-link under the server's password policy (the rig's ppolicy
# overlay): a password reset by an administrator, an expired one with
# grace logins left or none, and a locked account, on the PACER side and
# on the CM/ECF side, are each refused (exit 3) with their own message
# and outcome word, and nothing is written.
. "$(dirname "$0")/common.sh"
h_setup
t0=$(t_now_ms)
PW=Pacer-Demo-1
EPW=Ecf-Demo-1
B=$RIG_BASE
CASES="reset grace expired locked"

# One policy per case; per case a PACER entry and a legacy entry under it
# (pp-CASE, lp-CASE for the PACER side: lp-CASE is a plain legacy entry),
# and a plain PACER entry with a legacy entry under it (pn-CASE, lc-CASE).
policy_ldif() {
	printf 'dn: cn=%s,ou=policies,%s\nobjectClass: pwdPolicy\nobjectClass: device\ncn: %s\npwdAttribute: userPassword\n' \
		"$1" "$B" "$1"
	shift
	printf '%s\n' "$@"
	echo
}
# under_policy NAME: the LDIF on stdin with a pwdPolicySubentry line added.
under_policy() { sed "s/^userPassword: .*/&\npwdPolicySubentry: cn=$1,ou=policies,$B/"; }
{
	policy_ldif reset "pwdMustChange: TRUE" "pwdAllowUserChange: TRUE"
	policy_ldif grace "pwdMaxAge: 1" "pwdGraceAuthNLimit: 3"
	policy_ldif expired "pwdMaxAge: 1" "pwdGraceAuthNLimit: 0"
	policy_ldif locked "pwdLockout: TRUE" "pwdMaxFailure: 3"
	for c in $CASES; do
		h_pacer_ldif "pp-$c" "Policy $c" | under_policy "$c"
		h_cmecf_ldif "lp-$c" "Policy $c"
		h_pacer_ldif "pn-$c" "Policy $c"
		h_cmecf_ldif "lc-$c" "Policy $c" | under_policy "$c"
	done
} | rig_ldapadd - >/dev/null || t_fail "fixtures loaded"
for dn in "uid=pp-reset,ou=pacer,$B" "uid=lc-reset,ou=cmecf,cn=mnd,ou=courts,$B"; do
	printf 'dn: %s\nchangetype: modify\nreplace: pwdReset\npwdReset: TRUE\n\n' "$dn"
done | rig_ldapmodify - >/dev/null || t_fail "pwdReset set"
for dn in "uid=pp-locked,ou=pacer,$B" "uid=lc-locked,ou=cmecf,cn=mnd,ou=courts,$B"; do
	printf 'dn: %s\nchangetype: modify\nreplace: pwdAccountLockedTime\npwdAccountLockedTime: 000001010000Z\n\n' "$dn"
done | rig_ldapmodify - >/dev/null || t_fail "pwdAccountLockedTime set"
sleep 2	# pwdMaxAge 1 has passed for grace and expired

# nothing_written CASE LEGACY PACER: neither side of a link was written.
nothing_written() {
	t_eq "$1: no cmecfLinkedPacer on $2" "" "$(h_linked_pacer "$2")"
	t_eq "$1: no pacerLinkedCmecf on $3" "" "$(h_pacer_links "$3")"
}

# refused NAME OUTCOME MESSAGE: exit 3, the message, the outcome logged.
refused() {
	t_eq "$1: exit 3" 3 "$H_RC"
	t_match "$1: message" "$3" "$H_OUT"
	t_match "$1: logged as $2" "outcome=$2" "$(grep -F "pacer_user=$4 " "$H_LOG")"
	t_nomatch "$1: no confirmation asked" "Type yes" "$H_OUT"
}

# --- the PACER password
h_in pp-reset "$PW" lp-reset "$EPW" yes; h_run
refused "PACER reset" refused-password-reset \
	"The PACER password was reset by an administrator; change it first \(log in with it or use passwd\) and run cmecf-link again" pp-reset
t_nomatch "PACER reset: the CM/ECF login is not asked" "CM/ECF login:" "$H_OUT"
nothing_written "PACER reset" lp-reset pp-reset

h_in pp-grace "$PW" lp-grace "$EPW" yes; h_run
refused "PACER expired, grace logins left" refused-password-expired \
	"The PACER password has expired \([0-9]+ grace logins? left\); change it before linking" pp-grace
nothing_written "PACER grace" lp-grace pp-grace

h_in pp-expired "$PW" lp-expired "$EPW" yes; h_run
refused "PACER expired, no grace" refused-password-expired \
	"The PACER password has expired; change it before linking" pp-expired
nothing_written "PACER expired" lp-expired pp-expired

h_in pp-locked "$PW" lp-locked "$EPW" yes; h_run
refused "PACER locked" refused-account-locked \
	"The PACER account is locked; try again later or contact the court" pp-locked
nothing_written "PACER locked" lp-locked pp-locked

# --- the CM/ECF password (the PACER side is proven first)
h_in pn-reset "$PW" lc-reset "$EPW" yes; h_run
refused "CM/ECF reset" refused-password-reset \
	"The CM/ECF password was reset by an administrator; change it first" pn-reset
nothing_written "CM/ECF reset" lc-reset pn-reset

h_in pn-grace "$PW" lc-grace "$EPW" yes; h_run
refused "CM/ECF expired, grace logins left" refused-password-expired \
	"The CM/ECF password has expired \([0-9]+ grace logins? left\); change it before linking" pn-grace
nothing_written "CM/ECF grace" lc-grace pn-grace

h_in pn-expired "$PW" lc-expired "$EPW" yes; h_run
refused "CM/ECF expired, no grace" refused-password-expired \
	"The CM/ECF password has expired; change it before linking" pn-expired
nothing_written "CM/ECF expired" lc-expired pn-expired

h_in pn-locked "$PW" lc-locked "$EPW" yes; h_run
refused "CM/ECF locked" refused-account-locked \
	"The CM/ECF account is locked; try again later or contact the court" pn-locked
nothing_written "CM/ECF locked" lc-locked pn-locked

# --- a wrong password under a policy is still a wrong password (exit 2)
h_in pn-locked wrong-password; h_run
t_eq "wrong PACER password: exit 2" 2 "$H_RC"

t_nomatch "syslog: no password" "$PW|$EPW|wrong-password|Link-Demo-1" "$(cat "$H_LOG")"
echo "# t_policy: $(( ($(t_now_ms) - t0) / 1000 )) s"
[ "$T_FAILS" -eq 0 ]
