/*
 * proto.c - the module-daemon protocol (proto.h, docs/protocol.md).
 *
 * Each message type has its own table of fields (tag, limits, how often,
 * required or not, where a request's copy goes); one walker applies a
 * table to a frame's body, and one encoder per side writes from the same
 * table, so what is written is exactly what is read. Every length on the
 * wire is checked against its field's limit and then against the bytes
 * left before a byte of the value is touched; nothing is allocated.
 */
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <security/_pam_types.h>

#include "proto.h"

/* The longest frame each side can encode: every field at its limit. */
#define FH PROTO_FIELD_HEADER_LEN
#define PROTO_CONTEXT_WIRE_MAX \
	(FH + PROTO_SERVICE_MAX + FH + PROTO_RHOST_MAX + FH + PROTO_TTY_MAX + \
	 FH + PROTO_COURT_MAX + FH + PROTO_CONFIG_MAX + FH + PROTO_USER_MAX + \
	 FH + PROTO_FLAGS_LEN)
#define PROTO_REQUEST_WIRE_MAX \
	(PROTO_HEADER_LEN + PROTO_CONTEXT_WIRE_MAX + \
	 2 * (FH + PROTO_PASSWORD_MAX) + FH + PROTO_CLIENT_CODE_MAX)
#define PROTO_ANSWER_WIRE_MAX \
	(PROTO_HEADER_LEN + FH + PROTO_RESULT_LEN + \
	 PROTO_MESSAGES_MAX * (FH + 1 + PROTO_MESSAGE_MAX) + \
	 PROTO_EXPORTS_MAX * (FH + 1 + PROTO_EXPORT_VALUE_MAX) + \
	 FH + PROTO_REASON_MAX)
_Static_assert(PROTO_REQUEST_WIRE_MAX <= PROTO_FRAME_MAX,
	       "a full request must fit in a frame");
_Static_assert(PROTO_ANSWER_WIRE_MAX <= PROTO_FRAME_MAX,
	       "a full answer must fit in a frame");
_Static_assert(PROTO_EXPORTS_MAX == PROTO_X_LAST,
	       "one export slot per allowed name");

/* ---- bytes ----------------------------------------------------------- */

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)((p[0] << 8) | p[1]);
}

static uint32_t get32(const uint8_t *p)
{
	return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) |
	       ((uint32_t)p[2] << 8) | (uint32_t)p[3];
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* ---- field tables ----------------------------------------------------- */

#define NO_SLOT ((size_t)-1)

struct field_spec {
	uint16_t tag;
	uint16_t min;		/* value bytes, at least */
	uint16_t max;		/* value bytes, at most */
	uint8_t repeat;		/* occurrences allowed: 1, or a list's limit */
	bool required;
	size_t off;		/* a request string's array, or NO_SLOT */
	size_t has_off;		/* its has_X flag, or NO_SLOT */
};

#define REQ_STR(tag, min, max, req, field) \
	{ tag, min, max, 1, req, offsetof(struct proto_request, field), \
	  NO_SLOT }
