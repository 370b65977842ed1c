#!/usr/bin/env bash
# bench/live.sh: measures majlisd's WebSocket /live fanning changes out to N clients against a minimal
# libwebsockets broadcast server (bench/live_ceiling.c, the ceiling of this stack), with the project's own
# load client (bench/live_client.c, plain epoll): N connections on one event, CHANGES public registrations
# INTERVAL_MS apart; prints per-delivery latency, time to full fan-out, server CPU per delivery, RSS per idle
# connection and the registrations' own answer time, with the ratios majlisd/ceiling. It only listens on and
# talks to 127.0.0.1, stops every server it started when done (or interrupted), and is not part of the
# test suite.
#
# usage: bench/live.sh        (as root for 10 000 clients: it raises the file descriptor limit)
# environment: PROTO (v2: majlis-live.v2 on ?topic=event:ID, array messages counted per change; v1: the
#   old majlis-live, one change per message, for comparison), CLIENTS ("1000 5000 10000"), ROUNDS (1: with more, the median of the rounds is reported),
#   CHANGES (50), INTERVAL_MS (100), PENDING (100 handshakes under way at once), SETTLE_MS (2000: idle
#   time before RSS is read), TIMEOUT_S (30: wait for deliveries after the last change), BUILD
#   (/tmp/majlis-bench-build), MAJLISD (use this binary instead of building one), KEEP=1 (keep the work
#   directory, with the servers' logs and the client's output).
. "$(dirname "$0")/lib.sh"

PROTO=${PROTO:-v2}
CLIENTS=${CLIENTS:-"1000 5000 10000"}
ROUNDS=${ROUNDS:-1}
CHANGES=${CHANGES:-50}
INTERVAL_MS=${INTERVAL_MS:-100}
PENDING=${PENDING:-100}
SETTLE_MS=${SETTLE_MS:-2000}
TIMEOUT_S=${TIMEOUT_S:-30}

bench_workdir majlis-bench-live
SERVER_PID=

stop_server() {
	[ -z "$SERVER_PID" ] || bench_stop "$SERVER_PID"
	SERVER_PID=
}

case $PROTO in
v1) SUBPROTOCOL=majlis-live ;;
v2) SUBPROTOCOL=majlis-live.v2 ;;
*) die "PROTO must be v1 or v2" ;;
esac
command -v curl >/dev/null || die "needs curl (apt-get install curl)"
pkg-config --exists libwebsockets || die "needs libwebsockets' headers (apt-get install libwebsockets-dev)"
pkg-config --exists libcrypto || die "needs OpenSSL's headers (apt-get install libssl-dev)"

# file descriptors: the client holds N connections, each server N of them
max_n=0
for n in $CLIENTS; do
	[ "$n" -gt "$max_n" ] && max_n=$n
done
need=$((max_n + CHANGES + 1024))
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt "$need" ]; then
	if ! ulimit -n "$need" 2>/dev/null; then
		die "$max_n clients need $need file descriptors per process and the limit is $(ulimit -n) (hard" \
			"$(ulimit -Hn)): run as root, or raise the hard limit (limits.conf), or lower CLIENTS"
	fi
	say "file descriptor limit raised to $need"
fi
read -r lo hi </proc/sys/net/ipv4/ip_local_port_range
[ $((hi - lo)) -gt $((max_n + CHANGES + 100)) ] ||
	die "$max_n clients need more local ports than ip_local_port_range offers ($lo-$hi)"
somaxconn=$(cat /proc/sys/net/core/somaxconn)
if [ "$PENDING" -gt "$somaxconn" ]; then
	say "net.core.somaxconn is $somaxconn: PENDING lowered from $PENDING to it (as root: sysctl -w" \
		"net.core.somaxconn=1024 to raise it)"
	PENDING=$somaxconn
fi

