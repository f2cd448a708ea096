/*
 * test_proto.c - the module-daemon protocol: every message type round
 * trips; every malformed frame is refused with its own error; the frame
 * reader keeps its deadline against silent, slow and lying peers, and
 * refuses a huge length before reading the body.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include <security/_pam_types.h>

#include "proto.h"

/* ---- a frame built by hand ------------------------------------------ */

struct fb {
	uint8_t b[2 * PROTO_FRAME_MAX];
	size_t n;
};

static void fb_raw(struct fb *f, const void *p, size_t n)
{
	assert_true(f->n + n <= sizeof(f->b));
	memcpy(f->b + f->n, p, n);
	f->n += n;
}

static void fb_be16(struct fb *f, uint16_t v)
{
	uint8_t b[2] = { (uint8_t)(v >> 8), (uint8_t)v };

	fb_raw(f, b, 2);
}

static void fb_be32(struct fb *f, uint32_t v)
{
	uint8_t b[4] = { (uint8_t)(v >> 24), (uint8_t)(v >> 16),
			 (uint8_t)(v >> 8), (uint8_t)v };

	fb_raw(f, b, 4);
}

static void fb_start(struct fb *f, uint32_t magic, uint16_t version,
		     uint16_t type)
{
	f->n = 0;
	fb_be32(f, magic);
	fb_be16(f, version);
	fb_be16(f, type);
	fb_be32(f, 0);
}

/* A field whose length says CLAIM while N bytes of V follow. */
static void fb_field_claim(struct fb *f, uint16_t tag, uint16_t claim,
			   const void *v, size_t n)
{
	fb_be16(f, tag);
	fb_be16(f, claim);
	fb_raw(f, v, n);
}

static void fb_field(struct fb *f, uint16_t tag, const void *v, size_t n)
{
	fb_field_claim(f, tag, (uint16_t)n, v, n);
}

static void fb_str(struct fb *f, uint16_t tag, const char *s)
{
	fb_field(f, tag, s, strlen(s));
}

static void fb_u32(struct fb *f, uint16_t tag, uint32_t v)
{
	fb_be16(f, tag);
	fb_be16(f, 4);
	fb_be32(f, v);
}

/* Writes the frame's length (its size so far) into its header. */
static size_t fb_end(struct fb *f)
{
	f->b[8] = (uint8_t)(f->n >> 24);
	f->b[9] = (uint8_t)(f->n >> 16);
	f->b[10] = (uint8_t)(f->n >> 8);
	f->b[11] = (uint8_t)f->n;
	return f->n;
}

/* A valid ANSWER frame's start: the header and RESULT success. */
static void fb_answer(struct fb *f)
{
	fb_start(f, PROTO_MAGIC, PROTO_VERSION, PROTO_T_ANSWER);
	fb_u32(f, PROTO_TAG_RESULT, 0);
}

/* The fields every request has, in order, leaving out tag SKIP. */
static void fb_context(struct fb *f, uint16_t skip, uint32_t flags)
{
	if (skip != PROTO_TAG_SERVICE)
		fb_str(f, PROTO_TAG_SERVICE, "sshd");
	if (skip != PROTO_TAG_CONFIG)
		fb_str(f, PROTO_TAG_CONFIG, "/etc/security/pam_pacer.conf");
	if (skip != PROTO_TAG_USER)
		fb_str(f, PROTO_TAG_USER, "jattorney");
	if (skip != PROTO_TAG_FLAGS)
		fb_u32(f, PROTO_TAG_FLAGS, flags);
}

/* A valid AUTHENTICATE frame in F without tag SKIP. */
static size_t fb_auth(struct fb *f, uint16_t skip)
{
	fb_start(f, PROTO_MAGIC, PROTO_VERSION, PROTO_T_AUTHENTICATE);
	fb_context(f, skip, PROTO_F_EFILE);
	if (skip != PROTO_TAG_PASSWORD)
		fb_str(f, PROTO_TAG_PASSWORD, "correct horse");
	return fb_end(f);
}

static int decode_req(struct fb *f)
{
	struct proto_request req;
	int rc = proto_request_decode(f->b, f->n, &req);

	proto_request_wipe(&req);
	return rc;
}

static int decode_ans(struct fb *f)
{
	static struct proto_answer ans;

	return proto_answer_decode(f->b, f->n, &ans);
}

/* ---- sample messages ------------------------------------------------- */

static void fill_auth(struct proto_request *r)
{
	memset(r, 0, sizeof(*r));
	r->type = PROTO_T_AUTHENTICATE;
	r->flags = PROTO_F_EFILE | PROTO_F_CLIENT_CODE | PROTO_F_DEBUG;
	strcpy(r->service, "sshd");
	r->has_rhost = true;
	strcpy(r->rhost, "client.courts.test");
	r->has_tty = true;
	strcpy(r->tty, "ssh");
	r->has_court = true;
	strcpy(r->court, "mnd");
	strcpy(r->config, "/etc/security/pam_pacer.conf");
	strcpy(r->user, "jattorney");
	strcpy(r->password, "pass word=with;odd\tbytes\xc3\xa9");
	r->has_client_code = true;
	strcpy(r->client_code, "case 42");
}

static void assert_request_equal(const struct proto_request *a,
				 const struct proto_request *b)
{
	assert_int_equal(a->type, b->type);
	assert_int_equal(a->flags, b->flags);
	assert_string_equal(a->service, b->service);
	assert_int_equal(a->has_rhost, b->has_rhost);
	assert_string_equal(a->rhost, b->rhost);
	assert_int_equal(a->has_tty, b->has_tty);
	assert_string_equal(a->tty, b->tty);
	assert_int_equal(a->has_court, b->has_court);
	assert_string_equal(a->court, b->court);
	assert_string_equal(a->config, b->config);
	assert_string_equal(a->user, b->user);
	assert_string_equal(a->password, b->password);
	assert_string_equal(a->old_password, b->old_password);
	assert_string_equal(a->new_password, b->new_password);
	assert_int_equal(a->has_client_code, b->has_client_code);
	assert_string_equal(a->client_code, b->client_code);
}

