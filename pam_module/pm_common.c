/*
 * pm_common.c - what every phase of pam_pacer.so uses: the map from
 * directory results to PAM codes, the log line, the messages people see,
 * trying each server in turn under one deadline, reading the records a
 * decision needs, and the record kept on the PAM handle.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <security/pam_ext.h>
#include <security/pam_modules.h>

#include "account.h"
#include "audit.h"
#include "config.h"
#include "decide.h"
#include "grow.h"
#include "dir.h"
#include "escape.h"
#include "module.h"
#include "secret.h"

/* ---- PAM codes, logs and messages -------------------------------------- */

/*
 * The one map from a directory status to a PAM code for this phase. A
 * configuration problem found on the way wins over what the server said.
 */
int pm_status_to_pam(struct pm_ctx *ctx, enum dir_status st,
		     const struct dir_error *err)
{
	if (ctx->config_fault)
		return PAM_SERVICE_ERR;
	switch (st) {
	case DIR_OK:
		return PAM_SUCCESS;
	case DIR_ERR_CREDENTIALS:
	case DIR_ERR_INVALID:
		return PAM_AUTH_ERR;
	case DIR_ERR_NO_ENTRY:
		return PAM_USER_UNKNOWN;
	case DIR_ERR_UNAVAILABLE:
	case DIR_ERR_TIMEOUT:
	case DIR_ERR_TLS:
		return PAM_AUTHINFO_UNAVAIL;
	case DIR_ERR_INSECURE:
		return PAM_SERVICE_ERR;	/* the configuration allows no safe bind */
	case DIR_ERR_POLICY:
		return ctx->phase == PM_PASSWORD ? PAM_AUTHTOK_ERR
						 : PAM_AUTH_ERR;
	case DIR_ERR_NOMEM:
		return PAM_BUF_ERR;
	case DIR_ERR_CONFLICT:
	case DIR_ERR_PROTOCOL:
		break;
	}
	pam_syslog(ctx->pamh, LOG_ERR,
		   "unexpected directory result: %s (%d)%s%s",
		   dir_status_name(st), err != NULL ? err->ldap_rc : 0,
		   err != NULL && err->server[0] != '\0' ? " from " : "",
		   err != NULL ? err->server : "");
	return ctx->phase == PM_PASSWORD ? PAM_AUTHTOK_ERR : PAM_SERVICE_ERR;
}

/* The phase's name in the log line. */
static const char *pm_phase_name(enum pm_phase phase)
{
	switch (phase) {
	case PM_AUTH:		return "auth";
	case PM_SETCRED:	return "setcred";
	case PM_ACCOUNT:	return "account";
	case PM_OPEN_SESSION:	return "open_session";
	case PM_CLOSE_SESSION:	return "close_session";
	case PM_PASSWORD:	return "password";
	}
	return "unknown";
}

/*
 * The one line every attempt leaves in syslog (authpriv): who, from
 * where, the outcome and why; on a timeout, the server and the limit that
 * fired. Passwords never reach this function.
 */
void pm_log_outcome(struct pm_ctx *ctx, int rc, const struct dir_error *err)
{
	char detail[AUDIT_FIELD_LEN * 2];
	char server[AUDIT_FIELD_LEN];
	char extra[AUDIT_FIELD_LEN * 4];
	int prio = rc == PAM_SUCCESS ? LOG_INFO : LOG_NOTICE;

	extra[0] = '\0';
	if (err != NULL && err->status != DIR_OK) {
		(void)audit_clean(server, sizeof(server), err->server);
		(void)audit_clean(detail, sizeof(detail), err->detail);
		(void)snprintf(extra, sizeof(extra),
			       " server=\"%s\" limit=%s detail=\"%s\"",
			       err->server[0] != '\0' ? server : "-",
			       err->limit != NULL ? err->limit : "-", detail);
	}
	pam_syslog(ctx->pamh, prio,
		   "%s service=\"%s\" user=\"%s\" rhost=\"%s\" court=%s "
		   "outcome=\"%s\" reason=\"%s\"%s",
		   pm_phase_name(ctx->phase), ctx->service_log, ctx->user_log,
		   ctx->rhost_log, ctx->court != NULL ? ctx->court : "-",
		   pam_strerror(ctx->pamh, rc),
		   ctx->reason != NULL ? ctx->reason : "-", extra);
}

