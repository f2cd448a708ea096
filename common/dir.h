/*
 * dir.h - the one door to the directory: sessions, searches, entries and
 * statuses. Nothing outside common/ sees an LDAP handle, a result
 * message or an LDAPMod; callers get connections (struct dir_conn),
 * entries handed to a callback (struct dir_entry) and a dir_status with
 * a struct dir_error for the log, as nss-pam-ldapd's nslcd/myldap.h
 * shapes it. dir.c holds the connection under its deadline; dir_ops.c
 * the operations built on it (entries, the paged walk, guarded writes);
 * dir_private.h is what the two share and nothing else includes.
 *
 * libldap cannot bound a login by itself: its network timeout covers
 * connect() only, its operation timeout covers waiting for results but not
 * an ldaps handshake or a StartTLS exchange with a server that accepts and
 * never answers. So we own the socket: connect it non-blocking under
 * poll(), give every blocking read and write a kernel timeout no longer
 * than the time left, hand it to libldap with ldap_init_fd(), and wait for
 * every result ourselves with the time left. Every option is set on our
 * own handle, never the process-wide one.
 *
 * <ldap.h> is still included for its constants (LDAP_SCOPE_*, the PP_*
 * password policy errors in struct dir_ppolicy); none of its types or
 * functions is part of this interface.
 */
#ifndef PACER_DIR_H
#define PACER_DIR_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>
#include <lber.h>
#include <ldap.h>

#include "config.h"
#include "deadline.h"

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
			    const struct dir_deadline *dl,
			    struct dir_conn **out, struct dir_error *err);

/*
 * Makes libldap read its process-wide configuration now. A setuid program
 * calls this before it drops privileges: libldap reads a user's ldaprc
 * and LDAP* variables only when uid == euid (libraries/libldap/init.c),
 * so initialised while they differ, with the environment cleaned, it
 * reads nothing the person controls.
 */
void dir_library_init(void);

/* Unbinds and closes; NULL-safe. */
void dir_close(struct dir_conn *c);

/* The URI this connection reached (owned by the connection). */
const char *dir_server(const struct dir_conn *c);

/* Gives C a new deadline (the helper waits on a person between steps). */
void dir_set_deadline(struct dir_conn *c, const struct dir_deadline *dl);

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
 * Sends a search without waiting (several may be in flight on one
 * connection); *msgid is for dir_wait_entries.
 */
enum dir_status dir_search_send(struct dir_conn *c, const char *base,
				int scope, const char *filter,
				char *const *attrs, int sizelimit, int *msgid,
				struct dir_error *err);

/* RFC 3062 Password Modify as the bound user; the server's refusal text
 * lands in err->detail. */
enum dir_status dir_passwd(struct dir_conn *c, const char *dn,
			   const char *oldpw, const char *newpw,
			   struct dir_error *err);

/* True when a failure on one server is worth trying on the next. */
bool dir_status_retryable(enum dir_status st);

/* A short word for a status, for logs ("unavailable", "timeout"...). */
const char *dir_status_name(enum dir_status st);

/* What an LDAP result answers: a read (search, bind, extended
 * operation) or a guarded write (dir_modify_guarded). */
enum dir_op { DIR_OP_READ = 0, DIR_OP_WRITE };

/*
 * Maps the LDAP result code RC of an operation of kind OP to a status:
 * the one map there is. On a guarded write, an entry that vanished or a
 * value the server refuses as a second one is a concurrent writer that
 * got there first (DIR_ERR_CONFLICT); on a read they are a missing entry
 * and the server's rules.
 */
enum dir_status dir_status_from_ldap_op(int rc, enum dir_op op);

/* dir_status_from_ldap_op(RC, DIR_OP_READ). */
enum dir_status dir_status_from_ldap(int rc);

/* ---- entries and operations (dir_ops.c) -------------------------------- */

/* One attribute of an entry as the server sent it. */
struct dir_attr {
	const char *name;
	struct berval **vals;	/* NULL-terminated; NULL when none */
};