/* Encodes IN, decodes it into OUT, and checks they are equal. */
static size_t round_trip_request(const struct proto_request *in)
{
	static uint8_t buf[PROTO_FRAME_MAX];
	static struct proto_request out;
	size_t len = 0;

	assert_int_equal(proto_request_encode(in, buf, sizeof(buf), &len),
			 PROTO_OK);
	assert_true(len >= PROTO_HEADER_LEN && len <= PROTO_FRAME_MAX);
	assert_int_equal(proto_request_decode(buf, len, &out), PROTO_OK);
	assert_request_equal(in, &out);
	proto_request_wipe(&out);
	explicit_bzero(buf, sizeof(buf));
	return len;
}

static void test_authenticate_round_trip(void **state)
{
	static struct proto_request r;

	(void)state;
	fill_auth(&r);
	(void)round_trip_request(&r);
	/* Optional fields absent, and an rhost and tty present but empty:
	 * absent and empty stay apart. */
	r.has_court = false;
	r.court[0] = '\0';
	r.has_client_code = false;
	r.client_code[0] = '\0';
	r.flags = 0;
	r.rhost[0] = '\0';
	r.tty[0] = '\0';
	(void)round_trip_request(&r);
	r.has_rhost = false;
	r.has_tty = false;
	(void)round_trip_request(&r);
}

static void test_account_round_trip(void **state)
{
	static struct proto_request r;

	(void)state;
	fill_auth(&r);
	r.type = PROTO_T_ACCOUNT;
	r.flags = PROTO_F_EFILE | PROTO_F_DEBUG;
	r.password[0] = '\0';
	r.has_client_code = false;
	r.client_code[0] = '\0';
	(void)round_trip_request(&r);
}

static void test_chpass_round_trip(void **state)
{
	static struct proto_request r;

	(void)state;
	fill_auth(&r);
	r.type = PROTO_T_CHPASS;
	r.flags = PROTO_F_DEBUG;
	r.password[0] = '\0';
	r.has_client_code = false;
	r.client_code[0] = '\0';
	strcpy(r.old_password, "old one");
	strcpy(r.new_password, "new one, longer");
	(void)round_trip_request(&r);
}

/* Every string at its limit encodes and decodes; one byte more is refused
 * by the encoder. */
static void test_request_limits(void **state)
{
	static struct proto_request r;
	static uint8_t buf[PROTO_FRAME_MAX];
	size_t len;

	(void)state;
	fill_auth(&r);
	memset(r.service, 's', PROTO_SERVICE_MAX);
	memset(r.rhost, 'h', PROTO_RHOST_MAX);
	memset(r.tty, 't', PROTO_TTY_MAX);
	memset(r.court, 'c', PROTO_COURT_MAX);
	memset(r.config, '/', PROTO_CONFIG_MAX);
	memset(r.user, 'u', PROTO_USER_MAX);
	memset(r.password, 'p', PROTO_PASSWORD_MAX);
	memset(r.client_code, 'k', PROTO_CLIENT_CODE_MAX);
	len = round_trip_request(&r);
	assert_int_equal(len, PROTO_HEADER_LEN + 9 * PROTO_FIELD_HEADER_LEN +
			 PROTO_SERVICE_MAX + PROTO_RHOST_MAX + PROTO_TTY_MAX +
			 PROTO_COURT_MAX + PROTO_CONFIG_MAX + PROTO_USER_MAX +
			 PROTO_FLAGS_LEN + PROTO_PASSWORD_MAX +
			 PROTO_CLIENT_CODE_MAX);
	/* Too long, unterminated in its array: never read past the limit. */
	memset(r.user, 'u', sizeof(r.user));
	assert_int_equal(proto_request_encode(&r, buf, sizeof(buf), &len),
			 PROTO_E_FIELD_LEN);
	assert_int_equal(len, 0);
	fill_auth(&r);
	r.password[0] = '\0';
	assert_int_equal(proto_request_encode(&r, buf, sizeof(buf), &len),
			 PROTO_E_FIELD_LEN);
	fill_auth(&r);
	r.flags = PROTO_F_EFILE;	/* a client code without its flag */
	assert_int_equal(proto_request_encode(&r, buf, sizeof(buf), &len),
			 PROTO_E_VALUE);
	fill_auth(&r);
	r.type = PROTO_T_ANSWER;
	assert_int_equal(proto_request_encode(&r, buf, sizeof(buf), &len),
			 PROTO_E_TYPE);
	fill_auth(&r);
	assert_int_equal(proto_request_encode(&r, buf, 40, &len),
			 PROTO_E_SPACE);
	assert_int_equal(proto_request_encode(&r, buf, 4, &len),
			 PROTO_E_SPACE);
	explicit_bzero(buf, sizeof(buf));
}

static void test_request_wipe(void **state)
{
	static struct proto_request r;
	size_t i;

	(void)state;
	fill_auth(&r);
	strcpy(r.old_password, "old");
	strcpy(r.new_password, "new");
	proto_request_wipe(&r);
	for (i = 0; i < sizeof(r.password); i++) {
		assert_int_equal(r.password[i], 0);
		assert_int_equal(r.old_password[i], 0);
		assert_int_equal(r.new_password[i], 0);
	}
	assert_string_equal(r.user, "");
	proto_request_wipe(NULL);
}

/* ---- answers ---------------------------------------------------------- */

static void fill_answer(struct proto_answer *a, bool full)
{
	static const char *const values[] = {
		"jattorney", "J. Attorney", "individual", "mnd", "district",
		"jattorney1", "efile", "case 42", "1",
	};
	char text[PROTO_MESSAGE_MAX + 1];
	int i;

	memset(a, 0, sizeof(*a));
	a->result = PROTO_R_SUCCESS;
	for (i = 1; i <= PROTO_X_LAST; i++) {
		char value[PROTO_EXPORT_VALUE_MAX + 1];

		if (full) {
			memset(value, 'v', PROTO_EXPORT_VALUE_MAX);
			value[PROTO_EXPORT_VALUE_MAX] = '\0';
		} else {
			strcpy(value, values[i - 1]);
		}
		assert_int_equal(proto_answer_add_export(
				 a, (enum proto_export_name)i, value),
				 PROTO_OK);
	}
	for (i = 0; i < PROTO_MESSAGES_MAX; i++) {
		(void)snprintf(text, sizeof(text), "message %d", i);
		if (full) {
			memset(text, 'm', PROTO_MESSAGE_MAX);
			text[PROTO_MESSAGE_MAX] = '\0';
		}
		assert_int_equal(proto_answer_add_message(a, i % 2 ?
				 PROTO_STYLE_ERROR : PROTO_STYLE_INFO, text),
				 PROTO_OK);
	}
	a->has_reason = true;
	memset(a->reason, 'r', full ? PROTO_REASON_MAX : 10);
}

