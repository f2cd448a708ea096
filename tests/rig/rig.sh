# tests/rig/rig.sh - throwaway slapd servers for the shell suites.
#
# Sourced (POSIX sh) after tests/lib.sh:
#     . "$T_TOP/tests/lib.sh"
#     . "$T_TOP/tests/rig/rig.sh"
#     rig_start [EXTRA.ldif ...]
#
# rig_start builds, in a fresh /tmp/pacer-rig.XXXXXX directory, a throwaway
# CA and a server certificate, a second unrelated CA with a server
# certificate of its own (for wrong-CA tests), a cn=config slapd.d holding
# ldap_schema/pacer.ldif, indexes.ldif, acl.ldif and the ppolicy overlay;
# starts slapd on two free loopback ports (ldap, ldaps) and an ldapi socket,
# and loads ldap_schema/sample.ldif then the EXTRA files as the rootdn.
# It exports:
#     RIG_DIR RIG_PID RIG_PORT RIG_TLS_PORT
#     RIG_LDAP_URI RIG_LDAPS_URI RIG_LDAPI_URI
#     RIG_CA RIG_BAD_CA RIG_BASE RIG_ROOTDN RIG_ROOTPW
#     RIG_LOOKUP_PW_FILE RIG_LINK_PW_FILE  (root-owned 0600 password files)
# and, set when this file is sourced: RIG_LOOKUP_DN RIG_LINK_DN (the two
# service accounts) and the sample's passwords RIG_PACER_PW RIG_ECF_PW
# RIG_LOOKUP_PW RIG_LINK_PW. RIG_DEBUG=LEVEL (slapd -d, default "none")
# and RIG_LOGLEVEL (olcLogLevel) make slapd.log in the rig's directory
# chattier; it is removed with the directory.
#
# Other functions:
#     rig_start_impostor      a second slapd, same data, certificate signed
#                             by the other CA: IMP_DIR IMP_PID IMP_PORT
#                             IMP_TLS_PORT IMP_LDAP_URI IMP_LDAPS_URI
#                             IMP_LDAPI_URI
#     rig_ldapadd FILE|-      ldapadd as the rootdn over ldapi
#     rig_ldapmodify FILE|-   ldapmodify as the rootdn over ldapi
#     rig_search ARGS...      ldapsearch -LLL (no wrapping) as the rootdn
#     rig_write_conf FILE [KEY VALUE]...
#                             a pam_pacer.conf for this rig; each pair
#                             overrides a default line or adds one; an empty
#                             VALUE drops the key
#     rig_blackhole_start     loopback listeners that never answer (stop
#                             by themselves after 120 s): BH_PORT and the
#                             Unix socket BH_LDAPI_URI accept and hold;
#                             BH_FULL_PORT and BH_LDAPI_FULL_URI have a
#                             full queue and never accept; BH_PID;
#                             rig_blackhole_stop. Built
#                             from tests/rig/blackhole.c into
#                             build/tests/rig-blackhole on first use
#     rig_free_port           prints a loopback port nobody listens on
#     rig_slapd_launch DIR CONFIG-ARGS...
#                             low level: starts slapd with the given -F/-f
#                             arguments on DIR's ldapi socket only, waits
#                             until it answers, sets LAUNCH_PID and
#                             LAUNCH_LDAPI_URI
#     rig_mkdir               prints a new /tmp/pacer-rig.XXXXXX directory
#                             (mode 755) that rig_stop_all removes; call it
#                             as DIR=$(rig_mkdir) && rig_track_dir "$DIR"
#     rig_stop                stops the rig of RIG_PID and removes RIG_DIR
#     rig_stop_impostor       the same for IMP_PID / IMP_DIR
#     rig_stop_all            stops every server and listener started here
#                             and removes every directory made here
#     rig_pids                prints the pids started here and still alive
#
# rig_start installs "trap rig_stop_all EXIT" (and INT TERM HUP, which
# then exit). A suite that sets its own trap must call rig_stop_all in it.
# Call these functions in the suite's own shell, never in $(...) or a
# pipeline: the pids they record would be lost with the subshell.
#
# Only pids recorded here are ever signalled, and only after checking that
# the process's command line still names the rig's directory.

