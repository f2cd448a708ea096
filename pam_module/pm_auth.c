/*
 * pm_auth.c - pam_sm_authenticate: prove a PACER password by binding as
 * the user's own entry, confirm who the server thinks we are, read the
 * records account needs, and tell a legacy CM/ECF login what to do.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <security/pam_ext.h>
#include <security/pam_modules.h>

#include "account.h"
#include "dir.h"
#include "escape.h"
#include "module.h"
#include "secret.h"

/* What a correct legacy pair learned about its link. UNREADABLE: no
 * identity the module holds may read it (anonymous look-ups, and a reset
 * legacy password that allows nothing but its change). */
enum pm_legacy {
	PM_LEGACY_NONE,
	PM_LEGACY_LINKED,
	PM_LEGACY_UNLINKED,
	PM_LEGACY_UNREADABLE,
};

/* One login's work, handed to each server in turn. */
struct pm_auth_job {
	const char *password;		/* PAM_AUTHTOK, owned by PAM */
	const char *user_dn;
	struct pm_state *st;		/* filled on success */
	struct dir_ppolicy pp;		/* the user's bind's policy answer */
	enum pm_legacy legacy;		/* a correct legacy pair was given */
	bool reset;			/* bound, but must change first */
	bool deferred;			/* reset, records unreadable until changed */
};

/*
 * Asks for the password as the arguments say: use_first_pass takes only
 * what an earlier module stored; try_first_pass takes it when there is
 * one, else asks; neither asks afresh. *pw is owned by PAM. A PAM code.
 */
static int pm_auth_get_password(struct pm_ctx *ctx, const char **pw)
{
	const void *item = NULL;
	char *resp = NULL;
	int rc;

	*pw = NULL;
	if (ctx->opt.use_first_pass || ctx->opt.try_first_pass) {
		rc = pam_get_authtok(ctx->pamh, PAM_AUTHTOK, pw,
				     PM_PROMPT_PASSWORD);
		if (rc == PAM_SUCCESS && *pw == NULL)
			rc = PAM_AUTH_ERR;
		if (rc != PAM_SUCCESS)
			ctx->reason = "no password from an earlier module";
		return rc;
	}
	rc = pam_prompt(ctx->pamh, PAM_PROMPT_ECHO_OFF, &resp, "%s",
			PM_PROMPT_PASSWORD);
	if (rc != PAM_SUCCESS || resp == NULL) {
		ctx->reason = "conversation gave no password";
		return rc == PAM_SUCCESS ? PAM_CONV_ERR : rc;
	}
	rc = pam_set_item(ctx->pamh, PAM_AUTHTOK, resp);
	secret_free(resp);
	if (rc == PAM_SUCCESS)
		rc = pam_get_item(ctx->pamh, PAM_AUTHTOK, &item);
	if (rc == PAM_SUCCESS && item == NULL)
		rc = PAM_AUTH_ERR;
	if (rc != PAM_SUCCESS) {
		ctx->reason = "cannot keep the password";
		return rc;
	}
	*pw = item;
	return PAM_SUCCESS;
}

/*
 * Asks for the optional client code (echo on). *code is NULL when none
 * was given, else a heap copy the caller frees. A PAM code.
 */
static int pm_auth_client_code(struct pm_ctx *ctx, char **code)
{
	char *resp = NULL;
	size_t i, len;
	int rc;

	*code = NULL;
	rc = pam_prompt(ctx->pamh, PAM_PROMPT_ECHO_ON, &resp, "%s",
			PM_PROMPT_CLIENT_CODE);
	if (rc != PAM_SUCCESS) {
		ctx->reason = "conversation failed at the client code";
		return rc;
	}
	if (resp == NULL || resp[0] == '\0') {
		free(resp);
		return PAM_SUCCESS;
	}
	len = strlen(resp);
	for (i = 0; i < len; i++)
		if ((unsigned char)resp[i] < 0x20 ||
		    (unsigned char)resp[i] > 0x7e)
			break;
	if (len > PM_CLIENT_CODE_MAX || i < len) {
		secret_free(resp);
		pm_say_error(ctx, PM_MSG_CLIENT_CODE);
		ctx->reason = "malformed client code";
		return PAM_AUTH_ERR;
	}
	*code = resp;
	return PAM_SUCCESS;
}

/*
 * Whether the legacy entry DN names a PACER entry, read with C's identity
 * (the look-up account, or the legacy account itself). DIR_OK with *link
 * LINKED or UNLINKED; any failure leaves *link UNREADABLE: what could not
 * be read is never reported as "not linked".
 */
static enum dir_status pm_auth_legacy_link(struct dir_conn *c, const char *dn,
					   enum pm_legacy *link,
					   struct dir_error *err)
{
	struct cmecf_account legacy;
	enum dir_status st;

