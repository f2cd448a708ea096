/*
 * link.c - the person's one-time link: court, both passwords, the
 * refusals, the confirmation, then the write (linkdir.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "cmecf_link.h"

#define LINK_FAIL_DELAY_S 2

/* The uid in a PACER DN, for messages (malloc'ed, or a copy of DN). */
static char *link_pacer_name(struct run *r, const char *dn)
{
	char *v = NULL;

	if (esc_dn_child_value(dn, "uid", r->cfg.pacer_base, &v) == 0)
		return v;
	return strdup(dn);
}

/* The uid in a legacy DN, for messages (malloc'ed, or a copy of DN). */
static char *link_cmecf_name(struct run *r, const char *dn)
{
	char *court = lw_court_of(&r->cfg, dn);
	char *parent = court != NULL ? acct_cmecf_container(&r->cfg, court) : NULL;
	char *v = NULL;

	if (parent == NULL || esc_dn_child_value(dn, "uid", parent, &v) != 0)
		v = strdup(dn);
	free(parent);
	free(court);
	return v;
}

/* Exits 5 for an unreachable server, else 1, after a failed read. */
static __attribute__((noreturn)) void link_read_failed(struct run *r, enum dir_status st,
			     const struct dir_error *err, const char *what)
{
	if (st == DIR_ERR_UNAVAILABLE || st == DIR_ERR_TIMEOUT || st == DIR_ERR_TLS)
		run_exit(r, LX_UNAVAIL, "unavailable",
			 "the link directory server %s did not answer (%s)",
			 err->server, err->detail);
	run_exit(r, LX_USAGE, "read-error", "cannot read %s: %s", what, err->detail);
}

/* Exits 3 unless the court exists and is live now. */
static void link_check_court(struct run *r, struct dir_conn *svc)
{
	struct pacer_court court;
	struct dir_error err;
	enum dir_status st;
	char date[64];

	memset(&err, 0, sizeof(err));
	st = lw_read_court(r, svc, r->court, &court, &err);
	if (st == DIR_ERR_NO_ENTRY)
		run_exit(r, LX_REFUSED, "court-unknown", "court %s is not known", r->court);
	if (st != DIR_OK)
		link_read_failed(r, st, &err, "the court entry");
	if (!court_is_live(&court, time(NULL))) {
		bool sched = court.scheduled;

		if (sched)
			gtime_format_human(court.go_live, date, sizeof(date));
		acct_court_free(&court);
		if (sched)
			run_exit(r, LX_REFUSED, "court-not-live",
				 "court %s is not live on NextGen CM/ECF until %s; "
				 "linking can be done only once the court is live",
				 r->court, date);
		run_exit(r, LX_REFUSED, "court-not-live",
			 "court %s has not announced a go-live date; linking can be "
			 "done only once the court is live", r->court);
	}
	acct_court_free(&court);
}

/* Proves PASSWORD for DN on a connection of its own; exits 2 or 5. */
static void link_prove(struct run *r, const char *dn, const char *password,
		       const char *which)
{
	struct dir_conn *c = lw_connect(r, NULL);
	struct dir_error err;
	enum dir_status st;

	memset(&err, 0, sizeof(err));
	st = dir_bind(c, dn, password, NULL, &err);
	dir_close(c);
	if (st == DIR_OK)
		return;
	if (st == DIR_ERR_UNAVAILABLE || st == DIR_ERR_TIMEOUT || st == DIR_ERR_TLS)
		run_exit(r, LX_UNAVAIL, "unavailable",
			 "the link directory server %s did not answer (%s)",
			 err.server, err.detail);
	run_log(r, LOG_WARNING, "bad-password", "%s bind refused: %s", which, err.detail);
	(void)sleep(LINK_FAIL_DELAY_S);
	run_exit(r, LX_BADPW, "bad-password", "%s username or password is incorrect", which);
}

/* Asks for an answer; exits 1 when input ended or was malformed. */
static void link_ask(struct run *r, const char *prompt, char *buf, size_t n, bool echo)
{
	if (in_ask(prompt, buf, n, echo) != 0)
		run_exit(r, LX_USAGE, "no-input", "no answer (input ended or too long)");
}

