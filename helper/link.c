/*
 * link.c - the person's one-time link: court, both passwords, the
 * refusals, the confirmation, then the guarded writes (common/dir.h).
 * Each step returns 0 to go on or -1 with a struct refusal saying why
 * not; only link_run exits.
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
	char *court = acct_court_of(&r->cfg, dn);
	char *parent =
		court != NULL ? acct_cmecf_container(&r->cfg, court) : NULL;
	char *v = NULL;

	if (parent == NULL || esc_dn_child_value(dn, "uid", parent, &v) != 0)
		v = strdup(dn);
	free(parent);
	free(court);
	return v;
}

/* Refuses, unless the court exists and is live now: 3, or why it could
 * not be read. */
static int link_check_court(struct run *r, struct dir_conn *svc,
			    struct refusal *f)
{
	struct pacer_court court;
	struct dir_error err;
	enum dir_status st;
	enum decide_refusal live;
	char date[64];

	memset(&err, 0, sizeof(err));
	st = lw_read_court(&r->cfg, svc, r->court, &court, &err);
	if (st == DIR_ERR_NO_ENTRY)
		return refuse(f, LX_REFUSED, "court-unknown",
			      "court %s is not known", r->court);
	if (st != DIR_OK)
		return refuse_status(f, st, &err, "reading the court entry");
	live = decide_court(&court, time(NULL));
	if (live != DECIDE_OK) {
		bool sched = live == DECIDE_COURT_NOT_LIVE;

		if (sched)
			gtime_format_human(court.go_live, date, sizeof(date));
		acct_court_free(&court);
		if (sched)
			return refuse(f, LX_REFUSED, "court-not-live",
				      "court %s is not live on NextGen CM/ECF until %s; "
				      "linking can be done only once the court is live",
				      r->court, date);
		return refuse(f, LX_REFUSED, "court-not-live",
			      "court %s has not announced a go-live date; linking can be "
			      "done only once the court is live", r->court);
	}
	acct_court_free(&court);
	return 0;
}

/*
 * Refuses (3) when the password policy's answer PP to the bind of WHICH's
 * password (status ST) rules out a permanent link: a password reset by
 * an administrator, an expired one (grace logins left or not), a locked
 * account. 0 otherwise, for link_prove to decide on ST.
 */
static int link_refuse_by_policy(enum dir_status st,
				 const struct dir_ppolicy *pp,
				 const char *which, struct refusal *f)
{
	bool pacer = strcmp(which, "PACER") == 0;

	if (!pp->present)
		return 0;
	if (st == DIR_OK && pp->error == PP_changeAfterReset)
		return refuse(
			f, LX_REFUSED, "refused-password-reset",
			"The %s password was reset by an administrator; change it "
			"first (%s) and run cmecf-link again.",
			which,
			pacer ? "log in with it or use passwd"
			      : "ask the court how: CM/ECF logins no longer work "
				"in a court that is live");
	if (st == DIR_OK && pp->grace >= 0)
		return refuse(f, LX_REFUSED, "refused-password-expired",
			      "The %s password has expired (%d grace login%s left); "
			      "change it before linking, then run cmecf-link again.",
			      which, pp->grace, pp->grace == 1 ? "" : "s");
	if (st != DIR_OK && pp->error == PP_passwordExpired)
		return refuse(f, LX_REFUSED, "refused-password-expired",
			      "The %s password has expired; change it before linking, "
			      "then run cmecf-link again.", which);
	if (st != DIR_OK && pp->error == PP_accountLocked)
		return refuse(f, LX_REFUSED, "refused-account-locked",
			      "The %s account is locked; try again later or contact "
			      "the court.", which);
	return 0;
}

/* Refuses (3) when KEY's password may not be checked now (too many
 * failures of that account, or of this caller), saying until when; else
 * the check is counted before it is made. */
static int link_count_check(struct run *r, const char *key, const char *which,
			    const char *name, struct refusal *f)
{
	enum thr_verdict v;
	char when[64] = "?";
	time_t retry = 0;
	struct tm tm;

	v = thr_begin(&r->thr, &r->cfg, r->ruid, key, &retry);
	if (v == THR_GO)
		return 0;
	if (v == THR_BUSY) {
		run_log(r, LOG_WARNING, "throttle-busy", "%s", r->thr.err);
		return refuse(f, LX_REFUSED, "throttle-busy",
			      "too many cmecf-link runs at once; try again in a "
			      "moment");
	}
	if (v == THR_ERROR)
		return refuse(f, LX_INSTALL, "state-error", "%s", r->thr.err);
	if (localtime_r(&retry, &tm) != NULL)
		(void)strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S %Z", &tm);
	if (v == THR_UID_LOCKED)
		return refuse(f, LX_REFUSED, "throttled-uid",
			      "too many failed password attempts from your user "
			      "account; no password is checked for it again until %s",
			      when);
	return refuse(f, LX_REFUSED, "throttled",
		      "too many failed password attempts for %s %s; its password "
		      "is not checked again until %s", which, name, when);
}

