/*
 * fuzz_account.c - the record builders on entries a hostile or broken
 * server could send. The input is a list of records separated by '\n':
 * the first record is the entry's DN; in each later one the first byte
 * picks an attribute name and the rest (NUL bytes included) is one value
 * of it, served both through an acct_getter and as a struct dir_entry
 * (dir.h) handed to acct_*_from_entry, as a server's entry would be.
 * Every value is also fed to gtime_parse, whose results must format and
 * parse back to the same instant.
 */
#include <stdbool.h>
#include <time.h>

#include "account.h"
#include "fuzz_common.h"

static const char *const fz_attrs[] = {
	"uid", "cn", "pacerAccountType", "pacerUpgraded", "pacerLinkedCmecf",
	"pacerCourtType", "pacerNextGenGoLive", "description",
	"cmecfLinkedPacer", "cmecfLinkedTime", "cmecfLinkedBy",
};
#define FZ_N_ATTRS (sizeof(fz_attrs) / sizeof(fz_attrs[0]))
#define FZ_MAX_VALS 300		/* more links than there are courts */
#define FZ_LINKED 4		/* index of "pacerLinkedCmecf" above */

struct fz_entry {
	struct berval vals[FZ_N_ATTRS][FZ_MAX_VALS];
	struct berval *ptrs[FZ_N_ATTRS][FZ_MAX_VALS + 1];
	size_t n[FZ_N_ATTRS];
};

/* The getter: the values carved for NAME (NULL-terminated, owned by the
 * entry), or NULL when the input gave none. */
static struct berval **fz_get(void *ctx, const char *name)
{
	struct fz_entry *e = ctx;
	size_t a, i;

	for (a = 0; a < FZ_N_ATTRS; a++) {
		if (strcmp(fz_attrs[a], name) != 0)
			continue;
		if (e->n[a] == 0)
			return NULL;
		for (i = 0; i < e->n[a]; i++)
			e->ptrs[a][i] = &e->vals[a][i];
		e->ptrs[a][e->n[a]] = NULL;
		return e->ptrs[a];
	}
	FZ_CHECK(!"a builder asked for an attribute it does not request");
	return NULL;
}

/* Fills D (backed by ATTRS) with E's values as an entry DN would carry
 * them: one attribute per name the input gave values to. */
static void fz_entry(struct fz_entry *e, const char *dn, struct dir_attr *attrs,
		     struct dir_entry *d)
{
	size_t a;

	d->dn = dn;
	d->attrs = attrs;
	d->n_attrs = 0;
	for (a = 0; a < FZ_N_ATTRS; a++) {
		struct berval **v = fz_get(e, fz_attrs[a]);

		if (v == NULL)
			continue;
		attrs[d->n_attrs].name = fz_attrs[a];
		attrs[d->n_attrs].vals = v;
		d->n_attrs++;
	}
}

/* The builders on the entry D must agree with the getter's results. */
static void fz_from_entry(const struct dir_entry *d, int pacer_rc,
			  int court_rc, int cmecf_rc)
{
	struct pacer_account pa;
	struct pacer_court pc;
	struct cmecf_account ca;

	FZ_CHECK((acct_pacer_from_entry(d, &pa) == 0) == (pacer_rc == 0));
	acct_pacer_free(&pa);
	FZ_CHECK((acct_court_from_entry(d, &pc) == 0) == (court_rc == 0));
	acct_court_free(&pc);
	FZ_CHECK((acct_cmecf_from_entry(d, &ca) == 0) == (cmecf_rc == 0));
	acct_cmecf_free(&ca);
	FZ_CHECK(!acct_entry_has_class(d, "pacerAccount"));
}

/* True when NAME is in the NULL-terminated list ATTRS. */
static bool fz_listed(char *const *attrs, const char *name)
{
	size_t i;

	for (i = 0; attrs[i] != NULL; i++)
		if (strcmp(attrs[i], name) == 0)
			return true;
	return false;
}

