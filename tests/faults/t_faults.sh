#!/bin/sh
# Faults: a server killed in the middle of a login and of a link, listeners
# that never answer (the helper, each transport), a server that answers
# slowly, a certificate changed under a running configuration, and a name
# resolver that never answers. What tests/pam/t_pam_net.sh already covers
# for the module (closed ports, black holes, wrong CA) is not repeated.
. "$(dirname "$0")/f_lib.sh"
rig_start || { t_fail "the test directory server starts"; exit 1; }
f_setup
rig_start_impostor || { t_fail "a second server (ldapi) starts"; exit 1; }
rig_blackhole_start || { t_fail "the black-hole listener starts"; exit 1; }
UNAVAIL="^auth: PAM_AUTHINFO_UNAVAIL"
LEGACY="uid=jattorney1,ou=cmecf,cn=mnd,ou=courts,$RIG_BASE"

p_conf fast uri "$RIG_LDAPS_URI" network_timeout 1 timeout 1 login_budget 2
p_conf slow-ok uri "$RIG_LDAPS_URI" network_timeout 3 timeout 3 login_budget 6
p_conf slow-over uri "$RIG_LDAPS_URI $IMP_LDAPI_URI" network_timeout 1 timeout 1 login_budget 4
p_conf starttls uri "$RIG_LDAP_URI" starttls yes network_timeout 1 timeout 1 login_budget 2
p_conf starttls-plain uri "$RIG_LDAP_URI" starttls yes allow_plaintext yes \
	network_timeout 1 timeout 1 login_budget 2
p_conf ldapi uri "$RIG_LDAPI_URI"
for c in fast slow-ok slow-over starttls starttls-plain ldapi; do p_service "$c" "$c"; done

# f_bg_drive SVC USER ANSWER OPS...: the driver in the background; F_BG is
# its pid, its output goes to P_DIR/bg.out. f_bg_wait collects it into
# P_OUT and P_MS.
f_bg_drive() {
	_fb_svc=$1; _fb_user=$2; _fb_ans=$3; shift 3
	: >"$P_LOGFILE"
	F_BG_T0=$(t_now_ms)
	rm -f "$P_DIR/bg.end"
	{ printf '%s\n' "$_fb_ans" | p_run_driver -c "$P_DIR" -s "$_fb_svc" "$_fb_user" "$@" \
		>"$P_DIR/bg.out" 2>&1; t_now_ms >"$P_DIR/bg.end"; } &
	F_BG=$!
}
f_bg_wait() {
	wait "$F_BG"
	P_MS=$(( $(cat "$P_DIR/bg.end") - F_BG_T0 ))
	P_OUT=$(cat "$P_DIR/bg.out")
	P_LOG=$(cat "$P_LOGFILE")
}

# ---- slapd killed in the middle of a login ----------------------------------------
p_drive fast jattorney "$F_PW" auth
t_match "sanity: login over ldaps succeeds" "^auth: PAM_SUCCESS" "$P_OUT"
kill -STOP "$RIG_PID"
f_bg_drive fast jattorney "$F_PW" auth
sleep 0.4
kill -KILL "$RIG_PID"
kill -CONT "$RIG_PID" 2>/dev/null
f_bg_wait
t_match "slapd killed during a login: PAM_AUTHINFO_UNAVAIL" "$UNAVAIL" "$P_OUT"
t_le "slapd killed during a login: within login_budget + 1 s ($P_MS ms)" "$P_MS" 3000
t_match "slapd killed during a login: the log names the server" \
	"server=\"$RIG_LDAPS_URI" "$P_LOG"
_rig_kill "$RIG_PID" "$RIG_DIR"
rig_restart || { t_fail "slapd restarts on the same data"; exit 1; }
p_drive fast jattorney "$F_PW" auth
t_match "after the restart: login succeeds" "^auth: PAM_SUCCESS" "$P_OUT"

# ---- slapd killed in the middle of a link -------------------------------------------
f_hconf link_uri "$RIG_LDAPI_URI" network_timeout 1 timeout 1
rm -f "$H_DIR/fifo"; mkfifo "$H_DIR/fifo"
h_exec "$H_BIN" <"$H_DIR/fifo" >"$H_DIR/link.out" 2>&1 &
hpid=$!
exec 7>"$H_DIR/fifo"
printf '%s\n' jattorney "$F_PW" jattorney1 "$F_EPW" >&7
i=0
while ! grep -q "Type yes to link" "$H_DIR/link.out" 2>/dev/null && [ $i -lt 100 ]; do
	sleep 0.05; i=$((i + 1))
