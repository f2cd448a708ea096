/*
 * decide.c - the rules on records that cmecf-link and the module share
 * (decide.h). Anything unknown or malformed in a record refuses.
 */
#include <stdlib.h>

#include "decide.h"
#include "escape.h"

/* DECIDE_OK when C is live at NOW; else why not. */
enum decide_refusal decide_court(const struct pacer_court *c, time_t now)
{
	if (c == NULL)
		return DECIDE_COURT_UNKNOWN;
	if (!c->scheduled)
		return DECIDE_COURT_NOT_SCHEDULED;
	if (c->go_live > now)
		return DECIDE_COURT_NOT_LIVE;
	return DECIDE_OK;
}

/* DECIDE_OK when A may be linked; else the first refusal, helper order. */
enum decide_refusal decide_link_account(const struct pacer_account *a)
{
	if (a == NULL)
		return DECIDE_TYPE_UNKNOWN;
	if (a->type == ACCT_TYPE_FIRM)
		return DECIDE_FIRM;
	if (a->type != ACCT_TYPE_INDIVIDUAL)
		return DECIDE_TYPE_UNKNOWN;
	if (a->upgraded != 1)
		return DECIDE_NOT_UPGRADED;
	return DECIDE_OK;
}

/* DECIDE_OK when A may log in (query); else the first refusal, module
 * order. */
enum decide_refusal decide_login_account(const struct pacer_account *a)
{
	if (a == NULL)
		return DECIDE_TYPE_UNKNOWN;
	if (a->upgraded != 1)
		return DECIDE_NOT_UPGRADED;
	if (a->type != ACCT_TYPE_INDIVIDUAL && a->type != ACCT_TYPE_FIRM)
		return DECIDE_TYPE_UNKNOWN;
	return DECIDE_OK;
}

/* DECIDE_OK when L names no PACER account; else whose it names. */
enum decide_refusal decide_legacy_free(const struct cmecf_account *l,
				       const struct pacer_account *a)
{
	if (l == NULL || l->linked_pacer == NULL)
		return DECIDE_OK;
	if (a != NULL && esc_dn_equal(l->linked_pacer, a->dn) == 1)
		return DECIDE_LEGACY_LINKED_SELF;
	return DECIDE_LEGACY_LINKED_OTHER;
}

/* DECIDE_OK when A names no legacy account of COURT; *other the first. */
enum decide_refusal decide_pacer_free(const struct pacer_account *a,
				      const struct cfg *cfg, const char *court,
				      const char **other)
{
	const char *dn = NULL;

	if (a != NULL)
		dn = acct_pacer_link_in(a, cfg, court);
	if (other != NULL)
		*other = dn;
	return dn != NULL ? DECIDE_PACER_LINKED_IN_COURT : DECIDE_OK;
}

/* True when DN is an entry of COURT's legacy container. */
static bool decide_in_court(const char *dn, const struct cfg *cfg,
			    const char *court)
{
	char *container = acct_cmecf_container(cfg, court), *uid = NULL;
	bool in = false;

	if (container != NULL)
		in = esc_dn_child_value(dn, "uid", container, &uid) == 0;
	free(uid);
	free(container);
	return in;
}

/* True when A and L are linked in COURT, each naming the other. */
bool decide_link_complete(const struct pacer_account *a,
			  const struct cmecf_account *l,
			  const struct cfg *cfg, const char *court)
{
	const char *mine;

	/* Cheapest first: the module asks this of every legacy entry that
	 * names the person, one per court they are linked in. */
	if (a == NULL || l == NULL || l->dn == NULL ||
	    l->linked_pacer == NULL || !decide_in_court(l->dn, cfg, court))
		return false;
	if (esc_dn_equal(l->linked_pacer, a->dn) != 1)
		return false;
	mine = acct_pacer_link_in(a, cfg, court);
	return mine != NULL && esc_dn_equal(mine, l->dn) == 1;
}

/* DECIDE_OK when A may e-file in C at NOW; else the first refusal. */
enum decide_refusal decide_efile(const struct pacer_account *a,
				 const struct pacer_court *c, bool linked,
				 time_t now)
{
	enum decide_refusal r = decide_login_account(a);

	if (r == DECIDE_OK)
		r = decide_court(c, now);
	if (r != DECIDE_OK)
		return r;
	if (a->type != ACCT_TYPE_INDIVIDUAL)
		return DECIDE_FIRM;
	return linked ? DECIDE_OK : DECIDE_NOT_LINKED;
}
