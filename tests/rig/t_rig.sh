#!/bin/sh
# tests/rig/t_rig.sh - the throwaway-slapd rig does what the suites rely on:
# ports, TLS with the right and the wrong CA, the impostor, the black hole,
# rig_write_conf, clean-up by trap, and never touching what it did not start.
#
#     sh tests/rig/t_rig.sh
set -u
. "$(dirname "$0")/../lib.sh"
. "$T_TOP/tests/rig/rig.sh"

J=uid=jattorney,ou=pacer,dc=courts,dc=test

# whoami as jattorney at URI with CAFILE (LDAPTLS_* so no ldaprc matters).
whoami_tls() {
	LDAPCONF=/dev/null LDAPRC=.pacer-none LDAPTLS_CACERT=$2 LDAPTLS_REQCERT=demand \
		ldapwhoami -x -H "$1" -o nettimeout=3 -D "$J" -w "$RIG_PACER_PW" ${3:-} 2>&1
}

# 1. Extra LDIF files, rig_stop.
W=$(rig_mkdir) && rig_track_dir "$W"
cat >"$W/extra.ldif" <<EOF
dn: uid=extra,ou=pacer,dc=courts,dc=test
objectClass: inetOrgPerson
objectClass: pacerAccount
uid: extra
cn: Extra Person
sn: Person
pacerAccountType: individual
pacerUpgraded: TRUE
EOF
t0=$(t_now_ms)
if rig_start "$W/extra.ldif"; then t_ok "rig_start with an extra LDIF"
else t_fail "rig_start with an extra LDIF"; exit 1; fi
t1=$(t_now_ms)
echo "# rig_start took $((t1 - t0)) ms"
t_le "rig_start takes under 3 s" "$((t1 - t0))" "$(t_slack 3000)"
t_eq "the extra LDIF is loaded after the sample" "uid: extra" \
	"$(rig_search -b "ou=pacer,$RIG_BASE" '(uid=extra)' uid | grep '^uid')"
FIRST_PID=$RIG_PID FIRST_DIR=$RIG_DIR
rig_stop
t_eq "rig_stop stops the server" no "$([ -d "/proc/$FIRST_PID" ] && echo yes || echo no)"
t_eq "rig_stop removes its directory" no "$([ -e "$FIRST_DIR" ] && echo yes || echo no)"

# 2. The main rig.
rig_start || { t_fail "rig_start"; exit 1; }
for v in RIG_DIR RIG_PID RIG_LDAP_URI RIG_LDAPS_URI RIG_LDAPI_URI RIG_CA RIG_BAD_CA \
    RIG_BASE RIG_ROOTDN RIG_ROOTPW RIG_PORT RIG_TLS_PORT; do
	eval "val=\${$v:-}"
	t_match "$v is set" '.' "$val"
done
t_match "RIG_DIR is a pacer-rig directory" '^/tmp/pacer-rig\.' "$RIG_DIR"
t_eq "RIG_LDAP_URI" "ldap://127.0.0.1:$RIG_PORT" "$RIG_LDAP_URI"
t_eq "RIG_LDAPS_URI" "ldaps://127.0.0.1:$RIG_TLS_PORT" "$RIG_LDAPS_URI"
t_match "the server's command line names its directory" "pacer-rig" "$(tr '\0' ' ' </proc/$RIG_PID/cmdline)"
t_match "slapd listens on RIG_PORT" "127.0.0.1:$RIG_PORT" "$(ss -Hltn "( sport = :$RIG_PORT )")"
t_match "slapd listens on RIG_TLS_PORT" "127.0.0.1:$RIG_TLS_PORT" "$(ss -Hltn "( sport = :$RIG_TLS_PORT )")"
t_eq "an unprivileged user reaches the ldapi socket" anonymous \
	"$(setpriv --reuid=65534 --regid=65534 --clear-groups ldapwhoami -x -H "$RIG_LDAPI_URI" 2>&1)"
t_eq "rig_search as the rootdn" "dn: cn=mnd,ou=courts,dc=courts,dc=test" \
	"$(rig_search -b "cn=mnd,ou=courts,$RIG_BASE" -s base dn)"
printf '%s\n' "dn: cn=cand,ou=courts,$RIG_BASE" "changetype: modify" "replace: description" \
	"description: changed" - | rig_ldapmodify - >/dev/null 2>&1
t_eq "rig_ldapmodify - reads stdin" "description: changed" \
	"$(rig_search -b "cn=cand,ou=courts,$RIG_BASE" -s base description | grep '^desc')"