#define REQ_OPT(tag, min, max, field) \
	{ tag, min, max, 1, false, offsetof(struct proto_request, field), \
	  offsetof(struct proto_request, has_##field) }

/* Fields every request has, in tag order. */
#define REQ_CONTEXT \
	REQ_STR(PROTO_TAG_SERVICE, 1, PROTO_SERVICE_MAX, true, service), \
	REQ_OPT(PROTO_TAG_RHOST, 0, PROTO_RHOST_MAX, rhost), \
	REQ_OPT(PROTO_TAG_TTY, 0, PROTO_TTY_MAX, tty), \
	REQ_OPT(PROTO_TAG_COURT, 1, PROTO_COURT_MAX, court), \
	REQ_STR(PROTO_TAG_CONFIG, 1, PROTO_CONFIG_MAX, true, config), \
	REQ_STR(PROTO_TAG_USER, 1, PROTO_USER_MAX, true, user), \
	{ PROTO_TAG_FLAGS, PROTO_FLAGS_LEN, PROTO_FLAGS_LEN, 1, true, \
	  NO_SLOT, NO_SLOT }

static const struct field_spec authenticate_fields[] = {
	REQ_CONTEXT,
	REQ_STR(PROTO_TAG_PASSWORD, 1, PROTO_PASSWORD_MAX, true, password),
	REQ_OPT(PROTO_TAG_CLIENT_CODE, 1, PROTO_CLIENT_CODE_MAX, client_code),
};

static const struct field_spec account_fields[] = {
	REQ_CONTEXT,
};

static const struct field_spec chpass_fields[] = {
	REQ_CONTEXT,
	REQ_STR(PROTO_TAG_OLD_PASSWORD, 1, PROTO_PASSWORD_MAX, true,
		old_password),
	REQ_STR(PROTO_TAG_NEW_PASSWORD, 1, PROTO_PASSWORD_MAX, true,
		new_password),
};

static const struct field_spec answer_fields[] = {
	{ PROTO_TAG_RESULT, PROTO_RESULT_LEN, PROTO_RESULT_LEN, 1, true,
	  NO_SLOT, NO_SLOT },
	{ PROTO_TAG_MESSAGE, 2, 1 + PROTO_MESSAGE_MAX, PROTO_MESSAGES_MAX,
	  false, NO_SLOT, NO_SLOT },
	{ PROTO_TAG_EXPORT, 1, 1 + PROTO_EXPORT_VALUE_MAX, PROTO_EXPORTS_MAX,
	  false, NO_SLOT, NO_SLOT },
	{ PROTO_TAG_REASON, 0, PROTO_REASON_MAX, 1, false, NO_SLOT, NO_SLOT },
};

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))
#define SPEC_MAX 16	/* the most fields one message type has */

struct msg_spec {
	enum proto_type type;
	uint32_t flags_allowed;
	const struct field_spec *fields;
	size_t n;
};

static const struct msg_spec request_specs[] = {
	{ PROTO_T_AUTHENTICATE, PROTO_F_EFILE | PROTO_F_CLIENT_CODE |
	  PROTO_F_DEBUG, authenticate_fields, N_OF(authenticate_fields) },
	{ PROTO_T_ACCOUNT, PROTO_F_EFILE | PROTO_F_DEBUG, account_fields,
	  N_OF(account_fields) },
	{ PROTO_T_CHPASS, PROTO_F_DEBUG, chpass_fields, N_OF(chpass_fields) },
};

/* The table of a request type, or NULL when TYPE is not a request. */
static const struct msg_spec *request_spec(uint32_t type)
{
	size_t i;

	for (i = 0; i < N_OF(request_specs); i++)
		if ((uint32_t)request_specs[i].type == type)
			return &request_specs[i];
	return NULL;
}

/* ---- the header ------------------------------------------------------- */

int proto_header_decode(const uint8_t *buf, size_t len,
			struct proto_header *hdr)
{
	int rc = PROTO_E_TRUNCATED;

	memset(hdr, 0, sizeof(*hdr));
	if (len < PROTO_HEADER_LEN)
		goto done;
	hdr->magic = get32(buf);
	hdr->version = get16(buf + 4);
	hdr->type = get16(buf + 6);
	hdr->length = get32(buf + 8);
	rc = PROTO_E_MAGIC;
	if (hdr->magic != PROTO_MAGIC)
		goto done;
	/* The version before anything else it might have changed. */
	rc = PROTO_E_VERSION;
	if (hdr->version != PROTO_VERSION)
		goto done;
	rc = PROTO_E_FRAME_LEN;
	if (hdr->length < PROTO_HEADER_LEN || hdr->length > PROTO_FRAME_MAX)
		goto done;
	rc = PROTO_E_TYPE;
	if (hdr->type != PROTO_T_ANSWER && request_spec(hdr->type) == NULL)
		goto done;
	rc = PROTO_OK;
done:
	return rc;
}