/* Sends one message of STYLE; the conversation's failure is only logged. */
static void pm_say(struct pm_ctx *ctx, int style, const char *fmt, va_list ap)
{
	int rc = pam_vprompt(ctx->pamh, style, NULL, fmt, ap);

	if (rc != PAM_SUCCESS)
		pam_syslog(ctx->pamh, LOG_WARNING,
			   "conversation failed to show a message: %s",
			   pam_strerror(ctx->pamh, rc));
}

/* Tells the person something; nothing under PAM_SILENT. */
void pm_say_info(struct pm_ctx *ctx, const char *fmt, ...)
{
	va_list ap;

	if ((ctx->flags & PAM_SILENT) != 0)
		return;
	va_start(ap, fmt);
	pm_say(ctx, PAM_TEXT_INFO, fmt, ap);
	va_end(ap);
}

/* Tells the person why they were refused (shown even under PAM_SILENT:
 * a refusal without its reason leaves them nothing to do). */
void pm_say_error(struct pm_ctx *ctx, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	pm_say(ctx, PAM_ERROR_MSG, fmt, ap);
	va_end(ap);
}

/* Logs detail at LOG_DEBUG when the debug argument was given. */
void pm_debug(struct pm_ctx *ctx, const char *fmt, ...)
{
	va_list ap;

	if (!ctx->opt.debug)
		return;
	va_start(ap, fmt);
	pam_vsyslog(ctx->pamh, LOG_DEBUG, fmt, ap);
	va_end(ap);
}

/* ---- servers ------------------------------------------------------------ */

/*
 * Runs FN on a connection to each server in turn, from the first, while
 * the answer is "try another" (unavailable, timeout, TLS) and the
 * deadline allows. Returns FN's last status, or the connect failure.
 */
enum dir_status pm_with_servers(struct pm_ctx *ctx, pm_server_fn fn,
				void *arg, struct dir_error *err)
{
	struct dir_conn *c = NULL;
	enum dir_status st = DIR_ERR_UNAVAILABLE;
	size_t next = 0;

	memset(err, 0, sizeof(*err));
	while (next < ctx->cfg.n_uris) {
		st = dir_connect(&ctx->cfg, (const char *const *)ctx->cfg.uris,
				 ctx->cfg.n_uris, &next, &ctx->dl, &c, err);
		if (st != DIR_OK)
			break;	/* dir_connect tried every server left */
		memset(err, 0, sizeof(*err));
		st = fn(ctx, c, arg, err);
		dir_close(c);
		c = NULL;
		if (!dir_status_retryable(st))
			break;
		pm_debug(ctx, "server %s: %s (%s); trying the next one",
			 err->server, dir_status_name(st),
			 err->limit != NULL ? err->limit : "-");
		if (next < ctx->cfg.n_uris &&
		    dir_deadline_left_ms(&ctx->dl) <= 0) {
			err->limit = "login_budget";
			break;
		}
	}
	return st;
}

/*
 * Makes C's identity the look-up account (binddn), or leaves it anonymous
 * when none is configured: a connection whose bind failed is anonymous
 * again (RFC 4511 4.2.1). The password file is read once per call.
 */
enum dir_status pm_bind_lookup(struct pm_ctx *ctx, struct dir_conn *c,
			       struct dir_error *err)
{
	char why[CFG_ERR_LEN];
	enum dir_status st;

