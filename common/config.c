/*
 * config.c - reading pam_pacer.conf.
 *
 * The format is nslcd's and ldap.conf's: one "key value" per line, keys in
 * lowercase, '#' starting a comment line. Only whole-line comments exist: a
 * '#' after a value is part of the value, so a key that takes one word
 * refuses the extra words and a DN keeps them (RFC 4514 allows '#' inside
 * an attribute value). The file steers authentication, so every doubt is an
 * error naming the file and the line, and the module then fails closed.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <ldap.h>

#include "config.h"
#include "config_cache.h"
#include "escape.h"

#define CFG_MAX_LINE 4096		/* bytes on one line, newline excluded */
#define CFG_MAX_FILE (64 * 1024)	/* bytes in the whole file */

enum cfg_kind {
	CFG_URIS,	/* one or more URIs; repeated lines append */
	CFG_URI,	/* exactly one URI */
	CFG_DN,
	CFG_PATH,	/* one absolute path */
	CFG_BOOL,
	CFG_SECONDS,
	CFG_COURT,
	CFG_REQCERT,
	CFG_COUNT,	/* a whole number within [min, max] */
};

struct cfg_key {
	const char *name;
	enum cfg_kind kind;
	long min_ms;		/* CFG_SECONDS bounds (ms); CFG_COUNT bounds */
	long max_ms;
};

/* Every key pam_pacer.conf knows, in the order of pam_pacer.conf(5). */
static const struct cfg_key cfg_keys[] = {
	{ "uri", CFG_URIS, 0, 0 },
	{ "base", CFG_DN, 0, 0 },
	{ "pacer_base", CFG_DN, 0, 0 },
	{ "courts_base", CFG_DN, 0, 0 },
	{ "court", CFG_COURT, 0, 0 },
	{ "binddn", CFG_DN, 0, 0 },
	{ "bindpw_file", CFG_PATH, 0, 0 },
	{ "link_binddn", CFG_DN, 0, 0 },
	{ "link_bindpw_file", CFG_PATH, 0, 0 },
	{ "link_uri", CFG_URI, 0, 0 },
	{ "starttls", CFG_BOOL, 0, 0 },
	{ "tls_cacert", CFG_PATH, 0, 0 },
	{ "tls_reqcert", CFG_REQCERT, 0, 0 },
	{ "allow_plaintext", CFG_BOOL, 0, 0 },
	{ "network_timeout", CFG_SECONDS, 100, 60000 },
	{ "timeout", CFG_SECONDS, 100, 60000 },
	{ "login_budget", CFG_SECONDS, 200, 120000 },
	{ "link_max_failures", CFG_COUNT, 1, 1000 },
	{ "link_lockout", CFG_COUNT, 1, CFG_LINK_LOCKOUT_MAX },
	{ "link_max_failures_uid", CFG_COUNT, 0, 100000 },
};
#define CFG_N_KEYS (sizeof(cfg_keys) / sizeof(cfg_keys[0]))

/* One parse in progress: where we are, for messages. */
struct cfg_parse {
	const char *name;
	unsigned long line;
	unsigned long seen[CFG_N_KEYS];	/* line a key was set on; 0: unset */
	char *err;
	size_t errlen;
};

/* Writes "NAME:LINE: message" (or "NAME: message" for LINE 0) into err. */
__attribute__((format(printf, 5, 6)))
static void cfg_error(char *err, size_t errlen, const char *name,
		      unsigned long line, const char *fmt, ...)
{
	char msg[CFG_ERR_LEN];
	va_list ap;

	if (err == NULL || errlen == 0)
		return;
	va_start(ap, fmt);
	(void)vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (line > 0)
		(void)snprintf(err, errlen, "%s:%lu: %s", name, line, msg);
	else
		(void)snprintf(err, errlen, "%s: %s", name, msg);
}

#define cfg_fail(p, ...) \
	cfg_error((p)->err, (p)->errlen, (p)->name, (p)->line, __VA_ARGS__)

/* Returns 0 when T is a DN libldap can parse, -1 otherwise. */
static int cfg_check_dn(const char *t)
{
	LDAPDN dn = NULL;
	int rc;

	rc = ldap_str2dn(t, &dn, LDAP_DN_FORMAT_LDAPV3);
	if (dn != NULL)
		ldap_dnfree(dn);
	return rc == LDAP_SUCCESS && t[0] != '\0' ? 0 : -1;
}

