/*
 * dir.h - one connection to one directory server, under a deadline.
 *
 * libldap cannot bound a login by itself: its network timeout covers
 * connect() only, its operation timeout covers waiting for results but not
 * an ldaps handshake or a StartTLS exchange with a server that accepts and
 * never answers. So we own the socket: connect it non-blocking under
 * poll(), give every blocking read and write a kernel timeout no longer
 * than the time left, hand it to libldap with ldap_init_fd(), and wait for
 * every result ourselves with the time left. Every option is set on our
 * own handle, never the process-wide one.
 */
#ifndef PACER_DIR_H
#define PACER_DIR_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>
#include <ldap.h>

#include "config.h"

/* What went wrong, independent of PAM codes and helper exit codes. */
enum dir_status {
	DIR_OK = 0,
	DIR_ERR_CREDENTIALS,	/* invalidCredentials: wrong password or no such entry */
	DIR_ERR_NO_ENTRY,	/* the entry read or searched for is not there */
	DIR_ERR_UNAVAILABLE,	/* could not connect, or the server went away */
	DIR_ERR_TIMEOUT,	/* a limit fired; dir_error.limit says which */
	DIR_ERR_TLS,		/* TLS handshake or certificate verification failed */
	DIR_ERR_INSECURE,	/* a password would have crossed the wire in clear */
	DIR_ERR_POLICY,		/* refused by the server's rules (ppolicy, constraint, ACL) */
	DIR_ERR_CONFLICT,	/* a concurrent writer won: assertion failed, value exists */
	DIR_ERR_NOMEM,
	DIR_ERR_INVALID,	/* bad input refused before the wire (empty password...) */
	DIR_ERR_PROTOCOL,	/* anything else; ldap_rc and detail say what */
};

/* Filled on failure; for the administrator's log, never shown a secret. */
struct dir_error {
	enum dir_status status;
	int ldap_rc;		/* the LDAP result code, 0 when none */
	char server[128];	/* the URI that failed, "" when none was tried */
	const char *limit;	/* "network_timeout", "timeout" or "login_budget" */
	char detail[256];	/* the server's diagnostic or libldap's words */
};

/* A point on CLOCK_MONOTONIC after which nothing waits any more. */
struct dir_deadline {
	struct timespec at;
};

/* Sets DL to BUDGET_MS from now. */
void dir_deadline_start(struct dir_deadline *dl, long budget_ms);
/* Milliseconds left before DL (0 when passed). */
long dir_deadline_left_ms(const struct dir_deadline *dl);

/* Password-policy response control (draft-behera) seen on a bind. */
struct dir_ppolicy {
	bool present;
	int expire;		/* seconds until the password expires, -1 none */
	int grace;		/* grace logins left, -1 none */
	int error;		/* LDAPPasswordPolicyError; PP_noError when none */
};

struct dir_conn;

/*
 * Connects to the first of cfg's URIS, starting at index *next, that
 * accepts a connection (and completes ldaps or StartTLS as configured)
 * within network_timeout and the deadline. On DIR_OK, *out is the
 * connection (caller closes with dir_close) and *next is the index after
 * the one used, so a caller whose operation then times out can go on with
 * the next server. On failure err names the last server tried and why.
 * A TLS or certificate failure is never retried in plaintext.
 */
enum dir_status dir_connect(const struct cfg *cfg, const char *const *uris,
			    size_t n_uris, size_t *next,
			    const struct dir_deadline *dl, struct dir_conn **out,
			    struct dir_error *err);

/* Unbinds and closes; NULL-safe. */
void dir_close(struct dir_conn *c);

/* The URI this connection reached (owned by the connection). */
const char *dir_server(const struct dir_conn *c);

/* Gives C a new deadline (the helper waits on a person between steps). */
void dir_set_deadline(struct dir_conn *c, const struct dir_deadline *dl);

/* The raw handle, for operations this file does not wrap (owned by C). */
LDAP *dir_handle(struct dir_conn *c);

/*
 * Simple bind as DN with PASSWORD. An empty or over-long password, or a
 * connection that is neither ldaps, StartTLS, ldapi nor allowed plaintext,
 * is refused without sending anything. When PP is not NULL the password
 * policy control is requested and its answer stored there.
 */
enum dir_status dir_bind(struct dir_conn *c, const char *dn,
			 const char *password, struct dir_ppolicy *pp,
			 struct dir_error *err);

/* RFC 4532 WhoAmI; *authzid is a malloc'ed string ("dn:..."). */
enum dir_status dir_whoami(struct dir_conn *c, char **authzid,
			   struct dir_error *err);

/*
 * Search; *res is the whole result chain (ldap_msgfree), set only on
 * DIR_OK. A base-scope search for an absent entry gives DIR_ERR_NO_ENTRY.
 * SIZELIMIT 0 means the server's.
 */
enum dir_status dir_search(struct dir_conn *c, const char *base, int scope,
			   const char *filter, char **attrs, int sizelimit,
			   LDAPMessage **res, struct dir_error *err);

/*
 * Sends a search without waiting (several may be in flight on one
 * connection); *msgid is for dir_wait.
 */
enum dir_status dir_search_send(struct dir_conn *c, const char *base, int scope,
				const char *filter, char *const *attrs,
				int sizelimit, int *msgid, struct dir_error *err);

/*
 * Waits, within the operation timeout and the deadline, for the result of
 * MSGID sent on C by the caller; on DIR_OK *res holds it (ldap_msgfree).
 * A timeout abandons the operation and marks the connection unusable.
 */
enum dir_status dir_wait(struct dir_conn *c, int msgid, int all,
			 LDAPMessage **res, struct dir_error *err);

/*
 * Reads the result code of RES (a result message, not freed) into err
 * with the server's diagnostic; returns the matching status.
 */
enum dir_status dir_check_result(struct dir_conn *c, LDAPMessage *res,
				 struct dir_error *err);

/* Sets err from a libldap return code for an operation on C. */
enum dir_status dir_fail_rc(struct dir_conn *c, int rc, struct dir_error *err);

/* RFC 3062 Password Modify as the bound user; the server's refusal text
 * lands in err->detail. */
enum dir_status dir_passwd(struct dir_conn *c, const char *dn,
			   const char *oldpw, const char *newpw,
			   struct dir_error *err);

/* True when a failure on one server is worth trying on the next. */
bool dir_status_retryable(enum dir_status st);

/* A short word for a status, for logs ("unavailable", "timeout"...). */
const char *dir_status_name(enum dir_status st);

/* Maps an LDAP result code to a status (the one place that does). */
enum dir_status dir_status_from_ldap(int rc);

#endif
