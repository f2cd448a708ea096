/* Filter and DN escaping, and the login syntax, against hostile strings. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "escape.h"

static void
test_filter_value_hostile(void **state)
{
	static const struct { const char *in, *out; } rows[] = {
		{ "jattorney", "jattorney" },
		{ "*", "\\2A" },
		{ "jattorney*", "jattorney\\2A" },
		{ "x)(uid=*", "x\\29\\28uid=\\2A" },
		{ "a\\5c", "a\\5C5c" },
		{ "(|(uid=*))", "\\28|\\28uid=\\2A\\29\\29" },
		{ "", "" },
	};
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		char *got = esc_filter_value(rows[i].in);

		assert_non_null(got);
		assert_string_equal(got, rows[i].out);
		free(got);
	}
	assert_null(esc_filter_value(NULL));
}

static void
test_dn_child_escapes(void **state)
{
	static const struct { const char *value, *dn; } rows[] = {
		{ "jattorney", "uid=jattorney,ou=pacer,dc=courts,dc=test" },
		{ "uid=x,ou=pacer", "uid=uid\\3Dx\\2Cou\\3Dpacer,ou=pacer,dc=courts,dc=test" },
		{ "a+b", "uid=a\\2Bb,ou=pacer,dc=courts,dc=test" },
		{ " lead", "uid=\\20lead,ou=pacer,dc=courts,dc=test" },
		{ "trail ", "uid=trail\\20,ou=pacer,dc=courts,dc=test" },
		{ "#hash", "uid=\\23hash,ou=pacer,dc=courts,dc=test" },
		{ "semi;colon", "uid=semi\\3Bcolon,ou=pacer,dc=courts,dc=test" },
	};
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		char *dn = esc_dn_child("uid", rows[i].value, "ou=pacer,dc=courts,dc=test");
		char *back = NULL;

		assert_non_null(dn);
		assert_string_equal(dn, rows[i].dn);
		/* What goes in comes back out, unchanged. */
		assert_int_equal(esc_dn_child_value(dn, "uid", "ou=pacer,dc=courts,dc=test", &back), 0);
		assert_string_equal(back, rows[i].value);
		free(back);
		free(dn);
	}
}

static void
test_dn_child_refuses(void **state)
{
	assert_null(esc_dn_child("uid", "", "ou=pacer,dc=courts,dc=test"));
	assert_null(esc_dn_child("uid", NULL, "ou=pacer,dc=courts,dc=test"));
	assert_null(esc_dn_child("uid", "x", "not a dn"));
	assert_null(esc_dn_child("uid", "x", NULL));
}

static void
test_dn_child_value_shape(void **state)
{
	const char *parent = "ou=cmecf,cn=mnd,ou=courts,dc=courts,dc=test";
	char *v = (char *)1;

	assert_int_equal(esc_dn_child_value("uid=jattorney1,ou=cmecf,cn=mnd,ou=courts,dc=courts,dc=test",
					    "uid", parent, &v), 0);
	assert_string_equal(v, "jattorney1");
	free(v);
	/* Case and spacing do not matter for our attributes. */
	assert_int_equal(esc_dn_child_value("UID=j1, OU=cmecf,CN=MND,ou=courts,dc=courts,dc=test",
					    "uid", parent, &v), 0);
	assert_string_equal(v, "j1");
	free(v);
	/* Another court, a deeper entry, a multi-valued RDN, a wrong attribute. */
	assert_int_equal(esc_dn_child_value("uid=j2,ou=cmecf,cn=miwb,ou=courts,dc=courts,dc=test",
					    "uid", parent, &v), -1);
	assert_null(v);
	assert_int_equal(esc_dn_child_value("uid=j,ou=x,ou=cmecf,cn=mnd,ou=courts,dc=courts,dc=test",
					    "uid", parent, &v), -1);
	assert_int_equal(esc_dn_child_value("uid=j+cn=k,ou=cmecf,cn=mnd,ou=courts,dc=courts,dc=test",
					    "uid", parent, &v), -1);
	assert_int_equal(esc_dn_child_value("cn=j,ou=cmecf,cn=mnd,ou=courts,dc=courts,dc=test",
					    "uid", parent, &v), -1);
	assert_int_equal(esc_dn_child_value("garbage((", "uid", parent, &v), -1);
	assert_int_equal(esc_dn_child_value("uid=a\\00b,ou=cmecf,cn=mnd,ou=courts,dc=courts,dc=test",
					    "uid", parent, &v), -1);
}