/*
 * Returns NULL when T is an ldap://, ldaps:// or ldapi:// URI naming only a
 * server, or a static string saying what is wrong with it.
 */
static const char *cfg_check_uri(const char *t)
{
	LDAPURLDesc *lud = NULL;
	const char *why = NULL;

	if (ldap_url_parse(t, &lud) != LDAP_URL_SUCCESS || lud == NULL ||
	    lud->lud_scheme == NULL) {
		why = "is not a valid ldap://, ldaps:// or ldapi:// URI";
		goto done;
	}
	if (strcasecmp(lud->lud_scheme, "ldap") != 0 &&
	    strcasecmp(lud->lud_scheme, "ldaps") != 0 &&
	    strcasecmp(lud->lud_scheme, "ldapi") != 0) {
		why = "is not a valid ldap://, ldaps:// or ldapi:// URI";
		goto done;
	}
	if (lud->lud_port < 0 || lud->lud_port > 65535) {
		why = "has a port outside 1 to 65535";
		goto done;
	}
	/* A DN or filter here would look like it means something; it does not. */
	if ((lud->lud_dn != NULL && lud->lud_dn[0] != '\0') ||
	    lud->lud_attrs != NULL || lud->lud_filter != NULL ||
	    lud->lud_exts != NULL)
		why = "names more than a server (DN, attributes, filter or "
		      "extensions are not taken here)";

done:
	if (lud != NULL)
		ldap_free_urldesc(lud);
	return why;
}

/* Returns 0 or -1: "N" or "N.NNN" seconds, in [min_ms, max_ms]. */
int cfg_parse_seconds(const char *text, long min_ms, long max_ms,
		      long *out_ms)
{
	const char *p = text;
	char *end = NULL;
	long secs;
	long frac = 0;
	int digits = 0;

	if (text == NULL || out_ms == NULL || text[0] < '0' || text[0] > '9')
		return -1;	/* no sign, no blank, no empty string */
	errno = 0;
	secs = strtol(text, &end, 10);
	if (errno != 0 || end == text || secs < 0 || secs > LONG_MAX / 1000)
		return -1;
	p = end;
	if (*p == '.') {
		p++;
		while (*p >= '0' && *p <= '9' && digits < 3) {
			frac = frac * 10 + (*p - '0');
			p++;
			digits++;
		}
		if (digits == 0)
			return -1;	/* "5." */
		while (digits < 3) {
			frac *= 10;
			digits++;
		}
	}
	if (*p != '\0')
		return -1;	/* trailing junk, or a fourth decimal */
	secs = secs * 1000 + frac;
	if (secs < min_ms || secs > max_ms)
		return -1;
	*out_ms = secs;
	return 0;
}

/* Returns a pointer to the char * field of CFG that KEY fills, or NULL. */
static char **cfg_string_field(struct cfg *cfg, const char *key)
{
	if (strcmp(key, "base") == 0)
		return &cfg->base;
	if (strcmp(key, "pacer_base") == 0)
		return &cfg->pacer_base;
	if (strcmp(key, "courts_base") == 0)
		return &cfg->courts_base;
	if (strcmp(key, "court") == 0)
		return &cfg->court;
	if (strcmp(key, "binddn") == 0)
		return &cfg->binddn;
	if (strcmp(key, "bindpw_file") == 0)
		return &cfg->bindpw_file;
	if (strcmp(key, "link_binddn") == 0)
		return &cfg->link_binddn;
	if (strcmp(key, "link_bindpw_file") == 0)
		return &cfg->link_bindpw_file;
	if (strcmp(key, "link_uri") == 0)
		return &cfg->link_uri;
	if (strcmp(key, "tls_cacert") == 0)
		return &cfg->tls_cacert;
	return NULL;
}

/* Returns a pointer to the seconds field of CFG that KEY fills, or NULL. */
static long *cfg_ms_field(struct cfg *cfg, const char *key)
{
	if (strcmp(key, "network_timeout") == 0)
		return &cfg->network_timeout_ms;
	if (strcmp(key, "timeout") == 0)
		return &cfg->timeout_ms;
	if (strcmp(key, "login_budget") == 0)
		return &cfg->login_budget_ms;
	return NULL;
}