done
t_match "link: the confirmation is reached" "Type yes to link" "$(cat "$H_DIR/link.out")"
kill -STOP "$RIG_PID"
t0=$(t_now_ms)
printf 'yes\n' >&7
sleep 0.3
kill -KILL "$RIG_PID"
kill -CONT "$RIG_PID" 2>/dev/null
wait "$hpid"; rc=$?
ms=$(( $(t_now_ms) - t0 ))
exec 7>&-
t_eq "slapd killed during the link: cmecf-link exits 5" 5 "$rc"
t_le "slapd killed during the link: it gives up within 3 s ($ms ms)" "$ms" 3000
t_match "slapd killed during the link: the message names the server" "ldapi://" "$(cat "$H_DIR/link.out")"
_rig_kill "$RIG_PID" "$RIG_DIR"
rig_restart || { t_fail "slapd restarts on the same data"; exit 1; }
legacy=$(h_linked_pacer jattorney1); pacer=$(h_pacer_links jattorney)
h_root --check --config "$H_ETC/pam_pacer.conf"
if [ -z "$legacy" ] && [ -z "$pacer" ]; then
	t_ok "after the crash: no side of the link was written"
	t_eq "after the crash: --check consistent (0)" 0 "$H_RC"
else
	# A commit that reached the database is whole, or --repair mends it.
	h_root --check --repair --config "$H_ETC/pam_pacer.conf"
	t_eq "after the crash: --check --repair mends it (0)" 0 "$H_RC"
	h_root --check --config "$H_ETC/pam_pacer.conf"
	t_eq "after the crash and repair: --check consistent (0)" 0 "$H_RC"
fi
h_in jattorney "$F_PW" jattorney1 "$F_EPW" yes
h_run
t_eq "after the crash: the link can be made (0)" 0 "$H_RC"
if _rig_alive "$RIG_PID" "$RIG_DIR"; then
	t_ok "after the link: slapd is still running"
else
	t_fail "after the link: slapd is still running" "slapd.log: $(tail -5 "$RIG_DIR/slapd.log" | tr '\n' ' ')"
	rig_restart || { t_fail "slapd restarts on the same data"; exit 1; }
fi
t_eq "after the crash: both sides written" \
	"uid=jattorney,ou=pacer,$RIG_BASE $LEGACY" "$(h_linked_pacer jattorney1) $(h_pacer_links jattorney)"

# ---- the helper against a listener that never answers, each transport -------------
for t in ldap ldaps starttls; do
	case $t in
	ldap) f_hconf uri "ldap://127.0.0.1:$BH_PORT" link_uri "ldap://127.0.0.1:$BH_PORT" \
		allow_plaintext yes network_timeout 1 timeout 1 ;;
	ldaps) f_hconf uri "ldaps://127.0.0.1:$BH_PORT" link_uri "ldaps://127.0.0.1:$BH_PORT" \
		network_timeout 1 timeout 1 ;;
	starttls) f_hconf uri "ldap://127.0.0.1:$BH_PORT" link_uri "ldap://127.0.0.1:$BH_PORT" \
		starttls yes network_timeout 1 timeout 1 ;;
	esac
	before=$(p_conns "$BH_PORT")
	h_in mlawyer "$F_PW" mlawyer7 "$F_EPW" yes
	f_ms h_run
	t_eq "black-hole link_uri ($t): cmecf-link exits 5" 5 "$H_RC"
	t_le "black-hole link_uri ($t): within 4 s ($F_MS ms)" "$F_MS" 4000
	t_le "black-hole link_uri ($t): the listener was reached" $((before + 1)) "$(p_conns "$BH_PORT")"
	t_match "black-hole link_uri ($t): the message names it" "127\.0\.0\.1:$BH_PORT" "$H_OUT"
done
t_eq "black holes: nothing linked" "" "$(h_linked_pacer mlawyer7)"

