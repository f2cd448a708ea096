/*
 * linkdir.c - cmecf-link's directory work: one provider (link_uri), reads
 * that remember each entry's entryCSN, and the write that changes both
 * sides of a link in one RFC 5805 transaction, each modify guarded by an
 * RFC 4528 assertion on the entryCSN it was decided on (see linking.md).
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
#define LW_PAGE_SIZE 500

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

/* A copy of BASE plus "entryCSN" into OUT (room for N). */
static void lw_attrs_with_csn(char *const *base, char **out, size_t n)
{
	size_t i = 0;

	for (; base[i] != NULL && i + 2 < n; i++)
		out[i] = base[i];
	out[i++] = (char *)"entryCSN";
	out[i] = NULL;
}

/* The entryCSN of ENTRY, malloc'ed, or NULL. */
static char *lw_csn(LDAP *ld, LDAPMessage *entry)
{
	struct berval **v = ldap_get_values_len(ld, entry, "entryCSN");
	char *s = NULL;

	if (v != NULL && v[0] != NULL)
		s = strndup(v[0]->bv_val, v[0]->bv_len);
	ldap_value_free_len(v);
	return s;
}

/* Reads a PACER entry; *out owned by the caller (lw_pacer_free). */
enum dir_status lw_read_pacer(struct dir_conn *c, const char *dn,
			      struct lw_pacer *out, struct dir_error *err)
{
	char *attrs[32];
	LDAPMessage *res = NULL, *e;
	enum dir_status st;

	memset(out, 0, sizeof(*out));
	lw_attrs_with_csn(acct_pacer_attrs, attrs, 32);
	st = dir_search(c, dn, LDAP_SCOPE_BASE, "(objectClass=pacerAccount)",
			attrs, 0, &res, err);
	if (st != DIR_OK)
		return st;
	e = ldap_first_entry(dir_handle(c), res);
	if (e == NULL || acct_pacer_from_entry(dir_handle(c), e, &out->a) != 0) {
		st = DIR_ERR_PROTOCOL;
		(void)snprintf(err->detail, sizeof(err->detail), "malformed entry %s", dn);
	} else {
		out->csn = lw_csn(dir_handle(c), e);
	}
	ldap_msgfree(res);
	return st;
}

/* Reads a legacy entry; *out owned by the caller (lw_cmecf_free). */
enum dir_status lw_read_cmecf(struct run *r, struct dir_conn *c, const char *dn,
			      struct lw_cmecf *out, struct dir_error *err)
{
	char *attrs[32];
	LDAPMessage *res = NULL, *e;
	enum dir_status st;

	memset(out, 0, sizeof(*out));
	lw_attrs_with_csn(acct_cmecf_attrs, attrs, 32);
	st = dir_search(c, dn, LDAP_SCOPE_BASE, "(objectClass=cmecfAccount)",
			attrs, 0, &res, err);
	if (st != DIR_OK)
		return st;
	e = ldap_first_entry(dir_handle(c), res);
	if (e == NULL || acct_cmecf_from_entry(dir_handle(c), e, &out->a) != 0) {
		st = DIR_ERR_PROTOCOL;
		(void)snprintf(err->detail, sizeof(err->detail), "malformed entry %s", dn);
	} else {
		out->csn = lw_csn(dir_handle(c), e);
		out->court = lw_court_of(&r->cfg, dn);
	}
	ldap_msgfree(res);
	return st;
}

void lw_pacer_free(struct lw_pacer *p)
{
	acct_pacer_free(&p->a);
	free(p->csn);
	p->csn = NULL;
}

void lw_cmecf_free(struct lw_cmecf *l)
{
	acct_cmecf_free(&l->a);
	free(l->csn);
	free(l->court);
	l->csn = NULL;
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

/* Sends one modify, guarded by an assertion on the entryCSN read before,
 * and reads its answer. */
static enum dir_status lw_send(struct dir_conn *c, const struct lw_change *ch,
			       struct dir_error *err)
{
	LDAP *ld = dir_handle(c);
	LDAPControl *assert_ctl = NULL;
	LDAPControl *ctrls[2] = { NULL, NULL };
	LDAPMessage *res = NULL;
	char filter[256];
	char *csn = NULL;
	int msgid = -1, rc, code = LDAP_OTHER;
	enum dir_status st = DIR_ERR_PROTOCOL;

	if (ch->csn != NULL) {
		csn = esc_filter_value(ch->csn);
		if (csn == NULL)
			return DIR_ERR_NOMEM;
		(void)snprintf(filter, sizeof(filter), "(entryCSN=%s)", csn);
		free(csn);
		rc = ldap_create_assertion_control(ld, filter, 1, &assert_ctl);
		if (rc != LDAP_SUCCESS)
			return dir_fail_rc(c, rc, err);
		ctrls[0] = assert_ctl;
	}
	rc = ldap_modify_ext(ld, ch->dn, ch->mods, ctrls, NULL, &msgid);
	if (rc != LDAP_SUCCESS) {
		st = dir_fail_rc(c, rc, err);
		goto done;
	}
	st = dir_wait(c, msgid, LDAP_MSG_ALL, &res, err);
	if (st != DIR_OK)
		goto done;
	rc = ldap_parse_result(ld, res, &code, NULL, NULL, NULL, NULL, 0);
	if (rc != LDAP_SUCCESS) {
		st = dir_fail_rc(c, rc, err);
		goto done;
	}
	if (code != LDAP_SUCCESS) {
		st = lw_write_status(code);
		err->status = st;
		err->ldap_rc = code;
		(void)snprintf(err->server, sizeof(err->server), "%s", dir_server(c));
		(void)snprintf(err->detail, sizeof(err->detail), "%s", ldap_err2string(code));
		goto done;
	}
	st = DIR_OK;
done:
	ldap_msgfree(res);
	if (assert_ctl != NULL)
		ldap_control_free(assert_ctl);
	return st;
}

/* CH in order, each only if its entry is unchanged; see cmecf_link.h. */
enum dir_status lw_apply(struct dir_conn *c, struct lw_change *ch, size_t n,
			 size_t *applied, struct dir_error *err)
{
	sigset_t block, old;
	enum dir_status st = DIR_OK;
	size_t i;

	*applied = 0;
	(void)sigemptyset(&block);
	(void)sigaddset(&block, SIGINT);
	(void)sigaddset(&block, SIGTERM);
	(void)sigaddset(&block, SIGHUP);
	(void)sigaddset(&block, SIGTSTP);
	(void)sigaddset(&block, SIGQUIT);
	if (sigprocmask(SIG_BLOCK, &block, &old) != 0)
		return DIR_ERR_PROTOCOL;
	for (i = 0; i < n; i++) {
		st = lw_send(c, &ch[i], err);
		if (st != DIR_OK)
			break;
		*applied = i + 1;
#ifdef CMECF_TEST_PAUSE
		/* Test builds only: stop between the writes to be killed. */
		if (i == 0 && n > 1)
			(void)raise(SIGSTOP);
#endif
	}
	(void)sigprocmask(SIG_SETMASK, &old, NULL);
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

	for (;;) {
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
	}
	if (cookie.bv_val != NULL)
		ber_memfree(cookie.bv_val);
	return st;
}
