/*
 * The refusal rules (common/decide.c) on hand-built records: every rule
 * both ways, without a directory.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "account.h"
#include "decide.h"

#define GO_LIVE ((time_t)1606089600)	/* 2020-11-23 00:00:00Z */
#define N_COURTS 250

#define PACER_DN "uid=jattorney,ou=pacer,dc=courts,dc=test"
#define OTHER_PACER_DN "uid=jfirm,ou=pacer,dc=courts,dc=test"
#define MND_DN "uid=jattorney1,ou=cmecf,cn=mnd,ou=courts,dc=courts,dc=test"
#define MND_OTHER_DN "uid=jother,ou=cmecf,cn=mnd,ou=courts,dc=courts,dc=test"
#define MIWB_DN "uid=jattorney2,ou=cmecf,cn=miwb,ou=courts,dc=courts,dc=test"

static struct cfg test_cfg = {
	.base = (char *)"dc=courts,dc=test",
	.pacer_base = (char *)"ou=pacer,dc=courts,dc=test",
	.courts_base = (char *)"ou=courts,dc=courts,dc=test",
};

/* A PACER account of TYPE, UPGRADED, naming the N DNs in LINKED. */
static struct pacer_account
pacer(enum acct_type type, int upgraded, char **linked, size_t n)
{
	struct pacer_account a;

	memset(&a, 0, sizeof(a));
	a.dn = (char *)PACER_DN;
	a.uid = (char *)"jattorney";
	a.cn = (char *)"John Attorney";
	a.type = type;
	a.upgraded = upgraded;
	a.linked = linked;
	a.n_linked = n;
	return a;
}

/* A legacy account at DN naming LINKED_PACER (NULL: not linked). */
static struct cmecf_account
legacy(const char *dn, const char *linked_pacer)
{
	struct cmecf_account l;

	memset(&l, 0, sizeof(l));
	l.dn = (char *)dn;
	l.uid = (char *)"jattorney1";
	l.cn = (char *)"John Attorney";
	l.linked_pacer = (char *)linked_pacer;
	return l;
}

/* A court, scheduled or not, going live at GO_LIVE. */
static struct pacer_court
court(bool scheduled)
{
	struct pacer_court c;

	memset(&c, 0, sizeof(c));
	c.dn = (char *)"cn=mnd,ou=courts,dc=courts,dc=test";
	c.id = (char *)"mnd";
	c.type = COURT_DISTRICT;
	c.scheduled = scheduled;
	c.go_live = scheduled ? GO_LIVE : 0;
	return c;
}

static void
test_court_live_boundary(void **state)
{
	struct pacer_court c = court(true);

	assert_int_equal(decide_court(&c, GO_LIVE), DECIDE_OK);
	assert_int_equal(decide_court(&c, GO_LIVE - 1), DECIDE_COURT_NOT_LIVE);
	assert_int_equal(decide_court(&c, GO_LIVE + 1), DECIDE_OK);
	/* court_is_live, which pm_auth.c asks, is the same rule. */
	assert_true(court_is_live(&c, GO_LIVE));
	assert_false(court_is_live(&c, GO_LIVE - 1));
	assert_true(court_is_live(&c, GO_LIVE + 1));
}

static void
test_court_not_scheduled(void **state)
{
	struct pacer_court c = court(false);

	assert_int_equal(decide_court(&c, GO_LIVE), DECIDE_COURT_NOT_SCHEDULED);
	/* A date left in an unscheduled record counts for nothing. */
	c.go_live = GO_LIVE - 86400;
	assert_int_equal(decide_court(&c, GO_LIVE),
			 DECIDE_COURT_NOT_SCHEDULED);
	assert_false(court_is_live(&c, GO_LIVE));
	assert_int_equal(decide_court(NULL, GO_LIVE), DECIDE_COURT_UNKNOWN);
	assert_false(court_is_live(NULL, GO_LIVE));
}

/* Both programs' account rules over every type and pacerUpgraded value:
 * cmecf-link tells a firm or unknown type before the upgrade; the module
 * tells the upgrade first and lets a firm account query. */
