# tests/lib.sh - sourced by every shell suite.
#
# Each check prints one TAP line, "ok - NAME" or "not ok - NAME"; the
# runner (tests/run-all.sh) adds them up. A check that cannot fail is not
# a check: every helper here compares an observed value with an expected one.

T_TOP=$(cd "$(dirname "$0")/.." 2>/dev/null && pwd)
while [ ! -f "$T_TOP/Makefile" ] && [ "$T_TOP" != / ]; do T_TOP=$(dirname "$T_TOP"); done
# PACER_BUILD selects another build directory (make check-asan uses
# build-asan); PACER_PRELOAD names libraries to put first in LD_PRELOAD for
# programs not built with the sanitizers that load ours (pamtester):
# T_PRELOAD is "PACER_PRELOAD libpam_wrapper.so".
T_BUILD=${PACER_BUILD:-$T_TOP/build}
T_PRELOAD="${PACER_PRELOAD:+$PACER_PRELOAD }libpam_wrapper.so"
T_FAILS=0

t_ok()   { echo "ok - $1"; }
t_fail() { echo "not ok - $1"; T_FAILS=$((T_FAILS + 1)); [ -n "${2:-}" ] && printf '#   %s\n' "$2"; return 0; }

# t_eq NAME EXPECTED ACTUAL
t_eq() {
	if [ "$2" = "$3" ]; then t_ok "$1"; else t_fail "$1" "expected [$2], got [$3]"; fi
}

# t_match NAME PATTERN TEXT   (grep -E pattern, over all lines of TEXT)
t_match() {
	if printf '%s\n' "$3" | grep -Eq -- "$2"; then t_ok "$1"
	else t_fail "$1" "no match for /$2/ in: $(printf '%s' "$3" | head -c 600)"; fi
}

# t_nomatch NAME PATTERN TEXT
t_nomatch() {
	if printf '%s\n' "$3" | grep -Eq -- "$2"; then
		t_fail "$1" "unexpected /$2/ in: $(printf '%s' "$3" | head -c 600)"
	else t_ok "$1"; fi
}

# t_le NAME A B   (integers: A <= B)
t_le() {
	if [ "$2" -le "$3" ] 2>/dev/null; then t_ok "$1"; else t_fail "$1" "expected $2 <= $3"; fi
}

# Milliseconds since the epoch.
t_now_ms() { date +%s%3N; }

# PACER_TIME_SLACK: a whole-number factor for the elapsed-time bounds the
# suites assert, for builds that run slower (make check-asan sets 3,
# memcheck 10); 1 when unset or not a positive number.
case ${PACER_TIME_SLACK:-} in
''|*[!0-9]*|0) T_SLACK=1 ;;
*) T_SLACK=$PACER_TIME_SLACK ;;
esac

# t_slack MS [CAP]: MS times the slack, never above CAP when given (a
# bound that tells a fast path from a known slow one, such as a timeout
# waited out, must stay below the slow one).
t_slack() {
	_ts=$(( $1 * T_SLACK ))
	[ -n "${2:-}" ] && [ "$_ts" -gt "$2" ] && _ts=$2
	echo "$_ts"
}

t_done() { return 0; }
