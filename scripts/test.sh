#!/usr/bin/env bash
# Sets up and runs every test of Majlis: installs what is missing, builds warning-free (-Werror), runs
# the whole CTest suite, then builds with AddressSanitizer + UndefinedBehaviorSanitizer and runs it again.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/deps.sh test
# npm packages, pinned by each lockfile, installed again whenever the lockfile is newer than what is installed
npm_install() {
	if [ -f "$1/node_modules/.package-lock.json" ] && [ ! "$1/package-lock.json" -nt "$1/node_modules/.package-lock.json" ]; then
		return 0
	fi
	echo "==> npm install ($1: $2)"
	(cd "$1" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm install --no-audit --no-fund --loglevel=error)
	touch "$1/node_modules/.package-lock.json"
}
npm_install tests "ical.js and the other checkers of our output"
npm_install tests/e2e "playwright-core and axe-core; they drive Debian's chromium, no browser is downloaded"
scripts/web_vendor.sh # the pages' browser libraries, served from web/vendor/

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
