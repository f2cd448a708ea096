/*
 * main.c - cmecf-link: links a legacy CM/ECF login to an upgraded PACER
 * account, once and for good. Installed setuid root only to read the link
 * service account's password file; everything else runs as the person.
 *
 * The steps below follow STYLE.md's order for a setuid helper; read this
 * file top to bottom to see what happens with privilege.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "cmecf_link.h"

static struct run the_run;

static const char *run_action_names[] = {
	[ACT_LINK] = "link", [ACT_STATUS] = "status", [ACT_REPORT] = "report",
	[ACT_CHECK] = "check", [ACT_UNLINK] = "unlink",
	[ACT_TEST_CONFIG] = "test-config", [ACT_HELP] = "help",
};

int main(int argc, char **argv, char **envp)
{
	struct run *r = &the_run;
	char err[CFG_ERR_LEN] = "";
	const char *conf;

	/* 1-3: descriptors, environment, core dumps; before anything else. */
	priv_sanitize_fds();
	if (priv_clean_env(envp) != 0 || priv_no_core() != 0) {
		(void)fprintf(stderr,
			      "cmecf-link: cannot set up a safe process\n");
		return LX_INSTALL;
	}
	/* A server that goes away mid-write is an error to report (exit 5),
	 * not a signal that ends the run unlogged. */
	(void)signal(SIGPIPE, SIG_IGN);
	r->ruid = getuid();
	r->rgid = getgid();
	r->action_name = "start";
	openlog("cmecf-link", LOG_PID | LOG_NDELAY, LOG_AUTHPRIV);

	/* 4: only as installed: setuid root. */
	if (geteuid() != 0)
		run_exit(r, LX_INSTALL, "not-setuid",
			 "cmecf-link must be installed setuid root (mode 4755, owner root)");

	/* 5: the command line. */
	if (opt_parse(argc, argv, &r->opt, err, sizeof(err)) != 0)
		run_exit(r, LX_USAGE, "usage", "%s (see cmecf-link --help)",
			 err);
	r->action_name = run_action_names[r->opt.action];
	if (r->opt.action == ACT_HELP) {
		opt_usage();
		run_exit(r, LX_OK, NULL, NULL);
	}
	if (r->opt.config != NULL && r->ruid != 0)
		run_exit(r, LX_USAGE, "usage",
			 "--config is honoured only for root");
	if (r->opt.action != ACT_LINK && r->ruid != 0)
		run_exit(r, LX_USAGE, "usage", "--%s requires root",
			 r->action_name);

	/* 6: configuration and the link password, while privileged. */
	conf = r->opt.config != NULL ? r->opt.config : PACER_CONF_PATH;
	r->cfg_ok =
		cfg_load(conf, &r->cfg, r->cfg_err, sizeof(r->cfg_err)) == 0;
	if (r->cfg_ok && r->cfg.link_binddn != NULL) {
		r->link_pw =
			secret_read_file(r->cfg.link_bindpw_file, r->secret_err,
					 sizeof(r->secret_err));
	} else if (r->cfg_ok) {
		(void)snprintf(r->secret_err, sizeof(r->secret_err),
			       "%s: link_binddn is not set", conf);
	}

	/* The failure count is root's: a person may not reset it. */
	thr_init(&r->thr);
	if (r->opt.action == ACT_LINK && thr_open(&r->thr) != 0)
		run_exit(r, LX_INSTALL, "state-error", "%s", r->thr.err);

	/* 7: drop privileges for good, and prove it. */
	if (priv_drop(r, err, sizeof(err)) != 0)
		run_exit(r, LX_INSTALL, "drop-failed", "%s", err);
	run_identify(r);
	r->court = r->opt.court != NULL ? r->opt.court :
		   (r->cfg_ok ? r->cfg.court : NULL);

	if (r->opt.action == ACT_TEST_CONFIG)
		admin_test_config(r);
	if (!r->cfg_ok)
		run_exit(r, LX_USAGE, "config-error", "%s", r->cfg_err);
	if (r->link_pw == NULL)
		run_exit(r, r->cfg.link_binddn == NULL ? LX_USAGE : LX_INSTALL,
			 "secret-error", "%s", r->secret_err);

	/* 8-11: the work, as the person (or root, for administration). */
	if (r->opt.action == ACT_LINK)
		link_run(r);
	admin_run(r);
}
