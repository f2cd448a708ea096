#!/bin/sh
# The guards on cmecf-link's writes (docs/linking.md): links stay single
# when the link account cannot read entryCSN, failed binds on the entries
# (which a lockout policy records) do not break a link in progress, a
# race loser's leftover claim is undone, and a person may hold a link in
# every court (no cap on pacerLinkedCmecf).
. "$(dirname "$0")/common.sh"
h_setup
t0=$(t_now_ms)
PW=Pacer-Demo-1
EPW=Ecf-Demo-1
B=$RIG_BASE
ROUNDS=6

# acl_change add|delete RULE: on the rig's database, as root.
acl_change() {
	printf 'dn: olcDatabase={1}mdb,cn=config\nchangetype: modify\n%s: olcAccess\nolcAccess: %s\n' \
	    "$1" "$2" | ldapmodify -Q -Y EXTERNAL -H "$RIG_LDAPI_URI" >/dev/null
}

{
	i=1; while [ $i -le $ROUNDS ]; do
		h_pacer_ldif "gp$i" "Guard $i"
		h_cmecf_ldif "ga$i" "Guard $i"; h_cmecf_ldif "gb$i" "Guard $i"
		i=$((i + 1))
	done
	h_pacer_ldif loserp "Loser"; h_cmecf_ldif loser1 "Loser"
	h_pacer_ldif ownerp "Owner"; h_cmecf_ldif owner1 "Owner"
	h_cmecf_ldif loser2 "Loser Two"
	printf 'dn: cn=lockout,ou=policies,%s\nobjectClass: pwdPolicy\nobjectClass: device\ncn: lockout\npwdAttribute: userPassword\npwdLockout: TRUE\npwdMaxFailure: 50\npwdFailureCountInterval: 600\n\n' "$B"
} | rig_ldapadd - >/dev/null || t_fail "fixtures loaded"

# --- item 6: the link account cannot read entryCSN
acl_change add "{0}to dn.subtree=\"$B\" attrs=entryCSN by * none"
t_eq "entryCSN hidden from the link account" "" \
	"$(ldapsearch -LLL -x -H "$RIG_LDAPI_URI" -D "cn=cmecf-link,ou=services,$B" \
	    -w "$RIG_LINK_PW" -b "uid=gp1,ou=pacer,$B" -s base entryCSN 2>/dev/null | sed -n 's/^entryCSN: //p')"
both=0; none=0; i=1
while [ $i -le $ROUNDS ]; do
	pids=""
	for l in "ga$i" "gb$i"; do
		printf 'gp%s\n%s\n%s\n%s\nyes\n' "$i" "$PW" "$l" "$EPW" >"$H_DIR/in.$l"
		( h_exec "$H_BIN" <"$H_DIR/in.$l" >"$H_DIR/out.$l" 2>&1; echo $? >"$H_DIR/rc.$l" ) &
		pids="$pids $!"
	done
	for p in $pids; do wait "$p"; done
	n=$(h_pacer_links "gp$i" | grep -c .)
	[ "$n" -gt 1 ] && both=$((both + 1))
	[ "$n" -eq 0 ] && none=$((none + 1))
	i=$((i + 1))
done
t_eq "entryCSN unreadable: never two links of one court on one PACER account ($ROUNDS races)" 0 "$both"
t_eq "entryCSN unreadable: every race still links one of the two" 0 "$none"
h_root --check
t_eq "entryCSN unreadable: --check consistent after the races" 0 "$H_RC"
acl_change delete "{0}to dn.subtree=\"$B\" attrs=entryCSN by * none"

# --- item 6: failed binds recorded by a lockout policy during a link
rig_ldapmodify - >/dev/null <<EOL || t_fail "lockout policy assigned"
dn: uid=ownerp,ou=pacer,$B
changetype: modify
add: pwdPolicySubentry
pwdPolicySubentry: cn=lockout,ou=policies,$B

dn: uid=owner1,ou=cmecf,cn=mnd,ou=courts,$B
changetype: modify
add: pwdPolicySubentry
pwdPolicySubentry: cn=lockout,ou=policies,$B
EOL
csn() { rig_search -b "$1" -s base "(objectClass=*)" entryCSN | sed -n 's/^entryCSN: //p'; }
fifo=$H_DIR/answers
mkfifo "$fifo"
( h_exec "$H_BIN" <"$fifo" >"$H_DIR/out.lock" 2>&1; echo $? >"$H_DIR/rc.lock" ) &
runner=$!
exec 7>"$fifo"
printf 'ownerp\n%s\nowner1\n%s\n' "$PW" "$EPW" >&7
i=0
while ! grep -q "Type yes" "$H_DIR/out.lock" 2>/dev/null && [ $i -lt 100 ]; do
	sleep 0.1; i=$((i + 1))
