/*
 * linkdir.c - cmecf-link's directory work: one provider (link_uri), the
 * reads of both entries, and modifies that each carry an RFC 4528
 * assertion on the link attributes they change (docs/linking.md says why
 * this, and not entryCSN or an RFC 5805 transaction, is the guard).
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmecf_link.h"

/* Long enough for a person at the prompts; each operation still has
 * cfg's timeout. */
#define LW_DEADLINE_MS (30L * 60 * 1000)

/* Connects to the link provider (or URI); exits 5 naming it on failure. */
struct dir_conn *lw_connect(struct run *r, const char *uri)
{
	struct dir_deadline dl;
	struct dir_error err;
	struct dir_conn *c = NULL;
	const char *u = uri != NULL ? uri :
			(r->cfg.link_uri != NULL ? r->cfg.link_uri : r->cfg.uris[0]);
	const char *const uris[1] = { u };
	size_t next = 0;
	enum dir_status st;

	memset(&err, 0, sizeof(err));
	dir_deadline_start(&dl, LW_DEADLINE_MS);
	st = dir_connect(&r->cfg, uris, 1, &next, &dl, &c, &err);
	if (st != DIR_OK)
		run_exit(r, LX_UNAVAIL, "unavailable",
			 "the link directory server %s did not answer (%s: %s); nothing was changed",
			 u, dir_status_name(st), err.detail);
	return c;
}

/* Connects and binds as link_binddn; exits 5, or 1 when refused. */
struct dir_conn *lw_service(struct run *r)
{
	struct dir_conn *c = lw_connect(r, NULL);
	struct dir_error err;
	enum dir_status st;

	memset(&err, 0, sizeof(err));
	st = dir_bind(c, r->cfg.link_binddn, r->link_pw, NULL, &err);
	if (st == DIR_OK)
		return c;
	dir_close(c);
	if (st == DIR_ERR_UNAVAILABLE || st == DIR_ERR_TIMEOUT || st == DIR_ERR_TLS)
		run_exit(r, LX_UNAVAIL, "unavailable",
			 "the link directory server %s did not answer (%s: %s)",
			 err.server, dir_status_name(st), err.detail);
	run_exit(r, LX_USAGE, "config-error",
		 "the link service account %s was refused by %s: %s",
		 r->cfg.link_binddn, err.server, err.detail);
}

/* Reads a PACER entry; *out owned by the caller (lw_pacer_free). */
enum dir_status lw_read_pacer(struct dir_conn *c, const char *dn,
			      struct lw_pacer *out, struct dir_error *err)
{
	LDAPMessage *res = NULL, *e;
	enum dir_status st;

	memset(out, 0, sizeof(*out));
	st = dir_search(c, dn, LDAP_SCOPE_BASE, "(objectClass=pacerAccount)",
			(char **)acct_pacer_attrs, 0, &res, err);
	if (st != DIR_OK)
		return st;
	e = ldap_first_entry(dir_handle(c), res);
	if (e == NULL || acct_pacer_from_entry(dir_handle(c), e, &out->a) != 0) {
		st = DIR_ERR_PROTOCOL;
		(void)snprintf(err->detail, sizeof(err->detail), "malformed entry %s", dn);
	}
	ldap_msgfree(res);
	return st;
}

/* Reads a legacy entry; *out owned by the caller (lw_cmecf_free). */
enum dir_status lw_read_cmecf(struct run *r, struct dir_conn *c, const char *dn,
			      struct lw_cmecf *out, struct dir_error *err)
{
	LDAPMessage *res = NULL, *e;
	enum dir_status st;

