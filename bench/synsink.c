/*
 * synsink.c - a loopback port whose new connections are silently dropped,
 * as a firewall that drops packets makes them look:
 *
 *   synsink SECONDS PORTFILE
 *
 * It listens on 127.0.0.1 with a backlog of 0 and fills that accept queue
 * with connections of its own that it never accepts. Linux then drops every
 * further SYN to the port (the listener is full), so a client's connect()
 * gets no answer at all, retransmits, and waits for its own timeout, unlike
 * a closed port (refused at once) or a listener that accepts and never
 * answers. Needs no firewall. Writes the port to PORTFILE once ready and
 * exits by itself after SECONDS.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define SS_FILL 2

int main(int argc, char **argv)
{
	struct sockaddr_in sa;
	socklen_t len = sizeof(sa);
	int lfd, fill[SS_FILL], nfill = 0;
	long secs;
	char *end = NULL;
	FILE *pf;

	if (argc != 3) {
		fprintf(stderr, "usage: synsink SECONDS PORTFILE\n");
		return 2;
	}
	secs = strtol(argv[1], &end, 10);
	if (end == argv[1] || *end != '\0' || secs < 1 || secs > 3600) {
		fprintf(stderr, "synsink: bad SECONDS\n");
		return 2;
	}
	lfd = socket(AF_INET, SOCK_STREAM, 0);
	if (lfd < 0)
		return 1;
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(lfd, (struct sockaddr *)&sa, sizeof(sa)) != 0 ||
	    listen(lfd, 0) != 0 ||
	    getsockname(lfd, (struct sockaddr *)&sa, &len) != 0) {
		perror("synsink");
		return 1;
	}
	/* Fill the queue (one connection fills a backlog of 0; the rest make
	 * sure), then let the handshakes settle. */
	while (nfill < SS_FILL) {
		int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);

		if (fd < 0)
			return 1;
		fill[nfill++] = fd;
		if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0 &&
		    errno != EINPROGRESS) {
			perror("synsink: connect");
			return 1;
		}
	}
	(void)usleep(200000);
	pf = fopen(argv[2], "w");
	if (pf == NULL || fprintf(pf, "%u\n", (unsigned)ntohs(sa.sin_port)) < 0 ||
	    fclose(pf) != 0) {
		perror("synsink");
		return 1;
	}
	(void)sleep((unsigned)secs);
	for (int i = 0; i < nfill; i++)
		(void)close(fill[i]);
	(void)close(lfd);
	return 0;
}
