/*
 * initcost.c - what libldap costs a process the first time it is used:
 *
 *   initcost none|init|tls [CAFILE]
 *
 * none: nothing (the process's own start and exit, libldap mapped).
 * init: the first ldap_initialize() and its unbind, which runs libldap's
 *       process-wide initialisation (ldap.conf and ~/.ldaprc, LDAP*
 *       variables, and Cyrus SASL's sasl_client_init, which loads every
 *       plugin in the SASL plugin directory).
 * tls:  init, then a TLS context of the handle's own from CAFILE, as
 *       pam_pacer sets one up for every TLS connection.
 * Prints "initcost MODE first_us=N second_us=M": the first call and, for
 * comparison, the same again in the same process.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <ldap.h>

static uint64_t ic_now_us(void)
{
	struct timespec ts;

	(void)clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

/* One handle as the mode asks; 0 or -1. */
static int ic_once(int tls, const char *cafile)
{
	LDAP *ld = NULL;
	int zero = 0, demand = LDAP_OPT_X_TLS_DEMAND, rc = -1;

	if (ldap_initialize(&ld, "ldapi:///") != LDAP_SUCCESS)
		return -1;
	if (tls && (ldap_set_option(ld, LDAP_OPT_X_TLS_REQUIRE_CERT, &demand) != 0 ||
		    ldap_set_option(ld, LDAP_OPT_X_TLS_CACERTFILE, cafile) != 0 ||
		    ldap_set_option(ld, LDAP_OPT_X_TLS_NEWCTX, &zero) != 0))
		goto done;
	rc = 0;
done:
	(void)ldap_unbind_ext_s(ld, NULL, NULL);
	return rc;
}

int main(int argc, char **argv)
{
	uint64_t t0, t1, t2;
	int tls;

	if (argc < 2 || (strcmp(argv[1], "none") != 0 &&
			 strcmp(argv[1], "init") != 0 &&
			 strcmp(argv[1], "tls") != 0) ||
	    (strcmp(argv[1], "tls") == 0 && argc != 3)) {
		fprintf(stderr, "usage: initcost none|init|tls [CAFILE]\n");
		return 2;
	}
	if (strcmp(argv[1], "none") == 0) {
		printf("initcost none first_us=0 second_us=0\n");
		return 0;
	}
	tls = strcmp(argv[1], "tls") == 0;
	t0 = ic_now_us();
	if (ic_once(tls, argv[2]) != 0) {
		fprintf(stderr, "initcost: libldap call failed\n");
		return 1;
	}
	t1 = ic_now_us();
	if (ic_once(tls, argv[2]) != 0) {
		fprintf(stderr, "initcost: libldap call failed\n");
		return 1;
	}
	t2 = ic_now_us();
	printf("initcost %s first_us=%llu second_us=%llu\n", argv[1],
	       (unsigned long long)(t1 - t0), (unsigned long long)(t2 - t1));
	return 0;
}
