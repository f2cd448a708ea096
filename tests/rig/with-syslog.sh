#!/bin/sh
# tests/rig/with-syslog.sh OUTFILE CMD [ARG]...
#
# Runs CMD with /dev/log being a socket of our own whose messages are
# appended to OUTFILE, without touching the host's /dev: inside a private
# mount namespace, the real /dev is bound aside, a tmpfs is mounted on /dev,
# the few device nodes a program needs are bound back, and tests/rig/logsink
# listens on the new /dev/log. Needs root (it is run by the root suites).
# Exits with CMD's status.
set -u
[ $# -ge 2 ] || { echo "usage: with-syslog.sh OUTFILE CMD..." >&2; exit 2; }
top=$(cd "$(dirname "$0")/../.." && pwd)
sink=$top/build/tests/rig-logsink
if [ ! -x "$sink" ] || [ "$top/tests/rig/logsink.c" -nt "$sink" ]; then
	mkdir -p "$top/build/tests" &&
	${CC:-cc} -O1 -Wall -Wextra -Werror -o "$sink.$$" "$top/tests/rig/logsink.c" &&
	mv -f "$sink.$$" "$sink" || exit 2
fi
out=$1; shift
: >>"$out" || exit 2
exec unshare -m --propagation private sh -c '
	set -u
	sink=$1; out=$2; shift 2
	aside=$(mktemp -d /tmp/with-syslog.XXXXXX) || exit 2
	mount --bind /dev "$aside" || exit 2
	mount -t tmpfs -o mode=755,size=1m tmpfs /dev || exit 2
	for n in null zero urandom random tty full; do
		: >"/dev/$n" && mount --bind "$aside/$n" "/dev/$n" || exit 2
	done
	mkdir /dev/pts /dev/shm && mount --bind "$aside/pts" /dev/pts || exit 2
	ln -s pts/ptmx /dev/ptmx && ln -s /proc/self/fd /dev/fd || exit 2
	if [ -n "${PACER_VARLIB:-}" ]; then
		mount --bind "$PACER_VARLIB" /var/lib || exit 2
	fi
	"$sink" /dev/log "$out" 600 &
	spid=$!
	i=0
	while [ ! -S /dev/log ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
	"$@"
	rc=$?
	sleep 0.3
	kill "$spid" 2>/dev/null
	wait "$spid" 2>/dev/null
	umount /dev/pts 2>/dev/null
	umount -l "$aside" 2>/dev/null && rmdir "$aside" 2>/dev/null
	exit $rc
' with-syslog "$sink" "$out" "$@"
