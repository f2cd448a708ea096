/*
 * fuzz_proto_answer.c - the module's side of the protocol: the answer
 * decoder on arbitrary bytes, as a daemon (or whatever holds the socket)
 * could send them. An accepted answer has only allowed results, styles
 * and export names, each name once, every string within its limit and
 * without NUL; it re-encodes to exactly the same bytes and decodes again
 * to an equal answer.
 */
#include "fuzz_common.h"
#include "proto.h"

static void fz_answer_sane(const struct proto_answer *a)
{
	size_t i, j;

	FZ_CHECK((unsigned int)a->result <= PROTO_R_LAST);
	FZ_CHECK(a->n_messages <= PROTO_MESSAGES_MAX);
	FZ_CHECK(a->n_exports <= PROTO_EXPORTS_MAX);
	for (i = 0; i < a->n_messages; i++) {
		FZ_CHECK(a->messages[i].style == PROTO_STYLE_INFO ||
			 a->messages[i].style == PROTO_STYLE_ERROR);
		FZ_CHECK(strnlen(a->messages[i].text, PROTO_MESSAGE_MAX + 1) -
			 1 < PROTO_MESSAGE_MAX);
	}
	for (i = 0; i < a->n_exports; i++) {
		FZ_CHECK(proto_export_name_str(a->exports[i].name) != NULL);
		FZ_CHECK(strnlen(a->exports[i].value,
				 PROTO_EXPORT_VALUE_MAX + 1) <=
			 PROTO_EXPORT_VALUE_MAX);
		for (j = 0; j < i; j++)
			FZ_CHECK(a->exports[j].name != a->exports[i].name);
	}
	FZ_CHECK(strnlen(a->reason, PROTO_REASON_MAX + 1) <= PROTO_REASON_MAX);
	FZ_CHECK(a->has_reason || a->reason[0] == '\0');
}

static void fz_answers_equal(const struct proto_answer *a,
			     const struct proto_answer *b)
{
	size_t i;

	FZ_CHECK(a->result == b->result);
	FZ_CHECK(a->n_messages == b->n_messages);
	FZ_CHECK(a->n_exports == b->n_exports);
	for (i = 0; i < a->n_messages; i++)
		FZ_CHECK(a->messages[i].style == b->messages[i].style &&
			 strcmp(a->messages[i].text, b->messages[i].text) == 0);
	for (i = 0; i < a->n_exports; i++)
		FZ_CHECK(a->exports[i].name == b->exports[i].name &&
			 strcmp(a->exports[i].value, b->exports[i].value) == 0);
	FZ_CHECK(a->has_reason == b->has_reason &&
		 strcmp(a->reason, b->reason) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct proto_answer a, b;
	static uint8_t out[PROTO_FRAME_MAX];
	size_t len = 0;

	if (proto_answer_decode(data, size, &a) != PROTO_OK)
		return 0;
	fz_answer_sane(&a);
	FZ_CHECK(proto_answer_encode(&a, out, sizeof(out), &len) == PROTO_OK);
	FZ_CHECK(len == size && memcmp(out, data, size) == 0);
	FZ_CHECK(proto_answer_decode(out, len, &b) == PROTO_OK);
	fz_answers_equal(&a, &b);
	return 0;
}