RIG_BASE=dc=courts,dc=test
RIG_ROOTDN=cn=admin,dc=courts,dc=test
RIG_SCHEMA_DIR=${T_TOP:?tests/lib.sh first}/ldap_schema
RIG_SYS_SCHEMA=${RIG_SYS_SCHEMA:-/etc/ldap/schema}
RIG_MODULE_DIR=${RIG_MODULE_DIR:-/usr/lib/ldap}
RIG_SLAPD=${RIG_SLAPD:-/usr/sbin/slapd}
RIG_SLAPADD=${RIG_SLAPADD:-/usr/sbin/slapadd}
RIG_LOOKUP_DN="cn=pam-lookup,ou=services,$RIG_BASE"
RIG_LINK_DN="cn=cmecf-link,ou=services,$RIG_BASE"
RIG_LOOKUP_PW=Lookup-Demo-1
RIG_LINK_PW=Link-Demo-1
RIG_PACER_PW=Pacer-Demo-1
RIG_ECF_PW=Ecf-Demo-1
export RIG_BASE RIG_ROOTDN RIG_LOOKUP_DN RIG_LINK_DN

_rig_pids=""		# every server / listener pid started here
_rig_dirs=""		# every directory made here
_rig_trap_set=""

_rig_err() { printf 'rig: %s\n' "$*" >&2; }

# Prints N random bytes as hex.
_rig_hex() { od -An -tx1 -N"$1" /dev/urandom | tr -d ' \n'; }

# Prints a random port in [20000, 60000) that no socket on this host has
# bound, listening or not.
rig_free_port() { _rig_random_free_port; }
_rig_random_free_port() {
	_rfp_i=0
	while [ "$_rfp_i" -lt 50 ]; do
		_rfp_i=$((_rfp_i + 1))
		_rfp_p=$(( $(od -An -tu2 -N2 /dev/urandom | tr -d ' ') % 40000 + 20000 ))
		if [ -z "$(ss -Htan "( sport = :$_rfp_p )" 2>/dev/null)" ]; then
			echo "$_rfp_p"
			return 0
		fi
	done
	_rig_err "no free port found"
	return 1
}

# Percent-encodes a socket path for an ldapi:// URI.
_rig_ldapi_uri() {
	printf 'ldapi://%s' "$(printf '%s' "$1" | sed -e 's/%/%25/g' -e 's,/,%2F,g' -e 's/ /%20/g' -e 's/,/%2C/g')"
}

_rig_trap() {
	[ -n "$_rig_trap_set" ] && return 0
	trap rig_stop_all EXIT
	trap 'rig_stop_all; exit 130' INT
	trap 'rig_stop_all; exit 143' TERM
	trap 'rig_stop_all; exit 129' HUP
	_rig_trap_set=1
}

# Makes a CA: DIR/NAME-ca.crt, DIR/NAME-ca.key.
_rig_make_ca() {
	openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 \
		-out "$1/$2-ca.key" 2>/dev/null &&
	openssl req -x509 -new -key "$1/$2-ca.key" -sha256 -days 2 \
		-subj "/O=pam_pacer tests/CN=$2 throwaway CA $(_rig_hex 4)" \
		-addext "basicConstraints=critical,CA:TRUE" \
		-addext "keyUsage=critical,keyCertSign,cRLSign" \
		-out "$1/$2-ca.crt" 2>/dev/null
}

