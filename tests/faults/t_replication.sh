#!/bin/sh
# Two providers replicating each other (multi-provider syncrepl): logins
# survive either one stopping; links go only to link_uri and exit 5 when it
# is down, writing nowhere else; a link written through A is honoured by
# the module reading only B; --check agrees on both.
. "$(dirname "$0")/f_lib.sh"
repl_start || { t_fail "two replicating providers start"; exit 1; }
f_setup
A=$REPL_A_LDAPS_URI
B=$REPL_B_LDAPS_URI
FAST="network_timeout 1 timeout 1 login_budget 3"
LEGACY="uid=jattorney1,ou=cmecf,cn=mnd,ou=courts,$RIG_BASE"
PACER="uid=jattorney,ou=pacer,$RIG_BASE"

t_eq "setup: B replicated A's entries" "$(repl_count A)" "$(repl_count B)"
# shellcheck disable=SC2086
p_conf both uri "$A $B" link_uri "$A" $FAST
# shellcheck disable=SC2086
p_conf only-b uri "$B" $FAST
p_service both both court=mnd
p_service only-b only-b court=mnd efile
f_hconf uri "$A $B" link_uri "$A" network_timeout 1 timeout 1
rig_write_conf "$H_DIR/check-a.conf" uri "$A $B" link_uri "$A"
rig_write_conf "$H_DIR/check-b.conf" uri "$A $B" link_uri "$B"

# ---- logins with both, with either stopped ------------------------------------
p_drive both jattorney "$F_PW" auth acct
t_match "both up: PAM_SUCCESS" "^acct: PAM_SUCCESS" "$P_OUT"
repl_stop B
p_drive both jattorney "$F_PW" auth acct
t_match "B stopped: login through A, PAM_SUCCESS" "^acct: PAM_SUCCESS" "$P_OUT"
p_tester both mlawyer "$F_PW" authenticate acct_mgmt
t_eq "B stopped: pamtester succeeds" 0 "$P_RC"
repl_restart B || t_fail "B restarts"
repl_stop A
p_drive both jattorney "$F_PW" auth acct
t_match "A stopped: login fails over to B, PAM_SUCCESS" "^acct: PAM_SUCCESS" "$P_OUT"
t_le "A stopped: within login_budget ($P_MS ms)" "$P_MS" 3000
p_tester both mlawyer "$F_PW" authenticate acct_mgmt
t_eq "A stopped: pamtester succeeds" 0 "$P_RC"
p_drive both jattorney wrong-password auth
t_match "A stopped: a wrong password is still PAM_AUTH_ERR on B" "^auth: PAM_AUTH_ERR" "$P_OUT"

# ---- the link provider down: exit 5, nothing written on B ------------------------
h_in jattorney "$F_PW" jattorney1 "$F_EPW" yes
f_ms h_run
t_eq "A stopped: cmecf-link exits 5" 5 "$H_RC"
t_match "A stopped: the message names A" "127\.0\.0\.1:$REPL_A_TLS_PORT" "$H_OUT"
t_nomatch "A stopped: the message does not offer B" "127\.0\.0\.1:$REPL_B_TLS_PORT" "$H_OUT"
t_le "A stopped: cmecf-link gives up within 5 s ($F_MS ms)" "$F_MS" 5000
t_eq "A stopped: nothing written on B (legacy side)" "" "$(f_linked jattorney1 B)"
t_eq "A stopped: nothing written on B (PACER side)" "" "$(f_plinks jattorney B)"
t_match "A stopped: the audit line says unavailable" "outcome=unavailable" "$(cat "$H_LOG")"

# ---- a link through A, honoured by the module reading only B --------------------
repl_restart A || t_fail "A restarts"
p_drive only-b jattorney "$F_PW" auth acct
t_match "before the link: efile on B refused" "^acct: PAM_PERM_DENIED" "$P_OUT"
h_in jattorney "$F_PW" jattorney1 "$F_EPW" yes
h_run
t_eq "A up: cmecf-link links through A (exit 0)" 0 "$H_RC"
t_eq "A up: legacy side on A" "$PACER" "$(f_linked jattorney1 A)"
repl_wait_same "$LEGACY" cmecfLinkedPacer 10
t_eq "replicated: legacy side on B" "$PACER" "$(f_linked jattorney1 B)"
repl_wait_same "$PACER" pacerLinkedCmecf 10
t_eq "replicated: PACER side on B" "$LEGACY" "$(f_plinks jattorney B)"
p_tester only-b jattorney "$F_PW" authenticate acct_mgmt
t_eq "the module reading only B: efile login succeeds" 0 "$P_RC"
p_drive only-b jattorney "$F_PW" -e -- auth acct
t_match "the module reading only B: CMECF_LOGIN from the link" "^env: CMECF_LOGIN=jattorney1$" "$P_OUT"

# ---- --check on either provider --------------------------------------------------
h_root --check --config "$H_DIR/check-a.conf"
rc_a=$H_RC; out_a=$H_OUT
h_root --check --config "$H_DIR/check-b.conf"
rc_b=$H_RC; out_b=$H_OUT
t_eq "--check against A: consistent (0)" 0 "$rc_a"
t_eq "--check against B: consistent (0)" 0 "$rc_b"
t_match "--check against A says consistent" "consistent" "$out_a"
t_eq "--check: A and B agree" "$out_a" "$out_b"
# A half link made by hand on B replicates to A; both see it the same way.
printf 'dn: uid=mlawyer7,ou=cmecf,cn=mnd,ou=courts,%s\nchangetype: modify\nadd: cmecfLinkedPacer\ncmecfLinkedPacer: uid=mlawyer,ou=pacer,%s\n' \
	"$RIG_BASE" "$RIG_BASE" | ldapmodify -x -H "$REPL_B_LDAPI_URI" -D "$RIG_ROOTDN" -w "$RIG_ROOTPW" >/dev/null
repl_wait_same "uid=mlawyer7,ou=cmecf,cn=mnd,ou=courts,$RIG_BASE" cmecfLinkedPacer 10
h_root --check --config "$H_DIR/check-a.conf"
rc_a=$H_RC; out_a=$H_OUT
h_root --check --config "$H_DIR/check-b.conf"
t_eq "half link made on B: --check on A and on B agree (exit $rc_a)" "$rc_a $out_a" "$H_RC $H_OUT"
t_match "half link made on B: found" "half-link:.*mlawyer7" "$out_a"
t_eq "half link: --check exits 3" 3 "$rc_a"

f_end t_replication
