/*
 * account.c - directory entries into the records that decisions are made on.
 * Anything missing or malformed in a required place makes the build fail;
 * optional facts that are malformed are kept as "unknown", which every
 * decision treats as a refusal.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <ldap.h>

#include "account.h"
#include "decide.h"
#include "escape.h"

char *const acct_pacer_attrs[] = {
	"uid", "cn", "pacerAccountType", "pacerUpgraded", "pacerLinkedCmecf", NULL
};
char *const acct_court_attrs[] = {
	"cn", "pacerCourtType", "pacerNextGenGoLive", "description", NULL
};
char *const acct_cmecf_attrs[] = {
	"uid", "cn", "cmecfLinkedPacer", "cmecfLinkedTime", "cmecfLinkedBy", NULL
};

/* A malloc'ed copy of the single value V when it holds no NUL, else NULL. */
static char *bv_dup(const struct berval *v)
{
	if (v == NULL || v->bv_val == NULL || v->bv_len > 4096 ||
	    memchr(v->bv_val, '\0', v->bv_len) != NULL)
		return NULL;
	return strndup(v->bv_val, v->bv_len);
}

/* The first value of NAME, copied; NULL when absent or malformed. *multi
 * (when not NULL) says whether more than one value was present. */
static char *first_value(acct_getter get, void *ctx, const char *name,
			 bool *multi)
{
	struct berval **vals = get(ctx, name);

	if (multi != NULL)
		*multi = vals != NULL && vals[0] != NULL && vals[1] != NULL;
	if (vals == NULL || vals[0] == NULL)
		return NULL;
	return bv_dup(vals[0]);
}

static bool bv_equals_ci(const struct berval *v, const char *text)
{
	size_t n = strlen(text);

	return v != NULL && v->bv_len == n &&
	       strncasecmp(v->bv_val, text, n) == 0;
}

/*
 * The identity both person records need: a copy of DN, exactly one uid
 * (two would be ambiguous) and a cn. 0, or -1 with whatever was copied
 * left for the caller's _free.
 */
static int identity_build(const char *dn, acct_getter get, void *ctx,
			  char **out_dn, char **out_uid, char **out_cn)
{
	bool multi = false;

	*out_dn = strdup(dn);
	*out_uid = first_value(get, ctx, "uid", &multi);
	if (*out_dn == NULL || *out_uid == NULL || multi)
		return -1;
	*out_cn = first_value(get, ctx, "cn", NULL);
	return *out_cn != NULL ? 0 : -1;
}

int acct_pacer_build(const char *dn, acct_getter get, void *ctx,
		     struct pacer_account *out)
{
	struct berval **vals;
	size_t i, n;

	memset(out, 0, sizeof(*out));
	out->upgraded = -1;
	if (dn == NULL)
		return -1;
	if (identity_build(dn, get, ctx, &out->dn, &out->uid, &out->cn) != 0)
		goto fail;

	vals = get(ctx, "pacerAccountType");
	if (vals != NULL && vals[0] != NULL && vals[1] == NULL) {
		if (bv_equals_ci(vals[0], "individual"))
			out->type = ACCT_TYPE_INDIVIDUAL;
		else if (bv_equals_ci(vals[0], "firm"))
			out->type = ACCT_TYPE_FIRM;
	}
	vals = get(ctx, "pacerUpgraded");
	if (vals != NULL && vals[0] != NULL && vals[1] == NULL) {
		if (vals[0]->bv_len == 4 &&
		    memcmp(vals[0]->bv_val, "TRUE", 4) == 0)
			out->upgraded = 1;
		else if (vals[0]->bv_len == 5 &&
			 memcmp(vals[0]->bv_val, "FALSE", 5) == 0)
			out->upgraded = 0;
	}
	vals = get(ctx, "pacerLinkedCmecf");
	for (n = 0; vals != NULL && vals[n] != NULL; n++)
		;
	if (n > 0) {
		out->linked = calloc(n, sizeof(*out->linked));
		if (out->linked == NULL)
			goto fail;
	}
	for (i = 0; i < n; i++) {
		char *v = bv_dup(vals[i]);

		if (v == NULL)
			goto fail;
		out->linked[out->n_linked++] = v;
	}
	return 0;
fail:
	acct_pacer_free(out);
	return -1;
}

