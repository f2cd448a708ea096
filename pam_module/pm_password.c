/*
 * pm_password.c - pam_sm_chauthtok: change the PACER password with the
 * LDAP Password Modify extended operation (RFC 3062), bound as the user,
 * so the server's own password policy decides and explains.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <security/pam_ext.h>
#include <security/pam_modules.h>

#include "account.h"
#include "dir.h"
#include "escape.h"
#include "module.h"
#include "secret.h"

/* One change, handed to each server in turn. */
struct pm_passwd_job {
	const char *user_dn;
	const char *oldpw;
	const char *newpw;
	struct dir_ppolicy pp;
	bool bound;		/* the old password was accepted */
	struct pm_state *st;	/* not NULL: read the records after the change */
	enum dir_status read_st;	/* how reading them went */
	struct dir_error read_err;
};

/* Binds with the old password and changes it (pm_server_fn). */
static enum dir_status pm_passwd_on_server(struct pm_ctx *ctx,
					   struct dir_conn *c, void *arg,
					   struct dir_error *err)
{
	struct pm_passwd_job *job = arg;
	enum dir_status st;

	job->bound = false;
	st = dir_bind(c, job->user_dn, job->oldpw, &job->pp, err);
	if (st != DIR_OK) {
		if (st == DIR_ERR_CREDENTIALS)
			ctx->reason = "current password wrong";
		return st;
	}
	job->bound = true;
	st = dir_passwd(c, job->user_dn, job->oldpw, job->newpw, err);
	if (st != DIR_OK && !dir_status_retryable(st))
		ctx->reason = "refused by the server";
	if (st != DIR_OK || job->st == NULL)
		return st;
	/* Changed: from here on nothing is retried on another server. The
	 * new password lifts the reset's restriction, so the records can
	 * be read as the user now. */
	job->read_st = dir_bind(c, job->user_dn, job->newpw, NULL,
				&job->read_err);
	if (job->read_st == DIR_OK)
		job->read_st = pm_read_records(ctx, c, job->user_dn, job->st,
					       &job->read_err);
	return DIR_OK;
}

/*
 * After the password of a login whose records no identity could read
 * before (pm_state.deferred) was changed: the account's decision on the
 * records read after the change, with what account required (PREV is the
 * handle's record). NEW is handed to the handle; *err gets what went
 * wrong reading. A PAM code; never
 * PAM_SUCCESS without the records.
 */
static int pm_passwd_decide(struct pm_ctx *ctx, struct pm_passwd_job *job,
			    struct pm_state *prev, struct pm_state *new,
			    struct dir_error *err)
{
	bool efile = ctx->opt.efile || prev->want_efile;
	int rc;

	if (job->read_st != DIR_OK) {
		*err = job->read_err;
		ctx->reason = "password changed; records not readable after it";
		pm_state_free(new);
		return job->read_st == DIR_ERR_NO_ENTRY ? PAM_PERM_DENIED
		       : pm_status_to_pam(ctx, job->read_st, &job->read_err);
	}
	if (strcmp(new->acct.uid, ctx->user) != 0) {
		ctx->reason = "password changed; entry uid differs from the "
			      "name given";
		pm_state_free(new);
		return PAM_PERM_DENIED;
	}
	new->client_code = prev->client_code;
	prev->client_code = NULL;
	rc = pm_state_store(ctx, new);	/* frees PREV */
	if (rc != PAM_SUCCESS) {
		ctx->reason = "cannot keep the account record";
		return rc;
	}
	new = pm_state_get(ctx);
	if (new == NULL)
		return PAM_SERVICE_ERR;
	rc = pm_account_decide(ctx, new, efile);
	if (rc != PAM_SUCCESS)
		(void)pm_export_clear(ctx);
	if (rc == PAM_SUCCESS)
		ctx->reason = pm_may_efile(ctx, new)
			      ? "password changed; access: efile"
			      : "password changed; access: query";
	return rc;
}

/* The current password: PAM_OLDAUTHTOK, else asked. *pw owned by PAM. */
static int pm_passwd_old(struct pm_ctx *ctx, const char **pw)
{
	int rc = pam_get_authtok(ctx->pamh, PAM_OLDAUTHTOK, pw, PM_PROMPT_OLD);

	if (rc == PAM_SUCCESS && (*pw == NULL || (*pw)[0] == '\0'))
		rc = PAM_AUTH_ERR;
	if (rc != PAM_SUCCESS)
		ctx->reason = "no current password";
	return rc;
}

/* The preliminary pass: the name is ours and the old password is known. */
static int pm_passwd_prelim(struct pm_ctx *ctx)
{
	const char *old = NULL;
	int rc;

	if (!name_is_valid_login(ctx->user)) {
		ctx->reason = "user name outside the PACER username syntax";
		return PAM_USER_UNKNOWN;
	}
	rc = pm_passwd_old(ctx, &old);
	if (rc == PAM_SUCCESS)
		ctx->reason = "current password collected";
	return rc;
}

