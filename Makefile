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
LOCALSTATEDIR ?= /var
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
# -z nodelete: pam_end() dlcloses the module; unloading libldap with it
# would lose libldap's and libsasl's process-wide initialisation at every
# handle, a leak in a long-lived host process.
$(MODULE): $(MODULE_OBJ) $(COMMON_OBJ) pam_module/pam_pacer.map
	$(CC) -shared -Wl,--version-script=pam_module/pam_pacer.map \
	    -Wl,-soname,pam_pacer.so -Wl,-z,nodelete $(ALL_LDFLAGS) -o $@ \
	    $(MODULE_OBJ) $(COMMON_OBJ) $(LDAP_LIBS) $(PAM_LIBS)

$(HELPER): $(HELPER_OBJ) $(COMMON_OBJ)
	$(CC) -pie $(ALL_LDFLAGS) -o $@ $(HELPER_OBJ) $(COMMON_OBJ) \
	    $(LDAP_LIBS) $(BSD_LIBS)

$(B)/tests/%: tests/unit/%.c $(wildcard tests/unit/*.h) $(COMMON_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Wno-missing-prototypes -pie $(ALL_LDFLAGS) -o $@ $< \
	    $(COMMON_OBJ) $(CMOCKA_LIBS) $(LDAP_LIBS)

# test_helper drives parts of cmecf-link (the answer reader, the
# environment clean), so it links their objects too.
HELPER_UNIT_OBJ := $(B)/helper/input.o $(B)/helper/privs.o
$(B)/tests/test_helper: tests/unit/test_helper.c $(wildcard tests/unit/*.h) \
    $(HELPER_UNIT_OBJ) $(COMMON_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Ihelper -Wno-missing-prototypes -pie $(ALL_LDFLAGS) \
	    -o $@ $< $(HELPER_UNIT_OBJ) $(COMMON_OBJ) $(CMOCKA_LIBS) \
	    $(LDAP_LIBS) $(BSD_LIBS)

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
	install -d -m 0700 $(DESTDIR)$(LOCALSTATEDIR)/lib/cmecf-link
	for m in $(MANPAGES); do \
	    s=$${m##*.}; install -m 0644 $$m $(DESTDIR)$(MANDIR)/man$$s/; done
	install -m 0644 ldap_schema/*.schema ldap_schema/*.ldif ldap_schema/README.md \
	    $(DESTDIR)$(DATADIR)/ldap_schema/
	if [ ! -e $(DESTDIR)$(SYSCONFDIR)/security/pam_pacer.conf ]; then \
	    install -m 0644 docs/pam_pacer.conf.example \
	        $(DESTDIR)$(SYSCONFDIR)/security/pam_pacer.conf; fi

clean:
	rm -rf $(B)

# ---- hardening: fuzz, sanitizers, static analysis ----
# docs/hardening.md says what each gate covers and how long it takes.
#
#   make fuzz [FUZZ_SECONDS=30]   libFuzzer targets (tests/fuzz/fuzz_*.c) into
#                                 build-fuzz/, each run on a copy of its corpus
#   make check-asan               the whole suite against an ASan+UBSan build
#                                 in build-asan/ (PACER_BUILD=build-asan)
#   make check-valgrind           unit tests (and the module / helper drivers
#                                 when present) under memcheck
#   make static                   cppcheck, clang-tidy, scan-build
.PHONY: fuzz fuzz-build check-asan check-valgrind static hardening-bins

FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 30
FUZZ_B       := build-fuzz
FUZZ_SAN     := -fsanitize=address,undefined -fno-sanitize-recover=undefined \
                -fno-omit-frame-pointer
FUZZ_SRC     := $(sort $(wildcard tests/fuzz/fuzz_*.c))

# gcc's runtime is a shared libasan.so on the default library path: the
# setuid helper loads it without LD_PRELOAD, and pamtester (not built with
# ASan) gets it through PACER_PRELOAD.
ASAN_CC      ?= gcc
ASAN_B       := build-asan
ASAN_SAN     := -fsanitize=address,undefined -fno-sanitize-recover=undefined \
                -fno-omit-frame-pointer
ASAN_ENV     := ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:detect_stack_use_after_return=1:strict_string_checks=1:check_initialization_order=1 \
                LSAN_OPTIONS=suppressions=$(CURDIR)/tests/static/lsan.supp:print_suppressions=0 \
                UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 PACER_TIME_SLACK=3

# Everything a suite may run, in whatever $(B) the sub-make was given.
hardening-bins: $(MODULE) $(HELPER) $(UNIT_BIN)

# The helper's answer reader is linked in for fuzz_helper_input.
$(B)/fuzz/%: tests/fuzz/%.c tests/fuzz/fuzz_common.h $(COMMON_OBJ) $(B)/helper/input.o
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Ihelper -fsanitize=fuzzer -o $@ $< $(COMMON_OBJ) \
	    $(B)/helper/input.o $(LDAP_LIBS) $(BSD_LIBS)

fuzz-build:
	@$(MAKE) --no-print-directory B=$(FUZZ_B) CC=$(FUZZ_CC) CFLAGS='-O1 -g' \
	    EXTRA_CFLAGS='-fsanitize=fuzzer-no-link $(FUZZ_SAN)' \
	    EXTRA_LDFLAGS='$(FUZZ_SAN)' \
	    $(FUZZ_SRC:tests/fuzz/%.c=$(FUZZ_B)/fuzz/%)

fuzz: fuzz-build
	@sh tests/fuzz/run.sh $(FUZZ_B)/fuzz $(FUZZ_SECONDS)

check-asan: deps
	@$(MAKE) --no-print-directory B=$(ASAN_B) CC=$(ASAN_CC) CFLAGS='-O1 -g' \
	    EXTRA_CFLAGS='$(ASAN_SAN)' EXTRA_LDFLAGS='$(ASAN_SAN)' \
	    hardening-bins
	@env PACER_BUILD=$(CURDIR)/$(ASAN_B) \
	    PACER_PRELOAD="$$($(ASAN_CC) -print-file-name=libasan.so)" \
	    $(ASAN_ENV) sh tests/run-all.sh

check-valgrind: deps
	@$(MAKE) --no-print-directory hardening-bins
	@sh tests/static/valgrind.sh $(B)

static: deps
	@sh tests/static/run.sh
# ---- end hardening ----
