/*
 * admin.c - root's commands: --status, --report, --check [--repair],
 * --unlink and --test-config. All directory traffic goes to link_uri as
 * the link service account.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>

#include "cmecf_link.h"

/* Reads into L the legacy entry --cmecf-login names in --court; 0, or
 * -1 with F saying why not. */
static int admin_read_cmecf(struct run *r, struct dir_conn *c,
			    struct lw_cmecf *l, struct refusal *f)
{
	struct dir_error err;
	enum dir_status st;
	char *dn;

	if (r->court == NULL)
		return refuse(f, LX_USAGE, "usage", "no court: give --court");
	(void)snprintf(r->cmecf_login, sizeof(r->cmecf_login), "%s",
		       r->opt.cmecf_login);
	memset(&err, 0, sizeof(err));
	dn = acct_cmecf_dn(&r->cfg, r->court, r->opt.cmecf_login);
	st = dn != NULL ? lw_read_cmecf(&r->cfg, c, dn, l, &err)
			: DIR_ERR_NOMEM;
	free(dn);
	if (st == DIR_ERR_NO_ENTRY)
		return refuse(f, LX_BADPW, "no-user",
			      "no CM/ECF login %s in court %s",
			      r->opt.cmecf_login, r->court);
	if (st != DIR_OK)
		return refuse_status(f, st, &err, "reading the CM/ECF entry");
	return 0;
}

/* --status: one account's links. */
static __attribute__((noreturn)) void admin_status(struct run *r,
						   struct dir_conn *c)
{
	struct dir_error err;
	enum dir_status st;
	size_t i;

	memset(&err, 0, sizeof(err));
	if (r->opt.pacer_user != NULL) {
		struct lw_pacer *p = &r->pacer;
		char *dn = acct_pacer_dn(&r->cfg, r->opt.pacer_user);

		(void)snprintf(r->pacer_user, sizeof(r->pacer_user), "%s",
			       r->opt.pacer_user);
		st = dn != NULL ? lw_read_pacer(c, dn, p, &err) : DIR_ERR_NOMEM;
		free(dn);
		if (st == DIR_ERR_NO_ENTRY)
			run_exit(r, LX_BADPW, "no-user", "no PACER account %s",
				 r->opt.pacer_user);
		if (st != DIR_OK)
			run_exit_for_status(r, st, &err,
					    "reading the PACER entry");
		say("PACER %s (%s): %s, %s, %zu link%s\n", p->a.uid,
		    p->a.cn != NULL ? p->a.cn : "?", acct_type_name(p->a.type),
		    p->a.upgraded == 1 ? "upgraded" : "not upgraded",
		    p->a.n_linked, p->a.n_linked == 1 ? "" : "s");
		for (i = 0; i < p->a.n_linked; i++) {
			struct lw_cmecf *l = &r->cmecf;
			bool ok = lw_read_cmecf(&r->cfg, c, p->a.linked[i], l,
						&err) == DIR_OK &&
				  l->a.linked_pacer != NULL &&
				  esc_dn_equal(l->a.linked_pacer, p->a.dn) == 1;

			say("  court %s  login %s  %s\n",
			    l->court != NULL ? l->court : "?",
			    l->a.uid != NULL ? l->a.uid : p->a.linked[i],
			    ok ? "linked"
			       : "HALF LINK (run cmecf-link --check --repair)");
			lw_cmecf_free(l);
		}
	} else {
		struct lw_cmecf *l = &r->cmecf;
		struct refusal f;

		if (admin_read_cmecf(r, c, l, &f) != 0)
			run_exit_refusal(r, &f);
		if (l->a.linked_pacer == NULL)
			say("CM/ECF %s (%s) court %s: not linked\n", l->a.uid,
				     l->a.cn != NULL ? l->a.cn : "?", r->court);
		else
			say("CM/ECF %s (%s) court %s: linked to %s on %s by %s\n",
			    l->a.uid, l->a.cn != NULL ? l->a.cn : "?", r->court,
			    l->a.linked_pacer,
			    l->a.linked_time ? l->a.linked_time : "?",
			    l->a.linked_by ? l->a.linked_by : "?");
	}
	run_exit(r, LX_OK, "status", NULL);
}

/* Counts of one court's legacy accounts, for --report. */
struct report_count {
	unsigned long linked, unlinked;
};

/* Counts E as linked or not (a dir_entry_fn). */
static int report_count_entry(void *ctx, const struct dir_entry *e)
{
	struct report_count *rc = ctx;
	struct berval **v = dir_entry_values(e, "cmecfLinkedPacer");

	if (v != NULL && v[0] != NULL)
		rc->linked++;
	else
		rc->unlinked++;
	return 0;
}

