#!/bin/sh
# tests/schema/t_schema.sh - ldap_schema/: the schema in both forms, the
# sample directory, the access rules and limits, against real slapd.
#
#     sh tests/schema/t_schema.sh
#
# Needs root (slapd on loopback and an ldapi socket in /tmp).
set -u
. "$(dirname "$0")/../lib.sh"
. "$T_TOP/tests/rig/rig.sh"

ARC=2.25.1064331634923141222101773841716589919
ARC_RE=$(printf '%s' "$ARC" | sed 's/\./\\./g')
S=$T_TOP/ldap_schema
J=uid=jattorney,ou=pacer,$RIG_BASE
M=uid=mlawyer,ou=pacer,$RIG_BASE
O=uid=oldtimer,ou=pacer,$RIG_BASE
J1=uid=jattorney1,ou=cmecf,cn=mnd,ou=courts,$RIG_BASE
M7=uid=mlawyer7,ou=cmecf,cn=mnd,ou=courts,$RIG_BASE
LOOKUP=$RIG_LOOKUP_DN
LINK=$RIG_LINK_DN

# Our attribute types and object classes as slapd publishes them in
# cn=Subschema at LDAPI-URI, one per line, whitespace normalised, sorted.
subschema_ours() {
	ldapsearch -LLL -o ldif-wrap=no -x -H "$1" -b cn=Subschema -s base \
		attributeTypes objectClasses 2>/dev/null |
		grep -F "( $ARC." | sed -e 's/[[:space:]][[:space:]]*/ /g' -e 's/ $//' | sort
}

# ldapsearch as DN with PW (DN "" = anonymous), no wrapping.
as() {
	_dn=$1; _pw=$2; shift 2
	if [ -z "$_dn" ]; then
		ldapsearch -LLL -o ldif-wrap=no -x -H "$RIG_LDAPI_URI" "$@" 2>/dev/null
	else
		ldapsearch -LLL -o ldif-wrap=no -x -H "$RIG_LDAPI_URI" -D "$_dn" -w "$_pw" "$@" 2>/dev/null
	fi
}

# ldapmodify as DN with PW, LDIF on stdin; prints the result code.
mod_as() {
	ldapmodify -x -H "$RIG_LDAPI_URI" -D "$1" -w "$2" >/dev/null 2>&1
	echo $?
}

count_dn() { grep -c '^dn:' || true; }

# ---------------------------------------------------------------- schema --

# 1. pacer.schema through a slapd.conf-style configuration.
CONFDIR=$(rig_mkdir) && rig_track_dir "$CONFDIR"
mkdir -p "$CONFDIR/db"
cat >"$CONFDIR/slapd.conf" <<EOF
include $RIG_SYS_SCHEMA/core.schema
include $RIG_SYS_SCHEMA/cosine.schema
include $RIG_SYS_SCHEMA/inetorgperson.schema
include $S/pacer.schema
pidfile $CONFDIR/slapd.pid
modulepath $RIG_MODULE_DIR
moduleload back_mdb
database mdb
suffix "$RIG_BASE"
directory $CONFDIR/db
rootdn "$RIG_ROOTDN"
rootpw conf-$(_rig_hex 8)
EOF
if slaptest -Q -u -f "$CONFDIR/slapd.conf" >/dev/null 2>&1; then
	t_ok "slaptest accepts a slapd.conf including pacer.schema"
else
	t_fail "slaptest accepts a slapd.conf including pacer.schema" \
		"$(slaptest -u -f "$CONFDIR/slapd.conf" 2>&1 | tail -3)"
fi
CONF_PID=
if rig_slapd_launch "$CONFDIR" -f "$CONFDIR/slapd.conf"; then
	CONF_PID=$LAUNCH_PID
	t_ok "slapd 2.5 starts with pacer.schema (slapd.conf)"
	FROM_SCHEMA=$(subschema_ours "$LAUNCH_LDAPI_URI")
else
	t_fail "slapd 2.5 starts with pacer.schema (slapd.conf)" "$(tail -5 "$CONFDIR/slapd.log")"
	FROM_SCHEMA=
fi