# Makes a server certificate DIR/NAME-server.{crt,key} signed by CA NAME.
_rig_make_server_cert() {
	_rmsc_san="IP:127.0.0.1,DNS:localhost"
	if grep -q '^00000000000000000000000000000001 ' /proc/net/if_inet6 2>/dev/null; then
		_rmsc_san="$_rmsc_san,IP:::1"
	fi
	printf '%s\n' "basicConstraints=critical,CA:FALSE" \
		"keyUsage=critical,digitalSignature" \
		"extendedKeyUsage=serverAuth" \
		"subjectAltName=$_rmsc_san" >"$1/$2-server.ext"
	openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 \
		-out "$1/$2-server.key" 2>/dev/null &&
	openssl req -new -key "$1/$2-server.key" -subj "/O=pam_pacer tests/CN=localhost" \
		-out "$1/$2-server.csr" 2>/dev/null &&
	openssl x509 -req -in "$1/$2-server.csr" -CA "$1/$2-ca.crt" \
		-CAkey "$1/$2-ca.key" -CAcreateserial -sha256 -days 2 \
		-extfile "$1/$2-server.ext" -out "$1/$2-server.crt" 2>/dev/null &&
	chmod 600 "$1/$2-ca.key" "$1/$2-server.key" &&
	chmod 644 "$1/$2-ca.crt" "$1/$2-server.crt"
}

# Writes the cn=config LDIF of a rig in DIR whose server certificate is
# NAME-server.* and whose TLS CA file is CAFILE.
_rig_config_ldif() {
	_rcl_dir=$1; _rcl_name=$2; _rcl_ca=$3; _rcl_pw=$4
	cat <<EOF
dn: cn=config
objectClass: olcGlobal
cn: config
olcPidFile: $_rcl_dir/slapd.pid
olcArgsFile: $_rcl_dir/slapd.args
olcLogLevel: ${RIG_LOGLEVEL:-none}
olcTLSCertificateFile: $_rcl_dir/$_rcl_name-server.crt
olcTLSCertificateKeyFile: $_rcl_dir/$_rcl_name-server.key
olcTLSCACertificateFile: $_rcl_ca
olcTLSProtocolMin: 3.3

dn: cn=module{0},cn=config
objectClass: olcModuleList
cn: module{0}
olcModulePath: $RIG_MODULE_DIR
olcModuleLoad: {0}back_mdb
olcModuleLoad: {1}ppolicy

dn: cn=schema,cn=config
objectClass: olcSchemaConfig
cn: schema

EOF
	for _rcl_s in "$RIG_SYS_SCHEMA/core.ldif" "$RIG_SYS_SCHEMA/cosine.ldif" \
	    "$RIG_SYS_SCHEMA/inetorgperson.ldif" "$RIG_SCHEMA_DIR/pacer.ldif"; do
		cat "$_rcl_s" || return 1
		echo
	done
	cat <<EOF
dn: olcDatabase={-1}frontend,cn=config
objectClass: olcDatabaseConfig
objectClass: olcFrontendConfig
olcDatabase: {-1}frontend
olcAccess: {0}to dn.base="" by * read
olcAccess: {1}to dn.base="cn=Subschema" by * read

dn: olcDatabase={0}config,cn=config
objectClass: olcDatabaseConfig
olcDatabase: {0}config
olcAccess: {0}to * by dn.exact=gidNumber=0+uidNumber=0,cn=peercred,cn=external,cn=auth manage by * none

dn: olcDatabase={1}mdb,cn=config
objectClass: olcDatabaseConfig
objectClass: olcMdbConfig
olcDatabase: {1}mdb
olcSuffix: $RIG_BASE
olcDbDirectory: $_rcl_dir/db
olcRootDN: $RIG_ROOTDN
olcRootPW: $_rcl_pw
olcDbMaxSize: 268435456
olcDbNoSync: TRUE

dn: olcOverlay={0}ppolicy,olcDatabase={1}mdb,cn=config
objectClass: olcOverlayConfig
objectClass: olcPPolicyConfig
olcOverlay: {0}ppolicy
olcPPolicyDefault: cn=default,ou=policies,$RIG_BASE
olcPPolicyHashCleartext: TRUE
olcPPolicyUseLockout: TRUE
EOF
}

