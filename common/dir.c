/*
 * dir.c - the LDAP operations on a connection (transport.c makes it): the
 * one map from LDAP results to dir_status, waiting for results with the
 * time left, binds with the password-policy control, WhoAmI, searches
 * and the password change.
 */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <unistd.h>

#include <openldap.h>

#include "dir_private.h"
#include "secret.h"

#define DIR_DEFAULT_LDAPI "/var/run/slapd/ldapi"
#define DIR_SYSTEM_CA "/etc/ssl/certs/ca-certificates.crt"


/* ---- errors ------------------------------------------------------------ */

static enum dir_status fail(struct dir_error *err, enum dir_status st,
			    const char *server, int rc, const char *limit,
			    const char *detail)
{
	if (err == NULL)
		return st;
	err->status = st;
	err->ldap_rc = rc;
	err->limit = limit;
	(void)snprintf(err->server, sizeof(err->server), "%s",
		       server != NULL ? server : "");
	(void)snprintf(err->detail, sizeof(err->detail), "%s",
		       detail != NULL ? detail : "");
	return st;
}

enum dir_status dir_set_error(struct dir_error *err, enum dir_status st,
			      const char *server, int rc, const char *limit,
			      const char *detail)
{
	return fail(err, st, server, rc, limit, detail);
}

/*
 * On a guarded write two codes mean something else than on a read: the
 * entry was there when the writer read it, so noSuchObject is a
 * concurrent delete, and constraintViolation is a single-valued link
 * attribute (or slapo-unique) refusing a second value someone else wrote
 * first. Both are conflicts, which the writer answers by reading again.
 */
enum dir_status dir_status_from_ldap_op(int rc, enum dir_op op)
{
	switch (rc) {
	case LDAP_SUCCESS:
		return DIR_OK;
	case LDAP_INVALID_CREDENTIALS:
		return DIR_ERR_CREDENTIALS;
	case LDAP_NO_SUCH_OBJECT:
		return op == DIR_OP_WRITE ? DIR_ERR_CONFLICT : DIR_ERR_NO_ENTRY;
	case LDAP_SERVER_DOWN:
	case LDAP_CONNECT_ERROR:
	case LDAP_UNAVAILABLE:
	case LDAP_BUSY:
		return DIR_ERR_UNAVAILABLE;
	case LDAP_TIMEOUT:
	case LDAP_TIMELIMIT_EXCEEDED:
		return DIR_ERR_TIMEOUT;
	case LDAP_CONSTRAINT_VIOLATION:
		return op == DIR_OP_WRITE ? DIR_ERR_CONFLICT : DIR_ERR_POLICY;
	case LDAP_INSUFFICIENT_ACCESS:
	case LDAP_UNWILLING_TO_PERFORM:
	case LDAP_STRONG_AUTH_REQUIRED:
	case LDAP_CONFIDENTIALITY_REQUIRED:
	case LDAP_INAPPROPRIATE_AUTH:
		return DIR_ERR_POLICY;
	case LDAP_ASSERTION_FAILED:
	case LDAP_TYPE_OR_VALUE_EXISTS:
	case LDAP_NO_SUCH_ATTRIBUTE:
	case LDAP_ALREADY_EXISTS:
		return DIR_ERR_CONFLICT;
	case LDAP_NO_MEMORY:
		return DIR_ERR_NOMEM;
	default:
		return DIR_ERR_PROTOCOL;
	}
}

enum dir_status dir_status_from_ldap(int rc)
{
	return dir_status_from_ldap_op(rc, DIR_OP_READ);
}

const char *dir_status_name(enum dir_status st)
{
	switch (st) {
	case DIR_OK:			return "ok";
	case DIR_ERR_CREDENTIALS:	return "invalid credentials";
	case DIR_ERR_NO_ENTRY:		return "no such entry";
	case DIR_ERR_UNAVAILABLE:	return "server unavailable";
	case DIR_ERR_TIMEOUT:		return "timeout";
	case DIR_ERR_TLS:		return "TLS failure";
	case DIR_ERR_INSECURE:
		return "refused: password over an unprotected connection";
	case DIR_ERR_POLICY:		return "refused by the server";
	case DIR_ERR_CONFLICT:		return "concurrent change";
	case DIR_ERR_NOMEM:		return "out of memory";
	case DIR_ERR_INVALID:		return "invalid input";
	case DIR_ERR_PROTOCOL:		return "directory error";
	}
	return "unknown";
}

