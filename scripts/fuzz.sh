#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan+UBSan) and runs each for SECONDS (default 60), starting from
# its corpus; new interesting inputs are kept in fuzz/corpus/<name>/ (commit the small ones that matter).
# Usage: scripts/fuzz.sh [SECONDS] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
shift || true
targets=${*:-import jsonx message}
scripts/deps.sh test
CC=clang cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=Debug -DMAJLIS_FUZZ=ON -DMAJLIS_SANITIZE=ON >/dev/null
cmake --build build-fuzz -j"$(nproc)" --target $(for t in $targets; do printf 'fuzz_%s ' "$t"; done)
for t in $targets; do
	mkdir -p "build-fuzz/corpus-$t"
	extra=""
	[ "$t" = import ] && extra=tests/fixtures/ical
	echo "==> fuzz_$t for ${seconds}s"
	build-fuzz/fuzz/fuzz_"$t" -max_total_time="$seconds" -max_len=65536 -timeout=10 \
		"build-fuzz/corpus-$t" "fuzz/corpus/$t" $extra
done
