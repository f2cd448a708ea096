/*
 * options.c - module arguments. A typo in a service file must not quietly
 * weaken a login, so anything not understood fails the call closed.
 */
#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include <syslog.h>
#include <security/pam_ext.h>
#include <security/pam_modules.h>

#include "audit.h"
#include "config.h"
#include "escape.h"
#include "options.h"

/* The flag arguments: a name and the member it sets. */
struct opt_flag {
	const char *name;
	size_t offset;
};

static const struct opt_flag opt_flags[] = {
	{ "efile", offsetof(struct options, efile) },
	{ "client_code", offsetof(struct options, client_code) },
	{ "use_first_pass", offsetof(struct options, use_first_pass) },
	{ "try_first_pass", offsetof(struct options, try_first_pass) },
	{ "ignore_unknown_user",
	  offsetof(struct options, ignore_unknown_user) },
	{ "ignore_authinfo_unavail",
	  offsetof(struct options, ignore_authinfo_unavail) },
	{ "debug", offsetof(struct options, debug) },
};

/* Sets the flag named ARG; 0 when ARG is one, -1 otherwise. */
static int opt_set_flag(struct options *opt, const char *arg)
{
	size_t i;

	for (i = 0; i < sizeof(opt_flags) / sizeof(opt_flags[0]); i++) {
		if (strcmp(arg, opt_flags[i].name) == 0) {
			*(bool *)((char *)opt + opt_flags[i].offset) = true;
			return 0;
		}
	}
	return -1;
}

/* Logs a refused argument with its text made safe for the log. */
static void opt_refuse(pam_handle_t *pamh, const char *arg, const char *why)
{
	char clean[AUDIT_FIELD_LEN];

	pam_syslog(pamh, LOG_ERR, "module argument \"%s\": %s",
		   audit_clean(clean, sizeof(clean), arg), why);
}

/* Returns 0 with *opt filled, or -1 after logging what was refused. */
int opt_parse(pam_handle_t *pamh, int argc, const char **argv,
	      struct options *opt)
{
	int i;

	opt->config = PACER_CONF_PATH;
	opt->court = NULL;
	opt->efile = false;
	opt->client_code = false;
	opt->use_first_pass = false;
	opt->try_first_pass = false;
	opt->ignore_unknown_user = false;
	opt->ignore_authinfo_unavail = false;
	opt->debug = false;

	for (i = 0; i < argc; i++) {
		const char *arg = argv[i];

		if (arg == NULL) {
			opt_refuse(pamh, "(null)", "missing");
			return -1;
		}
		if (strncmp(arg, "config=", 7) == 0) {
			if (arg[7] != '/') {
				opt_refuse(pamh, arg, "needs an absolute path");
				return -1;
			}
			opt->config = arg + 7;
		} else if (strncmp(arg, "court=", 6) == 0) {
			if (!name_is_valid_court(arg + 6)) {
				opt_refuse(pamh, arg,
					   "not a court id (2 to 16 lowercase letters or digits)");
				return -1;
			}
			opt->court = arg + 6;
		} else if (opt_set_flag(opt, arg) != 0) {
			opt_refuse(pamh, arg, "unknown argument");
			return -1;
		}
	}
	if (opt->use_first_pass && opt->try_first_pass) {
		opt_refuse(pamh, "try_first_pass",
			   "contradicts use_first_pass");
		return -1;
	}
	return 0;
}
