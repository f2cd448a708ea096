#!/bin/sh
# Installs the Debian packages that building, testing and the demo need,
# and says which ones it installs. Needs root only when something is missing.
set -eu

PACKAGES="gcc make pkg-config libc6-dev libldap-dev libpam0g-dev libbsd-dev
libcmocka-dev slapd ldap-utils pamtester libpam-wrapper libpam-modules
openssl mandoc valgrind util-linux procps iproute2 clang
clang-tools clang-tidy cppcheck libclang-rt-14-dev"

missing=""
for p in $PACKAGES; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
		missing="$missing $p"
	fi
done

if [ -z "$missing" ]; then
	echo "deps: every package is installed"
	exit 0
fi

echo "deps: installing from Debian:$missing"
if [ "$(id -u)" != 0 ]; then
	echo "deps: run as root (or install these packages) first" >&2
	exit 1
fi

# Debian's slapd package would start its own system server; the tests run
# their own private ones, so keep the package's service from starting.
policy=/usr/sbin/policy-rc.d
made_policy=no
if [ ! -e "$policy" ]; then
	printf '#!/bin/sh\nexit 101\n' > "$policy"
	chmod 0755 "$policy"
	made_policy=yes
fi
cleanup() { [ "$made_policy" = yes ] && rm -f "$policy"; return 0; }
trap cleanup EXIT

export DEBIAN_FRONTEND=noninteractive
apt-get update -q >/dev/null
# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends $missing
echo "deps: done"