# TLS.
t_match "server certificate names IP 127.0.0.1 and localhost" 'IP Address:127\.0\.0\.1.*DNS:localhost|DNS:localhost.*IP Address:127\.0\.0\.1' \
	"$(openssl x509 -in "$RIG_DIR/good-server.crt" -noout -ext subjectAltName 2>&1 | tr '\n' ' ')"
t_eq "ldaps with RIG_CA" "dn:$J" "$(whoami_tls "$RIG_LDAPS_URI" "$RIG_CA")"
t_eq "StartTLS with RIG_CA" "dn:$J" "$(whoami_tls "$RIG_LDAP_URI" "$RIG_CA" -ZZ)"
t_nomatch "ldaps with RIG_BAD_CA fails" "^dn:" "$(whoami_tls "$RIG_LDAPS_URI" "$RIG_BAD_CA")"
t_nomatch "StartTLS with RIG_BAD_CA fails" "^dn:" "$(whoami_tls "$RIG_LDAP_URI" "$RIG_BAD_CA" -ZZ)"
t_nomatch "RIG_BAD_CA is another CA" "^$(openssl x509 -in "$RIG_CA" -noout -fingerprint -sha256)\$" \
	"$(openssl x509 -in "$RIG_BAD_CA" -noout -fingerprint -sha256)"

# The impostor.
if rig_start_impostor; then t_ok "rig_start_impostor"; else t_fail "rig_start_impostor"; fi
t_eq "the impostor has its own ports" no \
	"$([ "$IMP_LDAP_URI" = "$RIG_LDAP_URI" ] || [ "$IMP_LDAPS_URI" = "$RIG_LDAPS_URI" ] && echo yes || echo no)"
t_eq "the impostor holds the sample too (over RIG_BAD_CA)" "dn:$J" "$(whoami_tls "$IMP_LDAPS_URI" "$RIG_BAD_CA")"
t_nomatch "the impostor fails with RIG_CA (ldaps)" "^dn:" "$(whoami_tls "$IMP_LDAPS_URI" "$RIG_CA")"
t_nomatch "the impostor fails with RIG_CA (StartTLS)" "^dn:" "$(whoami_tls "$IMP_LDAP_URI" "$RIG_CA" -ZZ)"
IMP_SAVED_PID=$IMP_PID
rig_stop_impostor
t_eq "rig_stop_impostor stops it" no "$([ -d "/proc/$IMP_SAVED_PID" ] && echo yes || echo no)"
t_eq "... and leaves the rig running" "dn:$J" "$(whoami_tls "$RIG_LDAPS_URI" "$RIG_CA")"

# rig_write_conf.
C=$W/pam_pacer.conf
rig_write_conf "$C"
conf=$(cat "$C")
for line in "uri $RIG_LDAPI_URI" "base dc=courts,dc=test" "tls_cacert $RIG_CA" \
    "binddn cn=pam-lookup,ou=services,dc=courts,dc=test" "bindpw_file $RIG_DIR/lookup.pw" \
    "link_binddn cn=cmecf-link,ou=services,dc=courts,dc=test" "link_bindpw_file $RIG_DIR/link.pw" \
    "court mnd" "network_timeout 2" "timeout 2" "login_budget 4"; do
	t_eq "conf has '$line'" 1 "$(grep -cxF -- "$line" "$C")"
done
rig_write_conf "$C" court miwb binddn "" uri "$RIG_LDAPS_URI $RIG_LDAP_URI" starttls yes
t_eq "an override replaces the default line" "court miwb" "$(grep '^court ' "$C")"
t_eq "an empty value drops the key" 0 "$(grep -c '^binddn ' "$C")"
t_eq "a value may hold spaces" "uri $RIG_LDAPS_URI $RIG_LDAP_URI" "$(grep '^uri ' "$C")"
t_eq "a new key is added" "starttls yes" "$(grep '^starttls ' "$C")"
t_eq "the look-up password file: root, 0600" "0:0 600" "$(stat -c '%u:%g %a' "$RIG_DIR/lookup.pw")"
t_eq "the link password file: root, 0600" "0:0 600" "$(stat -c '%u:%g %a' "$RIG_DIR/link.pw")"
t_eq "the look-up password file holds its password" "Lookup-Demo-1" "$(cat "$RIG_DIR/lookup.pw")"
t_eq "the link password file holds its password" "Link-Demo-1" "$(cat "$RIG_DIR/link.pw")"
t_eq "the link password binds" "dn:$RIG_LINK_DN" \
	"$(ldapwhoami -x -H "$RIG_LDAPI_URI" -D "$RIG_LINK_DN" -w "$(cat "$RIG_LINK_PW_FILE")" 2>&1)"

