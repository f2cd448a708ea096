#!/bin/sh
# bench/run.sh - pam_pacer's costs beside the floor (docs/performance.md).
#
#   sh bench/run.sh        (as root; `make bench` builds first and runs it)
#
# Starts a throwaway slapd (tests/rig/rig.sh), loads 100,000 PACER accounts
# and 50,000 legacy accounts of two courts with slapadd, links the first
# BENCH_LINKED of them (both sides), and measures:
#   - logins through PAM in one process (build/bench/driver) with
#     pam_pacer.so (auth; auth + account with efile) and with pam_permit.so,
#     beside the bare libldap floor (build/bench/floor), interleaved, for
#     ldapi, ldaps and StartTLS, with 1 and 8 workers;
#   - failover with a dead first URI (closed port, a listener that never
#     answers, a port whose SYNs are dropped) beside a healthy login;
#   - pamtester per login, pam_pacer.so against pam_permit.so, over ldapi;
#   - libldap's per-process start-up (build/bench/initcost);
#   - cmecf-link: one link, one declined link, --report;
# then the same module and floor cells on a directory of 1,000 accounts.
# Prints a table, then "RESULT name value" lines. Every server it starts
# is stopped on exit.
#
# Knobs: BENCH_N (logins per cell, default 2000), BENCH_ROUNDS (interleaved
# chunks per cell, 8), BENCH_BIG (100000), BENCH_SMALL (1000), BENCH_LINKED
# (2000), BENCH_PT (pamtester runs per side, 100).
set -u
# cmecf-link keeps its failure count under /var/lib/cmecf-link: this run
# gets an empty /var/lib of its own (a private mount namespace), so the
# host's is never written.
if [ -z "${PACER_OWN_VARLIB:-}" ]; then
	PACER_OWN_VARLIB=1 exec unshare -m --propagation private sh -c \
		'mount -t tmpfs -o mode=755,size=16m pacer-varlib /var/lib &&
		exec sh "$@"' sh "$0" "$@"
fi
T_TOP=$(cd "$(dirname "$0")/.." && pwd)
. "$T_TOP/tests/lib.sh"
. "$T_TOP/tests/rig/rig.sh"

B=$T_BUILD
BB=$B/bench
N=${BENCH_N:-2000}
ROUNDS=${BENCH_ROUNDS:-8}
BIG=${BENCH_BIG:-100000}
SMALL=${BENCH_SMALL:-1000}
LINKED=${BENCH_LINKED:-2000}
PT=${BENCH_PT:-100}
LIMIT_MS=${BENCH_LIMIT_MS:-3000}
PW=Bench-Pw-1
PAM_PERMIT=pam_permit.so

die() { printf 'bench: %s\n' "$*" >&2; exit 1; }
say() { printf '%s\n' "$*" >&2; }

[ "$(id -u)" = 0 ] || die "run as root (slapadd, cmecf-link --config, namespaces)"
[ -f "$B/pam_pacer.so" ] && [ -x "$B/cmecf-link" ] || die "build first: make all"

# ---- build the bench programs ------------------------------------------
mkdir -p "$BB" || die "mkdir $BB"
BFLAGS="-O2 -Wall -Wextra -Werror -Icommon $(pkg-config --cflags --libs ldap lber pam)"
(
	cd "$T_TOP" || exit 1
	for p in driver floor; do
		cc -o "$BB/$p" "bench/$p.c" bench/harness.c $BFLAGS -lpthread || exit 1
	done
	for p in initcost synsink; do
		cc -o "$BB/$p" "bench/$p.c" $BFLAGS || exit 1
	done
	cc -O2 -Wall -Wextra -Werror -shared -fPIC -o "$BB/nolog.so" bench/nolog.c || exit 1
) || die "building bench/ failed"


W=$(mktemp -d /tmp/pacer-bench.XXXXXX) || die "mktemp"
chmod 755 "$W"
_rig_trap	# the rig's traps first, then ours over them (ours calls rig_stop_all)
trap 'rig_stop_all; [ -n "${SS_PID:-}" ] && kill "$SS_PID" 2>/dev/null; rm -rf "$W"' EXIT
trap 'exit 130' INT TERM HUP
RES=$W/results			# "RESULT name value" lines, printed at the end
TAB=$W/table			# the human-readable rows
: >"$RES"; : >"$TAB"
result() { printf 'RESULT %s %s\n' "$1" "$2" >>"$RES"; }
now_ns() { date +%s%N; }

