# tests/rig/repl.sh - two throwaway slapd providers replicating each other,
# and restarting a rig's server on the same data.
#
# Sourced (POSIX sh) after tests/lib.sh and tests/rig/rig.sh:
#     . "$T_TOP/tests/rig/repl.sh"
#     repl_start [EXTRA.ldif ...]
#
# repl_start builds provider A exactly as rig_start builds its server (same
# certificates, schema, indexes, ACLs, ppolicy) and a second server B in a
# directory of its own with the same certificate and root password. Both
# get the syncprov overlay, olcServerID 1 and 2, olcMultiProvider TRUE and
# an olcSyncrepl (refreshAndPersist, retry every second) on dc=courts,dc=test
# pointing at the other over ldap:// on loopback, bound as the rootdn. The
# sample (and EXTRA) is then loaded into A only, and repl_start waits until
# B holds every entry A holds.
# It exports everything rig_start exports (RIG_* naming A), and:
#     REPL_A_* = RIG_* of A (PID PORT TLS_PORT LDAP_URI LDAPS_URI LDAPI_URI DIR)
#     REPL_B_DIR REPL_B_PID REPL_B_PORT REPL_B_TLS_PORT
#     REPL_B_LDAP_URI REPL_B_LDAPS_URI REPL_B_LDAPI_URI
#
# Other functions:
#     repl_stop A|B           stops that provider (TERM, then KILL), keeps
#                             its data
#     repl_kill A|B           SIGKILL, keeps its data
#     repl_restart A|B        starts it again on its ports and its data
#     repl_search A|B ARGS... ldapsearch -LLL as the rootdn on that server
#     repl_wait_same DN ATTR [SECONDS]
#                             waits (bounded, default 10 s) until ATTR of DN
#                             reads the same on A and B; returns non-zero
#                             when it never did
#     rig_restart             starts the rig of rig_start again on RIG_DIR's
#                             slapd.d and database, same ports; sets RIG_PID
#
# Every server started here is recorded with rig.sh's list, so
# rig_stop_all (its EXIT trap) stops it. Call these functions in the
# suite's own shell, never in $(...) or a pipeline.

# Percent-free ldap URL of a port.
_repl_url() { printf 'ldap://127.0.0.1:%s/ ldaps://127.0.0.1:%s/' "$1" "$2"; }

# The replication configuration of a server (ldapmodify input): module,
# server id, overlay, consumer of PEER-PORT.
_repl_config() {
	_rc_sid=$1; _rc_peer=$2
	cat <<EOF
dn: cn=module{0},cn=config
changetype: modify
add: olcModuleLoad
olcModuleLoad: syncprov

dn: cn=config
changetype: modify
replace: olcServerID
olcServerID: $_rc_sid

dn: olcOverlay=syncprov,olcDatabase={1}mdb,cn=config
changetype: add
objectClass: olcOverlayConfig
objectClass: olcSyncProvConfig
olcOverlay: syncprov
olcSpCheckpoint: 10 1

dn: olcDatabase={1}mdb,cn=config
changetype: modify
add: olcSyncrepl
olcSyncrepl: rid=00$_rc_sid provider=ldap://127.0.0.1:$_rc_peer/ binddn="$RIG_ROOTDN" bindmethod=simple credentials="$RIG_ROOTPW" searchbase="$RIG_BASE" type=refreshAndPersist retry="1 +" timeout=2 network-timeout=1 keepalive=5:2:1
-
replace: olcMultiProvider
olcMultiProvider: TRUE
EOF
}

# Applies the replication configuration to the server at LDAPI-URI.
_repl_apply() {
	_repl_config "$2" "$3" |
		ldapmodify -Q -Y EXTERNAL -H "$1" >"$4/repl.log" 2>&1 || {
		_rig_err "replication configuration failed:"
		cat "$4/repl.log" >&2
		return 1
	}
}

repl_start() {
	_rig_start_primary || return 1

	REPL_B_DIR=$(mktemp -d /tmp/pacer-rig.XXXXXX) || return 1
	_rig_dirs="$_rig_dirs $REPL_B_DIR"
	chmod 755 "$REPL_B_DIR"
	cp "$RIG_DIR/good-server.crt" "$RIG_DIR/good-server.key" "$RIG_DIR/good-ca.crt" \
		"$REPL_B_DIR/" || return 1
	_rig_build_and_launch "$REPL_B_DIR" good "$REPL_B_DIR/good-ca.crt" "$RIG_ROOTPW" || return 1
	REPL_B_PID=$LAUNCH_PID
	REPL_B_LDAPI_URI=$LAUNCH_LDAPI_URI
	REPL_B_PORT=$_rs_port
	REPL_B_TLS_PORT=$_rs_tls_port
	REPL_B_LDAP_URI=ldap://127.0.0.1:$REPL_B_PORT
	REPL_B_LDAPS_URI=ldaps://127.0.0.1:$REPL_B_TLS_PORT

	_repl_apply "$RIG_LDAPI_URI" 1 "$REPL_B_PORT" "$RIG_DIR" || return 1
	_repl_apply "$REPL_B_LDAPI_URI" 2 "$RIG_PORT" "$REPL_B_DIR" || return 1

	RIG_LOOKUP_PW_FILE=$RIG_DIR/lookup.pw
	RIG_LINK_PW_FILE=$RIG_DIR/link.pw
	_rig_pw_files || return 1
	_repl_export
	for _rps_f in "$RIG_SCHEMA_DIR/sample.ldif" "$@"; do
		if ! rig_ldapadd "$_rps_f" >"$RIG_DIR/load.log" 2>&1; then
			_rig_err "loading $_rps_f failed:"
			cat "$RIG_DIR/load.log" >&2
			return 1
		fi
	done
	# B must hold what A holds before the suite starts.
	_rps_i=0
	_rps_want=$(repl_count A)
	while [ "$_rps_i" -lt 200 ]; do
		[ "$(repl_count B)" = "$_rps_want" ] && return 0
		sleep 0.05
		_rps_i=$((_rps_i + 1))
	done
	_rig_err "B did not replicate A's $_rps_want entries within 10 s (has $(repl_count B))"
	return 1
}