static size_t round_trip_answer(const struct proto_answer *in)
{
	static uint8_t buf[PROTO_FRAME_MAX];
	static struct proto_answer out;
	size_t len = 0, i;

	assert_int_equal(proto_answer_encode(in, buf, sizeof(buf), &len),
			 PROTO_OK);
	assert_int_equal(proto_answer_decode(buf, len, &out), PROTO_OK);
	assert_int_equal(out.result, in->result);
	assert_int_equal(out.n_messages, in->n_messages);
	for (i = 0; i < in->n_messages; i++) {
		assert_int_equal(out.messages[i].style, in->messages[i].style);
		assert_string_equal(out.messages[i].text, in->messages[i].text);
	}
	assert_int_equal(out.n_exports, in->n_exports);
	for (i = 0; i < in->n_exports; i++) {
		assert_int_equal(out.exports[i].name, in->exports[i].name);
		assert_string_equal(out.exports[i].value, in->exports[i].value);
	}
	assert_int_equal(out.has_reason, in->has_reason);
	assert_string_equal(out.reason, in->reason);
	return len;
}

static void test_answer_round_trip(void **state)
{
	static struct proto_answer a;
	int r;

	(void)state;
	fill_answer(&a, false);
	(void)round_trip_answer(&a);
	/* Every list at its limit, every string at its limit. */
	fill_answer(&a, true);
	assert_int_equal(round_trip_answer(&a), PROTO_HEADER_LEN +
			 PROTO_FIELD_HEADER_LEN + PROTO_RESULT_LEN +
			 PROTO_MESSAGES_MAX * (PROTO_FIELD_HEADER_LEN + 1 +
					       PROTO_MESSAGE_MAX) +
			 PROTO_EXPORTS_MAX * (PROTO_FIELD_HEADER_LEN + 1 +
					      PROTO_EXPORT_VALUE_MAX) +
			 PROTO_FIELD_HEADER_LEN + PROTO_REASON_MAX);
	/* The least answer: a result, nothing else. */
	for (r = 0; r <= PROTO_R_LAST; r++) {
		memset(&a, 0, sizeof(a));
		a.result = (enum proto_result)r;
		assert_int_equal(round_trip_answer(&a),
				 PROTO_HEADER_LEN + PROTO_FIELD_HEADER_LEN +
				 PROTO_RESULT_LEN);
	}
}

