#!/bin/sh
# Runs every suite and prints one closing line, "N passed, M failed".
#
# Suites: the cmocka unit tests (build/tests/test_*), then every executable
# tests/*/t_*.sh in name order. Each prints TAP lines; a suite that exits
# non-zero without reporting a failure counts as one failure, so a crash
# is never a pass.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
log=$(mktemp -d /tmp/pacer-check.XXXXXX)
trap 'rm -rf "$log"' EXIT INT TERM

passed=0
failed=0
# Test servers already running (another checkout's) are not ours to count.
rig_slapds() { pgrep -f 'slapd .*pacer-rig' 2>/dev/null | sort; }
before=$(rig_slapds)

run_suite() {
	name=$1; shift
	out="$log/$(echo "$name" | tr '/' '_').out"
	echo "== $name"
	CMOCKA_MESSAGE_OUTPUT=TAP "$@" >"$out" 2>&1
	rc=$?
	cat "$out"
	p=$(grep -cE '^ok ' "$out")
	f=$(grep -cE '^not ok ' "$out")
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "not ok - $name exited with status $rc"
		f=1
	fi
	if [ "$p" -eq 0 ] && [ "$f" -eq 0 ]; then
		echo "not ok - $name ran no test"
		f=1
	fi
	passed=$((passed + p))
	failed=$((failed + f))
}

# PACER_BUILD: another build directory (make check-asan: build-asan).
for t in "${PACER_BUILD:-build}"/tests/test_*; do
	[ -x "$t" ] || continue
	run_suite "$t" "$t"
done

for t in $(ls tests/*/t_*.sh 2>/dev/null | sort); do
	run_suite "$t" sh "$t"
done

left=$(rig_slapds | while read -r pid; do
	printf '%s\n' "$before" | grep -qx "$pid" || echo "$pid"
done)
if [ -n "$left" ]; then
	echo "not ok - a test slapd is still running: pid $left"
	failed=$((failed + 1))
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