# 2. pacer.ldif through cn=config: the rig, which also loads the sample.
if rig_start; then
	t_ok "slapd 2.5 starts with pacer.ldif (cn=config), indexes, ACLs, sample"
else
	t_fail "slapd 2.5 starts with pacer.ldif (cn=config), indexes, ACLs, sample"
	exit 1
fi
FROM_LDIF=$(subschema_ours "$RIG_LDAPI_URI")

t_eq "pacer.schema defines 11 definitions in our arc" 11 \
	"$(printf '%s\n' "$FROM_SCHEMA" | grep -c "$ARC")"
t_eq "pacer.ldif defines 11 definitions in our arc" 11 \
	"$(printf '%s\n' "$FROM_LDIF" | grep -c "$ARC")"
if [ -n "$FROM_SCHEMA" ] && [ "$FROM_SCHEMA" = "$FROM_LDIF" ]; then
	t_ok "pacer.schema and pacer.ldif define the same types and classes"
else
	t_fail "pacer.schema and pacer.ldif define the same types and classes" \
		"$(printf '%s\n' "$FROM_SCHEMA" >"$RIG_DIR/a"; printf '%s\n' "$FROM_LDIF" >"$RIG_DIR/b";
		   diff "$RIG_DIR/a" "$RIG_DIR/b" | head -10)"
fi

# Every SPEC attribute: NAME OID-suffix SINGLE(yes/no) EQUALITY ORDERING SYNTAX
SYN=1.3.6.1.4.1.1466.115.121.1
while read -r name oid single eq ord syn; do
	def=$(printf '%s\n' "$FROM_LDIF" | grep -F "NAME '$name'")
	t_match "$name has OID $ARC.$oid" "^attributeTypes: \\( $ARC_RE\\.$(echo "$oid" | sed 's/\./\\./') NAME '$name' " "$def"
	t_match "$name has a DESC" " DESC '[^']+' " "$def"
	t_match "$name EQUALITY $eq" " EQUALITY $eq " "$def"
	if [ "$ord" = - ]; then
		t_nomatch "$name has no ORDERING" " ORDERING " "$def"
	else
		t_match "$name ORDERING $ord" " ORDERING $ord " "$def"
	fi
	t_match "$name SYNTAX $syn" " SYNTAX $SYN\\.$syn(\\{[0-9]+\\})? " "$def"
	if [ "$single" = yes ]; then
		t_match "$name is SINGLE-VALUE" " SINGLE-VALUE " "$def"
	else
		t_nomatch "$name is multi-valued" "SINGLE-VALUE" "$def"
	fi
done <<EOF
pacerAccountType 1.1 yes caseIgnoreMatch - 15
pacerUpgraded 1.2 yes booleanMatch - 7
pacerLinkedCmecf 1.3 no distinguishedNameMatch - 12
pacerCourtType 1.4 yes caseIgnoreMatch - 15
pacerNextGenGoLive 1.5 yes generalizedTimeMatch generalizedTimeOrderingMatch 24
cmecfLinkedPacer 1.6 yes distinguishedNameMatch - 12
cmecfLinkedTime 1.7 yes generalizedTimeMatch generalizedTimeOrderingMatch 24
cmecfLinkedBy 1.8 yes caseIgnoreMatch - 15
EOF

# Every SPEC class: NAME OID-suffix, then a pattern for the rest.
while read -r name oid rest; do
	def=$(printf '%s\n' "$FROM_LDIF" | grep -F "NAME '$name'")
	t_match "class $name is $ARC.$oid" "^objectClasses: \\( $ARC_RE\\.$(echo "$oid" | sed 's/\./\\./') NAME '$name' DESC '[^']+' " "$def"
	t_match "class $name: $rest" "$rest" "$def"
done <<'EOF'
pacerAccount 2.1 SUP top AUXILIARY MUST \( pacerAccountType \$ pacerUpgraded \) MAY pacerLinkedCmecf \)$
pacerCourt 2.2 SUP top STRUCTURAL MUST cn MAY \( pacerCourtType \$ pacerNextGenGoLive \$ description \) \)$
cmecfAccount 2.3 SUP top AUXILIARY MAY \( cmecfLinkedPacer \$ cmecfLinkedTime \$ cmecfLinkedBy \) \)$
EOF

