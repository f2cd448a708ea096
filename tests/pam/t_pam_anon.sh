#!/bin/sh
# t_pam_anon.sh - pam_pacer.so with anonymous look-ups (no binddn), where
# the shipped access rules let the anonymous identity read nothing: a
# wrong password and an unknown user cannot be told apart (PAM_AUTH_ERR,
# never the code a stack may skip), a correct legacy pair is still told
# what to do, and a reset password still ends in PAM_NEW_AUTHTOK_REQD and
# a change, with the account decided on records read after it. The same
# reset cases with a look-up account, for comparison.
. "$(dirname "$0")/../lib.sh"
. "$T_TOP/tests/rig/rig.sh"
. "$T_TOP/tests/pam/pam_lib.sh"

pam_setup || exit 1
B=$RIG_BASE
PW=$RIG_PACER_PW
ECF=$RIG_ECF_PW

# mlawyer <-> mlawyer7 linked in mnd; a must-change policy; PACER users
# with a reset password (an-reset* linked nowhere, an-linked linked to
# an-linked1 in mnd); legacy accounts of mnd with a reset password, linked
# to an-legp (an-legl, an-legl2) and not linked (an-legu, an-legu2).
{
	cat <<EOF
dn: uid=mlawyer7,ou=cmecf,cn=mnd,ou=courts,$B
changetype: modify
add: cmecfLinkedPacer
cmecfLinkedPacer: uid=mlawyer,ou=pacer,$B

dn: uid=mlawyer,ou=pacer,$B
changetype: modify
add: pacerLinkedCmecf
pacerLinkedCmecf: uid=mlawyer7,ou=cmecf,cn=mnd,ou=courts,$B

dn: cn=mustchange,ou=policies,$B
changetype: add
objectClass: pwdPolicy
objectClass: device
cn: mustchange
pwdAttribute: userPassword
pwdMustChange: TRUE
pwdAllowUserChange: TRUE
EOF
	for u in an-reset an-reset2 an-reset3 an-reset4 an-linked an-legp; do
		printf '\ndn: uid=%s,ou=pacer,%s\nchangetype: add\n' "$u" "$B"
		printf 'objectClass: inetOrgPerson\nobjectClass: pacerAccount\n'
		printf 'uid: %s\ncn: Reset %s\nsn: %s\n' "$u" "$u" "$u"
		printf 'pacerAccountType: individual\npacerUpgraded: TRUE\n'
		printf 'userPassword: %s\n' "$PW"
		printf 'pwdPolicySubentry: cn=mustchange,ou=policies,%s\n' "$B"
		[ "$u" = an-linked ] &&
			printf 'pacerLinkedCmecf: uid=an-linked1,ou=cmecf,cn=mnd,ou=courts,%s\n' "$B"
		[ "$u" = an-legp ] &&
			printf 'pacerLinkedCmecf: uid=an-legl,ou=cmecf,cn=mnd,ou=courts,%s\n' "$B"
	done
	for l in an-linked1 an-legl an-legu an-legl2 an-legu2; do
		printf '\ndn: uid=%s,ou=cmecf,cn=mnd,ou=courts,%s\nchangetype: add\n' "$l" "$B"
		printf 'objectClass: inetOrgPerson\nobjectClass: cmecfAccount\n'
		printf 'uid: %s\ncn: Legacy %s\nsn: %s\n' "$l" "$l" "$l"
		printf 'userPassword: %s\n' "$ECF"
		printf 'pwdPolicySubentry: cn=mustchange,ou=policies,%s\n' "$B"
		case $l in
		an-linked1) printf 'cmecfLinkedPacer: uid=an-linked,ou=pacer,%s\n' "$B" ;;
		an-legl|an-legl2) printf 'cmecfLinkedPacer: uid=an-legp,ou=pacer,%s\n' "$B" ;;
		esac
	done
	for u in an-reset an-reset2 an-reset3 an-reset4 an-linked an-legl an-legu an-legl2 an-legu2; do
		case $u in
		an-leg*) dn="uid=$u,ou=cmecf,cn=mnd,ou=courts,$B" ;;
		*) dn="uid=$u,ou=pacer,$B" ;;
		esac
		printf '\ndn: %s\nchangetype: modify\nreplace: pwdReset\npwdReset: TRUE\n' "$dn"
	done
} | rig_ldapmodify - >/dev/null || { echo "not ok - fixtures load"; exit 1; }

