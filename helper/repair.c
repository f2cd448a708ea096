/*
 * repair.c - finding and mending half links (invariant 3 of SPEC.md):
 * used by --check, and by a link run for the entries it touches.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "cmecf_link.h"

/* Prints one finding unless QUIET; always logs it. */
static void repair_say(struct run *r, bool quiet, const char *outcome, const char *what,
		       const char *a, const char *b)
{
	if (!quiet)
		(void)printf("%s: %s: %s -> %s\n", outcome, what, a, b);
	run_log(r, LOG_NOTICE, outcome, "%s: %s -> %s", what, a, b);
}

/* Problems left for the legacy entry LEGACY_DN (0 when complete or mended). */
int repair_legacy(struct run *r, struct dir_conn *c, const char *legacy_dn,
		  bool fix, bool quiet)
{
	struct lw_cmecf l;
	struct lw_pacer p;
	struct dir_error err;
	enum dir_status st;
	const char *other;
	size_t i;
	int left = 1;
	bool back = false;

	memset(&err, 0, sizeof(err));
	memset(&p, 0, sizeof(p));
	if (lw_read_cmecf(r, c, legacy_dn, &l, &err) != DIR_OK)
		return 1;
	if (l.a.linked_pacer == NULL) {
		left = 0;
		goto done;
	}
	st = lw_read_pacer(c, l.a.linked_pacer, &p, &err);
	if (st == DIR_ERR_NO_ENTRY) {
		repair_say(r, quiet, "needs-admin", "legacy account links to a missing PACER entry",
			   legacy_dn, l.a.linked_pacer);
		goto done;
	}
	if (st != DIR_OK)
		goto done;
	for (i = 0; i < p.a.n_linked; i++)
		if (esc_dn_equal(p.a.linked[i], legacy_dn) == 1)
			back = true;
	if (back) {
		left = 0;
		goto done;
	}
	other = l.court != NULL ? acct_pacer_link_in(&p.a, &r->cfg, l.court) : NULL;
	if (other != NULL || l.court == NULL) {
		repair_say(r, quiet, "needs-admin",
			   "half link: the PACER account is linked to another legacy account of this court",
			   legacy_dn, l.a.linked_pacer);
		goto done;
	}
	if (!fix) {
		repair_say(r, quiet, "half-link", "legacy side only (PACER side missing)",
			   legacy_dn, l.a.linked_pacer);
		goto done;
	}
	{
		char *v[2] = { (char *)legacy_dn, NULL };
		LDAPMod m = { LDAP_MOD_ADD, (char *)"pacerLinkedCmecf", { .modv_strvals = v } };
		LDAPMod *mods[2] = { &m, NULL };
		struct lw_change ch = { p.a.dn, p.csn, mods };
		size_t applied;

		if (lw_apply(c, &ch, 1, &applied, &err) == DIR_OK) {
			repair_say(r, quiet, "repaired", "finished half link (added PACER side)",
				   legacy_dn, l.a.linked_pacer);
			left = 0;
		} else {
			repair_say(r, quiet, "repair-failed", err.detail, legacy_dn,
				   l.a.linked_pacer);
		}
	}
done:
	lw_cmecf_free(&l);
	lw_pacer_free(&p);
	return left;
}

/* Removes VALUE from PACER_DN's pacerLinkedCmecf if the entry is still at
 * CSN; 0 or -1. */
static int repair_drop_value(struct dir_conn *c, const char *pacer_dn,
			     const char *csn, const char *value, struct dir_error *err)
{
	char *v[2] = { (char *)value, NULL };
	LDAPMod m = { LDAP_MOD_DELETE, (char *)"pacerLinkedCmecf", { .modv_strvals = v } };
	LDAPMod *mods[2] = { &m, NULL };
	struct lw_change ch = { pacer_dn, csn, mods };
	size_t applied;

	return lw_apply(c, &ch, 1, &applied, err) == DIR_OK ? 0 : -1;
}

/* Problems left for the PACER entry PACER_DN (0 when consistent or mended). */
int repair_pacer(struct run *r, struct dir_conn *c, const char *pacer_dn,
		 bool fix, bool quiet)
{
	struct lw_pacer p;
	struct dir_error err;
	char *courts[ACCT_MAX_LINKS];
	size_t n_courts = 0, i, j;
	int left = 0, rounds = 0;

again:
	memset(&err, 0, sizeof(err));
	if (lw_read_pacer(c, pacer_dn, &p, &err) != DIR_OK)
		return 1;
	for (i = 0; i < p.a.n_linked; i++) {
		struct lw_cmecf l;
		enum dir_status st = lw_read_cmecf(r, c, p.a.linked[i], &l, &err);
		bool confirmed = st == DIR_OK && l.a.linked_pacer != NULL &&
				 esc_dn_equal(l.a.linked_pacer, p.a.dn) == 1;

		if (st != DIR_OK && st != DIR_ERR_NO_ENTRY) {
			left++;
			continue;
		}
		if (confirmed) {
			/* Invariant 2: one confirmed link per court. */
			for (j = 0; j < n_courts; j++)
				if (l.court != NULL && strcmp(courts[j], l.court) == 0)
					break;
			if (j < n_courts) {
				repair_say(r, quiet, "needs-admin",
					   "PACER account linked to two legacy accounts of one court",
					   pacer_dn, p.a.linked[i]);
				left++;
			} else if (l.court != NULL && n_courts < ACCT_MAX_LINKS) {
				courts[n_courts++] = strdup(l.court);
				if (courts[n_courts - 1] == NULL)
					n_courts--;
			}
			lw_cmecf_free(&l);
			continue;
		}
		if (st == DIR_OK)
			lw_cmecf_free(&l);
		if (!fix) {
			repair_say(r, quiet, "half-link",
				   st == DIR_ERR_NO_ENTRY ? "PACER side names a missing legacy entry"
				   : "PACER side only (legacy side missing or names someone else)",
				   pacer_dn, p.a.linked[i]);
			left++;
			continue;
		}
		if (repair_drop_value(c, p.a.dn, p.csn, p.a.linked[i], &err) == 0) {
			repair_say(r, quiet, "repaired", "removed stale PACER side",
				   pacer_dn, p.a.linked[i]);
		} else {
			repair_say(r, quiet, "repair-failed", err.detail, pacer_dn,
				   p.a.linked[i]);
			left++;
			continue;
		}
		/* The entry changed: start over with its new entryCSN. */
		lw_pacer_free(&p);
		for (j = 0; j < n_courts; j++)
			free(courts[j]);
		n_courts = 0;
		if (++rounds < ACCT_MAX_LINKS) {
			left = 0;
			goto again;
		}
		return left + 1;
	}
	lw_pacer_free(&p);
	for (j = 0; j < n_courts; j++)
		free(courts[j]);
	return left;
}