# Is PID alive (not a zombie) and does its command line contain TEXT?
_rig_alive() {
	[ -r "/proc/$1/cmdline" ] || return 1
	_ra_state=$(sed -n 's/^State:[[:space:]]*\([A-Z]\).*/\1/p' "/proc/$1/status" 2>/dev/null)
	[ "$_ra_state" = Z ] && return 1
	[ -z "${2:-}" ] && return 0
	{ tr '\0' ' ' <"/proc/$1/cmdline"; } 2>/dev/null | grep -qF -- "$2"
}

# Stops PID (whose command line must contain MARK): TERM, up to 5 s, KILL.
_rig_kill() {
	_rk_pid=$1; _rk_mark=$2
	[ -n "$_rk_pid" ] || return 0
	if _rig_alive "$_rk_pid" "$_rk_mark"; then
		kill -TERM "$_rk_pid" 2>/dev/null
		_rk_i=0
		while _rig_alive "$_rk_pid" "$_rk_mark" && [ "$_rk_i" -lt 100 ]; do
			sleep 0.05
			_rk_i=$((_rk_i + 1))
		done
		if _rig_alive "$_rk_pid" "$_rk_mark"; then
			_rig_err "pid $_rk_pid ignored TERM for 5 s; killing it"
			kill -KILL "$_rk_pid" 2>/dev/null
			sleep 0.05
		fi
	fi
	# Reap it if it is our child and gone; never wait on a live process
	# (one whose command line did not match is left alone).
	_rig_alive "$_rk_pid" || wait "$_rk_pid" 2>/dev/null
	_rig_pids=$(printf '%s\n' $_rig_pids | grep -vx -- "$_rk_pid:.*" | tr '\n' ' ')
	return 0
}

# Removes DIR if it is one this file made.
_rig_rmdir() {
	case "$1" in
	/tmp/pacer-rig.*) rm -rf -- "$1" ;;
	*) return 0 ;;
	esac
	_rig_dirs=$(printf '%s\n' $_rig_dirs | grep -vxF -- "$1" | tr '\n' ' ')
}

# Prints a new rig directory; rig_track_dir DIR (in the suite's own shell)
# has rig_stop_all remove it.
rig_mkdir() {
	_rmk_d=$(mktemp -d /tmp/pacer-rig.XXXXXX) || return 1
	chmod 755 "$_rmk_d" && echo "$_rmk_d"
}
rig_track_dir() {
	_rig_trap
	case "$1" in /tmp/pacer-rig.*) _rig_dirs="$_rig_dirs $1" ;; esac
}

# Starts slapd in DIR with CONFIG-ARGS (-F dir or -f file) and extra listener
# URLs in RIG_EXTRA_URLS; waits until ldapi answers. Sets LAUNCH_PID and
# LAUNCH_LDAPI_URI; returns non-zero (the server stopped) if it never did.
rig_slapd_launch() {
	_rig_trap
	_rsl_dir=$1; shift
	LAUNCH_LDAPI_URI=$(_rig_ldapi_uri "$_rsl_dir/ldapi")
	rm -f "$_rsl_dir/ldapi"
	# -d keeps slapd in the foreground, so $! is its pid.
	"$RIG_SLAPD" -d "${RIG_DEBUG:-none}" -s 0 \
		-h "${RIG_EXTRA_URLS:+$RIG_EXTRA_URLS }$LAUNCH_LDAPI_URI" \
		"$@" >>"$_rsl_dir/slapd.log" 2>&1 </dev/null &
	LAUNCH_PID=$!
	_rig_pids="$_rig_pids $LAUNCH_PID:$_rsl_dir"
	_rsl_i=0
	while [ "$_rsl_i" -lt 200 ]; do
		if [ -S "$_rsl_dir/ldapi" ] &&
		    ldapwhoami -x -H "$LAUNCH_LDAPI_URI" -o nettimeout=1 >/dev/null 2>&1; then
			return 0
		fi
		_rig_alive "$LAUNCH_PID" "$_rsl_dir" || break
		sleep 0.05
		_rsl_i=$((_rsl_i + 1))
	done
	_rig_kill "$LAUNCH_PID" "$_rsl_dir"
	return 1
}

