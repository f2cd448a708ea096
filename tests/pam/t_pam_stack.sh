#!/bin/sh
# t_pam_stack.sh - pam_pacer.so behind another auth module: use_first_pass
# and try_first_pass with pam_wrapper's pam_set_items.so, which stores the
# PAM_AUTHTOK item from the environment variable of that name.
. "$(dirname "$0")/../lib.sh"
. "$T_TOP/tests/rig/rig.sh"
. "$T_TOP/tests/pam/pam_lib.sh"

pam_setup || exit 1
PW=$RIG_PACER_PW
SET_ITEMS=/usr/lib/x86_64-linux-gnu/pam_wrapper/pam_set_items.so
if [ ! -f "$SET_ITEMS" ]; then
	echo "not ok - $SET_ITEMS is installed (libpam-wrapper)"
	exit 1
fi

p_conf main
stack() {
	p_raw "$1" "auth required $SET_ITEMS" \
		"auth required $P_MODULE config=$P_DIR/main.conf $2" \
		"account required $P_MODULE config=$P_DIR/main.conf"
}
stack use use_first_pass
stack try try_first_pass
stack plain ""
stack both "use_first_pass try_first_pass"

# with_token TOKEN|-  SVC USER ANSWERS OP...: pamtester with PAM_AUTHTOK set
# in its environment (or unset for -).
with_token() {
	_wt_tok=$1; shift
	if [ "$_wt_tok" = - ]; then
		unset PAM_AUTHTOK
	else
		PAM_AUTHTOK=$_wt_tok
		export PAM_AUTHTOK
	fi
	p_tester "$@"
	unset PAM_AUTHTOK
}

with_token "$PW" use jattorney "" authenticate acct_mgmt
t_eq "use_first_pass, right stacked password: success" 0 "$P_RC"
t_nomatch "use_first_pass: no prompt" "PACER password:" "$P_OUT"

with_token "Wrong-Pass-1" use jattorney "$PW" authenticate
t_match "use_first_pass, wrong stacked password: PAM_AUTH_ERR" \
	"pamtester: Authentication failure" "$P_OUT"
t_nomatch "use_first_pass, wrong stacked password: no second prompt" \
	"PACER password:" "$P_OUT"

with_token - use jattorney "$PW" authenticate
t_match "use_first_pass, nothing stacked: PAM_AUTH_ERR" \
	"pamtester: Authentication failure" "$P_OUT"
t_nomatch "use_first_pass, nothing stacked: no prompt" "PACER password:" "$P_OUT"

with_token "$PW" try jattorney "" authenticate acct_mgmt
t_eq "try_first_pass, stacked password: success" 0 "$P_RC"
t_nomatch "try_first_pass, stacked password: no prompt" "PACER password:" "$P_OUT"

with_token - try jattorney "$PW" authenticate acct_mgmt
t_eq "try_first_pass, nothing stacked: asks, then success" 0 "$P_RC"
t_match "try_first_pass, nothing stacked: the prompt" "PACER password:" "$P_OUT"

with_token "Wrong-Pass-1" plain jattorney "$PW" authenticate acct_mgmt
t_eq "neither option: asks afresh and ignores the stacked password" 0 "$P_RC"
t_match "neither option: the prompt" "PACER password:" "$P_OUT"

with_token "$PW" both jattorney "$PW" authenticate
t_match "use_first_pass with try_first_pass: PAM_SERVICE_ERR" \
	"pamtester: Error in service module" "$P_OUT"

t_done
