/*
 * repair.c - finding and mending half links (invariant 3 of SPEC.md):
 * used by --check, and by a link run for the entries it touches. Every
 * write here is guarded on the link value it changes (common/dir_ops.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>

#include "cmecf_link.h"

/* Prints one finding unless QUIET; always logs it. */
static void repair_say(struct run *r, bool quiet, const char *outcome,
		       const char *what, const char *a, const char *b)
{
	if (!quiet)
		say("%s: %s: %s -> %s\n", outcome, what, a, b);
	run_log(r, LOG_NOTICE, outcome, "%s: %s -> %s", what, a, b);
}

/* True when the legacy entry LEGACY_DN names PACER_DN back. */
static bool repair_confirms(struct run *r, struct dir_conn *c,
			    const char *legacy_dn, const char *pacer_dn)
{
	struct lw_cmecf l;
	struct dir_error err;
	bool yes;

	memset(&err, 0, sizeof(err));
	yes = lw_read_cmecf(&r->cfg, c, legacy_dn, &l, &err) == DIR_OK &&
	      l.a.linked_pacer != NULL &&
	      esc_dn_equal(l.a.linked_pacer, pacer_dn) == 1;
	lw_cmecf_free(&l);
	return yes;
}

/* Removes VALUE from PACER_DN's pacerLinkedCmecf, while it is there. */
static enum dir_status repair_drop_value(struct dir_conn *c,
					 const char *pacer_dn,
					 const char *value,
					 struct dir_error *err)
{
	const struct dir_mod m[1] = { { false, "pacerLinkedCmecf", value } };
	char *guard = esc_filter_eq("pacerLinkedCmecf", value, false);
	enum dir_status st;

	if (guard == NULL)
		return DIR_ERR_NOMEM;
	st = dir_modify_guarded(c, pacer_dn, guard, m, 1, err);
	free(guard);
	return st;
}

/* Adds LEGACY_DN to PACER_DN's pacerLinkedCmecf, while it is not there. */
static enum dir_status repair_add_value(struct dir_conn *c,
					const char *pacer_dn,
					const char *legacy_dn,
					struct dir_error *err)
{
	const struct dir_mod m[1] = { { true, "pacerLinkedCmecf", legacy_dn } };
	char *not_yet = esc_filter_eq("pacerLinkedCmecf", legacy_dn, true);
	char *guard = NULL;
	enum dir_status st = DIR_ERR_NOMEM;

	if (not_yet != NULL &&
	    asprintf(&guard, "(&(objectClass=pacerAccount)%s)", not_yet) >= 0) {
		st = dir_modify_guarded(c, pacer_dn, guard, m, 1, err);
		free(guard);
	}
	free(not_yet);
	return st;
}

/* True when L's claim was written more than LW_CLAIM_STALE_S ago (or
 * carries no readable time). */
static bool repair_claim_is_old(const struct lw_cmecf *l)
{
	time_t t;

	if (l->a.linked_time == NULL || gtime_parse(l->a.linked_time, &t) != 0)
		return true;
	return time(NULL) - t > LW_CLAIM_STALE_S;
}

/*
 * Problems left for the legacy entry LEGACY_DN (0 when complete or
 * mended). A claim the PACER side does not confirm is:
 *  - undone when that PACER account is linked to another legacy account
 *    of the court (a race loser killed before it stepped back);
 *  - finished when it is the only claim on the account in the court (a
 *    run killed between its writes: the person had confirmed);
 *  - undone when other claims compete and it is older than
 *    LW_CLAIM_STALE_S (no live run holds a claim that long), else left
 *    to the runs still deciding.
 */
