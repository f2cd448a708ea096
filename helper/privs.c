/*
 * privs.c - the steps of cmecf-link that concern privilege: sane
 * descriptors, a rebuilt environment, no core dumps, and the drop.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

#include "cmecf_link.h"

/* Opens /dev/null onto a closed 0, 1 or 2 and closes every other fd, so
 * nothing we write lands in a file the caller left open for us. */
void priv_sanitize_fds(void)
{
	int fd;

	for (fd = 0; fd <= 2; fd++) {
		if (fcntl(fd, F_GETFD) == -1 && errno == EBADF) {
			int n = open("/dev/null", O_RDWR);

			if (n < 0)
				_exit(LX_INSTALL);
			if (n != fd)
				_exit(LX_INSTALL);	/* lower fds are open */
		}
	}
	if (close_range(3, ~0U, 0) != 0) {
		for (fd = 3; fd < 1024; fd++)
			(void)close(fd);
	}
}

/* True when V is a plain value worth keeping (no '/', no controls). */
static bool priv_env_value_ok(const char *v, size_t max)
{
	size_t i;

	if (v == NULL || v[0] == '\0' || strlen(v) > max)
		return false;
	for (i = 0; v[i] != '\0'; i++) {
		unsigned char c = (unsigned char)v[i];

		if (c <= 0x20 || c >= 0x7f || c == '/' || c == '%')
			return false;
	}
	return true;
}

/*
 * Replaces the environment with a fixed allowlist: libldap reads LDAPCONF,
 * LDAPRC, LDAPTLS_* and HOME at its first call, and none of them may come
 * from the person running a setuid program. Returns 0 or -1.
 */
int priv_clean_env(char **envp)
{
	static const char *const keep[] = { "TERM", "LANG", "LC_ALL" };
	/* Sized from the list, so a name added there has its slots. */
	static char saved[ARRAY_SIZE(keep)][64];
	const char *val[ARRAY_SIZE(keep)] = { NULL };
	size_t i, k;

	for (i = 0; envp != NULL && envp[i] != NULL; i++) {
		for (k = 0; k < ARRAY_SIZE(keep); k++) {
			size_t n = strlen(keep[k]);

			if (strncmp(envp[i], keep[k], n) == 0 &&
			    envp[i][n] == '=' && val[k] == NULL &&
			    priv_env_value_ok(envp[i] + n + 1,
					      sizeof(saved[k]) - 1)) {
				(void)snprintf(saved[k], sizeof(saved[k]), "%s",
					       envp[i] + n + 1);
				val[k] = saved[k];
			}
		}
	}
	if (clearenv() != 0)
		return -1;
	if (setenv("PATH", "/usr/sbin:/usr/bin:/sbin:/bin", 1) != 0)
		return -1;
	for (k = 0; k < ARRAY_SIZE(keep); k++)
		if (val[k] != NULL && setenv(keep[k], val[k], 1) != 0)
			return -1;
	/* The person's working directory may hold an ldaprc. */
	if (chdir("/") != 0)
		return -1;
	return 0;
}

/* No core file may hold the link password: 0 or -1. */
int priv_no_core(void)
{
	struct rlimit rl = { 0, 0 };

	if (setrlimit(RLIMIT_CORE, &rl) != 0)
		return -1;
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0)
		return -1;
	return 0;
}

/*
 * Gives up root for good (as permanently_set_uid does in OpenSSH): groups,
 * then gid, then uid, all three ids each; then checks the ids and proves
 * that getting root back fails. Returns 0, or -1 with the reason in err.
 *
 * The proof is about the uid: with a real uid other than 0, setuid(0)
 * and seteuid(0) must fail. The gids must all be the real gid, which may
 * itself be 0 (a caller whose primary group is root): setegid(0) then
 * succeeds without regaining anything, so it proves something only for a
 * real gid other than 0.
 */
int priv_drop(struct run *r, char *err, size_t errlen)
{
	uid_t ru, eu, su;
	gid_t rg, eg, sg;

	/* libldap reads user configuration only when uid == euid; make it
	 * initialise now, while they differ (and the environment is clean). */
	dir_library_init();

	if (r->ruid != 0 && setgroups(0, NULL) != 0) {
		(void)snprintf(err, errlen, "setgroups: %s", strerror(errno));
		return -1;
	}
	if (setresgid(r->rgid, r->rgid, r->rgid) != 0 ||
	    setresuid(r->ruid, r->ruid, r->ruid) != 0) {
		(void)snprintf(err, errlen, "cannot drop privileges: %s",
			       strerror(errno));
		return -1;
	}
	if (getresuid(&ru, &eu, &su) != 0 || getresgid(&rg, &eg, &sg) != 0 ||
	    ru != r->ruid || eu != r->ruid || su != r->ruid ||
	    rg != r->rgid || eg != r->rgid || sg != r->rgid) {
		(void)snprintf(err, errlen, "privileges were not dropped");
		return -1;
	}
	if (r->ruid != 0 && (setuid(0) != -1 || seteuid(0) != -1 ||
			     setresuid(-1, -1, 0) != -1 ||
			     (r->rgid != 0 && setegid(0) != -1) ||
			     getgroups(0, NULL) != 0)) {
		(void)snprintf(err, errlen, "privileges could be regained");
		return -1;
	}
	if (priv_no_core() != 0) {
		(void)snprintf(err, errlen, "cannot refuse core dumps");
		return -1;
	}
	return 0;
}

/* Fills who, tty and host for the audit line and cmecfLinkedBy. */
void run_identify(struct run *r)
{
	struct passwd *pw = getpwuid(r->ruid);
	char *t = ttyname(0);

	(void)snprintf(r->who, sizeof(r->who), "%s",
		       pw != NULL && pw->pw_name != NULL ? pw->pw_name : "?");
	(void)snprintf(r->tty, sizeof(r->tty), "%s", t != NULL ? t : "none");
	if (gethostname(r->host, sizeof(r->host)) != 0)
		(void)snprintf(r->host, sizeof(r->host), "unknown");
	r->host[sizeof(r->host) - 1] = '\0';
}
