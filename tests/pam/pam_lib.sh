# tests/pam/pam_lib.sh - helpers for the pam_pacer.so suites.
#
# Sourced after tests/lib.sh and tests/rig/rig.sh. pam_setup starts the
# rig (extra LDIF files as arguments), makes P_DIR (service files and
# configurations) and builds the driver (tests/pam/pam_driver.c).
#
#   p_conf NAME [KEY VALUE]...     P_DIR/NAME.conf via rig_write_conf
#   p_service NAME CONF [ARGS]...  P_DIR/NAME: auth, account and password
#                                  lines for build/pam_pacer.so with
#                                  config=P_DIR/CONF.conf and ARGS
#   p_raw NAME LINE...             P_DIR/NAME with these lines as they are
#   p_tester SVC USER ANSWERS OP...
#                                  pamtester -v under pam_wrapper; ANSWERS
#                                  (one per line) on its stdin. Sets P_OUT
#                                  (stdout and stderr) and P_RC.
#   p_run_driver ARGS...          the driver, with PACER_PRELOAD (the
#                                  sanitizer runtime of an ASan build of
#                                  the module) preloaded when set
#   p_drive SVC USER ANSWERS [DRIVER-OPTS --] OP...
#                                  the driver; sets P_OUT, P_LOG (the
#                                  syslog lines of this run) and P_MS
#                                  (elapsed milliseconds).

P_MODULE=$T_BUILD/pam_pacer.so
P_DRIVER=$T_BUILD/tests/pam_driver

# Builds the driver when missing or older than its source.
p_build_driver() {
	_pbd_src=$T_TOP/tests/pam/pam_driver.c
	if [ ! -x "$P_DRIVER" ] || [ "$_pbd_src" -nt "$P_DRIVER" ]; then
		mkdir -p "$(dirname "$P_DRIVER")" || return 1
		${CC:-cc} -O1 -g -Wall -Wextra -Werror -U_FORTIFY_SOURCE -rdynamic \
			-o "$P_DRIVER.$$" "$_pbd_src" -lpam -lpthread || return 1
		mv -f "$P_DRIVER.$$" "$P_DRIVER" || return 1
	fi
	return 0
}

pam_setup() {
	if [ ! -f "$P_MODULE" ]; then
		echo "not ok - $P_MODULE is built (run make)"
		exit 1
	fi
	if ! rig_start "$@"; then
		echo "not ok - the test directory server starts"
		exit 1
	fi
	P_DIR=$(rig_mkdir) && rig_track_dir "$P_DIR" || exit 1
	if ! p_build_driver; then
		echo "not ok - the PAM driver builds"
		exit 1
	fi
	: >"$P_DIR/other"
	P_LOGFILE=$P_DIR/syslog
	DRIVER_LOG=$P_LOGFILE	# the driver appends its syslog lines here
	export DRIVER_LOG
}

p_conf() {
	_pc_name=$1; shift
	rig_write_conf "$P_DIR/$_pc_name.conf" "$@"
}

p_service() {
	_ps_name=$1; _ps_conf=$2; shift 2
	{
		for _ps_t in auth account password session; do
			printf '%s required %s config=%s' "$_ps_t" "$P_MODULE" \
				"$P_DIR/$_ps_conf.conf"
			[ $# -gt 0 ] && printf ' %s' "$@"
			echo
		done
	} >"$P_DIR/$_ps_name"
}

p_raw() {
	_pr_name=$1; shift
	printf '%s\n' "$@" >"$P_DIR/$_pr_name"
}

p_tester() {
	_pt_svc=$1; _pt_user=$2; _pt_ans=$3; shift 3
	P_OUT=$(printf '%s\n' "$_pt_ans" |
		LD_PRELOAD="$T_PRELOAD" PAM_WRAPPER=1 \
		PAM_WRAPPER_SERVICE_DIR="$P_DIR" PAM_WRAPPER_DEBUGLEVEL=2 \
		pamtester -v "$_pt_svc" "$_pt_user" "$@" 2>&1)
	P_RC=$?
}

p_run_driver() {
	if [ -n "${PACER_PRELOAD:-}" ]; then
		LD_PRELOAD=$PACER_PRELOAD "$P_DRIVER" "$@"
	else
		"$P_DRIVER" "$@"
	fi
}

p_drive() {
	_pd_svc=$1; _pd_user=$2; _pd_ans=$3; shift 3
	_pd_opts=
	case " $* " in
	*" -- "*)
		while [ "$1" != -- ]; do _pd_opts="$_pd_opts $1"; shift; done
		shift ;;
	esac
	: >"$P_LOGFILE"
	_pd_t0=$(t_now_ms)
	# shellcheck disable=SC2086
	P_OUT=$(printf '%s\n' "$_pd_ans" |
		p_run_driver -c "$P_DIR" -s "$_pd_svc" \
		-r rhost.example.test $_pd_opts -e "$_pd_user" "$@" 2>&1)
	P_RC=$?
	P_MS=$(( $(t_now_ms) - _pd_t0 ))
	P_LOG=$(cat "$P_LOGFILE")
}

# p_no_secret NAME SECRET: SECRET appears neither in P_OUT nor in P_LOG.
p_no_secret() {
	case "$P_OUT$P_LOG" in
	*"$2"*) t_fail "$1" "the secret was printed or logged" ;;
	*) t_ok "$1" ;;
	esac
}

# Connections a listener on PORT holds (the black hole keeps every one).
p_conns() { ss -Htan "( sport = :$1 )" 2>/dev/null | grep -vc LISTEN; }
