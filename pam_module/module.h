/*
 * module.h - what the parts of pam_pacer.so share: the per-call context,
 * the record kept on the PAM handle between auth and account, the words
 * people see, and the one map from directory results to PAM codes.
 */
#ifndef PACER_MODULE_H
#define PACER_MODULE_H

#include <stdbool.h>
#include <stddef.h>
#include <security/pam_modules.h>

#include "account.h"
#include "audit.h"
#include "config.h"
#include "dir.h"
#include "options.h"

/* Which entry point a call came through. */
enum pm_phase {
	PM_AUTH,
	PM_SETCRED,
	PM_ACCOUNT,
	PM_OPEN_SESSION,
	PM_CLOSE_SESSION,
	PM_PASSWORD,
};

/* pam_fail_delay() asks for this on every failure (microseconds). */
#define PM_FAIL_DELAY_USEC 2000000u

/* The optional client code: printable ASCII, at most this many bytes. */
#define PM_CLIENT_CODE_MAX 32

/* The key of the record kept on the handle between auth and account. */
#define PM_DATA_STATE "pam_pacer.state"

/* Prompts. */
#define PM_PROMPT_PASSWORD	"PACER password: "
#define PM_PROMPT_CLIENT_CODE	"Client Code (optional): "
#define PM_PROMPT_OLD		"Current PACER password: "
#define PM_PROMPT_NEW		"New PACER password: "
#define PM_PROMPT_RETYPE	"new PACER password: "	/* libpam adds "Retype " */

/* What people read (pam_pacer.8 lists every one under MESSAGES). */
#define PM_MSG_NOT_UPGRADED \
	"Your PACER account was created before August 2014 and has not been " \
	"upgraded. Upgrade your PACER account, then log in again."
#define PM_MSG_NOT_LIVE_DATE \
	"This court is not live on NextGen CM/ECF yet; its go-live date is %s."
#define PM_MSG_NOT_LIVE_NODATE \
	"This court is not live on NextGen CM/ECF yet; it has not announced " \
	"a go-live date."
#define PM_MSG_FIRM \
	"This is a shared firm PACER account. Log on with your individual " \
	"upgraded PACER account to e-file."
#define PM_MSG_TYPE_UNKNOWN \
	"Your PACER account has no valid account type (individual or firm) " \
	"in the directory, so it cannot be used here. Contact the PACER " \
	"Service Center."
#define PM_MSG_NOT_LINKED \
	"Your PACER account is not linked to a CM/ECF e-filing account in " \
	"this court. Run cmecf-link once to link it. If you use CM/ECF for " \
	"PACER only, no action is necessary."
#define PM_MSG_LEGACY_LINKED \
	"Your CM/ECF login is permanently linked to your upgraded PACER " \
	"account. Log in with your PACER username and password."
#define PM_MSG_LEGACY_UNLINKED \
	"CM/ECF logins no longer work in this court: it is live on NextGen " \
	"CM/ECF. Run cmecf-link to link your CM/ECF account to your upgraded " \
	"PACER account, then log in with your PACER credentials."
#define PM_MSG_LEGACY_UNREADABLE \
	"CM/ECF logins do not work here. Once this court is live on " \
	"NextGen CM/ECF, log in with your upgraded PACER username and " \
	"password, after running cmecf-link if your CM/ECF account is not " \
	"linked to it yet."
#define PM_MSG_EXPIRED \
	"Your PACER password has expired. Reset it through PACER, then log " \
	"in again."
#define PM_MSG_LOCKED \
	"Your PACER account is locked after too many failed logins. Try " \
	"again later or contact the PACER Service Center."
#define PM_MSG_GRACE \
	"Your PACER password has expired: %d grace login%s left. Change " \
	"your password now."
#define PM_MSG_RESET \
	"Your PACER password was reset and must be changed before you " \
	"continue."
#define PM_MSG_EXPIRE_WARN \
	"Your PACER password expires in %ld day%s. Change it soon."
#define PM_MSG_MUST_CHANGE \
	"You must change your PACER password now."
#define PM_MSG_CLIENT_CODE \
	"A client code is at most 32 printable characters; none other is " \
	"accepted."
#define PM_MSG_SAME_PASSWORD \
	"The new PACER password must differ from the current one."
#define PM_MSG_CHANGED \
	"Your PACER password has been changed."
#define PM_MSG_REFUSED \
	"The PACER password was not changed: %s"