static void
test_dn_equal(void **state)
{
	assert_int_equal(esc_dn_equal("uid=a,ou=pacer,dc=x", "UID=A, OU=Pacer,DC=X"), 1);
	assert_int_equal(esc_dn_equal("uid=a,ou=pacer,dc=x", "uid=b,ou=pacer,dc=x"), 0);
	assert_int_equal(esc_dn_equal("uid=a,ou=pacer,dc=x", "(("), -1);
	/* An escaped comma stays inside its value: a different entry. */
	assert_int_equal(esc_dn_equal("uid=a\\2C b,ou=pacer,dc=x", "uid=a,ou=pacer,dc=x"), 0);
	assert_int_equal(esc_dn_equal("uid=a\\,b,ou=pacer,dc=x", "UID=A\\2Cb, ou=pacer, dc=x"), 1);
	/* The same text is the same entry only when it is a DN at all. */
	assert_int_equal(esc_dn_equal("((", "(("), -1);
	assert_int_equal(esc_dn_equal("UID=a,ou=pacer,dc=x", "uid=A,OU=pacer,dc=X"), 1);
	assert_int_equal(esc_dn_equal(NULL, "uid=a"), -1);
}

static void
test_dn_within(void **state)
{
	const char *court = "cn=mnd,ou=courts,dc=courts,dc=test";

	assert_int_equal(esc_dn_within("uid=j,ou=cmecf,cn=mnd,ou=courts,dc=courts,dc=test", court), 1);
	assert_int_equal(esc_dn_within("UID=j, OU=cmecf, CN=MND, ou=Courts, dc=courts, dc=test", court), 1);
	assert_int_equal(esc_dn_within(court, court), 1);
	assert_int_equal(esc_dn_within("uid=j,ou=cmecf,cn=miwb,ou=courts,dc=courts,dc=test", court), 0);
	assert_int_equal(esc_dn_within("ou=courts,dc=courts,dc=test", court), 0);
	/* A value that ends like the court's DN text is not below it. */
	assert_int_equal(esc_dn_within("uid=x\\,cn=mnd,ou=courts,dc=courts,dc=test", court), 0);
	assert_int_equal(esc_dn_within("uid=j,dc=elsewhere", ""), 1);
	assert_int_equal(esc_dn_within("((", court), -1);
	assert_int_equal(esc_dn_within("uid=j", "(("), -1);
	assert_int_equal(esc_dn_within(NULL, court), -1);
}

static void
test_login_syntax(void **state)
{
	static const char *const good[] = {
		"jattorney", "JAttorney", "j.attorney", "j_attorney-2", "a",
		"a234567890123456789012345678901234567890123456789012345678901234" + 0,
	};
	static const char *const bad[] = {
		"", "*", "jattorney*", "x)(uid=*", "a\\5c", "uid=x,ou=pacer",
		" jattorney", "jattorney ", ".lead", "-lead", "_lead", "a b",
		"caf\xc3\xa9", "\xff\xfe", "tab\there", "new\nline", "a@b",
	};
	char longname[301];
	size_t i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]) - 1; i++)
		assert_true(name_is_valid_login(good[i]));
	/* 64 characters is the longest accepted. */
	memset(longname, 'a', 64);
	longname[64] = '\0';
	assert_true(name_is_valid_login(longname));
	longname[64] = 'a';
	longname[65] = '\0';
	assert_false(name_is_valid_login(longname));
	memset(longname, 'a', 300);
	longname[300] = '\0';
	assert_false(name_is_valid_login(longname));
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_false(name_is_valid_login(bad[i]));
	assert_false(name_is_valid_login(NULL));
}

static void
test_court_syntax(void **state)
{
	assert_true(name_is_valid_court("mnd"));
	assert_true(name_is_valid_court("miwb"));
	assert_false(name_is_valid_court("m"));
	assert_false(name_is_valid_court("MND"));
	assert_false(name_is_valid_court("mnd,ou=x"));
	assert_false(name_is_valid_court("abcdefghijklmnopq"));
	assert_false(name_is_valid_court(""));
	assert_false(name_is_valid_court(NULL));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_filter_value_hostile),
		cmocka_unit_test(test_dn_child_escapes),
		cmocka_unit_test(test_dn_child_refuses),
		cmocka_unit_test(test_dn_child_value_shape),
		cmocka_unit_test(test_dn_equal),
		cmocka_unit_test(test_dn_within),
		cmocka_unit_test(test_login_syntax),
		cmocka_unit_test(test_court_syntax),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