# ---- the directory -------------------------------------------------------
# big_rig NPACER NLEGACY: a rig whose directory holds the sample plus the
# generated accounts, loaded offline with slapadd.
big_rig() {
	rig_start || die "rig_start failed"
	ldapmodify -Q -Y EXTERNAL -H "$RIG_LDAPI_URI" >/dev/null <<EOF || die "olcDbMaxSize"
dn: olcDatabase={1}mdb,cn=config
changetype: modify
replace: olcDbMaxSize
olcDbMaxSize: 4294967296
EOF
	_hash=$(slappasswd -h '{SSHA}' -s "$PW") || die "slappasswd"
	# Linked pairs need their mnd legacy entry (a quarter of the legacy
	# accounts are mnd's); leave room for the helper's pairs after them.
	LINKED_NOW=$LINKED
	[ "$LINKED_NOW" -le $(($2 / 2 - 20)) ] || LINKED_NOW=$(($2 / 4))
	_t0=$(now_ns)
	awk -v base="$RIG_BASE" -v npacer="$1" -v nlegacy="$2" -v nlinked="$LINKED_NOW" \
	    -v hash="$_hash" -f "$T_TOP/bench/gen.awk" </dev/null >"$W/big.ldif" ||
		die "generating the LDIF failed"
	_rig_kill "$RIG_PID" "$RIG_DIR"
	"$RIG_SLAPADD" -q -F "$RIG_DIR/slapd.d" -b "$RIG_BASE" -l "$W/big.ldif" \
	    >"$W/slapadd.log" 2>&1 || { cat "$W/slapadd.log" >&2; die "slapadd failed"; }
	RIG_EXTRA_URLS="ldap://127.0.0.1:$RIG_PORT/ ldaps://127.0.0.1:$RIG_TLS_PORT/"
	rig_slapd_launch "$RIG_DIR" -F "$RIG_DIR/slapd.d" || die "slapd did not restart"
	RIG_EXTRA_URLS=
	RIG_PID=$LAUNCH_PID
	_t1=$(now_ns)
	say "loaded $1 PACER + $2 legacy accounts in $(( (_t1 - _t0) / 1000000 )) ms"
	rm -f "$W/big.ldif"
	awk -v n="$1" 'BEGIN { for (i = 1; i <= n; i++) printf "pu%06d\n", i }' >"$W/users.all"
	awk -v n="$LINKED_NOW" -v m="$1" 'BEGIN { if (n > m) n = m
		for (i = 1; i <= n; i++) printf "pu%06d\n", i }' >"$W/users.linked"
	_c=$(rig_search -b "ou=pacer,$RIG_BASE" -s one '(objectClass=pacerAccount)' 1.1 | grep -c '^dn:')
	[ "$_c" -ge "$1" ] || die "only $_c PACER entries after the load"
	# A server that has been serving has its database mapped in; one
	# that has just been loaded has not, and its first reads of each page
	# would land in the cells' tails. Read every entry once.
	_t0=$(now_ns)
	rig_search -b "$RIG_BASE" '(objectClass=*)' '*' >/dev/null || die "warm-up read failed"
	say "read every entry once (warm-up) in $(( ($(now_ns) - _t0) / 1000000 )) ms"
}

# ---- PAM services and configurations -----------------------------------
setup_services() {
	mkdir -p "$W/pam.d" "$W/conf"
	rig_write_conf "$W/conf/ldapi" || die "conf"
	rig_write_conf "$W/conf/ldaps" uri "$RIG_LDAPS_URI" || die "conf"
	rig_write_conf "$W/conf/starttls" uri "$RIG_LDAP_URI" starttls yes || die "conf"
	for t in ldapi ldaps starttls; do
		printf 'auth required %s config=%s\naccount required %s config=%s efile\n' \
		    "$B/pam_pacer.so" "$W/conf/$t" "$B/pam_pacer.so" "$W/conf/$t" \
		    >"$W/pam.d/pacer-$t"
	done
	printf 'auth required %s\naccount required %s\n' "$PAM_PERMIT" "$PAM_PERMIT" \
	    >"$W/pam.d/permit"
}