/*
 * The record auth leaves for account (and account refreshes): the PACER
 * entry, the court, the link. Owned by the handle once stored. Its
 * records hold only for the call that matches KEY: the same user, court
 * and configuration (pm_state_key); what it says about the password
 * (must_change, deferred) and the client code hold for the user's login.
 */
struct pm_state {
	char *user;			/* the PAM user it was made for */
	char *key;			/* pm_state_key() of the call that read it */
	struct pacer_account acct;
	bool have_acct;
	struct pacer_court court;
	bool have_court;		/* a court is configured and its entry read */
	char *cmecf_login;		/* uid of the complete link in this court */
	bool linked;			/* complete link in this court, both sides */
	bool must_change;		/* grace login or reset: a new password first */
	bool deferred; /* reset, and no identity we hold may read the
					   records before the change (anonymous
					   look-ups): decided after it */
	bool want_efile;		/* account asked for efile while deferred */
	char *client_code;
};

/* One call's context; lives on the entry point's stack. */
struct pm_ctx {
	pam_handle_t *pamh;
	enum pm_phase phase;
	int flags;
	struct options opt;
	struct cfg cfg;
	bool have_cfg;
	const char *court;		/* court=ID, else the file's, else NULL */
	const char *user;		/* PAM_USER (owned by PAM) */
	char user_log[AUDIT_FIELD_LEN];
	char rhost_log[AUDIT_FIELD_LEN];
	char service_log[AUDIT_FIELD_LEN];
	struct dir_deadline dl;
	char *lookup_pw;		/* bindpw_file's content, read once */
	bool config_fault;		/* a configuration problem surfaced late */
	const char *reason;		/* one word or phrase for the log line */
};

/* pam_pacer.c */
int pm_dispatch(enum pm_phase phase, pam_handle_t *pamh, int flags,
		int argc, const char **argv);
/* RC, or PAM_IGNORE for PAM_USER_UNKNOWN with ignore_unknown_user and for
 * PAM_AUTHINFO_UNAVAIL with ignore_authinfo_unavail: the one place the
 * results a stack may fall through are remapped (each phase calls it
 * before it logs its outcome, so the log says what the stack saw). */
int pm_ignore_remap(const struct pm_ctx *ctx, int rc);

/* pm_common.c */
int pm_status_to_pam(struct pm_ctx *ctx, enum dir_status st,
		     const struct dir_error *err);
void pm_log_outcome(struct pm_ctx *ctx, int rc, const struct dir_error *err);
void pm_say_info(struct pm_ctx *ctx, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void pm_say_error(struct pm_ctx *ctx, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void pm_debug(struct pm_ctx *ctx, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

typedef enum dir_status (*pm_server_fn)(struct pm_ctx *ctx,
					struct dir_conn *c, void *arg,
					struct dir_error *err);
enum dir_status pm_with_servers(struct pm_ctx *ctx, pm_server_fn fn,
				void *arg, struct dir_error *err);
enum dir_status pm_bind_lookup(struct pm_ctx *ctx, struct dir_conn *c,
			       struct dir_error *err);
enum dir_status pm_read_records(struct pm_ctx *ctx, struct dir_conn *c,
				const char *user_dn, struct pm_state *st,
				struct dir_error *err);
enum dir_status pm_read_court(struct pm_ctx *ctx, struct dir_conn *c,
			      struct pacer_court *court, bool *found,
			      struct dir_error *err);
char *pm_state_key(const struct pm_ctx *ctx);
struct pm_state *pm_state_new(const struct pm_ctx *ctx);
void pm_state_clear(struct pm_state *st);
void pm_state_free(struct pm_state *st);
int pm_state_inherit(struct pm_state *to, const struct pm_state *from);
int pm_state_store(struct pm_ctx *ctx, struct pm_state *st);
struct pm_state *pm_state_get(struct pm_ctx *ctx);
struct pm_state *pm_state_get_user(struct pm_ctx *ctx);
bool pm_may_efile(const struct pm_ctx *ctx, const struct pm_state *st);
int pm_export(struct pm_ctx *ctx, const struct pm_state *st);
int pm_export_clear(struct pm_ctx *ctx);

/* pm_auth.c, pm_account.c, pm_password.c */
int pm_authenticate(struct pm_ctx *ctx);
int pm_account(struct pm_ctx *ctx);
int pm_account_decide(struct pm_ctx *ctx, const struct pm_state *st,
		      bool efile);
int pm_password(struct pm_ctx *ctx);

#endif
