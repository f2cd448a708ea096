/*
 * floor.c - the least a login can cost with libldap over a transport:
 *
 *   floor -H URI [-Z] [-C CAFILE] -b PACER_BASE -P PASSWORD -u USERS
 *         [-n COUNT] [-w WORKERS] [-W WARMUP] [-o LATFILE] [-l LABEL]
 *
 * Each login: ldap_initialize, the options pam_pacer sets on its own
 * handle (LDAPv3, no referrals, timeouts; for TLS: demand, CAFILE, TLS 1.2
 * minimum and a TLS context of the handle's own), StartTLS with -Z (ldaps
 * handshakes on connect), a simple bind as uid=USER,PACER_BASE, WhoAmI, a
 * base read of the entry, unbind. See harness.h for the output.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <ldap.h>

#include "harness.h"

struct fl_ctx {
	const char *uri;
	const char *cafile;
	const char *pacer_base;
	const char *password;
	bool starttls;
	bool tls;
};

static char *fl_attrs[] = { "uid", "cn", "pacerAccountType", "pacerUpgraded",
			    "pacerLinkedCmecf", NULL };

/* Sets the handle's options as the module does; 0 or -1. */
static int fl_options(LDAP *ld, const struct fl_ctx *ctx)
{
	int version = LDAP_VERSION3, demand = LDAP_OPT_X_TLS_DEMAND, zero = 0;
	int min_proto = LDAP_OPT_X_TLS_PROTOCOL_TLS1_2;
	struct timeval net = { 2, 0 }, op = { 2, 0 };

	if (ldap_set_option(ld, LDAP_OPT_PROTOCOL_VERSION, &version) != 0 ||
	    ldap_set_option(ld, LDAP_OPT_REFERRALS, LDAP_OPT_OFF) != 0 ||
	    ldap_set_option(ld, LDAP_OPT_NETWORK_TIMEOUT, &net) != 0 ||
	    ldap_set_option(ld, LDAP_OPT_TIMEOUT, &op) != 0)
		return -1;
	if (!ctx->tls)
		return 0;
	if (ldap_set_option(ld, LDAP_OPT_X_TLS_REQUIRE_CERT, &demand) != 0 ||
	    ldap_set_option(ld, LDAP_OPT_X_TLS_CACERTFILE, ctx->cafile) != 0 ||
	    ldap_set_option(ld, LDAP_OPT_X_TLS_PROTOCOL_MIN, &min_proto) != 0 ||
	    ldap_set_option(ld, LDAP_OPT_X_TLS_NEWCTX, &zero) != 0)
		return -1;
	return 0;
}

static int fl_login(const void *ctx_v, const char *user, char *why,
		    size_t why_len)
{
	const struct fl_ctx *ctx = ctx_v;
	LDAP *ld = NULL;
	LDAPMessage *res = NULL;
	struct berval cred, *authzid = NULL;
	char dn[512];
	int rc, result = -1;
	const char *step = "ldap_initialize";

	if (snprintf(dn, sizeof(dn), "uid=%s,%s", user, ctx->pacer_base) >=
	    (int)sizeof(dn)) {
		(void)snprintf(why, why_len, "DN too long");
		return -1;
	}
	rc = ldap_initialize(&ld, ctx->uri);
	if (rc != LDAP_SUCCESS)
		goto done;
	step = "options";
	if (fl_options(ld, ctx) != 0) {
		rc = LDAP_OTHER;
		goto done;
	}
	if (ctx->starttls) {
		step = "StartTLS";
		rc = ldap_start_tls_s(ld, NULL, NULL);
		if (rc != LDAP_SUCCESS)
			goto done;
	}
	step = "bind";
	cred.bv_val = (char *)ctx->password;
	cred.bv_len = strlen(ctx->password);
	rc = ldap_sasl_bind_s(ld, dn, LDAP_SASL_SIMPLE, &cred, NULL, NULL, NULL);
	if (rc != LDAP_SUCCESS)
		goto done;
	step = "WhoAmI";
	rc = ldap_whoami_s(ld, &authzid, NULL, NULL);
	if (rc != LDAP_SUCCESS)
		goto done;
	if (authzid == NULL || authzid->bv_len < 3 ||
	    strncasecmp(authzid->bv_val + 3, dn, authzid->bv_len - 3) != 0) {
		rc = LDAP_OTHER;
		goto done;
	}
	step = "read";
	rc = ldap_search_ext_s(ld, dn, LDAP_SCOPE_BASE, "(objectClass=*)",
			       fl_attrs, 0, NULL, NULL, NULL, 1, &res);
	if (rc != LDAP_SUCCESS)
		goto done;
	if (ldap_count_entries(ld, res) != 1) {
		rc = LDAP_NO_SUCH_OBJECT;
		goto done;
	}
	result = 0;
done:
	if (result != 0)
		(void)snprintf(why, why_len, "%s: %s", step, ldap_err2string(rc));
	if (res != NULL)
		(void)ldap_msgfree(res);
	if (authzid != NULL)
		ber_bvfree(authzid);
	if (ld != NULL)
		(void)ldap_unbind_ext_s(ld, NULL, NULL);
	return result;
}

static void fl_usage(void)
{
	fprintf(stderr, "usage: floor -H URI [-Z] [-C CAFILE] -b PACER_BASE "
		"-P PASSWORD -u USERS [-n COUNT] [-w WORKERS] [-W WARMUP] "
		"[-o LATFILE] [-l LABEL] [-S SEED]\n");
}

int main(int argc, char **argv)
{
	struct fl_ctx ctx = { NULL, NULL, NULL, NULL, false, false };
	struct bh_opts o;
	int ch;

	bh_defaults(&o);
	while ((ch = getopt(argc, argv, "H:ZC:b:P:" BH_OPTSTRING)) != -1) {
		switch (ch) {
		case 'H': ctx.uri = optarg; break;
		case 'Z': ctx.starttls = true; break;
		case 'C': ctx.cafile = optarg; break;
		case 'b': ctx.pacer_base = optarg; break;
		case 'P': ctx.password = optarg; break;
		default:
			if (bh_option(&o, ch, optarg) != 1) {
				fl_usage();
				return 2;
			}
		}
	}
	if (ctx.uri == NULL || ctx.pacer_base == NULL || ctx.password == NULL ||
	    optind != argc) {
		fl_usage();
		return 2;
	}
	ctx.tls = ctx.starttls || strncasecmp(ctx.uri, "ldaps:", 6) == 0;
	if (ctx.tls && ctx.cafile == NULL) {
		fprintf(stderr, "a TLS transport needs -C CAFILE\n");
		return 2;
	}
	return bh_run(&o, fl_login, &ctx);
}
