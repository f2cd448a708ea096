/*
 * dir_ops.c - the directory operations callers need, built on dir.c's
 * connection: entries handed to a callback, reading one entry, the paged
 * walk, the DN of a first match, and modifies guarded by an RFC 4528
 * assertion (docs/linking.md says why that, and not entryCSN or an
 * RFC 5805 transaction, is the guard). Every libldap result, control and
 * value this file obtains is freed here; callers see struct dir_entry.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dir_private.h"
#include "grow.h"

/* The status of an operation refused because an earlier timeout left
 * C's stream unusable. */
static enum dir_status unusable(struct dir_conn *c, struct dir_error *err)
{
	return dir_set_error(err, DIR_ERR_UNAVAILABLE, dir_server(c), 0, NULL,
			     "connection unusable after an earlier failure");
}

void dir_library_init(void)
{
	int v = 0;

	(void)ldap_get_option(NULL, LDAP_OPT_PROTOCOL_VERSION, &v);
}

/* ---- entries ------------------------------------------------------------ */

struct berval **dir_entry_values(const struct dir_entry *e, const char *name)
{
	size_t i;

	for (i = 0; e != NULL && i < e->n_attrs; i++)
		if (e->attrs[i].name != NULL &&
		    strcasecmp(e->attrs[i].name, name) == 0)
			return e->attrs[i].vals;
	return NULL;
}

/* A struct dir_entry over one LDAPMessage entry, with what backs it. */
struct entry_hold {
	struct dir_entry pub;
	struct dir_attr *attrs;
	char *dn;
};

/* Releases what entry_load took from libldap; NULL-safe on parts. */
static void entry_release(struct entry_hold *h)
{
	size_t i;

	for (i = 0; i < h->pub.n_attrs; i++) {
		ldap_memfree((char *)h->attrs[i].name);
		if (h->attrs[i].vals != NULL)
			ldap_value_free_len(h->attrs[i].vals);
	}
	free(h->attrs);
	ldap_memfree(h->dn);
	memset(h, 0, sizeof(*h));
}

/* Fills H from the entry MSG of a result on LD; 0, or -1 when memory ran
 * out (H then holds nothing). */
static int entry_load(LDAP *ld, LDAPMessage *msg, struct entry_hold *h)
{
	BerElement *ber = NULL;
	struct dir_attr *grown;
	size_t cap = 0;
	char *name;

	memset(h, 0, sizeof(*h));
	h->dn = ldap_get_dn(ld, msg);
	if (h->dn == NULL)
		return -1;
	h->pub.dn = h->dn;
	for (name = ldap_first_attribute(ld, msg, &ber); name != NULL;
	     name = ldap_next_attribute(ld, msg, ber)) {
		if (h->pub.n_attrs == cap) {
			cap = cap ? cap * 2 : 8;
			grown = realloc(h->attrs, cap * sizeof(*grown));
			if (grown == NULL) {
				ldap_memfree(name);
				goto fail;
			}
			h->attrs = grown;
			h->pub.attrs = grown;
		}
		h->attrs[h->pub.n_attrs].name = name;
		h->attrs[h->pub.n_attrs].vals =
			ldap_get_values_len(ld, msg, name);
		h->pub.n_attrs++;
	}
	if (ber != NULL)
		ber_free(ber, 0);
	return 0;
fail:
	if (ber != NULL)
		ber_free(ber, 0);
	entry_release(h);
	return -1;
}

/* Hands FN every entry of the result chain RES; DIR_OK, or DIR_ERR_NOMEM
 * when an entry could not be read or FN refused one. */
static enum dir_status entries_each(struct dir_conn *c, LDAPMessage *res,
				    dir_entry_fn fn, void *ctx,
				    struct dir_error *err)
{
	LDAP *ld = dir_handle(c);
	struct entry_hold h;
	LDAPMessage *m;
	int rc;

	for (m = ldap_first_entry(ld, res); m != NULL;
	     m = ldap_next_entry(ld, m)) {
		if (entry_load(ld, m, &h) != 0)
			return dir_set_error(err, DIR_ERR_NOMEM, dir_server(c),
					     0, NULL, "out of memory");
		rc = fn(ctx, &h.pub);
		entry_release(&h);
		if (rc != 0)
			return dir_set_error(err, DIR_ERR_NOMEM, dir_server(c),
					     0, NULL,
					     "an entry could not be kept");
	}
	return DIR_OK;
}

/* ---- searches ----------------------------------------------------------- */

/* Waits for the whole result of MSGID, checks its code and hands its
 * entries to FN; *res is the result (the caller's to ldap_msgfree, set
 * also on failure when one came). */
static enum dir_status collect(struct dir_conn *c, int msgid, dir_entry_fn fn,
			       void *ctx, LDAPMessage **res,
			       struct dir_error *err)
{
	enum dir_status st;

