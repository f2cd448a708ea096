/*
 * load_driver.c - many authentications through pam_pacer.so in one process.
 *
 *   load_driver CONFDIR SERVICE USER COUNT [CHECKPOINT]...
 *
 * Reads one password line from standard input, then runs COUNT times:
 * pam_start_confdir, pam_authenticate, pam_end. After each iteration whose
 * number is a CHECKPOINT, and at the end, it prints
 *     at=N ok=N failed=N fds=N rss_kb=N
 * (successes and failures so far, open descriptors, VmRSS of
 * /proc/self/status). The first failure's PAM message goes to stderr.
 * syslog() is replaced by a no-op so the run measures the module, not the
 * log. Exits 0 when every authentication succeeded, 1 otherwise.
 */
#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <security/pam_appl.h>

void syslog(int pri, const char *fmt, ...);
void vsyslog(int pri, const char *fmt, va_list ap);
void __syslog_chk(int pri, int flag, const char *fmt, ...);
void __vsyslog_chk(int pri, int flag, const char *fmt, va_list ap);

void syslog(int pri, const char *fmt, ...) { (void)pri; (void)fmt; }
void vsyslog(int pri, const char *fmt, va_list ap) { (void)pri; (void)fmt; (void)ap; }
void __syslog_chk(int pri, int flag, const char *fmt, ...) { (void)pri; (void)flag; (void)fmt; }
void __vsyslog_chk(int pri, int flag, const char *fmt, va_list ap)
{
	(void)pri; (void)flag; (void)fmt; (void)ap;
}

static char ld_password[1024];

/* Answers every hidden or echoed prompt with the password; PAM_SUCCESS or
 * PAM_BUF_ERR / PAM_CONV_ERR. The caller (libpam) owns *resp. */
static int ld_conv(int n, const struct pam_message **msg,
		   struct pam_response **resp, void *data)
{
	struct pam_response *r;
	int i;

	(void)data;
	r = calloc((size_t)n, sizeof(*r));
	if (r == NULL)
		return PAM_BUF_ERR;
	for (i = 0; i < n; i++) {
		if (msg[i]->msg_style != PAM_PROMPT_ECHO_OFF &&
		    msg[i]->msg_style != PAM_PROMPT_ECHO_ON)
			continue;
		r[i].resp = strdup(ld_password);
		if (r[i].resp == NULL)
			goto fail;
	}
	*resp = r;
	return PAM_SUCCESS;
fail:
	for (i = 0; i < n; i++)
		free(r[i].resp);
	free(r);
	return PAM_CONV_ERR;
}

/* Ignores the delay the module asks for after a failure. */
static void ld_no_delay(int retval, unsigned usec, void *data)
{
	(void)retval; (void)usec; (void)data;
}

/* Open descriptors of this process, or -1. */
static int ld_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int n = 0;

	if (d == NULL)
		return -1;
	while ((e = readdir(d)) != NULL)
		if (e->d_name[0] != '.')
			n++;
	(void)closedir(d);
	return n - 1;
}

/* VmRSS in kB, or -1. */
static long ld_rss_kb(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	long kb = -1;

	if (f == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL)
		if (sscanf(line, "VmRSS: %ld kB", &kb) == 1)
			break;
	(void)fclose(f);
	return kb;
}

int main(int argc, char **argv)
{
	struct pam_conv conv = { ld_conv, NULL };
	long count, i, ok = 0, failed = 0;
	int a;

	if (argc < 5 || fgets(ld_password, sizeof(ld_password), stdin) == NULL) {
		fprintf(stderr, "usage: load_driver CONFDIR SERVICE USER COUNT [CHECKPOINT]... <password\n");
		return 2;
	}
	ld_password[strcspn(ld_password, "\n")] = '\0';
	count = strtol(argv[4], NULL, 10);
	for (i = 1; i <= count; i++) {
		pam_handle_t *pamh = NULL;
		int rc = pam_start_confdir(argv[2], argv[3], &conv, argv[1], &pamh);

		if (rc == PAM_SUCCESS)
			rc = pam_set_item(pamh, PAM_FAIL_DELAY, (const void *)ld_no_delay);
		if (rc == PAM_SUCCESS)
			rc = pam_authenticate(pamh, 0);
		if (rc == PAM_SUCCESS) {
			ok++;
		} else {
			if (failed == 0)
				fprintf(stderr, "load_driver: iteration %ld: %s\n", i,
					pamh != NULL ? pam_strerror(pamh, rc) : "pam_start failed");
			failed++;
		}
		if (pamh != NULL)
			(void)pam_end(pamh, rc);
		for (a = 5; a < argc; a++)
			if (strtol(argv[a], NULL, 10) == i)
				printf("at=%ld ok=%ld failed=%ld fds=%d rss_kb=%ld\n",
				       i, ok, failed, ld_fds(), ld_rss_kb());
	}
	printf("at=%ld ok=%ld failed=%ld fds=%d rss_kb=%ld\n", count, ok, failed,
	       ld_fds(), ld_rss_kb());
	explicit_bzero(ld_password, sizeof(ld_password));
	return failed == 0 ? 0 : 1;
}