	*link = PM_LEGACY_UNREADABLE;
	st = acct_cmecf_read(c, dn, &legacy, err);
	if (st == DIR_OK) {
		*link = legacy.linked_pacer != NULL ? PM_LEGACY_LINKED
			: PM_LEGACY_UNLINKED;
		acct_cmecf_free(&legacy);
	}
	return st;
}

/*
 * Reads this court's entry with C's identity into *live (whether it is
 * live now) and *found. DIR_OK, or the server's failure.
 */
static enum dir_status pm_auth_court_live(struct pm_ctx *ctx,
					  struct dir_conn *c, bool *found,
					  bool *live, struct dir_error *err)
{
	struct pacer_court court;
	enum dir_status st;

	*live = false;
	st = pm_read_court(ctx, c, &court, found, err);
	if (st == DIR_OK && *found) {
		*live = court_is_live(&court, time(NULL));
		acct_court_free(&court);
	}
	return st;
}

/*
 * After a failed PACER bind: whether NAME is a legacy login of this live
 * court with this same password. DIR_ERR_CREDENTIALS (with job->legacy
 * set) when it is, DIR_ERR_NO_ENTRY when not, else a server failure.
 *
 * The court is read with the look-up identity first; anonymous look-ups
 * may see nothing, and then it is read as the legacy account once its
 * bind succeeded. The link is read with the look-up account when there is
 * one, else as the legacy account. A reset legacy password allows its
 * account nothing but the change: with anonymous look-ups neither the
 * court nor the link can then be read, and job->legacy says UNREADABLE.
 */
static enum dir_status pm_auth_legacy(struct pm_ctx *ctx, struct dir_conn *c,
				      struct pm_auth_job *job,
				      struct dir_error *err)
{
	struct dir_ppolicy lpp;
	struct dir_error lerr;
	char *dn = NULL;
	bool found = false, live = false, reset;
	bool anon = ctx->cfg.binddn == NULL;
	enum pm_legacy link = PM_LEGACY_UNREADABLE;
	enum dir_status st;

	memset(&lerr, 0, sizeof(lerr));
	memset(&lpp, 0, sizeof(lpp));
	st = pm_auth_court_live(ctx, c, &found, &live, err);
	if (st != DIR_OK)
		return st;
	if (found && !live)
		return DIR_ERR_NO_ENTRY;	/* the old system still takes them */
	if (!found && !anon) {
		pm_debug(ctx, "court %s not readable: no legacy check",
			 ctx->court);
		return DIR_ERR_NO_ENTRY;
	}

	st = DIR_ERR_NOMEM;
	dn = acct_cmecf_dn(&ctx->cfg, ctx->court, ctx->user);
	if (dn == NULL)
		goto done;
	st = dir_bind(c, dn, job->password, &lpp, &lerr);
	if (st == DIR_ERR_CREDENTIALS || st == DIR_ERR_NO_ENTRY) {
		st = DIR_ERR_NO_ENTRY;
		goto done;
	}
	if (st != DIR_OK) {
		*err = lerr;
		goto done;
	}
	/* The pair is right; the person is told what to use instead. */
	reset = lpp.present && lpp.error == PP_changeAfterReset;
	if (!found && !reset) {
		st = pm_auth_court_live(ctx, c, &found, &live, err);
		if (st != DIR_OK)
			goto done;
		if (!found || !live) {
			pm_debug(ctx, "court %s %s: no legacy message",
				 ctx->court,
				 found ? "not live" : "not readable");
			st = DIR_ERR_NO_ENTRY;
			goto done;
		}
	}
	if (!anon) {
		st = pm_bind_lookup(ctx, c, err);
		if (st != DIR_OK)
			goto done;
	}
	if (!anon || !reset) {
		st = pm_auth_legacy_link(c, dn, &link, &lerr);
		if (st != DIR_OK)
			pm_debug(ctx, "legacy entry %s: link not readable (%s)",
				 dn, dir_status_name(st));
	}
	job->legacy = link;
	ctx->reason = link == PM_LEGACY_LINKED
		      ? "legacy CM/ECF login (linked) refused after go-live"
		      : link == PM_LEGACY_UNLINKED
		      ? "legacy CM/ECF login (not linked) refused after go-live"
		      : "legacy CM/ECF login refused (its court or link not "
			"readable)";
	st = DIR_ERR_CREDENTIALS;
done:
	free(dn);
	return st;
}

/*
 * The PACER bind failed with invalidCredentials: tells a wrong password
 * (DIR_ERR_CREDENTIALS) from an unknown user (DIR_ERR_NO_ENTRY) by
 * reading the entry with the look-up identity. Anonymous look-ups see
 * only what the directory shows everyone: an entry they cannot find may
 * be there all the same, so then the answer is DIR_ERR_CREDENTIALS, never
 * the unknown user a stack may skip.
 */
