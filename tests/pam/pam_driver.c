/*
 * pam_driver.c - a small PAM application for the pam_pacer.so suites.
 *
 *   pam_driver -c CONFDIR [-s SERVICE] [-n COUNT] [-t THREADS] [-r RHOST]
 *              [-a MS] [-e] [-q] USER OP...
 *
 * OP is auth, acct, chauthtok, expired, setcred, open or close; each runs
 * in order on one handle made with pam_start_confdir(CONFDIR), until one
 * fails. "expired" is pam_chauthtok with PAM_CHANGE_EXPIRED_AUTHTOK, what
 * a login application calls after acct answered PAM_NEW_AUTHTOK_REQD: an
 * acct followed by expired goes on past that answer, as login does.
 * Answers to prompts are the lines of standard input, in order, from the
 * first line again at each of COUNT iterations. It prints what a person
 * would see ("prompt:", "echo-prompt:", "info:", "error:"), each OP's
 * result by name, the delay the module asked for ("fail_delay:", recorded
 * instead of slept), the PAM environment after the last OP (-e), a summary
 * line "summary: iterations=N ok=N failed=N", and "fds: before=N after=N"
 * (open descriptors before the first and after the last handle). With -t
 * the iterations run in THREADS threads at once, each on its own handle;
 * -q prints only the summary and fds lines. With -a, SIGALRM arrives every
 * MS milliseconds in the threads that run the OPs, caught by a handler
 * installed with SA_RESTART, as a host process's own timer would be; the
 * line "ticks: N" says how many arrived.
 *
 * syslog() is replaced here: every line libpam would send to syslog is
 * appended to the file named by DRIVER_LOG (when set), so a suite can read
 * what the module told the administrator.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>
#include <security/pam_appl.h>

#define DRV_MAX_ANSWERS 64
#define DRV_MAX_OPS 16

static char *drv_answers[DRV_MAX_ANSWERS];
static size_t drv_answer_len[DRV_MAX_ANSWERS];
static size_t drv_n_answers;
static pthread_mutex_t drv_out_lock = PTHREAD_MUTEX_INITIALIZER;
static volatile sig_atomic_t drv_ticks;

static void drv_tick(int sig)
{
	(void)sig;
	drv_ticks++;
}

/* SIGALRM every MS milliseconds from now, with SA_RESTART; 0 or -1. */
static int drv_ticker(long ms)
{
	struct sigaction sa;
	struct itimerval it;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = drv_tick;
	sa.sa_flags = SA_RESTART;
	memset(&it, 0, sizeof(it));
	it.it_interval.tv_sec = ms / 1000;
	it.it_interval.tv_usec = (ms % 1000) * 1000;
	it.it_value = it.it_interval;
	if (sigaction(SIGALRM, &sa, NULL) != 0)
		return -1;
	return setitimer(ITIMER_REAL, &it, NULL);
}

struct drv_thread {
	const char *confdir;
	const char *service;
	const char *user;
	const char *rhost;
	const char **ops;
	int n_ops;
	long count;
	bool quiet;
	bool print_env;
	size_t next_answer;
	long ok;
	long failed;
};

/* ---- syslog capture ------------------------------------------------------ */

static void drv_log_line(int pri, const char *fmt, va_list ap)
{
	const char *path = getenv("DRIVER_LOG");
	char line[4096];
	int n, fd;

	if (path == NULL)
		return;
	n = snprintf(line, sizeof(line), "<%d> ", pri);
	if (n < 0)
		return;
	(void)vsnprintf(line + n, sizeof(line) - (size_t)n - 1, fmt, ap);
	n = (int)strlen(line);
	line[n++] = '\n';
	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		return;
	if (write(fd, line, (size_t)n) < 0)
		(void)close(fd);
	else
		(void)close(fd);
}

void vsyslog(int pri, const char *fmt, va_list ap)
{
	drv_log_line(pri, fmt, ap);
}

void syslog(int pri, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	drv_log_line(pri, fmt, ap);
	va_end(ap);
}

void __syslog_chk(int pri, int flag, const char *fmt, ...);
void __syslog_chk(int pri, int flag, const char *fmt, ...)
{
	va_list ap;

	(void)flag;
	va_start(ap, fmt);
	drv_log_line(pri, fmt, ap);
	va_end(ap);
}