# ---- cells ----------------------------------------------------------------
# A cell is one program and one setting; its latencies go to $W/lat/CELL,
# its BENCH lines to $W/lat/CELL.out. run_chunk CELL COUNT WORKERS CMD...
run_chunk() {
	_cell=$1; _n=$2; _w=$3; shift 3
	"$@" -n "$_n" -w "$_w" -W 10 -T "$LIMIT_MS" -S "$(( $(od -An -tu2 -N2 /dev/urandom) + 1 ))" \
	    -l "$_cell" -o "$W/lat/$_cell" >>"$W/lat/$_cell.out" 2>>"$W/lat/$_cell.err"
	_rc=$?
	if [ "$_rc" -ne 0 ]; then
		say "FAILED: $_cell (exit $_rc): $(tail -1 "$W/lat/$_cell.err")"
		echo "$_cell" >>"$W/failed"
	fi
}

# stats CELL: prints "n rate median_ms p99_ms" over every chunk of CELL.
stats() {
	_n=$(wc -l <"$W/lat/$1")
	_wall=$(sed -n 's/.* busy_us=\([0-9]*\).*/\1/p' "$W/lat/$1.out" | awk '{ s += $1 } END { print s }')
	sort -n "$W/lat/$1" | awk -v n="$_n" -v wall="$_wall" '
		{ v[NR] = $1 }
		END {
			m = int(0.5 * n + 0.999999); p = int(0.99 * n + 0.999999)
			if (m < 1) m = 1; if (p < 1) p = 1
			r = 0
			if (wall > 0) r = n * 1e6 / wall
			printf "%d %.1f %.3f %.3f\n", n, r, v[m] / 1000, v[p] / 1000
		}'
}
field() { stats "$1" | awk -v f="$2" '{ print $f }'; }

# The PAM cells run with a syslog daemon on /dev/log, as on a server (the
# module logs one line per call; without a daemon glibc would try to
# connect for every line). tests/rig/with-syslog.sh gives the driver one
# of its own in a private mount namespace; the lines go to $W/syslog.
with_syslog() {
	"$T_TOP/tests/rig/with-syslog.sh" "$W/syslog" "$@"
	_ws_rc=$?
	: >"$W/syslog"
	return "$_ws_rc"
}
drv() { with_syslog "$BB/driver" -c "$W/pam.d" -P "$PW" "$@"; }
# The same driver with the log lines dropped (bench/nolog.c): what the
# logging contract costs, shown beside the module, never instead of it.
drv_nolog() {
	with_syslog env LD_PRELOAD="$BB/nolog.so" "$BB/driver" -c "$W/pam.d" -P "$PW" "$@"
}
flr() { "$BB/floor" -b "ou=pacer,$RIG_BASE" -P "$PW" "$@"; }

# cells SIZE: every module, permit and floor cell, interleaved by round.
cells() {
	_size=$1
	_chunk=$(( N / ROUNDS ))
	for w in 1 8; do
		r=0
		while [ "$r" -lt "$ROUNDS" ]; do
			r=$((r + 1))
			run_chunk "permit_auth_${_size}_w$w" "$_chunk" "$w" \
			    drv -s permit -u "$W/users.all"
			run_chunk "permit_authacct_${_size}_w$w" "$_chunk" "$w" \
			    drv -s permit -a -u "$W/users.linked"
			for t in ldapi ldaps starttls; do
				case $t in
				ldapi) set -- -H "$RIG_LDAPI_URI" ;;
				ldaps) set -- -H "$RIG_LDAPS_URI" -C "$RIG_CA" ;;
				starttls) set -- -H "$RIG_LDAP_URI" -Z -C "$RIG_CA" ;;
				esac
				run_chunk "floor_${t}_${_size}_w$w" "$_chunk" "$w" \
				    flr "$@" -u "$W/users.all"
				run_chunk "auth_${t}_${_size}_w$w" "$_chunk" "$w" \
				    drv -s "pacer-$t" -u "$W/users.all"
				run_chunk "authacct_${t}_${_size}_w$w" "$_chunk" "$w" \
				    drv -s "pacer-$t" -a -u "$W/users.linked"
				[ "$t" = ldapi ] && [ "$w" = 1 ] || continue
				run_chunk "nolog_auth_${t}_${_size}_w$w" "$_chunk" "$w" \
				    drv_nolog -s "pacer-$t" -u "$W/users.all"
				run_chunk "nolog_authacct_${t}_${_size}_w$w" "$_chunk" "$w" \
				    drv_nolog -s "pacer-$t" -a -u "$W/users.linked"
			done
		done
	done
}

