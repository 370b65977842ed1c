#!/usr/bin/env bash
# Test: scripts/tzcheck.sh (used by scripts/deps.sh) refuses a time-zone database that predates Morocco's
# 2026c rules, or lacks the zone, with one clear message, and accepts the installed one.
set -euo pipefail
cd "$(dirname "$0")/../.."

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() {
	echo "FAIL: $*"
	exit 1
}

# an old database: Africa/Casablanca at +01 all year (as before 2026c)
printf 'Zone Africa/Casablanca 1:00 - +01\n' >"$tmp/old.zi"
zic -d "$tmp/old" "$tmp/old.zi"
if TZDIR="$tmp/old" scripts/tzcheck.sh 2>"$tmp/err"; then
	fail "a database where Africa/Casablanca is +01 on 2026-10-15 passed"
fi
grep -q 'too old for Morocco: Africa/Casablanca is UTC+0100' "$tmp/err" || fail "unclear message: $(cat "$tmp/err")"
grep -q 'apt-get install --only-upgrade tzdata' "$tmp/err" || fail "no fix in the message: $(cat "$tmp/err")"
[ "$(wc -l <"$tmp/err")" -eq 1 ] || fail "more than one line: $(cat "$tmp/err")"

# no such zone at all (date would silently fall back to UTC, i.e. +0000)
mkdir "$tmp/empty"
if TZDIR="$tmp/empty" scripts/tzcheck.sh 2>"$tmp/err"; then
	fail "a database without Africa/Casablanca passed"
fi
grep -q 'has no Africa/Casablanca' "$tmp/err" || fail "unclear message: $(cat "$tmp/err")"

# a current database (the 2026c rule: UTC+0 from 2026-10-15 on, as built here) passes
printf 'Zone Africa/Casablanca 1:00 - +01 2026 Oct 1\n\t\t0:00 - +00\n' >"$tmp/new.zi"
zic -d "$tmp/new" "$tmp/new.zi"
TZDIR="$tmp/new" scripts/tzcheck.sh || fail "a database with Morocco's current rule was refused"
echo "ok: tzcheck refuses an old or incomplete time-zone database clearly"