/* Reads both entries with the service account; exits on failure. */
static void link_read_both(struct run *r, struct dir_conn *svc, const char *pdn,
			   const char *ldn, struct lw_pacer *p, struct lw_cmecf *l)
{
	struct dir_error err;
	enum dir_status st;

	memset(&err, 0, sizeof(err));
	st = lw_read_pacer(svc, pdn, p, &err);
	if (st == DIR_ERR_NO_ENTRY)
		run_exit(r, LX_BADPW, "no-user", "PACER username or password is incorrect");
	if (st != DIR_OK)
		link_read_failed(r, st, &err, "the PACER entry");
	st = lw_read_cmecf(r, svc, ldn, l, &err);
	if (st == DIR_ERR_NO_ENTRY)
		run_exit(r, LX_BADPW, "no-user", "CM/ECF login or password is incorrect");
	if (st != DIR_OK)
		link_read_failed(r, st, &err, "the CM/ECF entry");
}

/* Exits 3 with the matching message when policy refuses this pair. Half
 * links found on either side are finished or undone first. */
static void link_policy(struct run *r, struct dir_conn *svc, struct lw_pacer *p,
			struct lw_cmecf *l)
{
	const char *other;
	char *name;

	if (p->a.type == ACCT_TYPE_FIRM)
		run_exit(r, LX_REFUSED, "refused-firm",
			 "Do not link a shared firm PACER account: %s is a firm account. "
			 "Log in with your individual upgraded PACER account.", p->a.uid);
	if (p->a.upgraded != 1)
		run_exit(r, LX_REFUSED, "refused-not-upgraded",
			 "PACER account %s was created before August 2014 and has not "
			 "been upgraded; upgrade it first, then link.", p->a.uid);
	if (l->a.linked_pacer != NULL) {
		(void)repair_legacy(r, svc, l->a.dn, true, true);
		free(r->shown);
		r->shown = name = link_pacer_name(r, l->a.linked_pacer);
		if (esc_dn_equal(l->a.linked_pacer, p->a.dn) == 1)
			run_exit(r, LX_REFUSED, "refused-already-linked",
				 "CM/ECF login %s in court %s is already linked to your "
				 "PACER account %s; log in with your PACER username and password.",
				 l->a.uid, r->court, name);
		run_exit(r, LX_REFUSED, "refused-already-linked",
			 "CM/ECF login %s in court %s is already linked to PACER account %s; "
			 "a link is permanent (ask the court to undo it)",
			 l->a.uid, r->court, name != NULL ? name : "?");
	}
	other = acct_pacer_link_in(&p->a, &r->cfg, r->court);
	if (other != NULL) {
		struct dir_error err;

		/* A PACER side without its legacy side is stale: undo it. */
		(void)repair_pacer(r, svc, p->a.dn, true, true);
		memset(&err, 0, sizeof(err));
		lw_pacer_free(p);
		if (lw_read_pacer(svc, r->pacer_dn, p, &err) != DIR_OK)
			link_read_failed(r, err.status, &err, "the PACER entry");
		other = acct_pacer_link_in(&p->a, &r->cfg, r->court);
	}
	if (other != NULL) {
		free(r->shown);
		r->shown = name = link_cmecf_name(r, other);
		run_exit(r, LX_REFUSED, "refused-pacer-linked",
			 "PACER account %s is already linked to CM/ECF login %s in court %s; "
			 "one PACER account links to one CM/ECF login per court",
			 p->a.uid, name != NULL ? name : "?", r->court);
	}
}

/* Shows both names and asks; exits 4 unless the answer is "yes". */
static void link_confirm(struct run *r, const struct lw_pacer *p, const struct lw_cmecf *l)
{
	bool same = p->a.cn != NULL && l->a.cn != NULL && strcmp(p->a.cn, l->a.cn) == 0;

	(void)printf("\nDo you want to link these accounts?\n\n"
		     "  CM/ECF  %s   (login %s, court %s)\n"
		     "  PACER   %s   (username %s)\n\n",
		     l->a.cn != NULL ? l->a.cn : "?", l->a.uid, r->court,
		     p->a.cn != NULL ? p->a.cn : "?", p->a.uid);
	if (!same)
		(void)printf("WARNING: The names do not match. Link only if both accounts are yours.\n\n");
	(void)printf("After you confirm, your old CM/ECF e-filing credentials will be "
		     "permanently linked to your upgraded PACER account. This cannot be "
		     "undone. Make sure you are linking your individual PACER account.\n\n");
	link_ask(r, "Type yes to link: ", r->answer, sizeof(r->answer), true);
	if (strcmp(r->answer, "yes") != 0)
		run_exit(r, LX_DECLINED, "declined", "Not linked.");
}

/*
 * Undoes the legacy side this run wrote when the PACER side cannot follow
 * (another legacy account of this court won the PACER account meanwhile).
 * Only our own values are deleted, and only if the entry still holds them.
 */