# The server enforces it.
rc=$(printf '%s\n' "dn: cn=mnd,ou=courts,$RIG_BASE" changetype:\ modify add:\ pacerCourtType \
	"pacerCourtType: appellate" - | mod_as "$RIG_ROOTDN" "$RIG_ROOTPW")
t_eq "a second pacerCourtType is refused (single-valued)" 19 "$rc"
rc=$(printf '%s\n' "dn: uid=nopacer,ou=pacer,$RIG_BASE" changetype:\ add \
	objectClass:\ inetOrgPerson objectClass:\ pacerAccount uid:\ nopacer cn:\ X sn:\ X \
	pacerAccountType:\ individual | mod_as "$RIG_ROOTDN" "$RIG_ROOTPW")
t_eq "a pacerAccount without pacerUpgraded is refused" 65 "$rc"
rc=$(printf '%s\n' "dn: uid=jattorney,ou=pacer,$RIG_BASE" changetype:\ modify add:\ pacerLinkedCmecf \
	"pacerLinkedCmecf: not a dn" - | mod_as "$RIG_ROOTDN" "$RIG_ROOTPW")
t_eq "a pacerLinkedCmecf that is not a DN is refused" 21 "$rc"

# Indexes are in place (the mdb database's configuration).
idx=$(ldapsearch -LLL -o ldif-wrap=no -Q -Y EXTERNAL -H "$RIG_LDAPI_URI" \
	-b 'olcDatabase={1}mdb,cn=config' -s base olcDbIndex 2>/dev/null)
for a in uid cmecfLinkedPacer pacerLinkedCmecf objectClass; do
	t_match "equality index on $a" "^olcDbIndex: $a eq" "$idx"
done

# ---------------------------------------------------------------- sample --

NOW=$(date -u +%Y%m%d%H%M%SZ)
courts=$(rig_search -b "ou=courts,$RIG_BASE" '(objectClass=pacerCourt)' cn | sed -n 's/^cn: //p' | sort | tr '\n' ' ')
t_eq "sample: three courts" "cand miwb mnd " "$courts"
live=$(rig_search -b "ou=courts,$RIG_BASE" "(&(objectClass=pacerCourt)(pacerNextGenGoLive<=$NOW))" cn |
	sed -n 's/^cn: //p' | sort | tr '\n' ' ')
t_eq "sample: mnd and miwb are live, cand is not yet" "miwb mnd " "$live"
t_eq "sample: miwb is a bankruptcy court" "bankruptcy" \
	"$(rig_search -b "cn=miwb,ou=courts,$RIG_BASE" -s base pacerCourtType | sed -n 's/^pacerCourtType: //p')"
t_eq "sample: mnd is the District of Minnesota" "District of Minnesota" \
	"$(rig_search -b "cn=mnd,ou=courts,$RIG_BASE" -s base description | sed -n 's/^description: //p')"
for c in mnd miwb cand; do
	t_eq "sample: $c has ou=cmecf" 1 \
		"$(rig_search -b "ou=cmecf,cn=$c,ou=courts,$RIG_BASE" -s base dn | count_dn)"
done
t_eq "sample: four PACER accounts" 4 \
	"$(rig_search -b "ou=pacer,$RIG_BASE" '(objectClass=pacerAccount)' dn | count_dn)"
t_eq "sample: oldtimer alone is not upgraded" "oldtimer" \
	"$(rig_search -b "ou=pacer,$RIG_BASE" '(pacerUpgraded=FALSE)' uid | sed -n 's/^uid: //p')"
t_eq "sample: smithfirm alone is a firm account" "smithfirm" \
	"$(rig_search -b "ou=pacer,$RIG_BASE" '(pacerAccountType=firm)' uid | sed -n 's/^uid: //p')"
legacy=$(rig_search -b "ou=courts,$RIG_BASE" '(objectClass=cmecfAccount)' uid | sed -n 's/^uid: //p' | sort | tr '\n' ' ')
t_eq "sample: five legacy accounts" "jattorney1 jattorney2 jattorney3 mlawyer7 smithfirm1 " "$legacy"
t_eq "sample: nothing is linked" 0 \
	"$(rig_search -b "$RIG_BASE" '(|(cmecfLinkedPacer=*)(pacerLinkedCmecf=*))' dn | count_dn)"
