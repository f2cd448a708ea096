#!/bin/sh
# cmecf-link under memcheck: run as root without the setuid bit (valgrind
# cannot trace a setuid program), answers piped one per line, against the
# rig. Every flow must end with its documented exit code, no memcheck
# error and nothing definitely lost. Needs root (the rig's syslog sink).
. "$(dirname "$0")/../helper/common.sh"
h_setup
PW=Pacer-Demo-1
EPW=Ecf-Demo-1
VG="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite --show-leak-kinds=definite"
{
	h_cmecf_ldif jdoe5 "Jane Doe"
	h_pacer_ldif jdoe "Jane Doe"
} | rig_ldapadd - >/dev/null || t_fail "fixtures loaded"

# vg NAME EXPECTED-EXIT [ARGS]...: the helper under memcheck with the
# answers set by h_in; 99 is memcheck's own exit code.
vg() {
	_vg_name=$1; _vg_want=$2; shift 2
	# shellcheck disable=SC2086
	_vg_out=$(printf '%s' "${H_IN:-}" | "$T_TOP/tests/rig/with-syslog.sh" "$H_LOG" \
		$VG "$T_BUILD/cmecf-link" --config "$H_ETC/pam_pacer.conf" "$@" 2>&1)
	_vg_rc=$?
	H_IN=
	t_eq "memcheck: $_vg_name (exit $_vg_want)" "$_vg_want" "$_vg_rc"
	[ "$_vg_rc" != "$_vg_want" ] && printf '%s\n' "$_vg_out" | head -n 40 | sed 's/^/#   /'
	return 0
}

h_in jattorney "$PW" jattorney1 "$EPW" yes
vg "link" 0
h_in jattorney "$PW" jattorney1 "$EPW" yes
vg "legacy already linked" 3
h_in jdoe "Wrong-Pass-9" jdoe5 "$EPW" yes
vg "wrong PACER password" 2
h_in jdoe "$PW" jdoe5 "$EPW" no
vg "declined at confirmation" 4
h_in jdoe "$PW"
vg "answers cut short" 1
vg "status" 0 --status --pacer-user jattorney
vg "report" 0 --report
vg "check" 0 --check
vg "test-config" 0 --test-config
vg "unlink" 0 --unlink --cmecf-login jattorney1 --reason "memcheck run"
vg "unknown option" 1 --no-such-option
t_done