# ---- a server that answers slowly -------------------------------------------------
kill -STOP "$RIG_PID"
f_bg_drive slow-ok jattorney "$F_PW" auth acct
sleep 1
kill -CONT "$RIG_PID"
f_bg_wait
t_match "stopped 1 s, timeout 3 s: PAM_SUCCESS" "^acct: PAM_SUCCESS" "$P_OUT"
t_le "stopped 1 s: the login waited for it ($P_MS ms)" 900 "$P_MS"
t_le "stopped 1 s: and no longer than 3 s ($P_MS ms)" "$P_MS" 3000
kill -STOP "$RIG_PID"
f_bg_drive slow-over jattorney "$F_PW" auth acct
sleep 3
kill -CONT "$RIG_PID"
f_bg_wait
t_match "stopped 3 s, timeout 1 s: fails over to the second URI, PAM_SUCCESS" "^acct: PAM_SUCCESS" "$P_OUT"
t_le "stopped 3 s: the second server was tried only after the first's head start ($P_MS ms)" 100 "$P_MS"
t_le "stopped 3 s: it did not wait for the server to come back ($P_MS ms)" "$P_MS" 2900

# ---- the certificate changed under a running configuration -----------------------
if _rig_make_server_cert "$RIG_DIR" bad; then
	cp "$RIG_DIR/bad-server.crt" "$RIG_DIR/good-server.crt" &&
	cp "$RIG_DIR/bad-server.key" "$RIG_DIR/good-server.key" || t_fail "certificate swapped"
else
	t_fail "a certificate signed by the other CA is made"
fi
_rig_kill "$RIG_PID" "$RIG_DIR"
rig_restart || { t_fail "slapd restarts with the new certificate"; exit 1; }
t_match "new certificate: the server presents the other CA's" "$(openssl x509 -noout -issuer -in "$RIG_BAD_CA" | sed 's/^issuer=//; s/[^A-Za-z0-9 ]/./g')" \
	"$(echo | openssl s_client -connect "127.0.0.1:$RIG_TLS_PORT" 2>/dev/null | openssl x509 -noout -issuer 2>/dev/null)"
p_drive fast jattorney "$F_PW" auth
t_match "new certificate, ldaps: PAM_AUTHINFO_UNAVAIL" "$UNAVAIL" "$P_OUT"
t_match "new certificate, ldaps: logged as a TLS failure" "TLS|certificate" "$P_LOG"
p_drive starttls jattorney "$F_PW" auth
t_match "new certificate, StartTLS: PAM_AUTHINFO_UNAVAIL" "$UNAVAIL" "$P_OUT"
p_drive starttls-plain jattorney "$F_PW" auth
t_match "new certificate, StartTLS with allow_plaintext: PAM_AUTHINFO_UNAVAIL" "$UNAVAIL" "$P_OUT"
t_nomatch "new certificate: never falls back to plaintext" "PAM_SUCCESS" "$P_OUT"
p_drive ldapi jattorney "$F_PW" auth
t_match "new certificate: the server itself answers (ldapi succeeds)" "^auth: PAM_SUCCESS" "$P_OUT"
f_hconf uri "$RIG_LDAPS_URI" link_uri "$RIG_LDAPS_URI" network_timeout 1 timeout 1
h_in mlawyer "$F_PW" mlawyer7 "$F_EPW" yes
h_run
t_eq "new certificate: cmecf-link exits 5" 5 "$H_RC"

# ---- the invoking user's libldap configuration cannot weaken TLS ----------------
# The module runs inside programs that keep the user's environment; libldap
# would read LDAPCONF, ~/.ldaprc and LDAPTLS_* in a program that is not
# setuid, as the driver is. The impostor's certificate is from the other CA.
p_conf impostor uri "$IMP_LDAPS_URI" network_timeout 1 timeout 1 login_budget 2
p_service impostor impostor
mkdir -p "$P_DIR/home"
printf 'TLS_REQCERT never\nTLS_CACERT %s\n' "$RIG_BAD_CA" >"$P_DIR/home/.ldaprc"
printf 'TLS_REQCERT never\nTLS_CACERT %s\n' "$RIG_BAD_CA" >"$P_DIR/ldap.conf"
: >"$P_LOGFILE"
P_OUT=$(printf '%s\n' "$F_PW" | HOME="$P_DIR/home" LDAPCONF="$P_DIR/ldap.conf" \
	LDAPRC=.ldaprc LDAPTLS_REQCERT=never LDAPTLS_CACERT="$RIG_BAD_CA" \
	LD_PRELOAD="${PACER_PRELOAD:-}" "$P_DRIVER" -c "$P_DIR" -s impostor jattorney auth 2>&1)
