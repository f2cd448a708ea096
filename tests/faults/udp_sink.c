/*
 * udp_sink.c - a name server that never answers, for the resolver test.
 *
 *   udp_sink ADDRESS PORT SECONDS READYFILE
 *
 * Binds a UDP socket to ADDRESS:PORT (IPv4), writes "ready" to READYFILE,
 * then reads and drops every datagram until SECONDS have passed; prints
 * the number of datagrams it dropped on standard output when it ends
 * (at SECONDS, or at SIGTERM).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t sink_stop;

/* The SIGTERM handler: ends the loop. */
static void sink_on_term(int sig)
{
	(void)sig;
	sink_stop = 1;
}

/* Seconds on the monotonic clock. */
static double sink_now(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0)
		return 0;
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	struct sockaddr_in sa;
	struct pollfd pfd;
	char buf[2048];
	double end;
	long dropped = 0;
	struct sigaction act;
	int fd, rfd;

	if (argc != 5) {
		fprintf(stderr, "usage: udp_sink ADDRESS PORT SECONDS READYFILE\n");
		return 2;
	}
	memset(&act, 0, sizeof(act));
	act.sa_handler = sink_on_term;
	if (sigaction(SIGTERM, &act, NULL) != 0)
		return 1;
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((unsigned short)atoi(argv[2]));
	if (inet_pton(AF_INET, argv[1], &sa.sin_addr) != 1) {
		fprintf(stderr, "udp_sink: bad address %s\n", argv[1]);
		return 2;
	}
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
		fprintf(stderr, "udp_sink: bind: %s\n", strerror(errno));
		return 1;
	}
	rfd = open(argv[4], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (rfd < 0 || write(rfd, "ready\n", 6) != 6 || close(rfd) != 0) {
		fprintf(stderr, "udp_sink: %s: %s\n", argv[4], strerror(errno));
		return 1;
	}
	end = sink_now() + atof(argv[3]);
	pfd.fd = fd;
	pfd.events = POLLIN;
	while (!sink_stop && sink_now() < end) {
		int n = poll(&pfd, 1, 200);

		if (n > 0 && recv(fd, buf, sizeof(buf), 0) >= 0)
			dropped++;
	}
	printf("%ld\n", dropped);
	(void)close(fd);
	return 0;
}
