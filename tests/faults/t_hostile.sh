#!/bin/sh
# Hostile input, table-driven (tests/faults/hostile.table): user names,
# passwords, client codes, answers to cmecf-link, configuration lines and
# password files. Each row names its input and the refusal it must get.
. "$(dirname "$0")/f_lib.sh"
rig_start || { t_fail "the test directory server starts"; exit 1; }
f_setup
rig_blackhole_start || { t_fail "the black-hole listener starts"; exit 1; }
TABLE=$T_TOP/tests/faults/hostile.table
BASECONF=$P_DIR/base.conf
p_conf hole uri "ldap://127.0.0.1:$BH_PORT" allow_plaintext yes network_timeout 1 timeout 1 login_budget 2
p_conf live uri "$RIG_LDAPI_URI"
p_service hole hole
p_service live live
p_service code live client_code
p_service hconf hostile
rig_write_conf "$BASECONF" link_uri "$RIG_LDAPI_URI"
cp "$BASECONF" "$H_ETC/pam_pacer.conf"

# h_expand INPUT FILE: the row's input, escapes decoded, into FILE.
h_expand() {
	case "$1" in
	@rep:*)
		_he_c=${1#@rep:}; _he_n=${_he_c#*:}; _he_c=${_he_c%%:*}
		head -c "$_he_n" /dev/zero | tr '\0' "$_he_c" >"$2" ;;
	@bigline) head -c 1048576 /dev/zero | tr '\0' a >"$2" ;;
	*) env printf '%b' "$1" >"$2" ;;
	esac
}