/* PROTO_OK when BUF[0..LEN) is exactly one frame of a type WANT accepts
 * (the answer, or any request when WANT is 0), its header in *hdr. */
static int frame_check(const uint8_t *buf, size_t len, uint16_t want,
		       struct proto_header *hdr)
{
	int rc = proto_header_decode(buf, len, hdr);

	if (rc != PROTO_OK)
		goto done;
	rc = PROTO_E_TYPE;
	if (want != 0 ? hdr->type != want : hdr->type == PROTO_T_ANSWER)
		goto done;
	rc = PROTO_E_TRUNCATED;
	if (len < hdr->length)
		goto done;
	rc = PROTO_E_TRAILING;
	if (len > hdr->length)
		goto done;
	rc = PROTO_OK;
done:
	return rc;
}

/* ---- the walker ------------------------------------------------------- */

/* Takes one checked field's value into the message being decoded. */
typedef int (*take_fn)(void *dst, const struct field_spec *f,
		       const uint8_t *val, size_t len);

/*
 * Walks the fields of BODY[0..LEN) against SPEC[0..N), handing each to
 * TAKE. Checks, in this order, before a value byte is read: the field
 * header is whole, the tag is in the table, it is not below the one
 * before, not repeated beyond its count, its length within its limits,
 * then within the bytes left. At the end, every required field was seen.
 */
static int walk_fields(const uint8_t *body, size_t len,
		       const struct field_spec *spec, size_t n,
		       take_fn take, void *dst)
{
	unsigned int seen[SPEC_MAX] = { 0 };
	size_t at = 0, i;
	int prev = -1;
	int rc = PROTO_E_VALUE;

	if (n > SPEC_MAX)
		goto done;
	while (at < len) {
		uint16_t tag, flen;

		rc = PROTO_E_TRUNCATED;
		if (len - at < PROTO_FIELD_HEADER_LEN)
			goto done;
		tag = get16(body + at);
		flen = get16(body + at + 2);
		at += PROTO_FIELD_HEADER_LEN;
		for (i = 0; i < n && spec[i].tag != tag; i++)
			;
		rc = PROTO_E_UNKNOWN_TAG;
		if (i == n)
			goto done;
		rc = PROTO_E_ORDER;
		if ((int)tag < prev)
			goto done;
		rc = PROTO_E_DUPLICATE;
		if ((int)tag == prev && spec[i].repeat == 1)
			goto done;
		rc = PROTO_E_COUNT;
		if (seen[i] >= spec[i].repeat)
			goto done;
		rc = PROTO_E_FIELD_LEN;
		if (flen < spec[i].min || flen > spec[i].max)
			goto done;
		rc = PROTO_E_OVERRUN;
		if (flen > len - at)
			goto done;
		rc = take(dst, &spec[i], body + at, flen);
		if (rc != PROTO_OK)
			goto done;
		at += flen;
		seen[i]++;
		prev = tag;
	}
	rc = PROTO_E_MISSING;
	for (i = 0; i < n; i++)
		if (spec[i].required && seen[i] == 0)
			goto done;
	rc = PROTO_OK;
done:
	return rc;
}

/* Copies a string value into DST (room for LEN + 1); PROTO_E_NUL when it
 * holds a NUL byte. */
static int take_string(char *dst, const uint8_t *val, size_t len)
{
	if (len > 0 && memchr(val, '\0', len) != NULL)
		return PROTO_E_NUL;
	if (len > 0)
		memcpy(dst, val, len);
	dst[len] = '\0';
	return PROTO_OK;
}

/* ---- the writer ------------------------------------------------------- */

struct writer {
	uint8_t *buf;
	size_t cap;
	size_t at;
};