	if (ctx->cfg.binddn == NULL)
		return DIR_OK;
	if (ctx->lookup_pw == NULL) {
		if (ctx->cfg.bindpw_file == NULL) {
			pam_syslog(ctx->pamh, LOG_ERR,
				   "%s: binddn is set but bindpw_file is not",
				   ctx->cfg.path);
			ctx->config_fault = true;
			return DIR_ERR_INVALID;
		}
		ctx->lookup_pw = secret_read_file(ctx->cfg.bindpw_file, why,
						  sizeof(why));
		if (ctx->lookup_pw == NULL) {
			pam_syslog(ctx->pamh, LOG_ERR, "%s", why);
			ctx->config_fault = true;
			return DIR_ERR_INVALID;
		}
	}
	st = dir_bind(c, ctx->cfg.binddn, ctx->lookup_pw, NULL, err);
	if (st == DIR_ERR_CREDENTIALS || st == DIR_ERR_INVALID ||
	    st == DIR_ERR_INSECURE) {
		pam_syslog(ctx->pamh, LOG_ERR,
			   "the look-up account %s cannot bind to %s: %s",
			   ctx->cfg.binddn, err->server, err->detail);
		ctx->config_fault = true;
	}
	return st;
}

/* ---- reading records ---------------------------------------------------- */

/* What pm_read_court's entry gave: the record, and whether it built. */
struct pm_court_read {
	struct pacer_court *court;
	bool built;
};

/* Builds the court record from E (a dir_entry_fn); a malformed entry is
 * not an error of the read, only a court not found. */
static int pm_court_entry(void *arg, const struct dir_entry *e)
{
	struct pm_court_read *cr = arg;

	cr->built = acct_court_from_entry(e, cr->court) == 0;
	return 0;
}

/*
 * Reads this court's entry with C's identity. *found says whether it is
 * there (a missing court is the caller's to judge). Fills *court on found.
 */
enum dir_status pm_read_court(struct pm_ctx *ctx, struct dir_conn *c,
			      struct pacer_court *court, bool *found,
			      struct dir_error *err)
{
	struct pm_court_read cr = { court, false };
	char *dn = NULL;
	enum dir_status st = DIR_ERR_NOMEM;

	*found = false;
	memset(court, 0, sizeof(*court));
	dn = acct_court_dn(&ctx->cfg, ctx->court);
	if (dn == NULL)
		goto done;
	st = dir_read_entry(c, dn, "(objectClass=pacerCourt)", acct_court_attrs,
			    pm_court_entry, &cr, err);
	if (st == DIR_ERR_NO_ENTRY)
		st = DIR_OK;
	else if (st == DIR_OK && !cr.built)
		pam_syslog(ctx->pamh, LOG_ERR, "court entry %s is malformed",
			   dn);
done:
	*found = st == DIR_OK && cr.built;
	free(dn);
	return st;
}

/*
 * Takes the legacy record LEGACY as ST's link in this court when it is
 * the entry the PACER side names here (MINE) and it names the PACER entry
 * (USER_DN) back: a link is complete only with both sides; a half link is
 * left to cmecf-link to finish or undo.
 */
static void pm_take_link(struct pm_ctx *ctx, const struct cmecf_account *legacy,
			 const char *mine, const char *court_dn,
			 const char *user_dn, struct pm_state *st)
{
	if (st->linked)
		return;
	if (mine != NULL &&
	    decide_link_complete(&st->acct, legacy, &ctx->cfg, ctx->court)) {
		st->cmecf_login = strdup(legacy->uid);
		st->linked = st->cmecf_login != NULL;
	} else if (ctx->opt.debug && esc_dn_within(legacy->dn, court_dn) == 1) {
		pm_debug(ctx, "legacy entry %s names %s but the link is "
			 "not complete", legacy->dn, legacy->linked_pacer);
	}
}

/* What a login decides on from the three records, and objectClass to
 * tell the entries of the one search apart. No more: the server checks
 * its access rules for every attribute it sends. */
static char *const pm_record_attrs[] = {
	"objectClass", "uid", "cn", "pacerAccountType", "pacerUpgraded",
	"pacerLinkedCmecf", "pacerCourtType", "pacerNextGenGoLive",
	"cmecfLinkedPacer", NULL
};