cn_m=$(rig_search -b "$M" -s base cn | sed -n 's/^cn: //p')
cn_m7=$(rig_search -b "$M7" -s base cn | sed -n 's/^cn: //p')
t_eq "sample: mlawyer7's name" "Mary L. Smith" "$cn_m7"
if [ -n "$cn_m" ] && [ "$cn_m" != "$cn_m7" ]; then t_ok "sample: mlawyer7's name differs from mlawyer's"
else t_fail "sample: mlawyer7's name differs from mlawyer's" "[$cn_m] [$cn_m7]"; fi
t_eq "sample: jattorney1's name matches jattorney's" \
	"$(rig_search -b "$J" -s base cn | sed -n 's/^cn: //p')" \
	"$(rig_search -b "$J1" -s base cn | sed -n 's/^cn: //p')"
t_match "sample: passwords are stored hashed (ppolicy hashes cleartext)" '^userPassword:: e1NTSEF9' \
	"$(rig_search -b "$J" -s base userPassword)"
t_eq "sample: the default password policy does not lock out" FALSE \
	"$(rig_search -b "cn=default,ou=policies,$RIG_BASE" -s base pwdLockout | sed -n 's/^pwdLockout: //p')"

# ------------------------------------------------------------------ ACLs --

for who in "$J:$RIG_PACER_PW" "$J1:$RIG_ECF_PW" "$LOOKUP:$RIG_LOOKUP_PW" "$LINK:$RIG_LINK_PW"; do
	dn=${who%%:*}
	t_eq "bind as ${dn%%,*} with the sample password" "dn:$dn" \
		"$(ldapwhoami -x -H "$RIG_LDAPI_URI" -D "$dn" -w "${who#*:}" 2>/dev/null)"
done
ldapwhoami -x -H "$RIG_LDAPI_URI" -D "$J" -w wrong-password >/dev/null 2>&1
t_eq "a wrong password is refused" 49 $?

# userPassword: auth only.
t_nomatch "anonymous does not read userPassword" 'userPassword' "$(as "" "" -b "$J" -s base userPassword)"
t_nomatch "anonymous does not see PACER entries" '^dn:' "$(as "" "" -b "ou=pacer,$RIG_BASE" '(uid=*)' dn)"
t_nomatch "the look-up account does not read userPassword" 'userPassword' \
	"$(as "$LOOKUP" "$RIG_LOOKUP_PW" -b "$J" -s base userPassword)"
t_nomatch "the link account does not read userPassword" 'userPassword' \
	"$(as "$LINK" "$RIG_LINK_PW" -b "$J" -s base userPassword)"
own=$(as "$J" "$RIG_PACER_PW" -b "$J" -s base '*')
t_nomatch "a user does not read his own userPassword" 'userPassword' "$own"

# People read their own entry, and only theirs.
t_match "a user reads his own entry (mail)" '^mail: jattorney@' "$own"
t_match "a user reads his own entry (pacerUpgraded)" '^pacerUpgraded: TRUE' "$own"
t_nomatch "a user does not read another user's entry" '^dn:' "$(as "$J" "$RIG_PACER_PW" -b "$M" -s base)"
t_match "a legacy user reads his own entry" '^cn: John Attorney' "$(as "$J1" "$RIG_ECF_PW" -b "$J1" -s base cn)"
t_nomatch "a legacy user does not read a PACER entry" '^dn:' "$(as "$J1" "$RIG_ECF_PW" -b "$J" -s base)"

# The look-up account.
lk=$(as "$LOOKUP" "$RIG_LOOKUP_PW" -b "$J" -s base '*')
t_match "the look-up account base-searches a PACER entry" "^dn: $J" "$lk"
t_match "the look-up account reads pacerUpgraded" '^pacerUpgraded: TRUE' "$lk"
t_match "the look-up account reads pacerAccountType" '^pacerAccountType: individual' "$lk"
t_nomatch "the look-up account does not read mail" '^mail:' "$lk"
t_eq "the look-up account finds a PACER user by uid under ou=pacer" "dn: $J" \
	"$(as "$LOOKUP" "$RIG_LOOKUP_PW" -b "ou=pacer,$RIG_BASE" '(&(objectClass=pacerAccount)(uid=jattorney))' dn)"
t_eq "the look-up account finds a legacy account by uid under ou=courts" "dn: $M7" \
	"$(as "$LOOKUP" "$RIG_LOOKUP_PW" -b "ou=courts,$RIG_BASE" '(&(objectClass=cmecfAccount)(uid=mlawyer7))' dn)"
t_match "the look-up account reads a court's go-live" '^pacerNextGenGoLive: 20210614000000Z' \
	"$(as "$LOOKUP" "$RIG_LOOKUP_PW" -b "cn=mnd,ou=courts,$RIG_BASE" -s base pacerNextGenGoLive)"

# Courts.
t_match "an authenticated user reads a court entry" '^pacerCourtType: district' \
	"$(as "$J" "$RIG_PACER_PW" -b "cn=mnd,ou=courts,$RIG_BASE" -s base)"
t_eq "an authenticated user searches the courts" 3 \
	"$(as "$J" "$RIG_PACER_PW" -b "ou=courts,$RIG_BASE" '(objectClass=pacerCourt)' dn | count_dn)"
t_nomatch "anonymous does not read a court entry" '^dn:' \
	"$(as "" "" -b "cn=mnd,ou=courts,$RIG_BASE" -s base)"
t_nomatch "a user does not see other people's legacy accounts" '^dn:' \
	"$(as "$J" "$RIG_PACER_PW" -b "ou=courts,$RIG_BASE" '(uid=*)' dn)"

# Link attributes: only the link service account writes them.
link_pacer() {
	printf '%s\n' "dn: $J" "changetype: modify" "add: pacerLinkedCmecf" "pacerLinkedCmecf: $J1" -
}
link_legacy() {
	printf '%s\n' "dn: $J1" "changetype: modify" "add: cmecfLinkedPacer" "cmecfLinkedPacer: $J" - \
		"add: cmecfLinkedTime" "cmecfLinkedTime: $NOW" - "add: cmecfLinkedBy" \
		"cmecfLinkedBy: uid=0 tty=/dev/pts/0 host=test" -
}
t_eq "a PACER user cannot write his pacerLinkedCmecf" 50 "$(link_pacer | mod_as "$J" "$RIG_PACER_PW")"
t_eq "a legacy user cannot write his cmecfLinkedPacer" 50 "$(link_legacy | mod_as "$J1" "$RIG_ECF_PW")"
t_eq "the look-up account cannot write pacerLinkedCmecf" 50 "$(link_pacer | mod_as "$LOOKUP" "$RIG_LOOKUP_PW")"
t_eq "a PACER user cannot write his pacerUpgraded" 50 \
	"$(printf '%s\n' "dn: $O" changetype:\ modify replace:\ pacerUpgraded pacerUpgraded:\ TRUE - |
	   mod_as "$O" "$RIG_PACER_PW")"
