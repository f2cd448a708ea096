#!/bin/sh
# make demo: a throwaway directory with the sample data, one court server's
# day in a few steps. Every step prints what it runs and what came back.
set -u
# cmecf-link keeps its failure count under /var/lib/cmecf-link: this run
# gets an empty /var/lib of its own (a private mount namespace), so the
# host's is never written.
if [ -z "${PACER_OWN_VARLIB:-}" ]; then
	PACER_OWN_VARLIB=1 exec unshare -m --propagation private sh -c \
		'mount -t tmpfs -o mode=755,size=16m pacer-varlib /var/lib &&
		exec sh "$@"' sh "$0" "$@"
fi
. "$(dirname "$0")/lib.sh"
. "$T_TOP/tests/rig/rig.sh"

say()  { printf '\n\033[1m== %s\033[0m\n' "$*"; }
show() { printf '$ %s\n' "$*"; }

MODULE=$T_BUILD/pam_pacer.so
HELPER=$T_BUILD/cmecf-link
[ -f "$MODULE" ] && [ -x "$HELPER" ] || { echo "demo: build first (make)"; exit 1; }

say "Starting a throwaway slapd with ldap_schema/sample.ldif"
rig_start || { echo "demo: the directory did not start"; exit 1; }
echo "slapd pid $RIG_PID, $RIG_LDAPS_URI and $RIG_LDAPI_URI, suffix $RIG_BASE"
echo "courts: mnd (district, live since June 14, 2021), miwb (bankruptcy, live"
echo "since November 23, 2020), cand (goes live June 1, 2027)"

DEMO=$(rig_mkdir) && rig_track_dir "$DEMO"
CONF=$DEMO/pam_pacer.conf
rig_write_conf "$CONF" uri "$RIG_LDAPS_URI"
mkdir -p "$DEMO/pam.d"
# Any other service name is denied, as a server's /etc/pam.d/other does.
printf 'auth required pam_deny.so\naccount required pam_deny.so\n' >"$DEMO/pam.d/other"
printf 'auth required %s config=%s\naccount required %s config=%s\n' \
	"$MODULE" "$CONF" "$MODULE" "$CONF" >"$DEMO/pam.d/court-query"
printf 'auth required %s config=%s\naccount required %s config=%s efile\n' \
	"$MODULE" "$CONF" "$MODULE" "$CONF" >"$DEMO/pam.d/court-efile"

say "The configuration (/etc/security/pam_pacer.conf on a court server)"
sed 's/^/    /' "$CONF"

pam() { # SERVICE USER PASSWORD
	show "pamtester $1 $2 authenticate acct_mgmt   (password typed: $3)"
	printf '%s\n' "$3" | LD_PRELOAD=libpam_wrapper.so PAM_WRAPPER=1 \
		PAM_WRAPPER_SERVICE_DIR="$DEMO/pam.d" \
		pamtester -v "$1" "$2" authenticate acct_mgmt 2>&1 | sed 's/^/    /'
}

say "1. John Attorney logs in with his upgraded PACER account (query access)"
pam court-query jattorney "$RIG_PACER_PW"

say "2. The same account with a wrong password is refused"
pam court-query jattorney wrong-password

say "3. He tries to e-file in Minnesota before linking his CM/ECF account"
pam court-efile jattorney "$RIG_PACER_PW"

say "4. His old CM/ECF login no longer works: the court is live on NextGen"
pam court-query jattorney1 "$RIG_ECF_PW"

say "5. He links the old CM/ECF account once, with cmecf-link"
echo "(answers, one per line: PACER username, PACER password, CM/ECF login,"
echo " CM/ECF password, then 'yes' at the confirmation)"
show "cmecf-link --config $CONF --court mnd"
printf '%s\n' jattorney "$RIG_PACER_PW" jattorney1 "$RIG_ECF_PW" yes |
	"$HELPER" --config "$CONF" --court mnd 2>&1 | sed 's/^/    /'
echo "    (exit status $?)"

say "6. Now he may e-file in Minnesota with his PACER credentials"
pam court-efile jattorney "$RIG_PACER_PW"

say "7. The legacy login is still refused, now pointing at the PACER account"
pam court-query jattorney1 "$RIG_ECF_PW"

say "8. The administrator's view"
show "cmecf-link --config $CONF --status --pacer-user jattorney"
"$HELPER" --config "$CONF" --status --pacer-user jattorney 2>&1 | sed 's/^/    /'
show "cmecf-link --config $CONF --report"
"$HELPER" --config "$CONF" --report 2>&1 | sed 's/^/    /'
show "cmecf-link --config $CONF --check"
"$HELPER" --config "$CONF" --check 2>&1 | sed 's/^/    /'

say "Stopping the throwaway slapd"
rig_stop_all
if [ -z "$(rig_pids)" ]; then echo "stopped; nothing left running"; fi
exit 0