/*
 * The search that reads everything a login decides on. Without a court:
 * a base read of USER_DN. With one: a single subtree search from the
 * suffix for the PACER entry and the court entry (entryDN equality, which
 * slapd answers from its DN index) and the legacy entries linked to
 * USER_DN (cmecfLinkedPacer, indexed); one entry per court at most, so a
 * person linked in other courts costs a few entries, not a second search.
 */
static enum dir_status pm_send_records_search(struct pm_ctx *ctx,
					      struct dir_conn *c,
					      const char *user_dn,
					      const char *court_dn, int *msgid,
					      struct dir_error *err)
{
	char *esc_user = NULL, *esc_court = NULL, *filter = NULL;
	enum dir_status st = DIR_ERR_NOMEM;

	if (court_dn == NULL)
		return dir_search_send(c, user_dn, LDAP_SCOPE_BASE,
				       "(objectClass=pacerAccount)",
				       pm_record_attrs, 0, msgid, err);
	esc_user = esc_filter_value(user_dn);
	esc_court = esc_filter_value(court_dn);
	if (esc_user != NULL && esc_court != NULL &&
	    asprintf(&filter,
		     "(|(entryDN=%s)(entryDN=%s)(cmecfLinkedPacer=%s))",
		     esc_user, esc_court, esc_user) >= 0)
		st = dir_search_send(c, ctx->cfg.base, LDAP_SCOPE_SUBTREE,
				     filter, pm_record_attrs, 0, msgid, err);
	else
		filter = NULL;
	free(filter);
	free(esc_court);
	free(esc_user);
	return st;
}

/* What the records search found, entry by entry (pm_records_entry). */
struct pm_records_walk {
	const char *user_dn;
	const char *court_dn;		/* NULL: no court */
	struct pm_state *st;
	bool acct_bad;
	struct cmecf_account *legacy;	/* the legacy entries, in order */
	size_t n_legacy, cap_legacy;
};

/* Keeps the legacy record of E in W; 0, or -1 when memory ran out. A
 * malformed legacy entry is passed over: it is no link. */
static int pm_records_keep_legacy(struct pm_records_walk *w,
				  const struct dir_entry *e)
{
	struct cmecf_account *grown;

	grown = grow_for_one(w->legacy, &w->cap_legacy, w->n_legacy,
			     sizeof(*grown), 4);
	if (grown == NULL)
		return -1;
	w->legacy = grown;
	if (acct_cmecf_from_entry(e, &w->legacy[w->n_legacy]) == 0)
		w->n_legacy++;
	return 0;
}

/* Sorts one entry of the records search into W (a dir_entry_fn): the
 * PACER entry and the court entry, each told by its object class and
 * then its DN, and the legacy entries, kept for after the search, since
 * which one is the link depends on the PACER side. */
static int pm_records_entry(void *arg, const struct dir_entry *e)
{
	struct pm_records_walk *w = arg;
	struct pm_state *st = w->st;

	if (e->dn == NULL)
		return 0;
	if (!st->have_acct && acct_entry_has_class(e, "pacerAccount") &&
	    esc_dn_equal(e->dn, w->user_dn) == 1) {
		if (acct_pacer_from_entry(e, &st->acct) != 0)
			w->acct_bad = true;
		else
			st->have_acct = true;
	} else if (w->court_dn != NULL && !st->have_court &&
		   acct_entry_has_class(e, "pacerCourt") &&
		   esc_dn_equal(e->dn, w->court_dn) == 1 &&
		   acct_court_from_entry(e, &st->court) == 0) {
		st->have_court = true;
	}
	if (w->court_dn != NULL && acct_entry_has_class(e, "cmecfAccount"))
		return pm_records_keep_legacy(w, e);
	return 0;
}

/*
 * Reads, with C's identity and in one search (one round trip), the PACER
 * entry USER_DN and, when a court is set, the court entry and this
 * court's legacy entry linked to USER_DN, into ST (cleared first).
 * DIR_ERR_NO_ENTRY when the PACER entry is not there.
 */