/* Appends one field; PROTO_E_SPACE when it does not fit. */
static int put_field(struct writer *w, uint16_t tag, uint8_t lead,
		     bool has_lead, const void *val, size_t len)
{
	size_t total = len + (has_lead ? 1 : 0);

	if (total > UINT16_MAX ||
	    w->cap - w->at < PROTO_FIELD_HEADER_LEN + total)
		return PROTO_E_SPACE;
	put16(w->buf + w->at, tag);
	put16(w->buf + w->at + 2, (uint16_t)total);
	w->at += PROTO_FIELD_HEADER_LEN;
	if (has_lead)
		w->buf[w->at++] = lead;
	if (len > 0)
		memcpy(w->buf + w->at, val, len);
	w->at += len;
	return PROTO_OK;
}

/* Starts a frame of TYPE in BUF; PROTO_E_SPACE when not even the header
 * fits. The length is written by writer_finish. */
static int writer_start(struct writer *w, uint8_t *buf, size_t cap,
			uint16_t type)
{
	w->buf = buf;
	w->cap = cap < PROTO_FRAME_MAX ? cap : PROTO_FRAME_MAX;
	w->at = 0;
	if (w->cap < PROTO_HEADER_LEN)
		return PROTO_E_SPACE;
	put32(buf, PROTO_MAGIC);
	put16(buf + 4, PROTO_VERSION);
	put16(buf + 6, type);
	w->at = PROTO_HEADER_LEN;
	return PROTO_OK;
}

/* Writes the frame's length into its header; *len gets it. */
static void writer_finish(struct writer *w, size_t *len)
{
	put32(w->buf + 8, (uint32_t)w->at);
	*len = w->at;
}

/* The length of S when it is between MIN and MAX bytes, else -1. */
static long bounded_len(const char *s, size_t min, size_t max)
{
	size_t n = strnlen(s, max + 1);

	return n < min || n > max ? -1 : (long)n;
}

/* ---- requests --------------------------------------------------------- */

/* Stores one checked request field in the proto_request DST. */
static int take_request(void *dst, const struct field_spec *f,
			const uint8_t *val, size_t len)
{
	struct proto_request *req = dst;

	if (f->tag == PROTO_TAG_FLAGS) {
		req->flags = get32(val);
		return PROTO_OK;
	}
	if (f->has_off != NO_SLOT)
		*(bool *)((char *)req + f->has_off) = true;
	return take_string((char *)req + f->off, val, len);
}

/* PROTO_OK when REQ's flags are allowed for its type, and a client code
 * comes only with the flag that asked for one. */
static int request_flags_ok(const struct proto_request *req,
			    const struct msg_spec *ms)
{
	if ((req->flags & ~ms->flags_allowed) != 0)
		return PROTO_E_VALUE;
	if (req->has_client_code && (req->flags & PROTO_F_CLIENT_CODE) == 0)
		return PROTO_E_VALUE;
	return PROTO_OK;
}

int proto_request_encode(const struct proto_request *req, uint8_t *buf,
			 size_t cap, size_t *len)
{
	const struct msg_spec *ms = request_spec((uint32_t)req->type);
	struct writer w;
	size_t i;
	int rc = PROTO_E_TYPE;

	*len = 0;
	if (ms == NULL)
		goto done;
	rc = request_flags_ok(req, ms);
	if (rc != PROTO_OK)
		goto done;
	rc = writer_start(&w, buf, cap, (uint16_t)req->type);
	for (i = 0; rc == PROTO_OK && i < ms->n; i++) {
		const struct field_spec *f = &ms->fields[i];
		const char *s = (const char *)req + f->off;
		uint8_t flags[PROTO_FLAGS_LEN];
		long n;

		if (f->tag == PROTO_TAG_FLAGS) {
			put32(flags, req->flags);
			rc = put_field(&w, f->tag, 0, false, flags,
				       sizeof(flags));
			continue;
		}
		if (f->has_off != NO_SLOT &&
		    !*(const bool *)((const char *)req + f->has_off))
			continue;
		n = bounded_len(s, f->min, f->max);
		rc = n < 0 ? PROTO_E_FIELD_LEN :
			     put_field(&w, f->tag, 0, false, s, (size_t)n);
	}
	if (rc != PROTO_OK)
		goto done;
	writer_finish(&w, len);
done:
	return rc;
}