/* --report: per court, legacy accounts linked and not linked. */
static __attribute__((noreturn)) void admin_report(struct run *r,
						   struct dir_conn *c)
{
	char *const attrs[] = { (char *)"cn", NULL };
	char *const cattrs[] = { (char *)"cmecfLinkedPacer", NULL };
	struct dir_dn_list courts = { NULL, 0, 0 };
	struct dir_error err;
	enum dir_status st;
	unsigned long tl = 0, tu = 0;
	size_t i;

	memset(&err, 0, sizeof(err));
	st = dir_search_paged(c, r->cfg.courts_base, "(objectClass=pacerCourt)",
			      attrs, dir_dn_list_add, &courts, &err);
	if (st != DIR_OK) {
		dir_dn_list_free(&courts);
		run_exit_for_status(r, st, &err, "listing courts");
	}
	say("%-16s %10s %10s %10s\n", "court", "legacy", "linked",
	    "not-linked");
	for (i = 0; i < courts.n; i++) {
		struct report_count rc = { 0, 0 };
		char *id = NULL, *cont;

		if (esc_dn_child_value(courts.v[i], "cn", r->cfg.courts_base,
				       &id) != 0)
			continue;
		cont = acct_cmecf_container(&r->cfg, id);
		if (cont == NULL) {
			free(id);
			continue;
		}
		st = dir_search_paged(c, cont, "(objectClass=cmecfAccount)",
				      cattrs, report_count_entry, &rc, &err);
		free(cont);
		if (st != DIR_OK && st != DIR_ERR_NO_ENTRY) {
			free(id);
			dir_dn_list_free(&courts);
			run_exit_for_status(r, st, &err,
					    "reading legacy accounts");
		}
		say("%-16s %10lu %10lu %10lu\n", id, rc.linked + rc.unlinked,
			     rc.linked, rc.unlinked);
		tl += rc.linked;
		tu += rc.unlinked;
		free(id);
	}
	say("%-16s %10lu %10lu %10lu\n", "total", tl + tu, tl, tu);
	dir_dn_list_free(&courts);
	run_exit(r, LX_OK, "report", NULL);
}

/* --check [--repair]: every invariant, over every link in the directory. */
static __attribute__((noreturn)) void admin_check(struct run *r,
						  struct dir_conn *c)
{
	char *const attrs[] = { (char *)"1.1", NULL };
	struct dir_dn_list legacy = { NULL, 0, 0 }, pacer = { NULL, 0, 0 };
	struct dir_error err;
	enum dir_status st;
	size_t i;
	int left = 0;

	memset(&err, 0, sizeof(err));
	st = dir_search_paged(c, r->cfg.pacer_base, "(pacerLinkedCmecf=*)",
			      attrs, dir_dn_list_add, &pacer, &err);
	if (st == DIR_OK)
		st = dir_search_paged(c, r->cfg.courts_base,
				      "(cmecfLinkedPacer=*)", attrs,
				      dir_dn_list_add, &legacy, &err);
	if (st != DIR_OK) {
		dir_dn_list_free(&legacy);
		dir_dn_list_free(&pacer);
		run_exit_for_status(r, st, &err, "listing links");
	}
	/* PACER sides first: stale values go before half links are finished. */
	for (i = 0; i < pacer.n; i++)
		left += repair_pacer(r, c, pacer.v[i], r->opt.repair, false);
	for (i = 0; i < legacy.n; i++)
		left += repair_legacy(r, c, legacy.v[i], r->opt.repair, false);
	say("checked %zu legacy and %zu PACER entries with links\n",
		     legacy.n, pacer.n);
	dir_dn_list_free(&legacy);
	dir_dn_list_free(&pacer);
	if (left > 0)
		run_exit(r, LX_REFUSED, "inconsistent", "%d problem%s %s", left,
			 left == 1 ? "" : "s", r->opt.repair ? "need a person" :
			 "found; run cmecf-link --check --repair");
	run_exit(r, LX_OK, "consistent", "consistent");
}

/* --unlink: removes the legacy side, then the PACER side, each guarded
 * on the value it removes; audited with the reason. */
static __attribute__((noreturn)) void admin_unlink(struct run *r,
						   struct dir_conn *c)
{
	struct lw_cmecf *l = &r->cmecf;
	struct lw_pacer *p = &r->pacer;
	struct dir_error err;
	struct refusal f;
	enum dir_status st;
	const char *back = NULL;
	char *guard;
	sigset_t old;
	size_t i;

