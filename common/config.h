/*
 * config.h - pam_pacer.conf: one parse, defaults written out, errors that
 * name the file and the line.
 */
#ifndef PACER_CONFIG_H
#define PACER_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#ifndef PACER_CONF_PATH
#define PACER_CONF_PATH "/etc/security/pam_pacer.conf"
#endif

#define CFG_MAX_URIS 8
#define CFG_ERR_LEN 512
#define CFG_LINK_LOCKOUT_MAX (7L * 86400)	/* link_lockout's bound, seconds */

enum cfg_reqcert {
	CFG_REQCERT_NEVER,
	CFG_REQCERT_ALLOW,
	CFG_REQCERT_TRY,
	CFG_REQCERT_DEMAND,	/* the default: a bad certificate ends the connection */
};

/*
 * Everything pam_pacer.conf can say. Strings are heap copies owned by the
 * struct; cfg_free() releases them. Timeouts are kept in milliseconds though
 * the file speaks seconds (decimals allowed: "0.5").
 */
struct cfg {
	char *path;			/* the file this came from, for messages */
	char *uris[CFG_MAX_URIS];	/* "uri", in failover order */
	size_t n_uris;
	char *base;
	char *pacer_base;		/* default: ou=pacer,BASE */
	char *courts_base;		/* default: ou=courts,BASE */
	char *court;			/* NULL: none configured */
	char *binddn;			/* NULL: anonymous look-ups */
	char *bindpw_file;
	char *link_binddn;
	char *link_bindpw_file;
	char *link_uri;			/* default: uris[0] */
	bool starttls;
	char *tls_cacert;		/* NULL: the system's CAs */
	enum cfg_reqcert tls_reqcert;
	bool allow_plaintext;
	long network_timeout_ms;	/* default 3000 */
	long timeout_ms;		/* default 3000 */
	long login_budget_ms;		/* default 5000 */
	/* cmecf-link's bound on password guessing (helper/throttle.c) */
	long link_max_failures;		/* per account; default 5 */
	long link_lockout_s;		/* the window, seconds; default 900 */
	long link_max_failures_uid;	/* per calling uid, 0 off; default 20 */
};

/*
 * Reads and validates PATH into *cfg (zeroed first). Returns 0, or -1 with
 * a message "PATH:LINE: what is wrong" in err (never a secret's content).
 * On failure *cfg holds nothing that needs freeing.
 */
int cfg_load(const char *path, struct cfg *cfg, char *err, size_t errlen);

/* Parses text already in memory (the fuzz and unit tests' way in). */
int cfg_parse_buffer(const char *name, const char *text, size_t len,
		     struct cfg *cfg, char *err, size_t errlen);

/* Frees every string in *cfg and zeroes it; NULL-safe, idempotent. */
void cfg_free(struct cfg *cfg);

/* Fills *dst with a deep copy of *src (free with cfg_free); 0, or -1 when
 * memory ran out (then *dst holds nothing). */
int cfg_copy(struct cfg *dst, const struct cfg *src);

/* Parses "N" or "N.NNN" seconds within [min_ms, max_ms]; 0 or -1. */
int cfg_parse_seconds(const char *text, long min_ms, long max_ms, long *out_ms);

#endif