static void link_undo_legacy(struct run *r, struct dir_conn *svc,
			     const char *pacer_dn, struct lw_cmecf *l)
{
	struct dir_error err;
	size_t applied;

	memset(&err, 0, sizeof(err));
	lw_cmecf_free(l);
	if (lw_read_cmecf(r, svc, r->cmecf_dn, l, &err) == DIR_OK &&
	    l->a.linked_pacer != NULL && esc_dn_equal(l->a.linked_pacer, pacer_dn) == 1) {
		char *v_p[2] = { l->a.linked_pacer, NULL }, *v_t[2] = { l->a.linked_time, NULL };
		char *v_b[2] = { l->a.linked_by, NULL };
		LDAPMod m_p = { LDAP_MOD_DELETE, (char *)"cmecfLinkedPacer", { .modv_strvals = v_p } };
		LDAPMod m_t = { LDAP_MOD_DELETE, (char *)"cmecfLinkedTime", { .modv_strvals = v_t } };
		LDAPMod m_b = { LDAP_MOD_DELETE, (char *)"cmecfLinkedBy", { .modv_strvals = v_b } };
		LDAPMod *mods[4] = { &m_p, NULL, NULL, NULL };
		struct lw_change ch = { l->a.dn, l->csn, mods };
		size_t k = 1;

		if (l->a.linked_time != NULL)
			mods[k++] = &m_t;
		if (l->a.linked_by != NULL)
			mods[k++] = &m_b;
		if (lw_apply(svc, &ch, 1, &applied, &err) == DIR_OK)
			return;
	}
	run_log(r, LOG_WARNING, "undo-failed", "legacy side of %s left as a half link: %s",
		r->cmecf_dn, err.detail);
}

/*
 * Writes the legacy side, then the PACER side, each a compare-and-set on
 * the entry as read (docs/linking.md); exits on anything but success.
 * The legacy side is the claim: its single-valued cmecfLinkedPacer lets
 * one run win a legacy account. The PACER side's assertion lets one
 * legacy account of a court win a PACER account; the loser undoes its
 * own legacy side.
 */
static void link_write(struct run *r, struct dir_conn *svc, struct lw_pacer *p,
		       struct lw_cmecf *l)
{
	char now[32], by[384], pacer_dn[512];
	char *v_pacer[2] = { pacer_dn, NULL }, *v_time[2] = { now, NULL };
	char *v_by[2] = { by, NULL }, *v_legacy[2] = { l->a.dn, NULL };
	LDAPMod m_pacer = { LDAP_MOD_ADD, (char *)"cmecfLinkedPacer", { .modv_strvals = v_pacer } };
	LDAPMod m_time = { LDAP_MOD_ADD, (char *)"cmecfLinkedTime", { .modv_strvals = v_time } };
	LDAPMod m_by = { LDAP_MOD_ADD, (char *)"cmecfLinkedBy", { .modv_strvals = v_by } };
	LDAPMod m_back = { LDAP_MOD_ADD, (char *)"pacerLinkedCmecf", { .modv_strvals = v_legacy } };
	LDAPMod *mods_l[4] = { &m_pacer, &m_time, &m_by, NULL };
	LDAPMod *mods_p[2] = { &m_back, NULL };
	struct lw_change ch[2] = {
		{ l->a.dn, l->csn, mods_l },
		{ p->a.dn, p->csn, mods_p },
	};
	struct dir_error err;
	enum dir_status st;
	size_t applied = 0;
	int tries;

	(void)snprintf(pacer_dn, sizeof(pacer_dn), "%s", p->a.dn);
	gtime_format(time(NULL), now, sizeof(now));
	(void)snprintf(by, sizeof(by), "uid=%lu(%s) tty=%s host=%s",
		       (unsigned long)r->ruid, r->who, r->tty, r->host);
	memset(&err, 0, sizeof(err));
	st = lw_apply(svc, ch, 2, &applied, &err);
	if (st == DIR_OK)
		return;
	run_log(r, LOG_WARNING, "write-failed", "link write %zu of 2 failed on %s: %s",
		applied + 1, dir_server(svc), err.detail);
	if (applied == 0) {
		if (st == DIR_ERR_CONFLICT) {
			/* Someone changed the legacy entry since we read it: decide again. */
			lw_pacer_free(p);
			lw_cmecf_free(l);
			link_read_both(r, svc, r->pacer_dn, r->cmecf_dn, p, l);
			link_policy(r, svc, p, l);
			run_exit(r, LX_REFUSED, "conflict",
				 "the accounts changed while linking; nothing was written. "
				 "Run cmecf-link again.");
		}
		if (st == DIR_ERR_UNAVAILABLE || st == DIR_ERR_TIMEOUT)
			run_exit(r, LX_UNAVAIL, "unavailable",
				 "the link directory server %s did not answer; nothing was written",
				 dir_server(svc));
		run_exit(r, LX_USAGE, "write-failed",
			 "the link was refused by %s: %s; nothing was written",
			 dir_server(svc), err.detail);
	}

