/*
 * fuzz_proto_request.c - pacerd's side of the protocol: the request
 * decoder on arbitrary bytes, as any local user can send them. A frame
 * it accepts re-encodes to exactly the same bytes (the encoding is
 * canonical) and decodes again to an equal request; the frame reader,
 * fed the same bytes from a memfd, returns that same frame or refuses.
 */
#include <sys/mman.h>
#include <unistd.h>

#include "fuzz_common.h"
#include "proto.h"

static void fz_requests_equal(const struct proto_request *a,
			      const struct proto_request *b)
{
	FZ_CHECK(a->type == b->type && a->flags == b->flags);
	FZ_CHECK(strcmp(a->service, b->service) == 0);
	FZ_CHECK(a->has_rhost == b->has_rhost &&
		 strcmp(a->rhost, b->rhost) == 0);
	FZ_CHECK(a->has_tty == b->has_tty && strcmp(a->tty, b->tty) == 0);
	FZ_CHECK(a->has_court == b->has_court &&
		 strcmp(a->court, b->court) == 0);
	FZ_CHECK(strcmp(a->config, b->config) == 0);
	FZ_CHECK(strcmp(a->user, b->user) == 0);
	FZ_CHECK(strcmp(a->password, b->password) == 0);
	FZ_CHECK(strcmp(a->old_password, b->old_password) == 0);
	FZ_CHECK(strcmp(a->new_password, b->new_password) == 0);
	FZ_CHECK(a->has_client_code == b->has_client_code &&
		 strcmp(a->client_code, b->client_code) == 0);
}

/* The frame reader on DATA from a memfd agrees with the decoder: what it
 * returns is the frame the header describes, never more than the limit. */
static void fz_reader_agrees(const uint8_t *data, size_t size, int decoded)
{
	static uint8_t buf[PROTO_FRAME_MAX];
	static struct proto_request again;
	struct proto_header h;
	struct dir_deadline dl;
	size_t len = 0;
	int fd, rc;

	fd = memfd_create("fuzz_proto_request", MFD_CLOEXEC);
	FZ_CHECK(fd >= 0);
	FZ_CHECK(write(fd, data, size) == (ssize_t)size);
	FZ_CHECK(lseek(fd, 0, SEEK_SET) == 0);
	dir_deadline_start(&dl, 1000);
	rc = proto_read_frame(fd, buf, sizeof(buf), &dl, &len, &h);
	(void)close(fd);
	if (rc != PROTO_OK) {
		/* A frame the decoder took whole is read whole. */
		FZ_CHECK(decoded != PROTO_OK);
		return;
	}
	FZ_CHECK(len == h.length && len <= size && len <= PROTO_FRAME_MAX);
	FZ_CHECK(memcmp(buf, data, len) == 0);
	/* Bytes after the frame stay unread; the decoder calls them
	 * trailing (an answer's type it refuses first). */
	if (len < size)
		FZ_CHECK(decoded == PROTO_E_TRAILING ||
			 (decoded == PROTO_E_TYPE && h.type == PROTO_T_ANSWER));
	else
		FZ_CHECK(proto_request_decode(buf, len, &again) == decoded);
	proto_request_wipe(&again);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct proto_request a, b;
	static uint8_t out[PROTO_FRAME_MAX];
	size_t len = 0;
	int rc;

	rc = proto_request_decode(data, size, &a);
	if (size <= PROTO_FRAME_MAX + PROTO_HEADER_LEN)
		fz_reader_agrees(data, size, rc);
	if (rc != PROTO_OK) {
		proto_request_wipe(&a);
		return 0;
	}
	FZ_CHECK(size <= PROTO_FRAME_MAX);
	FZ_CHECK(proto_request_encode(&a, out, sizeof(out), &len) == PROTO_OK);
	FZ_CHECK(len == size && memcmp(out, data, size) == 0);
	FZ_CHECK(proto_request_decode(out, len, &b) == PROTO_OK);
	fz_requests_equal(&a, &b);
	proto_request_wipe(&a);
	proto_request_wipe(&b);
	FZ_CHECK(a.password[0] == '\0' && b.new_password[0] == '\0');
	return 0;
}