/* Proves PASSWORD for DN on a connection of its own, counted under KEY
 * first (throttle.c); refuses with 2, 3 or 5 unless it is right. */
static int link_prove(struct run *r, const char *dn, const char *password,
		      const char *which, const char *key, const char *name,
		      struct refusal *f)
{
	struct dir_conn *c = NULL;
	struct dir_ppolicy pp;
	struct dir_error err;
	enum dir_status st;

	memset(&pp, 0, sizeof(pp));
	st = lw_connect(&r->cfg, NULL, &c, &err);
	if (st != DIR_OK)
		return refuse_status(f, st, &err, "connecting to check the "
				     "password (nothing was changed)");
	/* Counted once a server is there to check it, before the bind. */
	if (link_count_check(r, key, which, name, f) != 0) {
		dir_close(c);
		return -1;
	}
	st = dir_bind(c, dn, password, &pp, &err);
	dir_close(c);
	if (st == DIR_OK || run_exit_code(st) == LX_UNAVAIL ||
	    st == DIR_ERR_INSECURE)
		/* Proven, or never checked: not a failure. */
		if (thr_settle(&r->thr) != 0)
			run_log(r, LOG_WARNING, "state-error", "a proven check "
				"still counts as a failure: %s/%s not written",
				THR_STATE_DIR, THR_STATE_FILE);
	if (link_refuse_by_policy(st, &pp, which, f) != 0)
		return -1;
	if (st == DIR_OK)
		return 0;
	if (run_exit_code(st) == LX_UNAVAIL)
		return refuse_status(f, st, &err, "checking the password");
	run_log(r, LOG_WARNING, "bad-password", "%s bind refused: %s", which,
		err.detail);
	(void)sleep(LINK_FAIL_DELAY_S);
	return refuse(f, LX_BADPW, "bad-password",
		      "%s username or password is incorrect", which);
}

/* Asks for an answer; refuses (1) when input ended or was malformed. */
static int link_ask(const char *prompt, char *buf, size_t n, bool echo,
		    struct refusal *f)
{
	if (in_ask(prompt, buf, n, echo) != 0)
		return refuse(f, LX_USAGE, "no-input",
			      "no answer (input ended or too long)");
	return 0;
}

/* Reads both entries with the service account, or refuses. */
static int link_read_both(struct run *r, struct dir_conn *svc, const char *pdn,
			  const char *ldn, struct lw_pacer *p,
			  struct lw_cmecf *l, struct refusal *f)
{
	struct dir_error err;
	enum dir_status st;

	memset(&err, 0, sizeof(err));
	st = lw_read_pacer(svc, pdn, p, &err);
	if (st == DIR_ERR_NO_ENTRY)
		return refuse(f, LX_BADPW, "no-user",
			      "PACER username or password is incorrect");
	if (st != DIR_OK)
		return refuse_status(f, st, &err, "reading the PACER entry");
	st = lw_read_cmecf(&r->cfg, svc, ldn, l, &err);
	if (st == DIR_ERR_NO_ENTRY)
		return refuse(f, LX_BADPW, "no-user",
			      "CM/ECF login or password is incorrect");
	if (st != DIR_OK)
		return refuse_status(f, st, &err, "reading the CM/ECF entry");
	return 0;
}

/*
 * Other legacy accounts of this court may already claim the PACER account
 * without its PACER side naming them: a run killed between its writes,
 * or one that lost a race and was killed before it stepped back. Each is
 * finished or undone (repair.c) before this run decides; P is re-read.
 */
static int link_settle_claims(struct run *r, struct dir_conn *svc,
			      struct lw_pacer *p, struct refusal *f)
{
	struct dir_dn_list claims;
	struct dir_error err;
	enum dir_status st;
	size_t i;
	bool touched = false;