bool dir_status_retryable(enum dir_status st)
{
	return st == DIR_ERR_UNAVAILABLE || st == DIR_ERR_TIMEOUT ||
	       st == DIR_ERR_TLS;
}

enum dir_status dir_fail_rc(struct dir_conn *c, int rc, struct dir_error *err)
{
	char *diag = NULL;
	char detail[256];
	enum dir_status st = dir_status_from_ldap(rc);

	if (c->ld != NULL)
		(void)ldap_get_option(c->ld, LDAP_OPT_DIAGNOSTIC_MESSAGE,
				      &diag);
	(void)snprintf(detail, sizeof(detail), "%s%s%s", ldap_err2string(rc),
		       diag != NULL && *diag != '\0' ? ": " : "",
		       diag != NULL ? diag : "");
	ldap_memfree(diag);
	if (st == DIR_ERR_UNAVAILABLE || st == DIR_ERR_TIMEOUT)
		c->broken = true;
	return fail(err, st, c->server, rc,
		    st == DIR_ERR_TIMEOUT ? "timeout" : NULL, detail);
}

/* ---- operations -------------------------------------------------------- */

enum dir_status dir_wait(struct dir_conn *c, int msgid, int all,
			 LDAPMessage **res, struct dir_error *err)
{
	const char *limit = NULL;
	long ms;
	struct timeval tv;
	int rc;

	*res = NULL;
	if (c->broken)
		return dir_set_error(
			err, DIR_ERR_UNAVAILABLE, c->server, 0, NULL,
			"connection unusable after an earlier failure");
	ms = dir_step_ms(&c->dl, c->cfg->timeout_ms, "timeout", &limit);
	if (ms <= 0) {
		c->broken = true;
		(void)ldap_abandon_ext(c->ld, msgid, NULL, NULL);
		return dir_set_error(err, DIR_ERR_TIMEOUT, c->server, 0, limit,
			    "no time left for an answer");
	}
	dir_conn_set_timeouts(c, ms);
	tv = dir_ms_to_tv(ms);
	rc = ldap_result(c->ld, msgid, all, &tv, res);
	if (rc == 0) {
		c->broken = true;
		(void)ldap_abandon_ext(c->ld, msgid, NULL, NULL);
		return dir_set_error(err, DIR_ERR_TIMEOUT, c->server, 0, limit,
			    "no answer in time");
	}
	if (rc < 0) {
		int ldrc = LDAP_SERVER_DOWN;
		struct dir_deadline step;

		*res = NULL;
		/* The bottom layer gave up on a read or write at the step's
		 * end: that is this step's limit firing, not a dead server. */
		step.at = c->io_until;
		if (dir_deadline_left_ms(&step) <= 0) {
			c->broken = true;
			return dir_set_error(err, DIR_ERR_TIMEOUT, c->server, 0,
					     limit, "no answer in time");
		}
		(void)ldap_get_option(c->ld, LDAP_OPT_RESULT_CODE, &ldrc);
		return dir_fail_rc(c, ldrc, err);
	}
	return DIR_OK;
}

enum dir_status dir_check_result(struct dir_conn *c, LDAPMessage *res,
				 struct dir_error *err)
{
	return dir_check_result_op(c, res, DIR_OP_READ, err);
}

enum dir_status dir_check_result_op(struct dir_conn *c, LDAPMessage *res,
				    enum dir_op op, struct dir_error *err)
{
	int rc = LDAP_OTHER, prc;
	char *diag = NULL;
	char detail[256];
	enum dir_status st;

	prc = ldap_parse_result(c->ld, res, &rc, NULL, &diag, NULL, NULL, 0);
	if (prc != LDAP_SUCCESS)
		return dir_fail_rc(c, prc, err);
	st = dir_status_from_ldap_op(rc, op);
	if (st != DIR_OK) {
		(void)snprintf(detail, sizeof(detail), "%s%s%s",
			       ldap_err2string(rc),
			       diag != NULL && *diag != '\0' ? ": " : "",
			       diag != NULL ? diag : "");
		dir_set_error(err, st, c->server, rc, NULL, detail);
	}
	ldap_memfree(diag);
	return st;
}