	memset(out, 0, sizeof(*out));
	st = dir_search(c, dn, LDAP_SCOPE_BASE, "(objectClass=cmecfAccount)",
			(char **)acct_cmecf_attrs, 0, &res, err);
	if (st != DIR_OK)
		return st;
	e = ldap_first_entry(dir_handle(c), res);
	if (e == NULL || acct_cmecf_from_entry(dir_handle(c), e, &out->a) != 0) {
		st = DIR_ERR_PROTOCOL;
		(void)snprintf(err->detail, sizeof(err->detail), "malformed entry %s", dn);
	} else {
		out->court = lw_court_of(&r->cfg, dn);
		if (out->court == NULL) {
			lw_cmecf_free(out);
			st = DIR_ERR_PROTOCOL;
			(void)snprintf(err->detail, sizeof(err->detail),
				       "a legacy entry outside any court's ou=cmecf");
		}
	}
	ldap_msgfree(res);
	return st;
}

void lw_pacer_free(struct lw_pacer *p)
{
	acct_pacer_free(&p->a);
}

void lw_cmecf_free(struct lw_cmecf *l)
{
	acct_cmecf_free(&l->a);
	free(l->court);
	l->court = NULL;
}

/* Reads the court entry into *out (acct_court_free). */
enum dir_status lw_read_court(struct run *r, struct dir_conn *c, const char *court,
			      struct pacer_court *out, struct dir_error *err)
{
	char *dn = acct_court_dn(&r->cfg, court);
	LDAPMessage *res = NULL, *e;
	enum dir_status st = DIR_ERR_NOMEM;

	memset(out, 0, sizeof(*out));
	if (dn == NULL)
		return st;
	st = dir_search(c, dn, LDAP_SCOPE_BASE, "(objectClass=pacerCourt)",
			(char **)acct_court_attrs, 0, &res, err);
	if (st == DIR_OK) {
		e = ldap_first_entry(dir_handle(c), res);
		if (e == NULL || acct_court_from_entry(dir_handle(c), e, out) != 0)
			st = DIR_ERR_PROTOCOL;
		ldap_msgfree(res);
	}
	free(dn);
	return st;
}

/* The court id in "uid=X,ou=cmecf,cn=COURT,COURTS_BASE", or NULL. */
char *lw_court_of(const struct cfg *cfg, const char *legacy_dn)
{
	LDAPDN dn = NULL;
	char *court = NULL;
	char *parent = NULL;
	int i;

	if (ldap_str2dn(legacy_dn, &dn, LDAP_DN_FORMAT_LDAPV3) != LDAP_SUCCESS)
		return NULL;
	for (i = 0; dn[i] != NULL; i++)
		;
	if (i >= 4 && dn[2][0] != NULL && dn[2][1] == NULL &&
	    ldap_dn2str(&dn[3], &parent, LDAP_DN_FORMAT_LDAPV3) == LDAP_SUCCESS &&
	    esc_dn_equal(parent, cfg->courts_base) == 1 &&
	    dn[2][0]->la_attr.bv_len == 2 &&
	    strncasecmp(dn[2][0]->la_attr.bv_val, "cn", 2) == 0) {
		court = strndup(dn[2][0]->la_value.bv_val, dn[2][0]->la_value.bv_len);
		if (court != NULL && !name_is_valid_court(court)) {
			free(court);
			court = NULL;
		}
	}
	ldap_memfree(parent);
	ldap_dnfree(dn);
	return court;
}

/* Maps a write's result code: a concurrent writer shows as one of these. */
static enum dir_status lw_write_status(int rc)
{
	switch (rc) {
	case LDAP_SUCCESS:
		return DIR_OK;
	case LDAP_ASSERTION_FAILED:
	case LDAP_TYPE_OR_VALUE_EXISTS:
	case LDAP_CONSTRAINT_VIOLATION:
	case LDAP_NO_SUCH_ATTRIBUTE:
	case LDAP_NO_SUCH_OBJECT:
		return DIR_ERR_CONFLICT;
	default:
		return dir_status_from_ldap(rc);
	}
}