t_eq "nothing was linked by those attempts" 0 \
	"$(rig_search -b "$RIG_BASE" '(|(cmecfLinkedPacer=*)(pacerLinkedCmecf=*))' dn | count_dn)"
t_eq "the link service account writes pacerLinkedCmecf" 0 "$(link_pacer | mod_as "$LINK" "$RIG_LINK_PW")"
t_eq "the link service account writes cmecfLinkedPacer, Time, By" 0 "$(link_legacy | mod_as "$LINK" "$RIG_LINK_PW")"
t_eq "the link is in the directory" "cmecfLinkedPacer: $J" \
	"$(rig_search -b "$J1" -s base cmecfLinkedPacer | grep '^cmecfLinkedPacer')"
t_eq "the link service account cannot write cn" 50 \
	"$(printf '%s\n' "dn: $J" changetype:\ modify replace:\ cn cn:\ Someone\ Else - | mod_as "$LINK" "$RIG_LINK_PW")"
t_eq "the link service account cannot write userPassword" 50 \
	"$(printf '%s\n' "dn: $J" changetype:\ modify replace:\ userPassword userPassword:\ x - | mod_as "$LINK" "$RIG_LINK_PW")"
t_eq "the link service account cannot delete an entry" 50 \
	"$(printf '%s\n' "dn: $M7" changetype:\ delete | mod_as "$LINK" "$RIG_LINK_PW")"