int acct_court_build(const char *dn, acct_getter get, void *ctx,
		     struct pacer_court *out)
{
	struct berval **vals;
	char *golive;

	memset(out, 0, sizeof(*out));
	if (dn == NULL)
		return -1;
	out->dn = strdup(dn);
	out->id = first_value(get, ctx, "cn", NULL);
	if (out->dn == NULL || out->id == NULL)
		goto fail;
	vals = get(ctx, "pacerCourtType");
	if (vals != NULL && vals[0] != NULL) {
		if (bv_equals_ci(vals[0], "district"))
			out->type = COURT_DISTRICT;
		else if (bv_equals_ci(vals[0], "bankruptcy"))
			out->type = COURT_BANKRUPTCY;
		else if (bv_equals_ci(vals[0], "appellate"))
			out->type = COURT_APPELLATE;
	}
	golive = first_value(get, ctx, "pacerNextGenGoLive", NULL);
	if (golive != NULL) {
		out->scheduled = gtime_parse(golive, &out->go_live) == 0;
		free(golive);
	}
	out->description = first_value(get, ctx, "description", NULL);
	return 0;
fail:
	acct_court_free(out);
	return -1;
}

int acct_cmecf_build(const char *dn, acct_getter get, void *ctx,
		     struct cmecf_account *out)
{
	bool multi = false;

	memset(out, 0, sizeof(*out));
	if (dn == NULL)
		return -1;
	if (identity_build(dn, get, ctx, &out->dn, &out->uid, &out->cn) != 0)
		goto fail;
	/* Single-valued in the schema; two values would be a broken server. */
	out->linked_pacer = first_value(get, ctx, "cmecfLinkedPacer", &multi);
	if (multi)
		goto fail;
	out->linked_time = first_value(get, ctx, "cmecfLinkedTime", NULL);
	out->linked_by = first_value(get, ctx, "cmecfLinkedBy", NULL);
	return 0;
fail:
	acct_cmecf_free(out);
	return -1;
}

void acct_pacer_free(struct pacer_account *a)
{
	size_t i;

	if (a == NULL)
		return;
	free(a->dn);
	free(a->uid);
	free(a->cn);
	for (i = 0; a->linked != NULL && i < a->n_linked; i++)
		free(a->linked[i]);
	free(a->linked);
	memset(a, 0, sizeof(*a));
	a->upgraded = -1;
}

void acct_court_free(struct pacer_court *c)
{
	if (c == NULL)
		return;
	free(c->dn);
	free(c->id);
	free(c->description);
	memset(c, 0, sizeof(*c));
}

void acct_cmecf_free(struct cmecf_account *a)
{
	if (a == NULL)
		return;
	free(a->dn);
	free(a->uid);
	free(a->cn);
	free(a->linked_pacer);
	free(a->linked_time);
	free(a->linked_by);
	memset(a, 0, sizeof(*a));
}

/* ---- from a directory entry -------------------------------------------- */

/* The getter over a struct dir_entry: its values are the entry's own. */
static struct berval **entry_get(void *ctx, const char *name)
{
	return dir_entry_values(ctx, name);
}

int acct_pacer_from_entry(const struct dir_entry *e, struct pacer_account *out)
{
	return acct_pacer_build(e->dn, entry_get, (void *)e, out);
}

int acct_court_from_entry(const struct dir_entry *e, struct pacer_court *out)
{
	return acct_court_build(e->dn, entry_get, (void *)e, out);
}

int acct_cmecf_from_entry(const struct dir_entry *e, struct cmecf_account *out)
{
	return acct_cmecf_build(e->dn, entry_get, (void *)e, out);
}

bool acct_entry_has_class(const struct dir_entry *e, const char *name)
{
	struct berval **vals = dir_entry_values(e, "objectClass");
	size_t i;

	for (i = 0; vals != NULL && vals[i] != NULL; i++)
		if (bv_equals_ci(vals[i], name))
			return true;
	return false;
}