/* An RFC 4528 assertion control for GUARD into *out (ldap_control_free). */
static enum dir_status lw_assertion(struct dir_conn *c, const char *guard,
				    LDAPControl **out, struct dir_error *err)
{
	int rc;

	*out = NULL;
	if (guard == NULL || guard[0] == '\0') {
		err->status = DIR_ERR_INVALID;
		(void)snprintf(err->detail, sizeof(err->detail),
			       "refusing a write without a guard");
		return DIR_ERR_INVALID;
	}
	rc = ldap_create_assertion_control(dir_handle(c), (char *)guard, 1, out);
	return rc == LDAP_SUCCESS ? DIR_OK : dir_fail_rc(c, rc, err);
}

/* Reads the answer to MSGID into err; the status of the write. */
static enum dir_status lw_write_result(struct dir_conn *c, int msgid,
				       struct dir_error *err)
{
	LDAPMessage *res = NULL;
	int rc, code = LDAP_OTHER;
	enum dir_status st;

	st = dir_wait(c, msgid, LDAP_MSG_ALL, &res, err);
	if (st != DIR_OK)
		return st;
	rc = ldap_parse_result(dir_handle(c), res, &code, NULL, NULL, NULL, NULL, 0);
	ldap_msgfree(res);
	if (rc != LDAP_SUCCESS)
		return dir_fail_rc(c, rc, err);
	if (code == LDAP_SUCCESS)
		return DIR_OK;
	st = lw_write_status(code);
	err->status = st;
	err->ldap_rc = code;
	(void)snprintf(err->server, sizeof(err->server), "%s", dir_server(c));
	(void)snprintf(err->detail, sizeof(err->detail), "%s", ldap_err2string(code));
	return st;
}

#define LW_MODS_MAX 4

/* One modify of MODS under GUARD; see cmecf_link.h. */
enum dir_status lw_modify(struct dir_conn *c, const char *dn, const char *guard,
			  const struct lw_mod *mods, size_t n, struct dir_error *err)
{
	LDAPMod m[LW_MODS_MAX], *mp[LW_MODS_MAX + 1];
	char *vals[LW_MODS_MAX][2];
	LDAPControl *ctl = NULL, *ctrls[2] = { NULL, NULL };
	enum dir_status st;
	int msgid = -1, rc;
	size_t i;

	if (n == 0 || n > LW_MODS_MAX)
		return DIR_ERR_INVALID;
	st = lw_assertion(c, guard, &ctl, err);
	if (st != DIR_OK)
		return st;
	ctrls[0] = ctl;
	for (i = 0; i < n; i++) {
		vals[i][0] = (char *)mods[i].value;
		vals[i][1] = NULL;
		m[i].mod_op = mods[i].add ? LDAP_MOD_ADD : LDAP_MOD_DELETE;
		m[i].mod_type = (char *)mods[i].attr;
		m[i].mod_vals.modv_strvals = vals[i];
		mp[i] = &m[i];
	}
	mp[n] = NULL;
	rc = ldap_modify_ext(dir_handle(c), dn, mp, ctrls, NULL, &msgid);
	ldap_control_free(ctl);
	if (rc != LDAP_SUCCESS)
		return dir_fail_rc(c, rc, err);
	return lw_write_result(c, msgid, err);
}

/* "(ATTR=VALUE)" or "(!(ATTR=VALUE))", VALUE escaped; malloc'ed. */
char *lw_guard_eq(const char *attr, const char *value, bool negate)
{
	char *v = esc_filter_value(value), *out = NULL;

	if (v == NULL)
		return NULL;
	if (asprintf(&out, negate ? "(!(%s=%s))" : "(%s=%s)", attr, v) < 0)
		out = NULL;
	free(v);
	return out;
}

int lw_block_signals(sigset_t *old)
{
	sigset_t block;

	(void)sigemptyset(&block);
	(void)sigaddset(&block, SIGINT);
	(void)sigaddset(&block, SIGTERM);
	(void)sigaddset(&block, SIGHUP);
	(void)sigaddset(&block, SIGTSTP);
	(void)sigaddset(&block, SIGQUIT);
	return sigprocmask(SIG_BLOCK, &block, old);
}

void lw_unblock_signals(const sigset_t *old)
{
	(void)sigprocmask(SIG_SETMASK, old, NULL);
}

