#!/bin/sh
# Static analysis: cppcheck, clang-tidy (checks in .clang-tidy) and the
# clang static analyzer through scan-build. Every tool must report nothing;
# a finding that is a false positive is suppressed inline where it occurs,
# with a one-line reason. Prints "N passed, M failed" (one per tool).
#   sh tests/static/run.sh            all three
#   sh tests/static/run.sh cppcheck   one of cppcheck, clang-tidy, scan-build
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
only=${1:-}
out=build-static
mkdir -p "$out"
passed=0
failed=0

srcs=$(ls common/*.c pam_module/*.c helper/*.c 2>/dev/null)
# The fuzz targets are checked with the product; the unit tests and the
# rig's tools are not (cmocka's fail() is not known to return never, and a
# test tool that exits on error leaks on purpose).
tsrcs=$(ls tests/fuzz/fuzz_*.c 2>/dev/null)
incs="-Icommon -Ipam_module -Ihelper -Itests/fuzz $(pkg-config --cflags-only-I ldap lber pam libbsd 2>/dev/null)"
defs="-D_GNU_SOURCE"

# result NAME RC LOG: one TAP line per tool, the log's findings on failure.
result() {
	if [ "$2" -eq 0 ]; then
		echo "ok - $1"
		passed=$((passed + 1))
	else
		echo "not ok - $1 (exit $2, log $3)"
		sed 's/^/#   /' "$3" | head -n 60
		failed=$((failed + 1))
	fi
}

want() { [ -z "$only" ] || [ "$only" = "$1" ]; }

if want cppcheck; then
	echo "== cppcheck $(cppcheck --version | sed 's/^Cppcheck //')"
	# shellcheck disable=SC2086
	cppcheck --quiet --enable=warning,portability,performance \
		--error-exitcode=1 --inline-suppr --std=c11 \
		--suppress=missingIncludeSystem --library=posix \
		--suppressions-list=tests/static/cppcheck.supp \
		-j 2 $defs $incs $srcs $tsrcs >"$out/cppcheck.log" 2>&1
	result cppcheck $? "$out/cppcheck.log"
fi

if want clang-tidy; then
	echo "== clang-tidy $(clang-tidy --version | sed -n 's/.*version //p')"
	rc=0
	: >"$out/clang-tidy.log"
	for f in $srcs $tsrcs; do
		# shellcheck disable=SC2086
		clang-tidy --quiet "$f" -- -std=gnu11 $defs $incs \
			>>"$out/clang-tidy.log" 2>&1 || rc=1
	done
	# Only the lines that are findings, not the progress noise.
	if [ "$rc" -ne 0 ]; then
		grep -E 'warning:|error:' "$out/clang-tidy.log" >"$out/clang-tidy.findings"
		result clang-tidy "$rc" "$out/clang-tidy.findings"
	else
		result clang-tidy 0 "$out/clang-tidy.log"
	fi
fi

if want scan-build; then
	echo "== scan-build (clang static analyzer)"
	rm -rf "$out/scan" "$out/report"
	scan-build --status-bugs -o "$out/report" \
		-enable-checker security.FloatLoopCounter \
		-enable-checker security.insecureAPI.strcpy \
		-enable-checker alpha.unix.cstring.OutOfBounds \
		-enable-checker alpha.unix.cstring.NotNullTerminated \
		make --no-print-directory -s B="$out/scan" \
		"$out/scan/pam_pacer.so" "$out/scan/cmecf-link" \
		>"$out/scan-build.log" 2>&1
	rc=$?
	grep -E 'warning:|scan-build:' "$out/scan-build.log" >"$out/scan-build.findings"
	result scan-build "$rc" "$out/scan-build.findings"
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