	memset(&err, 0, sizeof(err));
	st = lw_claims(&r->cfg, svc, r->court, r->pacer_dn, &claims, &err);
	if (st != DIR_OK)
		return refuse_status(f, st, &err,
				     "reading the claims on the PACER account");
	for (i = 0; i < claims.n; i++) {
		if (esc_dn_equal(claims.v[i], r->cmecf_dn) == 1)
			continue;
		(void)repair_legacy(r, svc, claims.v[i], true, true);
		touched = true;
	}
	dir_dn_list_free(&claims);
	if (!touched)
		return 0;
	lw_pacer_free(p);
	st = lw_read_pacer(svc, r->pacer_dn, p, &err);
	if (st != DIR_OK)
		return refuse_status(f, st, &err, "reading the PACER entry");
	return 0;
}

/* Refuses (3) with the matching message when policy refuses this pair.
 * Half links found on either side are finished or undone first. */
static int link_policy(struct run *r, struct dir_conn *svc, struct lw_pacer *p,
		       struct lw_cmecf *l, struct refusal *f)
{
	enum decide_refusal refusal = decide_link_account(&p->a);
	struct dir_error err;
	enum dir_status st;
	const char *other;
	char *name;

	if (refusal == DECIDE_FIRM)
		return refuse(f, LX_REFUSED, "refused-firm",
			      "Do not link a shared firm PACER account: %s is a firm account. "
			      "Log in with your individual upgraded PACER account.", p->a.uid);
	if (refusal == DECIDE_TYPE_UNKNOWN)
		return refuse(f, LX_REFUSED, "refused-type-unknown",
			      "PACER account %s has no valid account type (individual or "
			      "firm) in the directory; it cannot be linked. Contact the "
			      "PACER Service Center.", p->a.uid);
	if (refusal != DECIDE_OK)
		return refuse(f, LX_REFUSED, "refused-not-upgraded",
			      "PACER account %s was created before August 2014 and has not "
			      "been upgraded; upgrade it first, then link.", p->a.uid);
	if (decide_legacy_free(&l->a, &p->a) != DECIDE_OK) {
		/* A claim that is not a link is finished or undone first; an
		 * undone one (a race loser's) leaves the account free. */
		(void)repair_legacy(r, svc, l->a.dn, true, true);
		memset(&err, 0, sizeof(err));
		lw_cmecf_free(l);
		st = lw_read_cmecf(&r->cfg, svc, r->cmecf_dn, l, &err);
		if (st != DIR_OK)
			return refuse_status(f, st, &err,
					     "reading the CM/ECF entry");
	}
	refusal = decide_legacy_free(&l->a, &p->a);
	if (refusal != DECIDE_OK) {
		free(r->shown);
		r->shown = name = link_pacer_name(r, l->a.linked_pacer);
		if (refusal == DECIDE_LEGACY_LINKED_SELF)
			return refuse(f, LX_REFUSED, "refused-already-linked",
				      "CM/ECF login %s in court %s is already linked to your "
				      "PACER account %s; log in with your PACER username and password.",
				      l->a.uid, r->court, name);
		return refuse(f, LX_REFUSED, "refused-already-linked",
			      "CM/ECF login %s in court %s is already linked to PACER account %s; "
			      "a link is permanent (ask the court to undo it)",
			      l->a.uid, r->court, name != NULL ? name : "?");
	}
	if (link_settle_claims(r, svc, p, f) != 0)
		return -1;
	refusal = decide_pacer_free(&p->a, &r->cfg, r->court, &other);
	if (refusal != DECIDE_OK) {
		/* A PACER side without its legacy side is stale: undo it. */
		(void)repair_pacer(r, svc, p->a.dn, true, true);
		memset(&err, 0, sizeof(err));
		lw_pacer_free(p);
		st = lw_read_pacer(svc, r->pacer_dn, p, &err);
		if (st != DIR_OK)
			return refuse_status(f, st, &err,
					     "reading the PACER entry");
		refusal = decide_pacer_free(&p->a, &r->cfg, r->court, &other);
	}
	if (refusal != DECIDE_OK) {
		free(r->shown);
		r->shown = name = link_cmecf_name(r, other);
		return refuse(f, LX_REFUSED, "refused-pacer-linked",
			      "PACER account %s is already linked to CM/ECF login %s in court %s; "
			      "one PACER account links to one CM/ECF login per court",
			      p->a.uid, name != NULL ? name : "?", r->court);
	}
	return 0;
}

