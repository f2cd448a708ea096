#!/bin/sh
# cmecf-link administration as root: --status, --unlink (audited, then a
# relink), --report over 50,000 generated legacy accounts.
. "$(dirname "$0")/common.sh"
h_setup
t0=$(t_now_ms)
PW=Pacer-Demo-1
EPW=Ecf-Demo-1

h_in jattorney "$PW" jattorney1 "$EPW" yes; h_run
t_eq "setup: linked" 0 "$H_RC"

h_root --status --pacer-user jattorney
t_eq "--status PACER: exit 0" 0 "$H_RC"
t_match "--status PACER: the link" "court mnd  login jattorney1  linked" "$H_OUT"
h_root --status --cmecf-login jattorney1 --court mnd
t_eq "--status legacy: exit 0" 0 "$H_RC"
t_match "--status legacy: linked to whom, when, by whom" "jattorney1 \(John Attorney\) court mnd: linked to uid=jattorney,ou=pacer,$RIG_BASE on [0-9]{14}Z by uid=65534\(nobody\)" "$H_OUT"
h_root --status --cmecf-login mlawyer7 --court mnd
t_match "--status legacy: not linked" "mlawyer7 .* not linked" "$H_OUT"
h_root --status --pacer-user nosuch
t_eq "--status unknown account: exit 2" 2 "$H_RC"
h_root --status
t_eq "--status without an account: exit 1" 1 "$H_RC"

h_root --unlink --cmecf-login jattorney1 --court mnd
t_eq "--unlink without --reason: exit 1" 1 "$H_RC"
h_root --unlink --cmecf-login jattorney1 --court mnd --reason "ticket 42: wrong person linked"
t_eq "--unlink: exit 0" 0 "$H_RC"
t_eq "--unlink: legacy side gone" "" "$(h_linked_pacer jattorney1)"
t_eq "--unlink: PACER side gone" "" "$(h_pacer_links jattorney)"
t_eq "--unlink: time and by gone" "" "$(h_attr "uid=jattorney1,ou=cmecf,cn=mnd,ou=courts,$RIG_BASE" cmecfLinkedBy)"
t_match "--unlink: audited with the reason" "action=unlink uid=0\(root\).*cmecf_login=jattorney1 outcome=unlinked: by root, reason: ticket 42: wrong person linked" "$(cat "$H_LOG")"
h_root --unlink --cmecf-login jattorney1 --court mnd --reason "again"
t_eq "--unlink of an unlinked account: exit 3" 3 "$H_RC"
h_in mlawyer "$PW" jattorney1 "$EPW" yes; h_run
t_eq "relink after --unlink: exit 0" 0 "$H_RC"
t_eq "relink after --unlink: new PACER account" "uid=mlawyer,ou=pacer,$RIG_BASE" "$(h_linked_pacer jattorney1)"

# --- --report over 50,000 legacy accounts (paged)
s=$(t_now_ms)
awk -v base="$RIG_BASE" 'BEGIN {
	for (i = 1; i <= 50000; i++) {
		printf "dn: uid=bulk%d,ou=cmecf,cn=miwb,ou=courts,%s\nobjectClass: inetOrgPerson\nobjectClass: cmecfAccount\nuid: bulk%d\ncn: Bulk %d\nsn: Bulk\n", i, base, i, i
		if (i % 1000 == 0) printf "cmecfLinkedPacer: uid=bulkp,ou=pacer,%s\n", base
		printf "\n"
	} }' >"$H_DIR/bulk.ldif"
ldapadd -c -Q -Y EXTERNAL -H "$RIG_LDAPI_URI" -f "$H_DIR/bulk.ldif" >/dev/null 2>&1 ||
	rig_ldapadd "$H_DIR/bulk.ldif" >/dev/null
echo "# loading 50,000 entries: $(( ($(t_now_ms) - s) / 1000 )) s"
t_eq "bulk load: 50000 entries there" 50000 "$(rig_search -E pr=1000/noprompt -b "ou=cmecf,cn=miwb,ou=courts,$RIG_BASE" "(uid=bulk*)" 1.1 | grep -c '^dn:')"
s=$(t_now_ms)
h_root --report
t_eq "--report: exit 0" 0 "$H_RC"
t_match "--report: miwb counts (50001 legacy, 50 linked)" "^miwb +50001 +50 +49951$" "$H_OUT"
t_match "--report: mnd counts" "^mnd +3 +1 +2$" "$H_OUT"
t_match "--report: cand counts" "^cand +1 +0 +1$" "$H_OUT"
t_match "--report: total" "^total +50005 +51 +49954$" "$H_OUT"
t_le "--report: 50,000 accounts within 30 s" "$(( $(t_now_ms) - s ))" "$(t_slack 30000)"
h_root --check
t_eq "--check finds the 50 dangling bulk links" 3 "$H_RC"
t_match "--check: missing PACER entry reported" "needs-admin: legacy account links to a missing PACER entry: uid=bulk1000," "$H_OUT"

echo "# t_admin: $(( ($(t_now_ms) - t0) / 1000 )) s"
[ "$T_FAILS" -eq 0 ]