# table SIZE: rows of the table for one directory size.
table() {
	_size=$1
	for w in 1 8; do
		pa=$(field "permit_auth_${_size}_w$w" 3)
		paa=$(field "permit_authacct_${_size}_w$w" 3)
		printf '%-8s %2s %-9s %-22s %8s %9s %8s\n' "$_size" "$w" "-" "pam_permit auth" \
		    "$(field "permit_auth_${_size}_w$w" 2)" "$pa" "$(field "permit_auth_${_size}_w$w" 4)" >>"$TAB"
		printf '%-8s %2s %-9s %-22s %8s %9s %8s\n' "$_size" "$w" "-" "pam_permit auth+acct" \
		    "$(field "permit_authacct_${_size}_w$w" 2)" "$paa" "$(field "permit_authacct_${_size}_w$w" 4)" >>"$TAB"
		for t in ldapi ldaps starttls; do
			fm=$(field "floor_${t}_${_size}_w$w" 3)
			am=$(field "auth_${t}_${_size}_w$w" 3)
			aam=$(field "authacct_${t}_${_size}_w$w" 3)
			fr=$(field "floor_${t}_${_size}_w$w" 2)
			ar=$(field "auth_${t}_${_size}_w$w" 2)
			aar=$(field "authacct_${t}_${_size}_w$w" 2)
			ra=$(awk -v a="$am" -v p="$pa" -v f="$fm" 'BEGIN { printf "%.2f", (a - p) / f }')
			raa=$(awk -v a="$aam" -v p="$paa" -v f="$fm" 'BEGIN { printf "%.2f", (a - p) / f }')
			rta=$(awk -v a="$ar" -v f="$fr" 'BEGIN { printf "%.2f", f / a }')
			rtaa=$(awk -v a="$aar" -v f="$fr" 'BEGIN { printf "%.2f", f / a }')
			printf '%-8s %2s %-9s %-22s %8s %9s %8s\n' "$_size" "$w" "$t" "floor" \
			    "$fr" "$fm" "$(field "floor_${t}_${_size}_w$w" 4)" >>"$TAB"
			printf '%-8s %2s %-9s %-22s %8s %9s %8s %6s %6s\n' "$_size" "$w" "$t" "pam_pacer auth" \
			    "$ar" "$am" "$(field "auth_${t}_${_size}_w$w" 4)" "$ra" "$rta" >>"$TAB"
			printf '%-8s %2s %-9s %-22s %8s %9s %8s %6s %6s\n' "$_size" "$w" "$t" "pam_pacer auth+efile" \
			    "$aar" "$aam" "$(field "authacct_${t}_${_size}_w$w" 4)" "$raa" "$rtaa" >>"$TAB"
			sfx=${t}; [ "$w" = 1 ] || sfx=${t}_w$w
			[ "$_size" = big ] || sfx=${sfx}_1k
			if [ "$t" = ldapi ] && [ "$w" = 1 ]; then
				nam=$(field "nolog_auth_${t}_${_size}_w$w" 3)
				naam=$(field "nolog_authacct_${t}_${_size}_w$w" 3)
				nra=$(awk -v a="$nam" -v p="$pa" -v f="$fm" 'BEGIN { printf "%.2f", (a - p) / f }')
				nraa=$(awk -v a="$naam" -v p="$paa" -v f="$fm" 'BEGIN { printf "%.2f", (a - p) / f }')
				printf '%-8s %2s %-9s %-22s %8s %9s %8s %6s\n' "$_size" "$w" "$t" "  auth, no log lines" \
				    "$(field "nolog_auth_${t}_${_size}_w$w" 2)" "$nam" "$(field "nolog_auth_${t}_${_size}_w$w" 4)" "$nra" >>"$TAB"
				printf '%-8s %2s %-9s %-22s %8s %9s %8s %6s\n' "$_size" "$w" "$t" "  auth+efile, no log" \
				    "$(field "nolog_authacct_${t}_${_size}_w$w" 2)" "$naam" "$(field "nolog_authacct_${t}_${_size}_w$w" 4)" "$nraa" >>"$TAB"
				result "auth_ratio_${sfx}_without_log_lines" "$nra"
				result "authacct_ratio_${sfx}_without_log_lines" "$nraa"
				result "log_lines_ms_auth_$sfx" "$(awk -v a="$am" -v b="$nam" 'BEGIN { printf "%.3f", a - b }')"
				result "log_lines_ms_authacct_$sfx" "$(awk -v a="$aam" -v b="$naam" 'BEGIN { printf "%.3f", a - b }')"
			fi
			result "auth_ratio_$sfx" "$ra"
			result "authacct_ratio_$sfx" "$raa"
			result "auth_rate_ratio_$sfx" "$rta"
			result "authacct_rate_ratio_$sfx" "$rtaa"
		done
	done
}