done
t_match "lockout: the run waits at the confirmation" "Type yes" "$(cat "$H_DIR/out.lock")"
before_p=$(csn "uid=ownerp,ou=pacer,$B"); before_l=$(csn "uid=owner1,ou=cmecf,cn=mnd,ou=courts,$B")
for dn in "uid=ownerp,ou=pacer,$B" "uid=owner1,ou=cmecf,cn=mnd,ou=courts,$B"; do
	for k in 1 2 3; do
		ldapwhoami -x -H "$RIG_LDAPI_URI" -D "$dn" -w wrong-guess >/dev/null 2>&1
	done
done
t_match "lockout: failed binds changed the PACER entry" "^pwdFailureTime: " \
	"$(rig_search -b "uid=ownerp,ou=pacer,$B" -s base "(objectClass=*)" pwdFailureTime)"
t_nomatch "lockout: and its entryCSN" "^$before_p\$" "$(csn "uid=ownerp,ou=pacer,$B")"
t_nomatch "lockout: and the legacy entry's entryCSN" "^$before_l\$" \
	"$(csn "uid=owner1,ou=cmecf,cn=mnd,ou=courts,$B")"
printf 'yes\n' >&7
exec 7>&-
wait "$runner"
t_eq "lockout: the link still goes through (0)" 0 "$(cat "$H_DIR/rc.lock")"
t_eq "lockout: both sides written" "uid=owner1,ou=cmecf,cn=mnd,ou=courts,$B" "$(h_pacer_links ownerp)"

# --- item 8: a race loser killed between its claim and its undo
rig_ldapmodify - >/dev/null <<EOL || t_fail "loser's leftover made"
dn: uid=loser1,ou=cmecf,cn=mnd,ou=courts,$B
changetype: modify
add: cmecfLinkedPacer
cmecfLinkedPacer: uid=ownerp,ou=pacer,$B
-
add: cmecfLinkedTime
cmecfLinkedTime: 20260101000000Z
EOL
h_root --check
t_eq "loser's claim: --check exits 3" 3 "$H_RC"
t_match "loser's claim: reported as such" "half-link: claim of a race loser.*uid=loser1" "$H_OUT"
h_in loserp "$PW" loser1 "$EPW" yes; h_run
t_eq "loser's claim: its owner can link to their own account (0)" 0 "$H_RC"
t_nomatch "loser's claim: the owner is not told it is already linked" "already linked" "$H_OUT"
t_eq "loser's claim: now linked to the owner's account" "uid=loserp,ou=pacer,$B" "$(h_linked_pacer loser1)"
t_eq "loser's claim: the winner's link untouched" "uid=owner1,ou=cmecf,cn=mnd,ou=courts,$B" "$(h_pacer_links ownerp)"
rig_ldapmodify - >/dev/null <<EOL || t_fail "second leftover made"
dn: uid=loser2,ou=cmecf,cn=mnd,ou=courts,$B
changetype: modify
add: cmecfLinkedPacer
cmecfLinkedPacer: uid=ownerp,ou=pacer,$B
EOL
h_root --check --repair
t_eq "loser's claim: --check --repair exits 0" 0 "$H_RC"
t_match "loser's claim: --check --repair undoes it" "repaired: removed a race loser's claim.*uid=loser2" "$H_OUT"
t_eq "loser's claim: gone" "" "$(h_linked_pacer loser2)"
h_root --check
t_eq "loser's claim: consistent afterwards" 0 "$H_RC"

# --- item 6: --test-config checks what the guards need
h_root --test-config
t_eq "test-config: guards evaluable (0)" 0 "$H_RC"
t_match "test-config: the legacy-side guard" "ok: the server evaluates the legacy-side write guard" "$H_OUT"
t_match "test-config: the PACER-side guard" "ok: the server evaluates the PACER-side write guard" "$H_OUT"
acl_change add "{0}to dn.subtree=\"$B\" attrs=cmecfLinkedPacer by dn.exact=\"cn=cmecf-link,ou=services,$B\" compare by * none"
h_root --test-config
t_eq "test-config: a guard the link account cannot evaluate is an error (1)" 1 "$H_RC"
t_match "test-config: and says which and why" "error: the legacy-side write guard cannot be evaluated.*acl.ldif" "$H_OUT"
h_cmecf_ldif nosearch "No Search" | rig_ldapadd - >/dev/null
h_pacer_ldif nosearchp "No Search" | rig_ldapadd - >/dev/null
h_in nosearchp "$PW" nosearch "$EPW" yes; h_run
t_eq "unevaluable guard: the link is refused, not written unguarded" 1 "$H_RC"
t_eq "unevaluable guard: nothing written" "" "$(h_linked_pacer nosearch)"
acl_change delete "{0}to dn.subtree=\"$B\" attrs=cmecfLinkedPacer by dn.exact=\"cn=cmecf-link,ou=services,$B\" compare by * none"

