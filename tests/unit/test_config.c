/*
 * test_config.c - pam_pacer.conf parsing: every key, every default, every
 * error message, hostile bytes, the file checks of cfg_load, and one run
 * per fixture file in tests/fixtures/conf (each names the message it must
 * give on its first line, "# expect: ...", or "# expect: success").
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "config_cache.h"
#include "escape.h"
#include "unit_files.h"

#define NAME "t.conf"
#define HEAD "uri ldaps://ldap1.mnd.test ldaps://ldap2.mnd.test\n" \
	     "base dc=courts,dc=test\n"

/* Parses TEXT as NAME; returns cfg_parse_buffer's result. */
static int parse(const char *text, struct cfg *cfg, char *err, size_t n)
{
	return cfg_parse_buffer(NAME, text, strlen(text), cfg, err, n);
}

/* Asserts TEXT fails with a message starting PREFIX and holding WORDS. */
static void expect_error(const char *text, const char *prefix,
			 const char *words)
{
	struct cfg cfg;
	char err[CFG_ERR_LEN];
	int rc;

	memset(err, 'x', sizeof(err));
	rc = parse(text, &cfg, err, sizeof(err));
	if (rc == 0)
		fail_msg("accepted: %s", text);
	assert_int_equal(rc, -1);
	if (strncmp(err, prefix, strlen(prefix)) != 0)
		fail_msg("message [%s] does not start with [%s]", err, prefix);
	if (strstr(err, words) == NULL)
		fail_msg("message [%s] does not say [%s]", err, words);
	/* On failure nothing is left behind for the caller to free. */
	assert_null(cfg.path);
	assert_null(cfg.base);
	assert_null(cfg.uris[0]);
	assert_int_equal(cfg.n_uris, 0);
}