t_match "the link service account reads everything under the base (mail)" '^mail: mlawyer@' \
	"$(as "$LINK" "$RIG_LINK_PW" -b "$M" -s base mail)"
t_match "the link service account reads the services" "^dn: $LOOKUP" \
	"$(as "$LINK" "$RIG_LINK_PW" -b "ou=services,$RIG_BASE" '(objectClass=*)' dn)"
t_match "the look-up account reads the link" "^pacerLinkedCmecf: $J1" \
	"$(as "$LOOKUP" "$RIG_LOOKUP_PW" -b "$J" -s base pacerLinkedCmecf)"
t_match "a PACER user reads his own pacerLinkedCmecf" "^pacerLinkedCmecf: $J1" \
	"$(as "$J" "$RIG_PACER_PW" -b "$J" -s base pacerLinkedCmecf)"

# The legacy entry is readable by the PACER user it names, and by nobody else.
mine=$(as "$J" "$RIG_PACER_PW" -b "$J1" -s base uid cn cmecfLinkedPacer cmecfLinkedTime mail)
t_match "a PACER user reads his linked legacy entry's uid" '^uid: jattorney1$' "$mine"
t_match "a PACER user reads his linked legacy entry's cn" '^cn: John Attorney$' "$mine"
t_match "a PACER user reads his linked legacy entry's cmecfLinkedPacer" "^cmecfLinkedPacer: $J" "$mine"
t_nomatch "... but not its other attributes" '^(cmecfLinkedTime|mail):' "$mine"
t_eq "a PACER user finds his linked legacy account by cmecfLinkedPacer" "dn: $J1" \
	"$(as "$J" "$RIG_PACER_PW" -b "ou=courts,$RIG_BASE" "(cmecfLinkedPacer=$J)" dn)"
t_nomatch "another PACER user does not read it" '^dn:' "$(as "$M" "$RIG_PACER_PW" -b "$J1" -s base)"
t_nomatch "a PACER user does not read an unlinked legacy entry" '^dn:' "$(as "$J" "$RIG_PACER_PW" -b "$M7" -s base)"

# Password Modify: by self, with the old password; not by anyone else.
t_match "a user cannot change another user's password" 'Insufficient access \(50\)' \
	"$(ldappasswd -x -H "$RIG_LDAPI_URI" -D "$M" -w "$RIG_PACER_PW" -s New-Pw-0 "$O" 2>&1)"
t_match "... nor with the old password given" 'unwilling to verify old password|Insufficient access' \
	"$(ldappasswd -x -H "$RIG_LDAPI_URI" -D "$M" -w "$RIG_PACER_PW" -a "$RIG_PACER_PW" -s New-Pw-0 "$O" 2>&1)"
t_eq "... and the password is unchanged" "dn:$O" \
	"$(ldapwhoami -x -H "$RIG_LDAPI_URI" -D "$O" -w "$RIG_PACER_PW" 2>/dev/null)"
ldappasswd -x -H "$RIG_LDAPI_URI" -D "$O" -w "$RIG_PACER_PW" -a "$RIG_PACER_PW" -s New-Pw-1 >/dev/null 2>&1
t_eq "a user changes his password (Password Modify, old password given)" 0 $?
t_eq "the new password binds" "dn:$O" "$(ldapwhoami -x -H "$RIG_LDAPI_URI" -D "$O" -w New-Pw-1 2>/dev/null)"
ldapwhoami -x -H "$RIG_LDAPI_URI" -D "$O" -w "$RIG_PACER_PW" >/dev/null 2>&1
t_eq "the old password no longer binds" 49 $?

# --------------------------------------------------- ppolicy-lockout.ldif --

