#!/bin/sh
# cmecf-link, the person's link: success end to end, every refusal and its
# exit code, the confirmation, piped answers, the audit lines.
. "$(dirname "$0")/common.sh"
h_setup
t0=$(t_now_ms)
PW=Pacer-Demo-1
EPW=Ecf-Demo-1
{
	h_cmecf_ldif jdoe5 "Jane Doe"
	h_cmecf_ldif spare9 "John Attorney"
	h_pacer_ldif jdoe "Jane Doe"
} | rig_ldapadd - >/dev/null || t_fail "fixtures loaded"

# --- success, piped answers in the documented order
h_in jattorney "$PW" jattorney1 "$EPW" yes
h_run
t_eq "link: exit 0" 0 "$H_RC"
t_match "link: prompts in order" "PACER username: PACER password: CM/ECF login: CM/ECF password:" "$(printf '%s' "$H_OUT" | tr '\n' ' ' | sed 's/  */ /g')"
t_match "link: confirmation shows the CM/ECF name" "CM/ECF  John Attorney   \(login jattorney1, court mnd\)" "$H_OUT"
t_match "link: confirmation shows the PACER name" "PACER   John Attorney   \(username jattorney\)" "$H_OUT"
t_nomatch "link: no warning when the names match" "WARNING" "$H_OUT"
t_match "link: permanence said" "permanently linked.*cannot be undone" "$H_OUT"
t_match "link: success message" "^Linked\. From now on use only your PACER username and password" "$H_OUT"
t_eq "link: legacy side written" "uid=jattorney,ou=pacer,$RIG_BASE" "$(h_linked_pacer jattorney1)"
t_eq "link: PACER side written" "uid=jattorney1,ou=cmecf,cn=mnd,ou=courts,$RIG_BASE" "$(h_pacer_links jattorney)"
t_match "link: cmecfLinkedBy names uid, tty, host" "^uid=65534\(nobody\) tty=none host=$(hostname)$" \
	"$(h_attr "uid=jattorney1,ou=cmecf,cn=mnd,ou=courts,$RIG_BASE" cmecfLinkedBy)"
t_match "link: cmecfLinkedTime is a GeneralizedTime of today" "^$(date -u +%Y%m%d)[0-9]{6}Z$" \
	"$(h_attr "uid=jattorney1,ou=cmecf,cn=mnd,ou=courts,$RIG_BASE" cmecfLinkedTime)"
t_match "link: audit line" "cmecf-link\[[0-9]+\]: action=link uid=65534\(nobody\) tty=none court=mnd pacer_user=jattorney cmecf_login=jattorney1 outcome=linked" "$(cat "$H_LOG")"

# --- the PACER user now passes the module's account check with efile
if [ -f "$T_BUILD/pam_pacer.so" ]; then
	PAMD=$H_DIR/pam.d; mkdir -p "$PAMD"
	rig_write_conf "$H_DIR/module.conf"
	printf 'auth required %s config=%s court=mnd efile\naccount required %s config=%s court=mnd efile\n' \
		"$T_BUILD/pam_pacer.so" "$H_DIR/module.conf" "$T_BUILD/pam_pacer.so" "$H_DIR/module.conf" >"$PAMD/pacer"
	out=$(echo "$PW" | LD_PRELOAD="$T_PRELOAD" PAM_WRAPPER=1 PAM_WRAPPER_SERVICE_DIR="$PAMD" \
		pamtester pacer jattorney authenticate acct_mgmt 2>&1)
	t_eq "pam: linked PACER user passes authenticate + acct_mgmt with efile" 0 "$?"
	out=$(echo "$EPW" | LD_PRELOAD="$T_PRELOAD" PAM_WRAPPER=1 PAM_WRAPPER_SERVICE_DIR="$PAMD" \
		pamtester pacer jattorney1 authenticate 2>&1)
	t_eq "pam: legacy login refused" 1 "$?"
	t_match "pam: legacy login told to use PACER credentials" "PACER" "$out"
else
	t_fail "pam: build/pam_pacer.so missing (make first)"
fi

# --- refusals, exit 3
h_in jattorney "$PW" jattorney1 "$EPW" yes
h_run
t_eq "already linked legacy: exit 3" 3 "$H_RC"
t_match "already linked legacy: message names the PACER account" "already linked to your PACER account jattorney" "$H_OUT"

h_in mlawyer "$PW" jattorney1 "$EPW" yes
h_run
t_eq "legacy linked to someone else: exit 3" 3 "$H_RC"
t_match "legacy linked to someone else: message" "jattorney1 in court mnd is already linked to PACER account jattorney" "$H_OUT"

h_in jattorney "$PW" spare9 "$EPW" yes
h_run
t_eq "PACER already linked in court: exit 3" 3 "$H_RC"
t_match "PACER already linked in court: message names the login" "PACER account jattorney is already linked to CM/ECF login jattorney1 in court mnd" "$H_OUT"
t_eq "PACER already linked: spare9 untouched" "" "$(h_linked_pacer spare9)"

h_in smithfirm "$PW" smithfirm1 "$EPW" yes
h_run
t_eq "firm account: exit 3" 3 "$H_RC"
t_match "firm account: message" "Do not link a shared firm PACER account" "$H_OUT"

