/*
 * cmecf_link.h - the parts of cmecf-link and what they share.
 *
 * main.c runs the steps in the order STYLE.md gives for a setuid helper;
 * privs.c holds the steps that need or give up privilege, options.c the
 * command line, input.c the prompts, run.c the end of every run (the one
 * map from a directory status to an exit code, the audit line, the
 * release of what the run holds), linkdir.c the link's own reads and
 * writes on the link provider, returning statuses (the directory itself
 * is reached only through common/dir.h: sessions, entries, guarded
 * writes; no transaction: docs/linking.md), repair.c the mending of half
 * links, link.c the person's link and admin.c root's commands. Only
 * link_run, the admin commands and main exit; the steps below them
 * return a status or a refusal.
 */
#ifndef CMECF_LINK_H
#define CMECF_LINK_H

#include <stdbool.h>
#include <stdio.h>
#include <stddef.h>
#include <signal.h>
#include <sys/types.h>
#include <time.h>

#include "account.h"
#include "config.h"
#include "dir.h"
#include "escape.h"
#include "secret.h"

/* Exit codes; cmecf-link.8 documents each. */
enum link_exit {
	LX_OK = 0,		/* done */
	LX_USAGE = 1,		/* usage or configuration error */
	LX_BADPW = 2,		/* a password or user was wrong */
	LX_REFUSED = 3,		/* refused by policy */
	LX_DECLINED = 4,	/* declined at confirmation */
	LX_UNAVAIL = 5,		/* no directory server answered */
	LX_INSTALL = 6,		/* not installed correctly */
};

enum link_action {
	ACT_LINK = 0,
	ACT_STATUS,
	ACT_REPORT,
	ACT_CHECK,
	ACT_UNLINK,
	ACT_TEST_CONFIG,
	ACT_HELP,
};

#define REASON_MAX_LEN 200

/* The number of elements of array A (not of a pointer). */
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* The command line, filled by opt_parse with the defaults written out. */
struct options {
	enum link_action action;
	const char *court;		/* NULL: cfg's court */
	const char *pacer_user;		/* NULL: ask */
	const char *cmecf_login;	/* NULL: ask */
	const char *config;		/* NULL: PACER_CONF_PATH */
	const char *reason;		/* --unlink only */
	bool repair;			/* --check --repair */
};

/* An entry read by linkdir.c. */
struct lw_pacer {
	struct pacer_account a;
};
struct lw_cmecf {
	struct cmecf_account a;
	char *court;		/* the court id from the entry's DN */
};

/* Why a run stops short of its work: the exit code, the audit outcome
 * and the message for the person; filled by refuse() or refuse_status()
 * and ended by run_exit_refusal(). */
struct refusal {
	int code;		/* LX_* */
	const char *outcome;	/* static */
	char msg[1024];
};

/* throttle.c: failed password checks, counted in root-owned state. */
#ifndef THR_STATE_DIR
#define THR_STATE_DIR "/var/lib/cmecf-link"
#endif
#define THR_STATE_FILE "failures"

struct throttle {
	int fd;			/* the failure file, opened as root; -1: none */
	unsigned long long nonce; /* this run's pending record; 0: none */
	char err[CFG_ERR_LEN];
};

enum thr_verdict {
	THR_GO,			/* counted: the password may be checked */
	THR_ACCOUNT_LOCKED,	/* link_max_failures reached for the account */
	THR_UID_LOCKED,		/* link_max_failures_uid reached for the caller */
	THR_BUSY,		/* the file stayed locked by another run */
	THR_ERROR,		/* the file could not be read or written */
};

/* Everything one run knows; secrets are wiped by run_exit. */
struct run {
	struct options opt;
	struct cfg cfg;
	bool cfg_ok;
	char cfg_err[CFG_ERR_LEN];
	char *link_pw;			/* the link service account's secret */
	char secret_err[CFG_ERR_LEN];
	uid_t ruid;
	gid_t rgid;
	char who[64];			/* login name of the real uid */
	char tty[64];
	char host[128];
	const char *action_name;
	const char *court;		/* the court this run is about */
	char pacer_user[NAME_MAX_LEN + 1];
	char cmecf_login[NAME_MAX_LEN + 1];
	char pacer_pw[SECRET_MAX_LEN + 2];
	char cmecf_pw[SECRET_MAX_LEN + 2];
	char answer[16];
	struct throttle thr;
	/* Owned while the run lasts, released by run_exit (which every path
	 * ends in): the service connection, the DNs and entries being decided
	 * on, and one name shown in a message. */
	struct dir_conn *svc;
	char *pacer_dn;
	char *cmecf_dn;
	struct lw_pacer pacer;
	struct lw_cmecf cmecf;
	char *shown;
};

/* say.c: printf to stdout (say) or, after "cmecf-link: ", to stderr
 * (say_err), the text cleaned for a terminal first. */
void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void say_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* privs.c */
void priv_sanitize_fds(void);
int priv_clean_env(char **envp);
int priv_no_core(void);
int priv_drop(struct run *r, char *err, size_t errlen);
void run_identify(struct run *r);

/* run.c: logs the outcome, prints MSG (when not NULL) to stderr for a
 * failure or stdout for success, releases what R owns
 * (connection, DNs, entries), wipes every secret and exits with CODE. */
void run_exit(struct run *r, int code, const char *outcome, const char *fmt,
	      ...) __attribute__((noreturn, format(printf, 4, 5)));