# The black hole and the free port.
if rig_blackhole_start; then t_ok "rig_blackhole_start"; else t_fail "rig_blackhole_start"; fi
t_match "BH_PORT is a port" '^[0-9]+$' "$BH_PORT"
t0=$(t_now_ms)
out=$(ldapwhoami -x -H "ldap://127.0.0.1:$BH_PORT" -o nettimeout=1 -o timeout=1 2>&1)
t1=$(t_now_ms)
t_match "the black hole accepts and never answers (timeout)" 'Timed out|Timeout' "$out"
t_le "... the client gave up after its own 1 s timeout" 900 "$((t1 - t0))"
# A port taken between the check and slapd's bind: rig_start tries others.
rig_free_port() {
	_n=$(cat "$W/picks" 2>/dev/null || echo 0)
	echo $((_n + 1)) >"$W/picks"
	if [ "$_n" -eq 0 ]; then echo "$BH_PORT"; else _rig_random_free_port; fi
}
SAVED_RIG_PID=$RIG_PID SAVED_RIG_DIR=$RIG_DIR
if rig_start; then t_ok "rig_start retries when its port is taken"
else t_fail "rig_start retries when its port is taken"; fi
t_le "... it picked ports again" 4 "$(cat "$W/picks")"
t_match "... and listens elsewhere" "^ldap://127\.0\.0\.1:[0-9]+\$" "$(echo "$RIG_LDAP_URI" | grep -v ":$BH_PORT\$")"
rig_stop
rig_free_port() { _rig_random_free_port; }
RIG_PID=$SAVED_RIG_PID RIG_DIR=$SAVED_RIG_DIR
BH_SAVED=$BH_PID
rig_blackhole_stop
t_eq "rig_blackhole_stop stops it" no "$([ -d "/proc/$BH_SAVED" ] && echo yes || echo no)"
FP=$(rig_free_port)
t_match "rig_free_port prints a port" '^[0-9]+$' "$FP"
t_match "nobody listens on it" "Can't contact LDAP server" \
	"$(ldapwhoami -x -H "ldap://127.0.0.1:$FP" -o nettimeout=1 2>&1)"

# Never touches what it did not start.
sleep 30 &
OTHER=$!
( RIG_PID=$OTHER RIG_DIR=/tmp/pacer-rig.notours; rig_stop ) 2>/dev/null
t_eq "rig_stop leaves a process whose command line does not match alone" yes \
	"$([ -d "/proc/$OTHER" ] && echo yes || echo no)"
kill "$OTHER"; wait "$OTHER" 2>/dev/null

# The trap cleans up when a suite ends, normally or by a signal.
CHILD='T_TOP=$1; . "$T_TOP/tests/rig/rig.sh"; rig_start || exit 1
	echo "$RIG_PID $RIG_DIR" >"$2"; [ "$3" = exit ] && exit 0
	while :; do sleep 0.1; done'
sh -c "$CHILD" sh "$T_TOP" "$W/child1" exit >/dev/null 2>&1
read -r cpid cdir <"$W/child1"
t_eq "a suite that exits leaves no server (EXIT trap)" no "$([ -d "/proc/$cpid" ] && echo yes || echo no)"
t_eq "... and no directory" no "$([ -e "$cdir" ] && echo yes || echo no)"
sh -c "$CHILD" sh "$T_TOP" "$W/child2" loop >/dev/null 2>&1 &
CH=$!
i=0; while [ ! -s "$W/child2" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
read -r cpid cdir <"$W/child2"
kill -TERM "$CH"; wait "$CH" 2>/dev/null
t_eq "a suite killed by TERM leaves no server" no "$([ -d "/proc/$cpid" ] && echo yes || echo no)"
t_eq "... and no directory" no "$([ -e "$cdir" ] && echo yes || echo no)"

# Several rigs at once, all stopped by rig_stop_all.
A_PID=$RIG_PID
rig_start || t_fail "a second rig_start"
B_PID=$RIG_PID
t_eq "two rigs run at once" 2 "$(rig_pids | wc -l | tr -d ' ')"
DIRS=$_rig_dirs
rig_stop_all
left=""
for p in $A_PID $B_PID; do [ -d "/proc/$p" ] && left="$left $p"; done
t_eq "rig_stop_all stops every server" "" "$left"
left=""
for d in $DIRS; do [ -e "$d" ] && left="$left $d"; done
t_eq "rig_stop_all removes every directory" "" "$left"
[ "$T_FAILS" -eq 0 ]
