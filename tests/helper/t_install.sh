#!/bin/sh
# cmecf-link as installed: not setuid, bad secret files, --config as a
# user, the environment (LDAPCONF, LDAPRC, LDAPTLS_REQCERT) against an
# impostor server, link_uri down, --test-config.
. "$(dirname "$0")/common.sh"
h_setup
t0=$(t_now_ms)
PW=Pacer-Demo-1
EPW=Ecf-Demo-1
cp "$RIG_LINK_PW_FILE" "$H_DIR/link.pw" && chmod 600 "$H_DIR/link.pw"

# --- exit 6: not setuid
cp "$T_BUILD/cmecf-link" "$H_DIR/plain" && chmod 755 "$H_DIR/plain"
out=$(h_exec "$H_DIR/plain" </dev/null 2>&1); rc=$?
t_eq "not setuid: exit 6" 6 "$rc"
t_match "not setuid: message" "must be installed setuid root" "$out"

# --- exit 6: the secret file
cp "$H_DIR/link.pw" "$H_DIR/pw640" && chmod 640 "$H_DIR/pw640"
h_conf link_bindpw_file "$H_DIR/pw640"
h_in jattorney "$PW"; h_run
t_eq "secret mode 0640: exit 6" 6 "$H_RC"
t_match "secret mode 0640: reason" "readable by group or others" "$H_OUT"
cp "$H_DIR/link.pw" "$H_DIR/pwnobody" && chown 65534 "$H_DIR/pwnobody" && chmod 600 "$H_DIR/pwnobody"
h_conf link_bindpw_file "$H_DIR/pwnobody"
h_in jattorney "$PW"; h_run
t_eq "secret owned by 65534: exit 6" 6 "$H_RC"
t_match "secret owned by 65534: reason" "owned by uid 65534, not root" "$H_OUT"
ln -s "$H_DIR/link.pw" "$H_DIR/pwlink"
h_conf link_bindpw_file "$H_DIR/pwlink"
h_in jattorney "$PW"; h_run
t_eq "secret is a symlink: exit 6" 6 "$H_RC"
t_match "secret is a symlink: reason" "symbolic link" "$H_OUT"
h_conf

# --- --config is root's
rig_write_conf "$H_DIR/other.conf"
h_in jattorney "$PW"; h_run --config "$H_DIR/other.conf"
t_eq "--config as a user: exit 1" 1 "$H_RC"
t_match "--config as a user: message" "--config is honoured only for root" "$H_OUT"
h_run --report
t_eq "--report as a user: exit 1" 1 "$H_RC"
t_match "--report as a user: requires root" "requires root" "$H_OUT"
h_run --bogus
t_eq "unknown option: exit 1" 1 "$H_RC"
h_run --court 'MND;x'
t_eq "malformed court: exit 1" 1 "$H_RC"

# --- a caller whose real gid is 0 (primary group root): the drop keeps
# gid 0 and succeeds; root stays out of reach. The helper is stopped at
# its first prompt to read its ids and capabilities from /proc.
{ h_pacer_ldif gidzero "Gid Zero"; h_cmecf_ldif gidzero1 "Gid Zero"; } |
	rig_ldapadd - >/dev/null || t_fail "gid 0: fixtures loaded"