static void test_answer_builders(void **state)
{
	static struct proto_answer a;
	static uint8_t buf[PROTO_FRAME_MAX];
	char big[PROTO_MESSAGE_MAX + 2];
	size_t len;

	(void)state;
	fill_answer(&a, false);
	assert_int_equal(proto_answer_add_message(&a, PROTO_STYLE_INFO, "x"),
			 PROTO_E_COUNT);
	assert_int_equal(proto_answer_add_export(&a, PROTO_X_CMECF_LOGIN, "x"),
			 PROTO_E_DUPLICATE);
	memset(&a, 0, sizeof(a));
	assert_int_equal(proto_answer_add_message(&a, PROTO_STYLE_INFO, ""),
			 PROTO_E_FIELD_LEN);
	memset(big, 'b', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(proto_answer_add_message(&a, PROTO_STYLE_INFO, big),
			 PROTO_E_FIELD_LEN);
	assert_int_equal(proto_answer_add_message(&a, (enum proto_style)3,
						  "x"), PROTO_E_VALUE);
	assert_int_equal(proto_answer_add_export(&a, (enum proto_export_name)0,
						 "x"), PROTO_E_VALUE);
	assert_int_equal(proto_answer_add_export(&a,
			 (enum proto_export_name)(PROTO_X_LAST + 1), "x"),
			 PROTO_E_VALUE);
	assert_int_equal(a.n_messages, 0);
	assert_int_equal(a.n_exports, 0);
	/* The encoder refuses what the builders would have. */
	a.result = (enum proto_result)(PROTO_R_LAST + 1);
	assert_int_equal(proto_answer_encode(&a, buf, sizeof(buf), &len),
			 PROTO_E_VALUE);
	a.result = PROTO_R_SUCCESS;
	a.n_exports = 2;
	a.exports[0].name = PROTO_X_PACER_USER;
	a.exports[1].name = PROTO_X_PACER_USER;
	assert_int_equal(proto_answer_encode(&a, buf, sizeof(buf), &len),
			 PROTO_E_DUPLICATE);
	a.n_exports = 0;
	a.has_reason = true;
	memset(a.reason, 'r', sizeof(a.reason));
	assert_int_equal(proto_answer_encode(&a, buf, sizeof(buf), &len),
			 PROTO_E_FIELD_LEN);
}

static void test_export_names(void **state)
{
	int i;

	(void)state;
	assert_string_equal(proto_export_name_str(PROTO_X_PACER_USER),
			    "PACER_USER");
	assert_string_equal(proto_export_name_str(PROTO_X_PACER_OFFLINE),
			    "PACER_OFFLINE");
	assert_null(proto_export_name_str((enum proto_export_name)0));
	assert_null(proto_export_name_str(
		(enum proto_export_name)(PROTO_X_LAST + 1)));
	for (i = 1; i <= PROTO_X_LAST; i++)
		assert_int_equal(proto_export_name_from_str(
			proto_export_name_str((enum proto_export_name)i)), i);
	assert_int_equal(proto_export_name_from_str("LD_PRELOAD"), 0);
	assert_int_equal(proto_export_name_from_str("PACER_USER="), 0);
}

static void test_result_to_pam(void **state)
{
	static const int want[PROTO_R_LAST + 1] = {
		PAM_SUCCESS, PAM_AUTH_ERR, PAM_USER_UNKNOWN,
		PAM_AUTHINFO_UNAVAIL, PAM_SERVICE_ERR, PAM_PERM_DENIED,
		PAM_NEW_AUTHTOK_REQD, PAM_ACCT_EXPIRED, PAM_AUTHTOK_ERR,
		PAM_AUTHTOK_EXPIRED, PAM_MAXTRIES, PAM_TRY_AGAIN, PAM_BUF_ERR,
	};
	int r;

	(void)state;
	for (r = 0; r <= PROTO_R_LAST; r++)
		assert_int_equal(proto_result_to_pam((enum proto_result)r),
				 want[r]);
	assert_int_equal(proto_result_to_pam(
		(enum proto_result)(PROTO_R_LAST + 1)), PAM_SERVICE_ERR);
}

/* ---- malformed frames ------------------------------------------------- */

static void test_valid_hand_built(void **state)
{
	static struct fb f;
	static struct proto_request r;

	(void)state;
	/* The builder's frame is good, so each case below fails for the one
	 * defect it adds. */
	(void)fb_auth(&f, 0);
	assert_int_equal(proto_request_decode(f.b, f.n, &r), PROTO_OK);
	assert_string_equal(r.user, "jattorney");
	assert_string_equal(r.password, "correct horse");
	assert_int_equal(r.flags, PROTO_F_EFILE);
	assert_false(r.has_rhost);
	proto_request_wipe(&r);
}

static void test_truncated(void **state)
{
	static struct fb f;
	size_t n, cut;

	(void)state;
	n = fb_auth(&f, 0);
	/* Every prefix: inside the header, inside a field header, inside a
	 * value. */
	for (cut = 0; cut < n; cut++)
		assert_int_equal(proto_request_decode(f.b, cut,
			(struct proto_request[1]){ 0 }), PROTO_E_TRUNCATED);
	/* A frame that says it ends inside a field header. */
	fb_start(&f, PROTO_MAGIC, PROTO_VERSION, PROTO_T_AUTHENTICATE);
	fb_context(&f, 0, 0);
	fb_str(&f, PROTO_TAG_PASSWORD, "pw");
	fb_be16(&f, PROTO_TAG_CLIENT_CODE);
	(void)fb_end(&f);
	assert_int_equal(decode_req(&f), PROTO_E_TRUNCATED);
	/* The same on the answer side. */
	fb_answer(&f);
	fb_raw(&f, "\0", 1);
	(void)fb_end(&f);
	assert_int_equal(decode_ans(&f), PROTO_E_TRUNCATED);
}

static void test_field_length_over_limit(void **state)
{
	static struct fb f;
	char big[PROTO_CONFIG_MAX + 1];

	(void)state;
	memset(big, 'a', sizeof(big));
	/* One byte over each limit, all bytes present. */
	fb_start(&f, PROTO_MAGIC, PROTO_VERSION, PROTO_T_ACCOUNT);
	fb_field(&f, PROTO_TAG_SERVICE, big, PROTO_SERVICE_MAX + 1);
	fb_context(&f, PROTO_TAG_SERVICE, 0);
	(void)fb_end(&f);
	assert_int_equal(decode_req(&f), PROTO_E_FIELD_LEN);

	fb_start(&f, PROTO_MAGIC, PROTO_VERSION, PROTO_T_ACCOUNT);
	fb_str(&f, PROTO_TAG_SERVICE, "sshd");
	fb_field(&f, PROTO_TAG_CONFIG, big, PROTO_CONFIG_MAX + 1);
	fb_field(&f, PROTO_TAG_USER, big, PROTO_USER_MAX + 1);
	fb_u32(&f, PROTO_TAG_FLAGS, 0);
	(void)fb_end(&f);
	assert_int_equal(decode_req(&f), PROTO_E_FIELD_LEN);

	fb_start(&f, PROTO_MAGIC, PROTO_VERSION, PROTO_T_AUTHENTICATE);
	fb_context(&f, 0, 0);
	fb_field(&f, PROTO_TAG_PASSWORD, big, PROTO_PASSWORD_MAX + 1);
	(void)fb_end(&f);
	assert_int_equal(decode_req(&f), PROTO_E_FIELD_LEN);

	/* Under a limit: an empty password, a 3-byte flags field. */
	fb_start(&f, PROTO_MAGIC, PROTO_VERSION, PROTO_T_AUTHENTICATE);
	fb_context(&f, 0, 0);
	fb_field(&f, PROTO_TAG_PASSWORD, "", 0);
	(void)fb_end(&f);
	assert_int_equal(decode_req(&f), PROTO_E_FIELD_LEN);
	fb_start(&f, PROTO_MAGIC, PROTO_VERSION, PROTO_T_ACCOUNT);
	fb_context(&f, PROTO_TAG_FLAGS, 0);
	fb_field(&f, PROTO_TAG_FLAGS, "\0\0\0", 3);
	(void)fb_end(&f);
	assert_int_equal(decode_req(&f), PROTO_E_FIELD_LEN);

	fb_answer(&f);
	fb_field(&f, PROTO_TAG_REASON, big, PROTO_REASON_MAX + 1);
	(void)fb_end(&f);
	assert_int_equal(decode_ans(&f), PROTO_E_FIELD_LEN);
	fb_answer(&f);
	big[0] = PROTO_STYLE_INFO;
	fb_field(&f, PROTO_TAG_MESSAGE, big, 2 + PROTO_MESSAGE_MAX);
	(void)fb_end(&f);
	assert_int_equal(decode_ans(&f), PROTO_E_FIELD_LEN);
}

static void test_field_length_over_left(void **state)
{
	static struct fb f;

	(void)state;
	/* Within its limit (64), past the frame's end: the last field claims
	 * 40 bytes and 9 follow. */
	fb_start(&f, PROTO_MAGIC, PROTO_VERSION, PROTO_T_ACCOUNT);
	fb_str(&f, PROTO_TAG_SERVICE, "sshd");
	fb_str(&f, PROTO_TAG_CONFIG, "/c");
	fb_field_claim(&f, PROTO_TAG_USER, 40, "jattorney", 9);
	(void)fb_end(&f);
	assert_int_equal(decode_req(&f), PROTO_E_OVERRUN);
	fb_start(&f, PROTO_MAGIC, PROTO_VERSION, PROTO_T_ANSWER);
	fb_field_claim(&f, PROTO_TAG_RESULT, 4, "\0\0", 2);
	(void)fb_end(&f);
	assert_int_equal(decode_ans(&f), PROTO_E_OVERRUN);
}

static void test_duplicate_and_order(void **state)
{
	static struct fb f;

	(void)state;
	fb_start(&f, PROTO_MAGIC, PROTO_VERSION, PROTO_T_ACCOUNT);
	fb_str(&f, PROTO_TAG_SERVICE, "sshd");
	fb_str(&f, PROTO_TAG_CONFIG, "/c");
	fb_str(&f, PROTO_TAG_USER, "jattorney");
	fb_str(&f, PROTO_TAG_USER, "root");
	fb_u32(&f, PROTO_TAG_FLAGS, 0);
	(void)fb_end(&f);
	assert_int_equal(decode_req(&f), PROTO_E_DUPLICATE);

	fb_start(&f, PROTO_MAGIC, PROTO_VERSION, PROTO_T_ACCOUNT);
	fb_str(&f, PROTO_TAG_SERVICE, "sshd");
	fb_str(&f, PROTO_TAG_USER, "jattorney");
	fb_str(&f, PROTO_TAG_CONFIG, "/c");
	fb_u32(&f, PROTO_TAG_FLAGS, 0);
	(void)fb_end(&f);
	assert_int_equal(decode_req(&f), PROTO_E_ORDER);

	/* Answers: the result twice; an export name twice; a message after
	 * an export; more messages than the limit. */
	fb_answer(&f);
	fb_u32(&f, PROTO_TAG_RESULT, 1);
	(void)fb_end(&f);
	assert_int_equal(decode_ans(&f), PROTO_E_DUPLICATE);
	fb_answer(&f);
	fb_field(&f, PROTO_TAG_EXPORT, "\x01" "a", 2);
	fb_field(&f, PROTO_TAG_EXPORT, "\x01" "b", 2);
	(void)fb_end(&f);
	assert_int_equal(decode_ans(&f), PROTO_E_DUPLICATE);
	fb_answer(&f);
	fb_field(&f, PROTO_TAG_EXPORT, "\x01" "a", 2);
	fb_field(&f, PROTO_TAG_MESSAGE, "\x01" "m", 2);
	(void)fb_end(&f);
	assert_int_equal(decode_ans(&f), PROTO_E_ORDER);
}

static void test_too_many_messages(void **state)
{
	static struct fb f;
	int i;

	(void)state;
	fb_answer(&f);
	for (i = 0; i < PROTO_MESSAGES_MAX; i++)
		fb_field(&f, PROTO_TAG_MESSAGE, "\x02" "m", 2);
	(void)fb_end(&f);
	assert_int_equal(decode_ans(&f), PROTO_OK);
	fb_field(&f, PROTO_TAG_MESSAGE, "\x02" "m", 2);
	(void)fb_end(&f);
	assert_int_equal(decode_ans(&f), PROTO_E_COUNT);
}

static void test_unknown_tag(void **state)
{
	static struct fb f;

	(void)state;
	/* A tag no message has, and tags of other message types. */
	fb_start(&f, PROTO_MAGIC, PROTO_VERSION, PROTO_T_ACCOUNT);
	fb_context(&f, 0, 0);
	fb_str(&f, 0x7f, "x");
	(void)fb_end(&f);
	assert_int_equal(decode_req(&f), PROTO_E_UNKNOWN_TAG);
	fb_start(&f, PROTO_MAGIC, PROTO_VERSION, PROTO_T_ACCOUNT);
	fb_context(&f, 0, 0);
	fb_str(&f, PROTO_TAG_PASSWORD, "pw");
	(void)fb_end(&f);
	assert_int_equal(decode_req(&f), PROTO_E_UNKNOWN_TAG);
	fb_start(&f, PROTO_MAGIC, PROTO_VERSION, PROTO_T_AUTHENTICATE);
	fb_context(&f, 0, 0);
	fb_str(&f, PROTO_TAG_PASSWORD, "pw");
	fb_str(&f, PROTO_TAG_NEW_PASSWORD, "new");
	(void)fb_end(&f);
	assert_int_equal(decode_req(&f), PROTO_E_UNKNOWN_TAG);
	fb_answer(&f);
	fb_str(&f, PROTO_TAG_USER, "jattorney");
	(void)fb_end(&f);
	assert_int_equal(decode_ans(&f), PROTO_E_UNKNOWN_TAG);
}

static void test_missing_required(void **state)
{
	static const uint16_t required[] = {
		PROTO_TAG_SERVICE, PROTO_TAG_CONFIG, PROTO_TAG_USER,
		PROTO_TAG_FLAGS, PROTO_TAG_PASSWORD,
	};
	static struct fb f;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(required) / sizeof(required[0]); i++) {
		(void)fb_auth(&f, required[i]);
		assert_int_equal(decode_req(&f), PROTO_E_MISSING);
	}
	fb_start(&f, PROTO_MAGIC, PROTO_VERSION, PROTO_T_CHPASS);
	fb_context(&f, 0, 0);
	fb_str(&f, PROTO_TAG_OLD_PASSWORD, "old");
	(void)fb_end(&f);
	assert_int_equal(decode_req(&f), PROTO_E_MISSING);
	fb_start(&f, PROTO_MAGIC, PROTO_VERSION, PROTO_T_ANSWER);
	(void)fb_end(&f);
	assert_int_equal(decode_ans(&f), PROTO_E_MISSING);
}