# h_pam SVC USER STDIN-FILE [OP...]: the driver (auth, unless OPs are
# given); sets P_OUT, P_LOG.
h_pam() {
	_hp_svc=$1; _hp_user=$2; _hp_in=$3; shift 3
	[ $# -gt 0 ] || set -- auth
	: >"$P_LOGFILE"
	P_OUT=$(p_run_driver -c "$P_DIR" -s "$_hp_svc" -r rhost.example.test "$_hp_user" "$@" <"$_hp_in" 2>&1)
	P_LOG=$(cat "$P_LOGFILE")
}

# h_link STDIN-FILE: cmecf-link as nobody; sets H_OUT, H_RC.
h_link() {
	H_OUT=$(h_exec "$H_BIN" <"$1" 2>&1)
	H_RC=$?
}

IN=$P_DIR/in
ANS=$P_DIR/answers
nrows=0
while IFS='|' read -r kind what input expect; do
	case "$kind" in ''|'#'*) continue ;; esac
	nrows=$((nrows + 1))
	name="$kind: $what"
	h_expand "$input" "$IN"
	before=$(p_conns "$BH_PORT")
	ran_pam=; ran_link=
	case "$kind" in
	user)
		printf '%s\n' "$F_PW" >"$ANS"
		h_pam hole "$(cat "$IN")" "$ANS"; ran_pam=1 ;;
	pass)
		{ cat "$IN"; echo; } >"$ANS"
		h_pam live jattorney "$ANS"; ran_pam=1 ;;
	code)
		{ printf '%s\n' "$F_PW"; cat "$IN"; echo; } >"$ANS"
		h_pam code jattorney "$ANS"; ran_pam=1 ;;
	lpacer)
		{ cat "$IN"; printf '\n%s\nmlawyer7\n%s\nyes\n' "$F_PW" "$F_EPW"; } >"$ANS"
		h_link "$ANS"; ran_link=1 ;;
	lecf)
		{ printf 'mlawyer\n%s\n' "$F_PW"; cat "$IN"; printf '\n%s\nyes\n' "$F_EPW"; } >"$ANS"
		h_link "$ANS"; ran_link=1 ;;
	lconfirm)
		{ printf 'mlawyer\n%s\nmlawyer7\n%s\n' "$F_PW" "$F_EPW"; cat "$IN"; echo; } >"$ANS"
		h_link "$ANS"; ran_link=1 ;;
	conf)
		{ cat "$BASECONF"; cat "$IN"; echo; } >"$P_DIR/hostile.conf"
		cp "$P_DIR/hostile.conf" "$H_ETC/pam_pacer.conf"
		printf '%s\n' "$F_PW" >"$ANS"
		h_pam hconf jattorney "$ANS"; ran_pam=1
		printf 'mlawyer\n%s\nmlawyer7\n%s\nyes\n' "$F_PW" "$F_EPW" >"$ANS"
		h_link "$ANS"; ran_link=1 ;;
	secret)
		rm -f "$P_DIR/s-lookup.pw" "$P_DIR/s-link.pw"
		cp -p "$RIG_LOOKUP_PW_FILE" "$P_DIR/s-lookup.pw"
		cp -p "$RIG_LINK_PW_FILE" "$P_DIR/s-link.pw"
		case "$input" in
		@owner:*) chown "${input#@owner:}" "$P_DIR/s-lookup.pw" "$P_DIR/s-link.pw" ;;
		@mode:*) chmod "${input#@mode:}" "$P_DIR/s-lookup.pw" "$P_DIR/s-link.pw" ;;
		@symlink)
			rm -f "$P_DIR/s-lookup.pw" "$P_DIR/s-link.pw"
			ln -s "$RIG_LOOKUP_PW_FILE" "$P_DIR/s-lookup.pw"
			ln -s "$RIG_LINK_PW_FILE" "$P_DIR/s-link.pw" ;;
		esac
		rig_write_conf "$P_DIR/hostile.conf" link_uri "$RIG_LDAPI_URI" \
			bindpw_file "$P_DIR/s-lookup.pw" link_bindpw_file "$P_DIR/s-link.pw"
		cp "$P_DIR/hostile.conf" "$H_ETC/pam_pacer.conf"
		printf 'wrong-password\n' >"$ANS"
		h_pam hconf jattorney "$ANS"; ran_pam=1
		printf 'mlawyer\n%s\nmlawyer7\n%s\nyes\n' "$F_PW" "$F_EPW" >"$ANS"
		h_link "$ANS"; ran_link=1 ;;
	*) t_fail "$name: unknown kind in the table"; continue ;;
	esac
	cp "$BASECONF" "$H_ETC/pam_pacer.conf"
	# Each expectation of the row, one TAP line each.
	rest=$expect
	while [ -n "$rest" ]; do
		e=${rest%%;*}
		[ "$e" = "$rest" ] && rest= || rest=${rest#*;}
		case "$e" in
		PAM_*)
			[ -n "$ran_pam" ] || { t_fail "$name: $e (no PAM call in this kind)"; continue; }
			t_match "$name: $e" "^(auth|acct): $e\$" "$P_OUT"
			[ "$e" != PAM_SUCCESS ] &&
				t_nomatch "$name: no call succeeds" "^acct: PAM_SUCCESS|^auth: PAM_SUCCESS\$.*" "$(printf '%s\n' "$P_OUT" | grep -E '^(auth|acct):' | tail -1)" ;;
		exit=*)
			[ -n "$ran_link" ] || { t_fail "$name: $e (no cmecf-link run in this kind)"; continue; }
			t_eq "$name: cmecf-link $e" "${e#exit=}" "$H_RC" ;;
		nocontact)
			t_eq "$name: the server was not contacted" "$before" "$(p_conns "$BH_PORT")" ;;
		nolink)
			t_eq "$name: nothing linked" "" "$(h_linked_pacer mlawyer7)$(h_pacer_links mlawyer)" ;;
		msg=*)
			case "$P_OUT$P_LOG$H_OUT" in
			*"${e#msg=}"*) t_ok "$name: says '${e#msg=}'" ;;
			*) t_fail "$name: says '${e#msg=}'" "$(printf '%s %s' "$P_OUT$P_LOG" "$H_OUT" | head -c 400)" ;;
			esac ;;
		*) t_fail "$name: unknown expectation '$e'" ;;
		esac
	done
	case "$kind" in
	pass|code|user) p_no_secret "$name: no password in the output or the log" "$F_PW" ;;
	esac
done <"$TABLE"
t_le "the table has at least 60 rows ($nrows)" 60 "$nrows"
# The sanity row the table is measured against: the right answers link.
printf 'mlawyer\n%s\nmlawyer7\n%s\nyes\n' "$F_PW" "$F_EPW" >"$ANS"
cp "$BASECONF" "$H_ETC/pam_pacer.conf"
h_link "$ANS"
t_eq "control: the right answers link (exit 0)" 0 "$H_RC"
printf '%s\n' "$F_PW" >"$ANS"
h_pam live jattorney "$ANS"
t_match "control: the right password succeeds" "^auth: PAM_SUCCESS$" "$P_OUT"

f_end t_hostile