mkfifo "$H_DIR/gid0.in"
H_NOBODY="setpriv --reuid=65534 --regid=0 --clear-groups"
h_exec "$H_BIN" <"$H_DIR/gid0.in" >"$H_DIR/gid0.out" 2>&1 &
bg=$!
exec 7>"$H_DIR/gid0.in"
hpid=
i=0
while [ $i -lt 100 ] && kill -0 "$bg" 2>/dev/null; do
	if grep -q "PACER username:" "$H_DIR/gid0.out"; then
		for p in /proc/[0-9]*; do
			[ "$(readlink "$p/exe" 2>/dev/null)" = "$H_BIN" ] && hpid=${p#/proc/}
		done
		break
	fi
	sleep 0.1; i=$((i + 1))
done
st=$(cat "/proc/$hpid/status" 2>/dev/null)
t_match "gid 0: at the first prompt after the drop" "PACER username:" "$(cat "$H_DIR/gid0.out")"
t_match "gid 0: real, effective, saved uid 65534" "^Uid:[[:space:]]+65534[[:space:]]+65534[[:space:]]+65534[[:space:]]+65534$" "$st"
t_match "gid 0: every gid the real gid 0" "^Gid:[[:space:]]+0[[:space:]]+0[[:space:]]+0[[:space:]]+0$" "$st"
t_match "gid 0: no supplementary group" "^Groups:[[:space:]]*$" "$st"
t_match "gid 0: no capability left (root not regainable)" "^CapPrm:[[:space:]]+0+$" "$st"
t_match "gid 0: no effective capability" "^CapEff:[[:space:]]+0+$" "$st"
(printf '%s\n' gidzero "$PW" gidzero1 "$EPW" yes >&7) 2>/dev/null
exec 7>&-
wait "$bg"; rc=$?
H_NOBODY="setpriv --reuid=65534 --regid=65534 --clear-groups"
t_eq "gid 0: linked (exit 0)" 0 "$rc"
t_nomatch "gid 0: no drop failure" "privileges could be regained" "$(cat "$H_DIR/gid0.out")"
t_eq "gid 0: the link written" "uid=gidzero,ou=pacer,$RIG_BASE" "$(h_linked_pacer gidzero1)"

# --- exit 5: link_uri is a closed port; nothing written elsewhere
port=$(rig_free_port)
h_conf link_uri "ldaps://127.0.0.1:$port"
h_in jattorney "$PW" mlawyer7 "$EPW" yes; h_run
t_eq "link_uri down: exit 5" 5 "$H_RC"
t_match "link_uri down: names it" "ldaps://127.0.0.1:$port" "$H_OUT"
t_eq "link_uri down: nothing written on the other server" "" "$(h_linked_pacer mlawyer7)"

# --- the environment cannot weaken TLS: impostor with another CA's certificate
rig_start_impostor || t_fail "impostor started"
chmod 755 "$IMP_DIR" 2>/dev/null
printf 'TLS_REQCERT never\nTLS_CACERT %s\n' "$RIG_BAD_CA" >"$H_DIR/ldap.conf"
cp "$H_DIR/ldap.conf" "$H_DIR/ldaprc"; chmod 644 "$H_DIR/ldap.conf" "$H_DIR/ldaprc"
h_conf uri "$IMP_LDAPS_URI" link_uri "$IMP_LDAPS_URI" tls_cacert "$RIG_CA"
export LDAPCONF="$H_DIR/ldap.conf" LDAPRC="$H_DIR/ldaprc" LDAPTLS_REQCERT=never LDAPTLS_CACERT="$RIG_BAD_CA"
h_in jattorney "$PW" mlawyer7 "$EPW" yes; h_run
unset LDAPCONF LDAPRC LDAPTLS_REQCERT LDAPTLS_CACERT
t_eq "impostor + LDAP* environment: exit 5" 5 "$H_RC"
t_match "impostor: TLS failure reported" "tls|TLS|certificate" "$H_OUT"
t_eq "impostor: nothing linked there" "" "$(ldapsearch -LLL -x -H "$IMP_LDAPI_URI" -D "$RIG_ROOTDN" -w "$RIG_ROOTPW" -b "uid=mlawyer7,ou=cmecf,cn=mnd,ou=courts,$RIG_BASE" cmecfLinkedPacer 2>/dev/null | sed -n 's/^cmecfLinkedPacer: //p')"
t_nomatch "impostor: no password prompt answered" "Type yes" "$H_OUT"
h_conf

# --- --test-config (root, so run without the drop to nobody)
tc() {
	TC_OUT=$("$T_TOP/tests/rig/with-syslog.sh" "$H_LOG" unshare -m --propagation private sh -c \
		'mount --bind "$1" /etc/security && exec "$2" --test-config' x "$H_ETC" "$H_BIN" 2>&1)
	TC_RC=$?
}
tc
t_eq "test-config good: exit 0" 0 "$TC_RC"
t_match "test-config good: reached" "^ok: reached $(printf '%s' "$RIG_LDAPI_URI" | sed 's/[.%]/./g')" "$TC_OUT"
t_match "test-config good: bound" "^ok: bound to .* as cn=cmecf-link" "$TC_OUT"
t_nomatch "test-config good: no error line" "^error:" "$TC_OUT"
h_conf link_uri "ldap://127.0.0.1:$port" allow_plaintext yes
tc
t_eq "test-config server down: exit 5" 5 "$TC_RC"
t_match "test-config server down: names it" "^error: ldap://127.0.0.1:$port" "$TC_OUT"
h_conf link_bindpw_file "$H_DIR/pw640"
tc
t_eq "test-config bad secret: exit 6" 6 "$TC_RC"
t_match "test-config bad secret: says why" "^error: link password: .*readable by group or others" "$TC_OUT"
printf 'wrong-secret\n' >"$H_DIR/pwwrong"; chmod 600 "$H_DIR/pwwrong"
h_conf link_bindpw_file "$H_DIR/pwwrong"
tc
t_eq "test-config wrong secret: exit 1" 1 "$TC_RC"
t_match "test-config wrong secret: bind error" "^error: bind as cn=cmecf-link" "$TC_OUT"
printf 'bogus_key 1\n' >>"$H_ETC/pam_pacer.conf"
tc
t_eq "test-config bad file: exit 1" 1 "$TC_RC"
t_match "test-config bad file: names file and line" "^error: .*pam_pacer.conf:[0-9]+" "$TC_OUT"
h_conf

t_nomatch "syslog: no secret" "Link-Demo-1|$PW|$EPW" "$(cat "$H_LOG")"
echo "# t_install: $(( ($(t_now_ms) - t0) / 1000 )) s"
[ "$T_FAILS" -eq 0 ]
