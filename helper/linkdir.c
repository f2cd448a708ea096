/*
 * linkdir.c - cmecf-link's own directory work on the one provider that
 * takes link writes (link_uri): the connection as the link service
 * account, the reads of both entries and the court, the claims on a
 * PACER account, and the undoing of a claim. Each returns a status and
 * takes only what it needs; the generic operations (entries, the paged
 * walk, guarded writes) are common/dir.h's, and what a status means to
 * the person is run.c's.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmecf_link.h"

/* Long enough for a person at the prompts; each operation still has
 * cfg's timeout. */
#define LW_DEADLINE_MS (30L * 60 * 1000)

/* The provider link writes go to (owned by CFG). */
const char *lw_link_uri(const struct cfg *cfg)
{
	return cfg->link_uri != NULL ? cfg->link_uri : cfg->uris[0];
}

/* Connects to URI (NULL: the link provider) and nowhere else; *out is the
 * caller's (dir_close). Any failure to reach it is DIR_ERR_UNAVAILABLE,
 * DIR_ERR_TIMEOUT or DIR_ERR_TLS, with ERR naming the server. */
enum dir_status lw_connect(const struct cfg *cfg, const char *uri,
			   struct dir_conn **out, struct dir_error *err)
{
	struct dir_deadline dl;
	const char *u = uri != NULL ? uri : lw_link_uri(cfg);
	const char *const uris[1] = { u };
	size_t next = 0;
	enum dir_status st;

	memset(err, 0, sizeof(*err));
	dir_deadline_start(&dl, LW_DEADLINE_MS);
	st = dir_connect(cfg, uris, 1, &next, &dl, out, err);
	if (st == DIR_OK)
		return st;
	/* SPEC: a link provider that cannot be reached, for whatever
	 * reason, is unavailable (exit 5, naming it). */
	if (!dir_status_retryable(st))
		st = DIR_ERR_UNAVAILABLE;
	err->status = st;
	if (err->server[0] == '\0')
		(void)snprintf(err->server, sizeof(err->server), "%s", u);
	return st;
}

/* Connects to the link provider and binds as link_binddn with PASSWORD;
 * *out is the caller's (dir_close), NULL on failure. */
enum dir_status lw_service(const struct cfg *cfg, const char *password,
			   struct dir_conn **out, struct dir_error *err)
{
	enum dir_status st;

	*out = NULL;
	st = lw_connect(cfg, NULL, out, err);
	if (st != DIR_OK)
		return st;
	st = dir_bind(*out, cfg->link_binddn, password, NULL, err);
	if (st != DIR_OK) {
		dir_close(*out);
		*out = NULL;
	}
	return st;
}

/* Reads a PACER entry; *out owned by the caller (lw_pacer_free). */
enum dir_status lw_read_pacer(struct dir_conn *c, const char *dn,
			      struct lw_pacer *out, struct dir_error *err)
{
	return acct_pacer_read(c, dn, &out->a, err);
}

/* Reads a legacy entry and the court its DN is under; *out owned by the
 * caller (lw_cmecf_free). */
enum dir_status lw_read_cmecf(const struct cfg *cfg, struct dir_conn *c,
			      const char *dn, struct lw_cmecf *out,
			      struct dir_error *err)
{
	enum dir_status st;

	out->court = NULL;
	st = acct_cmecf_read(c, dn, &out->a, err);
	if (st != DIR_OK)
		return st;
	out->court = acct_court_of(cfg, dn);
	if (out->court == NULL) {
		lw_cmecf_free(out);
		st = DIR_ERR_PROTOCOL;
		(void)snprintf(err->detail, sizeof(err->detail),
			       "a legacy entry outside any court's ou=cmecf");
	}
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

/* Reads the court entry of COURT into *out (acct_court_free). */
enum dir_status lw_read_court(const struct cfg *cfg, struct dir_conn *c,
			      const char *court, struct pacer_court *out,
			      struct dir_error *err)
{
	char *dn = acct_court_dn(cfg, court);
	enum dir_status st;

	memset(out, 0, sizeof(*out));
	if (dn == NULL)
		return DIR_ERR_NOMEM;
	st = acct_court_read(c, dn, out, err);
	free(dn);
	return st;
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

/* Every legacy entry of COURT claiming PACER_DN, into OUT
 * (dir_dn_list_free; empty on failure). */
enum dir_status lw_claims(const struct cfg *cfg, struct dir_conn *c,
			  const char *court, const char *pacer_dn,
			  struct dir_dn_list *out, struct dir_error *err)
{
	char *const attrs[] = { (char *)"1.1", NULL };
	char *cont = acct_cmecf_container(cfg, court);
	char *eq = esc_filter_eq("cmecfLinkedPacer", pacer_dn, false);
	char *filter = NULL;
	enum dir_status st = DIR_ERR_NOMEM;

	memset(out, 0, sizeof(*out));
	if (cont != NULL && eq != NULL &&
	    asprintf(&filter, "(&(objectClass=cmecfAccount)%s)", eq) >= 0) {
		st = dir_search_paged(c, cont, filter, attrs, dir_dn_list_add,
				      out, err);
		free(filter);
	}
	free(eq);
	free(cont);
	if (st != DIR_OK)
		dir_dn_list_free(out);
	return st;
}

/* Deletes L's own link values, only while it still names PACER_DN. */
enum dir_status lw_undo_legacy(struct dir_conn *c, const struct lw_cmecf *l,
			       const char *pacer_dn, struct dir_error *err)
{
	struct dir_mod m[3];
	char *guard = esc_filter_eq("cmecfLinkedPacer", pacer_dn, false);
	enum dir_status st;
	size_t n = 0;

	if (guard == NULL)
		return DIR_ERR_NOMEM;
	m[n++] = (struct dir_mod){ false, "cmecfLinkedPacer",
				   l->a.linked_pacer };
	if (l->a.linked_time != NULL)
		m[n++] = (struct dir_mod){ false, "cmecfLinkedTime",
					   l->a.linked_time };
	if (l->a.linked_by != NULL)
		m[n++] = (struct dir_mod){ false, "cmecfLinkedBy",
					   l->a.linked_by };
	st = dir_modify_guarded(c, l->a.dn, guard, m, n, err);
	free(guard);
	return st;
}
