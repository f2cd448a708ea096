/*
 * test_audit.c - audit_clean: nothing a user types can split, forge or
 * colour a log line, and long fields are cut visibly.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "audit.h"

static void expect_clean(const char *src, size_t n, const char *want)
{
	char dst[512];

	assert_true(n <= sizeof(dst));
	memset(dst, 'Z', sizeof(dst));
	assert_ptr_equal(audit_clean(dst, n, src), dst);
	assert_string_equal(dst, want);
	assert_true(strlen(dst) < n);
	if (n < sizeof(dst))
		assert_int_equal(dst[n], 'Z');	/* nothing written past N */
}

static void test_plain(void **state)
{
	(void)state;
	expect_clean("jattorney", AUDIT_FIELD_LEN, "jattorney");
	expect_clean("uid=jattorney1,ou=cmecf,cn=mnd,ou=courts,dc=courts,dc=test",
		     AUDIT_FIELD_LEN,
		     "uid=jattorney1,ou=cmecf,cn=mnd,ou=courts,dc=courts,dc=test");
	expect_clean("Jane Q. Attorney (firm) <j@x.test> 100% 'ok'",
		     AUDIT_FIELD_LEN,
		     "Jane Q. Attorney (firm) <j@x.test> 100% 'ok'");
	expect_clean("", AUDIT_FIELD_LEN, "");
	expect_clean(NULL, AUDIT_FIELD_LEN, "-");
	expect_clean(NULL, 2, "-");
}

static void test_hostile(void **state)
{
	(void)state;
	/* A forged second line, a forged field, escapes, a terminal attack. */
	expect_clean("bob\nJan  1 pam_pacer: auth ok user=root", AUDIT_FIELD_LEN,
		     "bob?Jan  1 pam_pacer: auth ok user=root");
	expect_clean("bob\" result=\"ok", AUDIT_FIELD_LEN, "bob? result=?ok");
	expect_clean("a\\nb", AUDIT_FIELD_LEN, "a?nb");
	expect_clean("\x1b[2Jx\r\t\x7f\x01", AUDIT_FIELD_LEN, "?[2Jx????");
	/* Every non-ASCII byte, valid UTF-8 or not, becomes one '?'. */
	expect_clean("Jos\xc3\xa9", AUDIT_FIELD_LEN, "Jos??");
	expect_clean("\xff\xfe\x80", AUDIT_FIELD_LEN, "???");
	expect_clean("\xc2\x85next", AUDIT_FIELD_LEN, "??next");
}

static void test_every_byte(void **state)
{
	char src[2];
	char dst[4];
	int c;

	(void)state;
	src[1] = '\0';
	for (c = 1; c < 256; c++) {
		int safe = c >= 0x20 && c < 0x7f && c != '"' && c != '\\';

		src[0] = (char)c;
		audit_clean(dst, sizeof(dst), src);
		assert_int_equal((unsigned char)dst[0], safe ? c : '?');
		assert_int_equal(dst[1], '\0');
	}
}

static void test_cut(void **state)
{
	char src[400];
	char want[AUDIT_FIELD_LEN];

	(void)state;
	memset(src, 'a', sizeof(src) - 1);
	src[sizeof(src) - 1] = '\0';
	memset(want, 'a', AUDIT_FIELD_LEN - 4);
	strcpy(want + AUDIT_FIELD_LEN - 4, "...");
	expect_clean(src, AUDIT_FIELD_LEN, want);

	/* Exactly what fits is not cut; one more byte is. */
	src[AUDIT_FIELD_LEN - 1] = '\0';
	memset(want, 'a', AUDIT_FIELD_LEN - 1);
	want[AUDIT_FIELD_LEN - 1] = '\0';
	expect_clean(src, AUDIT_FIELD_LEN, want);
	expect_clean("abcdefgh", 9, "abcdefgh");
	expect_clean("abcdefghi", 9, "abcde...");
	expect_clean("bad\nname-that-is-long", 8, "bad?...");
	/* Tiny buffers: as much as fits, always terminated. */
	expect_clean("abcd", 4, "...");
	expect_clean("abc", 4, "abc");
	expect_clean("abcd", 3, "ab");
	expect_clean("abcd", 1, "");
	expect_clean(NULL, 1, "");
}

static void test_no_buffer(void **state)
{
	char dst[1] = { 'Z' };

	(void)state;
	assert_ptr_equal(audit_clean(dst, 0, "abc"), dst);
	assert_int_equal(dst[0], 'Z');
	assert_null(audit_clean(NULL, 10, "abc"));
}

static void expect_term(const char *src, size_t n, const char *want)
{
	char dst[256];

	memset(dst, 'Z', sizeof(dst));
	assert_ptr_equal(audit_clean_terminal(dst, n, src), dst);
	assert_string_equal(dst, want);
	if (n < sizeof(dst))
		assert_int_equal(dst[n], 'Z');
}

/* Text from the directory on a person's terminal: names in any script
 * stay; escapes, C1 controls, bidi overrides and broken UTF-8 do not. */
static void test_terminal(void **state)
{
	(void)state;
	expect_term("John Attorney", 64, "John Attorney");
	expect_term("Jos\xc3\xa9 N\xc3\xba\xc3\xb1""ez", 64, "Jos\xc3\xa9 N\xc3\xba\xc3\xb1""ez");
	expect_term("line one\nline two\t.", 64, "line one\nline two\t.");
	expect_term("Eve\x1b]0;owned\x07\x1b[2J", 64, "Eve?]0;owned??[2J");
	expect_term("a\xc2\x9b""31mred", 64, "a?""?31mred");	/* U+009B CSI */
	expect_term("\xe2\x80\xae""nhoJ", 64, "???nhoJ");	/* U+202E RLO */
	expect_term("\xe2\x81\xa6x", 64, "???x");		/* U+2066 LRI */
	expect_term("bad \xff\xfe \xc3", 64, "bad ?? ?");
	expect_term("over\xc0\xaflong", 64, "over??long");
	expect_term("\xed\xa0\x80", 64, "???");		/* a surrogate */
	expect_term("\x7f\r", 64, "??");
	expect_term(NULL, 64, "-");
	/* cut at a character boundary, never inside one */
	expect_term("ab\xc3\xa9", 4, "ab");
	expect_term("abc", 3, "ab");
}

int main(void)
{
	static const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain),
		cmocka_unit_test(test_hostile),
		cmocka_unit_test(test_every_byte),
		cmocka_unit_test(test_cut),
		cmocka_unit_test(test_no_buffer),
		cmocka_unit_test(test_terminal),
	};

	return cmocka_run_group_tests_name("audit", tests, NULL, NULL);
}