static void test_nul_inside_string(void **state)
{
	static struct fb f;
	static struct proto_request r;
	static struct proto_answer a;

	(void)state;
	fb_start(&f, PROTO_MAGIC, PROTO_VERSION, PROTO_T_ACCOUNT);
	fb_str(&f, PROTO_TAG_SERVICE, "sshd");
	fb_str(&f, PROTO_TAG_CONFIG, "/c");
	fb_field(&f, PROTO_TAG_USER, "root\0jattorney", 14);
	fb_u32(&f, PROTO_TAG_FLAGS, 0);
	(void)fb_end(&f);
	assert_int_equal(decode_req(&f), PROTO_E_NUL);
	fb_start(&f, PROTO_MAGIC, PROTO_VERSION, PROTO_T_AUTHENTICATE);
	fb_context(&f, 0, 0);
	fb_field(&f, PROTO_TAG_PASSWORD, "pw\0", 3);
	(void)fb_end(&f);
	assert_int_equal(decode_req(&f), PROTO_E_NUL);
	/* A request refused after its password was copied: wiped. */
	fb_start(&f, PROTO_MAGIC, PROTO_VERSION, PROTO_T_AUTHENTICATE);
	fb_context(&f, 0, 0);
	fb_str(&f, PROTO_TAG_PASSWORD, "secret");
	fb_field(&f, PROTO_TAG_CLIENT_CODE, "c\0", 2);
	(void)fb_end(&f);
	assert_int_equal(proto_request_decode(f.b, f.n, &r), PROTO_E_NUL);
	assert_int_equal(r.password[0], 0);
	assert_int_equal(r.user[0], 0);
	fb_answer(&f);
	fb_field(&f, PROTO_TAG_EXPORT, "\x01" "a\0b", 4);
	(void)fb_end(&f);
	assert_int_equal(decode_ans(&f), PROTO_E_NUL);
	fb_answer(&f);
	fb_field(&f, PROTO_TAG_EXPORT, "\x01" "jattorney", 10);
	fb_field(&f, PROTO_TAG_EXPORT, "\x02" "\0", 2);
	(void)fb_end(&f);
	assert_int_equal(proto_answer_decode(f.b, f.n, &a), PROTO_E_NUL);
	assert_int_equal(a.n_exports, 0);
	assert_int_equal(a.exports[0].value[0], 0);
	fb_answer(&f);
	fb_field(&f, PROTO_TAG_MESSAGE, "\x01\0", 2);
	(void)fb_end(&f);
	assert_int_equal(decode_ans(&f), PROTO_E_NUL);
}