# Builds slapd.d in DIR for a server using certificate NAME; starts it on
# free ports, retrying on a port collision. Sets _rs_port, _rs_tls_port,
# LAUNCH_PID, LAUNCH_LDAPI_URI.
_rig_build_and_launch() {
	_rbl_dir=$1; _rbl_name=$2; _rbl_ca=$3; _rbl_pw=$4
	mkdir -p "$_rbl_dir/slapd.d" "$_rbl_dir/db" || return 1
	_rig_config_ldif "$_rbl_dir" "$_rbl_name" "$_rbl_ca" "$_rbl_pw" >"$_rbl_dir/config.ldif" || return 1
	if ! "$RIG_SLAPADD" -n0 -F "$_rbl_dir/slapd.d" -l "$_rbl_dir/config.ldif" \
	    >"$_rbl_dir/slapadd.log" 2>&1; then
		_rig_err "slapadd of the configuration failed:"
		cat "$_rbl_dir/slapadd.log" >&2
		return 1
	fi
	chmod 600 "$_rbl_dir/config.ldif"
	_rbl_try=0
	while [ "$_rbl_try" -lt 5 ]; do
		_rbl_try=$((_rbl_try + 1))
		_rs_port=$(rig_free_port) || return 1
		_rs_tls_port=$(rig_free_port) || return 1
		[ "$_rs_port" = "$_rs_tls_port" ] && continue
		RIG_EXTRA_URLS="ldap://127.0.0.1:$_rs_port/ ldaps://127.0.0.1:$_rs_tls_port/"
		if rig_slapd_launch "$_rbl_dir" -F "$_rbl_dir/slapd.d"; then
			RIG_EXTRA_URLS=
			# Apply the shipped index and access files as an
			# administrator would, over ldapi as root.
			if ! { cat "$RIG_SCHEMA_DIR/indexes.ldif"; echo
			    cat "$RIG_SCHEMA_DIR/acl.ldif"; } |
			    ldapmodify -Q -Y EXTERNAL -H "$LAUNCH_LDAPI_URI" >"$_rbl_dir/acl.log" 2>&1; then
				_rig_err "applying indexes.ldif and acl.ldif failed:"
				cat "$_rbl_dir/acl.log" >&2
				_rig_kill "$LAUNCH_PID" "$_rbl_dir"
				return 1
			fi
			return 0
		fi
		RIG_EXTRA_URLS=
		if ! grep -qiE "errno=98|address already in use" "$_rbl_dir/slapd.log" 2>/dev/null; then
			_rig_err "slapd did not start:"
			tail -20 "$_rbl_dir/slapd.log" >&2
			return 1
		fi
		: >"$_rbl_dir/slapd.log"
	done
	_rig_err "slapd did not start after $_rbl_try tries"
	return 1
}

# Loads FILE (or stdin for -) into the server at LDAPI-URI as the rootdn.
_rig_load() {
	_rld_uri=$1; _rld_pw=$2; _rld_op=$3; _rld_file=$4
	if [ "$_rld_file" = - ]; then
		"$_rld_op" -x -H "$_rld_uri" -D "$RIG_ROOTDN" -w "$_rld_pw"
	else
		"$_rld_op" -x -H "$_rld_uri" -D "$RIG_ROOTDN" -w "$_rld_pw" -f "$_rld_file"
	fi
}

