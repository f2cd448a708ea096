/*
 * pam_pacer.c - the six PAM entry points of pam_pacer.so, each one line
 * into one dispatcher that parses the arguments, reads the configuration,
 * learns who is asking, runs the phase and cleans up.
 *
 * The module is a guest in a long-lived process: it never exits, never
 * calls openlog, never touches signal handlers or libldap's process-wide
 * options. What one call decides lives on its stack or on the PAM
 * handle; the one piece of process-wide state is the parsed
 * configuration copy in common/config_cache.c (a try-lock guards it, and
 * it holds no secret).
 */
#include <stdbool.h>
#include <string.h>
#include <syslog.h>
#include <security/pam_ext.h>
#include <security/pam_modules.h>

#include "audit.h"
#include "config.h"
#include "escape.h"
#include "module.h"
#include "options.h"
#include "secret.h"

/* Fills the log fields of CTX from the handle's items. */
static void pm_ctx_names(struct pm_ctx *ctx)
{
	const void *item = NULL;

	if (pam_get_item(ctx->pamh, PAM_SERVICE, &item) != PAM_SUCCESS)
		item = NULL;
	(void)audit_clean(ctx->service_log, sizeof(ctx->service_log), item);
	item = NULL;
	if (pam_get_item(ctx->pamh, PAM_RHOST, &item) != PAM_SUCCESS)
		item = NULL;
	(void)audit_clean(ctx->rhost_log, sizeof(ctx->rhost_log), item);
	(void)audit_clean(ctx->user_log, sizeof(ctx->user_log), ctx->user);
}

/* Reads the configuration named by config=; a PAM code (logged). */
static int pm_ctx_config(struct pm_ctx *ctx)
{
	char why[CFG_ERR_LEN];

	if (cfg_load(ctx->opt.config, &ctx->cfg, why, sizeof(why)) != 0) {
		pam_syslog(ctx->pamh, LOG_ERR, "configuration: %s", why);
		ctx->reason = "configuration error";
		return PAM_SERVICE_ERR;
	}
	ctx->have_cfg = true;
	ctx->court = ctx->opt.court != NULL ? ctx->opt.court : ctx->cfg.court;
	return PAM_SUCCESS;
}

/* Learns PAM_USER (asking for it when the application did not). */
static int pm_ctx_user(struct pm_ctx *ctx)
{
	const char *user = NULL;
	int rc = pam_get_user(ctx->pamh, &user, NULL);

	if (rc == PAM_CONV_AGAIN)
		return PAM_INCOMPLETE;
	if (rc != PAM_SUCCESS || user == NULL) {
		ctx->reason = "no user name";
		return rc != PAM_SUCCESS ? rc : PAM_SERVICE_ERR;
	}
	ctx->user = user;
	(void)audit_clean(ctx->user_log, sizeof(ctx->user_log), user);
	return PAM_SUCCESS;
}

/*
 * The dispatcher. setcred and the session hooks do nothing: credentials
 * are the directory's to keep and a court login needs no session state;
 * they succeed so a stack may list the module in every type.
 */
int pm_dispatch(enum pm_phase phase, pam_handle_t *pamh, int flags,
		int argc, const char **argv)
{
	struct pm_ctx ctx;
	int rc = PAM_SERVICE_ERR;

	memset(&ctx, 0, sizeof(ctx));
	ctx.pamh = pamh;
	ctx.phase = phase;
	ctx.flags = flags;
	pm_ctx_names(&ctx);

	if (opt_parse(pamh, argc, argv, &ctx.opt) != 0) {
		ctx.reason = "bad module argument";
		pm_log_outcome(&ctx, rc, NULL);
		return PAM_SERVICE_ERR;
	}
	if (phase == PM_SETCRED || phase == PM_OPEN_SESSION ||
	    phase == PM_CLOSE_SESSION)
		return PAM_SUCCESS;

	rc = pm_ctx_config(&ctx);
	if (rc == PAM_SUCCESS)
		rc = pm_ctx_user(&ctx);
	if (rc != PAM_SUCCESS) {
		if (phase == PM_AUTH)
			(void)pam_fail_delay(pamh, PM_FAIL_DELAY_USEC);
		pm_log_outcome(&ctx, rc, NULL);
		goto done;
	}

	switch (phase) {
	case PM_AUTH:
		rc = pm_authenticate(&ctx);
		break;
	case PM_ACCOUNT:
		rc = pm_account(&ctx);
		break;
	case PM_PASSWORD:
		rc = pm_password(&ctx);
		break;
	case PM_SETCRED:
	case PM_OPEN_SESSION:
	case PM_CLOSE_SESSION:
		rc = PAM_SUCCESS;
		break;
	}
done:
	secret_free(ctx.lookup_pw);
	if (ctx.have_cfg)
		cfg_free(&ctx.cfg);
	return rc;
}

int pm_ignore_remap(const struct pm_ctx *ctx, int rc)
{
	if (rc == PAM_USER_UNKNOWN && ctx->opt.ignore_unknown_user)
		return PAM_IGNORE;
	if (rc == PAM_AUTHINFO_UNAVAIL && ctx->opt.ignore_authinfo_unavail)
		return PAM_IGNORE;
	return rc;
}

PAM_EXTERN int pam_sm_authenticate(pam_handle_t *pamh, int flags, int argc,
				   const char **argv)
{
	return pm_dispatch(PM_AUTH, pamh, flags, argc, argv);
}

PAM_EXTERN int pam_sm_setcred(pam_handle_t *pamh, int flags, int argc,
			      const char **argv)
{
	return pm_dispatch(PM_SETCRED, pamh, flags, argc, argv);
}

PAM_EXTERN int pam_sm_acct_mgmt(pam_handle_t *pamh, int flags, int argc,
				const char **argv)
{
	return pm_dispatch(PM_ACCOUNT, pamh, flags, argc, argv);
}

PAM_EXTERN int pam_sm_open_session(pam_handle_t *pamh, int flags, int argc,
				   const char **argv)
{
	return pm_dispatch(PM_OPEN_SESSION, pamh, flags, argc, argv);
}

PAM_EXTERN int pam_sm_close_session(pam_handle_t *pamh, int flags, int argc,
				    const char **argv)
{
	return pm_dispatch(PM_CLOSE_SESSION, pamh, flags, argc, argv);
}

PAM_EXTERN int pam_sm_chauthtok(pam_handle_t *pamh, int flags, int argc,
				const char **argv)
{
	return pm_dispatch(PM_PASSWORD, pamh, flags, argc, argv);
}