/* Shows both names and asks; refuses (4) unless the answer is "yes". */
static int link_confirm(struct run *r, const struct lw_pacer *p,
			const struct lw_cmecf *l, struct refusal *f)
{
	bool same = p->a.cn != NULL && l->a.cn != NULL &&
		    strcmp(p->a.cn, l->a.cn) == 0;

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
	if (link_ask("Type yes to link: ", r->answer, sizeof(r->answer), true,
		     f) != 0)
		return -1;
	if (strcmp(r->answer, "yes") != 0)
		return refuse(f, LX_DECLINED, "declined", "Not linked.");
	return 0;
}

/* What a claim found, once written (see link_contend). */
enum link_claim {
	CLAIM_FAILED,		/* the claims could not be read: see the refusal */
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
	const struct dir_mod m[3] = {
		{ true, "cmecfLinkedPacer", p->a.dn },
		{ true, "cmecfLinkedTime", now },
		{ true, "cmecfLinkedBy", by },
	};

	gtime_format(time(NULL), now, sizeof(now));
	(void)snprintf(by, sizeof(by), "uid=%lu(%s) tty=%s host=%s",
		       (unsigned long)r->ruid, r->who, r->tty, r->host);
	return dir_modify_guarded(svc, l->a.dn,
				  "(&(objectClass=cmecfAccount)(!(cmecfLinkedPacer=*)))",
				  m, 3, err);
}

/*
 * With our claim written, reads every claim on the PACER account in this
 * court, then the PACER entry. Claims are written before they are read,
 * on one provider, so of two racing runs at least one sees the other's
 * claim: a run that sees only its own may finish, one that sees another
 * steps back (docs/linking.md has the argument). CLAIM_FAILED with F
 * filled when a read failed.
 */
static enum link_claim link_contend(struct run *r, struct dir_conn *svc,
				    struct lw_pacer *p, struct dir_error *err,
				    struct refusal *f)
{
	struct dir_dn_list claims;
	const char *other;
	enum dir_status st;
	size_t i, others = 0;

	st = lw_claims(&r->cfg, svc, r->court, r->pacer_dn, &claims, err);
	if (st != DIR_OK) {
		(void)refuse_status(f, st, err,
				    "reading the claims on the PACER account");
		return CLAIM_FAILED;
	}
	for (i = 0; i < claims.n; i++)
		if (esc_dn_equal(claims.v[i], r->cmecf_dn) != 1)
			others++;
	dir_dn_list_free(&claims);
	lw_pacer_free(p);
	st = lw_read_pacer(svc, r->pacer_dn, p, err);
	if (st != DIR_OK) {
		(void)refuse_status(f, st, err, "reading the PACER entry");
		return CLAIM_FAILED;
	}
	other = acct_pacer_link_in(&p->a, &r->cfg, r->court);
	if (other != NULL && esc_dn_equal(other, r->cmecf_dn) == 1)
		return CLAIM_DONE;
	if (other != NULL) {
		struct lw_cmecf o;
		bool confirmed =
			lw_read_cmecf(&r->cfg, svc, other, &o, err) == DIR_OK &&
			decide_link_complete(&p->a, &o.a, &r->cfg, r->court);

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
	const struct dir_mod m[1] = { { true, "pacerLinkedCmecf",
					r->cmecf_dn } };
	char *not_yet = esc_filter_eq("pacerLinkedCmecf", r->cmecf_dn, true);
	char *guard = NULL;
	enum dir_status st = DIR_ERR_NOMEM;

	if (not_yet != NULL &&
	    asprintf(&guard, "(&(objectClass=pacerAccount)(pacerUpgraded=TRUE)"
		     "(pacerAccountType=individual)%s)", not_yet) >= 0) {
		st = dir_modify_guarded(svc, p->a.dn, guard, m, 1, err);
		free(guard);
	}
	free(not_yet);
	return st;
}

/* Removes our claim (a run that stepped back or lost); logs when it
 * cannot, which leaves a claim that --check --repair undoes. */
static void link_step_back(struct run *r, struct dir_conn *svc,
			   struct lw_cmecf *l)
{
	struct dir_error err;