# --- item 7: 250 links on one PACER account, one per court
N=250
{
	i=1; while [ $i -le $N ]; do
		printf 'dn: cn=c%s,ou=courts,%s\nobjectClass: pacerCourt\ncn: c%s\npacerCourtType: district\npacerNextGenGoLive: 20200101000000Z\n\n' "$i" "$B" "$i"
		printf 'dn: ou=cmecf,cn=c%s,ou=courts,%s\nobjectClass: organizationalUnit\nou: cmecf\n\n' "$i" "$B"
		printf 'dn: uid=many,ou=cmecf,cn=c%s,ou=courts,%s\nobjectClass: inetOrgPerson\nobjectClass: cmecfAccount\nuid: many\ncn: Many Courts\nsn: Many\nuserPassword: %s\ncmecfLinkedPacer: uid=many,ou=pacer,%s\n\n' "$i" "$B" "$EPW" "$B"
		i=$((i + 1))
	done
	printf 'dn: uid=many,ou=pacer,%s\nobjectClass: inetOrgPerson\nobjectClass: pacerAccount\nuid: many\ncn: Many Courts\nsn: Many\npacerAccountType: individual\npacerUpgraded: TRUE\nuserPassword: %s\n' "$B" "$PW"
	i=1; while [ $i -lt $N ]; do
		printf 'pacerLinkedCmecf: uid=many,ou=cmecf,cn=c%s,ou=courts,%s\n' "$i" "$B"
		i=$((i + 1))
	done
	printf '\n'
	printf 'dn: uid=many%s,ou=cmecf,cn=c%s,ou=courts,%s\nobjectClass: inetOrgPerson\nobjectClass: cmecfAccount\nuid: many%s\ncn: Many Courts\nsn: Many\nuserPassword: %s\n\n' "$N" "$N" "$B" "$N" "$EPW"
} | rig_ldapadd - >/dev/null || t_fail "250 courts loaded"
# The 250th court's legacy entry "many" was loaded claiming the account
# without its PACER side: remove that claim and link "many250" for real.
rig_ldapmodify - >/dev/null <<EOL
dn: uid=many,ou=cmecf,cn=c$N,ou=courts,$B
changetype: modify
delete: cmecfLinkedPacer
EOL
h_run_court() { H_OUT=$(printf '%s' "${H_IN:-}" | h_exec "$H_BIN" --court "$1" 2>&1); H_RC=$?; H_IN=; }
h_in many "$PW" "many$N" "$EPW" yes; h_run_court "c$N"
t_eq "250 links: the 250th link is written (0)" 0 "$H_RC"
t_eq "250 links: the PACER side holds all of them" "$N" "$(h_pacer_links many | grep -c .)"
h_root --status --pacer-user many
t_eq "250 links: --status reads the account" 0 "$H_RC"
t_match "250 links: --status counts them" "$N links" "$H_OUT"
t_eq "250 links: --status lists every one as linked" "$N" "$(printf '%s\n' "$H_OUT" | grep -c ' linked$')"
h_root --check
t_eq "250 links: --check consistent" 0 "$H_RC"

# --- item 15: an account type that is neither individual nor firm
printf 'dn: uid=oddtype,ou=pacer,%s\nobjectClass: inetOrgPerson\nobjectClass: pacerAccount\nuid: oddtype\ncn: Odd Type\nsn: Odd\npacerAccountType: partnership\npacerUpgraded: TRUE\nuserPassword: %s\n\n' "$B" "$PW" |
	rig_ldapadd - >/dev/null || t_fail "odd type loaded"
h_cmecf_ldif oddlegacy "Odd Type" | rig_ldapadd - >/dev/null
h_in oddtype "$PW" oddlegacy "$EPW" yes; h_run
t_eq "unknown account type: refused (3)" 3 "$H_RC"
t_match "unknown account type: its own message" "has no valid account type" "$H_OUT"
t_eq "unknown account type: nothing written" "" "$(h_linked_pacer oddlegacy)"

# --- item 16: a provider that never ends a paged search
cc -O1 -Wall -Wextra -Werror -o "$H_DIR/cookie-server" "$T_TOP/tests/rig/cookie_server.c" -lldap -llber ||
	t_fail "cookie server built"