enum dir_status pm_read_records(struct pm_ctx *ctx, struct dir_conn *c,
				const char *user_dn, struct pm_state *st,
				struct dir_error *err)
{
	struct pm_records_walk w;
	char *court_dn = NULL;
	const char *mine;
	int msgid = -1;
	size_t i;
	enum dir_status status = DIR_ERR_NOMEM;

	memset(&w, 0, sizeof(w));
	pm_state_clear(st);
	if (ctx->court != NULL) {
		court_dn = acct_court_dn(&ctx->cfg, ctx->court);
		if (court_dn == NULL)
			goto done;
	}
	w.user_dn = user_dn;
	w.court_dn = court_dn;
	w.st = st;
	status = pm_send_records_search(ctx, c, user_dn, court_dn, &msgid, err);
	if (status != DIR_OK)
		goto done;
	status = dir_wait_entries(c, msgid, pm_records_entry, &w, err);
	if (status == DIR_ERR_NO_ENTRY && court_dn != NULL) {
		/* The suffix is there; the reading identity may not see it. */
		pam_syslog(ctx->pamh, LOG_ERR,
			   "%s: base %s is not searchable by the identity "
			   "reading %s: the directory's access rules must "
			   "grant search on it (see ldap_schema/acl.ldif)",
			   ctx->cfg.path, ctx->cfg.base, user_dn);
		ctx->config_fault = true;
		status = DIR_ERR_PROTOCOL;
	}
	if (status != DIR_OK)
		goto done;
	if (w.acct_bad) {
		pam_syslog(ctx->pamh, LOG_ERR, "PACER entry %s is malformed",
			   user_dn);
		status = DIR_ERR_PROTOCOL;
		goto done;
	}
	if (!st->have_acct) {
		status = DIR_ERR_NO_ENTRY;
		goto done;
	}
	if (court_dn == NULL) {
		status = DIR_OK;
		goto done;
	}
	/* The legacy entry this court's side of the PACER entry names; the
	 * search may also have found this person's links in other courts. */
	mine = acct_pacer_link_in(&st->acct, &ctx->cfg, ctx->court);
	for (i = 0; i < w.n_legacy && !st->linked &&
	     (mine != NULL || ctx->opt.debug); i++)
		pm_take_link(ctx, &w.legacy[i], mine, court_dn, user_dn, st);
	if (!st->have_court)
		pam_syslog(ctx->pamh, LOG_WARNING,
			   "court %s: no readable court entry %s",
			   ctx->court, court_dn);
	status = DIR_OK;
done:
	for (i = 0; i < w.n_legacy; i++)
		acct_cmecf_free(&w.legacy[i]);
	free(w.legacy);
	free(court_dn);
	return status;
}

/* ---- the record on the handle ------------------------------------------ */

/*
 * What a record read by this call depends on: the user, the court, and
 * the configuration's file and the values that choose the servers, the
 * entries and the identity reading them. Configuration values hold no
 * control character (the parser refuses them), so the newline-separated
 * fields cannot run into each other. Malloc'ed (caller frees), or NULL.
 */
char *pm_state_key(const struct pm_ctx *ctx)
{
	const struct cfg *cfg = &ctx->cfg;
	char *key = NULL;
	size_t len = 0, i;
	FILE *f;

	if (ctx->user == NULL || !ctx->have_cfg)
		return NULL;
	f = open_memstream(&key, &len);
	if (f == NULL)
		return NULL;
	(void)fprintf(f, "user=%s\ncourt%s%s\nconfig=%s\nbase=%s\n"
		      "pacer_base=%s\ncourts_base=%s\nbinddn%s%s\n",
		      ctx->user, ctx->court != NULL ? "=" : "-",
		      ctx->court != NULL ? ctx->court : "",
		      cfg->path != NULL ? cfg->path : ctx->opt.config,
		      cfg->base, cfg->pacer_base, cfg->courts_base,
		      cfg->binddn != NULL ? "=" : "-",
		      cfg->binddn != NULL ? cfg->binddn : "");
	for (i = 0; i < cfg->n_uris; i++)
		(void)fprintf(f, "uri=%s\n", cfg->uris[i]);
	if (ferror(f) != 0) {
		(void)fclose(f);
		free(key);
		return NULL;
	}
	if (fclose(f) != 0) {
		free(key);
		return NULL;
	}
	return key;
}