_repl_export() {
	echo "$RIG_PID" >"$RIG_DIR/rig.pid"
	REPL_A_DIR=$RIG_DIR REPL_A_PID=$RIG_PID REPL_A_PORT=$RIG_PORT
	REPL_A_TLS_PORT=$RIG_TLS_PORT REPL_A_LDAP_URI=$RIG_LDAP_URI
	REPL_A_LDAPS_URI=$RIG_LDAPS_URI REPL_A_LDAPI_URI=$RIG_LDAPI_URI
	export RIG_DIR RIG_PID RIG_LDAP_URI RIG_LDAPS_URI RIG_LDAPI_URI RIG_CA \
		RIG_BAD_CA RIG_ROOTPW RIG_PORT RIG_TLS_PORT RIG_LOOKUP_PW_FILE \
		RIG_LINK_PW_FILE REPL_A_DIR REPL_A_PID REPL_A_PORT REPL_A_TLS_PORT \
		REPL_A_LDAP_URI REPL_A_LDAPS_URI REPL_A_LDAPI_URI REPL_B_DIR \
		REPL_B_PID REPL_B_PORT REPL_B_TLS_PORT REPL_B_LDAP_URI \
		REPL_B_LDAPS_URI REPL_B_LDAPI_URI
}

# Prints the directory, pid, ldap port, ldaps port of A or B.
_repl_which() {
	case "$1" in
	A) echo "$RIG_DIR ${RIG_PID:--} $RIG_PORT $RIG_TLS_PORT" ;;
	B) echo "$REPL_B_DIR ${REPL_B_PID:--} $REPL_B_PORT $REPL_B_TLS_PORT" ;;
	*) _rig_err "repl: A or B, not '$1'"; return 1 ;;
	esac
}

repl_search() {
	_rs_w=$1; shift
	case "$_rs_w" in A) _rs_u=$RIG_LDAPI_URI ;; *) _rs_u=$REPL_B_LDAPI_URI ;; esac
	ldapsearch -LLL -o ldif-wrap=no -o nettimeout=2 -l 5 -x -H "$_rs_u" \
		-D "$RIG_ROOTDN" -w "$RIG_ROOTPW" "$@"
}

# Number of entries under the suffix on A or B.
repl_count() {
	repl_search "$1" -b "$RIG_BASE" "(objectClass=*)" 1.1 2>/dev/null | grep -c '^dn:'
}

repl_wait_same() {
	_rws_dn=$1; _rws_attr=$2; _rws_n=$(( ${3:-10} * 20 ))
	_rws_i=0
	while [ "$_rws_i" -lt "$_rws_n" ]; do
		_rws_a=$(repl_search A -b "$_rws_dn" -s base "(objectClass=*)" "$_rws_attr" 2>/dev/null | sort)
		_rws_b=$(repl_search B -b "$_rws_dn" -s base "(objectClass=*)" "$_rws_attr" 2>/dev/null | sort)
		[ -n "$_rws_a" ] && [ "$_rws_a" = "$_rws_b" ] && return 0
		sleep 0.05
		_rws_i=$((_rws_i + 1))
	done
	return 1
}

repl_stop() {
	set -- $(_repl_which "$1") "$1" || return 1
	[ "$2" != - ] && _rig_kill "$2" "$1"
	case "$5" in A) RIG_PID= ;; B) REPL_B_PID= ;; esac
	return 0
}

repl_kill() {
	set -- $(_repl_which "$1") "$1" || return 1
	if [ "$2" != - ] && _rig_alive "$2" "$1"; then
		kill -KILL "$2" 2>/dev/null
		_rk2_i=0
		while _rig_alive "$2" "$1" && [ "$_rk2_i" -lt 100 ]; do
			sleep 0.02
			_rk2_i=$((_rk2_i + 1))
		done
		_rig_kill "$2" "$1"	# reaps it and forgets the pid
	fi
	case "$5" in A) RIG_PID= ;; B) REPL_B_PID= ;; esac
	return 0
}

# Starts DIR's slapd.d again on ldap PORT and ldaps TLS-PORT; sets
# LAUNCH_PID. Retries for a while when the ports are not free yet.
_repl_relaunch() {
	_rr_i=0
	while [ "$_rr_i" -lt 20 ]; do
		RIG_EXTRA_URLS=$(_repl_url "$2" "$3")
		if rig_slapd_launch "$1" -F "$1/slapd.d"; then
			RIG_EXTRA_URLS=
			return 0
		fi
		RIG_EXTRA_URLS=
		sleep 0.25
		_rr_i=$((_rr_i + 1))
	done
	_rig_err "slapd in $1 did not start again:"
	tail -5 "$1/slapd.log" >&2
	return 1
}

repl_restart() {
	set -- $(_repl_which "$1") "$1" || return 1
	_repl_relaunch "$1" "$3" "$4" || return 1
	case "$5" in
	A) RIG_PID=$LAUNCH_PID ;;
	B) REPL_B_PID=$LAUNCH_PID ;;
	esac
	_repl_export
}

rig_restart() {
	_repl_relaunch "$RIG_DIR" "$RIG_PORT" "$RIG_TLS_PORT" || return 1
	RIG_PID=$LAUNCH_PID
	echo "$RIG_PID" >"$RIG_DIR/rig.pid"
	export RIG_PID
}
