#!/bin/sh
# make check-valgrind: memcheck over the unit tests, the module's long-lived
# flows (tests/pam/t_pam_valgrind.sh: 1,000 logins and every failure path
# through pam_start ... pam_end in one process) and cmecf-link's flows
# (tests/static/valgrind-helper.sh). No memory error and nothing definitely
# lost, or the gate fails. Prints "N passed, M failed".
#   sh tests/static/valgrind.sh [BUILD-DIR]
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
b=${1:-build}
log=$(mktemp -d /tmp/pacer-valgrind.XXXXXX) || exit 1
trap 'rm -rf "$log"' EXIT INT TERM
VG="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite --show-leak-kinds=definite"
passed=0
failed=0

# count FILE: adds FILE's TAP lines to the totals and shows them.
count() {
	cat "$1"
	passed=$((passed + $(grep -cE '^ok ' "$1")))
	failed=$((failed + $(grep -cE '^not ok ' "$1")))
}

for t in "$b"/tests/test_*; do
	[ -x "$t" ] || continue
	out=$log/$(basename "$t").out
	echo "== valgrind $t"
	# shellcheck disable=SC2086
	PACER_TIME_SLACK=10 CMOCKA_MESSAGE_OUTPUT=TAP $VG "$t" >"$out" 2>&1
	rc=$?
	if [ "$rc" -eq 0 ] && grep -qE '^ok ' "$out"; then
		echo "ok - $t: $(grep -cE '^ok ' "$out") tests, no memcheck error"
		passed=$((passed + 1))
	else
		grep -vE '^ok ' "$out" | head -n 40 | sed 's/^/#   /'
		echo "not ok - $t under memcheck exited $rc"
		failed=$((failed + 1))
	fi
done

for s in tests/pam/t_pam_valgrind.sh tests/static/valgrind-helper.sh; do
	echo "== $s"
	if [ ! -f "$s" ]; then
		echo "not ok - $s is missing" >"$log/suite.out"
	else
		PACER_BUILD=$top/$b sh "$s" >"$log/suite.out" 2>&1 ||
			grep -qE '^not ok ' "$log/suite.out" ||
			echo "not ok - $s exited non-zero" >>"$log/suite.out"
	fi
	count "$log/suite.out"
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
