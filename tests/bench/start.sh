#!/usr/bin/env bash
# Measures frontline's start-up through a pseudo-terminal (tests/bench/screen, as
# screen.sh does), at 10,000 and 100,000 open conversations, side by side in one run:
#   cold:   no state directory, so a full sync: start to both panes' titles counting N open;
#   cached: a warm cache (the last run's): start to the same complete screen, shown from
#           the cache, its rows marked while the catch-up runs;
#   live:   a warm cache: start to that screen with the status bar saying "live" (the
#           catch-up ended and confirmed it);
# and `frontline status` (which waits for the catch-up), cold and warm. With
# FRONTLINE_BEFORE naming another build's frontline (one without the cache), its cold
# start is measured in the same run too, as the figure before.
# Medians of RUNS. First, the cache's own costs in a real SQLite file (tests/bench/cache):
# the write after a poll of 100 changes (at 1,000 changes a minute, a 5 s poll brings 83),
# after a full sync, the first write of every record, and a load, at both sizes.
# Adds "start" to $BENCH_JSON. Exits non-zero only if it could not run.
# Usage: start.sh [RUNS]
set -u
: "${abs_top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$abs_top_srcdir/tests/lib.sh"
: "${SCREEN:=${abs_top_builddir:-.}/tests/bench/screen}"
: "${BENCH_JSON:=${abs_top_builddir:-.}/bench/results.json}"
: "${CACHE_BENCH:=${abs_top_builddir:-.}/tests/bench/cache}"
runs=${1:-3}

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
field() { awk -v k="$1" '{ for (i = 1; i < NF; i++) if ($i == k) print $(i + 1) }' "$2"; }
now_ms() { date +%s%3N; }

if [ -x "$CACHE_BENCH" ]; then
	printf "\nthe queues' cache (SQLite, WAL), 100 changed records a poll, medians of 21 polls\n"
	printf '%-10s %14s %14s %14s %14s %10s\n' records "poll write ms" "poll max ms" \
		"full sync ms" "first write ms" "load ms"
	for n in 10000 100000; do
		mkdir -p "$TEST_TMP/cache$n"
		"$CACHE_BENCH" "$TEST_TMP/cache$n" "$n" 100 21 >"$TEST_TMP/c$n" || fail "the cache benchmark failed at $n"
		printf '%-10s %14s %14s %14s %14s %10s\n' "$n" "$(field poll_write_ms "$TEST_TMP/c$n")" \
			"$(field poll_write_max_ms "$TEST_TMP/c$n")" "$(field full_write_ms "$TEST_TMP/c$n")" \
			"$(field rewrite_ms "$TEST_TMP/c$n")" "$(field load_ms "$TEST_TMP/c$n")"
	done
fi

# The token reaches frontline through its environment, read from the file by a wrapper.
setup_start() {
	export XDG_STATE_HOME="$TEST_TMP/state" XDG_CONFIG_HOME="$TEST_TMP/config"
	mkdir -p "$XDG_CONFIG_HOME/frontline"
	printf '[backend]\nurl = %s\n' "$SIM_URL" >"$XDG_CONFIG_HOME/frontline/config"
	local name prog
	for name in run-frontline run-before; do
		prog=$FRONTLINE
		[ "$name" = run-before ] && prog=${FRONTLINE_BEFORE:-$FRONTLINE}
		cat >"$TEST_TMP/$name" <<-WRAP
			#!/bin/bash
			FRONTLINE_TOKEN=\$(cat '$SIM_TOKEN_FILE') || exit 99
			export FRONTLINE_TOKEN LC_ALL=C.UTF-8
			exec '$prog' "\$@" 2>'$TEST_TMP/start.err'
		WRAP
		chmod 700 "$TEST_TMP/$name"
	done
}

# screen_ms N OUT [READY-TEXT [WRAPPER]]: one start of the screen, its time to a complete
# first screen appended to OUT.
screen_ms() {
	SCREEN_READY_TEXT=${3:-} "$SCREEN" 120 40 "$1" 1 1 "$TEST_TMP/${4:-run-frontline}" >"$TEST_TMP/s" ||
		fail "the start-up benchmark failed at $1: $(cat "$TEST_TMP/start.err" 2>/dev/null)"
	field ready_ms "$TEST_TMP/s" >>"$2"
}