static void test_trailing_bytes(void **state)
{
	static struct fb f;

	(void)state;
	(void)fb_auth(&f, 0);
	fb_raw(&f, "x", 1);	/* after the length the header gave */
	assert_int_equal(decode_req(&f), PROTO_E_TRAILING);
	/* A whole second frame after the first is trailing too. */
	(void)fb_auth(&f, 0);
	fb_raw(&f, f.b, f.n);
	assert_int_equal(decode_req(&f), PROTO_E_TRAILING);
}

static void test_header_defects(void **state)
{
	static struct fb f;
	struct proto_header h;

	(void)state;
	(void)fb_auth(&f, 0);
	f.b[0] = 'X';
	assert_int_equal(decode_req(&f), PROTO_E_MAGIC);
	/* Unknown version: its own error, the peer's version reported. */
	(void)fb_auth(&f, 0);
	f.b[5] = 2;
	assert_int_equal(decode_req(&f), PROTO_E_VERSION);
	assert_int_equal(proto_header_decode(f.b, f.n, &h), PROTO_E_VERSION);
	assert_int_equal(h.version, 2);
	f.b[5] = 0;
	assert_int_equal(decode_req(&f), PROTO_E_VERSION);
	/* A frame length under the header, over the maximum. */
	fb_start(&f, PROTO_MAGIC, PROTO_VERSION, PROTO_T_ACCOUNT);
	f.b[11] = PROTO_HEADER_LEN - 1;
	assert_int_equal(decode_req(&f), PROTO_E_FRAME_LEN);
	f.b[11] = 0;
	f.b[9] = (PROTO_FRAME_MAX + 1) >> 16;
	f.b[10] = (uint8_t)((PROTO_FRAME_MAX + 1) >> 8);
	f.b[11] = (uint8_t)(PROTO_FRAME_MAX + 1);
	assert_int_equal(decode_req(&f), PROTO_E_FRAME_LEN);
	/* Types: unknown, and the other side's. */
	(void)fb_auth(&f, 0);
	f.b[7] = 9;
	assert_int_equal(decode_req(&f), PROTO_E_TYPE);
	f.b[7] = PROTO_T_ANSWER;
	assert_int_equal(decode_req(&f), PROTO_E_TYPE);
	(void)fb_auth(&f, 0);
	assert_int_equal(decode_ans(&f), PROTO_E_TYPE);
}

static void test_values_not_allowed(void **state)
{
	static struct fb f;

	(void)state;
	/* A flag the type does not have; an unknown bit. */
	fb_start(&f, PROTO_MAGIC, PROTO_VERSION, PROTO_T_CHPASS);
	fb_context(&f, 0, PROTO_F_EFILE);
	fb_str(&f, PROTO_TAG_OLD_PASSWORD, "old");
	fb_str(&f, PROTO_TAG_NEW_PASSWORD, "new");
	(void)fb_end(&f);
	assert_int_equal(decode_req(&f), PROTO_E_VALUE);
	fb_start(&f, PROTO_MAGIC, PROTO_VERSION, PROTO_T_ACCOUNT);
	fb_context(&f, 0, 0x80000000u);
	(void)fb_end(&f);
	assert_int_equal(decode_req(&f), PROTO_E_VALUE);
	/* A client code the flags did not ask for. */
	fb_start(&f, PROTO_MAGIC, PROTO_VERSION, PROTO_T_AUTHENTICATE);
	fb_context(&f, 0, 0);
	fb_str(&f, PROTO_TAG_PASSWORD, "pw");
	fb_str(&f, PROTO_TAG_CLIENT_CODE, "code");
	(void)fb_end(&f);
	assert_int_equal(decode_req(&f), PROTO_E_VALUE);
	/* A result outside the set, a style, an export name. */
	fb_start(&f, PROTO_MAGIC, PROTO_VERSION, PROTO_T_ANSWER);
	fb_u32(&f, PROTO_TAG_RESULT, PROTO_R_LAST + 1);
	(void)fb_end(&f);
	assert_int_equal(decode_ans(&f), PROTO_E_VALUE);
	fb_answer(&f);
	fb_field(&f, PROTO_TAG_MESSAGE, "\x03" "m", 2);
	(void)fb_end(&f);
	assert_int_equal(decode_ans(&f), PROTO_E_VALUE);
	fb_answer(&f);
	fb_field(&f, PROTO_TAG_EXPORT, "\x0a" "LD_PRELOAD", 11);
	(void)fb_end(&f);
	assert_int_equal(decode_ans(&f), PROTO_E_VALUE);
}

/* ---- the frame reader and writer ---------------------------------------- */

static long ms_since(const struct timespec *t0)
{
	struct timespec now;

	(void)clock_gettime(CLOCK_MONOTONIC, &now);
	return (long)(now.tv_sec - t0->tv_sec) * 1000L +
	       (now.tv_nsec - t0->tv_nsec) / 1000000L;
}

