#!/usr/bin/env bash
# Installs what building, running and testing Majlis needs on Debian 12, and keeps tzdata current
# (Morocco's clock rules change at short notice). Usage: scripts/deps.sh [run|test]
set -euo pipefail

what=${1:-run}
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
	SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive

run_pkgs=(build-essential cmake pkg-config tzdata ca-certificates
	libwebsockets-dev libical-dev libjson-c-dev libsqlite3-dev libssl-dev libcurl4-openssl-dev
	libqrencode-dev sqlite3 openssl curl)
test_pkgs=(libcmocka-dev python3 python3-icalendar clang libclang-rt-14-dev zbar-tools librsvg2-bin chromium)

pkgs=("${run_pkgs[@]}")
if [ "$what" = "test" ]; then
	pkgs+=("${test_pkgs[@]}")
	if ! command -v node >/dev/null 2>&1; then
		pkgs+=(nodejs)
	fi
	if ! command -v npm >/dev/null 2>&1; then
		pkgs+=(npm)
	fi
fi

missing=()
for p in "${pkgs[@]}"; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing+=("$p")
	fi
done

# Refresh package lists when they are older than a day (or absent), so that tzdata can be upgraded.
lists=/var/lib/apt/lists
if [ -z "$(find "$lists" -maxdepth 1 -name '*_Packages*' -mmin -1440 2>/dev/null | head -n 1)" ]; then
	echo "==> apt-get update"
	$SUDO apt-get update -qq
fi
if [ "${#missing[@]}" -gt 0 ]; then
	echo "==> installing: ${missing[*]}"
	$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# tzdata: always the newest Debian has (a stale one gives wrong Moroccan times).
if apt-get -s install --only-upgrade tzdata 2>/dev/null | grep -q '^Inst tzdata'; then
	echo "==> upgrading tzdata"
	$SUDO apt-get install -y -qq --only-upgrade tzdata >/dev/null
fi
echo "==> dependencies ready (tzdata $(dpkg-query -W -f='${Version}' tzdata))"