t_match "LDAP* environment, ~/.ldaprc: the impostor is still refused" "$UNAVAIL" "$P_OUT"
t_match "LDAP* environment: control, plain libldap obeys it (ldapwhoami trusts the impostor)" "^anonymous$" \
	"$(HOME="$P_DIR/home" LDAPCONF="$P_DIR/ldap.conf" LDAPTLS_REQCERT=never \
	ldapwhoami -x -H "$IMP_LDAPS_URI" -o nettimeout=2 2>&1)"

# ---- a name resolver that never answers --------------------------------------------
# In private mount and network namespaces: /etc/resolv.conf names a server
# on 127.0.0.1:53 that reads every query and never answers, /etc/hosts lacks
# the name, and lo carries one more address (10.53.0.1) so that
# getaddrinfo's AI_ADDRCONFIG sees a configured IPv4 address, as on any
# real server, and does ask. The second URI is the other server's ldapi
# socket, reachable from any network namespace.
SINK=$T_BUILD/tests/udp_sink
if [ ! -x "$SINK" ] || [ "$T_TOP/tests/faults/udp_sink.c" -nt "$SINK" ]; then
	${CC:-cc} -O1 -Wall -Wextra -Werror -o "$SINK.$$" "$T_TOP/tests/faults/udp_sink.c" &&
		mv -f "$SINK.$$" "$SINK" || t_fail "udp_sink builds"
fi
printf 'nameserver 127.0.0.1\n' >"$P_DIR/resolv.conf"
# The host's own name stays in /etc/hosts, as a server's must: libldap
# looks it up once per process when it starts (Cyrus SASL is built in),
# outside any caller's control; docs/security.md says so. The name in the
# configuration is what must not hold a login past its budget.
printf '127.0.0.1 localhost\n127.0.1.1 %s\n' "$(hostname)" >"$P_DIR/hosts"
printf 'hosts: files dns\n' >"$P_DIR/nsswitch.conf"
p_conf resolv uri "ldaps://never-resolves.test $IMP_LDAPI_URI" \
	network_timeout 1 timeout 1 login_budget 4
p_service resolv resolv
: >"$P_LOGFILE"
P_OUT=$(printf '%s\n' "$F_PW" | timeout 60 unshare -m -n --propagation private sh -c '
	d=$1; sink=$2; shift 2
	mount --bind "$d/resolv.conf" /etc/resolv.conf &&
	mount --bind "$d/hosts" /etc/hosts &&
	mount --bind "$d/nsswitch.conf" /etc/nsswitch.conf &&
	ip link set lo up && ip addr add 10.53.0.1/32 dev lo || exit 99
	"$sink" 127.0.0.1 53 50 "$d/sink.ready" >"$d/sink.count" 2>"$d/sink.err" </dev/null &
	spid=$!
	i=0; while [ ! -s "$d/sink.ready" ] && [ $i -lt 100 ]; do sleep 0.02; i=$((i + 1)); done
	t0=$(date +%s%3N)
	LD_PRELOAD="${PACER_PRELOAD:-}" "$@"
	echo "elapsed-ms: $(( $(date +%s%3N) - t0 ))"
	kill -TERM $spid; wait $spid
	' x "$P_DIR" "$SINK" "$P_DRIVER" -c "$P_DIR" -s resolv jattorney auth acct 2>&1)
ms=$(printf '%s\n' "$P_OUT" | sed -n 's/^elapsed-ms: //p')
P_LOG=$(cat "$P_LOGFILE")
echo "# silent resolver: ${ms:-?} ms; $(printf '%s' "$P_OUT" | grep -E '^(auth|acct):' | tr '\n' ' ')"
printf '%s\n' "$P_LOG" | sed -n 's/^/# log: /p' | head -3
t_eq "the silent name server listened" ready "$(cat "$P_DIR/sink.ready" 2>/dev/null)"
t_le "silent resolver: the name server was asked" 1 "$(cat "$P_DIR/sink.count" 2>/dev/null || echo 0)"
t_match "silent resolver, second URI works: PAM_SUCCESS" "^acct: PAM_SUCCESS" "$P_OUT"
t_le "silent resolver: bounded by login_budget 4 s + 1 s (measured ${ms:-?} ms)" "${ms:-999999}" 5000

f_end t_faults