	/* The legacy side is ours; the PACER entry changed since we read it. */
	for (tries = 0; tries < 3 && st == DIR_ERR_CONFLICT; tries++) {
		const char *other;

		lw_pacer_free(p);
		memset(&err, 0, sizeof(err));
		st = lw_read_pacer(svc, r->pacer_dn, p, &err);
		if (st != DIR_OK)
			break;
		other = acct_pacer_link_in(&p->a, &r->cfg, r->court);
		if (other != NULL && esc_dn_equal(other, r->cmecf_dn) == 1)
			return;		/* finished meanwhile (a repair run) */
		if (other != NULL) {
			link_undo_legacy(r, svc, pacer_dn, l);
			run_exit(r, LX_REFUSED, "refused-pacer-linked",
				 "PACER account %s was linked to another CM/ECF login of court %s "
				 "meanwhile; nothing of this link was kept", p->a.uid, r->court);
		}
		ch[1].dn = p->a.dn;
		ch[1].csn = p->csn;
		st = lw_apply(svc, &ch[1], 1, &applied, &err);
		if (st == DIR_OK)
			return;
	}
	run_exit(r, st == DIR_ERR_UNAVAILABLE || st == DIR_ERR_TIMEOUT ? LX_UNAVAIL :
		 st == DIR_ERR_CONFLICT ? LX_REFUSED : LX_USAGE,
		 "half-linked", "the link is half written on %s (%s): the CM/ECF side only. "
		 "The next cmecf-link run for these accounts, or cmecf-link --check --repair, "
		 "finishes it.", dir_server(svc), err.detail);
}

/* The whole link, for the person running the helper; never returns. What
 * it opens or reads is kept in R, for run_exit to release on every path. */
void link_run(struct run *r)
{
	struct dir_conn *svc;
	struct lw_pacer *p = &r->pacer;
	struct lw_cmecf *l = &r->cmecf;
	const char *pdn, *ldn;

	if (r->court == NULL)
		run_exit(r, LX_USAGE, "usage", "no court: give --court or set court in %s",
			 r->cfg.path);
	svc = r->svc = lw_service(r);
	link_check_court(r, svc);

	if (r->opt.pacer_user != NULL)
		(void)snprintf(r->pacer_user, sizeof(r->pacer_user), "%s", r->opt.pacer_user);
	else
		link_ask(r, "PACER username: ", r->pacer_user, sizeof(r->pacer_user), true);
	if (!name_is_valid_login(r->pacer_user))
		run_exit(r, LX_BADPW, "bad-user", "PACER username or password is incorrect");
	link_ask(r, "PACER password: ", r->pacer_pw, sizeof(r->pacer_pw), false);
	pdn = r->pacer_dn = acct_pacer_dn(&r->cfg, r->pacer_user);
	if (pdn == NULL)
		run_exit(r, LX_USAGE, "nomem", "out of memory");
	link_prove(r, pdn, r->pacer_pw, "PACER");
	secret_wipe(r->pacer_pw, sizeof(r->pacer_pw));

	if (r->opt.cmecf_login != NULL)
		(void)snprintf(r->cmecf_login, sizeof(r->cmecf_login), "%s", r->opt.cmecf_login);
	else
		link_ask(r, "CM/ECF login: ", r->cmecf_login, sizeof(r->cmecf_login), true);
	if (!name_is_valid_login(r->cmecf_login))
		run_exit(r, LX_BADPW, "bad-user", "CM/ECF login or password is incorrect");
	link_ask(r, "CM/ECF password: ", r->cmecf_pw, sizeof(r->cmecf_pw), false);
	ldn = r->cmecf_dn = acct_cmecf_dn(&r->cfg, r->court, r->cmecf_login);
	if (ldn == NULL)
		run_exit(r, LX_USAGE, "nomem", "out of memory");
	link_prove(r, ldn, r->cmecf_pw, "CM/ECF");
	secret_wipe(r->cmecf_pw, sizeof(r->cmecf_pw));

	link_read_both(r, svc, pdn, ldn, p, l);
	link_policy(r, svc, p, l);
	link_confirm(r, p, l);
	link_write(r, svc, p, l);
	run_exit(r, LX_OK, "linked",
		 "Linked. From now on use only your PACER username and password to log in "
		 "to court %s, for PACER and CM/ECF alike; your old CM/ECF login %s is "
		 "permanently linked to PACER account %s.", r->court, r->cmecf_login,
		 r->pacer_user);
}