/* The update pass: asks the new password twice and changes it. */
static int pm_passwd_update(struct pm_ctx *ctx)
{
	struct pm_passwd_job job;
	struct dir_error err;
	struct pm_state *st, *prev;
	char *user_dn = NULL;
	const char *old = NULL, *new = NULL;
	enum dir_status ds;
	int rc = PAM_AUTHTOK_ERR;

	memset(&err, 0, sizeof(err));
	memset(&job, 0, sizeof(job));
	if (!name_is_valid_login(ctx->user)) {
		ctx->reason = "user name outside the PACER username syntax";
		rc = PAM_USER_UNKNOWN;
		goto done;
	}
	rc = pm_passwd_old(ctx, &old);
	if (rc != PAM_SUCCESS)
		goto done;
	rc = pam_get_authtok_noverify(ctx->pamh, &new, PM_PROMPT_NEW);
	if (rc == PAM_SUCCESS)
		rc = pam_get_authtok_verify(ctx->pamh, &new, PM_PROMPT_RETYPE);
	if (rc != PAM_SUCCESS) {
		ctx->reason = "new password not confirmed";
		goto done;
	}
	rc = PAM_AUTHTOK_ERR;
	if (new == NULL || new[0] == '\0') {
		ctx->reason = "empty new password";
		goto done;
	}
	if (strnlen(new, SECRET_MAX_LEN + 1) > SECRET_MAX_LEN) {
		ctx->reason = "new password longer than 512 bytes";
		goto done;
	}
	if (strcmp(new, old) == 0) {
		pm_say_error(ctx, PM_MSG_SAME_PASSWORD);
		ctx->reason = "new password equals the current one";
		goto done;
	}

	rc = PAM_BUF_ERR;
	user_dn = acct_pacer_dn(&ctx->cfg, ctx->user);
	if (user_dn == NULL) {
		ctx->reason = "out of memory";
		goto done;
	}
	job.user_dn = user_dn;
	job.oldpw = old;
	job.newpw = new;
	prev = pm_state_get_user(ctx);
	if (prev != NULL && prev->deferred) {
		/* Account is waiting for this change to decide. Only a call
		 * for the court and configuration that authenticated may
		 * read what it decides on. */
		if (pm_state_get(ctx) != prev) {
			ctx->reason = "account decision pending for another "
				      "court or configuration";
			rc = PAM_PERM_DENIED;
			goto done;
		}
		job.st = pm_state_new(ctx);
		if (job.st == NULL) {
			ctx->reason = "out of memory";
			goto done;
		}
	}
	dir_deadline_start(&ctx->dl, ctx->cfg.login_budget_ms);
	ds = pm_with_servers(ctx, pm_passwd_on_server, &job, &err);
	rc = pm_status_to_pam(ctx, ds, &err);
	if (rc != PAM_SUCCESS) {
		if (!job.bound && job.pp.present &&
		    job.pp.error == PP_accountLocked)
			pm_say_error(ctx, PM_MSG_LOCKED);
		else if (!job.bound && job.pp.present &&
			 job.pp.error == PP_passwordExpired)
			pm_say_error(ctx, PM_MSG_EXPIRED);
		else if (job.bound && (ds == DIR_ERR_POLICY ||
				       ds == DIR_ERR_PROTOCOL ||
				       ds == DIR_ERR_CONFLICT)) {
			char clean[AUDIT_FIELD_LEN * 2];

			pm_say_error(ctx, PM_MSG_REFUSED,
				     audit_clean(clean, sizeof(clean),
						 err.detail));
			rc = PAM_AUTHTOK_ERR;
		}
		if (ctx->reason == NULL)
			ctx->reason = dir_status_name(ds);
		goto done;
	}
	pm_say_info(ctx, PM_MSG_CHANGED);
	ctx->reason = "password changed";
	memset(&err, 0, sizeof(err));
	if (job.st != NULL && prev != NULL) {	/* job.st is set only with PREV */
		rc = pm_passwd_decide(ctx, &job, prev, job.st, &err);
		job.st = NULL;
		goto done;
	}
	st = pm_state_get_user(ctx);
	if (st != NULL)
		st->must_change = false;
done:
	if (rc == PAM_AUTH_ERR)
		(void)pam_fail_delay(ctx->pamh, PM_FAIL_DELAY_USEC);
	pm_log_outcome(ctx, rc, &err);
	pm_state_free(job.st);
	free(user_dn);
	return rc;
}

/* pam_sm_chauthtok's work for either pass; a PAM code. */
int pm_password(struct pm_ctx *ctx)
{
	int rc;

	if ((ctx->flags & PAM_PRELIM_CHECK) != 0) {
		rc = pm_ignore_remap(ctx, pm_passwd_prelim(ctx));
		if (rc != PAM_SUCCESS)
			pm_log_outcome(ctx, rc, NULL);
		return rc;
	}
	if ((ctx->flags & PAM_UPDATE_AUTHTOK) != 0) {
		rc = pm_passwd_update(ctx);
		rc = pm_ignore_remap(ctx, rc);
		return rc;
	}
	ctx->reason = "neither PAM_PRELIM_CHECK nor PAM_UPDATE_AUTHTOK";
	pm_log_outcome(ctx, PAM_SERVICE_ERR, NULL);
	return PAM_SERVICE_ERR;
}
