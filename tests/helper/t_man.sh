#!/bin/sh
# docs/cmecf-link.8 is clean mdoc and documents every exit code.
. "$(dirname "$0")/../lib.sh"
m=$T_TOP/docs/cmecf-link.8
t_eq "cmecf-link.8: mandoc -Tlint -W warning is silent" "" "$(mandoc -Tlint -W warning "$m" 2>&1)"
out=$(mandoc -Tascii "$m" | col -b)
for code in 0 1 2 3 4 5 6; do
	t_match "cmecf-link.8: exit code $code documented" "^[[:space:]]+$code[[:space:]]+[A-Z]" "$out"
done
t_match "cmecf-link.8: install mode stated" "mode 4755, owner root" "$(printf '%s' "$out" | tr '\n' ' ' | tr -s ' ')"