static void
test_account_rules(void **state)
{
	static const struct {
		enum acct_type type;
		int upgraded;
		enum decide_refusal link, login;
	} rows[] = {
		{ ACCT_TYPE_INDIVIDUAL, 1, DECIDE_OK, DECIDE_OK },
		{ ACCT_TYPE_INDIVIDUAL, 0, DECIDE_NOT_UPGRADED,
		  DECIDE_NOT_UPGRADED },
		{ ACCT_TYPE_INDIVIDUAL, -1, DECIDE_NOT_UPGRADED,
		  DECIDE_NOT_UPGRADED },
		{ ACCT_TYPE_FIRM, 1, DECIDE_FIRM, DECIDE_OK },
		{ ACCT_TYPE_FIRM, 0, DECIDE_FIRM, DECIDE_NOT_UPGRADED },
		{ ACCT_TYPE_FIRM, -1, DECIDE_FIRM, DECIDE_NOT_UPGRADED },
		{ ACCT_TYPE_UNKNOWN, 1, DECIDE_TYPE_UNKNOWN,
		  DECIDE_TYPE_UNKNOWN },
		{ ACCT_TYPE_UNKNOWN, 0, DECIDE_TYPE_UNKNOWN,
		  DECIDE_NOT_UPGRADED },
		{ ACCT_TYPE_UNKNOWN, -1, DECIDE_TYPE_UNKNOWN,
		  DECIDE_NOT_UPGRADED },
	};
	enum decide_refusal link, login;
	struct pacer_account a;
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		a = pacer(rows[i].type, rows[i].upgraded, NULL, 0);
		link = decide_link_account(&a);
		login = decide_login_account(&a);
		if (link != rows[i].link || login != rows[i].login)
			fail_msg("type %d upgraded %d: link %d login %d, "
				 "want %d and %d", rows[i].type,
				 rows[i].upgraded, link, login, rows[i].link,
				 rows[i].login);
	}
	assert_int_equal(decide_link_account(NULL), DECIDE_TYPE_UNKNOWN);
	assert_int_equal(decide_login_account(NULL), DECIDE_TYPE_UNKNOWN);
}

static void
test_legacy_free(void **state)
{
	struct pacer_account a = pacer(ACCT_TYPE_INDIVIDUAL, 1, NULL, 0);
	struct cmecf_account l = legacy(MND_DN, NULL);

	assert_int_equal(decide_legacy_free(&l, &a), DECIDE_OK);
	l.linked_pacer = (char *)PACER_DN;
	assert_int_equal(decide_legacy_free(&l, &a), DECIDE_LEGACY_LINKED_SELF);
	/* DN equality, not text: case and spacing do not matter. */
	l.linked_pacer = (char *)"UID=jattorney, ou=Pacer,dc=courts,dc=test";
	assert_int_equal(decide_legacy_free(&l, &a), DECIDE_LEGACY_LINKED_SELF);
	l.linked_pacer = (char *)OTHER_PACER_DN;
	assert_int_equal(decide_legacy_free(&l, &a),
			 DECIDE_LEGACY_LINKED_OTHER);
	/* A value that is no DN names no one we know: still linked. */
	l.linked_pacer = (char *)"not a dn";
	assert_int_equal(decide_legacy_free(&l, &a),
			 DECIDE_LEGACY_LINKED_OTHER);
	l.linked_pacer = (char *)PACER_DN;
	assert_int_equal(decide_legacy_free(&l, NULL),
			 DECIDE_LEGACY_LINKED_OTHER);
}

static void
test_pacer_free(void **state)
{
	char *both[] = { (char *)MIWB_DN, (char *)MND_DN };
	char *miwb_only[] = { (char *)MIWB_DN };
	struct pacer_account a = pacer(ACCT_TYPE_INDIVIDUAL, 1, NULL, 0);
	const char *other = "unset";

	assert_int_equal(decide_pacer_free(&a, &test_cfg, "mnd", &other),
			 DECIDE_OK);
	assert_null(other);

	/* Linked in another court only: free here, not there. */
	a = pacer(ACCT_TYPE_INDIVIDUAL, 1, miwb_only, 1);
	other = "unset";
	assert_int_equal(decide_pacer_free(&a, &test_cfg, "mnd", &other),
			 DECIDE_OK);
	assert_null(other);
	assert_int_equal(decide_pacer_free(&a, &test_cfg, "miwb", &other),
			 DECIDE_PACER_LINKED_IN_COURT);
	assert_ptr_equal(other, miwb_only[0]);

	a = pacer(ACCT_TYPE_INDIVIDUAL, 1, both, 2);
	assert_int_equal(decide_pacer_free(&a, &test_cfg, "mnd", &other),
			 DECIDE_PACER_LINKED_IN_COURT);
	assert_ptr_equal(other, both[1]);
	assert_int_equal(decide_pacer_free(&a, &test_cfg, "mnd", NULL),
			 DECIDE_PACER_LINKED_IN_COURT);
	assert_int_equal(decide_pacer_free(&a, &test_cfg, "cand", &other),
			 DECIDE_OK);
	assert_null(other);
}

