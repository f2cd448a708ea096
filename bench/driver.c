/*
 * driver.c - logins through PAM in this process, as a login service does:
 *
 *   driver -c CONFDIR -s SERVICE -P PASSWORD [-a] -u USERS [-n COUNT]
 *          [-w WORKERS] [-W WARMUP] [-o LATFILE] [-l LABEL] [-S SEED]
 *
 * Each login is pam_start_confdir(SERVICE, user, CONFDIR), pam_authenticate,
 * with -a pam_acct_mgmt, then pam_end; its latency is measured from before
 * pam_start to after pam_end. The conversation answers every hidden prompt
 * with PASSWORD and every echoed one with an empty line. A failed login
 * asks PAM for a delay; that delay is recorded as asked, never slept, so a
 * failure costs what the module spent. See harness.h for the output.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <security/pam_appl.h>

#include "harness.h"

struct drv_ctx {
	const char *confdir;
	const char *service;
	const char *password;
	bool acct;
};

struct drv_conv_data {
	const char *password;
	char *why;
	size_t why_len;
};

/* Answers hidden prompts with the password; keeps the last error text
 * in WHY. Returns PAM_SUCCESS with *resp owned by libpam, or PAM_CONV_ERR. */
static int drv_conv(int n, const struct pam_message **msg,
		    struct pam_response **resp, void *appdata)
{
	struct drv_conv_data *d = appdata;
	struct pam_response *r;

	*resp = NULL;
	if (n <= 0)
		return PAM_CONV_ERR;
	r = calloc((size_t)n, sizeof(*r));
	if (r == NULL)
		return PAM_CONV_ERR;
	for (int i = 0; i < n; i++) {
		switch (msg[i]->msg_style) {
		case PAM_PROMPT_ECHO_OFF:
			r[i].resp = strdup(d->password);
			break;
		case PAM_PROMPT_ECHO_ON:
			r[i].resp = strdup("");
			break;
		case PAM_ERROR_MSG:
			if (msg[i]->msg != NULL)
				(void)snprintf(d->why, d->why_len, "%s", msg[i]->msg);
			continue;
		default:
			continue;
		}
		if (r[i].resp == NULL) {
			for (int j = 0; j < i; j++)
				free(r[j].resp);
			free(r);
			return PAM_CONV_ERR;
		}
	}
	*resp = r;
	return PAM_SUCCESS;
}

/* Records nothing: the delay a failure asks for is not part of the cost. */
static void drv_no_delay(int retval, unsigned usec_delay, void *appdata)
{
	(void)retval;
	(void)usec_delay;
	(void)appdata;
}

static int drv_login(const void *ctx_v, const char *user, char *why,
		     size_t why_len)
{
	const struct drv_ctx *ctx = ctx_v;
	struct drv_conv_data d = { ctx->password, why, why_len };
	struct pam_conv conv = { drv_conv, &d };
	void (*delay_fn)(int, unsigned, void *) = drv_no_delay;
	pam_handle_t *h = NULL;
	int rc, result = -1;

	rc = pam_start_confdir(ctx->service, user, &conv, ctx->confdir, &h);
	if (rc != PAM_SUCCESS) {
		(void)snprintf(why, why_len, "pam_start_confdir: %s",
			       pam_strerror(NULL, rc));
		return -1;
	}
	rc = pam_set_item(h, PAM_FAIL_DELAY, (const void *)delay_fn);
	if (rc != PAM_SUCCESS)
		goto done;
	rc = pam_authenticate(h, 0);
	if (rc != PAM_SUCCESS) {
		if (why[0] == '\0')
			(void)snprintf(why, why_len, "pam_authenticate: %s",
				       pam_strerror(h, rc));
		goto done;
	}
	if (ctx->acct) {
		rc = pam_acct_mgmt(h, 0);
		if (rc != PAM_SUCCESS) {
			char said[200];

			(void)snprintf(said, sizeof(said), "%s", why);
			(void)snprintf(why, why_len, "pam_acct_mgmt: %s%s%s",
				       pam_strerror(h, rc), said[0] ? ": " : "",
				       said);
			goto done;
		}
	}
	result = 0;
done:
	(void)pam_end(h, rc);
	return result;
}

static void drv_usage(void)
{
	fprintf(stderr, "usage: driver -c CONFDIR -s SERVICE -P PASSWORD [-a] "
		"-u USERS [-n COUNT] [-w WORKERS] [-W WARMUP] [-o LATFILE] "
		"[-l LABEL] [-S SEED]\n");
}

int main(int argc, char **argv)
{
	struct drv_ctx ctx = { NULL, NULL, NULL, false };
	struct bh_opts o;
	int ch, r;

	bh_defaults(&o);
	while ((ch = getopt(argc, argv, "c:s:P:a" BH_OPTSTRING)) != -1) {
		switch (ch) {
		case 'c': ctx.confdir = optarg; break;
		case 's': ctx.service = optarg; break;
		case 'P': ctx.password = optarg; break;
		case 'a': ctx.acct = true; break;
		default:
			r = bh_option(&o, ch, optarg);
			if (r != 1) {
				drv_usage();
				return 2;
			}
		}
	}
	if (ctx.confdir == NULL || ctx.service == NULL || ctx.password == NULL ||
	    optind != argc) {
		drv_usage();
		return 2;
	}
	return bh_run(&o, drv_login, &ctx);
}
