/* Account records from entries, GeneralizedTime, and the DN builders. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "account.h"

/* A fake entry: attribute name -> up to 3 values. */
struct fake_attr {
	const char *name;
	struct berval v[3];
	struct berval *p[4];
};
struct fake_entry {
	struct fake_attr a[8];
	size_t n;
};

static void
fake_add(struct fake_entry *e, const char *name, const char *v0, const char *v1)
{
	struct fake_attr *a = &e->a[e->n++];

	memset(a, 0, sizeof(*a));
	a->name = name;
	a->v[0].bv_val = (char *)v0;
	a->v[0].bv_len = strlen(v0);
	a->p[0] = &a->v[0];
	if (v1 != NULL) {
		a->v[1].bv_val = (char *)v1;
		a->v[1].bv_len = strlen(v1);
		a->p[1] = &a->v[1];
	}
}

static struct berval **
fake_get(void *ctx, const char *name)
{
	struct fake_entry *e = ctx;
	size_t i;

	for (i = 0; i < e->n; i++)
		if (strcmp(e->a[i].name, name) == 0)
			return e->a[i].p;
	return NULL;
}

static void
test_pacer_individual(void **state)
{
	struct fake_entry e = { .n = 0 };
	struct pacer_account a;

	fake_add(&e, "uid", "jattorney", NULL);
	fake_add(&e, "cn", "John Attorney", NULL);
	fake_add(&e, "pacerAccountType", "Individual", NULL);
	fake_add(&e, "pacerUpgraded", "TRUE", NULL);
	fake_add(&e, "pacerLinkedCmecf", "uid=jattorney1,ou=cmecf,cn=mnd,ou=courts,dc=courts,dc=test",
		 "uid=jattorney2,ou=cmecf,cn=miwb,ou=courts,dc=courts,dc=test");
	assert_int_equal(acct_pacer_build("uid=jattorney,ou=pacer,dc=courts,dc=test",
					  fake_get, &e, &a), 0);
	assert_string_equal(a.uid, "jattorney");
	assert_string_equal(a.cn, "John Attorney");
	assert_int_equal(a.type, ACCT_TYPE_INDIVIDUAL);
	assert_int_equal(a.upgraded, 1);
	assert_int_equal(a.n_linked, 2);
	acct_pacer_free(&a);
}

static void
test_pacer_malformed(void **state)
{
	struct fake_entry e = { .n = 0 };
	struct pacer_account a;
	static const char nul_uid[] = { 'j', '\0', 'x' };

	/* Missing uid: refused. */
	fake_add(&e, "cn", "X", NULL);
	assert_int_equal(acct_pacer_build("uid=x,dc=t", fake_get, &e, &a), -1);
	/* Two uids: ambiguous, refused. */
	fake_add(&e, "uid", "a", "b");
	assert_int_equal(acct_pacer_build("uid=a,dc=t", fake_get, &e, &a), -1);
	/* A uid with a NUL inside: refused. */
	e.n = 0;
	fake_add(&e, "cn", "X", NULL);
	fake_add(&e, "uid", "j", NULL);
	e.a[1].v[0].bv_val = (char *)nul_uid;
	e.a[1].v[0].bv_len = sizeof(nul_uid);
	assert_int_equal(acct_pacer_build("uid=j,dc=t", fake_get, &e, &a), -1);
	/* Odd type and boolean: kept as unknown, which every decision refuses. */
	e.n = 0;
	fake_add(&e, "uid", "j", NULL);
	fake_add(&e, "cn", "J", NULL);
	fake_add(&e, "pacerAccountType", "shared", NULL);
	fake_add(&e, "pacerUpgraded", "yes", NULL);
	assert_int_equal(acct_pacer_build("uid=j,dc=t", fake_get, &e, &a), 0);
	assert_int_equal(a.type, ACCT_TYPE_UNKNOWN);
	assert_int_equal(a.upgraded, -1);
	acct_pacer_free(&a);
	assert_int_equal(acct_pacer_build(NULL, fake_get, &e, &a), -1);
}

