# bench/gen.awk - LDIF for a large directory, for slapadd.
#
#   awk -v base=BASE -v npacer=N -v nlegacy=M -v nlinked=K -v hash=HASH \
#       -f bench/gen.awk </dev/null
#
# N PACER accounts uid=puNNNNNN,ou=pacer (individual, upgraded); M legacy
# accounts split between the courts mnd and miwb (mndNNNNNN, miwbNNNNNN);
# the first K PACER accounts are linked, both sides, to mnd legacy accounts
# of the same number; the legacy account of the same number as a PACER
# account has the same cn, so any pair can be linked later. Every account's
# userPassword is HASH.
function pacer(i,   dn) {
	dn = sprintf("uid=pu%06d,ou=pacer,%s", i, base)
	printf "dn: %s\nobjectClass: inetOrgPerson\nobjectClass: pacerAccount\n", dn
	printf "uid: pu%06d\ncn: Person %d Bench\nsn: Bench\ngivenName: Person %d\n", i, i, i
	printf "mail: pu%06d@pacer.example.test\npacerAccountType: individual\n", i
	printf "pacerUpgraded: TRUE\nuserPassword: %s\n", hash
	if (i <= nlinked)
		printf "pacerLinkedCmecf: uid=mnd%06d,ou=cmecf,cn=mnd,ou=courts,%s\n", i, base
	printf "\n"
}
function legacy(court, i) {
	printf "dn: uid=%s%06d,ou=cmecf,cn=%s,ou=courts,%s\n", court, i, court, base
	printf "objectClass: inetOrgPerson\nobjectClass: cmecfAccount\n"
	printf "uid: %s%06d\ncn: Person %d Bench\nsn: Bench\n", court, i, i
	printf "userPassword: %s\n", hash
	if (court == "mnd" && i <= nlinked) {
		printf "cmecfLinkedPacer: uid=pu%06d,ou=pacer,%s\n", i, base
		printf "cmecfLinkedTime: 20250101000000Z\n"
		printf "cmecfLinkedBy: bench load\n"
	}
	printf "\n"
}
BEGIN {
	for (i = 1; i <= npacer; i++)
		pacer(i)
	half = int(nlegacy / 2)
	for (i = 1; i <= half; i++)
		legacy("mnd", i)
	for (i = 1; i <= nlegacy - half; i++)
		legacy("miwb", i)
}