sed "s/dc=courts,dc=test/$RIG_BASE/g" "$S/ppolicy-lockout.ldif" >"$RIG_DIR/lockout.ldif"
rig_ldapadd "$RIG_DIR/lockout.ldif" >/dev/null 2>&1
t_eq "ppolicy-lockout.ldif loads" 0 $?
LK=uid=lockme,ou=pacer,$RIG_BASE
printf 'dn: %s\nobjectClass: inetOrgPerson\nobjectClass: pacerAccount\nuid: lockme\ncn: Lock Me\nsn: Me\npacerAccountType: individual\npacerUpgraded: TRUE\nuserPassword: %s\npwdPolicySubentry: cn=lockout,ou=policies,%s\n\n' \
	"$LK" "$RIG_PACER_PW" "$RIG_BASE" | rig_ldapadd - >/dev/null 2>&1
t_eq "an account under the lockout policy is added" 0 $?
max=$(sed -n 's/^pwdMaxFailure: //p' "$S/ppolicy-lockout.ldif")
t_eq "the example locks after 10 failures" 10 "$max"
i=0
while [ "$i" -lt "$max" ]; do
	ldapwhoami -x -H "$RIG_LDAPI_URI" -D "$LK" -w WRONG >/dev/null 2>&1
	i=$((i + 1))
done
out=$(ldapwhoami -x -H "$RIG_LDAPI_URI" -e ppolicy -D "$LK" -w "$RIG_PACER_PW" 2>&1)
t_match "after pwdMaxFailure wrong binds, the right password is refused: locked" \
	"[Aa]ccount locked" "$out"

# ---------------------------------------------------------------- limits --

# 600 more legacy accounts in cand: more than slapd's default 500.
i=1
while [ "$i" -le 600 ]; do
	printf 'dn: uid=bulk%03d,ou=cmecf,cn=cand,ou=courts,%s\nobjectClass: inetOrgPerson\nobjectClass: cmecfAccount\nuid: bulk%03d\ncn: Bulk %03d\nsn: Bulk\n\n' \
		"$i" "$RIG_BASE" "$i" "$i"
	i=$((i + 1))
done >"$RIG_DIR/bulk.ldif"
rig_ldapadd "$RIG_DIR/bulk.ldif" >/dev/null 2>&1
t_eq "600 generated legacy accounts added" 0 $?
CAND="ou=cmecf,cn=cand,ou=courts,$RIG_BASE"
n=$(as "$LINK" "$RIG_LINK_PW" -E pr=100/noprompt -b "$CAND" '(objectClass=cmecfAccount)' dn | count_dn)
t_eq "the link account reads all 601 with paged results" 601 "$n"
n=$(as "$LINK" "$RIG_LINK_PW" -b "$CAND" '(objectClass=cmecfAccount)' dn | count_dn)
t_eq "the link account reads all 601 without paging too" 601 "$n"
ldapsearch -LLL -x -H "$RIG_LDAPI_URI" -D "$LOOKUP" -w "$RIG_LOOKUP_PW" \
	-b "$CAND" '(objectClass=cmecfAccount)' dn >"$RIG_DIR/lookup.out" 2>&1
t_eq "the look-up account stops at the default size limit" 4 $?
t_le "the look-up account got at most 500" "$(count_dn <"$RIG_DIR/lookup.out")" 500
n=$(as "$LOOKUP" "$RIG_LOOKUP_PW" -E pr=100/noprompt -b "$CAND" '(objectClass=cmecfAccount)' dn | count_dn)
t_le "paging does not lift the look-up account's limit" "$n" 500

# ------------------------------------------------------------- shutdown --

PIDS="$CONF_PID $RIG_PID"
DIRS="$CONFDIR $RIG_DIR"
t_eq "two servers were running" 2 "$(rig_pids | wc -l | tr -d ' ')"
rig_stop_all
left=""
for p in $PIDS; do
	[ -n "$p" ] && [ -d "/proc/$p" ] && left="$left $p"
done
t_eq "every slapd started here is stopped" "" "$left"
t_eq "no rig directory of this suite is left" "" \
	"$(for d in $DIRS; do [ -e "$d" ] && echo "$d"; done)"
[ "$T_FAILS" -eq 0 ]