# the load client and the ceiling: plain compiler lines, not part of the project's build
say "building live_client and live_ceiling in $WORK"
$CC -O2 -Wall -Wextra -o "$WORK/live_client" "$HERE/live_client.c" $(pkg-config --cflags --libs libcrypto)
$CC -O2 -Wall -Wextra -o "$WORK/live_ceiling" "$HERE/live_ceiling.c" \
	$(pkg-config --cflags --libs libwebsockets)

bench_majlisd

# a migrated database with an admin token (the clients' bearer) and one public event of large capacity,
# open for registration, whose first session is months ahead
TOKEN=$("$MAJLISD" token create --db "$WORK/majlis.db" --role admin --label bench-live 2>/dev/null | awk 'NF { t = $NF } END { print t }')
[ -n "$TOKEN" ] || die "majlisd token create printed no token"
EVENT=$(bench_open_event "$WORK/majlis.db")
say "event $EVENT: public, capacity 1 000 000"

# start_server ceiling|majlisd port: starts it in the background (SERVER_PID) and waits for its port
start_server() {
	if [ "$1" = ceiling ]; then
		bench_start TERM "$WORK/ceiling.log" "$WORK/live_ceiling" --port "$2"
	else
		bench_start TERM "$WORK/majlisd.log" "$MAJLISD" --db "$WORK/majlis.db" --listen "$HOST:$2"
	fi
	SERVER_PID=$BENCH_PID
	bench_wait_port "$2" "$SERVER_PID"
}

# measure ceiling|majlisd clients tag: one run against a freshly started server; appends its RESULT line
measure() {
	local kind=$1 n=$2 tag=$3 port rc=0 post bearer=() path=/live trace=()
	port=$(free_port)
	start_server "$kind" "$port"
	if [ "$kind" = ceiling ]; then
		post=/broadcast
	else
		post=/api/v1/events/$EVENT/registrations
		bearer=(--bearer "$TOKEN")
	fi
	[ "$PROTO" = v2 ] && path="/live?topic=event:$EVENT" # the ceiling serves every client alike
	[ -n "${TRACE:-}" ] && trace=(--trace "$WORK/trace.$kind.$n.$tag")
	sleep 0.5
	"$WORK/live_client" --port "$port" --clients "$n" --pending "$PENDING" --changes "$CHANGES" \
		--interval-ms "$INTERVAL_MS" --post-path "$post" --tag "$tag" --server-pid "$SERVER_PID" \
		--settle-ms "$SETTLE_MS" --timeout-s "$TIMEOUT_S" --label "$kind" "${bearer[@]}" \
		--protocol "$SUBPROTOCOL" --path "$path" "${trace[@]}" \
		>"$WORK/out" 2>>"$WORK/client.log" || rc=$?
	stop_server
	tail -n 3 "$WORK/client.log" | grep -E '\*\*\*|refused|closed' >&2 || true
	grep '^RESULT ' "$WORK/out" | sed "s/^RESULT /n=$n /" >>"$WORK/results" ||
		die "the client printed no result for $kind at $n clients (rc $rc; see $WORK/client.log, KEEP=1)"
	[ "$rc" = 0 ] || say "*** $kind at $n clients: deliveries LOST or connections failed (above) ***"
	sed 's/^RESULT //' "$WORK/out" | tr ' ' '\n' | awk -F= -v k="$kind" -v n="$n" '
		{ v[$1] = $2 }
		END { printf("  %s, %d clients: p99 %s ms, fan-out max %s ms, %s us CPU per delivery, %s KiB per conn, registration p50 %s ms, p99 %s ms, %s/%s delivered\n",
			k, n, v["p99_ms"], v["fanout_max_ms"], v["cpu_us"], v["rss_kib"], v["post_p50_ms"], v["post_p99_ms"],
			v["delivered"], v["expected"]) }' >&2
	return 0
}

say "$("$MAJLISD" --version 2>&1 | head -n 1), $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg);" \
	"$SUBPROTOCOL; $CHANGES changes ${INTERVAL_MS} ms apart per run"
