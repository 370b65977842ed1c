#!/usr/bin/env bash
# bench/registrations.sh: measures majlisd's durable public registrations (POST
# /api/v1/events/{id}/registrations, 16 concurrent clients, distinct people, one event) against a tiny C
# program doing the same durable one-row transaction with a capacity check (bench/reg_ceiling.c, 16
# threads, synchronous=FULL), at 0, 5 000 and 20 000 existing registrations on the event; prints both rates
# and their ratio. It only listens on and talks to 127.0.0.1, stops majlisd when done (or interrupted), and
# is not part of the test suite.
#
# usage: bench/registrations.sh
# environment: LEVELS ("0 5000 20000": existing registrations before each timed batch), COUNT (2000
#   timed registrations per level), CONNS (16 HTTP connections), THREADS (16 ceiling threads), BUILD
#   (/tmp/majlis-bench-build), MAJLISD (use this binary instead of building one), KEEP=1 (keep the work
#   directory).
. "$(dirname "$0")/lib.sh"

LEVELS=${LEVELS:-"0 5000 20000"}
COUNT=${COUNT:-2000}
CONNS=${CONNS:-16}
THREADS=${THREADS:-16}

bench_workdir majlis-bench-reg

command -v curl >/dev/null || die "needs curl (apt-get install curl)"
pkg-config --exists sqlite3 || die "needs SQLite's headers (apt-get install libsqlite3-dev)"

# the ceiling and the HTTP client: plain compiler lines, not part of the project's build
say "building reg_ceiling and reg_client in $WORK"
$CC -O2 -Wall -Wextra -o "$WORK/reg_ceiling" "$HERE/reg_ceiling.c" $(pkg-config --cflags --libs sqlite3) -lpthread
$CC -O2 -Wall -Wextra -o "$WORK/reg_client" "$HERE/reg_client.c"

bench_majlisd

# a migrated database with one public event of large capacity, open for registration
"$MAJLISD" token create --db "$WORK/majlis.db" --role admin --label bench-reg >/dev/null 2>&1
EVENT=$(bench_open_event "$WORK/majlis.db")
PORT=$(free_port)
bench_start TERM "$WORK/majlisd.log" "$MAJLISD" --db "$WORK/majlis.db" --listen "$HOST:$PORT"
bench_wait_port "$PORT" "$BENCH_PID"
REG_PATH=/api/v1/events/$EVENT/registrations
say "$("$MAJLISD" --version 2>&1 | head -n 1) on $HOST:$PORT, event $EVENT; $(nproc) CPUs; $COUNT timed" \
	"registrations per level, $CONNS connections / $THREADS threads"

# value key: the key=value of a RESULT line on stdin
value() { tr ' ' '\n' | awk -F= -v k="$1" '$1 == k { print $2 }'; }

: >"$WORK/results"
have=0
for level in $LEVELS; do
	# majlisd: topped up through the same endpoint (its rate is shown too), then the timed batch
	if [ "$level" -gt "$have" ]; then
		f=$("$WORK/reg_client" --port "$PORT" --path "$REG_PATH" --count $((level - have)) --conns "$CONNS" \
			--tag "fill$level" 2>>"$WORK/client.log") || die "filling to $level failed (see KEEP=1 client.log)"
		say "  majlisd: $have -> $level registrations at $(echo "$f" | value rate)/s"
		have=$level
	elif [ "$level" -lt "$have" ]; then
		die "LEVELS must grow: $level after $have"
	fi
	# the ceiling (its own file, topped up to the level without timing) times half its transactions just
	# before majlisd's batch and half just after, so that both see the disk in the same minutes
	c1=$("$WORK/reg_ceiling" "$WORK/ceiling.db" --existing "$level" --count $((COUNT / 2)) \
		--threads "$THREADS" 2>>"$WORK/client.log") || die "reg_ceiling failed at $level (see KEEP=1 client.log)"
	m=$("$WORK/reg_client" --port "$PORT" --path "$REG_PATH" --count "$COUNT" --conns "$CONNS" \
		--tag "t$level" 2>>"$WORK/client.log") || die "timed batch at $level failed (see KEEP=1 client.log)"
	have=$((have + COUNT))
	c2=$("$WORK/reg_ceiling" "$WORK/ceiling.db" --existing $((level + COUNT / 2)) \
		--count $((COUNT - COUNT / 2)) --threads "$THREADS" 2>>"$WORK/client.log") ||
		die "reg_ceiling failed at $level (see KEEP=1 client.log)"
	c="rate=$(awk -v n1="$(echo "$c1" | value count)" -v s1="$(echo "$c1" | value secs)" \
		-v n2="$(echo "$c2" | value count)" -v s2="$(echo "$c2" | value secs)" \
		'BEGIN { printf("%.1f", (n1 + n2) / (s1 + s2)) }')"
	say "  at $level existing: ceiling $(echo "$c" | value rate)/s, majlisd $(echo "$m" | value rate)/s"
	echo "$level $(echo "$c" | value rate) $(echo "$m" | value rate) $(echo "$m" | value p50_ms)" \
		"$(echo "$m" | value p99_ms)" >>"$WORK/results"
done

printf '\n%9s %14s %14s %8s %8s %12s %12s\n' existing "ceiling reg/s" "majlisd reg/s" ratio target \
	"majlisd p50" "majlisd p99"
awk '{ r = $3 / $2
	printf("%9d %14.0f %14.0f %7.2fx %7.1fx %10.1f ms %10.1f ms %s\n", $1, $2, $3, r, 0.5, $4, $5,
		r >= 0.5 ? "ok" : "BELOW") }' "$WORK/results"
say ""
say "ceiling: $THREADS threads, one SQLite connection each (WAL, synchronous=FULL), one registration row per"
say "transaction, capacity checked by a counter on the event; majlisd: $CONNS kept-alive HTTP connections, one"
say "request in flight on each, distinct people; both count from the first request to the last answer."