/* Reads a password policy response control out of CTRLS into PP. */
static void ppolicy_read(LDAP *ld, LDAPControl **ctrls, struct dir_ppolicy *pp)
{
	LDAPControl *ctrl;
	ber_int_t expire = -1, grace = -1;
	LDAPPasswordPolicyError pperr = PP_noError;

	pp->present = false;
	pp->expire = -1;
	pp->grace = -1;
	pp->error = PP_noError;
	if (ctrls == NULL)
		return;
	ctrl = ldap_control_find(LDAP_CONTROL_PASSWORDPOLICYRESPONSE, ctrls,
				 NULL);
	if (ctrl == NULL)
		return;
	if (ldap_parse_passwordpolicy_control(ld, ctrl, &expire, &grace,
					      &pperr) != LDAP_SUCCESS)
		return;
	pp->present = true;
	pp->expire = expire;
	pp->grace = grace;
	pp->error = pperr;
}

enum dir_status dir_bind(struct dir_conn *c, const char *dn,
			 const char *password, struct dir_ppolicy *pp,
			 struct dir_error *err)
{
	struct berval cred;
	LDAPControl *ppctrl = NULL, *sctrls[2] = { NULL, NULL };
	LDAPControl **rctrls = NULL;
	LDAPMessage *res = NULL;
	char *diag = NULL;
	int msgid = -1, rc, prc, result = LDAP_OTHER;
	enum dir_status st = DIR_ERR_PROTOCOL;
	size_t len;

	if (pp != NULL) {
		pp->present = false;
		pp->expire = -1;
		pp->grace = -1;
		pp->error = PP_noError;
	}
	/* An empty password would be an unauthenticated bind (RFC 4513 5.1.2):
	 * it never reaches the server. */
	if (dn == NULL || *dn == '\0' || password == NULL || *password == '\0')
		return dir_set_error(err, DIR_ERR_INVALID, c->server, 0, NULL,
			    "empty DN or password refused before the wire");
	len = strnlen(password, SECRET_MAX_LEN + 1);
	if (len > SECRET_MAX_LEN)
		return dir_set_error(err, DIR_ERR_INVALID, c->server, 0, NULL,
			    "password longer than 512 bytes refused");
	if (!c->secure && !c->cfg->allow_plaintext)
		return dir_set_error(err, DIR_ERR_INSECURE, c->server, 0, NULL,
			    "password bind over ldap:// without StartTLS refused "
			    "(allow_plaintext is no)");

	cred.bv_val = (char *)password;
	cred.bv_len = len;
	if (pp != NULL) {
		if (ldap_create_passwordpolicy_control(c->ld, &ppctrl) !=
		    LDAP_SUCCESS)
			return dir_set_error(
				err, DIR_ERR_NOMEM, c->server, 0, NULL,
				"cannot build the password policy control");
		sctrls[0] = ppctrl;
	}
	rc = ldap_sasl_bind(c->ld, dn, LDAP_SASL_SIMPLE, &cred, sctrls, NULL,
			    &msgid);
	if (rc != LDAP_SUCCESS) {
		st = dir_fail_rc(c, rc, err);
		goto done;
	}
	st = dir_wait(c, msgid, LDAP_MSG_ALL, &res, err);
	if (st != DIR_OK)
		goto done;
	prc = ldap_parse_result(c->ld, res, &result, NULL, &diag, NULL, &rctrls,
				0);
	if (prc != LDAP_SUCCESS) {
		st = dir_fail_rc(c, prc, err);
		goto done;
	}
	if (pp != NULL)
		ppolicy_read(c->ld, rctrls, pp);
	st = dir_status_from_ldap(result);
	if (st != DIR_OK) {
		char detail[256];

		(void)snprintf(detail, sizeof(detail), "%s%s%s",
			       ldap_err2string(result),
			       diag != NULL && *diag != '\0' ? ": " : "",
			       diag != NULL ? diag : "");
		dir_set_error(err, st, c->server, result, NULL, detail);
	}
done:
	ldap_memfree(diag);
	if (rctrls != NULL)
		ldap_controls_free(rctrls);
	if (ppctrl != NULL)
		ldap_control_free(ppctrl);
	if (res != NULL)
		(void)ldap_msgfree(res);
	return st;
}

enum dir_status dir_whoami(struct dir_conn *c, char **authzid,
			   struct dir_error *err)
{
	LDAPMessage *res = NULL;
	struct berval *id = NULL;
	int msgid = -1, rc;
	enum dir_status st;

