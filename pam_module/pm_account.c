/*
 * pm_account.c - pam_sm_acct_mgmt: may this PACER account use this court's
 * system, to query or (with efile) to e-file?
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <security/pam_ext.h>
#include <security/pam_modules.h>

#include "account.h"
#include "decide.h"
#include "dir.h"
#include "escape.h"
#include "module.h"

/* Reading the records with the look-up identity (pm_server_fn). */
struct pm_lookup_job {
	const char *user_dn;
	struct pm_state *st;
};

/* Binds as the look-up identity and reads ARG's records on C. */
static enum dir_status pm_lookup_on_server(struct pm_ctx *ctx,
					   struct dir_conn *c, void *arg,
					   struct dir_error *err)
{
	struct pm_lookup_job *job = arg;
	enum dir_status st;

	st = pm_bind_lookup(ctx, c, err);
	if (st != DIR_OK)
		return st;
	return pm_read_records(ctx, c, job->user_dn, job->st, err);
}

/*
 * Makes sure the handle holds a record for the user read for this court
 * and this configuration: auth's, or one read now with the look-up
 * identity when another module authenticated or auth read for another
 * court or configuration (what that record knew about the password is
 * carried over). *out is owned by the handle. A PAM code.
 */
static int pm_account_record(struct pm_ctx *ctx, struct pm_state **out,
			     struct dir_error *err)
{
	struct pm_lookup_job job;
	struct pm_state *st = NULL, *prev = NULL;
	char *user_dn = NULL;
	enum dir_status ds;
	int rc = PAM_BUF_ERR;

	*out = pm_state_get(ctx);
	if (*out != NULL && ((*out)->have_acct || (*out)->deferred))
		return PAM_SUCCESS;
	*out = NULL;

	rc = PAM_USER_UNKNOWN;
	if (!name_is_valid_login(ctx->user)) {
		ctx->reason = "user name outside the PACER username syntax";
		return rc;
	}
	rc = PAM_BUF_ERR;
	st = pm_state_new(ctx);
	user_dn = acct_pacer_dn(&ctx->cfg, ctx->user);
	prev = pm_state_get_user(ctx);
	if (st == NULL || user_dn == NULL ||
	    (prev != NULL && pm_state_inherit(st, prev) != 0)) {
		ctx->reason = "out of memory";
		goto done;
	}
	if (prev != NULL)
		pm_debug(ctx, "the record on the handle was read for another "
			 "court or configuration: reading again");
	job.user_dn = user_dn;
	job.st = st;
	ds = pm_with_servers(ctx, pm_lookup_on_server, &job, err);
	rc = pm_status_to_pam(ctx, ds, err);
	if (rc != PAM_SUCCESS) {
		ctx->reason = ds == DIR_ERR_NO_ENTRY ? "unknown user"
			      : dir_status_name(ds);
		goto done;
	}
	if (strcmp(st->acct.uid, ctx->user) != 0) {
		ctx->reason = "entry uid differs from the name given";
		rc = PAM_USER_UNKNOWN;
		goto done;
	}
	rc = pm_state_store(ctx, st);
	st = NULL;
	if (rc == PAM_SUCCESS)
		*out = pm_state_get(ctx);
	if (*out == NULL && rc == PAM_SUCCESS)
		rc = PAM_SERVICE_ERR;
done:
	/* This module authenticated the user on this handle: whatever this
	 * configuration cannot find is no unknown user a stack may skip. */
	if (rc == PAM_USER_UNKNOWN && prev != NULL) {
		ctx->reason = "authenticated on this handle, but no record "
			      "readable for this court and configuration";
		rc = PAM_PERM_DENIED;
	}
	pm_state_free(st);
	free(user_dn);
	return rc;
}

/*
 * The efile requirement; PAM_SUCCESS when the person may e-file here,
 * else the refusal (told to them) as a PAM code.
 */