/* A base search of DN carrying GUARD as a critical assertion. */
enum dir_status lw_guard_probe(struct dir_conn *c, const char *dn,
			       const char *guard, struct dir_error *err)
{
	char *attrs[] = { (char *)"1.1", NULL };
	LDAPControl *ctl = NULL, *ctrls[2] = { NULL, NULL };
	LDAPMessage *res = NULL;
	enum dir_status st;
	int msgid = -1, rc;

	st = lw_assertion(c, guard, &ctl, err);
	if (st != DIR_OK)
		return st;
	ctrls[0] = ctl;
	rc = ldap_search_ext(dir_handle(c), dn, LDAP_SCOPE_BASE, "(objectClass=*)",
			     attrs, 0, ctrls, NULL, NULL, 1, &msgid);
	ldap_control_free(ctl);
	if (rc != LDAP_SUCCESS)
		return dir_fail_rc(c, rc, err);
	st = dir_wait(c, msgid, LDAP_MSG_ALL, &res, err);
	if (st != DIR_OK)
		return st;
	st = dir_check_result(c, res, err);
	if (st != DIR_OK && err->ldap_rc == LDAP_ASSERTION_FAILED)
		st = DIR_ERR_CONFLICT;
	ldap_msgfree(res);
	return st;
}

/* The DN of one entry under BASE matching FILTER (ldap_memfree), or NULL;
 * a size limit hit after the first entry is no failure. */
char *lw_first_dn(struct dir_conn *c, const char *base, const char *filter,
		  struct dir_error *err)
{
	char *attrs[] = { (char *)"1.1", NULL };
	LDAPMessage *res = NULL, *e;
	char *dn = NULL;
	int msgid = -1;

	if (dir_search_send(c, base, LDAP_SCOPE_SUBTREE, filter, attrs, 1, &msgid,
			    err) != DIR_OK ||
	    dir_wait(c, msgid, LDAP_MSG_ALL, &res, err) != DIR_OK)
		return NULL;
	e = ldap_first_entry(dir_handle(c), res);
	if (e != NULL)
		dn = ldap_get_dn(dir_handle(c), e);
	ldap_msgfree(res);
	return dn;
}

/* Appends ENTRY's DN; 0 or -1 on ENOMEM. */
int dn_list_add(void *ctx, LDAP *ld, LDAPMessage *entry)
{
	struct dn_list *l = ctx;
	char *dn = ldap_get_dn(ld, entry);
	char **nv;

	if (dn == NULL)
		return -1;
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 64;

		nv = realloc(l->v, cap * sizeof(*nv));
		if (nv == NULL) {
			ldap_memfree(dn);
			return -1;
		}
		l->v = nv;
		l->cap = cap;
	}
	l->v[l->n] = strdup(dn);
	ldap_memfree(dn);
	return l->v[l->n++] == NULL ? -1 : 0;
}