/* A new empty record for this call's user and key (caller owns it), or
 * NULL. */
struct pm_state *pm_state_new(const struct pm_ctx *ctx)
{
	struct pm_state *st = calloc(1, sizeof(*st));

	if (st == NULL)
		return NULL;
	st->user = ctx->user != NULL ? strdup(ctx->user) : NULL;
	st->key = pm_state_key(ctx);
	if (st->user == NULL || st->key == NULL) {
		free(st->user);
		free(st->key);
		free(st);
		return NULL;
	}
	return st;
}

/*
 * Carries into TO what FROM, a record of the same user's login read for
 * another court or configuration, knows beyond its records: that the
 * password must be changed first (a stricter answer, never a looser one)
 * and the client code the person gave. 0, or -1 when memory ran out.
 */
int pm_state_inherit(struct pm_state *to, const struct pm_state *from)
{
	if (from->must_change || from->deferred)
		to->must_change = true;
	if (from->client_code != NULL && to->client_code == NULL) {
		to->client_code = strdup(from->client_code);
		if (to->client_code == NULL)
			return -1;
	}
	return 0;
}

/* Empties the records of ST, keeping its user and client code. */
void pm_state_clear(struct pm_state *st)
{
	if (st->have_acct)
		acct_pacer_free(&st->acct);
	if (st->have_court)
		acct_court_free(&st->court);
	memset(&st->acct, 0, sizeof(st->acct));
	memset(&st->court, 0, sizeof(st->court));
	st->have_acct = false;
	st->have_court = false;
	free(st->cmecf_login);
	st->cmecf_login = NULL;
	st->linked = false;
}

/* Frees ST and everything in it; the client code is wiped. NULL-safe. */
void pm_state_free(struct pm_state *st)
{
	if (st == NULL)
		return;
	pm_state_clear(st);
	secret_free(st->client_code);
	free(st->key);
	free(st->user);
	free(st);
}

/* pam_set_data cleanup: runs at pam_end or when the record is replaced. */
static void pm_state_cleanup(pam_handle_t *pamh, void *data, int status)
{
	(void)pamh;
	(void)status;
	pm_state_free(data);
}

/* Hands ST to the handle (which then owns it); a PAM code. On failure ST
 * is freed here. */
int pm_state_store(struct pm_ctx *ctx, struct pm_state *st)
{
	int rc = pam_set_data(ctx->pamh, PM_DATA_STATE, st, pm_state_cleanup);

	if (rc != PAM_SUCCESS) {
		pam_syslog(ctx->pamh, LOG_ERR, "pam_set_data: %s",
			   pam_strerror(ctx->pamh, rc));
		pm_state_free(st);
	}
	return rc;
}

/* The record on the handle when it was made for the current user,
 * whatever court or configuration read it (owned by the handle), else
 * NULL. Only what holds for the whole login may be taken from it. */
struct pm_state *pm_state_get_user(struct pm_ctx *ctx)
{
	const void *data = NULL;
	const struct pm_state *st;

	if (pam_get_data(ctx->pamh, PM_DATA_STATE, &data) != PAM_SUCCESS ||
	    data == NULL)
		return NULL;
	st = data;
	if (ctx->user == NULL || strcmp(st->user, ctx->user) != 0)
		return NULL;
	return (struct pm_state *)data;
}

/* The record on the handle when it was read for this call's user, court
 * and configuration (owned by the handle), else NULL: a record read for
 * another court or configuration is never a basis for this call's
 * decision. */
struct pm_state *pm_state_get(struct pm_ctx *ctx)
{
	struct pm_state *st = pm_state_get_user(ctx);
	char *key;
	bool same;

	if (st == NULL)
		return NULL;
	key = pm_state_key(ctx);
	same = key != NULL && strcmp(st->key, key) == 0;
	free(key);
	return same ? st : NULL;
}

