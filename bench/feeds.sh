#!/usr/bin/env bash
# bench/feeds.sh: measures majlisd serving the public calendar feed (500 events) against Debian's nginx
# (one worker) serving the very same bytes as a static file, with wrk over loopback, for 200 and 304
# answers; prints a table of requests per second and ratios. It only listens on and talks to 127.0.0.1,
# stops both servers when done (or interrupted), and is not part of the test suite.
#
# usage: bench/feeds.sh            (as root, or with sudo available to install nginx and wrk)
# environment: DURATION (10s), CONNS ("50 200"), THREADS (2), EVENTS (500), ROUNDS (1: with more, the
#   median of the rounds is reported), BUILD (/tmp/majlis-bench-build), MAJLISD (use this binary instead
#   of building one), KEEP=1 (keep the work directory), NGINX_KEEPALIVE_REQUESTS (1000, nginx's default).
. "$(dirname "$0")/lib.sh"

DURATION=${DURATION:-10s}
CONNS=${CONNS:-"50 200"}
THREADS=${THREADS:-2}
EVENTS=${EVENTS:-500}
ROUNDS=${ROUNDS:-1}
NGINX_KEEPALIVE_REQUESTS=${NGINX_KEEPALIVE_REQUESTS:-1000}
PATH="$PATH:/usr/sbin:/sbin"

bench_workdir majlis-bench
chmod 0755 "$WORK" # nginx's worker drops root privileges (user nobody) and must read www/

as_root() {
	if [ "$(id -u)" = 0 ]; then
		"$@"
	elif command -v sudo >/dev/null; then
		sudo "$@"
	else
		die "need root or sudo to run: $*"
	fi
}

