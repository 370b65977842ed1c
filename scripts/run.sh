#!/usr/bin/env bash
# Sets up and runs Majlis: installs what is missing, builds, and starts majlisd on an embedded SQLite
# file with demo data (loaded on first start). Usage: scripts/run.sh [extra majlisd options]
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/deps.sh run
echo "==> building"
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)" >/dev/null
mkdir -p var
echo "==> starting majlisd (Ctrl-C to stop)"
exec build/server/majlisd --db var/majlis.db --listen 127.0.0.1:8080 --demo --web-root web "$@"
