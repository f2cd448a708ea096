/*
 * decide.h - the rules the module and cmecf-link apply to records: is the
 * court live, may this PACER account be linked, is this legacy account
 * free, may the person e-file. Pure functions of the records, the
 * configuration's bases and a time: no I/O, no logging, no exit. Each
 * caller turns a refusal into its own message, code and log reason.
 */
#ifndef PACER_DECIDE_H
#define PACER_DECIDE_H

#include <stdbool.h>
#include <time.h>

#include "account.h"
#include "config.h"

/* What a rule says; DECIDE_OK allows, every other value refuses. */
enum decide_refusal {
	DECIDE_OK = 0,
	DECIDE_COURT_UNKNOWN,		/* no court entry */
	DECIDE_COURT_NOT_LIVE,		/* go-live date still ahead */
	DECIDE_COURT_NOT_SCHEDULED,	/* no (valid) go-live date */
	DECIDE_FIRM,			/* a shared firm account */
	DECIDE_TYPE_UNKNOWN,		/* neither individual nor firm */
	DECIDE_NOT_UPGRADED,		/* pacerUpgraded not TRUE */
	DECIDE_LEGACY_LINKED_SELF,	/* names this PACER account */
	DECIDE_LEGACY_LINKED_OTHER,	/* names another */
	DECIDE_PACER_LINKED_IN_COURT,	/* PACER side names a legacy
					 * account of this court */
	DECIDE_NOT_LINKED,		/* no link here from both sides */
};

/* DECIDE_OK when court C is live at NOW (go-live not after NOW), else
 * COURT_UNKNOWN (C NULL), COURT_NOT_LIVE or COURT_NOT_SCHEDULED. */
enum decide_refusal decide_court(const struct pacer_court *c, time_t now);

/* Whether A may be linked by cmecf-link, in the helper's order: FIRM,
 * TYPE_UNKNOWN, NOT_UPGRADED, else DECIDE_OK. */
enum decide_refusal decide_link_account(const struct pacer_account *a);

/* Whether A may log in at all (query), in the module's order:
 * NOT_UPGRADED, TYPE_UNKNOWN, else DECIDE_OK (a firm account may query). */
enum decide_refusal decide_login_account(const struct pacer_account *a);

/* Whether legacy account L is free to be linked to A: DECIDE_OK when L
 * names no PACER account, else LEGACY_LINKED_SELF (it names A) or
 * LEGACY_LINKED_OTHER. */
enum decide_refusal decide_legacy_free(const struct cmecf_account *l,
				       const struct pacer_account *a);

/* Whether A's PACER side names no legacy account of COURT: DECIDE_OK, or
 * PACER_LINKED_IN_COURT with *other (when OTHER is not NULL) set to the
 * first such DN, owned by A. */
enum decide_refusal decide_pacer_free(const struct pacer_account *a,
				      const struct cfg *cfg, const char *court,
				      const char **other);

/* True when A and L are linked in COURT from both sides: L is of COURT,
 * L names A, and A's side in COURT names L. */
bool decide_link_complete(const struct pacer_account *a,
			  const struct cmecf_account *l,
			  const struct cfg *cfg, const char *court);

/* Whether A may e-file in court C at NOW, LINKED saying whether
 * decide_link_complete held for A's link there: the login rules, then
 * the court's (decide_court), then FIRM for any account not individual,
 * then NOT_LINKED; DECIDE_OK when all hold. */
enum decide_refusal decide_efile(const struct pacer_account *a,
				 const struct pacer_court *c, bool linked,
				 time_t now);

#endif
