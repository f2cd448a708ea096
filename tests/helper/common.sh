# tests/helper/common.sh - sourced by the cmecf-link suites (run as root).
#
# h_setup starts the rig, makes a setuid-root copy of the helper in a
# private directory (mode 755 path) and a configuration directory that
# h_run bind-mounts over /etc/security in a private mount namespace, so the
# installed build's fixed path reads our file and the machine's /etc is
# never touched. The helper then runs as nobody (uid 65534).
T_TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$T_TOP/tests/lib.sh"
. "$T_TOP/tests/rig/rig.sh"

H_NOBODY="setpriv --reuid=65534 --regid=65534 --clear-groups"

h_setup() {
	[ "$(id -u)" = 0 ] || { t_fail "suite needs root"; exit 1; }
	make -s -C "$T_TOP" build/cmecf-link >/dev/null || { t_fail "build"; exit 1; }
	rig_start || { t_fail "rig_start"; exit 1; }
	chmod 755 "$RIG_DIR"
	H_DIR=$(mktemp -d /tmp/cmecf-helper.XXXXXX) || exit 1
	chmod 755 "$H_DIR"
	_h_trap_dirs="$H_DIR"
	trap 'rig_stop_all; rm -rf $_h_trap_dirs' EXIT
	trap 'rig_stop_all; rm -rf $_h_trap_dirs; exit 130' INT TERM HUP
	H_BIN=$H_DIR/cmecf-link
	h_install "$T_BUILD/cmecf-link" "$H_BIN"
	H_ETC=$H_DIR/etc
	mkdir -m 755 "$H_ETC"
	h_varlib
	h_conf
	H_LOG=$H_DIR/syslog
	: >"$H_LOG"
}

# h_varlib: a /var/lib of the suite's own for every helper run (see
# tests/rig/with-syslog.sh), so the failure count starts empty and the
# host's /var/lib is never written.
h_varlib() {
	PACER_VARLIB=$H_DIR/varlib
	mkdir -m 755 "$PACER_VARLIB" || exit 1
	export PACER_VARLIB
}

# h_install SRC DST: the documented install: chown before chmod.
h_install() {
	cp "$1" "$2" && chown root:root "$2" && chmod 4755 "$2"
}

# h_conf [KEY VALUE]...: rewrites the configuration the helper will read.
h_conf() {
	rig_write_conf "$H_ETC/pam_pacer.conf" link_uri "$RIG_LDAPI_URI" "$@"
}

# h_run [ARGS]...: runs the setuid copy as nobody with the lines set by
# h_in on stdin (then forgets them), syslog to $H_LOG. Sets H_OUT (stdout
# and stderr) and H_RC. Not in a pipeline: the variables must survive.
h_run() {
	H_OUT=$(printf '%s' "${H_IN:-}" | h_exec "$H_BIN" "$@" 2>&1)
	H_RC=$?
	H_IN=
}

# h_in LINE...: the answers the next h_run reads, one per line.
h_in() { H_IN=$(printf '%s\n' "$@"; echo x); H_IN=${H_IN%x}; }

# h_exec BIN [ARGS]...: the namespace and the drop to nobody, nothing captured.
h_exec() {
	"$T_TOP/tests/rig/with-syslog.sh" "$H_LOG" \
		unshare -m --propagation private sh -c \
		'mount --bind "$1" /etc/security || exit 99; shift; exec $0 "$@"' \
		"$H_NOBODY" "$H_ETC" "$@"
}

# h_attr DN ATTR: the values of ATTR of DN, as the rootdn, one per line.
h_attr() {
	rig_search -b "$1" -s base "(objectClass=*)" "$2" 2>/dev/null |
		sed -n "s/^$2: //p"
}

# h_link_state LOGIN [COURT] [PACER]: "legacy=<cmecfLinkedPacer> pacer=<n values naming it>"
h_linked_pacer() {
	h_attr "uid=$1,ou=cmecf,cn=${2:-mnd},ou=courts,$RIG_BASE" cmecfLinkedPacer
}
h_pacer_links() {
	h_attr "uid=$1,ou=pacer,$RIG_BASE" pacerLinkedCmecf
}

# h_pacer_ldif UID CN: an upgraded individual PACER entry (Pacer-Demo-1).
h_pacer_ldif() {
	printf 'dn: uid=%s,ou=pacer,%s\nobjectClass: inetOrgPerson\nobjectClass: pacerAccount\nuid: %s\ncn: %s\nsn: Test\npacerAccountType: individual\npacerUpgraded: TRUE\nuserPassword: Pacer-Demo-1\n\n' \
		"$1" "$RIG_BASE" "$1" "$2"
}

# h_cmecf_ldif UID CN [COURT]: a legacy entry (Ecf-Demo-1).
h_cmecf_ldif() {
	printf 'dn: uid=%s,ou=cmecf,cn=%s,ou=courts,%s\nobjectClass: inetOrgPerson\nobjectClass: cmecfAccount\nuid: %s\ncn: %s\nsn: Test\nuserPassword: Ecf-Demo-1\n\n' \
		"$1" "${3:-mnd}" "$RIG_BASE" "$1" "$2"
}

# h_root ARGS...: runs the setuid copy as root (administration); sets
# H_OUT and H_RC.
h_root() {
	H_OUT=$("$T_TOP/tests/rig/with-syslog.sh" "$H_LOG" unshare -m --propagation private sh -c \
		'mount --bind "$1" /etc/security || exit 99; shift; exec "$@"' x "$H_ETC" "$H_BIN" "$@" </dev/null 2>&1)
	H_RC=$?
}