: >"$WORK/results"
# the registration's answer on an idle server: one client
measure ceiling 1 idle-c
measure majlisd 1 idle-m
for round in $(seq "$ROUNDS"); do
	for n in $CLIENTS; do
		# interleaved, the order alternating from round to round
		if [ $((round % 2)) = 1 ]; then
			measure ceiling "$n" "r$round-n$n-c"
			measure majlisd "$n" "r$round-n$n-m"
		else
			measure majlisd "$n" "r$round-n$n-m"
			measure ceiling "$n" "r$round-n$n-c"
		fi
	done
done

# the table: the median of the rounds per (clients, server), then majlisd/ceiling
printf '\n%7s %-8s %9s %9s %9s %11s %11s %9s %9s %9s %9s %s\n' clients server "p50 ms" "p99 ms" "max ms" \
	"fanout p50" "fanout max" "CPU us/d" "KiB/conn" "reg p50" "reg p99" "delivered"
awk '
	function median(list,   a, n, i, j, t) {
		n = split(list, a, " ")
		for (i = 1; i <= n; i++)
			for (j = i + 1; j <= n; j++)
				if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
		return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
	}
	{
		delete v
		for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
		k = v["n"] SUBSEP v["label"]
		if (!(v["n"] in seen)) { seen[v["n"]] = 1; order[++norder] = v["n"] }
		for (m in v) vals[k, m] = vals[k, m] " " v[m]
		lost[k] += v["lost"]; want[k] += v["expected"]; bad[k] += !v["ok"]
	}
	END {
		split("p50_ms p99_ms max_ms fanout_p50_ms fanout_max_ms cpu_us rss_kib post_p50_ms post_p99_ms", ms, " ")
		for (o = 1; o <= norder; o++) {
			n = order[o]
			for (s = 1; s <= 2; s++) {
				lab = s == 1 ? "ceiling" : "majlisd"
				k = n SUBSEP lab
				for (i = 1; i <= 9; i++) med[lab, i] = median(vals[k, ms[i]])
				# RSS per connection means nothing with one connection (page-sized steps)
				rss = n == 1 ? "-" : sprintf("%.2f", med[lab, 7])
				printf("%7s %-8s %9.1f %9.1f %9.1f %11.1f %11.1f %9.1f %9s %9.1f %9.1f %s\n", n, lab,
					med[lab, 1], med[lab, 2], med[lab, 3], med[lab, 4], med[lab, 5], med[lab, 6],
					rss, med[lab, 8], med[lab, 9],
					(lost[k] || bad[k]) ? "LOST " lost[k] " of " want[k] : "all " want[k])
			}
			printf("%7s %-8s", n, "ratio")
			for (i = 1; i <= 9; i++) {
				w = (i == 4 || i == 5) ? 11 : 9
				if (med["ceiling", i] > 0 && !(i == 7 && n == 1))
					printf(" %" (w - 1) ".2fx", med["majlisd", i] / med["ceiling", i])
				else
					printf(" %" w "s", "-")
			}
			printf("\n")
		}
		# the target of issue 10: a registration made during the fan-out answered within 2x its idle time
		idle = median(vals[1 SUBSEP "majlisd", "post_p50_ms"])
		for (o = 1; o <= norder && idle > 0; o++) {
			n = order[o]
			if (n == 1)
				continue
			v50 = median(vals[n SUBSEP "majlisd", "post_p50_ms"])
			printf("majlisd registration answer p50 at %s clients: %.1f ms, %.2fx its idle time (%.1f ms, 1 client)\n",
				n, v50, v50 / idle, idle)
		}
	}' "$WORK/results"
say ""
say "per delivery: from the POST's connect() to the frame's arrival; fan-out: the same to the last client, per"
say "change (median and max over the changes); CPU: the server's threads' run time (schedstat) from the first"
say "POST to the last delivery, over the deliveries; KiB/conn: RSS growth with N idle connections, over N;"
say "reg p50/p99: the POST's answer time. The row with 1 client is the idle baseline of the registration's"
say "answer."