# ---- failover ------------------------------------------------------------
# One configuration per case, the shipped timeouts (no network_timeout,
# timeout or login_budget lines), the first URI dead, the rig's ldapi
# second. fo CASE URI-LIST COUNT [RUNNER...]
fo() {
	_case=$1; _uris=$2; _n=$3; shift 3
	rig_write_conf "$W/conf/fo-$_case" uri "$_uris" network_timeout "" timeout "" \
	    login_budget "" || die "conf"
	printf 'auth required %s config=%s\n' "$B/pam_pacer.so" "$W/conf/fo-$_case" \
	    >"$W/pam.d/fo-$_case"
	"$@" "$BB/driver" -c "$W/pam.d" -P "$PW" -s "fo-$_case" -u "$W/users.all" \
	    -n "$_n" -W 1 -l "fo_$_case" -o "$W/lat/fo_$_case" \
	    >>"$W/lat/fo_$_case.out" 2>>"$W/lat/fo_$_case.err" ||
		{ say "FAILED: failover $_case: $(head -3 "$W/lat/fo_$_case.err")"; echo "fo_$_case" >>"$W/failed"; }
}

failover() {
	fo healthy "$RIG_LDAPI_URI" 200
	fo closed "ldaps://127.0.0.1:$(rig_free_port) $RIG_LDAPI_URI" 200
	rig_blackhole_start || die "blackhole"
	fo blackhole "ldaps://127.0.0.1:$BH_PORT $RIG_LDAPI_URI" 4
	rig_blackhole_stop
	"$BB/synsink" 120 "$W/ss.port" </dev/null >/dev/null 2>"$W/ss.err" &
	SS_PID=$!
	_i=0
	while [ ! -s "$W/ss.port" ] && [ "$_i" -lt 100 ]; do sleep 0.05; _i=$((_i + 1)); done
	[ -s "$W/ss.port" ] || die "synsink did not start: $(cat "$W/ss.err")"
	fo dropped "ldaps://127.0.0.1:$(cat "$W/ss.port") $RIG_LDAPI_URI" 4
	kill "$SS_PID" 2>/dev/null; wait "$SS_PID" 2>/dev/null; SS_PID=
	h=$(field fo_healthy 3)
	for c in closed blackhole dropped; do
		m=$(field "fo_$c" 3)
		x=$(awk -v m="$m" -v h="$h" 'BEGIN { printf "%.3f", m - h }')
		printf '%-10s healthy %8.3f ms  first URI dead %10.3f ms  extra %10.3f ms\n' \
		    "$c" "$h" "$m" "$x" >>"$W/fo.table"
		result "failover_${c}_extra_ms" "$x"
	done
}

# ---- pamtester per process ----------------------------------------------
pamtester_cost() {
	mkdir -p "$W/pw"
	printf 'auth required %s config=%s\n' "$B/pam_pacer.so" "$W/conf/ldapi" >"$W/pw/pt-pacer"
	printf 'auth required %s\n' "$PAM_PERMIT" >"$W/pw/pt-permit"
	_tp=0; _tq=0; _r=0; _bad=0
	while [ "$_r" -lt 4 ]; do
		_r=$((_r + 1))
		for svc in pt-pacer pt-permit; do
			_t0=$(now_ns); _i=0
			while [ "$_i" -lt $((PT / 4)) ]; do
				_i=$((_i + 1))
				printf '%s\n' "$PW" | LD_PRELOAD="$T_PRELOAD" PAM_WRAPPER=1 \
				    PAM_WRAPPER_SERVICE_DIR="$W/pw" \
				    pamtester "$svc" "pu$(printf %06d $(( (_i * 7919) % BIG + 1 )))" authenticate \
				    >/dev/null 2>&1 || _bad=$((_bad + 1))
			done
			_t1=$(now_ns)
			if [ "$svc" = pt-pacer ]; then _tp=$((_tp + _t1 - _t0)); else _tq=$((_tq + _t1 - _t0)); fi
		done
	done
	[ "$_bad" -eq 0 ] || { say "FAILED: $_bad pamtester runs failed"; echo pamtester >>"$W/failed"; }
	PT_PACER=$(awk -v t="$_tp" -v n="$PT" 'BEGIN { printf "%.3f", t / n / 1e6 }')
	PT_PERMIT=$(awk -v t="$_tq" -v n="$PT" 'BEGIN { printf "%.3f", t / n / 1e6 }')
	PT_COST=$(awk -v a="$PT_PACER" -v b="$PT_PERMIT" 'BEGIN { printf "%.3f", a - b }')
	result pamtester_module_ms_ldapi "$PT_COST"
}