static enum dir_status pm_auth_failed(struct pm_ctx *ctx, struct dir_conn *c,
				      struct pm_auth_job *job,
				      struct dir_error *err)
{
	static char *const no_attrs[] = { "1.1", NULL };
	struct dir_error bind_err = *err;
	enum dir_status st, unknown;

	if (job->pp.present && job->pp.error == PP_accountLocked) {
		ctx->reason = "account locked by password policy";
		return DIR_ERR_CREDENTIALS;
	}
	if (job->pp.present && job->pp.error == PP_passwordExpired) {
		ctx->reason = "password expired";
		return DIR_ERR_CREDENTIALS;
	}
	st = pm_bind_lookup(ctx, c, err);
	if (st != DIR_OK)
		return st;
	st = dir_read_entry(c, job->user_dn, "(objectClass=*)", no_attrs, NULL,
			    NULL, err);
	if (st == DIR_OK) {
		*err = bind_err;
		ctx->reason = "wrong password";
		return DIR_ERR_CREDENTIALS;
	}
	if (st != DIR_ERR_NO_ENTRY)
		return st;
	if (ctx->cfg.binddn == NULL) {
		ctx->reason = "wrong password or unknown user (anonymous "
			      "look-ups cannot tell)";
		unknown = DIR_ERR_CREDENTIALS;
		*err = bind_err;
	} else {
		ctx->reason = "unknown user";
		unknown = DIR_ERR_NO_ENTRY;
	}
	if (ctx->court == NULL)
		return unknown;
	st = pm_auth_legacy(ctx, c, job, err);
	if (st == DIR_ERR_NO_ENTRY) {
		if (unknown == DIR_ERR_CREDENTIALS)
			*err = bind_err;
		return unknown;
	}
	return st;
}

/* Whether C is bound as DN, by WhoAmI; DIR_ERR_CREDENTIALS when not. */
static enum dir_status pm_auth_whoami(struct pm_ctx *ctx, struct dir_conn *c,
				      const char *dn, struct dir_error *err)
{
	char *authzid = NULL;
	enum dir_status st;

	st = dir_whoami(c, &authzid, err);
	if (st != DIR_OK)
		return st;
	if (strncmp(authzid, "dn:", 3) != 0 ||
	    esc_dn_equal(authzid + 3, dn) != 1) {
		char clean[AUDIT_FIELD_LEN];

		pam_syslog(ctx->pamh, LOG_ERR,
			   "%s accepted the bind as %s but reports identity \"%s\"",
			   dir_server(c), dn,
			   audit_clean(clean, sizeof(clean), authzid));
		ctx->reason = "server reports another identity after the bind";
		st = DIR_ERR_CREDENTIALS;
	}
	free(authzid);
	return st;
}

/* The whole login on one server (pm_server_fn). */
static enum dir_status pm_auth_on_server(struct pm_ctx *ctx, struct dir_conn *c,
					 void *arg, struct dir_error *err)
{
	struct pm_auth_job *job = arg;
	enum dir_status st;

	job->legacy = PM_LEGACY_NONE;
	job->reset = false;
	job->deferred = false;
	ctx->reason = NULL;
	pm_state_clear(job->st);

	st = dir_bind(c, job->user_dn, job->password, &job->pp, err);
	if (st == DIR_ERR_CREDENTIALS)
		return pm_auth_failed(ctx, c, job, err);
	if (st != DIR_OK)
		return st;
	job->reset = job->pp.present && job->pp.error == PP_changeAfterReset;

	st = pm_auth_whoami(ctx, c, job->user_dn, err);
	if (st != DIR_OK)
		return st;
	/* A reset password allows nothing but its change: read as the
	 * look-up identity instead. Anonymous look-ups may read nothing:
	 * then the records are read after the change (pm_password), and
	 * the account is decided there. */
	if (job->reset && ctx->cfg.binddn == NULL) {
		job->deferred = true;
		return DIR_OK;
	}
	if (job->reset) {
		st = pm_bind_lookup(ctx, c, err);
		if (st != DIR_OK)
			return st;
	}
	st = pm_read_records(ctx, c, job->user_dn, job->st, err);
	if (st == DIR_ERR_NO_ENTRY) {
		ctx->reason = "own entry not readable after the bind";
		return DIR_ERR_CREDENTIALS;
	}
	if (st != DIR_OK)
		return st;
	if (strcmp(job->st->acct.uid, ctx->user) != 0) {
		ctx->reason = "entry uid differs from the name given";
		return DIR_ERR_CREDENTIALS;
	}
	return DIR_OK;
}

/* Tells the person what the password policy said on a successful bind;
 * sets st->must_change. */
