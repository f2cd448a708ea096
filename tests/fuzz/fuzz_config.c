/*
 * fuzz_config.c - cfg_parse_buffer on arbitrary bytes. The buffer is the
 * fuzzer's own allocation, not NUL-terminated, so a read past LEN is an
 * ASan report. On success the defaults the contract promises must be
 * filled in; on failure the message must name the file and *cfg must hold
 * nothing (the parser promises so; cfg_free runs afterwards regardless).
 */
#include "config.h"
#include "fuzz_common.h"

#define FZ_NAME "fuzz.conf"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cfg cfg;
	char err[CFG_ERR_LEN];
	size_t i;

	memset(err, 'x', sizeof(err));
	if (cfg_parse_buffer(FZ_NAME, (const char *)data, size, &cfg, err,
			     sizeof(err)) == 0) {
		FZ_CHECK(cfg.n_uris >= 1 && cfg.n_uris <= CFG_MAX_URIS);
		for (i = 0; i < cfg.n_uris; i++)
			FZ_CHECK(cfg.uris[i] != NULL && cfg.uris[i][0] != '\0');
		FZ_CHECK(cfg.base != NULL);
		FZ_CHECK(cfg.pacer_base != NULL && cfg.courts_base != NULL);
		FZ_CHECK(cfg.link_uri != NULL);
		FZ_CHECK(cfg.network_timeout_ms > 0 && cfg.timeout_ms > 0 &&
			 cfg.login_budget_ms > 0);
		FZ_CHECK(cfg.path != NULL && strcmp(cfg.path, FZ_NAME) == 0);
	} else {
		FZ_CHECK(memchr(err, '\0', sizeof(err)) != NULL);
		FZ_CHECK(strncmp(err, FZ_NAME, strlen(FZ_NAME)) == 0);
		FZ_CHECK(cfg.path == NULL && cfg.base == NULL &&
			 cfg.n_uris == 0 && cfg.link_uri == NULL);
	}
	cfg_free(&cfg);
	cfg_free(&cfg);		/* idempotent, says config.h */
	return 0;
}
