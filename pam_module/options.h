/*
 * options.h - the module arguments of pam_pacer.so, parsed once per call.
 */
#ifndef PACER_OPTIONS_H
#define PACER_OPTIONS_H

#include <stdbool.h>
#include <security/pam_modules.h>

/*
 * Every argument a service file may give. Strings point into the argv
 * PAM handed us (valid for the call), never copies.
 */
struct options {
	const char *config;		/* config=PATH; default PACER_CONF_PATH */
	const char *court;		/* court=ID; NULL: the file's "court" */
	bool efile;			/* e-filing required to pass account */
	bool client_code;		/* ask for an optional client code */
	bool use_first_pass;		/* never prompt; an earlier module's token only */
	bool try_first_pass;		/* an earlier module's token, else prompt */
	bool ignore_unknown_user;	/* PAM_USER_UNKNOWN becomes PAM_IGNORE */
	bool ignore_authinfo_unavail;	/* PAM_AUTHINFO_UNAVAIL becomes PAM_IGNORE */
	bool debug;			/* more detail in syslog */
};

/*
 * Fills *opt from ARGC/ARGV with the defaults written out. Returns 0, or
 * -1 after logging the first unknown or malformed argument (the caller
 * then fails closed with PAM_SERVICE_ERR).
 */
int opt_parse(pam_handle_t *pamh, int argc, const char **argv,
	      struct options *opt);

#endif