	*authzid = NULL;
	rc = ldap_whoami(c->ld, NULL, NULL, &msgid);
	if (rc != LDAP_SUCCESS)
		return dir_fail_rc(c, rc, err);
	st = dir_wait(c, msgid, LDAP_MSG_ALL, &res, err);
	if (st != DIR_OK)
		return st;
	st = dir_check_result(c, res, err);
	if (st == DIR_OK) {
		rc = ldap_parse_whoami(c->ld, res, &id);
		if (rc != LDAP_SUCCESS) {
			st = dir_fail_rc(c, rc, err);
		} else {
			*authzid = id != NULL ? strndup(id->bv_val, id->bv_len)
					      : strdup("");
			if (*authzid == NULL)
				st = dir_set_error(err, DIR_ERR_NOMEM,
						   c->server, 0, NULL,
						   "out of memory");
		}
	}
	if (id != NULL)
		ber_bvfree(id);
	(void)ldap_msgfree(res);
	return st;
}

enum dir_status dir_search(struct dir_conn *c, const char *base, int scope,
			   const char *filter, char **attrs, int sizelimit,
			   LDAPMessage **res, struct dir_error *err)
{
	LDAPMessage *chain = NULL;
	int msgid = -1;
	enum dir_status st;

	*res = NULL;
	st = dir_search_send(c, base, scope, filter, attrs, sizelimit, &msgid,
			     err);
	if (st != DIR_OK)
		return st;
	st = dir_wait(c, msgid, LDAP_MSG_ALL, &chain, err);
	if (st != DIR_OK)
		return st;
	st = dir_check_result(c, chain, err);
	if (st == DIR_OK && scope == LDAP_SCOPE_BASE &&
	    ldap_count_entries(c->ld, chain) == 0)
		st = dir_set_error(err, DIR_ERR_NO_ENTRY, c->server,
				   LDAP_NO_SUCH_OBJECT, NULL,
				   "entry not visible");
	if (st != DIR_OK) {
		(void)ldap_msgfree(chain);
		return st;
	}
	*res = chain;
	return DIR_OK;
}

enum dir_status dir_passwd(struct dir_conn *c, const char *dn,
			   const char *oldpw, const char *newpw,
			   struct dir_error *err)
{
	struct berval user, oldb, newb;
	LDAPMessage *res = NULL;
	int msgid = -1, rc;
	enum dir_status st;

	if (newpw == NULL || *newpw == '\0' || oldpw == NULL || *oldpw == '\0')
		return dir_set_error(err, DIR_ERR_INVALID, c->server, 0, NULL,
			    "empty password refused");
	if (strnlen(newpw, SECRET_MAX_LEN + 1) > SECRET_MAX_LEN)
		return dir_set_error(err, DIR_ERR_INVALID, c->server, 0, NULL,
			    "new password longer than 512 bytes refused");
	if (!c->secure && !c->cfg->allow_plaintext)
		return dir_set_error(err, DIR_ERR_INSECURE, c->server, 0, NULL,
			    "password change over an unprotected connection refused");
	user.bv_val = (char *)dn;
	user.bv_len = strlen(dn);
	oldb.bv_val = (char *)oldpw;
	oldb.bv_len = strlen(oldpw);
	newb.bv_val = (char *)newpw;
	newb.bv_len = strlen(newpw);
	rc = ldap_passwd(c->ld, &user, &oldb, &newb, NULL, NULL, &msgid);
	if (rc != LDAP_SUCCESS)
		return dir_fail_rc(c, rc, err);
	st = dir_wait(c, msgid, LDAP_MSG_ALL, &res, err);
	if (st != DIR_OK)
		return st;
	st = dir_check_result(c, res, err);
	(void)ldap_msgfree(res);
	return st;
}

enum dir_status dir_search_send(struct dir_conn *c, const char *base, int scope,
				const char *filter, char *const *attrs,
				int sizelimit, int *msgid,
				struct dir_error *err)
{
	int rc;

	if (c->broken)
		return dir_set_error(
			err, DIR_ERR_UNAVAILABLE, c->server, 0, NULL,
			"connection unusable after an earlier failure");
	rc = ldap_search_ext(c->ld, base, scope, filter, (char **)attrs, 0,
			     NULL, NULL, NULL, sizelimit, msgid);
	return rc == LDAP_SUCCESS ? DIR_OK : dir_fail_rc(c, rc, err);
}