/* dir_entry_fn adapters: each builds its record into CTX. */
static int read_pacer(void *ctx, const struct dir_entry *e)
{
	return acct_pacer_from_entry(e, ctx);
}

static int read_court(void *ctx, const struct dir_entry *e)
{
	return acct_court_from_entry(e, ctx);
}

static int read_cmecf(void *ctx, const struct dir_entry *e)
{
	return acct_cmecf_from_entry(e, ctx);
}

enum dir_status acct_pacer_read(struct dir_conn *c, const char *dn,
				struct pacer_account *out,
				struct dir_error *err)
{
	memset(out, 0, sizeof(*out));
	out->upgraded = -1;
	return dir_read_entry(c, dn, "(objectClass=pacerAccount)",
			      acct_pacer_attrs, read_pacer, out, err);
}

enum dir_status acct_court_read(struct dir_conn *c, const char *dn,
				struct pacer_court *out, struct dir_error *err)
{
	memset(out, 0, sizeof(*out));
	return dir_read_entry(c, dn, "(objectClass=pacerCourt)",
			      acct_court_attrs, read_court, out, err);
}

enum dir_status acct_cmecf_read(struct dir_conn *c, const char *dn,
				struct cmecf_account *out,
				struct dir_error *err)
{
	memset(out, 0, sizeof(*out));
	return dir_read_entry(c, dn, "(objectClass=cmecfAccount)",
			      acct_cmecf_attrs, read_cmecf, out, err);
}

/* ---- time -------------------------------------------------------------- */

/* The rule is decide_court's (decide.c). */
bool court_is_live(const struct pacer_court *c, time_t now)
{
	return decide_court(c, now) == DECIDE_OK;
}

/* Reads exactly N decimal digits at *P into *out and advances *P. */
static int digits(const char **p, int n, int *out)
{
	int v = 0, i;

	for (i = 0; i < n; i++) {
		char ch = (*p)[i];

		if (ch < '0' || ch > '9')
			return -1;
		v = v * 10 + (ch - '0');
	}
	*p += n;
	*out = v;
	return 0;
}

int gtime_parse(const char *text, time_t *out)
{
	const char *p = text;
	struct tm tm;
	int year, mon, day, hour, min = 0, sec = 0, off_h, off_m, sign;
	time_t t;

	if (text == NULL || strlen(text) > 32)
		return -1;
	memset(&tm, 0, sizeof(tm));
	if (digits(&p, 4, &year) || digits(&p, 2, &mon) ||
	    digits(&p, 2, &day) || digits(&p, 2, &hour))
		return -1;
	if (*p >= '0' && *p <= '9') {
		if (digits(&p, 2, &min))
			return -1;
		if (*p >= '0' && *p <= '9' && digits(&p, 2, &sec))
			return -1;
	}
	if (*p == '.' || *p == ',') {
		p++;
		if (*p < '0' || *p > '9')
			return -1;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	if (mon < 1 || mon > 12 || day < 1 || day > 31 || hour > 23 ||
	    min > 59 || sec > 60)
		return -1;
	tm.tm_year = year - 1900;
	tm.tm_mon = mon - 1;
	tm.tm_mday = day;
	tm.tm_hour = hour;
	tm.tm_min = min;
	tm.tm_sec = sec;
	t = timegm(&tm);
	if (t == (time_t)-1)
		return -1;
	if (*p == 'Z' && p[1] == '\0') {
		*out = t;
		return 0;
	}
	if ((*p == '+' || *p == '-') && strlen(p) == 5) {
		sign = *p == '+' ? 1 : -1;
		p++;
		if (digits(&p, 2, &off_h) || digits(&p, 2, &off_m) ||
		    off_h > 23 || off_m > 59)
			return -1;
		*out = t - sign * (off_h * 3600 + off_m * 60);
		return 0;
	}
	return -1;
}

void gtime_format(time_t t, char *buf, size_t n)
{
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(buf, n, "%Y%m%d%H%M%SZ", &tm) == 0)
		(void)snprintf(buf, n, "19700101000000Z");
}