/* Logs one audit line for R without ending the run. */
void run_log(struct run *r, int prio, const char *outcome, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* The one map from a directory status to an exit code: 5 when the link
 * provider did not answer (unavailable, timeout, TLS), 3 for a concurrent
 * change, else 1. */
int run_exit_code(enum dir_status st);
/* Fills F with why WHAT failed with ST (ERR says where) and returns -1. */
int refuse_status(struct refusal *f, enum dir_status st,
		  const struct dir_error *err, const char *what);
/* Fills F with CODE, OUTCOME and the message; returns -1. */
int refuse(struct refusal *f, int code, const char *outcome,
	   const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* Ends R as F says. */
void run_exit_refusal(struct run *r, const struct refusal *f)
	__attribute__((noreturn));
/* Ends R after WHAT failed with ST: refuse_status, then run_exit_refusal. */
void run_exit_for_status(struct run *r, enum dir_status st,
			 const struct dir_error *err, const char *what)
	__attribute__((noreturn));

/* options.c: 0, or -1 with a message in err. */
int opt_parse(int argc, char **argv, struct options *o, char *err,
	      size_t errlen);
void opt_usage(void);

/* One answer line from FD (no terminal): at most N-1 bytes, CR LF or LF
 * ended, read with read(2) and no buffer but BUF, nothing past the LF;
 * 0, or -1 on end of input, a read error, a NUL byte or an over-long
 * line, with BUF wiped. The fuzz target tests/fuzz/fuzz_helper_input.c
 * drives it. */
int in_read_line(int fd, char *buf, size_t n);

/* input.c: asks PROMPT and reads one answer into BUF (size N); ECHO off for
 * secrets. Returns 0, or -1 on end of input, an over-long answer or a NUL. */
int in_ask(const char *prompt, char *buf, size_t n, bool echo);

/* linkdir.c */

/* The provider link writes go to: link_uri, else the first uri. */
const char *lw_link_uri(const struct cfg *cfg);
/* Connects to URI (NULL: the link provider) only; *out is the caller's.
 * Any failure to reach it is unavailable, a timeout or TLS. */
enum dir_status lw_connect(const struct cfg *cfg, const char *uri,
			   struct dir_conn **out, struct dir_error *err);
/* Connects to the link provider and binds as link_binddn with PASSWORD;
 * *out is the caller's (dir_close), NULL on failure. */
enum dir_status lw_service(const struct cfg *cfg, const char *password,
			   struct dir_conn **out, struct dir_error *err);
/* Reads one entry; DIR_ERR_NO_ENTRY when absent. */
enum dir_status lw_read_pacer(struct dir_conn *c, const char *dn,
			      struct lw_pacer *out, struct dir_error *err);
enum dir_status lw_read_cmecf(const struct cfg *cfg, struct dir_conn *c,
			      const char *dn, struct lw_cmecf *out,
			      struct dir_error *err);
void lw_pacer_free(struct lw_pacer *p);
void lw_cmecf_free(struct lw_cmecf *l);
/* Reads the court entry; DIR_ERR_NO_ENTRY when unknown. */
enum dir_status lw_read_court(const struct cfg *cfg, struct dir_conn *c,
			      const char *court, struct pacer_court *out,
			      struct dir_error *err);

/* Blocks the signals a person can send from the terminal, so a sequence
 * of writes is not cut by them; 0 or -1. Restored by lw_unblock_signals. */
int lw_block_signals(sigset_t *old);
void lw_unblock_signals(const sigset_t *old);

/* The legacy entries of COURT whose cmecfLinkedPacer names PACER_DN: every
 * claim on that PACER account in that court, complete or not. */
enum dir_status lw_claims(const struct cfg *cfg, struct dir_conn *c,
			  const char *court, const char *pacer_dn,
			  struct dir_dn_list *out, struct dir_error *err);

/* Deletes exactly the link values L holds (cmecfLinkedPacer naming
 * PACER_DN, and its time and author), guarded on that value. */
enum dir_status lw_undo_legacy(struct dir_conn *c, const struct lw_cmecf *l,
			       const char *pacer_dn, struct dir_error *err);

/* A claim older than this with no PACER side, among several claims, was
 * left by a run that was killed: a live run takes milliseconds. */
#define LW_CLAIM_STALE_S 60

/* Finishes or undoes half links touching a legacy or PACER entry (link.c
 * and admin.c); returns the number of problems that remain. */
int repair_legacy(struct run *r, struct dir_conn *c, const char *legacy_dn,
		  bool fix, bool quiet);
int repair_pacer(struct run *r, struct dir_conn *c, const char *pacer_dn,
		 bool fix, bool quiet);

void thr_init(struct throttle *t);
/* As root: opens THR_STATE_DIR/THR_STATE_FILE, checking owner and mode;
 * 0, or -1 with t->err. The descriptor survives the drop. */
int thr_open(struct throttle *t);
void thr_close(struct throttle *t);
/* The account key for KIND ("pacer" or "cmecf"), COURT (NULL for PACER)
 * and NAME, lowercased, into BUF; 0, or -1 when it does not fit. */
int thr_key(char *buf, size_t n, const char *kind, const char *court,
	    const char *name);
/* Counts one check of KEY by RUID before it is made (see the enum). */
enum thr_verdict thr_begin(struct throttle *t, const struct cfg *cfg,
			   uid_t ruid, const char *key, time_t *retry);
/* Takes the pending record out again: password proven, or never checked. */
int thr_settle(struct throttle *t);

/* link.c */
void link_run(struct run *r) __attribute__((noreturn));

/* admin.c */
void admin_run(struct run *r) __attribute__((noreturn));
void admin_test_config(struct run *r) __attribute__((noreturn));

#endif
