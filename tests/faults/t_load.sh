#!/bin/sh
# Load: 32 processes authenticating at once, 20,000 authentications in all,
# every one counted; then one process making 10,000 calls keeps the same
# descriptors and bounded memory. Over ldapi, the transport a local
# directory server is reached by.
. "$(dirname "$0")/f_lib.sh"
rig_start || { t_fail "the test directory server starts"; exit 1; }
f_setup
LOAD=$T_BUILD/tests/load_driver
if [ ! -x "$LOAD" ] || [ "$T_TOP/tests/faults/load_driver.c" -nt "$LOAD" ]; then
	${CC:-cc} -O1 -g -Wall -Wextra -Werror -o "$LOAD.$$" "$T_TOP/tests/faults/load_driver.c" -lpam &&
		mv -f "$LOAD.$$" "$LOAD" || { t_fail "load_driver builds"; exit 1; }
fi
PROCS=32
TOTAL=20000
EACH=$((TOTAL / PROCS))
# Under load a call may queue behind 31 others on two cores: a budget a
# loaded server could still meet, yet a bound.
p_conf load uri "$RIG_LDAPI_URI" network_timeout 5 timeout 5 login_budget 10
p_service load load

# ---- 32 at once --------------------------------------------------------------------
s=$(t_now_ms)
i=1; pids=
while [ $i -le $PROCS ]; do
	printf '%s\n' "$F_PW" | LD_PRELOAD="${PACER_PRELOAD:-}" "$LOAD" "$P_DIR" load jattorney "$EACH" \
		>"$P_DIR/load.$i" 2>"$P_DIR/load.$i.err" &
	pids="$pids $!"
	i=$((i + 1))
done
for p in $pids; do wait "$p"; done
ms=$(( $(t_now_ms) - s ))
ok=0; failed=0; done_n=0
i=1
while [ $i -le $PROCS ]; do
	line=$(tail -1 "$P_DIR/load.$i")
	o=$(printf '%s' "$line" | sed -n 's/.* ok=\([0-9]*\) .*/\1/p')
	f=$(printf '%s' "$line" | sed -n 's/.* failed=\([0-9]*\) .*/\1/p')
	[ -n "$o" ] && [ -n "$f" ] && done_n=$((done_n + 1))
	ok=$((ok + ${o:-0})); failed=$((failed + ${f:-0}))
	i=$((i + 1))
done
echo "# $PROCS processes, $((PROCS * EACH)) authentications: $ms ms ($(( PROCS * EACH * 1000 / (ms + 1) ))/s)"
t_eq "32 processes: every process finished its run" "$PROCS" "$done_n"
t_eq "32 processes: $TOTAL successes, counted exactly" "$TOTAL" "$ok"
t_eq "32 processes: zero errors" 0 "$failed"
t_eq "32 processes: nothing on stderr" "" "$(cat "$P_DIR"/load.*.err | head -5)"
t_le "32 processes: within 60 s ($ms ms)" "$ms" 60000

# ---- one process, 10,000 calls --------------------------------------------------------
s=$(t_now_ms)
# Under AddressSanitizer (check-asan) its quarantine keeps freed memory on
# purpose; without it, the bound measures the module's own allocations.
out=$(printf '%s\n' "$F_PW" | LD_PRELOAD="${PACER_PRELOAD:-}" \
	ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=0:thread_local_quarantine_size_kb=0" \
	"$LOAD" "$P_DIR" load jattorney 10000 1000 2>&1)
rc=$?
echo "# one process, 10,000 calls: $(( $(t_now_ms) - s )) ms"
printf '%s\n' "$out" | sed 's/^/# /'
at1k=$(printf '%s\n' "$out" | grep '^at=1000 ')
at10k=$(printf '%s\n' "$out" | grep '^at=10000 ')
fd1=$(printf '%s' "$at1k" | sed -n 's/.* fds=\([0-9]*\) .*/\1/p')
fd2=$(printf '%s' "$at10k" | sed -n 's/.* fds=\([0-9]*\) .*/\1/p')
rss1=$(printf '%s' "$at1k" | sed -n 's/.* rss_kb=\([0-9]*\)$/\1/p')
rss2=$(printf '%s' "$at10k" | sed -n 's/.* rss_kb=\([0-9]*\)$/\1/p')
t_eq "10,000 calls: exit 0 (every call succeeded)" 0 "$rc"
t_match "10,000 calls: 10000 successes" "^at=10000 ok=10000 failed=0 " "$out"
t_eq "10,000 calls: the same descriptors after 1,000 and after 10,000" "${fd1:-?}" "${fd2:-none}"
t_le "10,000 calls: VmRSS grew at most 2 MB after the first 1,000 (${rss1:-?} -> ${rss2:-?} kB)" \
	"$(( ${rss2:-999999} - ${rss1:-0} ))" 2048

f_end t_load
