/*
 * proto.h - the module-daemon protocol: one request from pam_pacer.so to
 * pacerd, one answer back, each a length-prefixed frame of typed fields.
 * docs/protocol.md is the byte-by-byte description; this header and it
 * change together.
 *
 * Every frame is parsed as hostile: each length is checked against the
 * field's limit (written next to its tag below) and against the bytes
 * left before it is used; decoded strings are copied into fixed arrays
 * sized by those limits, so nothing is allocated on the peer's word.
 * This file makes no I/O except proto_read_frame and proto_write_frame,
 * and links nothing but libc.
 */
#ifndef PACER_PROTO_H
#define PACER_PROTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "deadline.h"
#include "escape.h"	/* NAME_MAX_LEN */
#include "secret.h"	/* SECRET_MAX_LEN */

/* ---- the frame header: 12 bytes, big-endian -------------------------- */

#define PROTO_MAGIC		0x50414352u	/* "PACR" */
#define PROTO_VERSION		1u
#define PROTO_HEADER_LEN	12u
/* The whole frame, header included. Every message this version can
 * encode fits (checked at compile time in proto.c). */
#define PROTO_FRAME_MAX		16384u
/* Each field: a 2-byte tag and a 2-byte length, then the value. */
#define PROTO_FIELD_HEADER_LEN	4u

enum proto_type {
	PROTO_T_AUTHENTICATE = 1,
	PROTO_T_ACCOUNT = 2,
	PROTO_T_CHPASS = 3,
	PROTO_T_ANSWER = 0x81,
};

/* ---- request fields: tag, then the limit of its value in bytes ------- */

#define PROTO_TAG_SERVICE	0x01	/* PAM_SERVICE, required */
#define PROTO_SERVICE_MAX	128
#define PROTO_TAG_RHOST		0x02	/* PAM_RHOST, optional, may be empty */
#define PROTO_RHOST_MAX		255	/* a DNS name's longest text form */
#define PROTO_TAG_TTY		0x03	/* PAM_TTY, optional, may be empty */
#define PROTO_TTY_MAX		64
#define PROTO_TAG_COURT		0x04	/* court=ID, optional */
#define PROTO_COURT_MAX		16	/* as name_is_valid_court */
#define PROTO_TAG_CONFIG	0x05	/* the module's config path, required */
#define PROTO_CONFIG_MAX	1024
#define PROTO_TAG_USER		0x06	/* the PACER username, required */
#define PROTO_USER_MAX		NAME_MAX_LEN
#define PROTO_TAG_FLAGS		0x07	/* 4 bytes, required */
#define PROTO_FLAGS_LEN		4
#define PROTO_TAG_PASSWORD	0x08	/* AUTHENTICATE, required */
#define PROTO_TAG_OLD_PASSWORD	0x09	/* CHPASS, required */
#define PROTO_TAG_NEW_PASSWORD	0x0a	/* CHPASS, required */
#define PROTO_PASSWORD_MAX	SECRET_MAX_LEN
#define PROTO_TAG_CLIENT_CODE	0x0b	/* AUTHENTICATE, optional */
#define PROTO_CLIENT_CODE_MAX	32	/* as the module's prompt allows */

/* Request flags; a bit a message type does not allow is refused. */
#define PROTO_F_EFILE		0x1u	/* AUTHENTICATE, ACCOUNT */
#define PROTO_F_CLIENT_CODE	0x2u	/* AUTHENTICATE */
#define PROTO_F_DEBUG		0x4u	/* all */

/* ---- answer fields --------------------------------------------------- */

#define PROTO_TAG_RESULT	0x20	/* 4 bytes, required */
#define PROTO_RESULT_LEN	4
#define PROTO_TAG_MESSAGE	0x21	/* repeated: style byte + text */
#define PROTO_MESSAGES_MAX	8
#define PROTO_MESSAGE_MAX	512	/* text bytes; PAM_MAX_MSG_SIZE */
#define PROTO_TAG_EXPORT	0x22	/* repeated: name byte + value */
#define PROTO_EXPORTS_MAX	9	/* one per allowed name */
#define PROTO_EXPORT_VALUE_MAX	256
#define PROTO_TAG_REASON	0x23	/* the log line's reason, optional */
#define PROTO_REASON_MAX	512