# ---- libldap's start-up in a process --------------------------------------
# init_cost MODE [ENV...]: median first_us of 30 processes.
init_cost() {
	_m=$1; shift
	_i=0
	while [ "$_i" -lt 30 ]; do
		_i=$((_i + 1))
		env "$@" "$BB/initcost" "$_m" "$RIG_CA"
	done | sed -n 's/.*first_us=\([0-9]*\).*/\1/p' | sort -n | awk '{ v[NR] = $1 } END { printf "%.3f", v[int(NR / 2) + 1] / 1000 }'
}

startup() {
	mkdir -p "$W/nosasl"
	IC_INIT=$(init_cost init)
	IC_NOSASL=$(init_cost init SASL_PATH="$W/nosasl")
	IC_NOINIT=$(init_cost init LDAPNOINIT=1)
	IC_TLS=$(init_cost tls)
	IC_SASL_FILES=$(LD_DEBUG=files "$BB/initcost" init 2>&1 | grep -c 'calling init: .*sasl2/')
	result libldap_first_init_ms "$IC_INIT"
	result libldap_first_init_nosasl_plugins_ms "$IC_NOSASL"
	result libldap_first_init_ldapnoinit_ms "$IC_NOINIT"
	result libldap_first_init_tls_ctx_ms "$IC_TLS"
	result sasl_plugins_loaded "$IC_SASL_FILES"
}

# ---- cmecf-link ---------------------------------------------------------
# helper_run ANSWERS ARGS...: wall time in us of one run; sets HR_RC.
helper_run() {
	_in=$1; shift
	_t0=$(now_ns)
	printf '%s' "$_in" | "$B/cmecf-link" --config "$W/conf/link" "$@" >"$W/helper.out" 2>&1
	HR_RC=$?
	_t1=$(now_ns)
	HR_US=$(( (_t1 - _t0) / 1000 ))
}

# link_run N ANSWER WANT-EXIT NAME: one linking run of puN with mndN,
# answering ANSWER at the confirmation; its time goes to $W/NAME.us.
link_run() {
	helper_run "$(printf '%s\n' "pu$1" "$PW" "mnd$1" "$PW" "$2")
" --court mnd
	if [ "$HR_RC" -ne "$3" ]; then
		say "FAILED: $4 run pu$1 exited $HR_RC (want $3): $(tail -3 "$W/helper.out")"
		echo "helper_$4" >>"$W/failed"
	fi
	echo "$HR_US" >>"$W/$4.us"
}

helper_cost() {
	rig_write_conf "$W/conf/link" link_uri "$RIG_LDAPI_URI" || die "conf"
	: >"$W/link.us"; : >"$W/decline.us"; : >"$W/report.us"
	_i=0
	while [ "$_i" -lt 10 ]; do
		_i=$((_i + 1))
		_n=$(printf %06d $((LINKED_NOW + _i)))
		link_run "$_n" no 4 decline
		link_run "$_n" yes 0 link
	done
	_c=$(rig_search -b "uid=mnd$(printf %06d $((LINKED_NOW + 1))),ou=cmecf,cn=mnd,ou=courts,$RIG_BASE" \
	    -s base cmecfLinkedPacer | grep -c '^cmecfLinkedPacer:')
	[ "$_c" = 1 ] || { say "FAILED: the first benchmark link is not in the directory"; echo helper_link_check >>"$W/failed"; }
	_i=0
	while [ "$_i" -lt 3 ]; do
		_i=$((_i + 1))
		helper_run "" --report
		[ "$HR_RC" -eq 0 ] || { say "FAILED: --report exited $HR_RC: $(tail -3 "$W/helper.out")"; echo helper_report >>"$W/failed"; }
		echo "$HR_US" >>"$W/report.us"
	done
	cp "$W/helper.out" "$W/report.out"
	med() { sort -n "$1" | awk '{ v[NR] = $1 } END { printf "%.3f", v[int((NR + 1) / 2)] / 1000 }'; }
	LINK_MS=$(med "$W/link.us"); DECLINE_MS=$(med "$W/decline.us"); REPORT_MS=$(med "$W/report.us")
	result link_ms "$LINK_MS"
	result link_decline_ms "$DECLINE_MS"
	result link_write_ms "$(awk -v a="$LINK_MS" -v b="$DECLINE_MS" 'BEGIN { printf "%.3f", a - b }')"
	result report_50k_s "$(awk -v a="$REPORT_MS" 'BEGIN { printf "%.3f", a / 1000 }')"
}