int repair_legacy(struct run *r, struct dir_conn *c, const char *legacy_dn,
		  bool fix, bool quiet)
{
	struct lw_cmecf l;
	struct lw_pacer p;
	struct dir_dn_list claims = { NULL, 0, 0 };
	struct dir_error err;
	enum dir_status st;
	const char *other;
	size_t i;
	int left = 1;

	memset(&err, 0, sizeof(err));
	memset(&p, 0, sizeof(p));
	if (lw_read_cmecf(&r->cfg, c, legacy_dn, &l, &err) != DIR_OK)
		return 1;
	if (l.a.linked_pacer == NULL) {
		left = 0;
		goto done;
	}
	st = lw_read_pacer(c, l.a.linked_pacer, &p, &err);
	if (st == DIR_ERR_NO_ENTRY) {
		repair_say(r, quiet, "needs-admin",
			   "legacy account links to a missing PACER entry",
			   legacy_dn, l.a.linked_pacer);
		goto done;
	}
	if (st != DIR_OK)
		goto done;
	for (i = 0; i < p.a.n_linked; i++)
		if (esc_dn_equal(p.a.linked[i], legacy_dn) == 1) {
			left = 0;
			goto done;
		}
	other = acct_pacer_link_in(&p.a, &r->cfg, l.court);
	if (other != NULL && !repair_confirms(r, c, other, p.a.dn)) {
		/* A stale PACER side cannot decide anything: drop it first. */
		if (!fix) {
			repair_say(r, quiet, "half-link",
				   "PACER side only (legacy side "
				   "missing or names someone else)",
				   p.a.dn, other);
			goto done;
		}
		if (repair_drop_value(c, p.a.dn, other, &err) != DIR_OK) {
			repair_say(r, quiet, "repair-failed", err.detail,
				   p.a.dn, other);
			goto done;
		}
		repair_say(r, quiet, "repaired", "removed stale PACER side",
			   p.a.dn, other);
		other = NULL;
	}
	if (other != NULL) {
		if (!fix) {
			repair_say(
				r, quiet, "half-link",
				"claim of a race loser (the PACER "
				"account is linked to another legacy account of this court)",
				legacy_dn, l.a.linked_pacer);
			goto done;
		}
		st = lw_undo_legacy(c, &l, p.a.dn, &err);
		repair_say(r, quiet,
			   st == DIR_OK ? "repaired" : "repair-failed",
			   st == DIR_OK ? "removed a race loser's claim"
					: err.detail,
			   legacy_dn, l.a.linked_pacer);
		left = st == DIR_OK ? 0 : 1;
		goto done;
	}
	st = lw_claims(&r->cfg, c, l.court, p.a.dn, &claims, &err);
	if (st != DIR_OK)
		goto done;
	if (claims.n > 1) {
		if (!repair_claim_is_old(&l)) {
			repair_say(r, quiet, "in-progress",
				   "competing claims on one PACER "
				   "account, links still deciding",
				   legacy_dn, l.a.linked_pacer);
			goto done;
		}
		if (!fix) {
			repair_say(r, quiet, "half-link",
				   "competing unfinished claims on "
				   "one PACER account",
				   legacy_dn, l.a.linked_pacer);
			goto done;
		}
		st = lw_undo_legacy(c, &l, p.a.dn, &err);
		repair_say(
			r, quiet, st == DIR_OK ? "repaired" : "repair-failed",
			st == DIR_OK ? "removed an unfinished competing claim"
				     : err.detail,
			legacy_dn, l.a.linked_pacer);
		left = st == DIR_OK ? 0 : 1;
		goto done;
	}
	if (!fix) {
		repair_say(r, quiet, "half-link",
			   "legacy side only (PACER side missing)", legacy_dn,
			   l.a.linked_pacer);
		goto done;
	}
	st = repair_add_value(c, p.a.dn, legacy_dn, &err);
	if (st == DIR_OK) {
		repair_say(r, quiet, "repaired",
			   "finished half link (added PACER side)", legacy_dn,
			   l.a.linked_pacer);
		left = 0;
	} else {
		repair_say(r, quiet, "repair-failed", err.detail, legacy_dn,
			   l.a.linked_pacer);
	}
done:
	dir_dn_list_free(&claims);
	lw_cmecf_free(&l);
	lw_pacer_free(&p);
	return left;
}

/* Problems left for the PACER entry PACER_DN (0 when consistent or mended):
 * values whose legacy entry does not name it back are removed; two
 * confirmed links in one court need a person. */
int repair_pacer(struct run *r, struct dir_conn *c, const char *pacer_dn,
		 bool fix, bool quiet)
{
	struct lw_pacer p;
	struct dir_error err;
	char **courts = NULL;
	size_t n_courts = 0, i, j;
	int left = 0;

	memset(&err, 0, sizeof(err));
	if (lw_read_pacer(c, pacer_dn, &p, &err) != DIR_OK)
		return 1;
	if (p.a.n_linked > 0) {
		courts = calloc(p.a.n_linked, sizeof(*courts));
		if (courts == NULL) {
			lw_pacer_free(&p);
			return 1;
		}
	}
	for (i = 0; i < p.a.n_linked; i++) {
		struct lw_cmecf l;
		enum dir_status st =
			lw_read_cmecf(&r->cfg, c, p.a.linked[i], &l, &err);
		bool confirmed = st == DIR_OK && l.a.linked_pacer != NULL &&
				 esc_dn_equal(l.a.linked_pacer, p.a.dn) == 1;

		if (st != DIR_OK && st != DIR_ERR_NO_ENTRY) {
			repair_say(
				r, quiet, "needs-admin",
				st == DIR_ERR_PROTOCOL
					? "PACER side names an entry that is not a legacy account"
					: err.detail,
				pacer_dn, p.a.linked[i]);
			left++;
			continue;
		}
		if (confirmed) {
			/* Invariant 2: one confirmed link per court. */
			for (j = 0; j < n_courts; j++)
				if (strcmp(courts[j], l.court) == 0)
					break;
			if (j < n_courts) {
				repair_say(r, quiet, "needs-admin",
					   "PACER account linked to two legacy accounts of one court",
					   pacer_dn, p.a.linked[i]);
				left++;
			} else {
				courts[n_courts] = l.court;
				l.court = NULL;
				n_courts++;
			}
			lw_cmecf_free(&l);
			continue;
		}
		if (st == DIR_OK)
			lw_cmecf_free(&l);
		if (!fix) {
			repair_say(
				r, quiet, "half-link",
				st == DIR_ERR_NO_ENTRY
					? "PACER side names a missing legacy entry"
					: "PACER side only (legacy side missing or names someone else)",
				pacer_dn, p.a.linked[i]);
			left++;
			continue;
		}
		if (repair_drop_value(c, p.a.dn, p.a.linked[i], &err) ==
		    DIR_OK) {
			repair_say(r, quiet, "repaired",
				   "removed stale PACER side", pacer_dn,
				   p.a.linked[i]);
		} else {
			repair_say(r, quiet, "repair-failed", err.detail,
				   pacer_dn, p.a.linked[i]);
			left++;
		}
	}
	for (j = 0; j < n_courts; j++)
		free(courts[j]);
	free(courts);
	lw_pacer_free(&p);
	return left;
}