p_conf anon binddn "" bindpw_file ""
p_conf lookup
p_service anon anon
p_service anon-efile anon efile
p_service lookup lookup
p_service anon-cand anon court=cand
p_raw anon-otherpw \
	"auth required $P_MODULE config=$P_DIR/anon.conf" \
	"account required $P_MODULE config=$P_DIR/anon.conf efile" \
	"password required $P_MODULE config=$P_DIR/anon.conf court=miwb"
p_raw anon-ignore \
	"auth required $P_MODULE config=$P_DIR/anon.conf ignore_unknown_user" \
	"auth required pam_permit.so"
p_raw anon-sufficient \
	"auth [success=done user_unknown=ignore default=die] $P_MODULE config=$P_DIR/anon.conf" \
	"auth required pam_permit.so"

LINKED="^error: Your CM/ECF login is permanently linked to your upgraded PACER account. Log in with your PACER username and password.\$"
UNLINKED="^error: CM/ECF logins no longer work in this court: it is live on NextGen CM/ECF. Run cmecf-link"
RESET="^info: Your PACER password was reset and must be changed before you continue.\$"
MUST="^error: You must change your PACER password now.\$"

# ---- item 3: a wrong password is not an unknown user -------------------------
p_drive anon jattorney "Wrong-Pacer-1" auth
t_match "anonymous: wrong password is PAM_AUTH_ERR" "^auth: PAM_AUTH_ERR\$" "$P_OUT"
t_match "anonymous: the log says it could not tell" \
	'reason="wrong password or unknown user' "$P_LOG"
p_no_secret "anonymous: the wrong password is neither shown nor logged" "Wrong-Pacer-1"
p_drive anon nosuchuser "$PW" auth
t_match "anonymous: an unknown name is PAM_AUTH_ERR too" "^auth: PAM_AUTH_ERR\$" "$P_OUT"
p_drive anon-ignore jattorney "Wrong-Pacer-1" auth
t_match "anonymous, ignore_unknown_user then pam_permit: a wrong password fails" \
	"^auth: PAM_AUTH_ERR\$" "$P_OUT"
p_tester anon-ignore jattorney "Wrong-Pacer-1" authenticate
t_eq "anonymous, ignore_unknown_user then pam_permit (pamtester): exit 1" 1 "$P_RC"
p_drive anon-sufficient jattorney "Wrong-Pacer-1" auth
t_match "anonymous, user_unknown=ignore then pam_permit: a wrong password fails" \
	"^auth: PAM_AUTH_ERR\$" "$P_OUT"
p_drive anon jattorney "$PW" auth acct
t_match "anonymous: the right password still logs in" "^acct: PAM_SUCCESS\$" "$P_OUT"

# The legacy message with anonymous look-ups.
p_drive anon mlawyer7 "$ECF" auth
t_match "anonymous, legacy pair (linked): PAM_AUTH_ERR" "^auth: PAM_AUTH_ERR\$" "$P_OUT"
t_match "anonymous, legacy pair (linked): told to use PACER" "$LINKED" "$P_OUT"
p_drive anon jattorney1 "$ECF" auth
t_match "anonymous, legacy pair (not linked): PAM_AUTH_ERR" "^auth: PAM_AUTH_ERR\$" "$P_OUT"
t_match "anonymous, legacy pair (not linked): told to run cmecf-link" "$UNLINKED" "$P_OUT"
p_drive anon jattorney1 "Ecf-Wrong-1" auth
t_match "anonymous, legacy login with a wrong password: PAM_AUTH_ERR" \
	"^auth: PAM_AUTH_ERR\$" "$P_OUT"
t_nomatch "anonymous, legacy login with a wrong password: no legacy message" \
	"CM/ECF" "$P_OUT"
p_drive anon-cand jattorney3 "$ECF" auth
t_match "anonymous, legacy pair before go-live: PAM_AUTH_ERR" "^auth: PAM_AUTH_ERR\$" "$P_OUT"
t_nomatch "anonymous, legacy pair before go-live: no message" "CM/ECF" "$P_OUT"

# ---- item 4: a reset password --------------------------------------------------
p_drive anon an-reset "$PW
$PW
Reset-Anon-11
Reset-Anon-11" -- auth acct expired
t_match "anonymous, reset: auth succeeds" "^auth: PAM_SUCCESS\$" "$P_OUT"
t_match "anonymous, reset: told" "$RESET" "$P_OUT"
t_match "anonymous, reset: account asks for a new password" \
	"^acct: PAM_NEW_AUTHTOK_REQD\$" "$P_OUT"
