#!/bin/sh
# t_pam_handle.sh - the record pam_pacer.so keeps on the PAM handle between
# calls: account decides only on records read for its own court and its
# own configuration, never on what auth read for another; what auth
# learned about the password (must change) still holds.
. "$(dirname "$0")/../lib.sh"
. "$T_TOP/tests/rig/rig.sh"
. "$T_TOP/tests/pam/pam_lib.sh"

pam_setup || exit 1
B=$RIG_BASE
PW=$RIG_PACER_PW

# jattorney <-> jattorney1 linked in mnd only; a user on grace logins.
rig_ldapmodify - >/dev/null <<EOF || { echo "not ok - fixtures load"; exit 1; }
dn: uid=jattorney1,ou=cmecf,cn=mnd,ou=courts,$B
changetype: modify
add: cmecfLinkedPacer
cmecfLinkedPacer: uid=jattorney,ou=pacer,$B

dn: uid=jattorney,ou=pacer,$B
changetype: modify
add: pacerLinkedCmecf
pacerLinkedCmecf: uid=jattorney1,ou=cmecf,cn=mnd,ou=courts,$B

dn: cn=grace,ou=policies,$B
changetype: add
objectClass: pwdPolicy
objectClass: device
cn: grace
pwdAttribute: userPassword
pwdMaxAge: 1
pwdGraceAuthNLimit: 5

dn: uid=hd-grace,ou=pacer,$B
changetype: add
objectClass: inetOrgPerson
objectClass: pacerAccount
uid: hd-grace
cn: Handle Grace
sn: Grace
pacerAccountType: individual
pacerUpgraded: TRUE
userPassword: $PW
pwdPolicySubentry: cn=grace,ou=policies,$B
EOF
sleep 2	# pwdMaxAge 1 has passed for hd-grace

p_conf main
p_conf miwb court miwb
p_conf elsewhere courts_base "ou=elsewhere,$B"
p_conf anon binddn "" bindpw_file ""
p_conf anon-nocourt binddn "" bindpw_file "" court ""
M="$P_MODULE config=$P_DIR/main.conf"
p_raw mnd-then-miwb "auth required $M court=mnd" "account required $M court=miwb efile"
p_raw miwb-then-mnd "auth required $M court=miwb" "account required $M court=mnd efile"
p_raw mnd-then-mnd "auth required $M court=mnd" "account required $M court=mnd efile"
p_raw conf-court "auth required $M" \
	"account required $P_MODULE config=$P_DIR/miwb.conf efile"
p_raw conf-base "auth required $M" \
	"account required $P_MODULE config=$P_DIR/elsewhere.conf efile"
p_raw grace-cross "auth required $M court=mnd" "account required $M court=miwb"
A="$P_MODULE config=$P_DIR/anon.conf"
p_raw anon-cross "auth required $A court=mnd" \
	"account required $P_MODULE config=$P_DIR/anon-nocourt.conf ignore_unknown_user" \
	"account required pam_permit.so"

NOT_LINKED="^error: Your PACER account is not linked to a CM/ECF e-filing account in this court."

p_drive mnd-then-miwb jattorney "$PW" auth acct
t_match "auth court=mnd, account court=miwb efile: auth succeeds" "^auth: PAM_SUCCESS\$" "$P_OUT"
t_match "auth court=mnd, account court=miwb efile: PAM_PERM_DENIED" \
	"^acct: PAM_PERM_DENIED\$" "$P_OUT"
t_match "auth court=mnd, account court=miwb efile: told not linked here" "$NOT_LINKED" "$P_OUT"
t_nomatch "auth court=mnd, account court=miwb efile: mnd's login not exported" \
	"^env: CMECF_LOGIN=jattorney1\$" "$P_OUT"
t_nomatch "auth court=mnd, account court=miwb efile: no e-file access" \
	"^env: CMECF_ACCESS=efile\$" "$P_OUT"
p_tester mnd-then-miwb jattorney "$PW" authenticate acct_mgmt
t_match "auth court=mnd, account court=miwb efile (pamtester): permission denied" \
	"pamtester: Permission denied" "$P_OUT"

p_drive miwb-then-mnd jattorney "$PW" auth acct
t_match "auth court=miwb, account court=mnd efile: read again, allowed" \
	"^acct: PAM_SUCCESS\$" "$P_OUT"
t_match "auth court=miwb, account court=mnd efile: mnd's login exported" \
	"^env: CMECF_LOGIN=jattorney1\$" "$P_OUT"
t_match "auth court=miwb, account court=mnd efile: for mnd" "^env: CMECF_COURT=mnd\$" "$P_OUT"

p_drive mnd-then-mnd jattorney "$PW" auth acct
t_match "same court and configuration: allowed" "^acct: PAM_SUCCESS\$" "$P_OUT"
t_match "same court and configuration: the link is exported" \
	"^env: CMECF_LOGIN=jattorney1\$" "$P_OUT"

p_drive conf-court jattorney "$PW" auth acct
t_match "account with another configuration (court miwb in the file): PAM_PERM_DENIED" \
	"^acct: PAM_PERM_DENIED\$" "$P_OUT"
t_nomatch "account with another configuration: mnd's login not exported" \
	"^env: CMECF_LOGIN=jattorney1\$" "$P_OUT"

p_drive conf-base jattorney "$PW" auth acct
t_nomatch "account with another courts_base: never PAM_SUCCESS" "^acct: PAM_SUCCESS\$" "$P_OUT"
t_match "account with another courts_base: the court it names is missing" \
	"court mnd has no readable entry under ou=elsewhere" "$P_LOG"

p_drive grace-cross hd-grace "$PW" auth acct
t_match "grace login in mnd: auth succeeds" "^auth: PAM_SUCCESS\$" "$P_OUT"
t_match "grace login, account for miwb: still a new password first" \
	"^acct: PAM_NEW_AUTHTOK_REQD\$" "$P_OUT"

# Anonymous look-ups cannot read the records account needs for its own
# configuration; the user auth proved is then no unknown user for
# ignore_unknown_user to skip (the account is not upgraded: skipped,
# pam_permit would have let it in).
p_drive anon-cross oldtimer "$PW" auth acct
t_match "anonymous, account with another configuration: auth succeeds" \
	"^auth: PAM_SUCCESS\$" "$P_OUT"
t_match "anonymous, account with another configuration: refused, never skipped" \
	"^acct: PAM_PERM_DENIED\$" "$P_OUT"
p_tester anon-cross oldtimer "$PW" authenticate acct_mgmt
t_eq "anonymous, account with another configuration (pamtester): exit 1" 1 "$P_RC"

t_done
