#!/usr/bin/env bash
# Sourced by scripts/deps.sh and tests/setup/apt_lists.sh: whether apt's package lists lack an index that
# the apt sources name. Reads apt's configuration (APT_CONFIG is honoured) and changes nothing.

release_lists() { # the Release file $1 names index $2 with packages in it (apt keeps no list of an empty one)
	awk -v k="$2" '$3 == k { if ($2 > 0) full = 1; else empty = 1 } index($3, k ".") == 1 { packed = 1 }
		END { exit !(full || (packed && !empty)) }' "$1"
}
lists_missing() { # prints the first index of the sources that has no list file although it should have one:
	# its suite was never fetched, or the suite's Release names it with packages in it (bookworm-updates
	# names non-free-firmware, empty, so apt writes no list for it)
	local arch f kind a key base rel r
	arch=$(dpkg --print-architecture)
	apt-get indextargets --no-release-info --format '$(FILENAME) $(CREATED_BY) $(ARCHITECTURE) $(METAKEY)' \
		2>/dev/null |
		while read -r f kind a key; do
			if [ "$kind" = Packages ] && [ "$a" = "$arch" ] && ! compgen -G "$f*" >/dev/null; then
				base=${f%"${key//\//_}"}
				rel=""
				for r in "${base}InRelease" "${base}Release"; do
					if [ -f "$r" ]; then
						rel=$r
						break
					fi
				done
				if [ -z "$rel" ] || release_lists "$rel" "$key"; then
					basename "$f"
					break
				fi
			fi
		done
}
