/*
 * cookie_server.c - a loopback LDAP server that never ends a paged
 * search: every bind succeeds, every search answers "done" with zero
 * entries and a paged-results control carrying a fresh cookie. A client
 * that trusts the cookie walks forever; ours must stop at its page cap.
 *
 *   cookie_server PORTFILE
 *
 * Listens on 127.0.0.1 (a free port, written to PORTFILE), serves one
 * connection at a time, and exits after 60 s or 8 connections.
 */
#include <errno.h>
#include <lber.h>
#include <ldap.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define LIFETIME_S 60
#define MAX_CONNS 8
#define MAX_MSG (64 * 1024)

/* Reads exactly N bytes; 0 or -1. */
static int read_full(int fd, unsigned char *buf, size_t n)
{
	size_t got = 0;

	while (got < n) {
		ssize_t k = read(fd, buf + got, n - got);

		if (k <= 0)
			return -1;
		got += (size_t)k;
	}
	return 0;
}

/* One whole LDAPMessage into BUF; its length, or -1. */
static long read_message(int fd, unsigned char *buf, size_t cap)
{
	size_t len = 0, hdr = 2, i, nlen;

	if (read_full(fd, buf, 2) != 0 || buf[0] != 0x30)
		return -1;
	if (buf[1] & 0x80) {
		nlen = buf[1] & 0x7f;
		if (nlen == 0 || nlen > 3 || read_full(fd, buf + 2, nlen) != 0)
			return -1;
		for (i = 0; i < nlen; i++)
			len = (len << 8) | buf[2 + i];
		hdr += nlen;
	} else {
		len = buf[1];
	}
	if (hdr + len > cap || read_full(fd, buf + hdr, len) != 0)
		return -1;
	return (long)(hdr + len);
}

/* Sends what BER holds; 0 or -1. */
static int send_ber(int fd, BerElement *ber)
{
	struct berval *bv = NULL;
	int rc = -1;

	if (ber_flatten(ber, &bv) == 0 &&
	    write(fd, bv->bv_val, bv->bv_len) == (ssize_t)bv->bv_len)
		rc = 0;
	ber_bvfree(bv);
	return rc;
}

/* A result of TAG for MSGID, with the paged control when PAGED. */
static int answer(int fd, ber_int_t msgid, ber_tag_t tag, int paged, unsigned long n)
{
	BerElement *ber = ber_alloc_t(LBER_USE_DER), *val = ber_alloc_t(LBER_USE_DER);
	struct berval *v = NULL, cookie;
	char text[32];
	int rc = -1;

	if (ber == NULL || val == NULL)
		goto done;
	(void)snprintf(text, sizeof(text), "page-%lu", n);
	cookie.bv_val = text;
	cookie.bv_len = strlen(text);
	if (!paged) {
		if (ber_printf(ber, "{it{ess}}", msgid, tag, 0, "", "") == -1)
			goto done;
	} else {
		if (ber_printf(val, "{iO}", 0, &cookie) == -1 || ber_flatten(val, &v) != 0)
			goto done;
		if (ber_printf(ber, "{it{ess}t{{sO}}}", msgid, tag, 0, "", "",
			       (ber_tag_t)LDAP_TAG_CONTROLS, LDAP_CONTROL_PAGEDRESULTS, v) == -1)
			goto done;
	}
	rc = send_ber(fd, ber);
done:
	ber_bvfree(v);
	if (val != NULL)
		ber_free(val, 1);
	if (ber != NULL)
		ber_free(ber, 1);
	return rc;
}

/* Serves one client until it leaves or DEADLINE passes. */
static void serve(int fd, time_t deadline)
{
	static unsigned char buf[MAX_MSG];
	unsigned long pages = 0;

	while (time(NULL) < deadline) {
		struct pollfd p = { fd, POLLIN, 0 };
		struct berval in;
		BerElement *ber;
		ber_int_t msgid;
		ber_tag_t op;
		ber_len_t len;
		long n;
		int rc = 0;

		if (poll(&p, 1, 1000) <= 0)
			continue;
		n = read_message(fd, buf, sizeof(buf));
		if (n < 0)
			return;
		in.bv_val = (char *)buf;
		in.bv_len = (ber_len_t)n;
		ber = ber_init(&in);
		if (ber == NULL)
			return;
		if (ber_scanf(ber, "{i", &msgid) == LBER_ERROR) {
			ber_free(ber, 1);
			return;
		}
		op = ber_peek_tag(ber, &len);
		ber_free(ber, 1);
		switch (op) {
		case LDAP_REQ_BIND:
			rc = answer(fd, msgid, LDAP_RES_BIND, 0, 0);
			break;
		case LDAP_REQ_SEARCH:
			rc = answer(fd, msgid, LDAP_RES_SEARCH_RESULT, 1, ++pages);
			break;
		case LDAP_REQ_UNBIND:
			return;
		default:
			break;	/* abandon and the rest: no answer is due */
		}
		if (rc != 0)
			return;
	}
}

int main(int argc, char **argv)
{
	struct sockaddr_in a;
	socklen_t alen = sizeof(a);
	time_t deadline = time(NULL) + LIFETIME_S;
	FILE *pf;
	int s, one = 1, conns;

	if (argc != 2)
		return 2;
	s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (s < 0 || setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) != 0 ||
	    bind(s, (struct sockaddr *)&a, sizeof(a)) != 0 || listen(s, 4) != 0 ||
	    getsockname(s, (struct sockaddr *)&a, &alen) != 0)
		return 1;
	pf = fopen(argv[1], "w");
	if (pf == NULL || fprintf(pf, "%u\n", ntohs(a.sin_port)) < 0 || fclose(pf) != 0)
		return 1;
	for (conns = 0; conns < MAX_CONNS && time(NULL) < deadline; ) {
		struct pollfd p = { s, POLLIN, 0 };
		int c;

		if (poll(&p, 1, 1000) <= 0)
			continue;
		c = accept(s, NULL, NULL);
		if (c < 0)
			continue;
		conns++;
		serve(c, deadline);
		(void)close(c);
	}
	return 0;
}