	memset(&err, 0, sizeof(err));
	lw_cmecf_free(l);
	if (lw_read_cmecf(&r->cfg, svc, r->cmecf_dn, l, &err) == DIR_OK &&
	    l->a.linked_pacer != NULL &&
	    esc_dn_equal(l->a.linked_pacer, r->pacer_dn) == 1 &&
	    lw_undo_legacy(svc, l, r->pacer_dn, &err) == DIR_OK)
		return;
	if (l->a.linked_pacer == NULL)
		return;
	run_log(r, LOG_WARNING, "undo-failed", "claim of %s left for "
		"cmecf-link --check --repair: %s", r->cmecf_dn, err.detail);
}

/* Sleeps 50 to 300 ms, so two runs that stepped back do not meet again. */
static void link_backoff(void)
{
	struct timespec ts = { 0, (50 + (long)arc4random_uniform(250)) *
					  1000000L };

	(void)nanosleep(&ts, NULL);
}

/* Re-reads both entries and runs the refusals again: 0 when the pair may
 * still be linked, else -1 with F. */
static int link_recheck(struct run *r, struct dir_conn *svc, struct lw_pacer *p,
			struct lw_cmecf *l, struct refusal *f)
{
	lw_pacer_free(p);
	lw_cmecf_free(l);
	if (link_read_both(r, svc, r->pacer_dn, r->cmecf_dn, p, l, f) != 0)
		return -1;
	return link_policy(r, svc, p, l, f);
}

#define LINK_TRIES 4

/*
 * Writes the link (docs/linking.md): the legacy side is the claim; with
 * it written, the claims on the PACER account in this court decide who
 * may write the PACER side; the run checks its claim is still there
 * after. Every write is guarded on the link attributes; interrupting
 * signals are held off from the first write to the exit. 0 when linked,
 * else -1 with F.
 */
static int link_write(struct run *r, struct dir_conn *svc, struct lw_pacer *p,
		      struct lw_cmecf *l, struct refusal *f)
{
	struct dir_error err;
	enum dir_status st;
	sigset_t old;
	int tries;