int proto_request_decode(const uint8_t *buf, size_t len,
			 struct proto_request *req)
{
	const struct msg_spec *ms;
	struct proto_header hdr;
	int rc;

	memset(req, 0, sizeof(*req));
	rc = frame_check(buf, len, 0, &hdr);
	if (rc != PROTO_OK)
		goto done;
	ms = request_spec(hdr.type);
	req->type = ms->type;
	rc = walk_fields(buf + PROTO_HEADER_LEN, len - PROTO_HEADER_LEN,
			 ms->fields, ms->n, take_request, req);
	if (rc != PROTO_OK)
		goto done;
	rc = request_flags_ok(req, ms);
done:
	/* Nothing of a refused request is left to use, a password least. */
	if (rc != PROTO_OK)
		proto_request_wipe(req);
	return rc;
}

void proto_request_wipe(struct proto_request *req)
{
	if (req != NULL)
		explicit_bzero(req, sizeof(*req));
}

/* ---- answers ---------------------------------------------------------- */

static const char *const export_names[PROTO_X_LAST + 1] = {
	[PROTO_X_PACER_USER] = "PACER_USER",
	[PROTO_X_PACER_NAME] = "PACER_NAME",
	[PROTO_X_PACER_ACCOUNT_TYPE] = "PACER_ACCOUNT_TYPE",
	[PROTO_X_CMECF_COURT] = "CMECF_COURT",
	[PROTO_X_CMECF_COURT_TYPE] = "CMECF_COURT_TYPE",
	[PROTO_X_CMECF_LOGIN] = "CMECF_LOGIN",
	[PROTO_X_CMECF_ACCESS] = "CMECF_ACCESS",
	[PROTO_X_PACER_CLIENT_CODE] = "PACER_CLIENT_CODE",
	[PROTO_X_PACER_OFFLINE] = "PACER_OFFLINE",
};

const char *proto_export_name_str(enum proto_export_name name)
{
	if ((int)name < 1 || (int)name > PROTO_X_LAST)
		return NULL;
	return export_names[name];
}

enum proto_export_name proto_export_name_from_str(const char *name)
{
	int i;

	for (i = 1; i <= PROTO_X_LAST; i++)
		if (strcmp(export_names[i], name) == 0)
			return (enum proto_export_name)i;
	return (enum proto_export_name)0;
}

static bool style_ok(unsigned int style)
{
	return style == PROTO_STYLE_INFO || style == PROTO_STYLE_ERROR;
}

int proto_answer_add_message(struct proto_answer *ans, enum proto_style style,
			     const char *text)
{
	long n = bounded_len(text, 1, PROTO_MESSAGE_MAX);

	if (!style_ok(style))
		return PROTO_E_VALUE;
	if (n < 0)
		return PROTO_E_FIELD_LEN;
	if (ans->n_messages >= PROTO_MESSAGES_MAX)
		return PROTO_E_COUNT;
	ans->messages[ans->n_messages].style = style;
	memcpy(ans->messages[ans->n_messages].text, text, (size_t)n + 1);
	ans->n_messages++;
	return PROTO_OK;
}

int proto_answer_add_export(struct proto_answer *ans,
			    enum proto_export_name name, const char *value)
{
	long n = bounded_len(value, 0, PROTO_EXPORT_VALUE_MAX);
	size_t i;

	if (proto_export_name_str(name) == NULL)
		return PROTO_E_VALUE;
	if (n < 0)
		return PROTO_E_FIELD_LEN;
	for (i = 0; i < ans->n_exports; i++)
		if (ans->exports[i].name == name)
			return PROTO_E_DUPLICATE;
	if (ans->n_exports >= PROTO_EXPORTS_MAX)
		return PROTO_E_COUNT;
	ans->exports[ans->n_exports].name = name;
	memcpy(ans->exports[ans->n_exports].value, value, (size_t)n + 1);
	ans->n_exports++;
	return PROTO_OK;
}