h_in oldtimer "$PW" spare9 "$EPW" yes
h_run
t_eq "not upgraded: exit 3" 3 "$H_RC"
t_match "not upgraded: message" "created before August 2014.*upgrade it first" "$H_OUT"

h_in jattorney "$PW" jattorney3 "$EPW" yes
h_run --court cand
t_eq "court not live: exit 3" 3 "$H_RC"
t_match "court not live: go-live date" "court cand is not live on NextGen CM/ECF until June 1, 2027; linking can be done only once the court is live" "$H_OUT"
t_nomatch "court not live: no prompt before refusing" "PACER username:" "$H_OUT"

printf 'dn: cn=nodate,ou=courts,%s\nobjectClass: pacerCourt\ncn: nodate\npacerCourtType: district\n\n' "$RIG_BASE" | rig_ldapadd - >/dev/null
h_in jattorney "$PW"
h_run --court nodate
t_eq "court without a date: exit 3" 3 "$H_RC"
t_match "court without a date: message" "has not announced a go-live date" "$H_OUT"

h_in jattorney "$PW"
h_run --court zzzz
t_eq "court unknown: exit 3" 3 "$H_RC"
t_match "court unknown: message" "court zzzz is not known" "$H_OUT"

# --- wrong passwords, exit 2, with a delay
s=$(t_now_ms)
h_in jdoe wrong-password jdoe5 "$EPW" yes
h_run
e=$(t_now_ms)
t_eq "wrong PACER password: exit 2" 2 "$H_RC"
t_match "wrong PACER password: message" "PACER username or password is incorrect" "$H_OUT"
t_le "wrong PACER password: delayed 2 s" 2000 $((e - s))
t_nomatch "wrong PACER password: CM/ECF not asked" "CM/ECF login:" "$H_OUT"
h_in jdoe "$PW" jdoe5 wrong-password yes
h_run
t_eq "wrong CM/ECF password: exit 2" 2 "$H_RC"
t_match "wrong CM/ECF password: message" "CM/ECF username or password is incorrect" "$H_OUT"
h_in nosuchuser "$PW" jdoe5 "$EPW" yes
h_run
t_eq "unknown PACER user: exit 2" 2 "$H_RC"
h_in 'bad*name' "$PW"
h_run
t_eq "malformed PACER user: exit 2" 2 "$H_RC"

# --- declined, exit 4
h_in jdoe "$PW" jdoe5 "$EPW" no
h_run
t_eq "declined: exit 4" 4 "$H_RC"
t_match "declined: Not linked." "Not linked\." "$H_OUT"
t_eq "declined: nothing written" "" "$(h_linked_pacer jdoe5)$(h_pacer_links jdoe)"
h_in jdoe "$PW" jdoe5 "$EPW" YES
h_run
t_eq "only a lowercase yes links" 4 "$H_RC"

# --- names differ: warning, then linked with arguments for the names
h_in "$PW" "$EPW" yes
h_run --pacer-user mlawyer --cmecf-login mlawyer7 --court mnd
t_eq "names differ: exit 0" 0 "$H_RC"
t_match "names differ: warning" "WARNING: The names do not match\. Link only if both accounts are yours\." "$H_OUT"
t_match "names differ: both names shown" "Mary L\. Smith.*Mary Lawyer" "$(printf '%s' "$H_OUT" | tr '\n' ' ')"
t_nomatch "arguments given: no username prompt" "PACER username:|CM/ECF login:" "$H_OUT"

# --- other court (miwb): one PACER account, one link per court
h_in "$PW" jattorney2 "$EPW" yes
h_run --court miwb --pacer-user jattorney
t_eq "second court: exit 0" 0 "$H_RC"
t_eq "second court: two PACER-side values" 2 "$(h_pacer_links jattorney | wc -l)"

# --- input limits
long=$(head -c 600 /dev/zero | tr '\0' a)
h_in jdoe "$long"
h_run
t_eq "over-long answer refused: exit 1" 1 "$H_RC"
h_in jdoe
h_run
t_eq "input ended: exit 1" 1 "$H_RC"
printf 'jdoe\n%s\0x\n' "$PW" >"$H_DIR/nul.in"
out=$(h_exec "$H_BIN" <"$H_DIR/nul.in" 2>&1); rc=$?
t_eq "NUL in an answer refused: exit 1" 1 "$rc"
printf 'jdoe\r\n%s\r\njdoe5\r\n%s\r\nno\r\n' "$PW" "$EPW" >"$H_DIR/crlf.in"
out=$(h_exec "$H_BIN" <"$H_DIR/crlf.in" 2>&1); rc=$?
t_eq "CRLF answers accepted (declined at the end: 4)" 4 "$rc"

# --- the log: every run, never a password
t_nomatch "syslog: no password" "$PW|$EPW|wrong-password|Link-Demo-1" "$(cat "$H_LOG")"
t_match "syslog: refusal logged" "outcome=refused-firm" "$(cat "$H_LOG")"
t_match "syslog: bad password logged" "outcome=bad-password" "$(cat "$H_LOG")"
t_match "syslog: declined logged" "outcome=declined" "$(cat "$H_LOG")"
t_match "syslog: authpriv facility (priority 85 or 84)" "^<8[45]>" "$(head -1 "$H_LOG")"

echo "# t_link: $(( ($(t_now_ms) - t0) / 1000 )) s"
[ "$T_FAILS" -eq 0 ]