/* Returns a pointer to the count field of CFG that KEY fills, or NULL. */
static long *cfg_count_field(struct cfg *cfg, const char *key)
{
	if (strcmp(key, "link_max_failures") == 0)
		return &cfg->link_max_failures;
	if (strcmp(key, "link_lockout") == 0)
		return &cfg->link_lockout_s;
	if (strcmp(key, "link_max_failures_uid") == 0)
		return &cfg->link_max_failures_uid;
	return NULL;
}

/* Parses decimal digits only (no sign, no blanks) within [MIN, MAX]. */
static int cfg_parse_count(const char *text, long min, long max, long *out)
{
	char *end = NULL;
	long v;

	if (text[0] < '0' || text[0] > '9' || strlen(text) > 9)
		return -1;
	errno = 0;
	v = strtol(text, &end, 10);
	if (errno != 0 || end == NULL || *end != '\0' || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

/* True when V holds a blank, i.e. more than one word. */
static bool cfg_has_blank(const char *v)
{
	return strpbrk(v, " \t") != NULL;
}

/* Appends the blank-separated URIs in VALUE (modified); 0 or -1. */
static int cfg_set_uris(struct cfg_parse *p, struct cfg *cfg, char *value)
{
	char *save = NULL;
	char *tok;
	const char *why;
	unsigned n = 0;

	for (tok = strtok_r(value, " \t", &save); tok != NULL;
	     tok = strtok_r(NULL, " \t", &save)) {
		n++;
		why = cfg_check_uri(tok);
		if (why != NULL) {
			cfg_fail(p, "uri: URI %u %s", n, why);
			return -1;
		}
		if (cfg->n_uris >= CFG_MAX_URIS) {
			cfg_fail(p, "uri: more than %d URIs", CFG_MAX_URIS);
			return -1;
		}
		cfg->uris[cfg->n_uris] = strdup(tok);
		if (cfg->uris[cfg->n_uris] == NULL) {
			cfg_fail(p, "out of memory");
			return -1;
		}
		cfg->n_uris++;
	}
	return 0;
}

/* Checks VALUE for KEY and stores it in CFG; 0 or -1 with the message. */
static int cfg_set(struct cfg_parse *p, struct cfg *cfg,
		   const struct cfg_key *key, char *value)
{
	const char *why;
	char **field;
	long *ms;

	switch (key->kind) {
	case CFG_URIS:
		return cfg_set_uris(p, cfg, value);
	case CFG_URI:
		if (cfg_has_blank(value)) {
			cfg_fail(p, "%s takes exactly one URI", key->name);
			return -1;
		}
		why = cfg_check_uri(value);
		if (why != NULL) {
			cfg_fail(p, "%s %s", key->name, why);
			return -1;
		}
		break;
	case CFG_DN:
		if (cfg_check_dn(value) != 0) {
			cfg_fail(p, "%s is not a valid DN", key->name);
			return -1;
		}
		break;
	case CFG_PATH:
		if (cfg_has_blank(value)) {
			cfg_fail(p, "%s takes one path, without blanks",
				 key->name);
			return -1;
		}
		if (value[0] != '/') {
			cfg_fail(p, "%s must be an absolute path", key->name);
			return -1;
		}
		break;
	case CFG_COURT:
		if (!name_is_valid_court(value)) {
			cfg_fail(p, "court must be 2 to 16 lowercase letters "
				 "or digits");
			return -1;
		}
		break;
	case CFG_BOOL:
		if (strcmp(value, "yes") != 0 && strcmp(value, "no") != 0) {
			cfg_fail(p, "%s must be yes or no", key->name);
			return -1;
		}
		if (strcmp(key->name, "starttls") == 0)
			cfg->starttls = strcmp(value, "yes") == 0;
		else
			cfg->allow_plaintext = strcmp(value, "yes") == 0;
		return 0;
	case CFG_REQCERT:
		if (strcmp(value, "never") == 0)
			cfg->tls_reqcert = CFG_REQCERT_NEVER;
		else if (strcmp(value, "allow") == 0)
			cfg->tls_reqcert = CFG_REQCERT_ALLOW;
		else if (strcmp(value, "try") == 0)
			cfg->tls_reqcert = CFG_REQCERT_TRY;
		else if (strcmp(value, "demand") == 0)
			cfg->tls_reqcert = CFG_REQCERT_DEMAND;
		else {
			cfg_fail(p, "tls_reqcert must be never, allow, try "
				 "or demand");
			return -1;
		}
		return 0;
	case CFG_SECONDS:
		ms = cfg_ms_field(cfg, key->name);
		if (ms == NULL ||
		    cfg_parse_seconds(value, key->min_ms, key->max_ms, ms)
		    != 0) {
			cfg_fail(p, "%s must be a number of seconds from "
				 "%ld.%ld to %ld", key->name,
				 key->min_ms / 1000, key->min_ms % 1000 / 100,
				 key->max_ms / 1000);
			return -1;
		}
		return 0;
	case CFG_COUNT:
		ms = cfg_count_field(cfg, key->name);
		if (ms == NULL ||
		    cfg_parse_count(value, key->min_ms, key->max_ms, ms) != 0) {
			cfg_fail(p, "%s must be a whole number from %ld to %ld",
				 key->name, key->min_ms, key->max_ms);
			return -1;
		}
		return 0;
	}

	field = cfg_string_field(cfg, key->name);
	if (field == NULL) {
		cfg_fail(p, "%s: internal error", key->name);
		return -1;
	}
	*field = strdup(value);
	if (*field == NULL) {
		cfg_fail(p, "out of memory");
		return -1;
	}
	return 0;
}

/*
 * Length of the valid UTF-8 sequence at S (at most N bytes), refusing
 * overlong forms, surrogates and code points above U+10FFFF; 0 if invalid.
 */
static size_t cfg_utf8_len(const unsigned char *s, size_t n)
{
	size_t need;
	uint32_t cp;
	size_t i;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		need = 2;
		cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		need = 3;
		cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		need = 4;
		cp = s[0] & 0x07;
	} else {
		return 0;
	}
	if (n < need)
		return 0;
	for (i = 1; i < need; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((need == 3 && cp < 0x800) || (need == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	if (cp >= 0x80 && cp <= 0x9f)
		return 0;	/* C1 controls: as unwelcome as C0 ones */
	return need;
}

/* Checks one raw line for NUL, controls and bad UTF-8; 0 or -1. */
static int cfg_check_text(struct cfg_parse *p, const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0;
	size_t step;

	while (i < n) {
		if (u[i] == '\0') {
			cfg_fail(p, "NUL byte in line");
			return -1;
		}
		if ((u[i] < 0x20 && u[i] != '\t') || u[i] == 0x7f) {
			cfg_fail(p, "control character 0x%02x in line", u[i]);
			return -1;
		}
		step = cfg_utf8_len(u + i, n - i);
		if (step == 0) {
			cfg_fail(p, "line is not valid UTF-8 text");
			return -1;
		}
		i += step;
	}
	return 0;
}

/* Handles one line (LINE holds LEN bytes, no newline); 0 or -1. */
static int cfg_parse_line(struct cfg_parse *p, struct cfg *cfg,
			  const char *line, size_t len)
{
	char buf[CFG_MAX_LINE + 1];
	char *key;
	char *value;
	char *end;
	size_t i;

	if (len > CFG_MAX_LINE) {
		cfg_fail(p, "line longer than %d bytes", CFG_MAX_LINE);
		return -1;
	}
	if (len > 0 && line[len - 1] == '\r')
		len--;	/* CRLF line endings are read as LF ones */
	if (cfg_check_text(p, line, len) != 0)
		return -1;
	memcpy(buf, line, len);
	buf[len] = '\0';

	key = buf;
	while (*key == ' ' || *key == '\t')
		key++;
	end = key + strlen(key);
	while (end > key && (end[-1] == ' ' || end[-1] == '\t'))
		*--end = '\0';
	if (*key == '\0' || *key == '#')
		return 0;

	value = key + strcspn(key, " \t");
	if (*value != '\0') {
		*value++ = '\0';
		while (*value == ' ' || *value == '\t')
			value++;
	}

	for (i = 0; i < CFG_N_KEYS; i++)
		if (strcmp(key, cfg_keys[i].name) == 0)
			break;
	if (i == CFG_N_KEYS) {
		/* The key is shown, cut and cleaned, never the value. */
		char shown[40];
		size_t k;

		for (k = 0; k < sizeof(shown) - 1 && key[k] != '\0'; k++)
			shown[k] = (unsigned char)key[k] < 0x80 &&
				   key[k] != '"' ? key[k] : '?';
		shown[k] = '\0';
		cfg_fail(p, "unknown key \"%s%s\"", shown,
			 key[k] != '\0' ? "..." : "");
		return -1;
	}
	if (*value == '\0') {
		cfg_fail(p, "missing value for %s", key);
		return -1;
	}
	if (cfg_keys[i].kind != CFG_URIS && p->seen[i] != 0) {
		cfg_fail(p, "duplicate key %s (first set on line %lu)", key,
			 p->seen[i]);
		return -1;
	}
	p->seen[i] = p->line;
	return cfg_set(p, cfg, &cfg_keys[i], value);
}

/* Returns the line KEY was set on, or 0. */
static unsigned long cfg_seen(const struct cfg_parse *p, const char *key)
{
	size_t i;

	for (i = 0; i < CFG_N_KEYS; i++)
		if (strcmp(cfg_keys[i].name, key) == 0)
			return p->seen[i];
	return 0;
}

/* Makes "PREFIX,BASE" in *out; 0 or -1 on ENOMEM. */
static int cfg_child_dn(char **out, const char *prefix, const char *base)
{
	size_t n = strlen(prefix) + 1 + strlen(base) + 1;

	*out = malloc(n);
	if (*out == NULL)
		return -1;
	(void)snprintf(*out, n, "%s,%s", prefix, base);
	return 0;
}

/* The configuration word for R (a static string). */
static const char *cfg_reqcert_name(enum cfg_reqcert r)
{
	switch (r) {
	case CFG_REQCERT_NEVER:		return "never";
	case CFG_REQCERT_ALLOW:		return "allow";
	case CFG_REQCERT_TRY:		return "try";
	case CFG_REQCERT_DEMAND:	return "demand";
	}
	return "demand";
}

/* Checks what a whole file must say and writes the defaults; 0 or -1. */
static int cfg_finish(struct cfg_parse *p, struct cfg *cfg)
{
	static const char *const pairs[][2] = {
		{ "binddn", "bindpw_file" },
		{ "link_binddn", "link_bindpw_file" },
	};
	size_t i;

	p->line = 0;
	if (cfg->n_uris == 0) {
		cfg_fail(p, "missing required key uri");
		return -1;
	}
	if (cfg->base == NULL) {
		cfg_fail(p, "missing required key base");
		return -1;
	}
	for (i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
		unsigned long a = cfg_seen(p, pairs[i][0]);
		unsigned long b = cfg_seen(p, pairs[i][1]);

		if (a != 0 && b == 0) {
			p->line = a;
			cfg_fail(p, "%s is set without %s", pairs[i][0],
				 pairs[i][1]);
			return -1;
		}
		if (b != 0 && a == 0) {
			p->line = b;
			cfg_fail(p, "%s is set without %s", pairs[i][1],
				 pairs[i][0]);
			return -1;
		}
	}
	/* A certificate not checked to the end lets anyone on the path
	 * collect passwords: allowed only where plaintext is allowed too. */
	if (cfg->tls_reqcert != CFG_REQCERT_DEMAND && !cfg->allow_plaintext) {
		p->line = cfg_seen(p, "tls_reqcert");
		cfg_fail(p, "tls_reqcert %s does not verify the server's "
			 "certificate, so passwords could go to an impostor: "
			 "use demand, or set allow_plaintext yes (test rigs "
			 "only)", cfg_reqcert_name(cfg->tls_reqcert));
		return -1;
	}
	p->line = 0;
	if ((cfg->pacer_base == NULL &&
	     cfg_child_dn(&cfg->pacer_base, "ou=pacer", cfg->base) != 0) ||
	    (cfg->courts_base == NULL &&
	     cfg_child_dn(&cfg->courts_base, "ou=courts", cfg->base) != 0)) {
		cfg_fail(p, "out of memory");
		return -1;
	}
	/* A login's records are read with one search from BASE. */
	for (i = 0; i < 2; i++) {
		const char *key = i == 0 ? "pacer_base" : "courts_base";
		const char *dn = i == 0 ? cfg->pacer_base : cfg->courts_base;

		if (esc_dn_within(dn, cfg->base) != 1) {
			p->line = cfg_seen(p, key);
			cfg_fail(p, "%s must be base (%s) or below it", key,
				 cfg->base);
			return -1;
		}
	}
	if (cfg->link_uri == NULL) {
		cfg->link_uri = strdup(cfg->uris[0]);
		if (cfg->link_uri == NULL) {
			cfg_fail(p, "out of memory");
			return -1;
		}
	}
	return 0;
}

/* Frees every string in *cfg and zeroes it; NULL-safe, idempotent. */
void cfg_free(struct cfg *cfg)
{
	size_t i;

	if (cfg == NULL)
		return;
	free(cfg->path);
	for (i = 0; i < CFG_MAX_URIS; i++)
		free(cfg->uris[i]);
	free(cfg->base);
	free(cfg->pacer_base);
	free(cfg->courts_base);
	free(cfg->court);
	free(cfg->binddn);
	free(cfg->bindpw_file);
	free(cfg->link_binddn);
	free(cfg->link_bindpw_file);
	free(cfg->link_uri);
	free(cfg->tls_cacert);
	memset(cfg, 0, sizeof(*cfg));
}

/* A heap copy of S, NULL for NULL; *ok turns false when memory ran out. */
static char *cfg_dup(const char *s, bool *ok)
{
	char *d;

	if (s == NULL)
		return NULL;
	d = strdup(s);
	if (d == NULL)
		*ok = false;
	return d;
}

/* The same fields as cfg_free(), in the same order. */
int cfg_copy(struct cfg *dst, const struct cfg *src)
{
	bool ok = true;
	size_t i;

	*dst = *src;	/* the numbers and booleans; every string below */
	dst->path = cfg_dup(src->path, &ok);
	for (i = 0; i < CFG_MAX_URIS; i++)
		dst->uris[i] = cfg_dup(src->uris[i], &ok);
	dst->base = cfg_dup(src->base, &ok);
	dst->pacer_base = cfg_dup(src->pacer_base, &ok);
	dst->courts_base = cfg_dup(src->courts_base, &ok);
	dst->court = cfg_dup(src->court, &ok);
	dst->binddn = cfg_dup(src->binddn, &ok);
	dst->bindpw_file = cfg_dup(src->bindpw_file, &ok);
	dst->link_binddn = cfg_dup(src->link_binddn, &ok);
	dst->link_bindpw_file = cfg_dup(src->link_bindpw_file, &ok);
	dst->link_uri = cfg_dup(src->link_uri, &ok);
	dst->tls_cacert = cfg_dup(src->tls_cacert, &ok);
	if (!ok) {
		cfg_free(dst);
		return -1;
	}
	return 0;
}

/* Parses TEXT into *cfg; 0, or -1 with *cfg emptied and err set. */
int cfg_parse_buffer(const char *name, const char *text, size_t len,
		     struct cfg *cfg, char *err, size_t errlen)
{
	struct cfg_parse p;
	size_t pos = 0;
	int result = -1;

	memset(&p, 0, sizeof(p));
	p.name = name != NULL ? name : "(config)";
	p.err = err;
	p.errlen = err != NULL ? errlen : 0;
	if (p.errlen > 0)
		err[0] = '\0';
	if (cfg == NULL) {
		cfg_fail(&p, "internal error: no configuration to fill");
		return -1;
	}
	memset(cfg, 0, sizeof(*cfg));
	cfg->tls_reqcert = CFG_REQCERT_DEMAND;
	cfg->network_timeout_ms = 3000;
	cfg->timeout_ms = 3000;
	cfg->login_budget_ms = 5000;
	cfg->link_max_failures = 5;
	cfg->link_lockout_s = 900;
	cfg->link_max_failures_uid = 20;
	cfg->path = strdup(p.name);
	if (cfg->path == NULL) {
		cfg_fail(&p, "out of memory");
		goto done;
	}
	if (text == NULL && len > 0) {
		cfg_fail(&p, "internal error: no text");
		goto done;
	}

	while (pos < len) {
		const char *start = text + pos;
		const char *nl = memchr(start, '\n', len - pos);
		size_t n = nl != NULL ? (size_t)(nl - start) : len - pos;

		p.line++;
		if (cfg_parse_line(&p, cfg, start, n) != 0)
			goto done;
		pos += n + (nl != NULL ? 1 : 0);
	}
	if (cfg_finish(&p, cfg) != 0)
		goto done;
	result = 0;

done:
	if (result != 0)
		cfg_free(cfg);
	return result;
}

/*
 * Checks that the file ST describes may steer authentication: a regular
 * file, not larger than CFG_MAX_FILE, writable by its owner only, and owned
 * by root (or, in a process that is not root and not setuid, by the user it
 * runs as). Returns 0 or -1.
 */
static int cfg_check_stat(const struct stat *st, const char *path, char *err,
			  size_t errlen)
{
	uid_t euid = geteuid();

	if (!S_ISREG(st->st_mode)) {
		cfg_error(err, errlen, path, 0, "not a regular file");
		return -1;
	}
	if (st->st_uid != 0 &&
	    (euid == 0 || st->st_uid != euid || getuid() != euid)) {
		cfg_error(err, errlen, path, 0, "owned by uid %lu, not root",
			  (unsigned long)st->st_uid);
		return -1;
	}
	if ((st->st_mode & 022) != 0) {
		cfg_error(err, errlen, path, 0,
			  "writable by group or others (mode %04o)",
			  (unsigned)(st->st_mode & 07777));
		return -1;
	}
	if (st->st_size > CFG_MAX_FILE) {
		cfg_error(err, errlen, path, 0, "larger than %d bytes",
			  CFG_MAX_FILE);
		return -1;
	}
	return 0;
}

/* Reads and parses PATH; 0, or -1 with *cfg emptied and err set. */
int cfg_load(const char *path, struct cfg *cfg, char *err, size_t errlen)
{
	char *text = NULL;
	size_t len = 0;
	ssize_t got;
	struct stat st;
	int fd = -1;
	int result = -1;

	if (err == NULL)
		errlen = 0;
	if (errlen > 0)
		err[0] = '\0';
	if (cfg != NULL)
		memset(cfg, 0, sizeof(*cfg));
	if (path == NULL)
		path = PACER_CONF_PATH;
	if (cfg == NULL) {
		cfg_error(err, errlen, path, 0, "internal error");
		goto done;
	}

	/* An unchanged file parsed before in this process: no read, no parse.
	 * The checks below run on what stat() says now, as they would on an
	 * open file. */
	if (stat(path, &st) == 0 && cfg_check_stat(&st, path, NULL, 0) == 0 &&
	    cfg_cache_get(path, &st, cfg))
		return 0;

	/* No O_NOFOLLOW: configuration management often links the file. */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		cfg_error(err, errlen, path, 0, "cannot open: %s",
			  strerror(errno));
		goto done;
	}
	if (fstat(fd, &st) != 0) {
		cfg_error(err, errlen, path, 0, "cannot stat: %s",
			  strerror(errno));
		goto done;
	}
	if (cfg_check_stat(&st, path, err, errlen) != 0)
		goto done;

	/* One byte more than allowed, to see a file that grew meanwhile. */
	text = malloc(CFG_MAX_FILE + 1);
	if (text == NULL) {
		cfg_error(err, errlen, path, 0, "out of memory");
		goto done;
	}
	while (len < CFG_MAX_FILE + 1) {
		got = read(fd, text + len, CFG_MAX_FILE + 1 - len);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			cfg_error(err, errlen, path, 0, "cannot read: %s",
				  strerror(errno));
			goto done;
		}
		if (got == 0)
			break;
		len += (size_t)got;
	}
	if (len > CFG_MAX_FILE) {
		cfg_error(err, errlen, path, 0, "larger than %d bytes",
			  CFG_MAX_FILE);
		goto done;
	}
	result = cfg_parse_buffer(path, text, len, cfg, err, errlen);
	if (result == 0)
		cfg_cache_put(path, &st, cfg);

done:
	free(text);
	if (fd >= 0)
		(void)close(fd);
	return result;
}