void __vsyslog_chk(int pri, int flag, const char *fmt, va_list ap);
void __vsyslog_chk(int pri, int flag, const char *fmt, va_list ap)
{
	(void)flag;
	drv_log_line(pri, fmt, ap);
}

/* ---- the application ----------------------------------------------------- */

static void drv_say(const struct drv_thread *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void drv_say(const struct drv_thread *t, const char *fmt, ...)
{
	va_list ap;

	if (t->quiet)
		return;
	(void)pthread_mutex_lock(&drv_out_lock);
	va_start(ap, fmt);
	(void)vprintf(fmt, ap);
	va_end(ap);
	(void)fflush(stdout);
	(void)pthread_mutex_unlock(&drv_out_lock);
}

static int drv_conv(int n, const struct pam_message **msg,
		    struct pam_response **resp, void *data)
{
	struct drv_thread *t = data;
	struct pam_response *r;
	int i;

	r = calloc((size_t)n, sizeof(*r));
	if (r == NULL)
		return PAM_BUF_ERR;
	for (i = 0; i < n; i++) {
		switch (msg[i]->msg_style) {
		case PAM_PROMPT_ECHO_OFF:
		case PAM_PROMPT_ECHO_ON:
			drv_say(t, "%s: %s\n",
				msg[i]->msg_style == PAM_PROMPT_ECHO_OFF
				? "prompt" : "echo-prompt", msg[i]->msg);
			if (t->next_answer >= drv_n_answers) {
				drv_say(t, "conversation: no answer left\n");
				goto fail;
			}
			r[i].resp = malloc(drv_answer_len[t->next_answer] + 1);
			if (r[i].resp == NULL)
				goto fail;
			memcpy(r[i].resp, drv_answers[t->next_answer],
			       drv_answer_len[t->next_answer] + 1);
			t->next_answer++;
			break;
		case PAM_TEXT_INFO:
			drv_say(t, "info: %s\n", msg[i]->msg);
			break;
		case PAM_ERROR_MSG:
			drv_say(t, "error: %s\n", msg[i]->msg);
			break;
		default:
			goto fail;
		}
	}
	*resp = r;
	return PAM_SUCCESS;
fail:
	for (i = 0; i < n; i++) {
		if (r[i].resp != NULL) {
			explicit_bzero(r[i].resp, strlen(r[i].resp));
			free(r[i].resp);
		}
	}
	free(r);
	return PAM_CONV_ERR;
}

static void drv_fail_delay(int retval, unsigned usec, void *data)
{
	struct drv_thread *t = data;

	(void)retval;
	drv_say(t, "fail_delay: %u\n", usec);
}

static const char *drv_code_name(int rc)
{
	static const struct { int rc; const char *name; } names[] = {
#define N(x) { x, #x }
		N(PAM_SUCCESS), N(PAM_OPEN_ERR), N(PAM_SYMBOL_ERR),
		N(PAM_SERVICE_ERR), N(PAM_SYSTEM_ERR), N(PAM_BUF_ERR),
		N(PAM_PERM_DENIED), N(PAM_AUTH_ERR), N(PAM_CRED_INSUFFICIENT),
		N(PAM_AUTHINFO_UNAVAIL), N(PAM_USER_UNKNOWN), N(PAM_MAXTRIES),
		N(PAM_NEW_AUTHTOK_REQD), N(PAM_ACCT_EXPIRED),
		N(PAM_SESSION_ERR), N(PAM_CRED_UNAVAIL), N(PAM_CRED_EXPIRED),
		N(PAM_CRED_ERR), N(PAM_NO_MODULE_DATA), N(PAM_CONV_ERR),
		N(PAM_AUTHTOK_ERR), N(PAM_AUTHTOK_RECOVERY_ERR),
		N(PAM_AUTHTOK_LOCK_BUSY), N(PAM_AUTHTOK_DISABLE_AGING),
		N(PAM_TRY_AGAIN), N(PAM_IGNORE), N(PAM_ABORT),
		N(PAM_AUTHTOK_EXPIRED), N(PAM_MODULE_UNKNOWN), N(PAM_BAD_ITEM),
		N(PAM_CONV_AGAIN), N(PAM_INCOMPLETE),
#undef N
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].rc == rc)
			return names[i].name;
	return "PAM_?";
}