t_match "anonymous, reset: and says so" "$MUST" "$P_OUT"
t_match "anonymous, reset: the change succeeds" "^expired: PAM_SUCCESS\$" "$P_OUT"
t_match "anonymous, reset: records read after the change are exported" \
	"^env: PACER_USER=an-reset\$" "$P_OUT"
t_match "anonymous, reset: query access" "^env: CMECF_ACCESS=query\$" "$P_OUT"
p_no_secret "anonymous, reset: the new password is neither shown nor logged" "Reset-Anon-11"
p_drive anon an-reset "Reset-Anon-11" auth acct
t_match "anonymous, reset: afterwards a normal login" "^acct: PAM_SUCCESS\$" "$P_OUT"

# The account's rules still hold: decided after the change, refused there.
p_drive anon-efile an-reset2 "$PW
$PW
Reset-Anon-22
Reset-Anon-22" -- auth acct expired
t_match "anonymous, reset, efile, not linked: account asks for a new password" \
	"^acct: PAM_NEW_AUTHTOK_REQD\$" "$P_OUT"
t_match "anonymous, reset, efile, not linked: refused after the change" \
	"^expired: PAM_PERM_DENIED\$" "$P_OUT"
t_match "anonymous, reset, efile, not linked: told why" \
	"^error: Your PACER account is not linked to a CM/ECF e-filing account" "$P_OUT"
t_nomatch "anonymous, reset, efile, not linked: never e-file access" \
	"^env: CMECF_ACCESS=efile" "$P_OUT"
p_drive anon-efile an-linked "$PW
$PW
Reset-Anon-33
Reset-Anon-33" -- auth acct expired
t_match "anonymous, reset, efile, linked: allowed after the change" \
	"^expired: PAM_SUCCESS\$" "$P_OUT"
t_match "anonymous, reset, efile, linked: the link is exported" \
	"^env: CMECF_LOGIN=an-linked1\$" "$P_OUT"
t_match "anonymous, reset, efile, linked: e-file access" "^env: CMECF_ACCESS=efile\$" "$P_OUT"

# The password line names another court: it may not decide for mnd.
p_drive anon-otherpw an-reset4 "$PW
$PW
Reset-Anon-44
Reset-Anon-44" -- auth acct expired
t_match "anonymous, reset, password line for another court: account waits" \
	"^acct: PAM_NEW_AUTHTOK_REQD\$" "$P_OUT"
t_match "anonymous, reset, password line for another court: refused" \
	"^expired: PAM_PERM_DENIED\$" "$P_OUT"
t_match "anonymous, reset, password line for another court: logged" \
	"account decision pending for another court or configuration" "$P_LOG"

p_drive lookup an-reset3 "$PW" auth acct
t_match "look-up account, reset: auth succeeds" "^auth: PAM_SUCCESS\$" "$P_OUT"
t_match "look-up account, reset: told" "$RESET" "$P_OUT"
t_match "look-up account, reset: account asks for a new password" \
	"^acct: PAM_NEW_AUTHTOK_REQD\$" "$P_OUT"

# A legacy login whose password was reset.
p_drive lookup an-legl "$ECF" auth
t_match "look-up account, legacy reset (linked): PAM_AUTH_ERR" "^auth: PAM_AUTH_ERR\$" "$P_OUT"
t_match "look-up account, legacy reset (linked): told it is linked" "$LINKED" "$P_OUT"
p_drive lookup an-legu "$ECF" auth
t_match "look-up account, legacy reset (not linked): told to run cmecf-link" \
	"$UNLINKED" "$P_OUT"
p_drive anon an-legl2 "$ECF" auth
t_match "anonymous, legacy reset (linked): PAM_AUTH_ERR" "^auth: PAM_AUTH_ERR\$" "$P_OUT"
t_nomatch "anonymous, legacy reset (linked): never told it is not linked" \
	"$UNLINKED" "$P_OUT"
t_match "anonymous, legacy reset (linked): told to use PACER" \
	"^error: .*log in with your upgraded PACER username and password" "$P_OUT"
p_drive anon an-legu2 "$ECF" auth
t_nomatch "anonymous, legacy reset (not linked): never told it is linked" \
	"$LINKED" "$P_OUT"
t_match "anonymous, legacy reset (not linked): told about cmecf-link" \
	"^error: .*cmecf-link" "$P_OUT"

t_done
