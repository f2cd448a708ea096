/*
 * dir_private.h - what the files behind dir.h share: transport.c (the
 * connection), dir.c (the LDAP operations) and dir_ops.c (entries, walks
 * and guarded writes built on them). Only those files include this.
 */
#ifndef PACER_DIR_PRIVATE_H
#define PACER_DIR_PRIVATE_H

#include <pthread.h>
#include <stdbool.h>
#include <sys/time.h>
#include <ldap.h>

#include "dir.h"

/*
 * Lets the caller of a racing connection attempt stop it: the attempt
 * publishes its socket here while it works on it, and withdraws it before
 * closing it, so shutting it down from outside never hits a reused fd.
 */
struct dir_cancel {
	pthread_mutex_t lock;
	int fd;
	bool cancelled;
};

struct dir_conn {
	LDAP *ld;
	struct dir_cancel *cancel;	/* NULL unless racing */
	int fd;				/* owned by ld once ldap_init_fd succeeded */
	const struct cfg *cfg;
	struct dir_deadline dl;
	char server[128];
	long sock_ms;			/* the socket's read/write timeout now */
	struct timespec io_until;	/* end of the current step's reads and writes */
	bool secure;			/* ldaps, StartTLS done, or ldapi */
	bool broken;			/* a timeout left the stream unusable */
};

/* Milliseconds the next step may take: LIMIT_MS or what is left of DL,
 * whichever is less; *LIMIT names the one that binds (the limit's name,
 * or "login_budget"). */
long dir_step_ms(const struct dir_deadline *dl, long limit_ms,
		 const char *limit_name, const char **limit);


/* MS as a struct timeval. */
struct timeval dir_ms_to_tv(long ms);

/* Bounds C's socket reads and writes to MS from now. */
void dir_conn_set_timeouts(struct dir_conn *c, long ms);

/* The connection's LDAP handle (owned by C). */
LDAP *dir_handle(struct dir_conn *c);

/* True when an earlier timeout left C's stream unusable. */
bool dir_broken(const struct dir_conn *c);

/* Fills ERR (when not NULL) and returns ST; SERVER, LIMIT and DETAIL may
 * be NULL. */
enum dir_status dir_set_error(struct dir_error *err, enum dir_status st,
			      const char *server, int rc, const char *limit,
			      const char *detail);

/*
 * Search; *res is the whole result chain (ldap_msgfree), set only on
 * DIR_OK. A base-scope search for an absent entry gives DIR_ERR_NO_ENTRY.
 * SIZELIMIT 0 means the server's.
 */
enum dir_status dir_search(struct dir_conn *c, const char *base, int scope,
			   const char *filter, char **attrs, int sizelimit,
			   LDAPMessage **res, struct dir_error *err);

/*
 * Waits, within the operation timeout and the deadline, for the result of
 * MSGID sent on C by the caller; on DIR_OK *res holds it (ldap_msgfree).
 * A timeout abandons the operation and marks the connection unusable.
 */
enum dir_status dir_wait(struct dir_conn *c, int msgid, int all,
			 LDAPMessage **res, struct dir_error *err);

/*
 * Reads the result code of RES (a result message, not freed) into err
 * with the server's diagnostic; returns the status OP gives it.
 */
enum dir_status dir_check_result_op(struct dir_conn *c, LDAPMessage *res,
				    enum dir_op op, struct dir_error *err);

/* dir_check_result_op(C, RES, DIR_OP_READ, ERR). */
enum dir_status dir_check_result(struct dir_conn *c, LDAPMessage *res,
				 struct dir_error *err);

/* Sets err from a libldap return code for an operation on C. */
enum dir_status dir_fail_rc(struct dir_conn *c, int rc, struct dir_error *err);

#endif
