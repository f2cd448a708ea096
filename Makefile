# pam_pacer - one non-recursive Makefile.
#
#   make            build build/pam_pacer.so and build/cmecf-link
#   make check      install missing Debian packages, build, run every suite
#   make demo       build, start a throwaway slapd with the sample directory,
#                   log a sample user in, link a legacy account, stop
#   make install    DESTDIR, PREFIX honoured; needs root for the setuid bit
#   make deps       install the missing Debian packages (says which)
#   make bench      benchmarks (bench/)

PREFIX     ?= /usr
SBINDIR    ?= $(PREFIX)/sbin
MANDIR     ?= $(PREFIX)/share/man
DATADIR    ?= $(PREFIX)/share/pam_pacer
SYSCONFDIR ?= /etc
MULTIARCH  := $(shell $(CC) -print-multiarch 2>/dev/null)
PAMDIR     ?= /lib/$(MULTIARCH)/security
DESTDIR    ?=

CC         ?= cc
PKG_CONFIG ?= pkg-config
B          := build

PKGS       := ldap lber pam
LIB_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(PKGS) libbsd 2>/dev/null)
LDAP_LIBS  := $(shell $(PKG_CONFIG) --libs ldap lber 2>/dev/null || echo -lldap -llber)
PAM_LIBS   := $(shell $(PKG_CONFIG) --libs pam 2>/dev/null || echo -lpam)
BSD_LIBS   := $(shell $(PKG_CONFIG) --libs libbsd 2>/dev/null || echo -lbsd)
CMOCKA_LIBS := $(shell $(PKG_CONFIG) --libs cmocka 2>/dev/null || echo -lcmocka)

CFLAGS     ?= -O2 -g
WARN       := -Wall -Wextra -Werror -Wformat=2 -Wformat-security -Wshadow \
              -Wstrict-prototypes -Wmissing-prototypes -Wpointer-arith \
              -Wvla -Wno-unused-parameter
HARDEN     := -U_FORTIFY_SOURCE -D_FORTIFY_SOURCE=2 -fstack-protector-strong \
              -fstack-clash-protection -fno-strict-overflow -fno-delete-null-pointer-checks
ALL_CFLAGS := -std=gnu11 -D_GNU_SOURCE $(WARN) $(HARDEN) -fPIC \
              -Icommon $(LIB_CFLAGS) $(EXTRA_CFLAGS) $(CFLAGS)
RELRO      := -Wl,-z,relro -Wl,-z,now -Wl,-z,noexecstack -Wl,--as-needed
ALL_LDFLAGS := $(RELRO) $(EXTRA_LDFLAGS) $(LDFLAGS)

COMMON_SRC := $(sort $(wildcard common/*.c))
MODULE_SRC := $(sort $(wildcard pam_module/*.c))
HELPER_SRC := $(sort $(wildcard helper/*.c))
UNIT_SRC   := $(sort $(wildcard tests/unit/test_*.c))

COMMON_OBJ := $(COMMON_SRC:%.c=$(B)/%.o)
MODULE_OBJ := $(MODULE_SRC:%.c=$(B)/%.o)
HELPER_OBJ := $(HELPER_SRC:%.c=$(B)/%.o)
UNIT_BIN   := $(UNIT_SRC:tests/unit/%.c=$(B)/tests/%)

MODULE     := $(B)/pam_pacer.so
HELPER     := $(B)/cmecf-link
MANPAGES   := $(wildcard docs/*.[0-9])

.PHONY: all check check-unit check-man demo deps install clean bench
all: $(MODULE) $(HELPER)

$(B)/%.o: %.c $(wildcard common/*.h pam_module/*.h helper/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

# The module exports only the pam_sm_* entry points (pam_module/pam_pacer.map).
$(MODULE): $(MODULE_OBJ) $(COMMON_OBJ) pam_module/pam_pacer.map
	$(CC) -shared -Wl,--version-script=pam_module/pam_pacer.map \
	    -Wl,-soname,pam_pacer.so $(ALL_LDFLAGS) -o $@ \
	    $(MODULE_OBJ) $(COMMON_OBJ) $(LDAP_LIBS) $(PAM_LIBS)

$(HELPER): $(HELPER_OBJ) $(COMMON_OBJ)
	$(CC) -pie $(ALL_LDFLAGS) -o $@ $(HELPER_OBJ) $(COMMON_OBJ) \
	    $(LDAP_LIBS) $(BSD_LIBS)

$(B)/tests/%: tests/unit/%.c $(COMMON_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Wno-missing-prototypes -pie $(ALL_LDFLAGS) -o $@ $< \
	    $(COMMON_OBJ) $(CMOCKA_LIBS) $(LDAP_LIBS)

deps:
	@sh tests/deps.sh

# Every suite, one summary line "N passed, M failed" at the end.
# Parts that need root (setuid copies, mount namespaces) say so in tests/.
check: deps
	@$(MAKE) --no-print-directory all $(UNIT_BIN)
	@sh tests/run-all.sh

demo: deps
	@$(MAKE) --no-print-directory all
	@sh tests/demo.sh

bench: deps
	@$(MAKE) --no-print-directory all
	@sh bench/run.sh

# chown before chmod: chown clears the setuid bit.
install: all
	install -d $(DESTDIR)$(PAMDIR) $(DESTDIR)$(SBINDIR) \
	    $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(MANDIR)/man8 \
	    $(DESTDIR)$(DATADIR)/ldap_schema $(DESTDIR)$(SYSCONFDIR)/security
	install -m 0644 $(MODULE) $(DESTDIR)$(PAMDIR)/pam_pacer.so
	install -m 0755 $(HELPER) $(DESTDIR)$(SBINDIR)/cmecf-link
	chown root:root $(DESTDIR)$(SBINDIR)/cmecf-link
	chmod 4755 $(DESTDIR)$(SBINDIR)/cmecf-link
	for m in $(MANPAGES); do \
	    s=$${m##*.}; install -m 0644 $$m $(DESTDIR)$(MANDIR)/man$$s/; done
	install -m 0644 ldap_schema/*.schema ldap_schema/*.ldif ldap_schema/README.md \
	    $(DESTDIR)$(DATADIR)/ldap_schema/
	if [ ! -e $(DESTDIR)$(SYSCONFDIR)/security/pam_pacer.conf ]; then \
	    install -m 0644 docs/pam_pacer.conf.example \
	        $(DESTDIR)$(SYSCONFDIR)/security/pam_pacer.conf; fi

clean:
	rm -rf $(B)
