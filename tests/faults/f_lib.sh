# tests/faults/f_lib.sh - sourced by the robustness suites (run as root).
#
# Brings together the helper suites' functions (tests/helper/common.sh:
# h_run, h_root, h_exec, h_in, h_attr...), the PAM suites' functions
# (tests/pam/pam_lib.sh: p_conf, p_service, p_drive, p_tester) and the
# two-provider rig (tests/rig/repl.sh). After rig_start or repl_start,
# f_setup makes P_DIR (PAM services, configurations, the driver's log),
# H_DIR with a setuid copy of cmecf-link and H_ETC (bound over
# /etc/security when the helper runs), all removed by rig_stop_all.
. "$(dirname "$0")/../helper/common.sh"
. "$T_TOP/tests/rig/repl.sh"
. "$T_TOP/tests/pam/pam_lib.sh"

F_PW=$RIG_PACER_PW
F_EPW=$RIG_ECF_PW

f_setup() {
	[ "$(id -u)" = 0 ] || { t_fail "suite needs root"; exit 1; }
	[ -f "$P_MODULE" ] && [ -x "$T_BUILD/cmecf-link" ] ||
		{ t_fail "build/pam_pacer.so and build/cmecf-link are built (run make)"; exit 1; }
	P_DIR=$(rig_mkdir) && rig_track_dir "$P_DIR" || exit 1
	p_build_driver || { t_fail "the PAM driver builds"; exit 1; }
	: >"$P_DIR/other"
	P_LOGFILE=$P_DIR/syslog
	DRIVER_LOG=$P_LOGFILE
	export DRIVER_LOG
	H_DIR=$(rig_mkdir) && rig_track_dir "$H_DIR" || exit 1
	H_BIN=$H_DIR/cmecf-link
	h_install "$T_BUILD/cmecf-link" "$H_BIN" || { t_fail "setuid copy"; exit 1; }
	H_ETC=$H_DIR/etc
	mkdir -m 755 "$H_ETC"
	h_varlib
	H_LOG=$H_DIR/syslog
	: >"$H_LOG"
}

# f_hconf [KEY VALUE]...: the helper's configuration (H_ETC/pam_pacer.conf).
f_hconf() { rig_write_conf "$H_ETC/pam_pacer.conf" "$@"; }

# f_ms CMD...: runs CMD in this shell, sets F_MS to its elapsed milliseconds.
f_ms() {
	_fm_t0=$(t_now_ms)
	"$@"
	F_MS=$(( $(t_now_ms) - _fm_t0 ))
}

# f_linked LOGIN [SERVER]: cmecfLinkedPacer of a legacy mnd entry on A or B.
f_linked() {
	repl_search "${2:-A}" -b "uid=$1,ou=cmecf,cn=mnd,ou=courts,$RIG_BASE" -s base \
		"(objectClass=*)" cmecfLinkedPacer 2>/dev/null | sed -n 's/^cmecfLinkedPacer: //p'
}
# f_plinks UID [SERVER]: pacerLinkedCmecf of a PACER entry on A or B.
f_plinks() {
	repl_search "${2:-A}" -b "uid=$1,ou=pacer,$RIG_BASE" -s base \
		"(objectClass=*)" pacerLinkedCmecf 2>/dev/null | sed -n 's/^pacerLinkedCmecf: //p'
}

# The whole suite's time, on one comment line.
f_end() {
	echo "# $1: $(( ($(t_now_ms) - F_T0) / 1000 )) s"
	[ "$T_FAILS" -eq 0 ]
}
F_T0=$(t_now_ms)
