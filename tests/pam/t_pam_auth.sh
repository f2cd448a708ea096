#!/bin/sh
# t_pam_auth.sh - pam_pacer.so auth and account against the sample
# directory: outcomes, messages, exports, hostile user names, legacy logins.
. "$(dirname "$0")/../lib.sh"
. "$T_TOP/tests/rig/rig.sh"
. "$T_TOP/tests/pam/pam_lib.sh"

pam_setup || exit 1
B=$RIG_BASE
PW=$RIG_PACER_PW
ECF=$RIG_ECF_PW

# Fixtures: mlawyer <-> mlawyer7 (mnd) and mlawyer <-> mlawyer9 (miwb)
# linked on both sides, and a stray mnd legacy entry that names mlawyer
# from its side only; in miwb only the legacy side of jattorney2 names
# jattorney (a half-written link); a court with no go-live date.
rig_ldapmodify - >/dev/null <<EOF || { echo "not ok - fixtures load"; exit 1; }
dn: uid=mlawyer7,ou=cmecf,cn=mnd,ou=courts,$B
changetype: modify
add: cmecfLinkedPacer
cmecfLinkedPacer: uid=mlawyer,ou=pacer,$B

dn: uid=mlawyer,ou=pacer,$B
changetype: modify
add: pacerLinkedCmecf
pacerLinkedCmecf: uid=mlawyer7,ou=cmecf,cn=mnd,ou=courts,$B

dn: uid=jattorney2,ou=cmecf,cn=miwb,ou=courts,$B
changetype: modify
add: cmecfLinkedPacer
cmecfLinkedPacer: uid=jattorney,ou=pacer,$B
EOF
rig_ldapmodify - >/dev/null <<EOF || { echo "not ok - fixtures load"; exit 1; }
dn: uid=mlawyer,ou=pacer,$B
changetype: modify
add: pacerLinkedCmecf
pacerLinkedCmecf: uid=mlawyer9,ou=cmecf,cn=miwb,ou=courts,$B
EOF
rig_ldapadd - >/dev/null <<EOF || { echo "not ok - fixtures load"; exit 1; }
dn: uid=mlawyer9,ou=cmecf,cn=miwb,ou=courts,$B
objectClass: inetOrgPerson
objectClass: cmecfAccount
uid: mlawyer9
cn: Mary Lawyer
sn: Lawyer
cmecfLinkedPacer: uid=mlawyer,ou=pacer,$B

dn: uid=mstray,ou=cmecf,cn=mnd,ou=courts,$B
objectClass: inetOrgPerson
objectClass: cmecfAccount
uid: mstray
cn: Mary Lawyer
sn: Lawyer
cmecfLinkedPacer: uid=mlawyer,ou=pacer,$B

dn: cn=nodate,ou=courts,$B
objectClass: pacerCourt
cn: nodate
pacerCourtType: appellate

dn: ou=cmecf,cn=nodate,ou=courts,$B
objectClass: organizationalUnit
ou: cmecf
EOF

p_conf main
p_conf nocourt court ""
p_service svc main
p_service efile main efile
p_service cand main court=cand efile
p_service nodate main court=nodate efile
p_service miwb main court=miwb efile
p_service nocourt-efile nocourt efile
p_service code main client_code
p_service badarg main bogus
p_service badcourt main court=BAD!
p_service relpath main
sed -i "s|config=$P_DIR/main.conf|config=relative.conf|" "$P_DIR/relpath"
p_service noconf missing
p_raw ignore-unknown \
	"auth required $P_MODULE config=$P_DIR/main.conf ignore_unknown_user" \
	"auth required pam_permit.so"
p_raw strict-unknown \
	"auth required $P_MODULE config=$P_DIR/main.conf" \
	"auth required pam_permit.so"
p_raw acct-only \
	"auth required pam_permit.so" \
	"account required $P_MODULE config=$P_DIR/main.conf efile"