/* Stores one checked answer field in the proto_answer DST: a result,
 * style or export name outside its set, or an export name seen before,
 * is refused. */
static int take_answer(void *dst, const struct field_spec *f,
		       const uint8_t *val, size_t len)
{
	struct proto_answer *ans = dst;
	struct proto_message *m;
	struct proto_export *x;
	uint32_t result;
	size_t i;

	switch (f->tag) {
	case PROTO_TAG_RESULT:
		result = get32(val);
		if (result > PROTO_R_LAST)
			return PROTO_E_VALUE;
		ans->result = (enum proto_result)result;
		return PROTO_OK;
	case PROTO_TAG_MESSAGE:
		if (!style_ok(val[0]))
			return PROTO_E_VALUE;
		m = &ans->messages[ans->n_messages];
		m->style = (enum proto_style)val[0];
		ans->n_messages++;
		return take_string(m->text, val + 1, len - 1);
	case PROTO_TAG_EXPORT:
		if (proto_export_name_str((enum proto_export_name)val[0]) ==
		    NULL)
			return PROTO_E_VALUE;
		for (i = 0; i < ans->n_exports; i++)
			if ((unsigned int)ans->exports[i].name == val[0])
				return PROTO_E_DUPLICATE;
		x = &ans->exports[ans->n_exports];
		x->name = (enum proto_export_name)val[0];
		ans->n_exports++;
		return take_string(x->value, val + 1, len - 1);
	case PROTO_TAG_REASON:
		ans->has_reason = true;
		return take_string(ans->reason, val, len);
	default:
		return PROTO_E_UNKNOWN_TAG;
	}
}

int proto_answer_encode(const struct proto_answer *ans, uint8_t *buf,
			size_t cap, size_t *len)
{
	struct proto_answer check;
	uint8_t result[PROTO_RESULT_LEN];
	struct writer w;
	size_t i;
	long n;
	int rc = PROTO_E_VALUE;

	*len = 0;
	if ((unsigned int)ans->result > PROTO_R_LAST ||
	    ans->n_messages > PROTO_MESSAGES_MAX ||
	    ans->n_exports > PROTO_EXPORTS_MAX)
		goto done;
	/* The lists through the same checks a caller's additions get. */
	memset(&check, 0, sizeof(check));
	for (i = 0; i < ans->n_messages; i++) {
		rc = proto_answer_add_message(&check, ans->messages[i].style,
					      ans->messages[i].text);
		if (rc != PROTO_OK)
			goto done;
	}
	for (i = 0; i < ans->n_exports; i++) {
		rc = proto_answer_add_export(&check, ans->exports[i].name,
					     ans->exports[i].value);
		if (rc != PROTO_OK)
			goto done;
	}
	n = ans->has_reason ? bounded_len(ans->reason, 0, PROTO_REASON_MAX) : 0;
	rc = PROTO_E_FIELD_LEN;
	if (n < 0)
		goto done;
	rc = writer_start(&w, buf, cap, PROTO_T_ANSWER);
	put32(result, (uint32_t)ans->result);
	if (rc == PROTO_OK)
		rc = put_field(&w, PROTO_TAG_RESULT, 0, false, result,
			       sizeof(result));
	for (i = 0; rc == PROTO_OK && i < ans->n_messages; i++)
		rc = put_field(&w, PROTO_TAG_MESSAGE,
			       (uint8_t)ans->messages[i].style, true,
			       ans->messages[i].text,
			       strlen(ans->messages[i].text));
	for (i = 0; rc == PROTO_OK && i < ans->n_exports; i++)
		rc = put_field(&w, PROTO_TAG_EXPORT,
			       (uint8_t)ans->exports[i].name, true,
			       ans->exports[i].value,
			       strlen(ans->exports[i].value));
	if (rc == PROTO_OK && ans->has_reason)
		rc = put_field(&w, PROTO_TAG_REASON, 0, false, ans->reason,
			       (size_t)n);
	if (rc != PROTO_OK)
		goto done;
	writer_finish(&w, len);
done:
	return rc;
}