static void pm_auth_policy_news(struct pm_ctx *ctx, struct pm_auth_job *job)
{
	const struct dir_ppolicy *pp = &job->pp;

	if (!pp->present)
		return;
	if (job->reset) {
		job->st->must_change = true;
		pm_say_info(ctx, PM_MSG_RESET);
	}
	if (pp->grace >= 0) {
		job->st->must_change = true;
		pm_say_info(ctx, PM_MSG_GRACE, pp->grace,
			    pp->grace == 1 ? "" : "s");
	} else if (pp->expire > 0) {
		long days = ((long)pp->expire + 86399L) / 86400L;

		pm_say_info(ctx, PM_MSG_EXPIRE_WARN, days,
			    days == 1 ? "" : "s");
	}
}

/* pam_sm_authenticate's work; a PAM code. */
int pm_authenticate(struct pm_ctx *ctx)
{
	struct pm_auth_job job;
	struct dir_error err;
	struct pm_state *st = NULL;
	char *code = NULL, *user_dn = NULL;
	const char *pw = NULL;
	enum dir_status ds;
	bool valid_name;
	int rc = PAM_AUTH_ERR;

	memset(&err, 0, sizeof(err));
	memset(&job, 0, sizeof(job));
	valid_name = name_is_valid_login(ctx->user);

	/* Asked even for a name that will be refused, so the prompt does
	 * not tell which names pass the syntax check. */
	rc = pm_auth_get_password(ctx, &pw);
	if (rc != PAM_SUCCESS)
		goto done;
	rc = PAM_USER_UNKNOWN;
	if (!valid_name) {
		ctx->reason = "user name outside the PACER username syntax";
		goto done;
	}
	rc = PAM_AUTH_ERR;
	if (pw[0] == '\0') {
		ctx->reason = "empty password (never sent)";
		goto done;
	}
	if (strnlen(pw, SECRET_MAX_LEN + 1) > SECRET_MAX_LEN) {
		ctx->reason = "password longer than 512 bytes (never sent)";
		goto done;
	}
	if (ctx->opt.client_code) {
		rc = pm_auth_client_code(ctx, &code);
		if (rc != PAM_SUCCESS)
			goto done;
	}

	rc = PAM_BUF_ERR;
	st = pm_state_new(ctx);
	user_dn = acct_pacer_dn(&ctx->cfg, ctx->user);
	if (st == NULL || user_dn == NULL) {
		ctx->reason = "out of memory";
		goto done;
	}
	st->client_code = code;
	code = NULL;

	job.password = pw;
	job.user_dn = user_dn;
	job.st = st;
	dir_deadline_start(&ctx->dl, ctx->cfg.login_budget_ms);
	ds = pm_with_servers(ctx, pm_auth_on_server, &job, &err);

	if (job.legacy == PM_LEGACY_LINKED)
		pm_say_error(ctx, PM_MSG_LEGACY_LINKED);
	else if (job.legacy == PM_LEGACY_UNLINKED)
		pm_say_error(ctx, PM_MSG_LEGACY_UNLINKED);
	else if (job.legacy == PM_LEGACY_UNREADABLE)
		pm_say_error(ctx, PM_MSG_LEGACY_UNREADABLE);
	else if (ds == DIR_ERR_CREDENTIALS && job.pp.present &&
		 job.pp.error == PP_accountLocked)
		pm_say_error(ctx, PM_MSG_LOCKED);
	else if (ds == DIR_ERR_CREDENTIALS && job.pp.present &&
		 job.pp.error == PP_passwordExpired)
		pm_say_error(ctx, PM_MSG_EXPIRED);

	rc = pm_status_to_pam(ctx, ds, &err);
	if (rc != PAM_SUCCESS) {
		if (ctx->reason == NULL)
			ctx->reason = dir_status_name(ds);
		goto done;
	}
	pm_auth_policy_news(ctx, &job);
	st->deferred = job.deferred;
	rc = job.deferred ? PAM_SUCCESS : pm_export(ctx, st);
	if (rc != PAM_SUCCESS) {
		ctx->reason = "cannot export the environment";
		goto done;
	}
	rc = pm_state_store(ctx, st);
	st = NULL;
	if (rc != PAM_SUCCESS) {
		ctx->reason = "cannot keep the account record";
		goto done;
	}
	ctx->reason = job.deferred ? "authenticated; password reset, must "
				     "change (records read after the change)"
		      : job.reset ? "authenticated; password reset, must change"
		      : job.pp.grace >= 0 ? "authenticated with a grace login"
		      : "authenticated";
	memset(&err, 0, sizeof(err));
done:
	rc = pm_ignore_remap(ctx, rc);
	if (rc != PAM_SUCCESS && rc != PAM_IGNORE)
		(void)pam_fail_delay(ctx->pamh, PM_FAIL_DELAY_USEC);
	pm_log_outcome(ctx, rc, &err);
	pm_state_free(st);
	free(user_dn);
	secret_free(code);
	return rc;
}