/* gtime_parse on TEXT; what parses must survive format and parse again. */
static void fz_gtime(const char *text)
{
	time_t t, again;
	char buf[64];

	if (gtime_parse(text, &t) != 0)
		return;
	/* Years 1000-9999, offsets +/- a day: gtime_format writes %Y, which
	 * glibc does not pad to four digits below year 1000 (only the current
	 * time is ever formatted, so that range is left out on purpose). */
	if (t < -30610224000 + 86400 || t > 253402300799 - 86400)
		return;
	gtime_format(t, buf, sizeof(buf));
	FZ_CHECK(gtime_parse(buf, &again) == 0);
	FZ_CHECK(again == t);
	gtime_format_human(t, buf, sizeof(buf));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct fz_entry e;	/* large; zeroed for each input */
	struct pacer_account pa;
	struct pacer_court pc;
	struct cmecf_account ca;
	struct cfg cfg;
	struct dir_attr attrs[FZ_N_ATTRS];
	struct dir_entry d;
	const uint8_t *p = data, *end = data + size;
	char *dn = NULL;
	bool first = true;
	int pacer_rc, court_rc, cmecf_rc;
	size_t a;

	memset(&e, 0, sizeof(e));
	while (p < end || first) {
		const uint8_t *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl != NULL ? (size_t)(nl - p) : (size_t)(end - p);

		if (first) {
			dn = fz_strndup(p, n);
			first = false;
		} else if (n > 0) {
			a = p[0] % FZ_N_ATTRS;
			if (e.n[a] < FZ_MAX_VALS) {
				e.vals[a][e.n[a]].bv_val = (char *)p + 1;
				e.vals[a][e.n[a]].bv_len = n - 1;
				e.n[a]++;
			}
			{
				char *s = fz_strndup(p + 1, n - 1);

				fz_gtime(s);
				free(s);
			}
		}
		p = nl != NULL ? nl + 1 : end;
	}

	/* The attribute lists cover what the builders read. */
	for (a = 0; a < FZ_N_ATTRS; a++)
		FZ_CHECK(fz_listed(acct_pacer_attrs, fz_attrs[a]) ||
			 fz_listed(acct_court_attrs, fz_attrs[a]) ||
			 fz_listed(acct_cmecf_attrs, fz_attrs[a]));

	memset(&cfg, 0, sizeof(cfg));
	cfg.courts_base = "ou=courts,dc=courts,dc=test";
	cfg.pacer_base = "ou=pacer,dc=courts,dc=test";

	pacer_rc = acct_pacer_build(dn, fz_get, &e, &pa);
	if (pacer_rc == 0) {
		FZ_CHECK(pa.dn != NULL && strcmp(pa.dn, dn) == 0);
		FZ_CHECK(pa.uid != NULL && pa.cn != NULL);
		/* Every link is kept: none is dropped, however many. */
		FZ_CHECK(pa.n_linked == e.n[FZ_LINKED]);
		FZ_CHECK(pa.upgraded >= -1 && pa.upgraded <= 1);
		(void)acct_type_name(pa.type);
		(void)acct_pacer_link_in(&pa, &cfg, "mnd");
		acct_pacer_free(&pa);
	} else {
		FZ_CHECK(pa.dn == NULL && pa.uid == NULL && pa.n_linked == 0);
	}
	acct_pacer_free(&pa);

	court_rc = acct_court_build(dn, fz_get, &e, &pc);
	if (court_rc == 0) {
		FZ_CHECK(pc.id != NULL);
		(void)court_type_name(pc.type);
		if (!pc.scheduled)
			FZ_CHECK(!court_is_live(&pc, time(NULL)));
		acct_court_free(&pc);
	} else {
		FZ_CHECK(pc.dn == NULL && pc.id == NULL);
	}
	acct_court_free(&pc);

	cmecf_rc = acct_cmecf_build(dn, fz_get, &e, &ca);
	if (cmecf_rc == 0) {
		FZ_CHECK(ca.uid != NULL && ca.cn != NULL);
		acct_cmecf_free(&ca);
	} else {
		FZ_CHECK(ca.dn == NULL && ca.uid == NULL && ca.cn == NULL);
	}
	acct_cmecf_free(&ca);

	fz_entry(&e, dn, attrs, &d);
	fz_from_entry(&d, pacer_rc, court_rc, cmecf_rc);

	fz_gtime(dn);
	free(dn);
	return 0;
}
