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
#include "decide.h"

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
	enum decide_refusal live;
	char date[64];

	memset(&err, 0, sizeof(err));
	st = lw_read_court(r, svc, r->court, &court, &err);
	if (st == DIR_ERR_NO_ENTRY)
		run_exit(r, LX_REFUSED, "court-unknown", "court %s is not known", r->court);
	if (st != DIR_OK)
		link_read_failed(r, st, &err, "the court entry");
	live = decide_court(&court, time(NULL));
	if (live != DECIDE_OK) {
		bool sched = live == DECIDE_COURT_NOT_LIVE;

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

/*
 * Exits 3 when the password policy's answer PP to the bind of WHICH's
 * password (status ST) rules out a permanent link: a password reset by
 * an administrator, an expired one (grace logins left or not), a locked
 * account. Returns otherwise, for link_prove to decide on ST.
 */
static void link_refuse_by_policy(struct run *r, enum dir_status st,
				  const struct dir_ppolicy *pp, const char *which)
{
	bool pacer = strcmp(which, "PACER") == 0;

	if (!pp->present)
		return;
	if (st == DIR_OK && pp->error == PP_changeAfterReset)
		run_exit(r, LX_REFUSED, "refused-password-reset",
			 "The %s password was reset by an administrator; change it "
			 "first (%s) and run cmecf-link again.", which,
			 pacer ? "log in with it or use passwd"
			       : "ask the court how: CM/ECF logins no longer work "
				 "in a court that is live");
	if (st == DIR_OK && pp->grace >= 0)
		run_exit(r, LX_REFUSED, "refused-password-expired",
			 "The %s password has expired (%d grace login%s left); "
			 "change it before linking, then run cmecf-link again.",
			 which, pp->grace, pp->grace == 1 ? "" : "s");
	if (st != DIR_OK && pp->error == PP_passwordExpired)
		run_exit(r, LX_REFUSED, "refused-password-expired",
			 "The %s password has expired; change it before linking, "
			 "then run cmecf-link again.", which);
	if (st != DIR_OK && pp->error == PP_accountLocked)
		run_exit(r, LX_REFUSED, "refused-account-locked",
			 "The %s account is locked; try again later or contact "
			 "the court.", which);
}

/* Exits 3 when KEY's password may not be checked now (too many failures
 * of that account, or of this caller), saying until when; else the check
 * is counted before it is made. */
static void link_count_check(struct run *r, const char *key, const char *which,
			     const char *name)
{
	enum thr_verdict v;
	char when[64] = "?";
	time_t retry = 0;
	struct tm tm;

	v = thr_begin(&r->thr, &r->cfg, r->ruid, key, &retry);
	if (v == THR_GO)
		return;
	if (v == THR_BUSY) {
		run_log(r, LOG_WARNING, "throttle-busy", "%s", r->thr.err);
		run_exit(r, LX_REFUSED, "throttle-busy",
			 "too many cmecf-link runs at once; try again in a "
			 "moment");
	}
	if (v == THR_ERROR)
		run_exit(r, LX_INSTALL, "state-error", "%s", r->thr.err);
	if (localtime_r(&retry, &tm) != NULL)
		(void)strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S %Z", &tm);
	if (v == THR_UID_LOCKED)
		run_exit(r, LX_REFUSED, "throttled-uid",
			 "too many failed password attempts from your user "
			 "account; no password is checked for it again until %s",
			 when);
	run_exit(r, LX_REFUSED, "throttled",
		 "too many failed password attempts for %s %s; its password "
		 "is not checked again until %s", which, name, when);
}

/* Proves PASSWORD for DN on a connection of its own, counted under KEY
 * first (throttle.c); exits 2, 3 or 5 unless it is right. */
static void link_prove(struct run *r, const char *dn, const char *password,
		       const char *which, const char *key, const char *name)
{
	struct dir_conn *c;
	struct dir_ppolicy pp;
	struct dir_error err;
	enum dir_status st;

	link_count_check(r, key, which, name);
	c = lw_connect(r, NULL);
	memset(&err, 0, sizeof(err));
	memset(&pp, 0, sizeof(pp));
	st = dir_bind(c, dn, password, &pp, &err);
	dir_close(c);
	if (st == DIR_OK || st == DIR_ERR_UNAVAILABLE ||
	    st == DIR_ERR_TIMEOUT || st == DIR_ERR_TLS || st == DIR_ERR_INSECURE)
		/* Proven, or never checked: not a failure. */
		if (thr_settle(&r->thr) != 0)
			run_log(r, LOG_WARNING, "state-error", "a proven check "
				"still counts as a failure: %s/%s not written",
				THR_STATE_DIR, THR_STATE_FILE);
	link_refuse_by_policy(r, st, &pp, which);
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

/*
 * Other legacy accounts of this court may already claim the PACER account
 * without its PACER side naming them: a run killed between its writes,
 * or one that lost a race and was killed before it stepped back. Each is
 * finished or undone (repair.c) before this run decides; P is re-read.
 */
static void link_settle_claims(struct run *r, struct dir_conn *svc,
			       struct lw_pacer *p)
{
	struct dn_list claims;
	struct dir_error err;
	enum dir_status st;
	size_t i;
	bool touched = false;

	memset(&err, 0, sizeof(err));
	st = lw_claims(r, svc, r->court, r->pacer_dn, &claims, &err);
	if (st != DIR_OK)
		link_read_failed(r, st, &err, "the claims on the PACER account");
	for (i = 0; i < claims.n; i++) {
		if (esc_dn_equal(claims.v[i], r->cmecf_dn) == 1)
			continue;
		(void)repair_legacy(r, svc, claims.v[i], true, true);
		touched = true;
	}
	dn_list_free(&claims);
	if (!touched)
		return;
	lw_pacer_free(p);
	st = lw_read_pacer(svc, r->pacer_dn, p, &err);
	if (st != DIR_OK)
		link_read_failed(r, st, &err, "the PACER entry");
}

/* Exits 3 with the matching message when policy refuses this pair. Half
 * links found on either side are finished or undone first. */
static void link_policy(struct run *r, struct dir_conn *svc, struct lw_pacer *p,
			struct lw_cmecf *l)
{
	enum decide_refusal refusal = decide_link_account(&p->a);
	const char *other;
	char *name;

	if (refusal == DECIDE_FIRM)
		run_exit(r, LX_REFUSED, "refused-firm",
			 "Do not link a shared firm PACER account: %s is a firm account. "
			 "Log in with your individual upgraded PACER account.", p->a.uid);
	if (refusal == DECIDE_TYPE_UNKNOWN)
		run_exit(r, LX_REFUSED, "refused-type-unknown",
			 "PACER account %s has no valid account type (individual or "
			 "firm) in the directory; it cannot be linked. Contact the "
			 "PACER Service Center.", p->a.uid);
	if (refusal != DECIDE_OK)
		run_exit(r, LX_REFUSED, "refused-not-upgraded",
			 "PACER account %s was created before August 2014 and has not "
			 "been upgraded; upgrade it first, then link.", p->a.uid);
	if (decide_legacy_free(&l->a, &p->a) != DECIDE_OK) {
		struct dir_error err;

		/* A claim that is not a link is finished or undone first; an
		 * undone one (a race loser's) leaves the account free. */
		(void)repair_legacy(r, svc, l->a.dn, true, true);
		memset(&err, 0, sizeof(err));
		lw_cmecf_free(l);
		if (lw_read_cmecf(r, svc, r->cmecf_dn, l, &err) != DIR_OK)
			link_read_failed(r, err.status, &err, "the CM/ECF entry");
	}
	refusal = decide_legacy_free(&l->a, &p->a);
	if (refusal != DECIDE_OK) {
		free(r->shown);
		r->shown = name = link_pacer_name(r, l->a.linked_pacer);
		if (refusal == DECIDE_LEGACY_LINKED_SELF)
			run_exit(r, LX_REFUSED, "refused-already-linked",
				 "CM/ECF login %s in court %s is already linked to your "
				 "PACER account %s; log in with your PACER username and password.",
				 l->a.uid, r->court, name);
		run_exit(r, LX_REFUSED, "refused-already-linked",
			 "CM/ECF login %s in court %s is already linked to PACER account %s; "
			 "a link is permanent (ask the court to undo it)",
			 l->a.uid, r->court, name != NULL ? name : "?");
	}
	link_settle_claims(r, svc, p);
	refusal = decide_pacer_free(&p->a, &r->cfg, r->court, &other);
	if (refusal != DECIDE_OK) {
		struct dir_error err;

		/* A PACER side without its legacy side is stale: undo it. */
		(void)repair_pacer(r, svc, p->a.dn, true, true);
		memset(&err, 0, sizeof(err));
		lw_pacer_free(p);
		if (lw_read_pacer(svc, r->pacer_dn, p, &err) != DIR_OK)
			link_read_failed(r, err.status, &err, "the PACER entry");
		refusal = decide_pacer_free(&p->a, &r->cfg, r->court, &other);
	}
	if (refusal != DECIDE_OK) {
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

	say("\nDo you want to link these accounts?\n\n"
		     "  CM/ECF  %s   (login %s, court %s)\n"
		     "  PACER   %s   (username %s)\n\n",
		     l->a.cn != NULL ? l->a.cn : "?", l->a.uid, r->court,
		     p->a.cn != NULL ? p->a.cn : "?", p->a.uid);
	if (!same)
		say("WARNING: The names do not match. Link only if both accounts are yours.\n\n");
	say("After you confirm, your old CM/ECF e-filing credentials will be "
		     "permanently linked to your upgraded PACER account. This cannot be "
		     "undone. Make sure you are linking your individual PACER account.\n\n");
	link_ask(r, "Type yes to link: ", r->answer, sizeof(r->answer), true);
	if (strcmp(r->answer, "yes") != 0)
		run_exit(r, LX_DECLINED, "declined", "Not linked.");
}

/* What a claim found, once written (see link_contend). */
enum link_claim {
	CLAIM_WON,		/* ours is the only claim: write the PACER side */
	CLAIM_DONE,		/* the PACER side already names ours */
	CLAIM_LOST,		/* the PACER account is linked in this court */
	CLAIM_CONTENDED,	/* another unfinished claim: step back, retry */
};

/* The legacy side: the claim, written only while the legacy entry has no
 * cmecfLinkedPacer at all (invariant 1). */
static enum dir_status link_claim_legacy(struct run *r, struct dir_conn *svc,
					 const struct lw_pacer *p,
					 const struct lw_cmecf *l,
					 struct dir_error *err)
{
	char now[32], by[384];
	const struct lw_mod m[3] = {
		{ true, "cmecfLinkedPacer", p->a.dn },
		{ true, "cmecfLinkedTime", now },
		{ true, "cmecfLinkedBy", by },
	};

	gtime_format(time(NULL), now, sizeof(now));
	(void)snprintf(by, sizeof(by), "uid=%lu(%s) tty=%s host=%s",
		       (unsigned long)r->ruid, r->who, r->tty, r->host);
	return lw_modify(svc, l->a.dn,
			 "(&(objectClass=cmecfAccount)(!(cmecfLinkedPacer=*)))",
			 m, 3, err);
}

/*
 * With our claim written, reads every claim on the PACER account in this
 * court, then the PACER entry. Claims are written before they are read,
 * on one provider, so of two racing runs at least one sees the other's
 * claim: a run that sees only its own may finish, one that sees another
 * steps back (docs/linking.md has the argument).
 */
static enum link_claim link_contend(struct run *r, struct dir_conn *svc,
				    struct lw_pacer *p, struct dir_error *err)
{
	struct dn_list claims;
	const char *other;
	enum dir_status st;
	size_t i, others = 0;

	st = lw_claims(r, svc, r->court, r->pacer_dn, &claims, err);
	if (st != DIR_OK)
		link_read_failed(r, st, err, "the claims on the PACER account");
	for (i = 0; i < claims.n; i++)
		if (esc_dn_equal(claims.v[i], r->cmecf_dn) != 1)
			others++;
	dn_list_free(&claims);
	lw_pacer_free(p);
	st = lw_read_pacer(svc, r->pacer_dn, p, err);
	if (st != DIR_OK)
		link_read_failed(r, st, err, "the PACER entry");
	other = acct_pacer_link_in(&p->a, &r->cfg, r->court);
	if (other != NULL && esc_dn_equal(other, r->cmecf_dn) == 1)
		return CLAIM_DONE;
	if (other != NULL) {
		struct lw_cmecf o;
		bool confirmed = lw_read_cmecf(r, svc, other, &o, err) == DIR_OK &&
				 decide_link_complete(&p->a, &o.a, &r->cfg,
						      r->court);

		lw_cmecf_free(&o);
		if (confirmed)
			return CLAIM_LOST;
	}
	return others > 0 ? CLAIM_CONTENDED : CLAIM_WON;
}

/* The PACER side, while that entry is still an upgraded individual
 * account not yet naming ours; DIR_OK also when it already does. */
static enum dir_status link_write_pacer(struct run *r, struct dir_conn *svc,
					const struct lw_pacer *p,
					struct dir_error *err)
{
	const struct lw_mod m[1] = { { true, "pacerLinkedCmecf", r->cmecf_dn } };
	char *not_yet = lw_guard_eq("pacerLinkedCmecf", r->cmecf_dn, true);
	char *guard = NULL;
	enum dir_status st = DIR_ERR_NOMEM;

	if (not_yet != NULL &&
	    asprintf(&guard, "(&(objectClass=pacerAccount)(pacerUpgraded=TRUE)"
		     "(pacerAccountType=individual)%s)", not_yet) >= 0) {
		st = lw_modify(svc, p->a.dn, guard, m, 1, err);
		free(guard);
	}
	free(not_yet);
	return st;
}

/* Removes our claim (a run that stepped back or lost); logs when it
 * cannot, which leaves a claim that --check --repair undoes. */
static void link_step_back(struct run *r, struct dir_conn *svc, struct lw_cmecf *l)
{
	struct dir_error err;

	memset(&err, 0, sizeof(err));
	lw_cmecf_free(l);
	if (lw_read_cmecf(r, svc, r->cmecf_dn, l, &err) == DIR_OK &&
	    l->a.linked_pacer != NULL &&
	    esc_dn_equal(l->a.linked_pacer, r->pacer_dn) == 1 &&
	    lw_undo_legacy(svc, l, r->pacer_dn, &err) == DIR_OK)
		return;
	if (l->a.linked_pacer == NULL)
		return;
	run_log(r, LOG_WARNING, "undo-failed", "claim of %s left for "
		"cmecf-link --check --repair: %s", r->cmecf_dn, err.detail);
}

/* Exits after a failed write: 5 when the provider went away, else 1. */
static __attribute__((noreturn)) void link_write_failed(struct run *r,
		struct dir_conn *svc, enum dir_status st, const struct dir_error *err,
		const char *what)
{
	if (st == DIR_ERR_UNAVAILABLE || st == DIR_ERR_TIMEOUT || st == DIR_ERR_TLS)
		run_exit(r, LX_UNAVAIL, "unavailable",
			 "the link directory server %s did not answer; %s",
			 dir_server(svc), what);
	run_exit(r, LX_USAGE, "write-failed", "the link was refused by %s: %s; %s",
		 dir_server(svc), err->detail, what);
}

/* Sleeps 50 to 300 ms, so two runs that stepped back do not meet again. */
static void link_backoff(void)
{
	struct timespec ts = { 0, (50 + (long)arc4random_uniform(250)) * 1000000L };

	(void)nanosleep(&ts, NULL);
}

#define LINK_TRIES 4

/*
 * Writes the link (docs/linking.md): the legacy side is the claim; with
 * it written, the claims on the PACER account in this court decide who
 * may write the PACER side; the run checks its claim is still there
 * after. Every write is guarded on the link attributes; interrupting
 * signals are held off from the first write to the exit.
 */
static void link_write(struct run *r, struct dir_conn *svc, struct lw_pacer *p,
		       struct lw_cmecf *l)
{
	struct dir_error err;
	enum dir_status st;
	sigset_t old;
	int tries;

	if (lw_block_signals(&old) != 0)
		run_exit(r, LX_USAGE, "error", "cannot block signals");
	for (tries = 1;; tries++) {
		memset(&err, 0, sizeof(err));
		st = link_claim_legacy(r, svc, p, l, &err);
		if (st == DIR_ERR_CONFLICT) {
			/* Another run claimed the legacy account first. */
			lw_pacer_free(p);
			lw_cmecf_free(l);
			link_read_both(r, svc, r->pacer_dn, r->cmecf_dn, p, l);
			link_policy(r, svc, p, l);
			if (l->a.linked_pacer == NULL)
				run_exit(r, LX_USAGE, "guard-refused",
					 "the directory refused the guarded write on %s "
					 "although that account is not linked: the link "
					 "account cannot evaluate the guard (run cmecf-link "
					 "--test-config); nothing was written", l->a.dn);
			run_exit(r, LX_REFUSED, "conflict",
				 "the accounts changed while linking; nothing was written. "
				 "Run cmecf-link again.");
		}
		if (st != DIR_OK)
			link_write_failed(r, svc, st, &err, "nothing was written");
#ifdef CMECF_TEST_PAUSE
		/* Test builds only: stop between the writes to be killed. */
		(void)raise(SIGSTOP);
#endif
		switch (link_contend(r, svc, p, &err)) {
		case CLAIM_DONE:
			return;
		case CLAIM_LOST:
			link_step_back(r, svc, l);
			run_exit(r, LX_REFUSED, "refused-pacer-linked",
				 "PACER account %s was linked to another CM/ECF login of "
				 "court %s meanwhile; nothing of this link was kept",
				 p->a.uid, r->court);
		case CLAIM_CONTENDED:
			link_step_back(r, svc, l);
			if (tries == LINK_TRIES)
				run_exit(r, LX_REFUSED, "contended",
					 "another link of PACER account %s in court %s is "
					 "in progress; nothing was written. Run cmecf-link "
					 "again in a moment.", p->a.uid, r->court);
			link_backoff();
			lw_pacer_free(p);
			lw_cmecf_free(l);
			link_read_both(r, svc, r->pacer_dn, r->cmecf_dn, p, l);
			link_policy(r, svc, p, l);
			continue;
		case CLAIM_WON:
			break;
		}
		st = link_write_pacer(r, svc, p, &err);
		if (st == DIR_ERR_CONFLICT) {
			/* Finished meanwhile by a repair, or the account changed. */
			if (link_contend(r, svc, p, &err) == CLAIM_DONE)
				return;
			link_step_back(r, svc, l);
			run_exit(r, LX_REFUSED, "conflict",
				 "PACER account %s changed while linking; nothing of "
				 "this link was kept. Run cmecf-link again.", p->a.uid);
		}
		if (st != DIR_OK)
			link_write_failed(r, svc, st, &err,
					  "the link is half written (the CM/ECF side "
					  "only); the next cmecf-link run for these "
					  "accounts, or cmecf-link --check --repair, "
					  "finishes it");
		break;
	}
	/* Our claim must still be there (a repair may have undone it). */
	lw_cmecf_free(l);
	st = lw_read_cmecf(r, svc, r->cmecf_dn, l, &err);
	if (st == DIR_OK && l->a.linked_pacer != NULL &&
	    esc_dn_equal(l->a.linked_pacer, r->pacer_dn) == 1)
		return;
	if (st == DIR_OK)
		(void)repair_pacer(r, svc, r->pacer_dn, true, true);
	run_exit(r, LX_REFUSED, "conflict",
		 "the CM/ECF account changed while linking; nothing of this link "
		 "was kept. Run cmecf-link again.");
}

/* The whole link, for the person running the helper; never returns. What
 * it opens or reads is kept in R, for run_exit to release on every path. */
void link_run(struct run *r)
{
	struct dir_conn *svc;
	struct lw_pacer *p = &r->pacer;
	struct lw_cmecf *l = &r->cmecf;
	const char *pdn, *ldn;
	char key[128];

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
	if (thr_key(key, sizeof(key), "pacer", NULL, r->pacer_user) != 0)
		run_exit(r, LX_BADPW, "bad-user", "PACER username or password is incorrect");
	link_prove(r, pdn, r->pacer_pw, "PACER", key, r->pacer_user);
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
	if (thr_key(key, sizeof(key), "cmecf", r->court, r->cmecf_login) != 0)
		run_exit(r, LX_BADPW, "bad-user", "CM/ECF login or password is incorrect");
	link_prove(r, ldn, r->cmecf_pw, "CM/ECF", key, r->cmecf_login);
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
