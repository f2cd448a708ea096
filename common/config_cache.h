/*
 * config_cache.h - the configuration files this process has parsed, kept
 * so that a PAM call finds an unchanged file's settings with one stat()
 * instead of a read and a parse. Only cfg_load() uses it.
 */
#ifndef PACER_CONFIG_CACHE_H
#define PACER_CONFIG_CACHE_H

#include <stdbool.h>
#include <sys/stat.h>

#include "config.h"

/*
 * When PATH was parsed before and ST (a fresh stat of PATH) shows the same
 * file unchanged since, fills *out with a copy of those settings (free with
 * cfg_free) and returns true. False otherwise: parse the file.
 */
bool cfg_cache_get(const char *path, const struct stat *st, struct cfg *out);

/*
 * Remembers CFG, parsed from PATH whose open file ST describes. A file
 * changed within the last two seconds is not remembered: timestamps are
 * only as fine as the kernel's clock tick, so a second change of the same
 * size soon after could not be told apart.
 */
void cfg_cache_put(const char *path, const struct stat *st,
		   const struct cfg *cfg);

/* How many loads the cache has answered in this process (for the tests). */
unsigned long cfg_cache_hits(void);

#endif