static void test_every_key(void **state)
{
	struct cfg cfg;
	char err[CFG_ERR_LEN] = "";
	const char *text =
		"# a court server\n"
		"uri ldaps://ldap1.mnd.test ldaps://ldap2.mnd.test\n"
		"uri ldapi://%2Frun%2Fslapd%2Fldapi\n"
		"base dc=courts,dc=test\n"
		"pacer_base ou=people,dc=courts,dc=test\n"
		"courts_base ou=sites,dc=courts,dc=test\n"
		"court mnd\n"
		"binddn cn=pam-lookup,ou=services,dc=courts,dc=test\n"
		"bindpw_file /etc/security/pam_pacer.secret\n"
		"link_binddn cn=cmecf-link,ou=services,dc=courts,dc=test\n"
		"link_bindpw_file /etc/security/cmecf-link.secret\n"
		"link_uri ldaps://provider.mnd.test:1636\n"
		"starttls yes\n"
		"tls_cacert /etc/ssl/certs/courts-ca.pem\n"
		"tls_reqcert try\n"
		"allow_plaintext yes\n"
		"network_timeout 0.5\n"
		"timeout 1.25\n"
		"login_budget 7\n";

	(void)state;
	if (parse(text, &cfg, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	assert_string_equal(cfg.path, NAME);
	assert_int_equal(cfg.n_uris, 3);
	assert_string_equal(cfg.uris[0], "ldaps://ldap1.mnd.test");
	assert_string_equal(cfg.uris[1], "ldaps://ldap2.mnd.test");
	assert_string_equal(cfg.uris[2], "ldapi://%2Frun%2Fslapd%2Fldapi");
	assert_null(cfg.uris[3]);
	assert_string_equal(cfg.base, "dc=courts,dc=test");
	assert_string_equal(cfg.pacer_base, "ou=people,dc=courts,dc=test");
	assert_string_equal(cfg.courts_base, "ou=sites,dc=courts,dc=test");
	assert_string_equal(cfg.court, "mnd");
	assert_string_equal(cfg.binddn,
			    "cn=pam-lookup,ou=services,dc=courts,dc=test");
	assert_string_equal(cfg.bindpw_file, "/etc/security/pam_pacer.secret");
	assert_string_equal(cfg.link_binddn,
			    "cn=cmecf-link,ou=services,dc=courts,dc=test");
	assert_string_equal(cfg.link_bindpw_file,
			    "/etc/security/cmecf-link.secret");
	assert_string_equal(cfg.link_uri, "ldaps://provider.mnd.test:1636");
	assert_true(cfg.starttls);
	assert_string_equal(cfg.tls_cacert, "/etc/ssl/certs/courts-ca.pem");
	assert_int_equal(cfg.tls_reqcert, CFG_REQCERT_TRY);
	assert_true(cfg.allow_plaintext);
	assert_int_equal(cfg.network_timeout_ms, 500);
	assert_int_equal(cfg.timeout_ms, 1250);
	assert_int_equal(cfg.login_budget_ms, 7000);
	cfg_free(&cfg);
	assert_null(cfg.path);
	assert_null(cfg.link_uri);
	assert_int_equal(cfg.n_uris, 0);
	cfg_free(&cfg);	/* idempotent */
	cfg_free(NULL);
}

static void test_defaults(void **state)
{
	struct cfg cfg;
	char err[CFG_ERR_LEN] = "";

	(void)state;
	if (parse(HEAD, &cfg, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	assert_int_equal(cfg.n_uris, 2);
	assert_string_equal(cfg.pacer_base, "ou=pacer,dc=courts,dc=test");
	assert_string_equal(cfg.courts_base, "ou=courts,dc=courts,dc=test");
	assert_string_equal(cfg.link_uri, "ldaps://ldap1.mnd.test");
	assert_true(cfg.link_uri != cfg.uris[0]);	/* its own copy */
	assert_null(cfg.court);
	assert_null(cfg.binddn);
	assert_null(cfg.bindpw_file);
	assert_null(cfg.link_binddn);
	assert_null(cfg.link_bindpw_file);
	assert_null(cfg.tls_cacert);
	assert_false(cfg.starttls);
	assert_false(cfg.allow_plaintext);
	assert_int_equal(cfg.tls_reqcert, CFG_REQCERT_DEMAND);
	assert_int_equal(cfg.network_timeout_ms, 3000);
	assert_int_equal(cfg.timeout_ms, 3000);
	assert_int_equal(cfg.login_budget_ms, 5000);
	assert_string_equal(err, "");
	cfg_free(&cfg);
}

static void test_values_and_blanks(void **state)
{
	struct cfg cfg;
	char err[CFG_ERR_LEN] = "";
	const char *text =
		"   # indented comment\n"
		"\t\n"
		"uri\tldap://127.0.0.1:3890   \n"
		"base   dc=courts,dc=test\t \n"
		"tls_reqcert never\n"
		"starttls no\n"
		"allow_plaintext yes\n"
		"login_budget 0.2\n"
		"network_timeout 60\n"
		"timeout 0.1\n";

	(void)state;
	if (parse(text, &cfg, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	assert_string_equal(cfg.uris[0], "ldap://127.0.0.1:3890");
	assert_string_equal(cfg.base, "dc=courts,dc=test");
	assert_int_equal(cfg.tls_reqcert, CFG_REQCERT_NEVER);
	assert_false(cfg.starttls);
	assert_int_equal(cfg.login_budget_ms, 200);
	assert_int_equal(cfg.network_timeout_ms, 60000);
	assert_int_equal(cfg.timeout_ms, 100);
	cfg_free(&cfg);

	if (parse(HEAD "tls_reqcert allow\nallow_plaintext yes\n", &cfg, err,
		  sizeof(err)) != 0)
		fail_msg("%s", err);
	assert_int_equal(cfg.tls_reqcert, CFG_REQCERT_ALLOW);
	cfg_free(&cfg);
	if (parse(HEAD "tls_reqcert demand\n", &cfg, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	assert_int_equal(cfg.tls_reqcert, CFG_REQCERT_DEMAND);
	cfg_free(&cfg);

	/* A '#' after a DN is part of it (RFC 4514 allows it there). */
	if (parse("uri ldap://x\nbase dc=courts,dc=test # main\n", &cfg, err,
		  sizeof(err)) != 0)
		fail_msg("%s", err);
	assert_string_equal(cfg.base, "dc=courts,dc=test # main");
	assert_string_equal(cfg.pacer_base, "ou=pacer,dc=courts,dc=test # main");
	cfg_free(&cfg);
}

static void test_uris(void **state)
{
	struct cfg cfg;
	char err[CFG_ERR_LEN] = "";

	(void)state;
	/* Eight over several lines is the limit; StartTLS beside ldaps. */
	if (parse("uri ldap://a1 ldap://a2 ldap://a3\n"
		  "uri ldaps://a4:636 LDAP://a5 ldapi:// ldap:// ldap://[::1]:389\n"
		  "base dc=t\nstarttls yes\n", &cfg, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	assert_int_equal(cfg.n_uris, CFG_MAX_URIS);
	assert_string_equal(cfg.uris[3], "ldaps://a4:636");
	assert_string_equal(cfg.uris[7], "ldap://[::1]:389");
	assert_string_equal(cfg.link_uri, "ldap://a1");
	assert_true(cfg.starttls);
	cfg_free(&cfg);

	expect_error("uri ldap://a1 ldap://a2 ldap://a3 ldap://a4 ldap://a5 "
		     "ldap://a6 ldap://a7 ldap://a8 ldap://a9\nbase dc=t\n",
		     NAME ":1: ", "more than 8 URIs");
	expect_error("uri ldap://ok https://x\nbase dc=t\n", NAME ":1: ",
		     "uri: URI 2 is not a valid ldap://, ldaps:// or ldapi:// URI");
	expect_error("uri cldap://x\nbase dc=t\n", NAME ":1: ", "URI 1 is not");
	expect_error("uri ldap.example\nbase dc=t\n", NAME ":1: ", "URI 1 is not");
	expect_error("uri ldap://x:65536\nbase dc=t\n", NAME ":1: ",
		     "URI 1 has a port outside");
	expect_error("uri ldap://x/??sub?(uid=*)\nbase dc=t\n", NAME ":1: ",
		     "URI 1 names more than a server");
	expect_error(HEAD "link_uri ldap://a ldap://b\n", NAME ":3: ",
		     "link_uri takes exactly one URI");
	expect_error(HEAD "link_uri http://a\n", NAME ":3: ",
		     "link_uri is not a valid");
}

struct err_case {
	const char *text;
	const char *prefix;
	const char *words;
};

static void test_error_messages(void **state)
{
	static const struct err_case cases[] = {
		{ HEAD "frobnicate yes\n", NAME ":3: ", "unknown key \"frobnicate\"" },
		{ HEAD "court\n", NAME ":3: ", "missing value for court" },
		{ HEAD "base\n", NAME ":3: ", "missing value for base" },
		{ HEAD "uri\n", NAME ":3: ", "missing value for uri" },
		{ HEAD "starttls on\n", NAME ":3: ", "starttls must be yes or no" },
		{ HEAD "starttls YES\n", NAME ":3: ", "starttls must be yes or no" },
		{ HEAD "allow_plaintext 1\n", NAME ":3: ", "allow_plaintext must be yes or no" },
		{ HEAD "tls_reqcert Demand\n", NAME ":3: ", "tls_reqcert must be never, allow, try or demand" },
		{ HEAD "network_timeout abc\n", NAME ":3: ", "network_timeout must be a number of seconds from 0.1 to 60" },
		{ HEAD "network_timeout 61\n", NAME ":3: ", "network_timeout must be a number" },
		{ HEAD "timeout 0.09\n", NAME ":3: ", "timeout must be a number of seconds from 0.1 to 60" },
		{ HEAD "timeout 99999999999999999999\n", NAME ":3: ", "timeout must be a number" },
		{ HEAD "login_budget 0.1\n", NAME ":3: ", "login_budget must be a number of seconds from 0.2 to 120" },
		{ HEAD "login_budget 120.001\n", NAME ":3: ", "login_budget must be a number" },
		{ HEAD "login_budget 5 s\n", NAME ":3: ", "login_budget must be a number" },
		{ HEAD "base dc=x\n", NAME ":3: ", "duplicate key base (first set on line 2)" },
		{ HEAD "court mnd\ncourt mnd\n", NAME ":4: ", "duplicate key court (first set on line 3)" },
		{ HEAD "timeout 1\ntimeout 2\n", NAME ":4: ", "duplicate key timeout" },
		{ HEAD "starttls no\nstarttls yes\n", NAME ":4: ", "duplicate key starttls" },
		{ HEAD "link_uri ldap://a\nlink_uri ldap://b\n", NAME ":4: ", "duplicate key link_uri" },
		{ "uri ldap://a\nbase dc=courts,,dc=test\n", NAME ":2: ", "base is not a valid DN" },
		{ HEAD "pacer_base pacer\n", NAME ":3: ", "pacer_base is not a valid DN" },
		{ HEAD "courts_base ou=courts,\n", NAME ":3: ", "courts_base is not a valid DN" },
		{ HEAD "link_binddn nobody\n", NAME ":3: ", "link_binddn is not a valid DN" },
		{ HEAD "court m\n", NAME ":3: ", "court must be 2 to 16 lowercase letters or digits" },
		{ HEAD "court mnd-1\n", NAME ":3: ", "court must be" },
		{ HEAD "court abcdefghijklmnopq\n", NAME ":3: ", "court must be" },
		{ HEAD "binddn cn=x\nbindpw_file secret\n", NAME ":4: ", "bindpw_file must be an absolute path" },
		{ HEAD "link_binddn cn=x\nlink_bindpw_file ./s\n", NAME ":4: ", "link_bindpw_file must be an absolute path" },
		{ HEAD "tls_cacert ca.pem\n", NAME ":3: ", "tls_cacert must be an absolute path" },
		{ HEAD "tls_cacert /a b\n", NAME ":3: ", "tls_cacert takes one path" },
		{ "base dc=t\n", NAME ": ", "missing required key uri" },
		{ "uri ldap://a\n", NAME ": ", "missing required key base" },
		{ "", NAME ": ", "missing required key uri" },
		{ "\n\n# only a comment\n", NAME ": ", "missing required key uri" },
		{ HEAD "binddn cn=x\n", NAME ":3: ", "binddn is set without bindpw_file" },
		{ HEAD "\nbindpw_file /s\n", NAME ":4: ", "bindpw_file is set without binddn" },
		{ HEAD "link_binddn cn=x\n", NAME ":3: ", "link_binddn is set without link_bindpw_file" },
		{ HEAD "link_bindpw_file /s\n", NAME ":3: ", "link_bindpw_file is set without link_binddn" },
		/* Keys are lowercase and case-sensitive, as in nslcd.conf. */
		{ "URI ldap://a\nbase dc=t\n", NAME ":1: ", "unknown key \"URI\"" },
		{ HEAD "Base dc=t\n", NAME ":3: ", "unknown key \"Base\"" },
		{ HEAD "TLS_REQCERT demand\n", NAME ":3: ", "unknown key \"TLS_REQCERT\"" },
		/* Whole-line comments only: a trailing one spoils a word value. */
		{ HEAD "court mnd # district of Minnesota\n", NAME ":3: ", "court must be" },
		{ HEAD "timeout 2 # seconds\n", NAME ":3: ", "timeout must be" },
		{ HEAD "court=mnd\n", NAME ":3: ", "unknown key \"court=mnd\"" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		expect_error(cases[i].text, cases[i].prefix, cases[i].words);
}

static void test_hostile_bytes(void **state)
{
	struct cfg cfg;
	char err[CFG_ERR_LEN] = "";
	size_t big = 1024 * 1024;
	char *text;

	(void)state;
	/* A 1 MiB line is refused by its length, at its own line number. */
	text = malloc(big + 256);
	assert_non_null(text);
	strcpy(text, HEAD "binddn cn=");
	memset(text + strlen(text), 'a', big);
	text[strlen(HEAD) + 10 + big] = '\0';
	strcat(text, "\n");
	expect_error(text, NAME ":3: ", "line longer than 4096 bytes");
	free(text);

	/* 4096 bytes is still a line; 4097 is not. */
	text = malloc(8192);
	assert_non_null(text);
	strcpy(text, "uri ldap://a\nbase cn=");
	memset(text + strlen(text), 'b', 4096 - 8);
	strcpy(text + strlen("uri ldap://a\n") + 4096, "\n");
	if (parse(text, &cfg, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	assert_int_equal(strlen(cfg.base), 4096 - 5);
	cfg_free(&cfg);
	strcpy(text, "uri ldap://a\nbase cn=");
	memset(text + strlen(text), 'b', 4096 - 7);
	strcpy(text + strlen("uri ldap://a\n") + 4097, "\n");
	expect_error(text, NAME ":2: ", "line longer than 4096 bytes");
	free(text);

	/* A NUL byte, wherever it hides. */
	{
		static const char nul[] = HEAD "court mnd\0court xyz\n";

		assert_int_equal(cfg_parse_buffer(NAME, nul, sizeof(nul) - 1,
						  &cfg, err, sizeof(err)), -1);
		assert_non_null(strstr(err, NAME ":3: NUL byte"));
		assert_null(cfg.path);
	}

	expect_error(HEAD "binddn cn=caf\xe9,dc=t\n", NAME ":3: ", "not valid UTF-8");
	expect_error(HEAD "binddn cn=\xc0\xaf,dc=t\n", NAME ":3: ", "not valid UTF-8");
	expect_error(HEAD "binddn cn=\xed\xa0\x80,dc=t\n", NAME ":3: ", "not valid UTF-8");
	expect_error(HEAD "binddn cn=\xf4\x90\x80\x80,dc=t\n", NAME ":3: ", "not valid UTF-8");
	expect_error(HEAD "binddn cn=\xe2\x82\n", NAME ":3: ", "not valid UTF-8");
	expect_error(HEAD "binddn cn=\xc2\x85,dc=t\n", NAME ":3: ", "not valid UTF-8");
	expect_error(HEAD "court mnd\x1b[2J\n", NAME ":3: ", "control character 0x1b");
	expect_error(HEAD "court m\rnd\n", NAME ":3: ", "control character 0x0d");
	expect_error(HEAD "court mnd\x7f\n", NAME ":3: ", "control character 0x7f");
	expect_error(HEAD "\x0c\n", NAME ":3: ", "control character 0x0c");

	/* Well-formed UTF-8 is fine in a DN. */
	if (parse(HEAD "binddn cn=Jos\xc3\xa9 \xe6\x9d\xb1,dc=courts,dc=test\n"
		  "bindpw_file /s\n", &cfg, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	assert_string_equal(cfg.binddn,
			    "cn=Jos\xc3\xa9 \xe6\x9d\xb1,dc=courts,dc=test");
	cfg_free(&cfg);

	/* CRLF line endings read like LF ones. */
	if (parse("uri ldap://a\r\nbase dc=t\r\ncourt mnd\r\n\r\n# c\r\n",
		  &cfg, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	assert_string_equal(cfg.uris[0], "ldap://a");
	assert_string_equal(cfg.base, "dc=t");
	assert_string_equal(cfg.court, "mnd");
	cfg_free(&cfg);

	/* Only the bytes given count, even without a final newline. */
	assert_int_equal(cfg_parse_buffer(NAME, HEAD "court mnd", strlen(HEAD) + 8,
					  &cfg, err, sizeof(err)), 0);
	assert_string_equal(cfg.court, "mn");
	cfg_free(&cfg);
}

static void test_no_secret_in_messages(void **state)
{
	static const char *const texts[] = {
		HEAD "bindpw Hunter2Secret\n",
		HEAD "rootpw Hunter2Secret\n",
		HEAD "bindpw_file Hunter2Secret\nbinddn cn=x\n",
		HEAD "link_binddn Hunter2Secret\n",
		HEAD "court Hunter2Secret\n",
		HEAD "timeout Hunter2Secret\n",
		HEAD "starttls Hunter2Secret\n",
		HEAD "tls_reqcert Hunter2Secret\n",
		HEAD "uri ldap://Hunter2Secret:99999\n",
		HEAD "link_uri Hunter2Secret\n",
		HEAD "bindpw_file Hunter2Secret\xff\n",
	};
	struct cfg cfg;
	char err[CFG_ERR_LEN];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		assert_int_equal(parse(texts[i], &cfg, err, sizeof(err)), -1);
		if (strstr(err, "Hunter2") != NULL)
			fail_msg("value shown in: %s", err);
		assert_non_null(strstr(err, NAME ":3: "));
	}

	/* A long unknown key is cut, not copied whole. */
	{
		char text[600];

		memset(text, 'k', 500);
		strcpy(text + 500, " v\n");
		assert_int_equal(parse(text, &cfg, err, sizeof(err)), -1);
		assert_non_null(strstr(err, NAME ":1: unknown key \"kkkk"));
		assert_non_null(strstr(err, "...\""));
		assert_true(strlen(err) < 100);
	}
}

static void test_small_error_buffer(void **state)
{
	struct cfg cfg;
	char err[8];

	(void)state;
	memset(err, 'x', sizeof(err));
	assert_int_equal(parse("nope\n", &cfg, err, sizeof(err)), -1);
	assert_int_equal(strlen(err), sizeof(err) - 1);
	assert_memory_equal(err, NAME ":1", 7);
	assert_int_equal(parse("nope\n", &cfg, NULL, 0), -1);
	assert_int_equal(cfg_parse_buffer(NAME, NULL, 0, &cfg, err, sizeof(err)), -1);
	assert_int_equal(cfg_parse_buffer(NAME, HEAD, strlen(HEAD), NULL, err,
					  sizeof(err)), -1);
}

static void test_parse_seconds(void **state)
{
	long ms = -7;

	(void)state;
	assert_int_equal(cfg_parse_seconds("3", 100, 60000, &ms), 0);
	assert_int_equal(ms, 3000);
	assert_int_equal(cfg_parse_seconds("0.1", 100, 60000, &ms), 0);
	assert_int_equal(ms, 100);
	assert_int_equal(cfg_parse_seconds("2.5", 100, 60000, &ms), 0);
	assert_int_equal(ms, 2500);
	assert_int_equal(cfg_parse_seconds("2.05", 100, 60000, &ms), 0);
	assert_int_equal(ms, 2050);
	assert_int_equal(cfg_parse_seconds("1.234", 100, 60000, &ms), 0);
	assert_int_equal(ms, 1234);
	assert_int_equal(cfg_parse_seconds("60", 100, 60000, &ms), 0);
	assert_int_equal(ms, 60000);
	assert_int_equal(cfg_parse_seconds("060.000", 100, 60000, &ms), 0);
	assert_int_equal(ms, 60000);

	ms = -7;
	static const char *const bad[] = {
		"", "0", "0.09", "60.001", "61", "-1", "+1", " 1", "1 ", "1.",
		".5", "1.2345", "1e3", "0x10", "1,5", "abc", "3s",
		"9223372036854775807", "99999999999999999999999", "1..2",
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (cfg_parse_seconds(bad[i], 100, 60000, &ms) != -1)
			fail_msg("accepted \"%s\"", bad[i]);
		assert_int_equal(ms, -7);	/* untouched on failure */
	}
	assert_int_equal(cfg_parse_seconds(NULL, 100, 60000, &ms), -1);
	assert_int_equal(cfg_parse_seconds("1", 100, 60000, NULL), -1);
	assert_int_equal(cfg_parse_seconds("0", 0, 10, &ms), 0);
	assert_int_equal(ms, 0);
}

static void expect_load_error(const char *path, const char *words)
{
	struct cfg cfg;
	char err[CFG_ERR_LEN] = "";
	char prefix[PATH_MAX + 4];

	assert_int_equal(cfg_load(path, &cfg, err, sizeof(err)), -1);
	snprintf(prefix, sizeof(prefix), "%s: ", path);
	if (strncmp(err, prefix, strlen(prefix)) != 0 ||
	    strstr(err, words) == NULL)
		fail_msg("message [%s], wanted [%s...%s]", err, prefix, words);
	assert_null(cfg.path);
	assert_null(cfg.base);
}

static void test_load_file(void **state)
{
	struct cfg cfg;
	char err[CFG_ERR_LEN] = "";
	char path[PATH_MAX];
	char link[PATH_MAX];
	char *big;

	(void)state;
	write_file(path, "ok.conf", HEAD "court mnd\n",
		   strlen(HEAD) + 10, 0644);
	if (cfg_load(path, &cfg, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	assert_string_equal(cfg.path, path);
	assert_string_equal(cfg.court, "mnd");
	assert_string_equal(cfg.courts_base, "ou=courts,dc=courts,dc=test");
	cfg_free(&cfg);

	/* Managed by configuration management: a symbolic link is fine. */
	snprintf(link, sizeof(link), "%s/link.conf", tmpdir);
	assert_int_equal(symlink(path, link), 0);
	if (cfg_load(link, &cfg, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	assert_string_equal(cfg.path, link);
	cfg_free(&cfg);

	/* Errors inside the file carry the path given and the line. */
	write_file(path, "bad.conf", HEAD "\nfoo bar\n",
		   strlen(HEAD) + 9, 0600);
	assert_int_equal(cfg_load(path, &cfg, err, sizeof(err)), -1);
	{
		char want[PATH_MAX + 64];

		snprintf(want, sizeof(want), "%s:4: unknown key \"foo\"", path);
		assert_string_equal(err, want);
	}

	write_file(path, "group-writable.conf", HEAD,
		   strlen(HEAD), 0664);
	expect_load_error(path, "writable by group or others (mode 0664)");
	write_file(path, "world-writable.conf", HEAD,
		   strlen(HEAD), 0646);
	expect_load_error(path, "writable by group or others (mode 0646)");

	write_file(path, "other-owner.conf", HEAD,
		   strlen(HEAD), 0644);
	assert_int_equal(chown(path, 65534, 65534), 0);
	if (geteuid() == 0)
		expect_load_error(path, "owned by uid 65534, not root");

	snprintf(path, sizeof(path), "%s/missing.conf", tmpdir);
	expect_load_error(path, "cannot open: No such file or directory");
	expect_load_error(tmpdir, "not a regular file");
	snprintf(path, sizeof(path), "%s/fifo.conf", tmpdir);
	assert_int_equal(mkfifo(path, 0644), 0);
	expect_load_error(path, "not a regular file");

	/* 64 KiB of comments is the most a file may hold. */
	big = malloc(64 * 1024 + 2);
	assert_non_null(big);
	memset(big, '#', 64 * 1024 + 1);
	memcpy(big, HEAD, strlen(HEAD));
	write_file(path, "huge.conf", big, 64 * 1024 + 1, 0644);
	expect_load_error(path, "larger than 65536 bytes");
	write_file(path, "max.conf", big, 64 * 1024, 0644);
	/* Its last "line" is 64 KiB of '#' minus the head: too long. */
	assert_int_equal(cfg_load(path, &cfg, err, sizeof(err)), -1);
	assert_non_null(strstr(err, ":3: line longer than 4096 bytes"));
	for (size_t i = strlen(HEAD); i + 1 < 64 * 1024; i += 64)
		big[i] = '\n';
	write_file(path, "max.conf", big, 64 * 1024, 0644);
	if (cfg_load(path, &cfg, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	assert_string_equal(cfg.base, "dc=courts,dc=test");
	cfg_free(&cfg);
	free(big);

	assert_int_equal(cfg_load(path, NULL, err, sizeof(err)), -1);
}

/* Sleeps past the cache's settling time (two seconds). */
static void settle(void)
{
	struct timespec t = { 2, 100 * 1000 * 1000 };

	while (nanosleep(&t, &t) != 0 && errno == EINTR)
		;
}

/* Loads PATH, which must succeed with court COURT. */
static void load_court(const char *path, const char *court)
{
	struct cfg cfg;
	char err[CFG_ERR_LEN] = "";

	if (cfg_load(path, &cfg, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	assert_string_equal(cfg.court, court);
	assert_string_equal(cfg.path, path);
	cfg_free(&cfg);
}

/* Rewrites PATH in place (same inode, same size) with TEXT. */
static void rewrite(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	assert_int_equal(close(fd), 0);
}

/*
 * An unchanged file is parsed once per process; any change is seen at the
 * next load: a rewrite of the same size, a chmod, a replacement. A file
 * changed in the last two seconds is never answered from the cache.
 */
static void test_load_cache(void **state)
{
	char path[PATH_MAX], other[PATH_MAX];
	struct cfg a, b;
	char err[CFG_ERR_LEN] = "";
	unsigned long h;

	(void)state;
	write_file(path, "cached.conf", HEAD "court mnd\n",
		   strlen(HEAD) + 10, 0644);
	h = cfg_cache_hits();
	load_court(path, "mnd");
	load_court(path, "mnd");
	assert_int_equal(cfg_cache_hits(), h);	/* too fresh to keep */

	settle();
	load_court(path, "mnd");		/* parsed and kept */
	assert_int_equal(cfg_cache_hits(), h);
	assert_int_equal(cfg_load(path, &a, err, sizeof(err)), 0);
	assert_int_equal(cfg_load(path, &b, err, sizeof(err)), 0);
	assert_int_equal(cfg_cache_hits(), h + 2);
	/* Each load owns its copy. */
	assert_ptr_not_equal(a.court, b.court);
	assert_string_equal(a.base, b.base);
	assert_string_equal(a.uris[1], "ldaps://ldap2.mnd.test");
	assert_int_equal(a.n_uris, 2);
	cfg_free(&a);
	assert_string_equal(b.court, "mnd");
	cfg_free(&b);

	/* The same size and inode, new text: parsed again. */
	rewrite(path, HEAD "court cnd\n");
	h = cfg_cache_hits();
	load_court(path, "cnd");
	assert_int_equal(cfg_cache_hits(), h);

	/* A mode that may not steer authentication is refused, though the
	 * text was kept. */
	settle();
	load_court(path, "cnd");
	load_court(path, "cnd");
	assert_int_equal(cfg_cache_hits(), h + 1);
	assert_int_equal(chmod(path, 0666), 0);
	expect_load_error(path, "writable by group or others (mode 0666)");
	assert_int_equal(chmod(path, 0644), 0);

	/* Replaced by another file (as editors do): parsed again. */
	write_file(other, "next.conf", HEAD "court ord\n",
		   strlen(HEAD) + 10, 0644);
	assert_int_equal(rename(other, path), 0);
	h = cfg_cache_hits();
	load_court(path, "ord");
	assert_int_equal(cfg_cache_hits(), h);

	/* A process that changed identity is not handed the copy read by
	 * the one before: it reads the file itself. */
	if (geteuid() == 0) {
		assert_int_equal(chmod(tmpdir, 0711), 0);
		settle();
		load_court(path, "ord");
		load_court(path, "ord");
		assert_int_equal(cfg_cache_hits(), h + 1);
		assert_int_equal(seteuid(65534), 0);
		load_court(path, "ord");
		assert_int_equal(seteuid(0), 0);
		assert_int_equal(cfg_cache_hits(), h + 1);
		assert_int_equal(chmod(tmpdir, 0700), 0);
	}
}

/* Where the fixtures are: $FIXTURE_DIR, else from the repository root. */
static const char *fixture_dir(void)
{
	const char *d = getenv("FIXTURE_DIR");

	return d != NULL && d[0] != '\0' ? d : "tests/fixtures/conf";
}

/*
 * One fixture: copied into tmpdir (so ownership is the test's own, as
 * cfg_load wants) and loaded; the message must start with the copy's path
 * and contain what the fixture's first line expects.
 */
static void test_fixture(void **state)
{
	const char *name = *state;
	char src[PATH_MAX];
	char dst[PATH_MAX];
	char err[CFG_ERR_LEN] = "";
	char expect[256];
	char *text;
	char *nl;
	struct cfg cfg;
	FILE *f;
	size_t len;

	snprintf(src, sizeof(src), "%s/%s", fixture_dir(), name);
	f = fopen(src, "re");
	if (f == NULL)
		fail_msg("%s: %s", src, strerror(errno));
	text = malloc(128 * 1024);
	assert_non_null(text);
	len = fread(text, 1, 128 * 1024, f);
	assert_int_equal(fclose(f), 0);
	assert_true(len < 64 * 1024);
	if (len < 11 || memcmp(text, "# expect: ", 10) != 0)
		fail_msg("%s: first line must be \"# expect: ...\"", src);
	nl = memchr(text, '\n', len);
	assert_non_null(nl);
	assert_true((size_t)(nl - text) - 10 < sizeof(expect));
	memcpy(expect, text + 10, (size_t)(nl - text) - 10);
	expect[nl - text - 10] = '\0';
	if (expect[0] != '\0' && expect[strlen(expect) - 1] == '\r')
		expect[strlen(expect) - 1] = '\0';

	write_file(dst, name, text, len, 0644);
	free(text);
	if (strcmp(expect, "success") == 0) {
		if (cfg_load(dst, &cfg, err, sizeof(err)) != 0)
			fail_msg("%s", err);
		assert_true(cfg.n_uris >= 1);
		assert_non_null(cfg.base);
		assert_non_null(cfg.link_uri);
		cfg_free(&cfg);
		return;
	}
	assert_int_equal(cfg_load(dst, &cfg, err, sizeof(err)), -1);
	if (strncmp(err, dst, strlen(dst)) != 0 || err[strlen(dst)] != ':')
		fail_msg("%s: message [%s] does not start with the path",
			 name, err);
	if (strstr(err, expect) == NULL)
		fail_msg("%s: message [%s] does not say [%s]", name, err, expect);
	assert_null(cfg.path);
}

/* The shipped example parses, and says what it claims to. */
static void test_example_file(void **state)
{
	const char *path = "docs/pam_pacer.conf.example";
	char err[CFG_ERR_LEN] = "";
	char text[16384];
	struct cfg cfg;
	size_t len;
	FILE *f;

	(void)state;
	f = fopen(path, "re");
	if (f == NULL)
		fail_msg("%s: %s", path, strerror(errno));
	len = fread(text, 1, sizeof(text), f);
	assert_int_equal(fclose(f), 0);
	assert_true(len > 0 && len < sizeof(text));
	if (cfg_parse_buffer(path, text, len, &cfg, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	assert_int_equal(cfg.n_uris, 2);
	assert_memory_equal(cfg.uris[0], "ldaps://", 8);
	assert_memory_equal(cfg.uris[1], "ldaps://", 8);
	assert_string_equal(cfg.link_uri, cfg.uris[0]);
	assert_string_equal(cfg.court, "mnd");
	assert_non_null(cfg.binddn);
	assert_non_null(cfg.link_binddn);
	assert_false(cfg.allow_plaintext);
	assert_int_equal(cfg.tls_reqcert, CFG_REQCERT_DEMAND);
	cfg_free(&cfg);
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Name-sorted *.conf files in the fixture directory; NULL-terminated. */
static char **list_fixtures(size_t *n)
{
	DIR *d = opendir(fixture_dir());
	struct dirent *e;
	char **names = NULL;
	size_t cap = 0;

	*n = 0;
	if (d == NULL)
		return NULL;
	while ((e = readdir(d)) != NULL) {
		size_t l = strlen(e->d_name);

		if (l < 6 || strcmp(e->d_name + l - 5, ".conf") != 0)
			continue;
		if (*n + 1 >= cap) {
			char **t;

			cap = cap ? cap * 2 : 64;
			t = realloc(names, cap * sizeof(*names));
			if (t == NULL)
				break;
			names = t;
		}
		names[(*n)++] = strdup(e->d_name);
	}
	(void)closedir(d);
	if (names != NULL) {
		qsort(names, *n, sizeof(*names), name_cmp);
		names[*n] = NULL;
	}
	return names;
}

static size_t n_fixtures;

static void test_fixture_count(void **state)
{
	(void)state;
	if (n_fixtures < 30)
		fail_msg("only %zu fixtures in %s", n_fixtures, fixture_dir());
}

int main(void)
{
	static const struct CMUnitTest fixed[] = {
		cmocka_unit_test(test_every_key),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_values_and_blanks),
		cmocka_unit_test(test_uris),
		cmocka_unit_test(test_error_messages),
		cmocka_unit_test(test_hostile_bytes),
		cmocka_unit_test(test_no_secret_in_messages),
		cmocka_unit_test(test_small_error_buffer),
		cmocka_unit_test(test_parse_seconds),
		cmocka_unit_test(test_load_file),
		cmocka_unit_test(test_load_cache),
		cmocka_unit_test(test_fixture_count),
		cmocka_unit_test(test_example_file),
	};
	size_t n_fixed = sizeof(fixed) / sizeof(fixed[0]);
	struct CMUnitTest *tests;
	char **names;
	size_t i;
	int rc;

	names = list_fixtures(&n_fixtures);
	tests = calloc(n_fixed + n_fixtures, sizeof(*tests));
	if (tests == NULL)
		return 1;
	memcpy(tests, fixed, sizeof(fixed));
	for (i = 0; i < n_fixtures; i++) {
		tests[n_fixed + i].name = names[i];
		tests[n_fixed + i].test_func = test_fixture;
		tests[n_fixed + i].initial_state = names[i];
	}
	rc = _cmocka_run_group_tests("config", tests, n_fixed + n_fixtures,
				     make_tmpdir, remove_tmpdir);
	for (i = 0; i < n_fixtures; i++)
		free(names[i]);
	free(names);
	free(tests);
	return rc;
}
