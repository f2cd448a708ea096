#!/bin/sh
# Runs every libFuzzer target in DIR for SECONDS each, on a fresh copy of
# its seed corpus (tests/fuzz/corpus/<target>/), so the checked-in corpus
# only grows by hand. A crash, leak, timeout or out-of-memory in any target
# fails the run; the input that did it is kept in DIR/artifacts/.
#   sh tests/fuzz/run.sh build-fuzz/fuzz 30
set -u
dir=${1:?usage: run.sh DIR SECONDS}
secs=${2:-30}
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
failed=0
ran=0
passed=0
mkdir -p "$dir/artifacts" "$dir/work"
for bin in "$dir"/fuzz_*; do
	[ -x "$bin" ] || continue
	name=$(basename "$bin")
	seeds=tests/fuzz/corpus/$name
	work=$dir/work/$name
	rm -rf "$work"
	mkdir -p "$work"
	if [ -d "$seeds" ]; then
		cp "$seeds"/* "$work"/ 2>/dev/null
	else
		echo "not ok - $name has no seed corpus ($seeds)"
		failed=$((failed + 1))
	fi
	echo "== $name: $secs s"
	log=$dir/$name.log
	start=$(date +%s)
	"$bin" -max_total_time="$secs" -rss_limit_mb=2048 -timeout=10 \
		-print_final_stats=1 -artifact_prefix="$dir/artifacts/$name-" \
		"$work" >"$log" 2>&1
	rc=$?
	ran=$((ran + 1))
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	cov=$(grep -Eo 'cov: [0-9]+' "$log" | tail -n 1)
	if [ "$rc" -eq 0 ]; then
		passed=$((passed + 1))
		echo "ok - $name ran $(( $(date +%s) - start )) s, ${execs:-?} inputs, ${cov:-cov: ?}"
	else
		echo "not ok - $name exited $rc"
		grep -E 'ERROR|SUMMARY|property failed|runtime error|artifact' "$log" | head -n 20 | sed 's/^/#   /'
		failed=$((failed + 1))
	fi
done
if [ "$ran" -eq 0 ]; then
	echo "not ok - no fuzz target in $dir"
	failed=$((failed + 1))
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