	if (admin_read_cmecf(r, c, l, &f) != 0)
		run_exit_refusal(r, &f);
	memset(&err, 0, sizeof(err));
	if (l->a.linked_pacer == NULL)
		run_exit(r, LX_REFUSED, "not-linked",
			 "CM/ECF login %s in court %s is not linked", l->a.uid,
			 r->court);
	st = lw_read_pacer(c, l->a.linked_pacer, p, &err);
	if (st != DIR_OK && st != DIR_ERR_NO_ENTRY)
		run_exit_for_status(r, st, &err, "reading the PACER entry");
	if (st == DIR_OK) {
		(void)snprintf(r->pacer_user, sizeof(r->pacer_user), "%s",
			       p->a.uid);
		for (i = 0; i < p->a.n_linked; i++)
			if (esc_dn_equal(p->a.linked[i], l->a.dn) == 1)
				back = p->a.linked[i];
	}
	if (lw_block_signals(&old) != 0)
		run_exit(r, LX_USAGE, "error", "cannot block signals");
	/* The legacy side goes first: if the second write is lost, what is
	 * left is a stale PACER-side value, which --check --repair removes
	 * (the other order would leave a legacy side that repair finishes). */
	st = lw_undo_legacy(c, l, l->a.linked_pacer, &err);
	if (st == DIR_ERR_CONFLICT)
		run_exit(r, LX_REFUSED, "conflict",
			 "the CM/ECF entry changed meanwhile; "
			 "nothing was written (%s). Run the command again.",
			 err.detail);
	if (st != DIR_OK)
		run_exit_for_status(r, st, &err, "unlinking");
	if (back != NULL) {
		const struct dir_mod m[1] = { { false, "pacerLinkedCmecf",
						back } };

		guard = esc_filter_eq("pacerLinkedCmecf", back, false);
		st = guard != NULL
			     ? dir_modify_guarded(c, p->a.dn, guard, m, 1, &err)
			     : DIR_ERR_NOMEM;
		free(guard);
		if (st != DIR_OK) {
			run_log(r, LOG_WARNING, "half-unlinked",
				"legacy side removed, PACER "
				"side left on %s: run cmecf-link --check --repair",
				p->a.dn);
			run_exit(r, run_exit_code(st), "half-unlinked",
				 "the legacy side was removed but not the PACER side (%s); "
				 "run cmecf-link --check --repair.", err.detail);
		}
	}
	run_log(r, LOG_NOTICE, "unlinked", "by root, reason: %s",
		r->opt.reason);
	run_exit(r, LX_OK, "unlinked",
		 "Unlinked CM/ECF login %s in court %s from %s.", l->a.uid,
		 r->court, l->a.linked_pacer);
}

/* Administration dispatcher; never returns. The connection is R's, for
 * run_exit to close. */
void admin_run(struct run *r)
{
	struct dir_error err;
	struct dir_conn *c;
	enum dir_status st;

	st = lw_service(&r->cfg, r->link_pw, &r->svc, &err);
	if (st != DIR_OK)
		run_exit_for_status(r, st, &err, "binding as the link service "
				    "account");
	c = r->svc;

	switch (r->opt.action) {
	case ACT_STATUS:
		admin_status(r, c);
	case ACT_REPORT:
		admin_report(r, c);
	case ACT_CHECK:
		admin_check(r, c);
	case ACT_UNLINK:
		admin_unlink(r, c);
	default:
		run_exit(r, LX_USAGE, "usage",
			 "internal error: no such action");
	}
}

/* The guards a link write carries (docs/linking.md), each evaluated by
 * the server on one entry of its kind: the link account must be able to
 * search every attribute they name, and the server must honour RFC 4528
 * assertions, or every link would be refused at its first write. */
static const struct admin_guard {
	const char *what, *base_key, *filter;
	const char *guard;
} admin_guards[] = {
	{ "legacy", "courts_base", "(objectClass=cmecfAccount)",
	  "(&(objectClass=cmecfAccount)"
	  "(|(cmecfLinkedPacer=*)(!(cmecfLinkedPacer=*)))"
	  "(|(cmecfLinkedTime=*)(!(cmecfLinkedTime=*)))"
	  "(|(cmecfLinkedBy=*)(!(cmecfLinkedBy=*))))" },
	{ "PACER", "pacer_base", "(objectClass=pacerAccount)",
	  "(&(objectClass=pacerAccount)"
	  "(|(pacerLinkedCmecf=*)(!(pacerLinkedCmecf=*)))"
	  "(|(pacerUpgraded=*)(!(pacerUpgraded=*)))"
	  "(|(pacerAccountType=*)(!(pacerAccountType=*))))" },
};