"$H_DIR/cookie-server" "$H_DIR/cookie.port" &
cs=$!
i=0; while [ ! -s "$H_DIR/cookie.port" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
cport=$(cat "$H_DIR/cookie.port")
rig_write_conf "$H_ETC/pam_pacer.conf" uri "ldap://127.0.0.1:$cport" \
	link_uri "ldap://127.0.0.1:$cport" allow_plaintext yes
for cmd in --check --report; do
	t1=$(t_now_ms)
	H_OUT=$("$T_TOP/tests/rig/with-syslog.sh" "$H_LOG" timeout 60 unshare -m --propagation private sh -c \
		'mount --bind "$1" /etc/security || exit 99; shift; exec "$@"' x "$H_ETC" "$H_BIN" $cmd </dev/null 2>&1)
	H_RC=$?
	t_eq "endless cookies: $cmd stops with an error (1), not a loop" 1 "$H_RC"
	t_match "endless cookies: $cmd says the walk did not end" "did not end after 20000 pages" "$H_OUT"
	echo "# endless cookies: $cmd gave up after $(( $(t_now_ms) - t1 )) ms"
done
kill "$cs" 2>/dev/null; wait "$cs" 2>/dev/null
h_conf

# --- item 17: names from the directory reach the terminal cleaned
esc=$(printf '\033')
{
	printf 'dn: uid=escp,ou=pacer,%s\nobjectClass: inetOrgPerson\nobjectClass: pacerAccount\nuid: escp\ncn:: %s\nsn: Esc\npacerAccountType: individual\npacerUpgraded: TRUE\nuserPassword: %s\n\n' \
		"$B" "$(printf 'Eve\033]0;owned\007\033[2J\302\23331m' | base64 -w0)" "$PW"
	printf 'dn: uid=escl,ou=cmecf,cn=mnd,ou=courts,%s\nobjectClass: inetOrgPerson\nobjectClass: cmecfAccount\nuid: escl\ncn:: %s\nsn: Esc\nuserPassword: %s\n\n' \
		"$B" "$(printf 'Jos\303\251 \342\200\256evE' | base64 -w0)" "$EPW"
} | rig_ldapadd - >/dev/null || t_fail "escape fixtures loaded"
: >"$H_LOG"
h_in escp "$PW" escl "$EPW" no; h_run
t_eq "escapes: declined at the confirmation (4)" 4 "$H_RC"
t_nomatch "escapes: no ESC byte reaches the terminal" "$esc" "$H_OUT"
t_nomatch "escapes: no C1 CSI reaches the terminal" "$(printf '\302\233')" "$H_OUT"
t_nomatch "escapes: no bidi override reaches the terminal" "$(printf '\342\200\256')" "$H_OUT"
t_match "escapes: the names are shown, controls as ?" "PACER +Eve\?\]0;owned\?\?\[2J\?\?31m" "$H_OUT"
t_match "escapes: UTF-8 letters are kept" "CM/ECF +Jos$(printf '\303\251') \?\?\?evE" "$H_OUT"
t_nomatch "escapes: no ESC byte in the log" "$esc" "$(cat "$H_LOG")"
h_root --status --cmecf-login escl --court mnd
t_nomatch "escapes: --status cleans names too" "$esc|$(printf '\342\200\256')" "$H_OUT"

# --- item 11: a PACER DN longer than 512 bytes is written whole
# back-mdb keeps each RDN under 511 bytes twice over: five long ones.
deep="ou=pacer,$B"; ous=""
for c in a b c d e; do
	v=$(printf '%0120d' 0 | tr 0 "$c")
	ous="${ous}dn: ou=$v,$deep
objectClass: organizationalUnit
ou: $v

"
	deep="ou=$v,$deep"
done
deep="ou=deep,$deep"
{
	printf '%s' "$ous"
	printf 'dn: %s\nobjectClass: organizationalUnit\nou: deep\n\n' "$deep"
	printf 'dn: uid=deepuser12345678901234567890,%s\nobjectClass: inetOrgPerson\nobjectClass: pacerAccount\nuid: deepuser12345678901234567890\ncn: Deep\nsn: Deep\npacerAccountType: individual\npacerUpgraded: TRUE\nuserPassword: %s\n\n' "$deep" "$PW"
	h_cmecf_ldif deeplegacy "Deep"
} | rig_ldapadd - >/dev/null || t_fail "deep fixtures loaded"
deepdn="uid=deepuser12345678901234567890,$deep"
t_le "long DN: the PACER DN is over 512 bytes" 513 "${#deepdn}"
h_conf pacer_base "$deep"
h_in deepuser12345678901234567890 "$PW" deeplegacy "$EPW" yes; h_run
t_eq "long DN: linked (0)" 0 "$H_RC"
t_eq "long DN: the legacy side names the whole DN" "$deepdn" "$(h_attr "uid=deeplegacy,ou=cmecf,cn=mnd,ou=courts,$B" cmecfLinkedPacer)"
h_conf

echo "# t_guard: $(( ($(t_now_ms) - t0) / 1000 )) s"
[ "$T_FAILS" -eq 0 ]