static int pm_account_efile(struct pm_ctx *ctx, const struct pm_state *st)
{
	enum decide_refusal refusal;
	char date[64];

	if (ctx->court == NULL) {
		pam_syslog(ctx->pamh, LOG_ERR,
			   "efile needs a court: court=ID or \"court\" in %s",
			   ctx->cfg.path);
		ctx->reason = "efile without a configured court";
		return PAM_SERVICE_ERR;
	}
	refusal = decide_efile(&st->acct, st->have_court ? &st->court : NULL,
			       st->linked, time(NULL));
	if (refusal == DECIDE_COURT_UNKNOWN) {
		pam_syslog(ctx->pamh, LOG_ERR, "court %s has no readable entry "
			   "under %s", ctx->court, ctx->cfg.courts_base);
		ctx->reason = "court entry missing";
		return PAM_SERVICE_ERR;
	}
	if (refusal == DECIDE_COURT_NOT_LIVE ||
	    refusal == DECIDE_COURT_NOT_SCHEDULED) {
		if (refusal == DECIDE_COURT_NOT_LIVE) {
			gtime_format_human(st->court.go_live, date,
					   sizeof(date));
			pm_say_error(ctx, PM_MSG_NOT_LIVE_DATE, date);
		} else {
			pm_say_error(ctx, PM_MSG_NOT_LIVE_NODATE);
		}
		ctx->reason = "court not live on NextGen CM/ECF";
		return PAM_PERM_DENIED;
	}
	if (refusal == DECIDE_FIRM) {
		pm_say_error(ctx, PM_MSG_FIRM);
		ctx->reason = "shared firm account cannot e-file";
		return PAM_PERM_DENIED;
	}
	if (refusal != DECIDE_OK) {
		pm_say_error(ctx, PM_MSG_NOT_LINKED);
		ctx->reason = "no complete link in this court";
		return PAM_PERM_DENIED;
	}
	return PAM_SUCCESS;
}

/*
 * The account's rules on ST, records read for this court and this
 * configuration: upgraded, and with EFILE the e-filing requirement; then
 * the exports. PAM_SUCCESS, or the refusal (told to the person) as a PAM
 * code with ctx->reason set. pam_chauthtok uses it too, for a login whose
 * records could be read only after the password change.
 */
int pm_account_decide(struct pm_ctx *ctx, const struct pm_state *st,
		      bool efile)
{
	enum decide_refusal refusal;
	int rc = PAM_PERM_DENIED;

	if (!st->have_acct) {
		ctx->reason = "no record read for this court and configuration";
		return PAM_SERVICE_ERR;
	}
	refusal = decide_login_account(&st->acct);
	if (refusal == DECIDE_NOT_UPGRADED) {
		pm_say_error(ctx, PM_MSG_NOT_UPGRADED);
		ctx->reason = "account not upgraded";
		return rc;
	}
	if (refusal != DECIDE_OK) {
		/* One rule with cmecf-link: an unknown type is no account. */
		pm_say_error(ctx, PM_MSG_TYPE_UNKNOWN);
		ctx->reason = "account type neither individual nor firm";
		return rc;
	}
	if (efile) {
		rc = pm_account_efile(ctx, st);
		if (rc != PAM_SUCCESS)
			return rc;
	}
	rc = pm_export(ctx, st);
	if (rc != PAM_SUCCESS)
		ctx->reason = "cannot export the environment";
	return rc;
}

/* pam_sm_acct_mgmt's work; a PAM code. */
int pm_account(struct pm_ctx *ctx)
{
	struct pm_state *st = NULL;
	struct dir_error err;
	int rc = PAM_SERVICE_ERR;

	memset(&err, 0, sizeof(err));
	dir_deadline_start(&ctx->dl, ctx->cfg.login_budget_ms);
	rc = pm_account_record(ctx, &st, &err);
	if (rc != PAM_SUCCESS)
		goto done;
	memset(&err, 0, sizeof(err));

	if (st->deferred) {
		/* A reset password, and nothing the module may read before
		 * the change: pam_chauthtok decides on what it reads after
		 * the change, with what this call requires. */
		st->want_efile = st->want_efile || ctx->opt.efile;
		pm_say_error(ctx, PM_MSG_MUST_CHANGE);
		ctx->reason = "password reset, must be changed first; the "
			      "account is decided after the change";
		rc = PAM_NEW_AUTHTOK_REQD;
		goto done;
	}
	rc = pm_account_decide(ctx, st, ctx->opt.efile);
	if (rc != PAM_SUCCESS)
		goto done;
	if (st->must_change) {
		pm_say_error(ctx, PM_MSG_MUST_CHANGE);
		ctx->reason = "password must be changed first";
		rc = PAM_NEW_AUTHTOK_REQD;
		goto done;
	}
	ctx->reason = pm_may_efile(ctx, st) ? "access: efile" : "access: query";
	rc = PAM_SUCCESS;
done:
	/* A refusal leaves nothing exported, whichever call exported it. */
	if (rc != PAM_SUCCESS && rc != PAM_NEW_AUTHTOK_REQD)
		(void)pm_export_clear(ctx);
	rc = pm_ignore_remap(ctx, rc);
	pm_log_outcome(ctx, rc, &err);
	return rc;
}
