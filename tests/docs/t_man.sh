#!/bin/sh
# Man pages: lint-clean mdoc, rendered by man(1) without complaint, and
# every option, key, exit code and export of the contract documented.
. "$(dirname "$0")/../lib.sh"

for page in "$T_TOP"/docs/*.[0-9]; do
	name=$(basename "$page")
	lint=$(mandoc -Tlint -W warning "$page" 2>&1)
	t_eq "mandoc -Tlint is silent on $name" "" "$lint"
	rendered=$(MANWIDTH=80 man -l "$page" 2>&1 >/dev/null)
	t_eq "man -l renders $name without a warning" "" "$rendered"
done

text() { mandoc -Tascii "$T_TOP/docs/$1" 2>/dev/null | col -b; }

for page in pam_pacer.8 pam_pacer.conf.5 cmecf-link.8; do
	if [ -f "$T_TOP/docs/$page" ]; then t_ok "docs/$page exists"
	else t_fail "docs/$page exists"; fi
done

pam=$(text pam_pacer.8)
for arg in config= court= efile client_code use_first_pass try_first_pass \
	ignore_unknown_user ignore_authinfo_unavail debug \
	PAM_SUCCESS PAM_AUTH_ERR PAM_USER_UNKNOWN PAM_AUTHINFO_UNAVAIL PAM_SERVICE_ERR \
	PAM_PERM_DENIED PACER_USER PACER_NAME PACER_ACCOUNT_TYPE CMECF_COURT \
	CMECF_COURT_TYPE CMECF_LOGIN CMECF_ACCESS PACER_CLIENT_CODE \
	"MODULE TYPES PROVIDED" "RETURN VALUES"; do
	t_match "pam_pacer.8 documents $arg" "$arg" "$pam"
done

conf=$(text pam_pacer.conf.5)
for key in uri base pacer_base courts_base court binddn bindpw_file link_binddn \
	link_bindpw_file link_uri starttls tls_cacert tls_reqcert allow_plaintext \
	network_timeout timeout login_budget; do
	t_match "pam_pacer.conf.5 documents $key" "(^| )$key( |$)" "$conf"
done

helper=$(text cmecf-link.8)
for opt in --court --pacer-user --cmecf-login --status --report --check --repair \
	--unlink --reason --test-config --config; do
	t_match "cmecf-link.8 documents $opt" -- "$opt" "$helper"
done
for code in 0 1 2 3 4 5 6; do
	t_match "cmecf-link.8 documents exit status $code" "^[[:space:]]+$code[[:space:]]+[A-Z]" "$helper"
done
t_match "cmecf-link.8 states its install mode" "4755" "$helper"