void dn_list_free(struct dn_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

/* Every legacy entry of COURT claiming PACER_DN, into OUT (dn_list_free). */
enum dir_status lw_claims(struct run *r, struct dir_conn *c, const char *court,
			  const char *pacer_dn, struct dn_list *out,
			  struct dir_error *err)
{
	char *attrs[] = { (char *)"1.1", NULL };
	char *cont = acct_cmecf_container(&r->cfg, court);
	char *eq = lw_guard_eq("cmecfLinkedPacer", pacer_dn, false);
	char *filter = NULL;
	enum dir_status st = DIR_ERR_NOMEM;

	memset(out, 0, sizeof(*out));
	if (cont != NULL && eq != NULL &&
	    asprintf(&filter, "(&(objectClass=cmecfAccount)%s)", eq) >= 0) {
		st = lw_paged(c, cont, filter, attrs, dn_list_add, out, err);
		free(filter);
	}
	free(eq);
	free(cont);
	if (st != DIR_OK)
		dn_list_free(out);
	return st;
}

/* Deletes L's own link values, only while it still names PACER_DN. */
enum dir_status lw_undo_legacy(struct dir_conn *c, const struct lw_cmecf *l,
			       const char *pacer_dn, struct dir_error *err)
{
	struct lw_mod m[3];
	char *guard = lw_guard_eq("cmecfLinkedPacer", pacer_dn, false);
	enum dir_status st;
	size_t n = 0;

	if (guard == NULL)
		return DIR_ERR_NOMEM;
	m[n++] = (struct lw_mod){ false, "cmecfLinkedPacer", l->a.linked_pacer };
	if (l->a.linked_time != NULL)
		m[n++] = (struct lw_mod){ false, "cmecfLinkedTime", l->a.linked_time };
	if (l->a.linked_by != NULL)
		m[n++] = (struct lw_mod){ false, "cmecfLinkedBy", l->a.linked_by };
	st = lw_modify(c, l->a.dn, guard, m, n, err);
	free(guard);
	return st;
}

/* Walks every entry under BASE matching FILTER, a page at a time. */
enum dir_status lw_paged(struct dir_conn *c, const char *base, const char *filter,
			 char **attrs, lw_entry_fn fn, void *ctx,
			 struct dir_error *err)
{
	LDAP *ld = dir_handle(c);
	struct berval cookie = { 0, NULL };
	enum dir_status st = DIR_ERR_PROTOCOL;
	long pages;

	for (pages = 1;; pages++) {
		LDAPControl *page = NULL, *ctrls[2] = { NULL, NULL };
		LDAPControl **rctrls = NULL, *pr;
		LDAPMessage *res = NULL, *e;
		ber_int_t count = 0;
		struct berval next = { 0, NULL };
		int msgid = -1, rc;

		rc = ldap_create_page_control(ld, LW_PAGE_SIZE, &cookie, 1, &page);
		if (rc != LDAP_SUCCESS) {
			st = dir_fail_rc(c, rc, err);
			break;
		}
		ctrls[0] = page;
		rc = ldap_search_ext(ld, base, LDAP_SCOPE_SUBTREE, filter, attrs, 0,
				     ctrls, NULL, NULL, 0, &msgid);
		ldap_control_free(page);
		if (rc != LDAP_SUCCESS) {
			st = dir_fail_rc(c, rc, err);
			break;
		}
		st = dir_wait(c, msgid, LDAP_MSG_ALL, &res, err);
		if (st != DIR_OK)
			break;
		for (e = ldap_first_entry(ld, res); e != NULL; e = ldap_next_entry(ld, e)) {
			if (fn(ctx, ld, e) != 0) {
				st = DIR_ERR_NOMEM;
				break;
			}
		}
		if (st == DIR_OK)
			st = dir_check_result(c, res, err);
		if (st == DIR_OK) {
			rc = ldap_parse_result(ld, res, NULL, NULL, NULL, NULL, &rctrls, 0);
			pr = rc == LDAP_SUCCESS ?
			     ldap_control_find(LDAP_CONTROL_PAGEDRESULTS, rctrls, NULL) : NULL;
			if (pr == NULL ||
			    ldap_parse_pageresponse_control(ld, pr, &count, &next) != LDAP_SUCCESS)
				st = DIR_ERR_PROTOCOL;
			ldap_controls_free(rctrls);
		}
		ldap_msgfree(res);
		if (cookie.bv_val != NULL)
			ber_memfree(cookie.bv_val);
		cookie = next;
		if (st != DIR_OK || cookie.bv_len == 0)
			break;
		if (pages == LW_PAGE_MAX) {
			/* A provider that always hands back a cookie. */
			st = DIR_ERR_PROTOCOL;
			err->status = st;
			(void)snprintf(err->server, sizeof(err->server), "%s", dir_server(c));
			(void)snprintf(err->detail, sizeof(err->detail),
				       "the paged search under %s did not end after %d pages "
				       "of %d entries", base, LW_PAGE_MAX, LW_PAGE_SIZE);
			break;
		}
	}
	if (cookie.bv_val != NULL)
		ber_memfree(cookie.bv_val);
	return st;
}