# The first server of a rig: directory, both CAs and certificates, slapd
# launched; sets RIG_DIR RIG_PID RIG_CA RIG_BAD_CA RIG_ROOTPW and the URIs.
# Shared by rig_start and, in tests/rig/repl.sh, repl_start.
_rig_start_primary() {
	_rig_trap
	RIG_PID=
	RIG_DIR=$(mktemp -d /tmp/pacer-rig.XXXXXX) || return 1
	_rig_dirs="$_rig_dirs $RIG_DIR"
	chmod 755 "$RIG_DIR"
	RIG_ROOTPW=rig-$(_rig_hex 12)
	if ! _rig_make_ca "$RIG_DIR" good || ! _rig_make_server_cert "$RIG_DIR" good ||
	    ! _rig_make_ca "$RIG_DIR" bad || ! _rig_make_server_cert "$RIG_DIR" bad; then
		_rig_err "making the throwaway certificates failed"
		return 1
	fi
	RIG_CA=$RIG_DIR/good-ca.crt
	RIG_BAD_CA=$RIG_DIR/bad-ca.crt
	_rig_build_and_launch "$RIG_DIR" good "$RIG_CA" "$RIG_ROOTPW" || return 1
	RIG_PID=$LAUNCH_PID
	RIG_LDAPI_URI=$LAUNCH_LDAPI_URI
	RIG_PORT=$_rs_port
	RIG_TLS_PORT=$_rs_tls_port
	RIG_LDAP_URI=ldap://127.0.0.1:$RIG_PORT
	RIG_LDAPS_URI=ldaps://127.0.0.1:$RIG_TLS_PORT
}

# Starts the rig (see the head of this file). Extra LDIF files are added
# after the sample. Returns non-zero, with the reason on stderr, on failure.
rig_start() {
	_rig_start_primary || return 1
	echo "$RIG_PID" >"$RIG_DIR/rig.pid"
	RIG_LOOKUP_PW_FILE=$RIG_DIR/lookup.pw
	RIG_LINK_PW_FILE=$RIG_DIR/link.pw
	_rig_pw_files || return 1
	export RIG_DIR RIG_PID RIG_LDAP_URI RIG_LDAPS_URI RIG_LDAPI_URI RIG_CA \
		RIG_BAD_CA RIG_ROOTPW RIG_PORT RIG_TLS_PORT RIG_LOOKUP_PW_FILE \
		RIG_LINK_PW_FILE
	for _rst_f in "$RIG_SCHEMA_DIR/sample.ldif" "$@"; do
		if ! rig_ldapadd "$_rst_f" >"$RIG_DIR/load.log" 2>&1; then
			_rig_err "loading $_rst_f failed:"
			cat "$RIG_DIR/load.log" >&2
			return 1
		fi
	done
	return 0
}

# Starts a second server with the same schema and data whose certificate
# is signed by the CA in RIG_BAD_CA. Needs rig_start first.
rig_start_impostor() {
	if [ -z "${RIG_DIR:-}" ] || [ ! -f "$RIG_DIR/bad-server.crt" ]; then
		_rig_err "rig_start_impostor: rig_start first"
		return 1
	fi
	_rig_trap
	IMP_PID=
	IMP_DIR=$(mktemp -d /tmp/pacer-rig.XXXXXX) || return 1
	_rig_dirs="$_rig_dirs $IMP_DIR"
	chmod 755 "$IMP_DIR"
	cp "$RIG_DIR/bad-server.crt" "$RIG_DIR/bad-server.key" "$RIG_DIR/bad-ca.crt" "$IMP_DIR/" || return 1
	_rsi_pw=imp-$(_rig_hex 12)
	_rig_build_and_launch "$IMP_DIR" bad "$IMP_DIR/bad-ca.crt" "$_rsi_pw" || return 1
	IMP_PID=$LAUNCH_PID
	IMP_LDAPI_URI=$LAUNCH_LDAPI_URI
	IMP_PORT=$_rs_port
	IMP_TLS_PORT=$_rs_tls_port
	IMP_LDAP_URI=ldap://127.0.0.1:$IMP_PORT
	IMP_LDAPS_URI=ldaps://127.0.0.1:$IMP_TLS_PORT
	export IMP_DIR IMP_PID IMP_PORT IMP_TLS_PORT IMP_LDAP_URI IMP_LDAPS_URI IMP_LDAPI_URI
	if ! _rig_load "$IMP_LDAPI_URI" "$_rsi_pw" ldapadd "$RIG_SCHEMA_DIR/sample.ldif" \
	    >"$IMP_DIR/load.log" 2>&1; then
		_rig_err "loading the sample into the impostor failed:"
		cat "$IMP_DIR/load.log" >&2
		return 1
	fi
	return 0
}