static void
test_court_and_gtime(void **state)
{
	struct fake_entry e = { .n = 0 };
	struct pacer_court c;
	time_t t;

	fake_add(&e, "cn", "miwb", NULL);
	fake_add(&e, "pacerCourtType", "bankruptcy", NULL);
	fake_add(&e, "pacerNextGenGoLive", "20201123000000Z", NULL);
	assert_int_equal(acct_court_build("cn=miwb,ou=courts,dc=t", fake_get, &e, &c), 0);
	assert_int_equal(c.type, COURT_BANKRUPTCY);
	assert_true(c.scheduled);
	assert_int_equal(c.go_live, 1606089600);
	assert_true(court_is_live(&c, 1606089600));
	assert_false(court_is_live(&c, 1606089599));
	acct_court_free(&c);

	assert_int_equal(gtime_parse("20201123000000Z", &t), 0);
	assert_int_equal(t, 1606089600);
	assert_int_equal(gtime_parse("202011230000Z", &t), 0);
	assert_int_equal(t, 1606089600);
	assert_int_equal(gtime_parse("2020112301Z", &t), 0);
	assert_int_equal(t, 1606089600 + 3600);
	assert_int_equal(gtime_parse("20201123000000.5Z", &t), 0);
	assert_int_equal(gtime_parse("20201123010000+0100", &t), 0);
	assert_int_equal(t, 1606089600);
	assert_int_equal(gtime_parse("20201323000000Z", &t), -1);
	assert_int_equal(gtime_parse("20201123000000", &t), -1);
	assert_int_equal(gtime_parse("2020112300000Z", &t), -1);
	assert_int_equal(gtime_parse("20201123000000Zjunk", &t), -1);
	assert_int_equal(gtime_parse("", &t), -1);
	assert_int_equal(gtime_parse(NULL, &t), -1);

	/* Not scheduled, or a malformed date: never live. */
	e.n = 0;
	fake_add(&e, "cn", "cand", NULL);
	fake_add(&e, "pacerNextGenGoLive", "soon", NULL);
	assert_int_equal(acct_court_build("cn=cand,dc=t", fake_get, &e, &c), 0);
	assert_false(c.scheduled);
	assert_false(court_is_live(&c, 2000000000));
	acct_court_free(&c);
}

static void
test_gtime_format(void **state)
{
	char buf[64];

	gtime_format(1606089600, buf, sizeof(buf));
	assert_string_equal(buf, "20201123000000Z");
	gtime_format_human(1606089600, buf, sizeof(buf));
	assert_string_equal(buf, "November 23, 2020");
}

static void
test_dns_and_links(void **state)
{
	struct cfg cfg;
	struct pacer_account a;
	struct fake_entry e = { .n = 0 };
	char *dn;

	memset(&cfg, 0, sizeof(cfg));
	cfg.pacer_base = (char *)"ou=pacer,dc=courts,dc=test";
	cfg.courts_base = (char *)"ou=courts,dc=courts,dc=test";

	dn = acct_pacer_dn(&cfg, "jattorney");
	assert_string_equal(dn, "uid=jattorney,ou=pacer,dc=courts,dc=test");
	free(dn);
	assert_null(acct_pacer_dn(&cfg, "x)(uid=*"));
	assert_null(acct_pacer_dn(&cfg, "uid=x,ou=pacer"));
	dn = acct_cmecf_dn(&cfg, "mnd", "jattorney1");
	assert_string_equal(dn, "uid=jattorney1,ou=cmecf,cn=mnd,ou=courts,dc=courts,dc=test");
	free(dn);
	assert_null(acct_cmecf_dn(&cfg, "mnd,ou=x", "jattorney1"));
	dn = acct_court_dn(&cfg, "miwb");
	assert_string_equal(dn, "cn=miwb,ou=courts,dc=courts,dc=test");
	free(dn);

	fake_add(&e, "uid", "jattorney", NULL);
	fake_add(&e, "cn", "John Attorney", NULL);
	fake_add(&e, "pacerLinkedCmecf", "uid=jattorney2,ou=cmecf,cn=miwb,ou=courts,dc=courts,dc=test", NULL);
	assert_int_equal(acct_pacer_build("uid=jattorney,ou=pacer,dc=courts,dc=test", fake_get, &e, &a), 0);
	assert_null(acct_pacer_link_in(&a, &cfg, "mnd"));
	assert_string_equal(acct_pacer_link_in(&a, &cfg, "miwb"),
			    "uid=jattorney2,ou=cmecf,cn=miwb,ou=courts,dc=courts,dc=test");
	acct_pacer_free(&a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pacer_individual),
		cmocka_unit_test(test_pacer_malformed),
		cmocka_unit_test(test_court_and_gtime),
		cmocka_unit_test(test_gtime_format),
		cmocka_unit_test(test_dns_and_links),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
