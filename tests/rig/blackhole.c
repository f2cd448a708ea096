/*
 * blackhole.c - a loopback TCP listener that accepts connections and never
 * answers, for the tests of connect and operation timeouts.
 *
 *     rig-blackhole SECONDS PORTFILE
 *
 * Binds 127.0.0.1 on a port the kernel picks, writes the port number to
 * PORTFILE (atomically, via a temporary file), then accepts and holds every
 * connection without reading or writing, and exits after SECONDS.
 */
#include <errno.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* Writes PORT to PATH via PATH.tmp and rename; 0 or -1. */
static int bh_write_port(const char *path, unsigned port)
{
	char tmp[4096];
	FILE *f = NULL;
	int rc = -1;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp))
		goto done;
	f = fopen(tmp, "w");
	if (f == NULL)
		goto done;
	if (fprintf(f, "%u\n", port) < 0)
		goto done;
	if (fclose(f) != 0) {
		f = NULL;
		goto done;
	}
	f = NULL;
	if (rename(tmp, path) != 0)
		goto done;
	rc = 0;
done:
	if (f != NULL)
		fclose(f);
	return rc;
}

int main(int argc, char **argv)
{
	struct sockaddr_in sa;
	socklen_t len = sizeof(sa);
	char *end = NULL;
	long secs;
	int fd;

	if (argc != 3) {
		fprintf(stderr, "usage: %s SECONDS PORTFILE\n", argv[0]);
		return 2;
	}
	errno = 0;
	secs = strtol(argv[1], &end, 10);
	if (errno != 0 || *end != '\0' || secs < 1 || secs > 3600) {
		fprintf(stderr, "%s: bad SECONDS\n", argv[0]);
		return 2;
	}
	/* The default action of SIGALRM ends the process: the time limit. */
	alarm((unsigned)secs);

	fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0) {
		perror("socket");
		return 1;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sa.sin_port = 0;
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0 ||
	    listen(fd, 128) != 0 ||
	    getsockname(fd, (struct sockaddr *)&sa, &len) != 0) {
		perror("bind/listen");
		return 1;
	}
	if (bh_write_port(argv[2], ntohs(sa.sin_port)) != 0) {
		perror(argv[2]);
		return 1;
	}
	for (;;) {
		int c = accept(fd, NULL, NULL);

		/*
		 * Accepted connections stay open and unread until the time
		 * limit; when out of descriptors, the backlog holds the rest.
		 */
		if (c < 0 && errno != EINTR) {
			if (errno != EMFILE && errno != ENFILE) {
				perror("accept");
				return 1;
			}
			sleep(1);
		}
	}
}
