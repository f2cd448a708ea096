/*
 * escape.h - every value that goes into an LDAP filter or DN goes through
 * here. The work is libldap's own (RFC 4515 filter values, RFC 4514 DN
 * writing and parsing); this file only wraps it with one ownership rule:
 * what is returned is malloc'ed and freed with free().
 */
#ifndef PACER_ESCAPE_H
#define PACER_ESCAPE_H

#include <stdbool.h>

/* RFC 4515 escaped copy of VALUE for use inside a filter; NULL on ENOMEM. */
char *esc_filter_value(const char *value);

/* The filter "(ATTR=VALUE)" with VALUE escaped, or with NEGATE
 * "(!(ATTR=VALUE))"; malloc'ed, NULL on ENOMEM. */
char *esc_filter_eq(const char *attr, const char *value, bool negate);

/*
 * Builds the DN "ATTR=VALUE,PARENT" with VALUE escaped per RFC 4514 by
 * libldap's DN writer. PARENT must itself parse as a DN. Returns a
 * malloc'ed string, or NULL when VALUE is empty or not UTF-8, PARENT is
 * not a DN, or memory ran out.
 */
char *esc_dn_child(const char *attr, const char *value, const char *parent);

/*
 * When DN is exactly one level below PARENT and its RDN is the single
 * AVA ATTR=value, stores a malloc'ed copy of the (unescaped) value in
 * *value and returns 0; otherwise returns -1 and *value is NULL.
 */
int esc_dn_child_value(const char *dn, const char *attr, const char *parent,
		       char **value);

/* 1 when A and B name the same entry (normalized comparison), 0 when
 * they do not, -1 when either does not parse as a DN. */
int esc_dn_equal(const char *a, const char *b);

/* 1 when DN names ANCESTOR or an entry below it, 0 when it does not, -1
 * when either does not parse as a DN. */
int esc_dn_within(const char *dn, const char *ancestor);

/*
 * The conservative syntax of PACER usernames and CM/ECF logins: 1 to 64
 * characters, ASCII letters, digits, '.', '_' and '-', starting with a
 * letter or digit. Anything else is refused before any query is made.
 */
#define NAME_MAX_LEN 64
bool name_is_valid_login(const char *name);

/* Court ids: 2 to 16 lowercase ASCII letters or digits ("mnd", "miwb"). */
bool name_is_valid_court(const char *court);

#endif
