#!/usr/bin/env bash
# Sets up and runs every test of Majlis: installs what is missing, builds warning-free (-Werror), runs
# the whole CTest suite, then builds with AddressSanitizer + UndefinedBehaviorSanitizer and runs it again.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/deps.sh test
if [ ! -d tests/node_modules/ical.js ]; then
	echo "==> npm install (tests)"
	(cd tests && npm install --no-audit --no-fund --loglevel=error)
fi
if [ ! -d tests/e2e/node_modules ]; then
	echo "==> npm install (tests/e2e: playwright-core only, it drives Debian's chromium)"
	(cd tests/e2e && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm install --no-audit --no-fund --loglevel=error)
fi

jobs=$(nproc)
status=0

echo "==> build (warnings are errors)"
cmake -S . -B build -DCMAKE_BUILD_TYPE=Debug -DMAJLIS_WERROR=ON -DMAJLIS_TESTS=ON >/dev/null
cmake --build build -j"$jobs"
echo "==> tests"
(cd build && ctest --output-on-failure -j"$jobs") || status=1

echo "==> build with ASan+UBSan"
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DMAJLIS_WERROR=ON -DMAJLIS_SANITIZE=ON -DMAJLIS_TESTS=ON >/dev/null
cmake --build build-asan -j"$jobs"
echo "==> tests under ASan+UBSan"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:halt_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
(cd build-asan && ctest --output-on-failure -j"$jobs") || status=1

if [ "$status" -ne 0 ]; then
	echo "==> FAILED"
else
	echo "==> all tests passed (normal and ASan+UBSan builds)"
fi
exit "$status"