int proto_answer_decode(const uint8_t *buf, size_t len,
			struct proto_answer *ans)
{
	struct proto_header hdr;
	int rc;

	memset(ans, 0, sizeof(*ans));
	rc = frame_check(buf, len, PROTO_T_ANSWER, &hdr);
	if (rc != PROTO_OK)
		goto done;
	rc = walk_fields(buf + PROTO_HEADER_LEN, len - PROTO_HEADER_LEN,
			 answer_fields, N_OF(answer_fields), take_answer, ans);
done:
	if (rc != PROTO_OK)
		memset(ans, 0, sizeof(*ans));
	return rc;
}

int proto_result_to_pam(enum proto_result result)
{
	switch (result) {
	case PROTO_R_SUCCESS:		return PAM_SUCCESS;
	case PROTO_R_AUTH_ERR:		return PAM_AUTH_ERR;
	case PROTO_R_USER_UNKNOWN:	return PAM_USER_UNKNOWN;
	case PROTO_R_AUTHINFO_UNAVAIL:	return PAM_AUTHINFO_UNAVAIL;
	case PROTO_R_SERVICE_ERR:	return PAM_SERVICE_ERR;
	case PROTO_R_PERM_DENIED:	return PAM_PERM_DENIED;
	case PROTO_R_NEW_AUTHTOK_REQD:	return PAM_NEW_AUTHTOK_REQD;
	case PROTO_R_ACCT_EXPIRED:	return PAM_ACCT_EXPIRED;
	case PROTO_R_AUTHTOK_ERR:	return PAM_AUTHTOK_ERR;
	case PROTO_R_AUTHTOK_EXPIRED:	return PAM_AUTHTOK_EXPIRED;
	case PROTO_R_MAXTRIES:		return PAM_MAXTRIES;
	case PROTO_R_TRY_AGAIN:		return PAM_TRY_AGAIN;
	case PROTO_R_BUF_ERR:		return PAM_BUF_ERR;
	}
	return PAM_SERVICE_ERR;
}

const char *proto_strerror(int err)
{
	switch (err) {
	case PROTO_OK:			return "no error";
	case PROTO_E_TRUNCATED:		return "truncated frame";
	case PROTO_E_MAGIC:		return "bad magic";
	case PROTO_E_VERSION:		return "protocol version mismatch";
	case PROTO_E_TYPE:		return "unexpected message type";
	case PROTO_E_FRAME_LEN:		return "frame length out of bounds";
	case PROTO_E_FIELD_LEN:		return "field length out of bounds";
	case PROTO_E_OVERRUN:		return "field runs past the frame";
	case PROTO_E_DUPLICATE:		return "duplicate field";
	case PROTO_E_ORDER:		return "fields out of order";
	case PROTO_E_UNKNOWN_TAG:	return "unknown field";
	case PROTO_E_MISSING:		return "required field missing";
	case PROTO_E_NUL:		return "NUL byte inside a string";
	case PROTO_E_TRAILING:		return "bytes after the frame";
	case PROTO_E_VALUE:		return "value not allowed";
	case PROTO_E_COUNT:		return "too many list entries";
	case PROTO_E_SPACE:		return "frame does not fit the buffer";
	case PROTO_E_TIMEOUT:		return "deadline passed";
	case PROTO_E_CLOSED:		return "peer closed the connection";
	case PROTO_E_IO:		return "I/O error";
	default:			return "unknown error";
	}
}

/* ---- I/O under a deadline --------------------------------------------- */

/* Waits until FD is ready for EVENTS or DEADLINE passes, with the time
 * left recomputed after every wake-up. PROTO_OK, PROTO_E_TIMEOUT or
 * PROTO_E_IO. */