/* True when ST's person may e-file in this court: an upgraded individual
 * account with a complete link here, and the court live. */
bool pm_may_efile(const struct pm_ctx *ctx, const struct pm_state *st)
{
	return ctx->court != NULL && st->have_acct &&
	       decide_efile(&st->acct, st->have_court ? &st->court : NULL,
			    st->linked, time(NULL)) == DECIDE_OK;
}

/* ---- exports ------------------------------------------------------------ */

/* Sets NAME=VALUE in the PAM environment, or removes NAME when VALUE is
 * NULL. Control characters in VALUE become '?'. A PAM code. */
static int pm_putenv(struct pm_ctx *ctx, const char *name, const char *value)
{
	char *pair = NULL;
	size_t i, off;
	int rc;

	if (value == NULL) {
		if (pam_getenv(ctx->pamh, name) == NULL)
			return PAM_SUCCESS;	/* nothing stale to remove */
		return pam_putenv(ctx->pamh, name);
	}
	if (asprintf(&pair, "%s=%s", name, value) < 0)
		return PAM_BUF_ERR;
	off = strlen(name) + 1;
	for (i = off; pair[i] != '\0'; i++)
		if ((unsigned char)pair[i] < 0x20 || pair[i] == 0x7f)
			pair[i] = '?';
	rc = pam_putenv(ctx->pamh, pair);
	secret_free(pair);
	return rc;
}

/* Withdraws every variable pm_export sets, so that a refusal leaves
 * nothing an earlier call exported for another court or configuration;
 * a PAM code. */
int pm_export_clear(struct pm_ctx *ctx)
{
	static const char *const names[] = {
		"PACER_USER", "PACER_NAME", "PACER_ACCOUNT_TYPE", "CMECF_COURT",
		"CMECF_COURT_TYPE", "CMECF_LOGIN", "CMECF_ACCESS",
		"PACER_CLIENT_CODE",
	};
	size_t i;
	int rc = PAM_SUCCESS;

	for (i = 0; i < sizeof(names) / sizeof(names[0]) && rc == PAM_SUCCESS;
	     i++)
		rc = pm_putenv(ctx, names[i], NULL);
	if (rc != PAM_SUCCESS)
		pam_syslog(ctx->pamh, LOG_ERR, "pam_putenv: %s",
			   pam_strerror(ctx->pamh, rc));
	return rc;
}

/* Exports what ST says about the person (pam_pacer.8, ENVIRONMENT);
 * a PAM code. */
int pm_export(struct pm_ctx *ctx, const struct pm_state *st)
{
	const char *court_type = NULL;
	int rc;

	if (st->have_court)
		court_type = court_type_name(st->court.type);
	rc = pm_putenv(ctx, "PACER_USER", st->acct.uid);
	if (rc == PAM_SUCCESS)
		rc = pm_putenv(ctx, "PACER_NAME", st->acct.cn);
	if (rc == PAM_SUCCESS)
		rc = pm_putenv(ctx, "PACER_ACCOUNT_TYPE",
			       acct_type_name(st->acct.type));
	if (rc == PAM_SUCCESS)
		rc = pm_putenv(ctx, "CMECF_COURT", ctx->court);
	if (rc == PAM_SUCCESS)
		rc = pm_putenv(ctx, "CMECF_COURT_TYPE", court_type);
	if (rc == PAM_SUCCESS)
		rc = pm_putenv(ctx, "CMECF_LOGIN",
			       st->linked ? st->cmecf_login : NULL);
	if (rc == PAM_SUCCESS)
		rc = pm_putenv(ctx, "CMECF_ACCESS",
			       pm_may_efile(ctx, st) ? "efile" : "query");
	if (rc == PAM_SUCCESS)
		rc = pm_putenv(ctx, "PACER_CLIENT_CODE", st->client_code);
	if (rc != PAM_SUCCESS)
		pam_syslog(ctx->pamh, LOG_ERR, "pam_putenv: %s",
			   pam_strerror(ctx->pamh, rc));
	return rc;
}
