/*
 * fuzz_escape.c - the escaping layer. The input is cut at NUL bytes into
 * a value, a parent DN and a second DN. Properties:
 *   - an escaped filter value holds no '*', '(', ')' or raw backslash;
 *   - a DN built with esc_dn_child gives the very same value back through
 *     esc_dn_child_value, and names the same entry as itself;
 *   - esc_dn_equal is reflexive on DNs that parse and symmetric;
 *   - a name accepted by name_is_valid_login / _court obeys the syntax in
 *     escape.h and needs no escaping in a filter.
 */
#include <stdbool.h>

#include "escape.h"
#include "fuzz_common.h"

/* True when every character of S is allowed in a login name. */
static bool fz_login_syntax(const char *s)
{
	size_t i, n = strlen(s);

	if (n < 1 || n > NAME_MAX_LEN)
		return false;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			     (c >= '0' && c <= '9');

		if (!alnum && (i == 0 || (c != '.' && c != '_' && c != '-')))
			return false;
	}
	return true;
}

/* True when S is well-formed UTF-8 (RFC 3629: no overlong forms, no
 * surrogates, nothing above U+10FFFF). */
static bool fz_utf8(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	while (*p != '\0') {
		unsigned long cp;
		int n, i;

		if (*p < 0x80) {
			p++;
			continue;
		} else if ((*p & 0xe0) == 0xc0) {
			n = 1;
			cp = *p & 0x1f;
		} else if ((*p & 0xf0) == 0xe0) {
			n = 2;
			cp = *p & 0x0f;
		} else if ((*p & 0xf8) == 0xf0) {
			n = 3;
			cp = *p & 0x07;
		} else {
			return false;
		}
		for (i = 1; i <= n; i++) {
			if ((p[i] & 0xc0) != 0x80)
				return false;
			cp = (cp << 6) | (p[i] & 0x3f);
		}
		if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) ||
		    (n == 3 && cp < 0x10000) || cp > 0x10ffff ||
		    (cp >= 0xd800 && cp <= 0xdfff))
			return false;
		p += n + 1;
	}
	return true;
}

/* Checks the filter escape of VALUE. */
static void fz_filter(const char *value)
{
	char *esc = esc_filter_value(value);
	size_t i;

	FZ_CHECK(esc != NULL);
	for (i = 0; esc[i] != '\0'; i++) {
		FZ_CHECK(esc[i] != '*' && esc[i] != '(' && esc[i] != ')');
		if (esc[i] == '\\') {
			FZ_CHECK(esc[i + 1] != '\0' && esc[i + 2] != '\0');
			FZ_CHECK(strchr("0123456789abcdefABCDEF", esc[i + 1]) != NULL);
			FZ_CHECK(strchr("0123456789abcdefABCDEF", esc[i + 2]) != NULL);
			i += 2;
		}
	}
	if (fz_login_syntax(value))
		FZ_CHECK(strcmp(esc, value) == 0);
	free(esc);
}

/*
 * Builds ATTR=VALUE,PARENT and takes it apart again. STRICT: PARENT was
 * itself written by esc_dn_child, so the value must come back unchanged.
 * Otherwise PARENT is raw bytes, and libldap has DNs that parse but do not
 * survive its own normalizer (a bare "#" BER value): then the only
 * promise is that a value, when one comes back, is the one put in.
 */
static void fz_round_trip(const char *attr, const char *value,
			  const char *parent, bool strict)
{
	char *dn = esc_dn_child(attr, value, parent);
	char *back = NULL;

	if (dn == NULL) {
		/* Refused only for an empty value, a value that is not UTF-8
		 * (libldap's DN writer will not write one), or a parent that
		 * is no DN. */
		FZ_CHECK(value[0] == '\0' || !fz_utf8(value) ||
			 esc_dn_equal(parent, parent) == -1);
		return;
	}
	if (esc_dn_child_value(dn, attr, parent, &back) == 0) {
		FZ_CHECK(back != NULL && strcmp(back, value) == 0);
	} else {
		FZ_CHECK(!strict);
		FZ_CHECK(back == NULL);
	}
	if (strict)
		FZ_CHECK(esc_dn_equal(dn, dn) == 1);
	free(back);
	back = NULL;
	/* One level below PARENT, never below the child itself. */
	FZ_CHECK(esc_dn_child_value(parent, attr, dn, &back) == -1);
	FZ_CHECK(back == NULL);
	free(dn);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *end = data + size, *p = data;
	char *part[3] = { NULL, NULL, NULL };
	char *back = NULL, *built;
	size_t i;
	int ab, ba;

	for (i = 0; i < 3; i++) {
		const uint8_t *nul = memchr(p, '\0', (size_t)(end - p));
		size_t n = nul != NULL ? (size_t)(nul - p) : (size_t)(end - p);

		part[i] = fz_strndup(p, n);
		p = nul != NULL ? nul + 1 : end;
	}

	fz_filter(part[0]);
	fz_round_trip("uid", part[0], part[1], false);
	fz_round_trip("cn", part[0], "ou=courts,dc=courts,dc=test", true);
	fz_round_trip("uid", part[0], "", true);
	built = esc_dn_child("ou", part[1], "dc=courts,dc=test");
	if (built != NULL) {
		fz_round_trip("uid", part[0], built, true);
		free(built);
	}

	ab = esc_dn_equal(part[1], part[2]);
	ba = esc_dn_equal(part[2], part[1]);
	FZ_CHECK(ab == ba);
	FZ_CHECK(ab >= -1 && ab <= 1);
	if (ab != -1)
		FZ_CHECK(esc_dn_equal(part[1], part[1]) == 1);

	/* Arbitrary DNs taken apart: no crash, and a value only on success. */
	if (esc_dn_child_value(part[1], "uid", part[2], &back) == 0)
		FZ_CHECK(back != NULL);
	else
		FZ_CHECK(back == NULL);
	free(back);

	if (name_is_valid_login(part[0]))
		FZ_CHECK(fz_login_syntax(part[0]));
	else
		FZ_CHECK(!fz_login_syntax(part[0]));
	if (name_is_valid_court(part[0])) {
		size_t n = strlen(part[0]);

		FZ_CHECK(n >= 2 && n <= 16);
		for (i = 0; i < n; i++)
			FZ_CHECK((part[0][i] >= 'a' && part[0][i] <= 'z') ||
				 (part[0][i] >= '0' && part[0][i] <= '9'));
	}

	for (i = 0; i < 3; i++)
		free(part[i]);
	return 0;
}
