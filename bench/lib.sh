# bench/lib.sh: what the bench scripts share, sourced by feeds.sh, live.sh and registrations.sh (never run
# on its own): the paths and defaults, messages, a work directory removed at exit, the servers started in
# the background and stopped at exit (or on an interrupt), free loopback ports, majlisd built in Release,
# and the database seeded with one public event open for registration. It sets shell options
# (set -euo pipefail) and the EXIT, INT and TERM traps; a script sourcing it must not set its own.
# shellcheck shell=bash disable=SC2034 # HOST, CC and the like are for the scripts that source this
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$HERE")
BUILD=${BUILD:-/tmp/majlis-bench-build}
HOST=127.0.0.1
CC=${CC:-cc}
BENCH_NAME=$(basename "$0")
WORK=
declare -A BENCH_SERVERS=() # pid -> the signal that stops it, for every server bench_start started

say() { printf '%s\n' "$*" >&2; }
die() {
	say "$BENCH_NAME: $*"
	exit 1
}

# bench_stop pid: stops a server that bench_start started (and waits for it); nothing when it has gone.
bench_stop() {
	local pid=$1
	if kill -0 "$pid" 2>/dev/null; then
		kill "-${BENCH_SERVERS[$pid]:-TERM}" "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	fi
	unset "BENCH_SERVERS[$pid]"
}

bench_cleanup() {
	local rc=$? pid
	for pid in "${!BENCH_SERVERS[@]}"; do
		bench_stop "$pid"
	done
	if [ -n "$WORK" ] && [ "${KEEP:-0}" = 1 ]; then
		say "work directory kept: $WORK"
	elif [ -n "$WORK" ]; then
		rm -rf "$WORK"
	fi
	exit "$rc"
}
trap bench_cleanup EXIT
trap 'exit 130' INT TERM

# bench_workdir prefix: WORK becomes a new directory /tmp/prefix.XXXXXX, removed at exit unless KEEP=1.
bench_workdir() {
	WORK=$(mktemp -d "/tmp/$1.XXXXXX")
}

# bench_start signal log command...: runs command in the background, its output appended to log; BENCH_PID
# gets its pid, and it is stopped with signal (TERM, or QUIT for nginx's graceful stop) at exit.
bench_start() {
	local signal=$1 log=$2
	shift 2
	"$@" >>"$log" 2>&1 &
	BENCH_PID=$!
	BENCH_SERVERS[$BENCH_PID]=$signal
}

free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# bench_wait_port port pid: waits up to 20 s until something accepts connections on the port; dies when the
# server pid exits first or nothing listens by then.
bench_wait_port() {
	for _ in $(seq 200); do
		if python3 -c 'import socket, sys; socket.create_connection(("127.0.0.1", int(sys.argv[1])), 1)' \
			"$1" 2>/dev/null; then
			return 0
		fi
		kill -0 "$2" 2>/dev/null || die "the server exited at start (see its log)"
		sleep 0.1
	done
	die "nothing listens on port $1"
}

# bench_majlisd: MAJLISD becomes majlisd built in Release (-O2, no sanitizers, no tests and so no test
# hooks) in its own build directory $BUILD, unless MAJLISD names a binary already.
bench_majlisd() {
	if [ -z "${MAJLISD:-}" ]; then
		say "building majlisd (Release, -O2) in $BUILD"
		cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DCMAKE_C_FLAGS_RELEASE="-O2 -DNDEBUG" \
			-DMAJLIS_SANITIZE=OFF -DMAJLIS_TESTS=OFF >/dev/null
		cmake --build "$BUILD" -j"$(nproc)" --target majlisd >/dev/null
		MAJLISD=$BUILD/server/majlisd
	fi
	[ -x "$MAJLISD" ] || die "no majlisd binary at $MAJLISD"
}

# bench_open_event db: seeds the migrated database db with seed_feed.py's two events and prints the id of
# the second (its session months ahead), made public, capacity 1 000 000, open for registration without
# approval.
bench_open_event() {
	python3 - "$HERE" "$1" <<'EOF'
import sqlite3, sys
sys.path.insert(0, sys.argv[1])
from seed_feed import seed
ids = seed(sys.argv[2], 2)  # the first event's session is yesterday; the second's months ahead
db = sqlite3.connect(sys.argv[2])
with db:
    db.execute("UPDATE events SET capacity = 1000000, needs_approval = 0, status = 'scheduled', "
               "registration_opens_at = NULL, registration_closes_at = NULL WHERE id = ?", (ids[1],))
print(ids[1])
EOF
}