	st = dir_wait(c, msgid, LDAP_MSG_ALL, res, err);
	if (st == DIR_OK)
		st = dir_check_result(c, *res, err);
	if (st == DIR_OK)
		st = entries_each(c, *res, fn, ctx, err);
	return st;
}

enum dir_status dir_wait_entries(struct dir_conn *c, int msgid, dir_entry_fn fn,
				 void *ctx, struct dir_error *err)
{
	LDAPMessage *res = NULL;
	enum dir_status st;

	st = collect(c, msgid, fn, ctx, &res, err);
	if (res != NULL)
		(void)ldap_msgfree(res);
	return st;
}

enum dir_status dir_read_entry(struct dir_conn *c, const char *dn,
			       const char *filter, char *const *attrs,
			       dir_entry_fn fn, void *ctx,
			       struct dir_error *err)
{
	LDAPMessage *res = NULL, *m;
	struct entry_hold h;
	char detail[256];
	enum dir_status st;
	int rc;

	st = dir_search(c, dn, LDAP_SCOPE_BASE, filter, (char **)attrs, 0, &res,
			err);
	if (st != DIR_OK || fn == NULL)
		goto done;
	m = ldap_first_entry(dir_handle(c), res);
	if (m != NULL && entry_load(dir_handle(c), m, &h) != 0) {
		st = dir_set_error(err, DIR_ERR_NOMEM, dir_server(c), 0, NULL,
				   "out of memory");
		goto done;
	}
	rc = m != NULL ? fn(ctx, &h.pub) : -1;
	if (m != NULL)
		entry_release(&h);
	if (rc != 0) {
		(void)snprintf(detail, sizeof(detail), "malformed entry %s",
			       dn);
		st = dir_set_error(err, DIR_ERR_PROTOCOL, dir_server(c), 0,
				   NULL, detail);
	}
done:
	if (res != NULL)
		(void)ldap_msgfree(res);
	return st;
}

/* One page of a paged walk: sends it with COOKIE, hands its entries to
 * FN and stores the server's next cookie in *next (ber_memfree). */
static enum dir_status paged_one(struct dir_conn *c, const char *base,
				 const char *filter, char *const *attrs,
				 struct berval *cookie, dir_entry_fn fn,
				 void *ctx, struct berval *next,
				 struct dir_error *err)
{
	LDAP *ld = dir_handle(c);
	LDAPControl *page = NULL, *ctrls[2] = { NULL, NULL };
	LDAPControl **rctrls = NULL, *pr;
	LDAPMessage *res = NULL;
	ber_int_t count = 0;
	enum dir_status st;
	int msgid = -1, rc;

	if (dir_broken(c))
		return unusable(c, err);
	rc = ldap_create_page_control(ld, DIR_PAGE_SIZE, cookie, 1, &page);
	if (rc != LDAP_SUCCESS)
		return dir_fail_rc(c, rc, err);
	ctrls[0] = page;
	rc = ldap_search_ext(ld, base, LDAP_SCOPE_SUBTREE, filter,
			     (char **)attrs, 0, ctrls, NULL, NULL, 0, &msgid);
	ldap_control_free(page);
	if (rc != LDAP_SUCCESS)
		return dir_fail_rc(c, rc, err);
	st = collect(c, msgid, fn, ctx, &res, err);
	if (st != DIR_OK)
		goto done;
	rc = ldap_parse_result(ld, res, NULL, NULL, NULL, NULL, &rctrls, 0);
	pr = rc == LDAP_SUCCESS ?
	     ldap_control_find(LDAP_CONTROL_PAGEDRESULTS, rctrls, NULL) : NULL;
	if (pr == NULL ||
	    ldap_parse_pageresponse_control(ld, pr, &count, next) !=
	    LDAP_SUCCESS)
		st = dir_set_error(err, DIR_ERR_PROTOCOL, dir_server(c), 0,
				   NULL, "no paged results control in the "
				   "answer");
done:
	if (rctrls != NULL)
		ldap_controls_free(rctrls);
	if (res != NULL)
		(void)ldap_msgfree(res);
	return st;
}

enum dir_status dir_search_paged(struct dir_conn *c, const char *base,
				 const char *filter, char *const *attrs,
				 dir_entry_fn fn, void *ctx,
				 struct dir_error *err)
{
	struct berval cookie = { 0, NULL };
	enum dir_status st = DIR_ERR_PROTOCOL;
	char detail[256];
	long pages;

	for (pages = 1;; pages++) {
		struct berval next = { 0, NULL };

		st = paged_one(c, base, filter, attrs, &cookie, fn, ctx, &next,
			       err);
		if (cookie.bv_val != NULL)
			ber_memfree(cookie.bv_val);
		cookie = next;
		if (st != DIR_OK || cookie.bv_len == 0)
			break;
		if (pages == DIR_PAGE_MAX) {
			/* A provider that always hands back a cookie. */
			(void)snprintf(detail, sizeof(detail),
				       "the paged search under %s did not end "
				       "after %d pages of %d entries", base,
				       DIR_PAGE_MAX, DIR_PAGE_SIZE);
			st = dir_set_error(err, DIR_ERR_PROTOCOL, dir_server(c),
					   0, NULL, detail);
			break;
		}
	}
	if (cookie.bv_val != NULL)
		ber_memfree(cookie.bv_val);
	return st;
}