/*
 * One entry: its DN and its attributes, read-only for callers. An entry
 * handed to a callback belongs to the operation and is valid only until
 * the callback returns; copy what is kept (account.h's builders do).
 * Tests and fuzz targets may fill one themselves.
 */
struct dir_entry {
	const char *dn;
	const struct dir_attr *attrs;
	size_t n_attrs;
};

/* The values of attribute NAME (compared ignoring case) of E, or NULL
 * when absent; owned by E. */
struct berval **dir_entry_values(const struct dir_entry *e, const char *name);

/* Called for each entry of a result: 0 to go on, else the operation stops
 * with DIR_ERR_NOMEM (the entry could not be kept). */
typedef int (*dir_entry_fn)(void *ctx, const struct dir_entry *e);

/*
 * Waits, within the operation timeout and the deadline, for the whole
 * result of the search MSGID sent on C (dir_search_send), checks its
 * result code and hands each entry to FN. Several searches may be sent
 * before the first is waited for. A timeout abandons the search and
 * marks the connection unusable.
 */
enum dir_status dir_wait_entries(struct dir_conn *c, int msgid, dir_entry_fn fn,
				 void *ctx, struct dir_error *err);

/*
 * Reads the one entry DN when it matches FILTER, with ATTRS, and hands it
 * to FN (NULL: only whether it is there). DIR_ERR_NO_ENTRY when it is not
 * there or not visible; DIR_ERR_PROTOCOL, naming DN, when FN refuses it
 * (a malformed entry).
 */
enum dir_status dir_read_entry(struct dir_conn *c, const char *dn,
			       const char *filter, char *const *attrs,
			       dir_entry_fn fn, void *ctx,
			       struct dir_error *err);

/*
 * Hands FN every entry under BASE (subtree) matching FILTER, DIR_PAGE_SIZE
 * per page (RFC 2696), at most DIR_PAGE_MAX pages: a server that never
 * ends a walk gets DIR_ERR_PROTOCOL, not a loop.
 */
#define DIR_PAGE_SIZE 500
#define DIR_PAGE_MAX 20000
enum dir_status dir_search_paged(struct dir_conn *c, const char *base,
				 const char *filter, char *const *attrs,
				 dir_entry_fn fn, void *ctx,
				 struct dir_error *err);

/* The DN of one entry under BASE matching FILTER, malloc'ed (caller
 * frees), or NULL when none or on failure (then ERR says why); a size
 * limit hit after the first entry is no failure. */
char *dir_first_dn(struct dir_conn *c, const char *base, const char *filter,
		   struct dir_error *err);

/* A growing list of DNs (heap strings, the list's own). */
struct dir_dn_list {
	char **v;
	size_t n, cap;
};

/* Appends E's DN to the dir_dn_list CTX (a dir_entry_fn); 0 or -1. */
int dir_dn_list_add(void *ctx, const struct dir_entry *e);
/* Frees every DN and empties L; NULL-safe. */
void dir_dn_list_free(struct dir_dn_list *l);

/* One value added to or deleted from one attribute of a guarded modify. */
struct dir_mod {
	bool add;		/* false: delete exactly this value */
	const char *attr;
	const char *value;
};
#define DIR_MODS_MAX 4

/*
 * Applies MODS[0..N) (at most DIR_MODS_MAX) to DN as one modify that the
 * server carries out only while the entry matches GUARD, an RFC 4528
 * assertion; GUARD is required: there is no unguarded write. Statuses as
 * dir_status_from_ldap_op(rc, DIR_OP_WRITE) gives them: DIR_ERR_CONFLICT
 * when the guard no longer holds, a value to add is already there, one
 * to delete is gone, or the entry is.
 */
enum dir_status dir_modify_guarded(struct dir_conn *c, const char *dn,
				   const char *guard,
				   const struct dir_mod *mods, size_t n,
				   struct dir_error *err);

/*
 * Asks whether the server evaluates GUARD on DN for C's identity: DIR_OK
 * when it holds, DIR_ERR_CONFLICT when it does not (or cannot be read,
 * which slapd reports the same way), else why the probe failed.
 */
enum dir_status dir_guard_probe(struct dir_conn *c, const char *dn,
				const char *guard, struct dir_error *err);

#endif