struct slow_peer {
	int fd;
	const uint8_t *data;
	size_t len;
	long gap_ms;	/* between bytes */
};

static void *slow_peer_main(void *arg)
{
	struct slow_peer *p = arg;
	struct timespec gap = { p->gap_ms / 1000,
				(p->gap_ms % 1000) * 1000000L };
	size_t i;

	for (i = 0; i < p->len; i++) {
		(void)nanosleep(&gap, NULL);
		if (send(p->fd, p->data + i, 1, MSG_NOSIGNAL) != 1)
			break;
	}
	return NULL;
}

static void pair(int sv[2])
{
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv),
			 0);
}

static void test_read_silent_peer(void **state)
{
	static uint8_t buf[PROTO_FRAME_MAX];
	struct timespec t0;
	struct dir_deadline dl;
	size_t len = 1;
	long took;
	int sv[2];

	(void)state;
	pair(sv);
	(void)clock_gettime(CLOCK_MONOTONIC, &t0);
	dir_deadline_start(&dl, 300);
	assert_int_equal(proto_read_frame(sv[0], buf, sizeof(buf), &dl, &len,
					  NULL), PROTO_E_TIMEOUT);
	took = ms_since(&t0);
	assert_true(took >= 299);
	assert_true(took < 800);
	assert_int_equal(len, 0);
	(void)close(sv[0]);
	(void)close(sv[1]);
}

static void on_alarm(int sig)
{
	(void)sig;
}

/* Signals every 20 ms interrupt poll(): the wait goes on with the time
 * left, ending at the deadline, neither early nor never. */
static void test_read_deadline_under_signals(void **state)
{
	static uint8_t buf[PROTO_FRAME_MAX];
	struct itimerval it = { { 0, 20000 }, { 0, 20000 } };
	struct itimerval off = { { 0, 0 }, { 0, 0 } };
	struct sigaction sa, old;
	struct timespec t0;
	struct dir_deadline dl;
	size_t len;
	long took;
	int sv[2], rc;

	(void)state;
	pair(sv);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;	/* no SA_RESTART: poll sees EINTR */
	assert_int_equal(sigaction(SIGALRM, &sa, &old), 0);
	assert_int_equal(setitimer(ITIMER_REAL, &it, NULL), 0);
	(void)clock_gettime(CLOCK_MONOTONIC, &t0);
	dir_deadline_start(&dl, 300);
	rc = proto_read_frame(sv[0], buf, sizeof(buf), &dl, &len, NULL);
	took = ms_since(&t0);
	assert_int_equal(setitimer(ITIMER_REAL, &off, NULL), 0);
	assert_int_equal(sigaction(SIGALRM, &old, NULL), 0);
	assert_int_equal(rc, PROTO_E_TIMEOUT);
	assert_true(took >= 299);
	assert_true(took < 800);
	(void)close(sv[0]);
	(void)close(sv[1]);
}

static void test_read_huge_length(void **state)
{
	static struct fb f;
	static uint8_t buf[PROTO_FRAME_MAX];
	struct proto_header h;
	struct timespec t0;
	struct dir_deadline dl;
	size_t len = 1;
	int sv[2], left = 0;

	(void)state;
	pair(sv);
	/* A header claiming 1 GiB, then body bytes the reader must leave. */
	fb_start(&f, PROTO_MAGIC, PROTO_VERSION, PROTO_T_AUTHENTICATE);
	f.b[8] = 0x40;
	fb_raw(&f, "body-bytes", 10);
	assert_int_equal(send(sv[1], f.b, f.n, 0), (ssize_t)f.n);
	(void)clock_gettime(CLOCK_MONOTONIC, &t0);
	dir_deadline_start(&dl, 2000);
	memset(buf, 0xaa, sizeof(buf));
	assert_int_equal(proto_read_frame(sv[0], buf, sizeof(buf), &dl, &len,
					  &h), PROTO_E_FRAME_LEN);
	assert_true(ms_since(&t0) < 500);	/* refused at once */
	assert_int_equal(h.length, 1u << 30);
	assert_int_equal(len, 0);
	assert_int_equal(ioctl(sv[0], FIONREAD, &left), 0);
	assert_int_equal(left, 10);
	/* The header that was read is wiped from the buffer. */
	assert_int_equal(buf[0], 0);
	assert_int_equal(buf[8], 0);
	/* A length within the maximum but over the caller's buffer. */
	assert_int_equal(recv(sv[0], buf, sizeof(buf), 0), 10);
	(void)fb_auth(&f, 0);
	assert_int_equal(send(sv[1], f.b, f.n, 0), (ssize_t)f.n);
	assert_int_equal(proto_read_frame(sv[0], buf, f.n - 1, &dl, &len,
					  NULL), PROTO_E_FRAME_LEN);
	(void)close(sv[0]);
	(void)close(sv[1]);
}

/* Runs a peer that sends DATA one byte every GAP_MS, and reads a frame
 * within DEADLINE_MS; returns the reader's result, the time in *took. */
static int read_slow(const uint8_t *data, size_t n, long gap_ms,
		     long deadline_ms, long *took, struct proto_request *out)
{
	static uint8_t buf[PROTO_FRAME_MAX];
	struct slow_peer p;
	struct timespec t0;
	struct dir_deadline dl;
	pthread_t th;
	size_t len = 0;
	int sv[2], rc;

	pair(sv);
	p.fd = sv[1];
	p.data = data;
	p.len = n;
	p.gap_ms = gap_ms;
	assert_int_equal(pthread_create(&th, NULL, slow_peer_main, &p), 0);
	(void)clock_gettime(CLOCK_MONOTONIC, &t0);
	dir_deadline_start(&dl, deadline_ms);
	rc = proto_read_frame(sv[0], buf, sizeof(buf), &dl, &len, NULL);
	*took = ms_since(&t0);
	(void)shutdown(sv[0], SHUT_RDWR);
	assert_int_equal(pthread_join(th, NULL), 0);
	if (rc == PROTO_OK) {
		assert_int_equal(len, n);
		assert_int_equal(proto_request_decode(buf, len, out), PROTO_OK);
	}
	(void)close(sv[0]);
	(void)close(sv[1]);
	return rc;
}

