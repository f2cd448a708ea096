/*
 * escape.c - filter values and DNs, built and taken apart by libldap.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <stdio.h>
#include <ldap.h>

#include "escape.h"

char *esc_filter_value(const char *value)
{
	struct berval in, out = { 0, NULL };
	char *copy;

	if (value == NULL)
		return NULL;
	in.bv_val = (char *)value;
	in.bv_len = strlen(value);
	if (ldap_bv2escaped_filter_value(&in, &out) != 0)
		return NULL;
	copy = strdup(out.bv_val != NULL ? out.bv_val : "");
	ber_memfree(out.bv_val);
	return copy;
}

char *esc_filter_eq(const char *attr, const char *value, bool negate)
{
	char *v = esc_filter_value(value), *out = NULL;

	if (v == NULL)
		return NULL;
	if (asprintf(&out, negate ? "(!(%s=%s))" : "(%s=%s)", attr, v) < 0)
		out = NULL;
	free(v);
	return out;
}

/* Returns 1 when TEXT parses as an LDAPv3 DN (the empty DN included). */
static int dn_parses(const char *text)
{
	LDAPDN dn = NULL;

	if (text == NULL)
		return 0;
	if (ldap_str2dn(text, &dn, LDAP_DN_FORMAT_LDAPV3) != LDAP_SUCCESS)
		return 0;
	ldap_dnfree(dn);
	return 1;
}

char *esc_dn_child(const char *attr, const char *value, const char *parent)
{
	LDAPAVA ava;
	LDAPAVA *rdn[2] = { &ava, NULL };
	char *rdn_text = NULL, *dn = NULL;
	size_t len;

	if (attr == NULL || *attr == '\0' || value == NULL || *value == '\0' ||
	    !dn_parses(parent))
		return NULL;

	memset(&ava, 0, sizeof(ava));
	ava.la_attr.bv_val = (char *)attr;
	ava.la_attr.bv_len = strlen(attr);
	ava.la_value.bv_val = (char *)value;
	ava.la_value.bv_len = strlen(value);
	ava.la_flags = LDAP_AVA_STRING;
	if (ldap_rdn2str(rdn, &rdn_text, LDAP_DN_FORMAT_LDAPV3) != LDAP_SUCCESS)
		return NULL;

	len = strlen(rdn_text) + 1 + strlen(parent) + 1;
	dn = malloc(len);
	if (dn != NULL) {
		if (*parent != '\0')
			(void)snprintf(dn, len, "%s,%s", rdn_text, parent);
		else
			(void)snprintf(dn, len, "%s", rdn_text);
	}
	ldap_memfree(rdn_text);
	return dn;
}

/* Normalized form of DN (malloc'ed), or NULL when it does not parse. */
static char *dn_normalize(const char *dn)
{
	char *out = NULL, *copy;

	if (dn == NULL)
		return NULL;
	if (ldap_dn_normalize(dn, LDAP_DN_FORMAT_LDAPV3, &out,
			      LDAP_DN_FORMAT_LDAPV3) != LDAP_SUCCESS)
		return NULL;
	copy = strdup(out != NULL ? out : "");
	ldap_memfree(out);
	return copy;
}

int esc_dn_equal(const char *a, const char *b)
{
	char *na, *nb;
	int result = -1;

	/* The same text names the same entry: the usual case (a DN the
	 * server sends back as it was built here) costs one parse. */
	if (a != NULL && b != NULL && strcasecmp(a, b) == 0)
		return dn_parses(a) ? 1 : -1;
	na = dn_normalize(a);
	nb = dn_normalize(b);

	/* Every attribute in our DNs (uid, cn, ou, dc) matches ignoring case. */
	if (na != NULL && nb != NULL)
		result = strcasecmp(na, nb) == 0;
	free(na);
	free(nb);
	return result;
}

int esc_dn_within(const char *dn, const char *ancestor)
{
	LDAPDN d = NULL, a = NULL;
	char *tail = NULL;
	int nd = 0, na = 0, result = -1;

	if (dn == NULL || ancestor == NULL ||
	    ldap_str2dn(dn, &d, LDAP_DN_FORMAT_LDAPV3) != LDAP_SUCCESS)
		return -1;
	if (ldap_str2dn(ancestor, &a, LDAP_DN_FORMAT_LDAPV3) != LDAP_SUCCESS)
		goto done;
	while (d != NULL && d[nd] != NULL)
		nd++;
	while (a != NULL && a[na] != NULL)
		na++;
	result = 0;
	if (na == 0) {
		result = 1;	/* the empty DN is above everything */
		goto done;
	}
	if (na > nd)
		goto done;
	/* Compare DN's last NA RDNs with ANCESTOR, the same way as equality. */
	if (ldap_dn2str(&d[nd - na], &tail, LDAP_DN_FORMAT_LDAPV3) !=
	    LDAP_SUCCESS) {
		result = -1;
		goto done;
	}
	result = esc_dn_equal(tail, ancestor);
done:
	ldap_memfree(tail);
	ldap_dnfree(a);
	ldap_dnfree(d);
	return result;
}

int esc_dn_child_value(const char *dn, const char *attr, const char *parent,
		       char **value)
{
	LDAPDN parsed = NULL;
	char *rest = NULL;
	int result = -1;

	*value = NULL;
	if (dn == NULL || attr == NULL || parent == NULL)
		return -1;
	if (ldap_str2dn(dn, &parsed, LDAP_DN_FORMAT_LDAPV3) != LDAP_SUCCESS)
		return -1;
	if (parsed == NULL || parsed[0] == NULL)
		goto done;
	/* Exactly one AVA in the first RDN, of the expected attribute. */
	if (parsed[0][0] == NULL || parsed[0][1] != NULL)
		goto done;
	if (parsed[0][0]->la_attr.bv_len != strlen(attr) ||
	    strncasecmp(parsed[0][0]->la_attr.bv_val, attr, strlen(attr)) != 0)
		goto done;
	if ((parsed[0][0]->la_flags & LDAP_AVA_BINARY) ||
	    parsed[0][0]->la_value.bv_len == 0)
		goto done;
	if (memchr(parsed[0][0]->la_value.bv_val, '\0',
		   parsed[0][0]->la_value.bv_len) != NULL)
		goto done;
	if (parsed[1] == NULL) {
		if (*parent != '\0')
			goto done;
	} else {
		if (ldap_dn2str(&parsed[1], &rest, LDAP_DN_FORMAT_LDAPV3) !=
		    LDAP_SUCCESS)
			goto done;
		if (esc_dn_equal(rest, parent) != 1)
			goto done;
	}
	*value = strndup(parsed[0][0]->la_value.bv_val,
			 parsed[0][0]->la_value.bv_len);
	if (*value != NULL)
		result = 0;
done:
	ldap_memfree(rest);
	ldap_dnfree(parsed);
	return result;
}

bool name_is_valid_login(const char *name)
{
	size_t i;

	if (name == NULL || name[0] == '\0')
		return false;
	for (i = 0; name[i] != '\0'; i++) {
		unsigned char ch = (unsigned char)name[i];

		if (i >= NAME_MAX_LEN)
			return false;
		if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		    (ch >= '0' && ch <= '9'))
			continue;
		if (i > 0 && (ch == '.' || ch == '_' || ch == '-'))
			continue;
		return false;
	}
	return true;
}

bool name_is_valid_court(const char *court)
{
	size_t i;

	if (court == NULL)
		return false;
	for (i = 0; court[i] != '\0'; i++) {
		unsigned char ch = (unsigned char)court[i];

		if (i >= 16 ||
		    !((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9')))
			return false;
	}
	return i >= 2;
}
