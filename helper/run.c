/*
 * run.c - how a cmecf-link run ends: the audit line, the one map from a
 * directory status to an exit code, refusals carried up to link_run and
 * the admin commands, and run_exit, which releases what the run holds
 * and wipes every secret on every path.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "audit.h"
#include "cmecf_link.h"

/* Logs one line: who ran what about which accounts, and how it ended. */
void run_log(struct run *r, int prio, const char *outcome, const char *fmt, ...)
{
	char msg[512] = "";
	char c_msg[512], c_court[AUDIT_FIELD_LEN], c_pacer[AUDIT_FIELD_LEN];
	char c_cmecf[AUDIT_FIELD_LEN], c_who[AUDIT_FIELD_LEN],
		c_tty[AUDIT_FIELD_LEN];
	va_list ap;

	if (fmt != NULL) {
		va_start(ap, fmt);
		(void)vsnprintf(msg, sizeof(msg), fmt, ap);
		va_end(ap);
	}
	syslog(prio, "action=%s uid=%lu(%s) tty=%s court=%s pacer_user=%s "
	       "cmecf_login=%s outcome=%s%s%s",
	       r->action_name, (unsigned long)r->ruid,
	       audit_clean(c_who, sizeof(c_who), r->who),
	       audit_clean(c_tty, sizeof(c_tty), r->tty),
	       audit_clean(c_court, sizeof(c_court), r->court),
	       audit_clean(c_pacer, sizeof(c_pacer),
			   r->pacer_user[0] ? r->pacer_user : NULL),
	       audit_clean(c_cmecf, sizeof(c_cmecf),
			   r->cmecf_login[0] ? r->cmecf_login : NULL),
	       outcome, msg[0] ? ": " : "",
	       msg[0] ? audit_clean(c_msg, sizeof(c_msg), msg) : "");
}

/* Never returns: logs, tells the person, releases what R owns, wipes
 * secrets, exits with CODE. */
void run_exit(struct run *r, int code, const char *outcome, const char *fmt,
	      ...)
{
	char msg[1024] = "";
	va_list ap;

	if (fmt != NULL) {
		va_start(ap, fmt);
		(void)vsnprintf(msg, sizeof(msg), fmt, ap);
		va_end(ap);
		if (code == LX_OK)
			say("%s\n", msg);
		else
			say_err("%s\n", msg);
	}
	if (outcome != NULL)
		run_log(r, code == LX_OK ? LOG_NOTICE : LOG_WARNING, outcome,
			"exit=%d %s", code, msg);
	dir_close(r->svc);
	r->svc = NULL;
	lw_pacer_free(&r->pacer);
	lw_cmecf_free(&r->cmecf);
	free(r->pacer_dn);
	free(r->cmecf_dn);
	free(r->shown);
	r->pacer_dn = r->cmecf_dn = r->shown = NULL;
	secret_free(r->link_pw);
	r->link_pw = NULL;
	secret_wipe(r->pacer_pw, sizeof(r->pacer_pw));
	secret_wipe(r->cmecf_pw, sizeof(r->cmecf_pw));
	cfg_free(&r->cfg);
	thr_close(&r->thr);
	(void)fflush(stdout);
	closelog();
	exit(code);
}

int run_exit_code(enum dir_status st)
{
	switch (st) {
	case DIR_ERR_UNAVAILABLE:
	case DIR_ERR_TIMEOUT:
	case DIR_ERR_TLS:
		return LX_UNAVAIL;
	case DIR_ERR_CONFLICT:
		return LX_REFUSED;
	case DIR_OK:
	case DIR_ERR_CREDENTIALS:
	case DIR_ERR_NO_ENTRY:
	case DIR_ERR_INSECURE:
	case DIR_ERR_POLICY:
	case DIR_ERR_NOMEM:
	case DIR_ERR_INVALID:
	case DIR_ERR_PROTOCOL:
		break;
	}
	return LX_USAGE;
}

int refuse(struct refusal *f, int code, const char *outcome,
	   const char *fmt, ...)
{
	va_list ap;

	f->code = code;
	f->outcome = outcome;
	va_start(ap, fmt);
	(void)vsnprintf(f->msg, sizeof(f->msg), fmt, ap);
	va_end(ap);
	return -1;
}

int refuse_status(struct refusal *f, enum dir_status st,
		  const struct dir_error *err, const char *what)
{
	const char *server = err != NULL && err->server[0] != '\0' ?
			     err->server : "the link directory server";
	const char *detail = err != NULL && err->detail[0] != '\0' ?
			     err->detail : dir_status_name(st);
	int code = run_exit_code(st);

	if (code == LX_UNAVAIL)
		return refuse(f, code, "unavailable", "%s: the link directory "
			      "server %s did not answer (%s: %s)", what, server,
			      dir_status_name(st), detail);
	if (code == LX_REFUSED)
		return refuse(f, code, "conflict", "%s: the entry changed "
			      "meanwhile (%s); run the command again", what,
			      detail);
	return refuse(f, code, "error", "%s: refused by %s: %s", what, server,
		      detail);
}

void run_exit_refusal(struct run *r, const struct refusal *f)
{
	run_exit(r, f->code, f->outcome, "%s", f->msg);
}

void run_exit_for_status(struct run *r, enum dir_status st,
			 const struct dir_error *err, const char *what)
{
	struct refusal f;

	(void)refuse_status(&f, st, err, what);
	run_exit_refusal(r, &f);
}