static void test_read_slow_peer(void **state)
{
	static struct fb f;
	static struct proto_request r;
	long took;

	(void)state;
	(void)fb_auth(&f, 0);
	assert_true(f.n > 60);
	/* About 2 ms a byte: the whole frame well within 3 s. */
	assert_int_equal(read_slow(f.b, f.n, 2, 3000, &took, &r), PROTO_OK);
	assert_string_equal(r.password, "correct horse");
	assert_true(took < 3000);
	proto_request_wipe(&r);
	/* 20 ms a byte against 300 ms: cut off at the deadline, however
	 * often bytes arrive. */
	assert_int_equal(read_slow(f.b, f.n, 20, 300, &took, &r),
			 PROTO_E_TIMEOUT);
	assert_true(took >= 299);
	assert_true(took < 800);
}

static void test_read_closed_and_version(void **state)
{
	static struct fb f;
	static uint8_t buf[PROTO_FRAME_MAX];
	struct proto_header h;
	struct dir_deadline dl;
	size_t len;
	int sv[2];

	(void)state;
	dir_deadline_start(&dl, 2000);
	/* Closed before a byte: the end of a conversation, not a defect. */
	pair(sv);
	(void)close(sv[1]);
	assert_int_equal(proto_read_frame(sv[0], buf, sizeof(buf), &dl, &len,
					  NULL), PROTO_E_CLOSED);
	(void)close(sv[0]);
	/* Closed inside the header, inside the body. */
	(void)fb_auth(&f, 0);
	pair(sv);
	assert_int_equal(send(sv[1], f.b, 5, 0), 5);
	(void)close(sv[1]);
	assert_int_equal(proto_read_frame(sv[0], buf, sizeof(buf), &dl, &len,
					  NULL), PROTO_E_TRUNCATED);
	(void)close(sv[0]);
	pair(sv);
	assert_int_equal(send(sv[1], f.b, f.n - 1, 0), (ssize_t)f.n - 1);
	(void)close(sv[1]);
	assert_int_equal(proto_read_frame(sv[0], buf, sizeof(buf), &dl, &len,
					  NULL), PROTO_E_TRUNCATED);
	(void)close(sv[0]);
	/* Another version: refused from the header, its number kept. */
	f.b[4] = 0x01;
	f.b[5] = 0x00;
	pair(sv);
	assert_int_equal(send(sv[1], f.b, f.n, 0), (ssize_t)f.n);
	assert_int_equal(proto_read_frame(sv[0], buf, sizeof(buf), &dl, &len,
					  &h), PROTO_E_VERSION);
	assert_int_equal(h.version, 0x100);
	(void)close(sv[0]);
	(void)close(sv[1]);
}

static void test_write_and_read_back(void **state)
{
	static uint8_t out[PROTO_FRAME_MAX], in[PROTO_FRAME_MAX];
	static struct proto_answer a, b;
	struct dir_deadline dl;
	size_t n, len;
	int sv[2];

	(void)state;
	fill_answer(&a, true);
	assert_int_equal(proto_answer_encode(&a, out, sizeof(out), &n),
			 PROTO_OK);
	pair(sv);
	dir_deadline_start(&dl, 2000);
	assert_int_equal(proto_write_frame(sv[1], out, n, &dl), PROTO_OK);
	assert_int_equal(proto_read_frame(sv[0], in, sizeof(in), &dl, &len,
					  NULL), PROTO_OK);
	assert_int_equal(len, n);
	assert_memory_equal(in, out, n);
	assert_int_equal(proto_answer_decode(in, len, &b), PROTO_OK);
	assert_int_equal(b.n_exports, PROTO_EXPORTS_MAX);
	/* A peer gone: an error, and no SIGPIPE (it would end this test). */
	(void)close(sv[0]);
	errno = 0;
	assert_int_equal(proto_write_frame(sv[1], out, n, &dl), PROTO_E_IO);
	assert_int_equal(errno, EPIPE);
	(void)close(sv[1]);
}

/* A peer that never reads: the write gives up at the deadline. */
static void test_write_deadline(void **state)
{
	static uint8_t junk[PROTO_FRAME_MAX];
	struct timespec t0;
	struct dir_deadline dl;
	int sv[2], size = 4096, rc = PROTO_OK, i;

	(void)state;
	pair(sv);
	assert_int_equal(setsockopt(sv[1], SOL_SOCKET, SO_SNDBUF, &size,
				    sizeof(size)), 0);
	(void)clock_gettime(CLOCK_MONOTONIC, &t0);
	dir_deadline_start(&dl, 300);
	for (i = 0; i < 1000 && rc == PROTO_OK; i++)
		rc = proto_write_frame(sv[1], junk, sizeof(junk), &dl);
	assert_int_equal(rc, PROTO_E_TIMEOUT);
	assert_true(ms_since(&t0) >= 299);
	assert_true(ms_since(&t0) < 800);
	(void)close(sv[0]);
	(void)close(sv[1]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_authenticate_round_trip),
		cmocka_unit_test(test_account_round_trip),
		cmocka_unit_test(test_chpass_round_trip),
		cmocka_unit_test(test_request_limits),
		cmocka_unit_test(test_request_wipe),
		cmocka_unit_test(test_answer_round_trip),
		cmocka_unit_test(test_answer_builders),
		cmocka_unit_test(test_export_names),
		cmocka_unit_test(test_result_to_pam),
		cmocka_unit_test(test_valid_hand_built),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_field_length_over_limit),
		cmocka_unit_test(test_field_length_over_left),
		cmocka_unit_test(test_duplicate_and_order),
		cmocka_unit_test(test_too_many_messages),
		cmocka_unit_test(test_unknown_tag),
		cmocka_unit_test(test_missing_required),
		cmocka_unit_test(test_nul_inside_string),
		cmocka_unit_test(test_trailing_bytes),
		cmocka_unit_test(test_header_defects),
		cmocka_unit_test(test_values_not_allowed),
		cmocka_unit_test(test_read_silent_peer),
		cmocka_unit_test(test_read_deadline_under_signals),
		cmocka_unit_test(test_read_huge_length),
		cmocka_unit_test(test_read_slow_peer),
		cmocka_unit_test(test_read_closed_and_version),
		cmocka_unit_test(test_write_and_read_back),
		cmocka_unit_test(test_write_deadline),
	};

	signal(SIGPIPE, SIG_DFL);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