AUTH_ERR="pamtester: Authentication failure"
UNKNOWN="pamtester: User not known to the underlying authentication module"
DENIED="pamtester: Permission denied"
SERVICE="pamtester: Error in service module"

# ---- the plain outcomes --------------------------------------------------
p_tester svc jattorney "$PW" authenticate acct_mgmt
t_eq "success: pamtester exits 0" 0 "$P_RC"
t_match "success: authenticated and account done" \
	"successfully authenticated" "$P_OUT"
t_match "success: account management done" "account management done" "$P_OUT"
t_match "success: logged with service, user, rhost, outcome, reason" \
	'auth service="svc" user="jattorney" rhost="-" court=mnd outcome="Success" reason="authenticated"' "$P_OUT"

p_tester svc jattorney "Pacer-Demo-2" authenticate
t_eq "wrong password: exit 1" 1 "$P_RC"
t_match "wrong password: PAM_AUTH_ERR" "$AUTH_ERR" "$P_OUT"
t_match "wrong password: logged as such" 'reason="wrong password"' "$P_OUT"
p_no_secret "wrong password: not in output or log" "Pacer-Demo-2"

p_tester svc nosuchuser "$PW" authenticate
t_eq "unknown user: exit 1" 1 "$P_RC"
t_match "unknown user: PAM_USER_UNKNOWN" "$UNKNOWN" "$P_OUT"

p_tester svc jattorney "" authenticate
t_match "empty password: PAM_AUTH_ERR" "$AUTH_ERR" "$P_OUT"
t_match "empty password: refused before the wire" 'empty password \(never sent\)' "$P_OUT"

p_tester svc JAttorney "$PW" authenticate
t_match "uid case mismatch JAttorney: PAM_AUTH_ERR" "$AUTH_ERR" "$P_OUT"
t_match "uid case mismatch: the reason is logged" "uid differs" "$P_OUT"

# ---- user names outside the syntax ----------------------------------------
long=$(printf '%0300d' 0 | tr 0 a)
nonutf=$(printf 'jattorney\377\376')
for name in '*' 'jattorney*' 'x)(uid=*' 'a\5c' 'uid=x,ou=pacer' "$long" \
	"$nonutf" ' jattorney' 'jattorney ' ''; do
	label=$(printf '%s' "$name" | od -An -c | tr -s ' \n' ' ' | cut -c1-40)
	p_tester svc "$name" "$PW" authenticate
	t_eq "name [$label]: exit 1" 1 "$P_RC"
	t_match "name [$label]: PAM_USER_UNKNOWN" "$UNKNOWN" "$P_OUT"
	t_nomatch "name [$label]: never authenticated" "successfully authenticated" "$P_OUT"
	p_drive svc "$name" "$PW" auth
	t_match "name [$label]: the password is still asked" "^prompt: PACER password: " "$P_OUT"
	t_match "name [$label]: refused by the syntax check, before any query" \
		"user name outside the PACER username syntax" "$P_LOG"
	t_nomatch "name [$label]: no server in the log line" "server=" "$P_LOG"
done

# ---- account decisions ----------------------------------------------------
p_tester svc oldtimer "$PW" authenticate acct_mgmt
t_match "not upgraded: PAM_PERM_DENIED" "$DENIED" "$P_OUT"
t_match "not upgraded: told to upgrade" \
	"Your PACER account was created before August 2014 and has not been upgraded. Upgrade your PACER account, then log in again." "$P_OUT"

p_tester svc smithfirm "$PW" authenticate acct_mgmt
t_eq "firm without efile: query access granted" 0 "$P_RC"
p_tester efile smithfirm "$PW" authenticate acct_mgmt
t_match "firm with efile: PAM_PERM_DENIED" "$DENIED" "$P_OUT"
t_match "firm with efile: told to use the individual account" \
	"This is a shared firm PACER account. Log on with your individual upgraded PACER account to e-file." "$P_OUT"