rig_ldapadd() { _rig_load "$RIG_LDAPI_URI" "$RIG_ROOTPW" ldapadd "${1:--}"; }
rig_ldapmodify() { _rig_load "$RIG_LDAPI_URI" "$RIG_ROOTPW" ldapmodify "${1:--}"; }
rig_search() {
	ldapsearch -LLL -o ldif-wrap=no -x -H "$RIG_LDAPI_URI" -D "$RIG_ROOTDN" -w "$RIG_ROOTPW" "$@"
}

# (Re)creates the service accounts' password files, root-owned, mode 0600,
# one line each.
_rig_pw_files() {
	( umask 077
	  printf '%s\n' "$RIG_LOOKUP_PW" >"$RIG_LOOKUP_PW_FILE" &&
	  printf '%s\n' "$RIG_LINK_PW" >"$RIG_LINK_PW_FILE" ) || return 1
	chown 0:0 "$RIG_LOOKUP_PW_FILE" "$RIG_LINK_PW_FILE" 2>/dev/null
	chmod 600 "$RIG_LOOKUP_PW_FILE" "$RIG_LINK_PW_FILE"
}

# Writes a pam_pacer.conf for the running rig to FILE; then KEY VALUE pairs
# replace the default line of KEY (or are added); an empty VALUE drops KEY.
rig_write_conf() {
	_rwc_file=$1; shift
	if [ ! -f "$RIG_LOOKUP_PW_FILE" ] || [ ! -f "$RIG_LINK_PW_FILE" ]; then
		_rig_pw_files || return 1
	fi
	_rwc_tmp="$_rwc_file.tmp.$$"
	{
		echo "# pam_pacer.conf for the test rig in $RIG_DIR"
		printf 'uri %s\n' "$RIG_LDAPI_URI"
		printf 'base %s\n' "$RIG_BASE"
		printf 'tls_cacert %s\n' "$RIG_CA"
		printf 'binddn %s\n' "$RIG_LOOKUP_DN"
		printf 'bindpw_file %s\n' "$RIG_LOOKUP_PW_FILE"
		printf 'link_binddn %s\n' "$RIG_LINK_DN"
		printf 'link_bindpw_file %s\n' "$RIG_LINK_PW_FILE"
		echo "court mnd"
		echo "network_timeout 2"
		echo "timeout 2"
		echo "login_budget 4"
	} >"$_rwc_tmp" || return 1
	while [ $# -ge 2 ]; do
		# Drop the default line of this key, then add the override.
		awk -v k="$1" '$1 != k' "$_rwc_tmp" >"$_rwc_tmp.2" && mv "$_rwc_tmp.2" "$_rwc_tmp" || return 1
		[ -n "$2" ] && printf '%s %s\n' "$1" "$2" >>"$_rwc_tmp"
		shift 2
	done
	if [ $# -ne 0 ]; then
		_rig_err "rig_write_conf: key '$1' has no value"
		rm -f "$_rwc_tmp"
		return 1
	fi
	chmod 644 "$_rwc_tmp" && mv "$_rwc_tmp" "$_rwc_file"
}

# Builds the black-hole listener once (in build/tests), atomically.
_rig_blackhole_bin() {
	_rbb_src=$T_TOP/tests/rig/blackhole.c
	_rbb_bin=${T_BUILD:-$T_TOP/build}/tests/rig-blackhole
	if [ ! -x "$_rbb_bin" ] || [ "$_rbb_src" -nt "$_rbb_bin" ]; then
		mkdir -p "$(dirname "$_rbb_bin")" || return 1
		${CC:-cc} -O1 -Wall -Wextra -Werror -o "$_rbb_bin.$$" "$_rbb_src" || return 1
		mv -f "$_rbb_bin.$$" "$_rbb_bin" || return 1
	fi
	echo "$_rbb_bin"
}

# Starts a listener on 127.0.0.1 that accepts and never answers; it exits
# by itself after 120 s. Sets BH_PORT and BH_PID.
rig_blackhole_start() {
	_rig_trap
	_rbs_bin=$(_rig_blackhole_bin) || { _rig_err "cannot build the black-hole listener"; return 1; }
	_rbs_dir=$(mktemp -d /tmp/pacer-rig.XXXXXX) || return 1
	_rig_dirs="$_rig_dirs $_rbs_dir"
	"$_rbs_bin" 120 "$_rbs_dir/port" </dev/null >/dev/null 2>"$_rbs_dir/err" &
	BH_PID=$!
	_rig_pids="$_rig_pids $BH_PID:$_rbs_dir"
	_rbs_i=0
	while [ ! -s "$_rbs_dir/port" ] && [ "$_rbs_i" -lt 100 ]; do
		sleep 0.02
		_rbs_i=$((_rbs_i + 1))
	done
	BH_PORT=$(cat "$_rbs_dir/port" 2>/dev/null)
	BH_FULL_PORT=$(cat "$_rbs_dir/port.full" 2>/dev/null)
	BH_LDAPI_URI=$(_rig_ldapi_uri "$_rbs_dir/ldapi")
	BH_LDAPI_FULL_URI=$(_rig_ldapi_uri "$_rbs_dir/ldapi-full")
	BH_DIR=$_rbs_dir
	if [ -z "$BH_PORT" ]; then
		_rig_err "the black-hole listener did not start: $(cat "$_rbs_dir/err")"
		_rig_kill "$BH_PID" "$_rbs_dir"
		return 1
	fi
	export BH_PORT BH_PID BH_FULL_PORT BH_LDAPI_URI BH_LDAPI_FULL_URI
	return 0
}

rig_blackhole_stop() {
	[ -n "${BH_PID:-}" ] && _rig_kill "$BH_PID" "$BH_DIR"
	[ -n "${BH_DIR:-}" ] && _rig_rmdir "$BH_DIR"
	BH_PID=; BH_PORT=; BH_DIR=; BH_FULL_PORT=; BH_LDAPI_URI=
	BH_LDAPI_FULL_URI=
}

rig_stop() {
	[ -n "${RIG_PID:-}" ] && _rig_kill "$RIG_PID" "$RIG_DIR"
	[ -n "${RIG_DIR:-}" ] && _rig_rmdir "$RIG_DIR"
	RIG_PID=; RIG_DIR=
	return 0
}

rig_stop_impostor() {
	[ -n "${IMP_PID:-}" ] && _rig_kill "$IMP_PID" "$IMP_DIR"
	[ -n "${IMP_DIR:-}" ] && _rig_rmdir "$IMP_DIR"
	IMP_PID=; IMP_DIR=
	return 0
}

rig_stop_all() {
	for _rsa_e in $_rig_pids; do
		_rig_kill "${_rsa_e%%:*}" "${_rsa_e#*:}"
	done
	for _rsa_d in $_rig_dirs; do
		_rig_rmdir "$_rsa_d"
	done
	RIG_PID=; RIG_DIR=; IMP_PID=; IMP_DIR=; BH_PID=; BH_DIR=
	return 0
}

# Prints the recorded pids that are still running.
rig_pids() {
	for _rp_e in $_rig_pids; do
		_rig_alive "${_rp_e%%:*}" "${_rp_e#*:}" && echo "${_rp_e%%:*}"
	done
	return 0
}
