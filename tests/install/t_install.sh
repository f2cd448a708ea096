#!/bin/sh
# make install into a DESTDIR: every file where the layout says, the helper
# setuid root, the module exporting only pam_sm_*, both built hardened.
# Needs root (chown of the setuid helper), as make check runs here.
. "$(dirname "$0")/../lib.sh"

D=$(mktemp -d /tmp/pacer-install.XXXXXX) || exit 1
trap 'rm -rf "$D"' EXIT INT TERM
MA=$(${CC:-cc} -print-multiarch)
# The plain build, whatever make this suite runs under (check-asan passes
# its own build directory and flags down through MAKEFLAGS).
mk() { env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s -C "$T_TOP" B=build "$@"; }
out=$(mk install DESTDIR="$D" PREFIX=/usr 2>&1)
t_eq "make install DESTDIR=... exits 0" 0 "$?"

for f in "lib/$MA/security/pam_pacer.so" usr/sbin/cmecf-link \
	usr/share/man/man8/pam_pacer.8 usr/share/man/man8/cmecf-link.8 \
	usr/share/man/man5/pam_pacer.conf.5 etc/security/pam_pacer.conf \
	usr/share/pam_pacer/ldap_schema/pacer.schema \
	usr/share/pam_pacer/ldap_schema/pacer.ldif \
	usr/share/pam_pacer/ldap_schema/acl.ldif \
	usr/share/pam_pacer/ldap_schema/indexes.ldif \
	usr/share/pam_pacer/ldap_schema/ppolicy-lockout.ldif \
	usr/share/pam_pacer/ldap_schema/sample.ldif; do
	if [ -f "$D/$f" ]; then t_ok "installed /$f"; else t_fail "installed /$f" "$out"; fi
done
t_eq "cmecf-link is mode 4755, owner root" "4755 root" \
	"$(stat -c '%a %U' "$D/usr/sbin/cmecf-link" 2>/dev/null)"
t_eq "/var/lib/cmecf-link (the failure count) is mode 700, owner root" "700 root" \
	"$(stat -c '%a %U' "$D/var/lib/cmecf-link" 2>/dev/null)"
t_eq "the module is not executable-writable: mode 644" 644 \
	"$(stat -c '%a' "$D/lib/$MA/security/pam_pacer.so" 2>/dev/null)"

mod=$D/lib/$MA/security/pam_pacer.so
helper=$D/usr/sbin/cmecf-link
t_eq "the module exports only the six pam_sm_* functions" \
	"pam_sm_acct_mgmt pam_sm_authenticate pam_sm_chauthtok pam_sm_close_session pam_sm_open_session pam_sm_setcred" \
	"$(nm -D --defined-only "$mod" | awk '$2 == "T" { print $3 }' | sort | tr '\n' ' ' | sed 's/ $//')"
for f in "$mod" "$helper"; do
	n=$(basename "$f")
	t_match "$n: full RELRO (BIND_NOW)" "BIND_NOW|FLAGS_1.*NOW" "$(readelf -d "$f")"
	t_match "$n: GNU_RELRO segment" "GNU_RELRO" "$(readelf -l "$f")"
	t_nomatch "$n: no executable stack" "GNU_STACK.*RWE" "$(readelf -lW "$f")"
	t_match "$n: stack protector" "__stack_chk_fail" "$(nm -D "$f")"
done
t_match "cmecf-link is a PIE" "DYN \(Position-Independent Executable|DYN \(Shared object" \
	"$(readelf -h "$helper")"
t_match "cmecf-link is built with _FORTIFY_SOURCE" "_chk@" "$(nm -D "$helper")"

# An existing configuration is never overwritten.
echo "# local" >"$D/etc/security/pam_pacer.conf"
mk install DESTDIR="$D" PREFIX=/usr >/dev/null 2>&1
t_eq "a second install keeps the existing pam_pacer.conf" "# local" \
	"$(cat "$D/etc/security/pam_pacer.conf")"