p_tester efile jattorney "$PW" authenticate acct_mgmt
t_match "unlinked with efile: PAM_PERM_DENIED" "$DENIED" "$P_OUT"
t_match "unlinked with efile: told to run cmecf-link" \
	"Your PACER account is not linked to a CM/ECF e-filing account in this court. Run cmecf-link once to link it. If you use CM/ECF for PACER only, no action is necessary." "$P_OUT"

p_tester miwb jattorney "$PW" authenticate acct_mgmt
t_match "half-written link (legacy side only): PAM_PERM_DENIED" "$DENIED" "$P_OUT"
t_match "half-written link: counts as not linked" "is not linked to a CM/ECF" "$P_OUT"

p_tester efile mlawyer "$PW" authenticate acct_mgmt
t_eq "linked with efile: success" 0 "$P_RC"
t_match "linked with efile: account done" "account management done" "$P_OUT"

p_tester cand jattorney "$PW" authenticate acct_mgmt
t_match "court not live: PAM_PERM_DENIED" "$DENIED" "$P_OUT"
t_match "court not live: the go-live date is told" \
	"This court is not live on NextGen CM/ECF yet; its go-live date is June 1, 2027." "$P_OUT"
p_tester nodate jattorney "$PW" authenticate acct_mgmt
t_match "court without a date: PAM_PERM_DENIED" "$DENIED" "$P_OUT"
t_match "court without a date: says so" \
	"This court is not live on NextGen CM/ECF yet; it has not announced a go-live date." "$P_OUT"
p_tester nocourt-efile jattorney "$PW" authenticate acct_mgmt
t_match "efile with no court configured: PAM_SERVICE_ERR" "$SERVICE" "$P_OUT"

# Account when another module authenticated: read with the look-up account.
p_tester acct-only mlawyer "" authenticate acct_mgmt
t_eq "account alone (linked, efile): success" 0 "$P_RC"
p_tester acct-only jattorney "" authenticate acct_mgmt
t_match "account alone (unlinked, efile): PAM_PERM_DENIED" "$DENIED" "$P_OUT"
p_tester acct-only nosuchuser "" authenticate acct_mgmt
t_match "account alone (unknown): PAM_USER_UNKNOWN" "$UNKNOWN" "$P_OUT"

# ---- exports --------------------------------------------------------------
p_drive efile mlawyer "$PW" auth acct
t_match "exports: auth and account succeed" "^acct: PAM_SUCCESS" "$P_OUT"
for kv in PACER_USER=mlawyer "PACER_NAME=Mary Lawyer" \
	PACER_ACCOUNT_TYPE=individual CMECF_COURT=mnd CMECF_COURT_TYPE=district \
	CMECF_LOGIN=mlawyer7 CMECF_ACCESS=efile; do
	t_match "exports (linked, efile): $kv" "^env: $kv\$" "$P_OUT"
done
p_drive miwb mlawyer "$PW" auth acct
t_match "linked in two courts: miwb's link is miwb's" "^env: CMECF_LOGIN=mlawyer9\$" "$P_OUT"
t_match "linked in two courts: efile in miwb" "^env: CMECF_ACCESS=efile\$" "$P_OUT"
p_drive efile mlawyer "$PW" auth acct
t_match "linked in two courts: mnd's link is mnd's" "^env: CMECF_LOGIN=mlawyer7\$" "$P_OUT"
t_nomatch "a stray legacy entry naming the account is not its link" "^env: CMECF_LOGIN=mstray\$" "$P_OUT"
p_drive svc mlawyer "$PW" auth acct
t_match "exports: efile access without the efile argument" \
	"^env: CMECF_ACCESS=efile\$" "$P_OUT"