static void
test_link_complete(void **state)
{
	char *mnd[] = { (char *)MND_DN };
	char *mnd_other[] = { (char *)MND_OTHER_DN };
	char *miwb[] = { (char *)MIWB_DN };
	struct pacer_account a = pacer(ACCT_TYPE_INDIVIDUAL, 1, mnd, 1);
	struct cmecf_account l = legacy(MND_DN, PACER_DN);

	assert_true(decide_link_complete(&a, &l, &test_cfg, "mnd"));
	/* Named from one side only. */
	l.linked_pacer = NULL;
	assert_false(decide_link_complete(&a, &l, &test_cfg, "mnd"));
	l.linked_pacer = (char *)PACER_DN;
	a.n_linked = 0;
	assert_false(decide_link_complete(&a, &l, &test_cfg, "mnd"));
	/* Each side names someone else. */
	a = pacer(ACCT_TYPE_INDIVIDUAL, 1, mnd_other, 1);
	assert_false(decide_link_complete(&a, &l, &test_cfg, "mnd"));
	a = pacer(ACCT_TYPE_INDIVIDUAL, 1, mnd, 1);
	l.linked_pacer = (char *)OTHER_PACER_DN;
	assert_false(decide_link_complete(&a, &l, &test_cfg, "mnd"));
	/* A complete link of another court is none in this one. */
	a = pacer(ACCT_TYPE_INDIVIDUAL, 1, miwb, 1);
	l = legacy(MIWB_DN, PACER_DN);
	assert_true(decide_link_complete(&a, &l, &test_cfg, "miwb"));
	assert_false(decide_link_complete(&a, &l, &test_cfg, "mnd"));
	assert_false(decide_link_complete(NULL, &l, &test_cfg, "miwb"));
	assert_false(decide_link_complete(&a, NULL, &test_cfg, "miwb"));
}

static void
test_efile(void **state)
{
	char *mnd[] = { (char *)MND_DN };
	struct pacer_account a = pacer(ACCT_TYPE_INDIVIDUAL, 1, mnd, 1);
	struct pacer_court c = court(true);
	struct pacer_court unscheduled = court(false);

	assert_int_equal(decide_efile(&a, &c, true, GO_LIVE), DECIDE_OK);
	assert_int_equal(decide_efile(&a, &c, true, GO_LIVE + 1), DECIDE_OK);
	assert_int_equal(decide_efile(&a, &c, true, GO_LIVE - 1),
			 DECIDE_COURT_NOT_LIVE);
	assert_int_equal(decide_efile(&a, &unscheduled, true, GO_LIVE),
			 DECIDE_COURT_NOT_SCHEDULED);
	assert_int_equal(decide_efile(&a, NULL, true, GO_LIVE),
			 DECIDE_COURT_UNKNOWN);
	assert_int_equal(decide_efile(&a, &c, false, GO_LIVE),
			 DECIDE_NOT_LINKED);

	/* The court before the account type, as the module tells them. */
	a.type = ACCT_TYPE_FIRM;
	assert_int_equal(decide_efile(&a, &c, true, GO_LIVE), DECIDE_FIRM);
	assert_int_equal(decide_efile(&a, &c, true, GO_LIVE - 1),
			 DECIDE_COURT_NOT_LIVE);
	a.type = ACCT_TYPE_UNKNOWN;
	assert_int_equal(decide_efile(&a, &c, true, GO_LIVE),
			 DECIDE_TYPE_UNKNOWN);
	a.type = ACCT_TYPE_INDIVIDUAL;
	a.upgraded = 0;
	assert_int_equal(decide_efile(&a, &c, true, GO_LIVE),
			 DECIDE_NOT_UPGRADED);
	a.upgraded = -1;
	assert_int_equal(decide_efile(&a, &c, true, GO_LIVE),
			 DECIDE_NOT_UPGRADED);
	assert_int_equal(decide_efile(NULL, &c, true, GO_LIVE),
			 DECIDE_TYPE_UNKNOWN);
}

/* The link the module would find for A's legacy account L in COURT. */
static enum decide_refusal
efile_with(const struct pacer_account *a, const struct cmecf_account *l,
	   const char *court_id, time_t now)
{
	struct pacer_court c = court(true);

	return decide_efile(a, &c, decide_link_complete(a, l, &test_cfg,
							court_id), now);
}

