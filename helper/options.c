/*
 * options.c - cmecf-link's command line: one parse, every value checked
 * before it is used anywhere.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cmecf_link.h"

enum { O_COURT = 256, O_PACER, O_CMECF, O_CONFIG, O_STATUS, O_REPORT,
       O_CHECK, O_REPAIR, O_UNLINK, O_REASON, O_TEST, O_HELP };

static const struct option opt_long[] = {
	{ "court", required_argument, NULL, O_COURT },
	{ "pacer-user", required_argument, NULL, O_PACER },
	{ "cmecf-login", required_argument, NULL, O_CMECF },
	{ "config", required_argument, NULL, O_CONFIG },
	{ "status", no_argument, NULL, O_STATUS },
	{ "report", no_argument, NULL, O_REPORT },
	{ "check", no_argument, NULL, O_CHECK },
	{ "repair", no_argument, NULL, O_REPAIR },
	{ "unlink", no_argument, NULL, O_UNLINK },
	{ "reason", required_argument, NULL, O_REASON },
	{ "test-config", no_argument, NULL, O_TEST },
	{ "help", no_argument, NULL, O_HELP },
	{ NULL, 0, NULL, 0 },
};

void opt_usage(void)
{
	(void)printf(
"usage: cmecf-link [--court ID] [--pacer-user NAME] [--cmecf-login LOGIN]\n"
"       cmecf-link --status (--pacer-user NAME | --cmecf-login LOGIN) [--court ID]\n"
"       cmecf-link --report\n"
"       cmecf-link --check [--repair]\n"
"       cmecf-link --unlink --cmecf-login LOGIN [--court ID] --reason TEXT\n"
"       cmecf-link --test-config\n"
"Administration and --config PATH need root. See cmecf-link(8).\n");
}

/* True when TEXT is a printable ASCII reason of sensible length. */
static bool opt_reason_ok(const char *t)
{
	size_t i, n = strlen(t);

	if (n == 0 || n > REASON_MAX_LEN)
		return false;
	for (i = 0; i < n; i++)
		if ((unsigned char)t[i] < 0x20 || (unsigned char)t[i] >= 0x7f)
			return false;
	return true;
}

/* Sets the action once; a second one is a usage error. */
static int opt_set_action(struct options *o, enum link_action a, bool *seen)
{
	if (*seen)
		return -1;
	*seen = true;
	o->action = a;
	return 0;
}

/* Fills *o from argv; 0, or -1 with a message in err. */
int opt_parse(int argc, char **argv, struct options *o, char *err,
	      size_t errlen)
{
	bool seen = false;
	int c;

	o->action = ACT_LINK;
	o->court = NULL;
	o->pacer_user = NULL;
	o->cmecf_login = NULL;
	o->config = NULL;
	o->reason = NULL;
	o->repair = false;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "", opt_long, NULL)) != -1) {
		switch (c) {
		case O_COURT:
			if (!name_is_valid_court(optarg))
				goto bad_value;
			o->court = optarg;
			break;
		case O_PACER:
			if (!name_is_valid_login(optarg))
				goto bad_value;
			o->pacer_user = optarg;
			break;
		case O_CMECF:
			if (!name_is_valid_login(optarg))
				goto bad_value;
			o->cmecf_login = optarg;
			break;
		case O_CONFIG:
			if (optarg[0] != '/') {
				(void)snprintf(
					err, errlen,
					"--config needs an absolute path");
				return -1;
			}
			o->config = optarg;
			break;
		case O_REASON:
			if (!opt_reason_ok(optarg)) {
				(void)snprintf(
					err, errlen,
					"--reason must be 1 to %d printable ASCII characters",
					REASON_MAX_LEN);
				return -1;
			}
			o->reason = optarg;
			break;
		case O_REPAIR:
			o->repair = true;
			break;
		case O_STATUS: case O_REPORT: case O_CHECK: case O_UNLINK:
		case O_TEST: case O_HELP:
			if (opt_set_action(o,
					   c == O_STATUS   ? ACT_STATUS
					   : c == O_REPORT ? ACT_REPORT
					   : c == O_CHECK  ? ACT_CHECK
					   : c == O_UNLINK ? ACT_UNLINK
					   : c == O_TEST   ? ACT_TEST_CONFIG
							   : ACT_HELP,
					   &seen) != 0) {
				(void)snprintf(
					err, errlen,
					"give only one of --status, --report, --check, --unlink, --test-config, --help");
				return -1;
			}
			break;
		default:
			(void)snprintf(err, errlen,
				       "unknown option or missing value: %s",
				       argv[optind - 1] != NULL
					       ? argv[optind - 1]
					       : "?");
			return -1;
		}
	}
	if (optind != argc) {
		(void)snprintf(err, errlen, "unexpected argument");
		return -1;
	}
	if (o->repair && o->action != ACT_CHECK) {
		(void)snprintf(err, errlen, "--repair goes with --check");
		return -1;
	}
	if (o->reason != NULL && o->action != ACT_UNLINK) {
		(void)snprintf(err, errlen, "--reason goes with --unlink");
		return -1;
	}
	if (o->action == ACT_UNLINK &&
	    (o->cmecf_login == NULL || o->reason == NULL)) {
		(void)snprintf(err, errlen,
			       "--unlink needs --cmecf-login and --reason");
		return -1;
	}
	if (o->action == ACT_STATUS &&
	    (o->pacer_user == NULL) == (o->cmecf_login == NULL)) {
		(void)snprintf(
			err, errlen,
			"--status needs one of --pacer-user or --cmecf-login");
		return -1;
	}
	return 0;

bad_value:
	(void)snprintf(err, errlen, "invalid value for %s",
		       argv[optind - 1] != NULL && argv[optind - 1][0] == '-'
			       ? argv[optind - 1]
			       : "an option");
	return -1;
}
