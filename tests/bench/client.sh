#!/usr/bin/env bash
# Measures frontline's engine against its floor and budgets, side by side in one run:
# full-sync CPU against tests/bench/floor (libcurl + jansson only) on the same pages,
# wall time of a full sync, CPU and bytes per steady-state poll with 10 changes a second
# among N (with the search index in step with writes, and 30 s behind them), resident
# memory, and idle CPU; then the full sync and the steady poll of the sim's Chatwoot
# dialect beside Intercom's, with the requests each takes. Prints a table and writes JSON
# to $BENCH_JSON.
# Exits non-zero only if it could not run. Usage: client.sh [RUNS]
set -u
: "${abs_top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$abs_top_srcdir/tests/lib.sh"
# (for CW_ACCOUNT, the account of the sim's Chatwoot dialect)
. "$abs_top_srcdir/tests/client-lib.sh"
: "${FLOOR:=${abs_top_builddir:-.}/tests/bench/floor}"
: "${SEARCH:=${abs_top_builddir:-.}/tests/bench/search}"
: "${BENCH_JSON:=${abs_top_builddir:-.}/bench/results.json}"
runs=${1:-5}

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# cpu_of PID: CPU time of a process so far (all its threads), in milliseconds, from the
# scheduler's nanosecond accounting (/proc/PID/task/*/schedstat): the clock-tick counts of
# /proc/PID/stat move in 10 ms steps, as coarse as what a poll costs.
cpu_of() { cat /proc/"$1"/task/*/schedstat | awk '{ ns += $1 } END { printf "%.3f\n", ns / 1e6 }'; }
rss_of() { awk '/VmRSS/ { print $2 / 1024 }' "/proc/$1/status"; }
stat_of() { curl -sS -H @"$TEST_TMP/auth-headers" "$SIM_URL/_sim/stats" | jq -r ".$1"; }

# synced FILE N: the watcher's last line counts N open conversations over its queues.
synced() {
	tail -n 1 "$1" | tr '·' '\n' | awk -v n="$2" '{ for (i = 2; i <= NF; i++) if ($i ~ /^open/) s += $(i - 1) }
		END { exit !(s >= n) }'
}

setup_client() {
	export XDG_STATE_HOME="$TEST_TMP/state" XDG_CONFIG_HOME="$TEST_TMP/config"
	FRONTLINE_TOKEN=$(cat "$SIM_TOKEN_FILE")
	export FRONTLINE_TOKEN
	printf '[backend]\nurl = %s\npoll_interval = %s\n' "$SIM_URL" "$1" >"$TEST_TMP/cfg"
	[ "$DIALECT" != chatwoot ] || printf 'type = chatwoot\naccount_id = %s\n' "$CW_ACCOUNT" >>"$TEST_TMP/cfg"
}

# full_sync N: medians of client and floor CPU, client wall time and the client's requests
# (start-up's included, counted by the sim), for N conversations on the sim's $DIALECT;
# SYNCED, the open conversations the client then shows. The floor speaks Intercom only:
# on another dialect FLOOR_CPU and PAGES are n/a.
full_sync() {
	local n=$1 i t r0 r1
	sim_start --conversations "$n" --arrivals 0 --rate-limit 100000000 --control
	setup_client 5s
	# A full sync each run, as the floor's: no queues' cache (start.sh measures it).
	echo 'cache_max_age = 0' >>"$TEST_TMP/cfg"
	: >"$TEST_TMP/client-cpu"; : >"$TEST_TMP/client-wall"; : >"$TEST_TMP/floor-cpu"
	: >"$TEST_TMP/client-reqs"
	for i in $(seq "$runs"); do
		# Both whole processes, timed the same way: start-up and exit count for both.
		TIMEFORMAT='%3R %3U %3S'
		if [ "$DIALECT" = intercom ]; then
			{ time "$FLOOR" "$SIM_URL" 5001 5002 >"$TEST_TMP/floor.out"; } 2>"$TEST_TMP/tf" ||
				fail "floor failed: $(cat "$TEST_TMP/tf")"
			tail -n 1 "$TEST_TMP/tf" | awk '{ print ($2 + $3) * 1000 }' >>"$TEST_TMP/floor-cpu"
		fi
		# (a read of the stats counts itself)
		r0=$(stat_of requests)
		{ time "$FRONTLINE" --config "$TEST_TMP/cfg" status >"$TEST_TMP/status.out"; } 2>"$TEST_TMP/t" ||
			fail "frontline status failed: $(cat "$TEST_TMP/t")"
		r1=$(stat_of requests)
		echo $((r1 - r0 - 1)) >>"$TEST_TMP/client-reqs"
		t=$(tail -n 1 "$TEST_TMP/t")
		echo "$t" | awk '{ print ($2 + $3) * 1000 }' >>"$TEST_TMP/client-cpu"
		echo "$t" | awk '{ print $1 * 1000 }' >>"$TEST_TMP/client-wall"
	done
	CLIENT_CPU=$(median <"$TEST_TMP/client-cpu")
	CLIENT_WALL=$(median <"$TEST_TMP/client-wall")
	FULL_REQS=$(median <"$TEST_TMP/client-reqs")
	SYNCED=$(open_of "$TEST_TMP/status.out")
	FLOOR_CPU=n/a PAGES=n/a
	if [ "$DIALECT" = intercom ]; then
		FLOOR_CPU=$(median <"$TEST_TMP/floor-cpu")
		PAGES=$(awk '{ print $2 }' "$TEST_TMP/floor.out")
	fi
}

# snap NAME PID: the CPU of PID so far, the time, and the sim's stats (one request), in
# $TEST_TMP/NAME, a line each.
snap() {
	{ cpu_of "$2"; date +%s.%N; curl -sS -H @"$TEST_TMP/auth-headers" "$SIM_URL/_sim/stats"; } \
		>"$TEST_TMP/$1" || fail "cannot read the sim's stats"
}
# snap_of NAME FIELD: a field of a snap's stats, or its cpu or time.
snap_of() {
	case $2 in
	cpu) sed -n 1p "$TEST_TMP/$1" ;;
	time) sed -n 2p "$TEST_TMP/$1" ;;
	*) sed -n 3p "$TEST_TMP/$1" | jq -r ".$2" ;;
	esac
}
# snap_delta FIELD: how much a field of the stats grew from snap0 to snap1.
snap_delta() {
	echo $(($(snap_of snap1 "$1") - $(snap_of snap0 "$1")))
}

# changes_for SECS N [LAST PID]: about 10 customer messages a second on random
# conversations of the N. With LAST, snaps the client PID as the last LAST seconds begin
# (snap0) and at the end (snap1), and writes to $TEST_TMP/calls the requests it sent the
# sim in between (the second snap's own included): the sim's other requests in between
# are the client's.
changes_for() {
	local end=$(($(date +%s) + $1)) n=$2 last=${3:-} pid=${4:-} k id calls=0 snapped=
	while [ "$(date +%s)" -lt "$end" ]; do
		if [ -n "$last" ] && [ -z "$snapped" ] && [ "$(date +%s)" -ge $((end - last)) ]; then
			snap snap0 "$pid"
			snapped=1 calls=0
		fi
		for k in $(seq 10); do
			id=$(( (RANDOM * 32768 + RANDOM) % n + 1 ))
			curl -sS -o /dev/null -H @"$TEST_TMP/auth-headers" \
				"$SIM_URL/_sim/conversations/$id/customer_reply" -d '{"body":"any news?"}'
			calls=$((calls + 1))
		done
		sleep 1
	done
	if [ -n "$last" ]; then
		snap snap1 "$pid"
		echo $((calls + 1)) >"$TEST_TMP/calls"
	fi
}

# steady N [LAG [OPEN]]: a watching client polling every second while about 10
# conversations of the N change a second, the sim's search index LAG seconds behind
# (default 0), from when it shows OPEN open conversations (default N). The changes run
# LAG + 65 s before the measure, so that the poll's window (60 s by default) holds them,
# and no longer the world's generated timestamps. Then a quiet stretch for idle CPU. Sets POLL_CPU, POLL_BYTES, POLL_CONVS,
# POLL_PAGES (search requests a poll), POLL_RPM (the client's requests a minute), RSS,
# IDLE_PCT. On Intercom a poll is a query: its first page and those that follow; on
# Chatwoot a request (updated_within answers all at once), and POLL_CONVS is n/a (the
# sim counts search results only). $BENCH_POLL_OVERLAP, if set, is the client's poll_overlap.
steady() {
	local n=$1 lag=${2:-0} open=${3:-$1} pid maker cpu0 cpu1 polls reqs
	local secs=20 warm=$((lag + 65))
	setup_client 1s
	[ -z "${BENCH_POLL_OVERLAP:-}" ] || echo "poll_overlap = $BENCH_POLL_OVERLAP" >>"$TEST_TMP/cfg"
	curl -sS -o /dev/null -H @"$TEST_TMP/auth-headers" "$SIM_URL/_sim/faults" -d "{\"index_lag\":$lag}" ||
		fail "cannot set the index lag"
	"$FRONTLINE" --config "$TEST_TMP/cfg" status --watch >"$TEST_TMP/watch.out" 2>&1 &
	pid=$!
	wait_for "the first full sync of $n" 120 synced "$TEST_TMP/watch.out" "$open"
	RSS=$(rss_of "$pid")
	changes_for $((warm + secs)) "$n" "$secs" "$pid" &
	maker=$!
	wait "$maker" || fail "the changes did not run"
	reqs=$(($(snap_delta requests) - $(cat "$TEST_TMP/calls")))
	polls=$reqs
	[ "$DIALECT" != intercom ] || polls=$(snap_delta search_queries)
	[ "$polls" -gt 0 ] || fail "no poll in the $secs s measured"
	POLL_CPU=$(awk -v a="$(snap_of snap0 cpu)" -v b="$(snap_of snap1 cpu)" -v p="$polls" \
		'BEGIN { printf "%.2f", (b - a) / p }')
	POLL_BYTES=$(($(snap_delta bytes_sent) / polls))
	POLL_RPM=$(awk -v r="$reqs" -v a="$(snap_of snap0 time)" -v b="$(snap_of snap1 time)" \
		'BEGIN { printf "%.1f", r * 60 / (b - a) }')
	POLL_REQS=$(awk -v r="$reqs" -v p="$polls" 'BEGIN { printf "%.1f", r / p }')
	POLL_CONVS=n/a POLL_PAGES=$POLL_REQS
	if [ "$DIALECT" = intercom ]; then
		POLL_CONVS=$(awk -v r="$(snap_delta search_results)" -v p="$polls" 'BEGIN { printf "%.1f", r / p }')
		POLL_PAGES=$(awk -v s="$(snap_delta searches)" -v p="$polls" 'BEGIN { printf "%.1f", s / p }')
	fi
	cpu0=$(cpu_of "$pid")
	sleep "$secs"
	cpu1=$(cpu_of "$pid")
	IDLE_PCT=$(awk -v a="$cpu0" -v b="$cpu1" -v s="$secs" 'BEGIN { printf "%.2f", (b - a) / (s * 10) }')
	kill "$pid"
	wait "$pid" 2>/dev/null
}

# lag_polls: the steady poll with the search index 30 s behind writes, beside the same
# without a lag, on the running sim of 10,000. Sets LAG0_* and LAG30_* (CPU, BYTES, CONVS).
lag_polls() {
	steady 10000 0
	LAG0_CPU=$POLL_CPU LAG0_BYTES=$POLL_BYTES LAG0_CONVS=$POLL_CONVS LAG0_PAGES=$POLL_PAGES
	steady 10000 30
	LAG30_CPU=$POLL_CPU LAG30_BYTES=$POLL_BYTES LAG30_CONVS=$POLL_CONVS LAG30_PAGES=$POLL_PAGES
	curl -sS -o /dev/null -H @"$TEST_TMP/auth-headers" "$SIM_URL/_sim/faults" -d '{"index_lag":0}'
}

# keep_figures PREFIX: the last full sync's and steady poll's figures as PREFIX_CLIENT_WALL,
# _CLIENT_CPU, _FLOOR_CPU, _FULL_REQS, _SYNCED, _POLL_CPU, _POLL_BYTES, _POLL_RPM,
# _POLL_REQS, and PREFIX_RPM, the requests a minute at the defaults: a poll every 5 s
# (poll_interval) and a full sync every 15 minutes (resync_interval), start-up's requests
# counted in it.
keep_figures() {
	local v
	for v in CLIENT_WALL CLIENT_CPU FLOOR_CPU FULL_REQS SYNCED POLL_CPU POLL_BYTES POLL_RPM POLL_REQS; do
		printf -v "$1_$v" '%s' "${!v}"
	done
	printf -v "$1_RPM" '%s' "$(awk -v p="$POLL_REQS" -v f="$FULL_REQS" \
		'BEGIN { printf "%.1f", 60 / 5 * p + f / 15 }')"
}

# dialect_figures DIALECT N PREFIX: the full sync and the steady poll (no index lag) of N
# conversations on the sim's DIALECT, on a sim of their own, kept as PREFIX_* only (the
# figures of the runs before stay as they were).
dialect_figures() {
	local DIALECT=$1 CLIENT_CPU CLIENT_WALL FLOOR_CPU PAGES FULL_REQS SYNCED RSS IDLE_PCT
	local POLL_CPU POLL_BYTES POLL_CONVS POLL_PAGES POLL_RPM POLL_REQS
	full_sync "$2"
	steady "$2" 0 "$SYNCED"
	sim_stop
	keep_figures "$3"
}

# print_dialects N: the figures kept as IC_* and CW_* side by side, and, when the run
# measured it, the full sync of 100,000 (W100, Q100).
print_dialects() {
	local row
	printf '\nIntercom beside Chatwoot (pages of 25), %s conversations, %s runs\n' "$1" "$runs"
	printf '%-58s %10s %10s\n' figure intercom chatwoot
	for row in "CLIENT_WALL:full sync, wall ms (start to complete data)" \
		"CLIENT_CPU:full sync, client CPU ms" \
		"FLOOR_CPU:full sync, floor CPU ms (the floor speaks Intercom)" \
		"FULL_REQS:full sync, requests to the backend (start-up's too)" \
		"SYNCED:full sync, open conversations shown" \
		"POLL_CPU:steady poll, 10 changes a second: CPU ms per poll" \
		"POLL_BYTES:steady poll: response bytes per poll" \
		"POLL_RPM:steady poll: requests per minute (a poll a second)" \
		"RPM:requests per minute at the defaults, 10 changes a second"; do
		printf '%-58s %10s %10s\n' "${row#*:}" "$(eval echo "\$IC_${row%%:*}")" \
			"$(eval echo "\$CW_${row%%:*}")"
	done
	# Chatwoot at 100,000 is not measured: its teams hold about 28,000 and 67,000 open
	# conversations, about 3,800 pages of 25 read one after the other, and the sim answers
	# each in about 0.15 s at 100,000 (its meta counts span the whole list, as Chatwoot's
	# do): some ten minutes a run, which would time the sim rather than the client.
	[ -z "${W100:-}" ] ||
		printf '%-58s %10s %10s\n' "full sync of 100,000: wall ms / requests" "$W100 / $Q100" n/a
}

# The figures of a cold start and of a quiet backend, for a client binary ($1) against the
# running sim: cold full sync of everything to a complete first screen (frontline status:
# start to the whole store, wall ms, median of $runs), and, with a watching client at the
# defaults, requests per minute while nothing changes (counted by the sim over
# QUIET_SECS, after QUIET_SETTLE s, past the poll window over the world's generated
# timestamps) and how long a new conversation takes to
# show (median and max of DETECT_RUNS, each after a quiet stretch). Sets COLD_WALL,
# QUIET_RPM, DETECT_MED, DETECT_MAX.
: "${QUIET_SETTLE:=75}" "${QUIET_SECS:=60}" "${DETECT_RUNS:=5}"
stat_of_sim() { curl -sS -H @"$TEST_TMP/auth-headers" "$SIM_URL/_sim/stats" | jq -r ".$1"; }
open_of() {
	tail -n 1 "$1" | tr '·' '\n' | awk '{ for (i = 2; i <= NF; i++) if ($i ~ /^open/) s += $(i - 1) } END { print s + 0 }'
}
cold_sync() {
	local bin=$1 i t
	setup_client 5s
	: >"$TEST_TMP/cold-wall"
	for i in $(seq "$runs"); do
		# cold: no cache left by the run before (a warm start catches up instead)
		rm -rf "$XDG_STATE_HOME"
		TIMEFORMAT='%3R'
		{ time "$bin" --config "$TEST_TMP/cfg" status >/dev/null; } 2>"$TEST_TMP/t" ||
			fail "frontline status failed: $(cat "$TEST_TMP/t")"
		tail -n 1 "$TEST_TMP/t" | awk '{ print $1 * 1000 }' >>"$TEST_TMP/cold-wall"
	done
	COLD_WALL=$(median <"$TEST_TMP/cold-wall")
}
quiet_state() {
	local bin=$1 n=$2 pid r0 r1 k before t0 t1
	setup_client 5s
	"$bin" --config "$TEST_TMP/cfg" status --watch >"$TEST_TMP/quiet.out" 2>&1 &
	pid=$!
	wait_for "the first full sync of $n" 120 synced "$TEST_TMP/quiet.out" "$n"
	sleep "$QUIET_SETTLE"
	# (searches: the sim's requests count these control calls too; a quiet client sends
	# nothing else)
	r0=$(stat_of_sim searches)
	sleep "$QUIET_SECS"
	r1=$(stat_of_sim searches)
	QUIET_RPM=$(awk -v r=$((r1 - r0)) -v s="$QUIET_SECS" 'BEGIN { printf "%.1f", r * 60 / s }')
	: >"$TEST_TMP/detect"
	for k in $(seq "$DETECT_RUNS"); do
		before=$(open_of "$TEST_TMP/quiet.out")
		t0=$(date +%s.%N)
		curl -sS -o /dev/null -H @"$TEST_TMP/auth-headers" "$SIM_URL/_sim/conversations" \
			-d '{"team": "standard", "body": "a new one"}' || fail "cannot create a conversation"
		while [ "$(open_of "$TEST_TMP/quiet.out")" -le "$before" ]; do
			sleep 0.05
			awk -v t="$t0" -v now="$(date +%s.%N)" 'BEGIN { exit !(now - t > 60) }' &&
				fail "a new conversation did not show within 60 s"
		done
		t1=$(date +%s.%N)
		awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f\n", b - a }' >>"$TEST_TMP/detect"
		# quiet again, at a random phase of the polls
		sleep $((20 + RANDOM % 7))
	done
	DETECT_MED=$(median <"$TEST_TMP/detect")
	DETECT_MAX=$(sort -n "$TEST_TMP/detect" | tail -n 1)
	kill "$pid"
	wait "$pid" 2>/dev/null
}

# sync_figures: the cold sync at 100,000 and the quiet figures at 10,000, for this build
# and, with $BASE_FRONTLINE (the binary of the base, built the same way), for it too, in
# the same run on the same sims. Sets NEW_* and BASE_* (- when no base).
sync_figures() {
	local b
	BASE_COLD=- BASE_RPM=- BASE_DMED=- BASE_DMAX=- BASE_RESYNC=-
	sim_start --conversations 100000 --arrivals 0 --rate-limit 100000000 --control
	cold_sync "$FRONTLINE"
	NEW_COLD=$COLD_WALL
	if [ -n "${BASE_FRONTLINE:-}" ]; then
		cold_sync "$BASE_FRONTLINE"
		BASE_COLD=$COLD_WALL
	fi
	sim_stop
	sim_start --conversations 10000 --arrivals 0 --rate-limit 100000000 --control
	# The same at 10,000 with each request 150 ms late, as over the Internet.
	curl -sS -o /dev/null -H @"$TEST_TMP/auth-headers" "$SIM_URL/_sim/faults" -d '{"latency_ms":150}'
	cold_sync "$FRONTLINE"
	NEW_COLD_LATE=$COLD_WALL BASE_COLD_LATE=-
	if [ -n "${BASE_FRONTLINE:-}" ]; then
		cold_sync "$BASE_FRONTLINE"
		BASE_COLD_LATE=$COLD_WALL
	fi
	curl -sS -o /dev/null -H @"$TEST_TMP/auth-headers" "$SIM_URL/_sim/faults" -d '{"latency_ms":0}'
	for b in NEW BASE; do
		local bin=$FRONTLINE s0 s1
		[ $b = BASE ] && { [ -n "${BASE_FRONTLINE:-}" ] || continue; bin=$BASE_FRONTLINE; }
		# a full resync's requests, spread over the default resync_interval (15 min)
		setup_client 5s
		s0=$(stat_of_sim searches)
		"$bin" --config "$TEST_TMP/cfg" status >/dev/null || fail "frontline status failed"
		s1=$(stat_of_sim searches)
		quiet_state "$bin" 10000
		eval "${b}_RPM=\$QUIET_RPM ${b}_DMED=\$DETECT_MED ${b}_DMAX=\$DETECT_MAX"
		eval "${b}_RESYNC=$(awk -v p=$((s1 - s0)) -v r="$QUIET_RPM" 'BEGIN { printf "%.1f", r + p / 15 }')"
	done
	sim_stop
}

print_sync_figures() {
	printf '\ncold start and quiet polling, this build beside the base (%s)\n' "${BASE_FRONTLINE:-no base given}"
	printf '%-58s %10s %10s %10s\n' figure measured base budget
	printf '%-58s %10s %10s %10s\n' "cold full sync of 100,000 to a complete first screen, ms" "$NEW_COLD" "$BASE_COLD" "< 3000"
	printf '%-58s %10s %10s %10s\n' "cold full sync of 10,000, 150 ms a request, ms" "$NEW_COLD_LATE" "$BASE_COLD_LATE" ""
	printf '%-58s %10s %10s %10s\n' "requests per minute, quiet, 10,000, defaults: polls" "$NEW_RPM" "$BASE_RPM" "< 6"
	printf '%-58s %10s %10s %10s\n' "...with the full resync's pages every 15 minutes" "$NEW_RESYNC" "$BASE_RESYNC" ""
	printf '%-58s %10s %10s %10s\n' "new conversation on screen after a quiet stretch: median s" "$NEW_DMED" "$BASE_DMED" ""
	printf '%-58s %10s %10s %10s\n' "...max s" "$NEW_DMAX" "$BASE_DMAX" "< 10"
}

# BENCH_CASE=sync runs only the cold-start and quiet-polling figures (about ten minutes).
if [ "${BENCH_CASE:-}" = sync ]; then
	sync_figures
	print_sync_figures
	exit 0
fi

# BENCH_CASE=lag runs only that comparison (a few minutes), for quick before/after figures.
if [ "${BENCH_CASE:-}" = lag ]; then
	sim_start --conversations 10000 --arrivals 0 --rate-limit 100000000 --control
	lag_polls
	printf '\nsteady poll, 10,000 conversations, about 10 changes a second, poll every second\n'
	printf '%-24s %12s %12s %12s %12s\n' "search index" "CPU ms/poll" "bytes/poll" "convs/poll" \
		"pages/poll"
	printf '%-24s %12s %12s %12s %12s\n' "no lag" "$LAG0_CPU" "$LAG0_BYTES" "$LAG0_CONVS" \
		"$LAG0_PAGES"
	printf '%-24s %12s %12s %12s %12s\n' "30 s behind writes" "$LAG30_CPU" "$LAG30_BYTES" \
		"$LAG30_CONVS" "$LAG30_PAGES"
	exit 0
fi

[ -x "$FLOOR" ] || fail "no floor program at $FLOOR (make tests/bench/floor)"

# BENCH_CASE=dialects runs only the full sync and the steady poll of both dialects, side
# by side, at BENCH_N conversations (default 10,000; a few minutes with RUNS 1).
if [ "${BENCH_CASE:-}" = dialects ]; then
	dialect_figures intercom "${BENCH_N:-10000}" IC
	dialect_figures chatwoot "${BENCH_N:-10000}" CW
	print_dialects "${BENCH_N:-10000}"
	exit 0
fi

full_sync 10000
# Instructions, counted by callgrind: the same for the same binaries and pages whatever
# else the machine does, so this ratio holds where CPU seconds are noisy.
IR_CLIENT=0 IR_FLOOR=0 IR_RATIO=null
if command -v valgrind >/dev/null; then
	ir_of() {
		local log
		log=$(valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null) ||
			return 1
		echo "$log" | awk '/Collected :/ { print $NF }'
	}
	IR_FLOOR=$(ir_of "$FLOOR" "$SIM_URL" 5001 5002)
	IR_CLIENT=$(ir_of "$FRONTLINE" --config "$TEST_TMP/cfg" status)
	[ -n "$IR_FLOOR" ] && [ -n "$IR_CLIENT" ] &&
		IR_RATIO=$(awk -v c="$IR_CLIENT" -v f="$IR_FLOOR" 'BEGIN { printf "%.2f", c / f }')
fi
steady 10000 30
LAG30_CPU=$POLL_CPU LAG30_BYTES=$POLL_BYTES LAG30_CONVS=$POLL_CONVS LAG30_PAGES=$POLL_PAGES
steady 10000
R10=$(awk -v c="$CLIENT_CPU" -v f="$FLOOR_CPU" 'BEGIN { printf "%.2f", c / f }')
C10=$CLIENT_CPU F10=$FLOOR_CPU W10=$CLIENT_WALL P10=$PAGES RSS10=$RSS
keep_figures IC
sim_stop
runs=1 full_sync 100000
W100=$CLIENT_WALL Q100=$FULL_REQS
setup_client 5s
"$FRONTLINE" --config "$TEST_TMP/cfg" status --watch >"$TEST_TMP/watch100.out" 2>&1 &
pid=$!
wait_for "the first full sync of 100,000" 300 synced "$TEST_TMP/watch100.out" 100000
RSS100=$(rss_of "$pid")
kill "$pid"; wait "$pid" 2>/dev/null

sim_stop

dialect_figures chatwoot 10000 CW

sync_figures

# The help center: 10,000 articles in the local index, searched as an agent types.
sim_start --conversations 0 --arrivals 0 --articles 10000
setup_client 5s
"$FRONTLINE" --config "$TEST_TMP/cfg" articles password >/dev/null || fail "articles sync failed"
"$SEARCH" "$XDG_STATE_HOME/frontline/articles.db" 50 "reset password" "slack integration" \
	"invoice" "export csv" "sso login fails" "pass" "two-factor" "billing plan upgrade" \
	>"$TEST_TMP/search.out" || fail "search bench failed"
SEARCH_MS=$(awk '{ print $6 }' "$TEST_TMP/search.out")
SEARCH_P99=$(awk '{ print $8 }' "$TEST_TMP/search.out")
# Requests per minute in steady state with the defaults: a poll every 5 s, and the full
# resync's pages every 15 minutes.
RPM=$(awk -v p="$P10" 'BEGIN { printf "%.1f", 60 / 5 + p / 15 }')

printf '\nfrontline engine, %s runs, %s cores %s\n' "$runs" "$(nproc)" "$(uname -m)"
printf '%-58s %12s %10s\n' figure measured budget
printf '%-58s %12s %10s\n' "full sync of 10,000 ($P10 pages): client CPU ms (median)" "$C10" ""
printf '%-58s %12s %10s\n' "full sync of 10,000: floor CPU ms (libcurl + jansson)" "$F10" ""
printf '%-58s %12s %10s\n' "full sync, client CPU / floor CPU" "$R10" "<= 1.5"
printf '%-58s %12s %10s\n' "full sync, client / floor instructions (callgrind)" "$IR_RATIO" "<= 1.5"
printf '%-58s %12s %10s\n' "full sync of 10,000, wall ms (start to complete data)" "$W10" "< 2000"
printf '%-58s %12s %10s\n' "steady poll, 10 changes among 10,000: CPU ms per poll" "$POLL_CPU" "< 2"
printf '%-58s %12s %10s\n' "steady poll: conversations per poll (10 changed)" "$POLL_CONVS" ""
printf '%-58s %12s %10s\n' "steady poll: response bytes per poll" "$POLL_BYTES" "< 20480"
printf '%-58s %12s %10s\n' "steady poll, index 30 s behind writes: CPU ms per poll" "$LAG30_CPU" ""
printf '%-58s %12s %10s\n' "steady poll, index 30 s behind: conversations per poll" "$LAG30_CONVS" ""
printf '%-58s %12s %10s\n' "steady poll, index 30 s behind: response bytes per poll" "$LAG30_BYTES" ""
printf '%-58s %12s %10s\n' "steady poll, index 30 s behind: search pages per poll" "$LAG30_PAGES" ""
printf '%-58s %12s %10s\n' "resident memory at 10,000, MB" "$RSS10" "< 40"
printf '%-58s %12s %10s\n' "resident memory at 100,000, MB" "$RSS100" "< 300"
printf '%-58s %12s %10s\n' "idle CPU with 10,000 and the 1 Hz tick, % of a core" "$IDLE_PCT" "< 1"
printf '%-58s %12s %10s\n' "help-center search, 10,000 articles, local: median ms" "$SEARCH_MS" "< 20"
printf '%-58s %12s %10s\n' "help-center search: 99th percentile ms" "$SEARCH_P99" ""
printf '%-58s %12s %10s\n' "requests per minute in steady state at 10,000 (defaults)" "$RPM" "< 20"
print_dialects 10,000
print_sync_figures

mkdir -p "$(dirname "$BENCH_JSON")"
jq -n --arg machine "$(nproc) cores $(uname -m)" --argjson runs "$runs" \
	--argjson client "$C10" --argjson floor "$F10" --argjson ratio "$R10" --argjson wall "$W10" \
	--argjson ir_client "${IR_CLIENT:-0}" --argjson ir_floor "${IR_FLOOR:-0}" --argjson ir_ratio "$IR_RATIO" \
	--argjson poll_cpu "$POLL_CPU" --argjson poll_bytes "$POLL_BYTES" --argjson poll_convs "$POLL_CONVS" --argjson rss10 "$RSS10" \
	--argjson lag_cpu "$LAG30_CPU" --argjson lag_bytes "$LAG30_BYTES" --argjson lag_convs "$LAG30_CONVS" \
	--argjson lag_pages "$LAG30_PAGES" \
	--argjson rss100 "$RSS100" --argjson idle "$IDLE_PCT" --argjson search "$SEARCH_MS" \
	--argjson search_p99 "$SEARCH_P99" --argjson rpm "$RPM" \
	--argjson requests "$IC_FULL_REQS" --argjson poll_rpm "$IC_POLL_RPM" \
	--argjson cw_cpu "$CW_CLIENT_CPU" --argjson cw_wall "$CW_CLIENT_WALL" \
	--argjson cw_requests "$CW_FULL_REQS" --argjson cw_synced "$CW_SYNCED" \
	--argjson cw_poll_cpu "$CW_POLL_CPU" --argjson cw_poll_bytes "$CW_POLL_BYTES" \
	--argjson cw_poll_rpm "$CW_POLL_RPM" --argjson cw_rpm "$CW_RPM" \
	'{machine: $machine, runs: $runs, full_sync_10k: {client_cpu_ms: $client, floor_cpu_ms: $floor,
	  ratio: $ratio, wall_ms: $wall, requests: $requests, instructions: {client: $ir_client, floor: $ir_floor,
	  ratio: $ir_ratio}}, steady_poll: {cpu_ms: $poll_cpu, bytes: $poll_bytes, conversations: $poll_convs,
	  requests_per_minute: $poll_rpm},
	  steady_poll_index_lag_30s: {cpu_ms: $lag_cpu, bytes: $lag_bytes, conversations: $lag_convs,
	  pages: $lag_pages},
	  rss_mb: {"10000": $rss10, "100000": $rss100}, idle_cpu_pct: $idle,
	  article_search_ms: {median: $search, p99: $search_p99}, requests_per_minute: $rpm,
	  chatwoot: {full_sync_10k: {client_cpu_ms: $cw_cpu, floor_cpu_ms: null, wall_ms: $cw_wall,
	  requests: $cw_requests, open_conversations: $cw_synced}, steady_poll: {cpu_ms: $cw_poll_cpu,
	  bytes: $cw_poll_bytes, requests_per_minute: $cw_poll_rpm}, requests_per_minute: $cw_rpm,
	  full_sync_100k: null}}' >"$BENCH_JSON"
echo "written to $BENCH_JSON"