# ---- the run ---------------------------------------------------------------
mkdir -p "$W/lat"
: >"$W/failed"
T_START=$(now_ns)
say "== directory of $BIG PACER + $((BIG / 2)) legacy accounts"
big_rig "$BIG" $((BIG / 2))
setup_services
say "== module and floor cells ($N logins each, $ROUNDS interleaved rounds)"
cells big
table big
say "== failover"
failover
say "== pamtester"
pamtester_cost
say "== libldap start-up"
startup
say "== cmecf-link"
helper_cost
rig_stop
say "== directory of $SMALL PACER + $((SMALL / 2)) legacy accounts"
big_rig "$SMALL" $((SMALL / 2))
setup_services
cells small
table small
rig_stop
for t in ldapi ldaps starttls; do
	for w in 1 8; do
		p1=$(field "auth_${t}_big_w$w" 4); p2=$(field "auth_${t}_small_w$w" 4)
		sfx=$t; [ "$w" = 1 ] || sfx=${t}_w$w
		result "p99_ratio_100k_vs_1k_$sfx" "$(awk -v a="$p1" -v b="$p2" 'BEGIN { printf "%.2f", a / b }')"
	done
done
worst=$(sed -n 's/^RESULT p99_ratio_100k_vs_1k_[a-z]* \(.*\)$/\1/p' "$RES" | sort -g | tail -1)
result p99_ratio_100k_vs_1k "$worst"
T_END=$(now_ns)
result bench_wall_s "$(( (T_END - T_START) / 1000000000 ))"
result failed_cells "$(sort -u "$W/failed" | grep -c .)"

# ---- report ------------------------------------------------------------------
echo "pam_pacer benchmark: $(nproc) cores, $(uname -r), slapd $(/usr/sbin/slapd -VV 2>&1 | sed -n 's/.*slapd \([0-9.]*\).*/\1/p' | head -1)"
echo "median/p99 in ms per login; ratio = (pam_pacer - pam_permit) / floor, medians;"
echo "rate-ratio = floor logins/s / pam_pacer logins/s. big = $BIG PACER accounts, small = $SMALL."
echo
printf '%-8s %2s %-9s %-22s %8s %9s %8s %6s %6s\n' size w transport program "logins/s" median p99 ratio rate-r
cat "$TAB"
echo
echo "failover (first URI dead, then ldapi; shipped timeouts; median ms):"
cat "$W/fo.table"
echo
printf 'pamtester per login over ldapi: pam_pacer %s ms, pam_permit %s ms, module cost %s ms\n' \
    "$PT_PACER" "$PT_PERMIT" "$PT_COST"
printf 'libldap first use in a process: %s ms (%s SASL plugins loaded); with an empty SASL_PATH %s ms;\n' \
    "$IC_INIT" "$IC_SASL_FILES" "$IC_NOSASL"
printf '  with LDAPNOINIT %s ms; first use plus a TLS context from the CA file %s ms\n' "$IC_NOINIT" "$IC_TLS"
printf 'cmecf-link: a link run %s ms, a declined run %s ms, --report over %s legacy accounts %s ms\n' \
    "$LINK_MS" "$DECLINE_MS" "$((BIG / 2))" "$REPORT_MS"
echo "--report output (last run):"
sed 's/^/  /' "$W/report.out"
if [ -s "$W/failed" ]; then
	echo "FAILED cells: $(sort -u "$W/failed" | tr '\n' ' ')"
	for f in "$W"/lat/*.err; do
		[ -s "$f" ] && { echo "-- $(basename "$f")"; head -5 "$f"; }
	done
fi
echo
cat "$RES"
[ -s "$W/failed" ] && exit 1
exit 0