/* The result, from a closed set; the wire value is ours, not libpam's. */
enum proto_result {
	PROTO_R_SUCCESS = 0,
	PROTO_R_AUTH_ERR = 1,
	PROTO_R_USER_UNKNOWN = 2,
	PROTO_R_AUTHINFO_UNAVAIL = 3,
	PROTO_R_SERVICE_ERR = 4,
	PROTO_R_PERM_DENIED = 5,
	PROTO_R_NEW_AUTHTOK_REQD = 6,
	PROTO_R_ACCT_EXPIRED = 7,
	PROTO_R_AUTHTOK_ERR = 8,
	PROTO_R_AUTHTOK_EXPIRED = 9,
	PROTO_R_MAXTRIES = 10,
	PROTO_R_TRY_AGAIN = 11,
	PROTO_R_BUF_ERR = 12,
};
#define PROTO_R_LAST PROTO_R_BUF_ERR

enum proto_style {
	PROTO_STYLE_INFO = 1,	/* PAM_TEXT_INFO */
	PROTO_STYLE_ERROR = 2,	/* PAM_ERROR_MSG */
};

/* The only names an answer may export; the byte on the wire is the
 * value below, never the name. */
enum proto_export_name {
	PROTO_X_PACER_USER = 1,
	PROTO_X_PACER_NAME = 2,
	PROTO_X_PACER_ACCOUNT_TYPE = 3,
	PROTO_X_CMECF_COURT = 4,
	PROTO_X_CMECF_COURT_TYPE = 5,
	PROTO_X_CMECF_LOGIN = 6,
	PROTO_X_CMECF_ACCESS = 7,
	PROTO_X_PACER_CLIENT_CODE = 8,
	PROTO_X_PACER_OFFLINE = 9,
};
#define PROTO_X_LAST PROTO_X_PACER_OFFLINE

/* ---- errors: every one negative, PROTO_OK is 0 ----------------------- */

enum proto_err {
	PROTO_OK = 0,
	PROTO_E_TRUNCATED = -1,	/* the bytes end inside the header or a field */
	PROTO_E_MAGIC = -2,	/* not our protocol */
	PROTO_E_VERSION = -3,	/* our protocol, another version */
	PROTO_E_TYPE = -4,	/* unknown type, or not the kind expected */
	PROTO_E_FRAME_LEN = -5,	/* header length under the header or > max */
	PROTO_E_FIELD_LEN = -6,	/* a field's length outside its limits */
	PROTO_E_OVERRUN = -7,	/* a field's length past the frame's end */
	PROTO_E_DUPLICATE = -8,	/* a field (or export name) twice */
	PROTO_E_ORDER = -9,	/* a tag below the one before it */
	PROTO_E_UNKNOWN_TAG = -10,	/* a tag this message does not have */
	PROTO_E_MISSING = -11,	/* a required field absent */
	PROTO_E_NUL = -12,	/* a NUL byte inside a string */
	PROTO_E_TRAILING = -13,	/* bytes after the frame's length */
	PROTO_E_VALUE = -14,	/* a flag, result, style or name not allowed */
	PROTO_E_COUNT = -15,	/* a list longer than its limit */
	PROTO_E_SPACE = -16,	/* the encoder's buffer is too small */
	PROTO_E_TIMEOUT = -17,	/* the deadline passed */
	PROTO_E_CLOSED = -18,	/* the peer closed before a byte of the frame */
	PROTO_E_IO = -19,	/* read/write/poll failed (errno kept) */
};

/* ---- decoded messages ----------------------------------------------- */

struct proto_header {
	uint32_t magic;
	uint16_t version;
	uint16_t type;
	uint32_t length;	/* the whole frame, header included */
};

/*
 * One request. Strings are NUL-terminated copies (a string on the wire
 * holds no NUL); an optional one that was absent has has_X false and is
 * "". Passwords live here until proto_request_wipe.
 */
struct proto_request {
	enum proto_type type;
	uint32_t flags;
	char service[PROTO_SERVICE_MAX + 1];
	bool has_rhost;
	char rhost[PROTO_RHOST_MAX + 1];
	bool has_tty;
	char tty[PROTO_TTY_MAX + 1];
	bool has_court;
	char court[PROTO_COURT_MAX + 1];
	char config[PROTO_CONFIG_MAX + 1];
	char user[PROTO_USER_MAX + 1];
	char password[PROTO_PASSWORD_MAX + 1];		/* AUTHENTICATE */
	char old_password[PROTO_PASSWORD_MAX + 1];	/* CHPASS */
	char new_password[PROTO_PASSWORD_MAX + 1];	/* CHPASS */
	bool has_client_code;				/* AUTHENTICATE */
	char client_code[PROTO_CLIENT_CODE_MAX + 1];
};

