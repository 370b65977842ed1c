#!/usr/bin/env bash
# Test: scripts/apt_lists.sh (scripts/deps.sh refreshes apt's package lists when lists_missing names an
# index) against a made-up apt state: an index that apt rightly keeps no list of (bookworm-updates'
# non-free-firmware, empty in its Release) is not missing, so a second scripts/run.sh does not run
# apt-get update; a suite never fetched and a list deleted are.
set -euo pipefail
cd "$(dirname "$0")/../.."

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
arch=$(dpkg --print-architecture)
mkdir "$tmp/lists" "$tmp/parts"
cat >"$tmp/sources.list" <<SRC
deb http://deb.example.org/debian bookworm main non-free-firmware
deb http://deb.example.org/debian bookworm-updates main non-free-firmware
SRC
cat >"$tmp/apt.conf" <<CONF
Dir::Etc::sourcelist "$tmp/sources.list";
Dir::Etc::sourceparts "$tmp/parts";
Dir::State::lists "$tmp/lists/";
CONF
export APT_CONFIG="$tmp/apt.conf"
l="$tmp/lists/deb.example.org_debian_dists"
release() { # suite, size of its non-free-firmware index (0: empty)
	printf 'Suite: %s\nSHA256:\n' "$1"
	printf ' %064d %8d %s\n' 0 4096 "main/binary-$arch/Packages" 0 1024 "main/binary-$arch/Packages.xz" \
		0 "$2" "non-free-firmware/binary-$arch/Packages" 0 32 "non-free-firmware/binary-$arch/Packages.xz"
}
release bookworm 2048 >"${l}_bookworm_InRelease"
release bookworm-updates 0 >"${l}_bookworm-updates_InRelease"
for f in bookworm_main bookworm_non-free-firmware bookworm-updates_main; do
	echo "Package: x" >"${l}_${f}_binary-${arch}_Packages"
done

. scripts/apt_lists.sh
fail() {
	echo "FAIL: $1"
	exit 1
}
got=$(lists_missing)
[ -z "$got" ] || fail "an index its Release names empty counted as missing: $got"

rm "${l}_bookworm-updates_InRelease"
got=$(lists_missing)
[ "$got" = "deb.example.org_debian_dists_bookworm-updates_non-free-firmware_binary-${arch}_Packages" ] ||
	fail "an index of a suite never fetched was not missing (got: ${got:-nothing})"

release bookworm-updates 0 >"${l}_bookworm-updates_InRelease"
rm "${l}_bookworm_non-free-firmware_binary-${arch}_Packages"
got=$(lists_missing)
[ "$got" = "deb.example.org_debian_dists_bookworm_non-free-firmware_binary-${arch}_Packages" ] ||
	fail "a deleted list of an index with packages was not missing (got: ${got:-nothing})"
echo "ok: lists_missing names a suite never fetched and a deleted list, not an empty index"