static int drv_op(pam_handle_t *pamh, const char *op)
{
	if (strcmp(op, "auth") == 0)
		return pam_authenticate(pamh, 0);
	if (strcmp(op, "acct") == 0)
		return pam_acct_mgmt(pamh, 0);
	if (strcmp(op, "chauthtok") == 0)
		return pam_chauthtok(pamh, 0);
	if (strcmp(op, "expired") == 0)
		return pam_chauthtok(pamh, PAM_CHANGE_EXPIRED_AUTHTOK);
	if (strcmp(op, "setcred") == 0)
		return pam_setcred(pamh, PAM_ESTABLISH_CRED);
	if (strcmp(op, "open") == 0)
		return pam_open_session(pamh, 0);
	if (strcmp(op, "close") == 0)
		return pam_close_session(pamh, 0);
	return -1;
}

/* One iteration: a handle, the OPs, the environment, pam_end. True when
 * every OP succeeded. */
static bool drv_once(struct drv_thread *t, bool last)
{
	struct pam_conv conv = { drv_conv, t };
	pam_handle_t *pamh = NULL;
	bool all_ok = true;
	int rc, i;

	t->next_answer = 0;
	rc = pam_start_confdir(t->service, t->user, &conv, t->confdir, &pamh);
	if (rc != PAM_SUCCESS) {
		drv_say(t, "pam_start: %s\n", drv_code_name(rc));
		return false;
	}
	rc = pam_set_item(pamh, PAM_FAIL_DELAY, (const void *)drv_fail_delay);
	if (rc == PAM_SUCCESS && t->rhost != NULL)
		rc = pam_set_item(pamh, PAM_RHOST, t->rhost);
	if (rc != PAM_SUCCESS) {
		drv_say(t, "pam_set_item: %s\n", drv_code_name(rc));
		all_ok = false;
	}
	for (i = 0; i < t->n_ops && all_ok; i++) {
		rc = drv_op(pamh, t->ops[i]);
		drv_say(t, "%s: %s\n", t->ops[i], drv_code_name(rc));
		if (rc == PAM_NEW_AUTHTOK_REQD && strcmp(t->ops[i], "acct") == 0 &&
		    i + 1 < t->n_ops && strcmp(t->ops[i + 1], "expired") == 0)
			continue;
		if (rc != PAM_SUCCESS)
			all_ok = false;
	}
	if (last && t->print_env) {
		char **env = pam_getenvlist(pamh);

		for (i = 0; env != NULL && env[i] != NULL; i++) {
			drv_say(t, "env: %s\n", env[i]);
			free(env[i]);
		}
		free(env);
	}
	(void)pam_end(pamh, all_ok ? PAM_SUCCESS : PAM_AUTH_ERR);
	return all_ok;
}

static void *drv_thread_main(void *arg)
{
	struct drv_thread *t = arg;
	sigset_t alrm;
	long i;

	/* The timer's signals land here, in the threads that call PAM. */
	(void)sigemptyset(&alrm);
	(void)sigaddset(&alrm, SIGALRM);
	(void)pthread_sigmask(SIG_UNBLOCK, &alrm, NULL);

	for (i = 0; i < t->count; i++) {
		if (drv_once(t, i == t->count - 1))
			t->ok++;
		else
			t->failed++;
	}
	return NULL;
}

static int drv_count_fds(void)
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
	return n - 1;	/* the directory's own descriptor */
}

/* Reads the answers, one per line, from standard input. */
static int drv_read_answers(void)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;

	while ((len = getline(&line, &cap, stdin)) >= 0) {
		if (drv_n_answers >= DRV_MAX_ANSWERS)
			return -1;
		if (len > 0 && line[len - 1] == '\n')
			line[--len] = '\0';
		drv_answers[drv_n_answers] = malloc((size_t)len + 1);
		if (drv_answers[drv_n_answers] == NULL)
			return -1;
		memcpy(drv_answers[drv_n_answers], line, (size_t)len + 1);
		drv_answer_len[drv_n_answers] = (size_t)len;
		drv_n_answers++;
	}
	free(line);
	return 0;
}