/* Prints one line per guard; returns how many cannot work. */
static int admin_test_guards(struct run *r, struct dir_conn *c)
{
	size_t i;
	int bad = 0;

	for (i = 0; i < sizeof(admin_guards) / sizeof(admin_guards[0]); i++) {
		const struct admin_guard *g = &admin_guards[i];
		const char *base = strcmp(g->base_key, "pacer_base") == 0 ?
				   r->cfg.pacer_base : r->cfg.courts_base;
		struct dir_error err;
		enum dir_status st;
		char *dn;

		memset(&err, 0, sizeof(err));
		dn = dir_first_dn(c, base, g->filter, &err);
		if (dn == NULL) {
			say("warning: no %s entry under %s to test the write guard on\n",
			    g->what, base);
			continue;
		}
		memset(&err, 0, sizeof(err));
		st = dir_guard_probe(c, dn, g->guard, &err);
		if (st == DIR_OK) {
			say("ok: the server evaluates the %s-side write guard for %s\n",
			    g->what, r->cfg.link_binddn);
		} else {
			say("error: the %s-side write guard cannot be evaluated on %s "
			    "(%s: %s): the link account needs search access to the "
			    "link attributes and the server RFC 4528 assertions; "
			    "see ldap_schema/acl.ldif\n",
			    g->what, dn, dir_status_name(st), err.detail);
			bad++;
		}
		free(dn);
	}
	return bad;
}

/* --test-config: one line per check, like sshd -t; never returns. */
void admin_test_config(struct run *r)
{
	struct dir_deadline dl;
	struct dir_error err;
	struct dir_conn *c = NULL;
	enum dir_status st;
	int code = LX_OK;
	size_t i, next;
	const char *link;

	if (!r->cfg_ok) {
		say("error: %s\n", r->cfg_err);
		run_exit(r, LX_USAGE, "test-config", NULL);
	}
	say("ok: configuration %s\n", r->cfg.path);
	if (r->link_pw == NULL) {
		say("error: link password: %s\n", r->secret_err);
		code = r->cfg.link_binddn == NULL ? LX_USAGE : LX_INSTALL;
	} else {
		say("ok: link password file %s (owner root, no group or other access)\n",
		    r->cfg.link_bindpw_file);
	}
	link = r->cfg.link_uri != NULL ? r->cfg.link_uri : r->cfg.uris[0];
	for (i = 0; i <= r->cfg.n_uris; i++) {
		const char *u = i < r->cfg.n_uris ? r->cfg.uris[i] : link;
		const char *const one[1] = { u };

		if (i == r->cfg.n_uris && r->cfg.link_uri == NULL)
			break;
		next = 0;
		memset(&err, 0, sizeof(err));
		dir_deadline_start(&dl, r->cfg.network_timeout_ms +
						r->cfg.timeout_ms);
		st = dir_connect(&r->cfg, one, 1, &next, &dl, &c, &err);
		if (st == DIR_OK) {
			say("ok: reached %s%s\n", u,
			    i == r->cfg.n_uris ? " (link_uri)" : "");
			dir_close(c);
		} else {
			say("error: %s: %s (%s)\n", u, dir_status_name(st),
			    err.detail);
			if (code == LX_OK)
				code = LX_UNAVAIL;
		}
	}
	if (r->link_pw != NULL) {
		const char *const one[1] = { link };

		next = 0;
		memset(&err, 0, sizeof(err));
		dir_deadline_start(&dl, r->cfg.network_timeout_ms +
						r->cfg.timeout_ms);
		st = dir_connect(&r->cfg, one, 1, &next, &dl, &c, &err);
		if (st == DIR_OK)
			st = dir_bind(c, r->cfg.link_binddn, r->link_pw, NULL,
				      &err);
		if (st == DIR_OK) {
			say("ok: bound to %s as %s\n", link,
			    r->cfg.link_binddn);
			if (admin_test_guards(r, c) != 0 && code == LX_OK)
				code = LX_USAGE;
			dir_close(c);
		} else {
			dir_close(c);
			say("error: bind as %s on %s: %s\n", r->cfg.link_binddn,
				     link, err.detail);
			if (code == LX_OK)
				code = run_exit_code(st);
		}
	}
	run_exit(r, code, "test-config", NULL);
}