struct proto_message {
	enum proto_style style;
	char text[PROTO_MESSAGE_MAX + 1];
};

struct proto_export {
	enum proto_export_name name;
	char value[PROTO_EXPORT_VALUE_MAX + 1];
};

struct proto_answer {
	enum proto_result result;
	size_t n_messages;
	struct proto_message messages[PROTO_MESSAGES_MAX];
	size_t n_exports;
	struct proto_export exports[PROTO_EXPORTS_MAX];
	bool has_reason;
	char reason[PROTO_REASON_MAX + 1];
};

/* ---- encoding and decoding ------------------------------------------ */

/*
 * Parses the first PROTO_HEADER_LEN bytes of BUF (LEN bytes available)
 * into *hdr. PROTO_OK, or an error; on PROTO_E_VERSION *hdr holds the
 * peer's version, so the daemon can say which it was.
 */
int proto_header_decode(const uint8_t *buf, size_t len,
			struct proto_header *hdr);

/*
 * Writes REQ as one frame into BUF (CAP bytes) and its length in *len.
 * REQ must satisfy what the decoder demands (limits, required fields,
 * flags); else an error and nothing usable in BUF. The frame holds the
 * passwords: the caller wipes BUF.
 */
int proto_request_encode(const struct proto_request *req, uint8_t *buf,
			 size_t cap, size_t *len);

/*
 * Parses exactly one request frame of LEN bytes from BUF into *req (the
 * caller's; wipe it with proto_request_wipe when done). PROTO_OK, or the
 * first defect found and *req wiped.
 */
int proto_request_decode(const uint8_t *buf, size_t len,
			 struct proto_request *req);

/* Wipes the whole request, its passwords included, so the compiler cannot
 * skip it. */
void proto_request_wipe(struct proto_request *req);

/* Writes ANS as one frame into BUF (CAP bytes), its length in *len. */
int proto_answer_encode(const struct proto_answer *ans, uint8_t *buf,
			size_t cap, size_t *len);

/* Parses exactly one answer frame of LEN bytes into the caller's *ans;
 * PROTO_OK, or the first defect found and *ans all zero. */
int proto_answer_decode(const uint8_t *buf, size_t len,
			struct proto_answer *ans);

/* Appends a message to ANS; PROTO_E_COUNT when full, PROTO_E_FIELD_LEN
 * when TEXT is empty or longer than PROTO_MESSAGE_MAX. */
int proto_answer_add_message(struct proto_answer *ans, enum proto_style style,
			     const char *text);

/* Appends NAME=VALUE to ANS's exports; PROTO_E_DUPLICATE when NAME is
 * there already, PROTO_E_FIELD_LEN when VALUE is too long. */
int proto_answer_add_export(struct proto_answer *ans,
			    enum proto_export_name name, const char *value);

/* The environment name of an export ("PACER_USER"), or NULL; static. */
const char *proto_export_name_str(enum proto_export_name name);

/* The export whose environment name is NAME, or 0 when none is. */
enum proto_export_name proto_export_name_from_str(const char *name);

/* The PAM code of a result; PAM_SERVICE_ERR for anything else. */
int proto_result_to_pam(enum proto_result result);

/* A short static description of a proto_err, for log lines. */
const char *proto_strerror(int err);

/* ---- I/O under a deadline -------------------------------------------- */

/*
 * Reads one frame from FD into BUF (CAP bytes, at most PROTO_FRAME_MAX
 * used) before DEADLINE (CLOCK_MONOTONIC). The header is read and checked
 * first: a bad magic, version or type, or a length over the limit or CAP,
 * is refused before a byte of the body is read. poll() waits only for the
 * time left, recomputed after every wake-up, EINTR included. PROTO_OK with
 * the frame's length in *len and its header in *hdr (hdr may be NULL);
 * else an error, and what was read of BUF is wiped. On PROTO_E_VERSION
 * *hdr holds the peer's version.
 */
int proto_read_frame(int fd, uint8_t *buf, size_t cap,
		     const struct dir_deadline *deadline, size_t *len,
		     struct proto_header *hdr);

/*
 * Writes LEN bytes of BUF to FD before DEADLINE, all of them or an error
 * (send with MSG_NOSIGNAL on a socket: a vanished peer is PROTO_E_IO with
 * errno EPIPE, never SIGPIPE; write() on anything else).
 */
int proto_write_frame(int fd, const uint8_t *buf, size_t len,
		      const struct dir_deadline *deadline);


#endif