p_drive svc jattorney "$PW" auth acct
t_match "exports (unlinked): query access" "^env: CMECF_ACCESS=query\$" "$P_OUT"
t_nomatch "exports (unlinked): no CMECF_LOGIN" "^env: CMECF_LOGIN=" "$P_OUT"
p_drive svc smithfirm "$PW" auth acct
t_match "exports (firm): account type" "^env: PACER_ACCOUNT_TYPE=firm\$" "$P_OUT"
t_match "exports (firm): query access" "^env: CMECF_ACCESS=query\$" "$P_OUT"
p_drive miwb jattorney "$PW" auth
t_match "exports (half link in miwb): court type" \
	"^env: CMECF_COURT_TYPE=bankruptcy\$" "$P_OUT"
t_match "exports (half link in miwb): query access" "^env: CMECF_ACCESS=query\$" "$P_OUT"
t_match "logs: the remote host is named" 'rhost="rhost.example.test"' "$P_LOG"

# ---- the client code ------------------------------------------------------
p_drive code jattorney "$PW
ACME-42 matter" auth acct
t_match "client code: asked after the password, echo on" \
	"^echo-prompt: Client Code \(optional\): " "$P_OUT"
t_match "client code: exported" "^env: PACER_CLIENT_CODE=ACME-42 matter\$" "$P_OUT"
p_drive code jattorney "$PW
" auth
t_match "client code left empty: success" "^auth: PAM_SUCCESS" "$P_OUT"
t_nomatch "client code left empty: nothing exported" "PACER_CLIENT_CODE" "$P_OUT"
p_drive code jattorney "$PW
$(printf '%033d' 7)" auth
t_match "client code of 33 characters: PAM_AUTH_ERR" "^auth: PAM_AUTH_ERR" "$P_OUT"
t_match "client code of 33 characters: told" \
	"^error: A client code is at most 32 printable characters" "$P_OUT"
p_drive code jattorney "$PW
$(printf 'a\033b')" auth
t_match "client code with a control character: PAM_AUTH_ERR" "^auth: PAM_AUTH_ERR" "$P_OUT"

# ---- legacy CM/ECF credentials after go-live --------------------------------
p_tester svc mlawyer7 "$ECF" authenticate
t_match "legacy login (linked): PAM_AUTH_ERR" "$AUTH_ERR" "$P_OUT"
t_match "legacy login (linked): told to use PACER" \
	"Your CM/ECF login is permanently linked to your upgraded PACER account. Log in with your PACER username and password." "$P_OUT"
p_tester svc jattorney1 "$ECF" authenticate
t_match "legacy login (not linked): PAM_AUTH_ERR" "$AUTH_ERR" "$P_OUT"
t_match "legacy login (not linked): told to run cmecf-link" \
	"CM/ECF logins no longer work in this court: it is live on NextGen CM/ECF. Run cmecf-link to link your CM/ECF account to your upgraded PACER account, then log in with your PACER credentials." "$P_OUT"
p_tester svc jattorney1 "Ecf-Wrong-1" authenticate
t_match "legacy login, wrong password: PAM_USER_UNKNOWN" "$UNKNOWN" "$P_OUT"
t_nomatch "legacy login, wrong password: no legacy message" "CM/ECF logins" "$P_OUT"
p_tester cand jattorney3 "$ECF" authenticate
t_match "legacy login before go-live: PAM_USER_UNKNOWN" "$UNKNOWN" "$P_OUT"
t_nomatch "legacy login before go-live: no message" "CM/ECF" "$P_OUT"

# ---- the 64 KiB password ----------------------------------------------------
big=$(head -c 49152 /dev/zero | base64 -w0 | head -c 65536)
p_drive svc jattorney "$big" auth
t_match "64 KiB password: PAM_AUTH_ERR" "^auth: PAM_AUTH_ERR" "$P_OUT"
t_match "64 KiB password: refused before the wire" "longer than 512 bytes" "$P_LOG"

