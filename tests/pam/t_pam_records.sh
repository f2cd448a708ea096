#!/bin/sh
# t_pam_records.sh - pam_pacer.so on records the directory may really
# hold: a person linked in 250 courts (every court has one legacy
# account per person; there is no cap), and a PACER entry whose account
# type is neither individual nor firm (refused for any access, with its
# own message).
. "$(dirname "$0")/../lib.sh"
. "$T_TOP/tests/rig/rig.sh"
. "$T_TOP/tests/pam/pam_lib.sh"

pam_setup || exit 1
B=$RIG_BASE
PW=$RIG_PACER_PW
N=250
{
	i=1; while [ $i -le $N ]; do
		printf 'dn: cn=c%s,ou=courts,%s\nobjectClass: pacerCourt\ncn: c%s\npacerCourtType: district\npacerNextGenGoLive: 20200101000000Z\n\n' "$i" "$B" "$i"
		printf 'dn: ou=cmecf,cn=c%s,ou=courts,%s\nobjectClass: organizationalUnit\nou: cmecf\n\n' "$i" "$B"
		printf 'dn: uid=many,ou=cmecf,cn=c%s,ou=courts,%s\nobjectClass: inetOrgPerson\nobjectClass: cmecfAccount\nuid: many\ncn: Many Courts\nsn: Many\nuserPassword: Ecf-Demo-1\ncmecfLinkedPacer: uid=many,ou=pacer,%s\n\n' "$i" "$B" "$B"
		i=$((i + 1))
	done
	printf 'dn: uid=many,ou=pacer,%s\nobjectClass: inetOrgPerson\nobjectClass: pacerAccount\nuid: many\ncn: Many Courts\nsn: Many\npacerAccountType: individual\npacerUpgraded: TRUE\nuserPassword: %s\n' "$B" "$PW"
	i=1; while [ $i -le $N ]; do
		printf 'pacerLinkedCmecf: uid=many,ou=cmecf,cn=c%s,ou=courts,%s\n' "$i" "$B"
		i=$((i + 1))
	done
	printf '\ndn: uid=oddtype,ou=pacer,%s\nobjectClass: inetOrgPerson\nobjectClass: pacerAccount\nuid: oddtype\ncn: Odd Type\nsn: Odd\npacerAccountType: partnership\npacerUpgraded: TRUE\nuserPassword: %s\n\n' "$B" "$PW"
} | rig_ldapadd - >/dev/null || echo "not ok - fixtures load"

p_conf main
p_service svc main
p_service first main court=c1 efile
p_service last main court=c$N efile
p_service efile main efile
DENIED="pamtester: Permission denied"

p_tester last many "$PW" authenticate acct_mgmt
t_eq "$N links: e-file in the last court granted" 0 "$P_RC"
p_tester first many "$PW" authenticate acct_mgmt
t_eq "$N links: e-file in the first court granted" 0 "$P_RC"
p_tester efile many "$PW" authenticate acct_mgmt
t_match "$N links: not linked in mnd, so no e-file there" "$DENIED" "$P_OUT"

p_tester svc oddtype "$PW" authenticate acct_mgmt
t_match "unknown account type: refused even for query access" "$DENIED" "$P_OUT"
t_match "unknown account type: told why" "no valid account type" "$P_OUT"
t_nomatch "unknown account type: not called a firm account" "shared firm" "$P_OUT"
p_tester efile oddtype "$PW" authenticate acct_mgmt
t_match "unknown account type with efile: refused" "$DENIED" "$P_OUT"
t_match "unknown account type with efile: its own message" "no valid account type" "$P_OUT"

[ "$T_FAILS" -eq 0 ]