	if (lw_block_signals(&old) != 0)
		return refuse(f, LX_USAGE, "error", "cannot block signals");
	for (tries = 1;; tries++) {
		memset(&err, 0, sizeof(err));
		st = link_claim_legacy(r, svc, p, l, &err);
		if (st == DIR_ERR_CONFLICT) {
			/* Another run claimed the legacy account first. */
			if (link_recheck(r, svc, p, l, f) != 0)
				return -1;
			if (l->a.linked_pacer == NULL)
				return refuse(f, LX_USAGE, "guard-refused",
					      "the directory refused the guarded write on %s "
					      "although that account is not linked: the link "
					      "account cannot evaluate the guard (run cmecf-link "
					      "--test-config); nothing was written", l->a.dn);
			return refuse(f, LX_REFUSED, "conflict",
				      "the accounts changed while linking; nothing was written. "
				      "Run cmecf-link again.");
		}
		if (st != DIR_OK)
			return refuse_status(f, st, &err,
					     "writing the CM/ECF side "
					     "(nothing was written)");
#ifdef CMECF_TEST_PAUSE
		/* Test builds only: stop between the writes to be killed. */
		(void)raise(SIGSTOP);
#endif
		switch (link_contend(r, svc, p, &err, f)) {
		case CLAIM_FAILED:
			return -1;
		case CLAIM_DONE:
			return 0;
		case CLAIM_LOST:
			link_step_back(r, svc, l);
			return refuse(f, LX_REFUSED, "refused-pacer-linked",
				      "PACER account %s was linked to another CM/ECF login of "
				      "court %s meanwhile; nothing of this link was kept",
				      p->a.uid, r->court);
		case CLAIM_CONTENDED:
			link_step_back(r, svc, l);
			if (tries == LINK_TRIES)
				return refuse(f, LX_REFUSED, "contended",
					      "another link of PACER account %s in court %s is "
					      "in progress; nothing was written. Run cmecf-link "
					      "again in a moment.", p->a.uid, r->court);
			link_backoff();
			if (link_recheck(r, svc, p, l, f) != 0)
				return -1;
			continue;
		case CLAIM_WON:
			break;
		}
		st = link_write_pacer(r, svc, p, &err);
		if (st == DIR_ERR_CONFLICT) {
			/* Finished meanwhile by a repair, or the account changed. */
			switch (link_contend(r, svc, p, &err, f)) {
			case CLAIM_FAILED:
				return -1;
			case CLAIM_DONE:
				return 0;
			default:
				break;
			}
			link_step_back(r, svc, l);
			return refuse(f, LX_REFUSED, "conflict",
				      "PACER account %s changed while linking; nothing of "
				      "this link was kept. Run cmecf-link again.", p->a.uid);
		}
		if (st != DIR_OK)
			return refuse_status(f, st, &err,
					     "writing the PACER side (the link is half "
					     "written, the CM/ECF side only; the next "
					     "cmecf-link run for these accounts, or "
					     "cmecf-link --check --repair, finishes it)");
		break;
	}
	/* Our claim must still be there (a repair may have undone it). */
	lw_cmecf_free(l);
	st = lw_read_cmecf(&r->cfg, svc, r->cmecf_dn, l, &err);
	if (st == DIR_OK && l->a.linked_pacer != NULL &&
	    esc_dn_equal(l->a.linked_pacer, r->pacer_dn) == 1)
		return 0;
	if (st == DIR_OK)
		(void)repair_pacer(r, svc, r->pacer_dn, true, true);
	return refuse(f, LX_REFUSED, "conflict",
		      "the CM/ECF account changed while linking; nothing of this link "
		      "was kept. Run cmecf-link again.");
}

/* Asks for (or takes from the command line) one account's name and
 * password, builds its DN and proves the password; 0, or -1 with F.
 * KIND is "pacer" or "cmecf". */
static int link_account(struct run *r, const char *kind, struct refusal *f)
{
	bool pacer = strcmp(kind, "pacer") == 0;
	const char *which = pacer ? "PACER" : "CM/ECF";
	const char *given = pacer ? r->opt.pacer_user : r->opt.cmecf_login;
	const char *wrong = pacer ? "PACER username or password is incorrect"
				  : "CM/ECF login or password is incorrect";
	char *name = pacer ? r->pacer_user : r->cmecf_login;
	char *pw = pacer ? r->pacer_pw : r->cmecf_pw;
	size_t name_len =
		pacer ? sizeof(r->pacer_user) : sizeof(r->cmecf_login);
	size_t pw_len = pacer ? sizeof(r->pacer_pw) : sizeof(r->cmecf_pw);
	char **dn = pacer ? &r->pacer_dn : &r->cmecf_dn;
	char key[128];

	if (given != NULL)
		(void)snprintf(name, name_len, "%s", given);
	else if (link_ask(pacer ? "PACER username: " : "CM/ECF login: ", name,
			  name_len, true, f) != 0)
		return -1;
	if (!name_is_valid_login(name))
		return refuse(f, LX_BADPW, "bad-user", "%s", wrong);
	if (link_ask(pacer ? "PACER password: " : "CM/ECF password: ", pw,
		     pw_len, false, f) != 0)
		return -1;
	*dn = pacer ? acct_pacer_dn(&r->cfg, name)
		    : acct_cmecf_dn(&r->cfg, r->court, name);
	if (*dn == NULL)
		return refuse(f, LX_USAGE, "nomem", "out of memory");
	if (thr_key(key, sizeof(key), kind, pacer ? NULL : r->court, name) != 0)
		return refuse(f, LX_BADPW, "bad-user", "%s", wrong);
	if (link_prove(r, *dn, pw, which, key, name, f) != 0)
		return -1;
	secret_wipe(pw, pw_len);
	return 0;
}

/* The whole link, for the person running the helper; never returns. What
 * it opens or reads is kept in R, for run_exit to release on every path;
 * every refusal of the steps below ends here. */
void link_run(struct run *r)
{
	struct lw_pacer *p = &r->pacer;
	struct lw_cmecf *l = &r->cmecf;
	struct dir_error err;
	struct refusal f;
	enum dir_status st;

	if (r->court == NULL)
		run_exit(r, LX_USAGE, "usage",
			 "no court: give --court or set court in %s",
			 r->cfg.path);
	st = lw_service(&r->cfg, r->link_pw, &r->svc, &err);
	if (st != DIR_OK)
		run_exit_for_status(r, st, &err, "binding as the link service "
				    "account (nothing was changed)");
	if (link_check_court(r, r->svc, &f) != 0 ||
	    link_account(r, "pacer", &f) != 0 ||
	    link_account(r, "cmecf", &f) != 0 ||
	    link_read_both(r, r->svc, r->pacer_dn, r->cmecf_dn, p, l, &f) !=
		    0 ||
	    link_policy(r, r->svc, p, l, &f) != 0 ||
	    link_confirm(r, p, l, &f) != 0 ||
	    link_write(r, r->svc, p, l, &f) != 0)
		run_exit_refusal(r, &f);
	run_exit(r, LX_OK, "linked",
		 "Linked. From now on use only your PACER username and password to log in "
		 "to court %s, for PACER and CM/ECF alike; your old CM/ECF login %s is "
		 "permanently linked to PACER account %s.", r->court, r->cmecf_login,
		 r->pacer_user);
}