# ---- the fail delay ---------------------------------------------------------
p_drive svc jattorney "wrong" auth
delay=$(printf '%s\n' "$P_OUT" | sed -n 's/^fail_delay: //p' | tail -1)
# libpam spreads the largest requested delay by up to 50% either way.
t_le "failure asks for a delay of 2 s (>= 1 s after libpam's spread)" 1000000 "${delay:-0}"
t_le "failure asks for a delay of 2 s (<= 3 s after libpam's spread)" "${delay:-9999999}" 3000000

# ---- arguments, configuration, ignore_*, the no-op hooks ---------------------
p_tester badarg jattorney "$PW" authenticate
t_match "unknown module argument: PAM_SERVICE_ERR" "$SERVICE" "$P_OUT"
t_match "unknown module argument: logged" 'module argument "bogus": unknown argument' "$P_OUT"
p_tester badcourt jattorney "$PW" authenticate
t_match "malformed court=: PAM_SERVICE_ERR" "$SERVICE" "$P_OUT"
p_tester relpath jattorney "$PW" authenticate
t_match "relative config=: PAM_SERVICE_ERR" "$SERVICE" "$P_OUT"
p_tester noconf jattorney "$PW" authenticate
t_match "missing configuration file: PAM_SERVICE_ERR" "$SERVICE" "$P_OUT"
t_match "missing configuration file: named in the log" "missing.conf" "$P_OUT"

p_tester ignore-unknown nosuchuser "$PW" authenticate
t_eq "ignore_unknown_user: the stack falls through" 0 "$P_RC"
p_tester ignore-unknown jattorney "wrong" authenticate
t_eq "ignore_unknown_user: a wrong password still fails" 1 "$P_RC"
p_tester strict-unknown nosuchuser "$PW" authenticate
t_eq "without ignore_unknown_user: unknown fails the stack" 1 "$P_RC"

# ---- the access rules the login's one search needs ------------------------
# Without search on the suffix entry the search cannot start: the module
# says so and fails closed instead of calling the person unknown.
acl_suffix_rule() {
	ldapsearch -LLL -o ldif-wrap=no -Q -Y EXTERNAL -H "$RIG_LDAPI_URI" \
	    -b "olcDatabase={1}mdb,cn=config" -s base olcAccess |
		sed -n "s/^olcAccess: \({[0-9]*}to dn.base=\"$B\" attrs=entry .*\)\$/\1/p"
}
# acl_rule_change add|delete RULE: on the rig's database, as root.
acl_rule_change() {
	printf 'dn: olcDatabase={1}mdb,cn=config\nchangetype: modify\n%s: olcAccess\nolcAccess: %s\n' \
	    "$1" "$2" | ldapmodify -Q -Y EXTERNAL -H "$RIG_LDAPI_URI" >/dev/null
}
rule=$(acl_suffix_rule)
t_match "the rig's rules grant search on the suffix" "^{[0-9]*}to dn.base=" "$rule"
acl_rule_change delete "$rule"
t_eq "the suffix rule removed" "" "$(acl_suffix_rule)"
p_drive efile mlawyer "$PW" auth acct
t_match "no search on the suffix: PAM_SERVICE_ERR" "^auth: PAM_SERVICE_ERR" "$P_OUT"
t_match "no search on the suffix: the log says which rule is missing" \
	"base $B is not searchable .*acl.ldif" "$P_LOG"
acl_rule_change add "$rule"
t_match "the suffix rule back" "^{[0-9]*}to dn.base=" "$(acl_suffix_rule)"
p_drive efile mlawyer "$PW" auth acct
t_match "suffix rule back: linked login succeeds again" "^acct: PAM_SUCCESS" "$P_OUT"

p_tester svc jattorney "$PW" authenticate open_session close_session
t_eq "setcred, open_session, close_session: success" 0 "$P_RC"
t_match "open_session done" "successfully opened a session" "$P_OUT"
t_match "close_session done" "session has successfully been closed" "$P_OUT"

t_done
