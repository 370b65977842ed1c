#!/usr/bin/env bash
# Installs what building, running and testing Majlis needs on Debian 12, and keeps tzdata current
# (Morocco's clock rules change at short notice). Usage: scripts/deps.sh [run|test]
set -euo pipefail
cd "$(dirname "$0")/.."

what=${1:-run}
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
	SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive

run_pkgs=(build-essential cmake pkg-config tzdata ca-certificates
	libwebsockets-dev libical-dev libjson-c-dev libsqlite3-dev libssl-dev libcurl4-openssl-dev
	libqrencode-dev zlib1g-dev libbrotli-dev sqlite3 openssl curl)
test_pkgs=(libcmocka-dev python3 python3-icalendar python3-brotli clang clang-format libclang-rt-14-dev zbar-tools
	librsvg2-bin chromium)

pkgs=("${run_pkgs[@]}")
if [ "$what" = "test" ]; then
	pkgs+=("${test_pkgs[@]}")
fi
# node and npm: the pages' browser libraries are installed from npm (scripts/web_vendor.sh), and the tests'
if ! command -v node >/dev/null 2>&1; then
	pkgs+=(nodejs)
fi
if ! command -v npm >/dev/null 2>&1; then
	pkgs+=(npm)
fi

# (Under pipefail a pipe into `grep -q` fails at random: grep leaves at the first match and the writer,
# apt-cache flushing line by line, dies of SIGPIPE. grep >/dev/null reads everything.)
missing=()
for p in "${pkgs[@]}"; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep "install ok installed" >/dev/null; then
		missing+=("$p")
	fi
done

# Package lists are refreshed when they are absent or a day old, when the apt sources name an index that
# has no list yet (a suite such as bookworm-security was just added) or were edited after the newest list,
# and when a package to install has no candidate in them. (apt keeps the server's date on list files, and
# leaves unchanged ones alone, so their age alone says little.)
lists=/var/lib/apt/lists
updated=no
apt_update() {
	if [ "$updated" = no ]; then
		echo "==> apt-get update ($1)"
		$SUDO apt-get update -qq
		updated=yes
	fi
}
. scripts/apt_lists.sh # release_lists, lists_missing
newest_list=$( (find "$lists" -maxdepth 1 -name '*_Packages*' -printf '%T@\n' 2>/dev/null || true) |
	sort -n | tail -n 1)
newest_source=$( (find /etc/apt/sources.list /etc/apt/sources.list.d -maxdepth 1 \
	\( -name '*.list' -o -name '*.sources' \) -printf '%T@\n' 2>/dev/null || true) | sort -n | tail -n 1)
if [ -z "$newest_list" ]; then
	apt_update "no package lists"
elif [ -z "$(find "$lists" -maxdepth 1 -name '*_Packages*' -mmin -1440 2>/dev/null | head -n 1)" ]; then
	apt_update "package lists older than a day"
elif [ -n "$(lists_missing)" ]; then
	apt_update "no package list yet for $(lists_missing)"
elif [ -n "$newest_source" ] && [ "${newest_source%.*}" -gt "${newest_list%.*}" ]; then
	apt_update "apt sources changed after the last package lists"
fi
for p in "${missing[@]}"; do
	if ! apt-cache policy "$p" 2>/dev/null | grep 'Candidate: [^(]' >/dev/null; then
		apt_update "$p not found in the package lists"
		break
	fi
done
if [ "${#missing[@]}" -gt 0 ]; then
	echo "==> installing: ${missing[*]}"
	$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# tzdata: always the newest Debian has, and it must know Morocco's current rules (scripts/tzcheck.sh):
# a stale one gives wrong Moroccan times.
upgrade_tzdata() {
	if apt-get -s install --only-upgrade tzdata 2>/dev/null | grep '^Inst tzdata' >/dev/null; then
		echo "==> upgrading tzdata"
		$SUDO apt-get install -y -qq --only-upgrade tzdata >/dev/null
	fi
}
upgrade_tzdata
if ! scripts/tzcheck.sh 2>/dev/null; then
	apt_update "tzdata $(dpkg-query -W -f='${Version}' tzdata) predates Morocco's current rules"
	upgrade_tzdata
	scripts/tzcheck.sh # says what is wrong and how to fix it
fi

# Node: everything taken from npm (the pages' browser libraries, the tests' checkers) must run on Debian
# 12's nodejs (18).
node_version=$(node --version 2>/dev/null || echo none)
node_major=${node_version#v}
node_major=${node_major%%.*}
if ! [ "$node_major" -ge 18 ] 2>/dev/null; then
	echo "deps: Node.js 18 or later is needed (Debian 12's nodejs); found: $node_version" >&2
	exit 1
fi
echo "==> node $node_version"
echo "==> dependencies ready (tzdata $(dpkg-query -W -f='${Version}' tzdata))"
