/*
 * account.h - the records module and helper decide on: a PACER account, a
 * court, a legacy CM/ECF account, each built from a directory entry
 * (struct dir_entry, dir.h) or read by DN. The builders underneath take
 * an attribute getter, so the same code runs on real entries, in the unit
 * tests and in the fuzz targets.
 */
#ifndef PACER_ACCOUNT_H
#define PACER_ACCOUNT_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>
#include <lber.h>

#include "config.h"
#include "dir.h"

/* Values of attribute NAME of one entry, or NULL when absent. The array
 * belongs to the getter's context. */
typedef struct berval **(*acct_getter)(void *ctx, const char *name);

enum acct_type { ACCT_TYPE_UNKNOWN = 0, ACCT_TYPE_INDIVIDUAL, ACCT_TYPE_FIRM };
enum court_type {
	COURT_TYPE_UNKNOWN = 0,
	COURT_DISTRICT,
	COURT_BANKRUPTCY,
	COURT_APPELLATE
};

struct pacer_account {
	char *dn;
	char *uid;
	char *cn;
	enum acct_type type;
	int upgraded;		/* 1 TRUE, 0 FALSE, -1 absent or malformed */
	char **linked;		/* pacerLinkedCmecf DNs, n_linked of them: one
				 * per court, about 200 courts, so no cap */
	size_t n_linked;
};

struct pacer_court {
	char *dn;
	char *id;		/* cn */
	enum court_type type;
	bool scheduled;		/* pacerNextGenGoLive present and valid */
	time_t go_live;
	char *description;
};

struct cmecf_account {
	char *dn;
	char *uid;
	char *cn;
	char *linked_pacer;	/* cmecfLinkedPacer, NULL when not linked */
	char *linked_time;
	char *linked_by;
};

/* Attributes to request for each record (NULL-terminated, static). */
extern char *const acct_pacer_attrs[];
extern char *const acct_court_attrs[];
extern char *const acct_cmecf_attrs[];

/* True when E (read with "objectClass" requested) has object class NAME,
 * compared ignoring case. */
bool acct_entry_has_class(const struct dir_entry *e, const char *name);

/* Each builder fills *out from the entry DN with values from GET(CTX).
 * Returns 0, or -1 when a required value is missing or malformed or memory
 * ran out (then *out holds nothing). Free with the matching _free. */
int acct_pacer_build(const char *dn, acct_getter get, void *ctx,
		     struct pacer_account *out);
int acct_court_build(const char *dn, acct_getter get, void *ctx,
		     struct pacer_court *out);
int acct_cmecf_build(const char *dn, acct_getter get, void *ctx,
		     struct cmecf_account *out);

void acct_pacer_free(struct pacer_account *a);
void acct_court_free(struct pacer_court *c);
void acct_cmecf_free(struct cmecf_account *a);

/* The builders on an entry E: 0 or -1, as above (free with _free). */
int acct_pacer_from_entry(const struct dir_entry *e, struct pacer_account *out);
int acct_court_from_entry(const struct dir_entry *e, struct pacer_court *out);
int acct_cmecf_from_entry(const struct dir_entry *e, struct cmecf_account *out);

/*
 * Read the entry DN of the record's object class on C into *out (caller
 * frees with the matching _free; *out is empty on failure).
 * DIR_ERR_NO_ENTRY when it is not there or not of that class,
 * DIR_ERR_PROTOCOL when it is malformed.
 */
enum dir_status acct_pacer_read(struct dir_conn *c, const char *dn,
				struct pacer_account *out,
				struct dir_error *err);
enum dir_status acct_court_read(struct dir_conn *c, const char *dn,
				struct pacer_court *out, struct dir_error *err);
enum dir_status acct_cmecf_read(struct dir_conn *c, const char *dn,
				struct cmecf_account *out,
				struct dir_error *err);

/* True when the court's go-live time is set and not after NOW. */
bool court_is_live(const struct pacer_court *c, time_t now);

/* Parses an RFC 4517 GeneralizedTime ("20201123000000Z", with optional
 * fraction and +HHMM offset) into *out; 0 or -1. */
int gtime_parse(const char *text, time_t *out);

/* Formats T as "YYYYMMDDHHMMSSZ" into BUF (at least 16 bytes). */
void gtime_format(time_t t, char *buf, size_t n);

/* Formats T as a date a person reads ("November 23, 2020"). */
void gtime_format_human(time_t t, char *buf, size_t n);

/* The DN of this court's legacy container: ou=cmecf,cn=COURT,COURTS_BASE
 * (malloc'ed; NULL on bad court or ENOMEM). */
char *acct_cmecf_container(const struct cfg *cfg, const char *court);
/* The DN of a court entry: cn=COURT,COURTS_BASE. */
char *acct_court_dn(const struct cfg *cfg, const char *court);
/* The DN of a PACER entry: uid=NAME,PACER_BASE. */
char *acct_pacer_dn(const struct cfg *cfg, const char *user);
/* The DN of a legacy entry: uid=LOGIN,ou=cmecf,cn=COURT,COURTS_BASE. */
char *acct_cmecf_dn(const struct cfg *cfg, const char *court,
		    const char *login);

/* The court id in a legacy DN "uid=X,ou=cmecf,cn=COURT,COURTS_BASE"
 * (malloc'ed), or NULL when LEGACY_DN is not one. */
char *acct_court_of(const struct cfg *cfg, const char *legacy_dn);

/* The linked legacy DN of this court in A, or NULL (owned by A). */
const char *acct_pacer_link_in(const struct pacer_account *a,
			       const struct cfg *cfg, const char *court);

/* Text names, for messages and exports. */
const char *acct_type_name(enum acct_type t);
const char *court_type_name(enum court_type t);

#endif
