/*
 * logsink.c - a throwaway syslog: binds a unix datagram socket at PATH and
 * appends every message it receives, one per line, to OUTFILE; stops by
 * itself after SECONDS. Usage: logsink PATH OUTFILE SECONDS
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct sockaddr_un sa;
	char buf[8192];
	long secs;
	time_t end;
	int s, out;

	if (argc != 4 || strlen(argv[1]) >= sizeof(sa.sun_path)) {
		fprintf(stderr, "usage: logsink PATH OUTFILE SECONDS\n");
		return 2;
	}
	secs = strtol(argv[3], NULL, 10);
	if (secs <= 0 || secs > 3600)
		return 2;
	out = open(argv[2], O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	if (out < 0)
		return 1;
	s = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		return 1;
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	memcpy(sa.sun_path, argv[1], strlen(argv[1]) + 1);
	(void)unlink(argv[1]);
	if (bind(s, (struct sockaddr *)&sa, sizeof(sa)) != 0 || chmod(argv[1], 0666) != 0)
		return 1;
	end = time(NULL) + secs;
	while (time(NULL) < end) {
		struct pollfd p = { s, POLLIN, 0 };
		ssize_t n;

		if (poll(&p, 1, 200) <= 0)
			continue;
		n = recv(s, buf, sizeof(buf) - 1, 0);
		if (n <= 0)
			continue;
		while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\0'))
			n--;
		buf[n++] = '\n';
		if (write(out, buf, (size_t)n) != n)
			return 1;
	}
	(void)unlink(argv[1]);
	return 0;
}