static void drv_usage(void)
{
	fprintf(stderr, "usage: pam_driver -c CONFDIR [-s SERVICE] [-n COUNT] "
		"[-t THREADS] [-r RHOST] [-a MS] [-e] [-q] USER OP...\n");
	exit(2);
}

int main(int argc, char **argv)
{
	struct drv_thread proto, *threads = NULL;
	pthread_t *tids = NULL;
	long n_threads = 1, ok = 0, failed = 0, tick_ms = 0, i;
	sigset_t alrm;
	int fds_before, fds_after, c;
	const char *confdir = NULL;
	char *end;

	memset(&proto, 0, sizeof(proto));
	proto.service = "pacer-test";
	proto.count = 1;
	while ((c = getopt(argc, argv, "+c:s:n:t:r:a:eq")) != -1) {
		switch (c) {
		case 'c': confdir = optarg; break;
		case 's': proto.service = optarg; break;
		case 'r': proto.rhost = optarg; break;
		case 'e': proto.print_env = true; break;
		case 'q': proto.quiet = true; break;
		case 'n':
			errno = 0;
			proto.count = strtol(optarg, &end, 10);
			if (errno != 0 || *end != '\0' || proto.count < 1 ||
			    proto.count > 1000000)
				drv_usage();
			break;
		case 'a':
			errno = 0;
			tick_ms = strtol(optarg, &end, 10);
			if (errno != 0 || *end != '\0' || tick_ms < 1 ||
			    tick_ms > 10000)
				drv_usage();
			break;
		case 't':
			errno = 0;
			n_threads = strtol(optarg, &end, 10);
			if (errno != 0 || *end != '\0' || n_threads < 1 ||
			    n_threads > 64)
				drv_usage();
			break;
		default:
			drv_usage();
		}
	}
	if (confdir == NULL || argc - optind < 2 || argc - optind - 1 > DRV_MAX_OPS)
		drv_usage();
	proto.confdir = confdir;
	proto.user = argv[optind];
	proto.ops = (const char **)argv + optind + 1;
	proto.n_ops = argc - optind - 1;
	for (c = 0; c < proto.n_ops; c++)
		if (strstr(" auth acct chauthtok expired setcred open close ",
			   proto.ops[c]) == NULL || strchr(proto.ops[c], ' ') != NULL ||
		    proto.ops[c][0] == '\0')
			drv_usage();
	if (drv_read_answers() != 0) {
		fprintf(stderr, "pam_driver: cannot read the answers\n");
		return 2;
	}

	/* Only the threads that call PAM take the timer's signals. */
	(void)sigemptyset(&alrm);
	(void)sigaddset(&alrm, SIGALRM);
	(void)pthread_sigmask(SIG_BLOCK, &alrm, NULL);
	if (tick_ms > 0 && drv_ticker(tick_ms) != 0) {
		fprintf(stderr, "pam_driver: cannot start the timer\n");
		return 2;
	}
	fds_before = drv_count_fds();
	threads = calloc((size_t)n_threads, sizeof(*threads));
	tids = calloc((size_t)n_threads, sizeof(*tids));
	if (threads == NULL || tids == NULL)
		return 2;
	for (i = 0; i < n_threads; i++) {
		threads[i] = proto;
		if (n_threads > 1)
			threads[i].quiet = true;
		if (pthread_create(&tids[i], NULL, drv_thread_main, &threads[i]) != 0) {
			fprintf(stderr, "pam_driver: pthread_create failed\n");
			return 2;
		}
	}
	for (i = 0; i < n_threads; i++) {
		(void)pthread_join(tids[i], NULL);
		ok += threads[i].ok;
		failed += threads[i].failed;
	}
	if (tick_ms > 0) {
		(void)drv_ticker(0);
		printf("ticks: %ld\n", (long)drv_ticks);
	}
	fds_after = drv_count_fds();
	printf("summary: iterations=%ld ok=%ld failed=%ld\n", ok + failed, ok,
	       failed);
	printf("fds: before=%d after=%d\n", fds_before, fds_after);
	for (i = 0; i < (long)drv_n_answers; i++) {
		explicit_bzero(drv_answers[i], drv_answer_len[i]);
		free(drv_answers[i]);
	}
	free(threads);
	free(tids);
	return 0;
}