void gtime_format_human(time_t t, char *buf, size_t n)
{
	static const char *const months[] = {
		"January", "February", "March", "April", "May", "June", "July",
		"August", "September", "October", "November", "December"
	};
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL) {
		(void)snprintf(buf, n, "an unknown date");
		return;
	}
	(void)snprintf(buf, n, "%s %d, %d", months[tm.tm_mon], tm.tm_mday,
		       tm.tm_year + 1900);
}

/* ---- DNs --------------------------------------------------------------- */

char *acct_court_dn(const struct cfg *cfg, const char *court)
{
	if (!name_is_valid_court(court))
		return NULL;
	return esc_dn_child("cn", court, cfg->courts_base);
}

char *acct_cmecf_container(const struct cfg *cfg, const char *court)
{
	char *court_dn = acct_court_dn(cfg, court), *dn;

	if (court_dn == NULL)
		return NULL;
	dn = esc_dn_child("ou", "cmecf", court_dn);
	free(court_dn);
	return dn;
}

char *acct_pacer_dn(const struct cfg *cfg, const char *user)
{
	if (!name_is_valid_login(user))
		return NULL;
	return esc_dn_child("uid", user, cfg->pacer_base);
}

char *acct_cmecf_dn(const struct cfg *cfg, const char *court, const char *login)
{
	char *container, *dn;

	if (!name_is_valid_login(login))
		return NULL;
	container = acct_cmecf_container(cfg, court);
	if (container == NULL)
		return NULL;
	dn = esc_dn_child("uid", login, container);
	free(container);
	return dn;
}

char *acct_court_of(const struct cfg *cfg, const char *legacy_dn)
{
	LDAPDN dn = NULL;
	char *court = NULL, *parent = NULL;
	int i;

	if (ldap_str2dn(legacy_dn, &dn, LDAP_DN_FORMAT_LDAPV3) != LDAP_SUCCESS)
		return NULL;
	for (i = 0; dn[i] != NULL; i++)
		;
	if (i >= 4 && dn[2][0] != NULL && dn[2][1] == NULL &&
	    ldap_dn2str(&dn[3], &parent, LDAP_DN_FORMAT_LDAPV3) ==
		    LDAP_SUCCESS &&
	    esc_dn_equal(parent, cfg->courts_base) == 1 &&
	    dn[2][0]->la_attr.bv_len == 2 &&
	    strncasecmp(dn[2][0]->la_attr.bv_val, "cn", 2) == 0) {
		court = strndup(dn[2][0]->la_value.bv_val,
				dn[2][0]->la_value.bv_len);
		if (court != NULL && !name_is_valid_court(court)) {
			free(court);
			court = NULL;
		}
	}
	ldap_memfree(parent);
	ldap_dnfree(dn);
	return court;
}

const char *acct_pacer_link_in(const struct pacer_account *a,
			       const struct cfg *cfg, const char *court)
{
	char *container = acct_cmecf_container(cfg, court), *uid = NULL;
	const char *found = NULL;
	size_t i;

	if (container == NULL)
		return NULL;
	for (i = 0; i < a->n_linked && found == NULL; i++) {
		if (esc_dn_child_value(a->linked[i], "uid", container,
				       &uid) == 0)
			found = a->linked[i];
		free(uid);
		uid = NULL;
	}
	free(container);
	return found;
}

const char *acct_type_name(enum acct_type t)
{
	switch (t) {
	case ACCT_TYPE_INDIVIDUAL:	return "individual";
	case ACCT_TYPE_FIRM:		return "firm";
	case ACCT_TYPE_UNKNOWN:		break;
	}
	return "unknown";
}

const char *court_type_name(enum court_type t)
{
	switch (t) {
	case COURT_DISTRICT:	return "district";
	case COURT_BANKRUPTCY:	return "bankruptcy";
	case COURT_APPELLATE:	return "appellate";
	case COURT_TYPE_UNKNOWN: break;
	}
	return "unknown";
}
