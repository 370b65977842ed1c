#!/usr/bin/env bash
# Sets up and runs Majlis: installs what is missing (the pages' browser libraries from npm too), builds
# majlisd (without the tests: it needs no test package), and starts it on an embedded SQLite file with demo data (loaded on first start).
# Usage: scripts/run.sh [extra majlisd options]
# Environment: MAJLIS_BUILD_DIR (default build), MAJLIS_DEPS=skip to install nothing (packages managed
# by other means), MAJLIS_WERROR=ON to make compiler warnings errors (the tests do).
set -euo pipefail
cd "$(dirname "$0")/.."

build=${MAJLIS_BUILD_DIR:-build}
if [ "${MAJLIS_DEPS:-}" != skip ]; then
	scripts/deps.sh run
fi
# the pages' browser libraries (npm ci when the lockfile changed), into web/vendor/; without them majlisd
# still serves everything, the check-in screen reading QR codes only where the browser has BarcodeDetector
if ! scripts/web_vendor.sh; then
	echo "==> warning: the browser libraries could not be installed (node/npm missing, or offline with a new lockfile)" >&2
fi
echo "==> building"
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMAJLIS_TESTS=OFF \
	-DMAJLIS_WERROR="${MAJLIS_WERROR:-OFF}" >/dev/null
cmake --build "$build" -j"$(nproc)" >/dev/null
mkdir -p var
echo "==> starting majlisd (Ctrl-C to stop)"
exec "$build"/server/majlisd --db var/majlis.db --listen 127.0.0.1:8080 --demo --web-root web "$@"