static void
test_efile_one_side(void **state)
{
	char *mnd[] = { (char *)MND_DN };
	char *miwb[] = { (char *)MIWB_DN };
	struct pacer_account a = pacer(ACCT_TYPE_INDIVIDUAL, 1, mnd, 1);
	struct cmecf_account l = legacy(MND_DN, PACER_DN);

	assert_int_equal(efile_with(&a, &l, "mnd", GO_LIVE), DECIDE_OK);
	/* The legacy side only (a claim, or a PACER side undone). */
	a.n_linked = 0;
	assert_int_equal(efile_with(&a, &l, "mnd", GO_LIVE), DECIDE_NOT_LINKED);
	/* The PACER side only (a stale value). */
	a.n_linked = 1;
	l.linked_pacer = NULL;
	assert_int_equal(efile_with(&a, &l, "mnd", GO_LIVE), DECIDE_NOT_LINKED);
	/* Linked in another court only. */
	a = pacer(ACCT_TYPE_INDIVIDUAL, 1, miwb, 1);
	l = legacy(MIWB_DN, PACER_DN);
	assert_int_equal(efile_with(&a, &l, "miwb", GO_LIVE), DECIDE_OK);
	assert_int_equal(efile_with(&a, &l, "mnd", GO_LIVE), DECIDE_NOT_LINKED);
	assert_int_equal(decide_pacer_free(&a, &test_cfg, "mnd", NULL),
			 DECIDE_OK);
}

/* Court I's id, "c001" to "c250". */
static void
court_id(char *buf, size_t n, int i)
{
	(void)snprintf(buf, n, "c%03d", i);
}

static void
test_many_courts(void **state)
{
	char *dns[N_COURTS];
	char id[16], *dn;
	struct pacer_account a;
	struct cmecf_account l;
	const char *other = NULL;
	int i;

	for (i = 0; i < N_COURTS; i++) {
		court_id(id, sizeof(id), i + 1);
		dns[i] = acct_cmecf_dn(&test_cfg, id, "jattorney1");
		assert_non_null(dns[i]);
	}
	a = pacer(ACCT_TYPE_INDIVIDUAL, 1, dns, N_COURTS);

	/* E-file in the first court and in the 250th. */
	l = legacy(dns[0], PACER_DN);
	assert_true(decide_link_complete(&a, &l, &test_cfg, "c001"));
	assert_int_equal(efile_with(&a, &l, "c001", GO_LIVE), DECIDE_OK);
	assert_false(decide_link_complete(&a, &l, &test_cfg, "c250"));
	l = legacy(dns[N_COURTS - 1], PACER_DN);
	assert_true(decide_link_complete(&a, &l, &test_cfg, "c250"));
	assert_int_equal(efile_with(&a, &l, "c250", GO_LIVE), DECIDE_OK);
	assert_int_equal(efile_with(&a, &l, "c001", GO_LIVE),
			 DECIDE_NOT_LINKED);
	assert_int_equal(decide_pacer_free(&a, &test_cfg, "c250", &other),
			 DECIDE_PACER_LINKED_IN_COURT);
	assert_ptr_equal(other, dns[N_COURTS - 1]);

	/* A 251st court, where it is not linked. */
	dn = acct_cmecf_dn(&test_cfg, "c251", "jattorney1");
	assert_non_null(dn);
	l = legacy(dn, PACER_DN);
	assert_false(decide_link_complete(&a, &l, &test_cfg, "c251"));
	assert_int_equal(efile_with(&a, &l, "c251", GO_LIVE),
			 DECIDE_NOT_LINKED);
	assert_int_equal(decide_pacer_free(&a, &test_cfg, "c251", &other),
			 DECIDE_OK);
	assert_null(other);

	/* The 250th side dropped: e-file there no more, elsewhere still. */
	a.n_linked = N_COURTS - 1;
	l = legacy(dns[N_COURTS - 1], PACER_DN);
	assert_int_equal(efile_with(&a, &l, "c250", GO_LIVE),
			 DECIDE_NOT_LINKED);
	l = legacy(dns[0], PACER_DN);
	assert_int_equal(efile_with(&a, &l, "c001", GO_LIVE), DECIDE_OK);

	free(dn);
	for (i = 0; i < N_COURTS; i++)
		free(dns[i]);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_court_live_boundary),
		cmocka_unit_test(test_court_not_scheduled),
		cmocka_unit_test(test_account_rules),
		cmocka_unit_test(test_legacy_free),
		cmocka_unit_test(test_pacer_free),
		cmocka_unit_test(test_link_complete),
		cmocka_unit_test(test_efile),
		cmocka_unit_test(test_efile_one_side),
		cmocka_unit_test(test_many_courts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