static int wait_ready(int fd, short events,
		      const struct dir_deadline *deadline)
{
	int n = dir_poll_until(fd, events, deadline);

	return n > 0 ? PROTO_OK : n == 0 ? PROTO_E_TIMEOUT : PROTO_E_IO;
}

/* One write of WBUF, or else one read into RBUF, on FD, that never
 * blocks on a socket; falls back to write/read for what is not a socket
 * (and remembers it in *plain). */
static ssize_t io_once(int fd, void *rbuf, const void *wbuf, size_t len,
		       bool *plain)
{
	ssize_t n;

	if (!*plain) {
		n = wbuf != NULL ?
			send(fd, wbuf, len, MSG_NOSIGNAL | MSG_DONTWAIT) :
			recv(fd, rbuf, len, MSG_DONTWAIT);
		if (n >= 0 || errno != ENOTSOCK)
			return n;
		*plain = true;
	}
	return wbuf != NULL ? write(fd, wbuf, len) : read(fd, rbuf, len);
}

/*
 * Moves WBUF[*done..WANT) to FD, or when WBUF is NULL from FD into
 * RBUF[*done..WANT), before DEADLINE. PROTO_OK when all of it moved;
 * PROTO_E_CLOSED when a read met the end with *done 0 at the start of a
 * frame (FIRST), PROTO_E_TRUNCATED when it met it later; PROTO_E_TIMEOUT
 * or PROTO_E_IO.
 */
static int move_bytes(int fd, uint8_t *rbuf, const uint8_t *wbuf,
		      size_t want, size_t *done, bool first,
		      const struct dir_deadline *deadline)
{
	bool out = wbuf != NULL;
	bool plain = false;
	int rc = PROTO_OK;

	while (*done < want) {
		ssize_t n;

		rc = wait_ready(fd, out ? POLLOUT : POLLIN, deadline);
		if (rc != PROTO_OK)
			break;
		n = io_once(fd, out ? NULL : rbuf + *done,
			    out ? wbuf + *done : NULL, want - *done, &plain);
		if (n > 0) {
			*done += (size_t)n;
			continue;
		}
		if (n == 0 && !out) {
			rc = first && *done == 0 ? PROTO_E_CLOSED :
						   PROTO_E_TRUNCATED;
			break;
		}
		if (n < 0 && (errno == EINTR || errno == EAGAIN ||
			      errno == EWOULDBLOCK))
			continue;
		rc = PROTO_E_IO;
		break;
	}
	return rc;
}

int proto_read_frame(int fd, uint8_t *buf, size_t cap,
		     const struct dir_deadline *deadline, size_t *len,
		     struct proto_header *hdr)
{
	struct proto_header h;
	size_t got = 0;
	int rc = PROTO_E_SPACE;

	*len = 0;
	memset(&h, 0, sizeof(h));
	if (cap < PROTO_HEADER_LEN)
		goto done;
	rc = move_bytes(fd, buf, NULL, PROTO_HEADER_LEN, &got, true, deadline);
	if (rc != PROTO_OK)
		goto done;
	/* Magic, version, type and a length within PROTO_FRAME_MAX, before
	 * the body is read. */
	rc = proto_header_decode(buf, got, &h);
	if (rc != PROTO_OK)
		goto done;
	rc = PROTO_E_FRAME_LEN;
	if (h.length > cap)
		goto done;
	rc = move_bytes(fd, buf, NULL, h.length, &got, false, deadline);
	if (rc != PROTO_OK)
		goto done;
	*len = got;
done:
	if (hdr != NULL)
		*hdr = h;
	if (rc != PROTO_OK && got > 0)
		explicit_bzero(buf, got);
	return rc;
}

int proto_write_frame(int fd, const uint8_t *buf, size_t len,
		      const struct dir_deadline *deadline)
{
	size_t sent = 0;

	return move_bytes(fd, NULL, buf, len, &sent, false, deadline);
}