char *dir_first_dn(struct dir_conn *c, const char *base, const char *filter,
		   struct dir_error *err)
{
	char *attrs[] = { (char *)"1.1", NULL };
	LDAPMessage *res = NULL, *m;
	char *dn = NULL, *ldn;
	int msgid = -1;

	if (dir_search_send(c, base, LDAP_SCOPE_SUBTREE, filter, attrs, 1,
			    &msgid, err) != DIR_OK ||
	    dir_wait(c, msgid, LDAP_MSG_ALL, &res, err) != DIR_OK)
		return NULL;
	m = ldap_first_entry(dir_handle(c), res);
	ldn = m != NULL ? ldap_get_dn(dir_handle(c), m) : NULL;
	if (ldn != NULL)
		dn = strdup(ldn);
	ldap_memfree(ldn);
	(void)ldap_msgfree(res);
	return dn;
}

/* ---- lists of DNs -------------------------------------------------------- */

int dir_dn_list_add(void *ctx, const struct dir_entry *e)
{
	struct dir_dn_list *l = ctx;
	char **nv;

	if (e->dn == NULL)
		return -1;
	nv = grow_for_one(l->v, &l->cap, l->n, sizeof(*nv), 64);
	if (nv == NULL)
		return -1;
	l->v = nv;
	l->v[l->n] = strdup(e->dn);
	return l->v[l->n++] == NULL ? -1 : 0;
}

void dir_dn_list_free(struct dir_dn_list *l)
{
	size_t i;

	if (l == NULL)
		return;
	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

/* ---- guarded writes ------------------------------------------------------ */

/* An RFC 4528 assertion control for GUARD into *out (ldap_control_free). */
static enum dir_status guard_control(struct dir_conn *c, const char *guard,
				     LDAPControl **out, struct dir_error *err)
{
	int rc;

	*out = NULL;
	if (guard == NULL || guard[0] == '\0')
		return dir_set_error(err, DIR_ERR_INVALID, dir_server(c), 0,
				     NULL, "refusing a write without a guard");
	rc = ldap_create_assertion_control(dir_handle(c), (char *)guard, 1,
					   out);
	return rc == LDAP_SUCCESS ? DIR_OK : dir_fail_rc(c, rc, err);
}

enum dir_status dir_modify_guarded(struct dir_conn *c, const char *dn,
				   const char *guard,
				   const struct dir_mod *mods, size_t n,
				   struct dir_error *err)
{
	LDAPMod m[DIR_MODS_MAX], *mp[DIR_MODS_MAX + 1];
	char *vals[DIR_MODS_MAX][2];
	LDAPControl *ctl = NULL, *ctrls[2] = { NULL, NULL };
	LDAPMessage *res = NULL;
	enum dir_status st;
	int msgid = -1, rc;
	size_t i;

	if (n == 0 || n > DIR_MODS_MAX)
		return dir_set_error(err, DIR_ERR_INVALID, dir_server(c), 0,
				     NULL, "a modify of no or too many values");
	if (dir_broken(c))
		return unusable(c, err);
	st = guard_control(c, guard, &ctl, err);
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
	st = dir_wait(c, msgid, LDAP_MSG_ALL, &res, err);
	if (st == DIR_OK)
		st = dir_check_result_op(c, res, DIR_OP_WRITE, err);
	if (res != NULL)
		(void)ldap_msgfree(res);
	return st;
}

enum dir_status dir_guard_probe(struct dir_conn *c, const char *dn,
				const char *guard, struct dir_error *err)
{
	char *attrs[] = { (char *)"1.1", NULL };
	LDAPControl *ctl = NULL, *ctrls[2] = { NULL, NULL };
	LDAPMessage *res = NULL;
	enum dir_status st;
	int msgid = -1, rc;

	if (dir_broken(c))
		return unusable(c, err);
	st = guard_control(c, guard, &ctl, err);
	if (st != DIR_OK)
		return st;
	ctrls[0] = ctl;
	rc = ldap_search_ext(dir_handle(c), dn, LDAP_SCOPE_BASE,
			     "(objectClass=*)", attrs, 0, ctrls, NULL, NULL, 1,
			     &msgid);
	ldap_control_free(ctl);
	if (rc != LDAP_SUCCESS)
		return dir_fail_rc(c, rc, err);
	st = dir_wait(c, msgid, LDAP_MSG_ALL, &res, err);
	if (st == DIR_OK)
		st = dir_check_result(c, res, err);
	if (st != DIR_OK && err != NULL &&
	    err->ldap_rc == LDAP_ASSERTION_FAILED)
		st = DIR_ERR_CONFLICT;
	if (res != NULL)
		(void)ldap_msgfree(res);
	return st;
}
