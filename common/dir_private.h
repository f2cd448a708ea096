/*
 * dir_private.h - what dir.c (the connection) shares with dir_ops.c (the
 * operations built on it): the LDAP handle and the raw result messages.
 * Only files in common/ that implement dir.h include this.
 */
#ifndef PACER_DIR_PRIVATE_H
#define PACER_DIR_PRIVATE_H

#include <ldap.h>

#include "dir.h"

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
