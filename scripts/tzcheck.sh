#!/usr/bin/env bash
# Checks that the installed time-zone database knows Morocco's current rules (tzdata 2026c or later):
# Africa/Casablanca is UTC+0 at 2026-10-15 12:00 UTC. Exits 0 if so, else 1 with one message saying what
# is wrong and how to fix it. Honours TZDIR (the zone directory glibc reads, default /usr/share/zoneinfo).
set -euo pipefail

zone=Africa/Casablanca
at='2026-10-15 12:00Z'
want=+0000
dir=${TZDIR:-/usr/share/zoneinfo}
version=$(dpkg-query -W -f='${Version}' tzdata 2>/dev/null || echo unknown)

if [ ! -f "$dir/$zone" ]; then
	echo "tzcheck: the time-zone database has no $zone ($dir/$zone is missing; tzdata $version)." \
		"Install or repair tzdata: apt-get update && apt-get install --reinstall tzdata" >&2
	exit 1
fi
got=$(TZ=$zone date -d "$at" +%z)
if [ "$got" != "$want" ]; then
	echo "tzcheck: the time-zone database is too old for Morocco: $zone is UTC$got at $at, it must be" \
		"UTC$want (rules of tzdata 2026c or later; installed tzdata $version). Every Moroccan time would" \
		"be wrong. Upgrade it: apt-get update && apt-get install --only-upgrade tzdata" \
		"(on a Debian release without a fixed tzdata, add its -updates and -security suites to the" \
		"apt sources first)." >&2
	exit 1
fi