# Installs what is missing: nginx (nginx-light, else nginx), wrk, curl, a C toolchain is assumed.
install_tools() {
	local pkgs=()
	command -v nginx >/dev/null || pkgs+=(nginx-light)
	command -v wrk >/dev/null || pkgs+=(wrk)
	command -v curl >/dev/null || pkgs+=(curl)
	[ ${#pkgs[@]} -eq 0 ] && return 0
	say "installing ${pkgs[*]}"
	export DEBIAN_FRONTEND=noninteractive
	as_root apt-get install -y "${pkgs[@]}" >/dev/null ||
		{ as_root apt-get update >/dev/null && as_root apt-get install -y "${pkgs[@]}" >/dev/null; } ||
		{ pkgs=("${pkgs[@]/nginx-light/nginx}") && as_root apt-get install -y "${pkgs[@]}" >/dev/null; } ||
		die "could not install ${pkgs[*]}"
	# Debian's package may start the system nginx on port 80; this script leaves it as it was found
}

header() { # url header-name [extra curl args...]: the header's value
	local url=$1 name=$2
	shift 2
	curl -s -D - -o /dev/null "$@" "$url" | tr -d '\r' | awk -v n="$name" 'tolower($1) == tolower(n) ":" {
		sub(/^[^:]*: */, ""); print; exit }'
}

status() { # url [extra curl args...]: the HTTP status
	local url=$1
	shift
	curl -s -o /dev/null -w '%{http_code}' "$@" "$url"
}

# run_wrk url conns [etag]: prints requests per second (fails on socket errors or wrong statuses)
run_wrk() {
	local url=$1 conns=$2 etag=${3:-} out
	if [ -n "$etag" ]; then
		out=$(wrk -t"$THREADS" -c"$conns" -d"$DURATION" -H "If-None-Match: $etag" "$url")
	else
		out=$(wrk -t"$THREADS" -c"$conns" -d"$DURATION" "$url")
	fi
	echo "$out" >>"$WORK/wrk.log"
	if grep -qE 'Non-2xx or 3xx|Socket errors' <<<"$out"; then
		say "wrk reported errors for $url (c=$conns):"
		echo "$out" | grep -E 'Non-2xx or 3xx|Socket errors' >&2
	fi
	echo "$out" | awk '/^Requests\/sec:/ { print $2 }'
}

install_tools

bench_majlisd

# a migrated database (token create migrates it) with EVENTS public events, one session each
"$MAJLISD" token create --db "$WORK/majlis.db" --role admin --label bench >/dev/null
python3 "$HERE/seed_feed.py" "$WORK/majlis.db" "$EVENTS" >&2

MPORT=$(free_port)
bench_start TERM "$WORK/majlisd.log" "$MAJLISD" --db "$WORK/majlis.db" --listen "$HOST:$MPORT"
bench_wait_port "$MPORT" "$BENCH_PID"
MURL="http://$HOST:$MPORT/calendar/public.ics"

# nginx serves the exact bytes majlisd sent
mkdir -p "$WORK/www/calendar" "$WORK/tmp"
curl -s -f -o "$WORK/www/calendar/public.ics" "$MURL" || die "majlisd did not serve $MURL"
BYTES=$(stat -c %s "$WORK/www/calendar/public.ics")
VEVENTS=$(grep -c '^BEGIN:VEVENT' "$WORK/www/calendar/public.ics" || true)
[ "$VEVENTS" -ge "$EVENTS" ] || die "the feed holds $VEVENTS events, expected $EVENTS"

NPORT=$(free_port)
sed -e "s|@DIR@|$WORK|g" -e "s|@PORT@|$NPORT|g" -e "s|@KEEPALIVE_REQUESTS@|$NGINX_KEEPALIVE_REQUESTS|g" \
	"$HERE/nginx.conf.in" >"$WORK/nginx.conf"
bench_start QUIT "$WORK/nginx.log" nginx -e "$WORK/nginx-error.log" -p "$WORK" -c "$WORK/nginx.conf"
bench_wait_port "$NPORT" "$BENCH_PID"
NURL="http://$HOST:$NPORT/calendar/public.ics"

# both serve the same bytes with the same type, and each answers 304 to its own ETag
curl -s -o "$WORK/from-nginx.ics" "$NURL"
cmp -s "$WORK/www/calendar/public.ics" "$WORK/from-nginx.ics" || die "nginx does not serve the same bytes"
METAG=$(header "$MURL" etag)
NETAG=$(header "$NURL" etag)
[ -n "$METAG" ] && [ -n "$NETAG" ] || die "missing ETag (majlisd '$METAG', nginx '$NETAG')"
MTYPE=$(header "$MURL" content-type)
NTYPE=$(header "$NURL" content-type)
[ "$MTYPE" = "$NTYPE" ] || die "Content-Type differs: majlisd '$MTYPE', nginx '$NTYPE'"
[ "$(status "$MURL" -H "If-None-Match: $METAG")" = 304 ] || die "majlisd does not answer 304 to its ETag"
[ "$(status "$NURL" -H "If-None-Match: $NETAG")" = 304 ] || die "nginx does not answer 304 to its ETag"

say "feed: $VEVENTS events, $BYTES bytes, $MTYPE; majlisd ETag $METAG, nginx ETag $NETAG"
say "majlisd on $HOST:$MPORT, nginx $(nginx -v 2>&1 | sed 's|.*/||') on $HOST:$NPORT; wrk -t$THREADS -d$DURATION"

# warm-up (caches, page cache, TCP autotuning), then the measured runs, servers interleaved
wrk -t"$THREADS" -c50 -d2s "$MURL" >/dev/null
wrk -t"$THREADS" -c50 -d2s "$NURL" >/dev/null
: >"$WORK/results"
for round in $(seq "$ROUNDS"); do
	for c in $CONNS; do
		for kind in 200 304; do
			if [ "$kind" = 304 ]; then
				n=$(run_wrk "$NURL" "$c" "$NETAG")
				m=$(run_wrk "$MURL" "$c" "$METAG")
			else
				n=$(run_wrk "$NURL" "$c")
				m=$(run_wrk "$MURL" "$c")
			fi
			say "round $round: $kind c=$c nginx $n req/s, majlisd $m req/s"
			echo "$kind $c $n $m" >>"$WORK/results"
		done
	done
done

# table: the median of the rounds per (answer, connections)
printf '\n%-6s %6s %14s %14s %8s %8s\n' answer conns "nginx req/s" "majlisd req/s" ratio target
sort -k1,1 -k2,2n "$WORK/results" | awk '
	function median(a, n,   i, j, t) {
		for (i = 1; i <= n; i++)
			for (j = i + 1; j <= n; j++)
				if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
		return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
	}
	function flush() {
		if (!k)
			return
		split(k, f, " ")
		nm = median(ng, cnt); mm = median(mj, cnt)
		target = f[1] == 304 ? 1.0 : 0.7
		verdict = (mm / nm >= target) ? "ok" : "BELOW"
		printf("%-6s %6s %14.0f %14.0f %7.2fx %7.1fx %s\n", f[1], f[2], nm, mm, mm / nm, target, verdict)
	}
	{
		key = $1 " " $2
		if (key != k) { flush(); k = key; cnt = 0 }
		cnt++; ng[cnt] = $3; mj[cnt] = $4
	}
	END { flush() }'