# status_ms OUT: one frontline status, its wall time appended to OUT.
status_ms() {
	local t0
	t0=$(now_ms)
	"$TEST_TMP/run-frontline" status >/dev/null || fail "frontline status failed: $(cat "$TEST_TMP/start.err")"
	echo $(($(now_ms) - t0)) >>"$1"
}

if [ ! -x "$SCREEN" ]; then
	echo "start-up benchmark skipped: no $SCREEN (needs libvterm-dev at configure time)"
	exit 0
fi

declare -A R
for n in 10000 100000; do
	sim_start --conversations "$n" --arrivals 0 --rate-limit 100000000
	setup_start
	for k in before cold cached live status_cold status_warm; do : >"$TEST_TMP/$k"; done
	for i in $(seq "$runs"); do
		if [ -n "${FRONTLINE_BEFORE:-}" ]; then
			rm -rf "$XDG_STATE_HOME"
			screen_ms "$n" "$TEST_TMP/before" "" run-before
		fi
		rm -rf "$XDG_STATE_HOME"
		screen_ms "$n" "$TEST_TMP/cold"
	done
	# The last cold run left its cache; each warm run leaves it as warm.
	for i in $(seq "$runs"); do
		screen_ms "$n" "$TEST_TMP/cached"
		screen_ms "$n" "$TEST_TMP/live" "live"
	done
	for i in $(seq "$runs"); do
		rm -rf "$XDG_STATE_HOME"
		status_ms "$TEST_TMP/status_cold"
		status_ms "$TEST_TMP/status_warm"
	done
	for k in before cold cached live status_cold status_warm; do
		R[$k$n]=$(median <"$TEST_TMP/$k")
	done
	[ -n "${FRONTLINE_BEFORE:-}" ] || R[before$n]=-
	sim_stop
done

printf '\nfrontline start-up (pty + libvterm, 120x40), %s runs, %s cores %s\n' "$runs" "$(nproc)" "$(uname -m)"
printf '%-46s %8s %8s %8s %8s %10s\n' "figure (median ms)" before cold cached live "budget"
for n in 10000 100000; do
	budget="< 150"
	[ "$n" = 100000 ] && budget="< 500"
	printf '%-46s %8s %8s %8s %8s %10s\n' "start to complete first screen, $n" "${R[before$n]}" \
		"${R[cold$n]}" "${R[cached$n]}" "${R[live$n]}" "cached $budget"
	printf '%-46s %8s %8s %8s %8s %10s\n' "frontline status, $n" "" \
		"${R[status_cold$n]}" "" "${R[status_warm$n]}" ""
done

mkdir -p "$(dirname "$BENCH_JSON")"
[ -s "$BENCH_JSON" ] || echo '{}' >"$BENCH_JSON"
jq --argjson c10 "${R[cold10000]}" --argjson w10 "${R[cached10000]}" --argjson l10 "${R[live10000]}" \
	--argjson c100 "${R[cold100000]}" --argjson w100 "${R[cached100000]}" \
	--argjson l100 "${R[live100000]}" --argjson sc10 "${R[status_cold10000]}" \
	--argjson sw10 "${R[status_warm10000]}" --argjson sc100 "${R[status_cold100000]}" \
	--argjson sw100 "${R[status_warm100000]}" \
	'.start = {cold_ms_10k: $c10, cached_ms_10k: $w10, live_ms_10k: $l10,
		cold_ms_100k: $c100, cached_ms_100k: $w100, live_ms_100k: $l100,
		status_cold_ms_10k: $sc10, status_warm_ms_10k: $sw10,
		status_cold_ms_100k: $sc100, status_warm_ms_100k: $sw100}' \
	"$BENCH_JSON" >"$BENCH_JSON.new" && mv "$BENCH_JSON.new" "$BENCH_JSON"
