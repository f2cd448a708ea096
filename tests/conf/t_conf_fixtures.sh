#!/bin/sh
# tests/conf/t_conf_fixtures.sh - the configuration's documentation and
# fixtures keep up with the parser: every key common/config.c knows is
# described in pam_pacer.conf(5) and shown in the example file, the man
# page is lint-clean, and every fixture says what it expects.
set -u
. "$(dirname "$0")/../lib.sh"
cd "$T_TOP" || exit 1

man=docs/pam_pacer.conf.5
example=docs/pam_pacer.conf.example
fixtures=tests/fixtures/conf

lint=$(mandoc -Tlint -W warning "$man" 2>&1)
t_eq "mandoc -Tlint $man prints nothing" "" "$lint"

keys=$(sed -n 's/^[[:space:]]*{ "\([a-z_]*\)", CFG_[A-Z]*,.*/\1/p' common/config.c)
n=$(printf '%s\n' "$keys" | grep -c .)
t_eq "config.c knows the 20 keys of SPEC.md" 20 "$n"

for k in $keys; do
	t_match "$man documents $k" "^\\.It Cm $k( |\$)" "$(cat "$man")"
	t_match "$example shows $k" "^#?$k " "$(cat "$example")"
done

for k in uri base pacer_base courts_base court binddn bindpw_file \
	link_binddn link_bindpw_file link_uri starttls tls_cacert \
	tls_reqcert allow_plaintext network_timeout timeout login_budget \
	link_max_failures link_lockout link_max_failures_uid; do
	t_match "config.c parses SPEC key $k" "^$k\$" "$keys"
done

n=0
for f in "$fixtures"/*.conf; do
	n=$((n + 1))
	first=$(head -n 1 "$f")
	t_match "$(basename "$f") starts with an expect line" \
		'^# expect: .+' "$first"
done
t_le "at least 30 fixtures" 30 "$n"

# Every fixture that is expected to fail is about one problem: its
# expected message names a line (":N:") or the whole file ("NAME: ").
for f in "$fixtures"/*.conf; do
	exp=$(head -n 1 "$f" | tr -d '\r' | sed 's/^# expect: //')
	b=$(basename "$f")
	[ "$exp" = success ] && continue
	t_match "$b expects a line number or its own name" \
		"^:[0-9]+: |^$b: " "$exp"
done
