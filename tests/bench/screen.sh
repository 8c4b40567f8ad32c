#!/usr/bin/env bash
# Measures frontline's screen through a pseudo-terminal (tests/bench/screen, libvterm):
# the time to a complete first screen with 10,000 conversations, bytes written to the
# terminal and CPU while idle with 10,000 and the 1 Hz tick, and the time from a key
# press to the updated screen with 100,000. Adds "screen" to $BENCH_JSON. Exits non-zero
# only if it could not run. Usage: screen.sh [RUNS]
set -u
: "${abs_top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$abs_top_srcdir/tests/lib.sh"
: "${SCREEN:=${abs_top_builddir:-.}/tests/bench/screen}"
: "${BENCH_JSON:=${abs_top_builddir:-.}/bench/results.json}"
runs=${1:-3}

if [ ! -x "$SCREEN" ]; then
	echo "screen benchmark skipped: no $SCREEN (needs libvterm-dev at configure time)"
	exit 0
fi

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
field() { awk -v k="$1" '{ for (i = 1; i < NF; i++) if ($i == k) print $(i + 1) }' "$2"; }

# The token reaches frontline through its environment, read from the file by a wrapper.
setup_screen() {
	export XDG_STATE_HOME="$TEST_TMP/state" XDG_CONFIG_HOME="$TEST_TMP/config"
	mkdir -p "$XDG_CONFIG_HOME/frontline"
	printf '[backend]\nurl = %s\n' "$SIM_URL" >"$XDG_CONFIG_HOME/frontline/config"
	cat >"$TEST_TMP/run-frontline" <<-WRAP
		#!/bin/bash
		FRONTLINE_TOKEN=\$(cat '$SIM_TOKEN_FILE') || exit 99
		export FRONTLINE_TOKEN LC_ALL=C.UTF-8
		exec '$FRONTLINE' 2>'$TEST_TMP/screen.err'
	WRAP
	chmod 700 "$TEST_TMP/run-frontline"
}

# 10,000: first screen (median of RUNS), idle bytes and CPU over 60 s (last run).
sim_start --conversations 10000 --arrivals 0 --rate-limit 100000000
setup_screen
: >"$TEST_TMP/ready"
for i in $(seq "$runs"); do
	idle=5
	[ "$i" = "$runs" ] && idle=60
	rm -rf "$XDG_STATE_HOME"
	"$SCREEN" 120 40 10000 "$idle" 20 "$TEST_TMP/run-frontline" >"$TEST_TMP/s10" ||
		fail "the screen benchmark failed at 10,000: $(cat "$TEST_TMP/screen.err" 2>/dev/null)"
	field ready_ms "$TEST_TMP/s10" >>"$TEST_TMP/ready"
done
READY=$(median <"$TEST_TMP/ready")
IDLE_BYTES=$(field idle_bytes_per_s "$TEST_TMP/s10")
IDLE_CPU=$(field idle_cpu_pct "$TEST_TMP/s10")
sim_stop

# 100,000: 500 keys (j k G g in turn), each between two ticks of the clock.
sim_start --conversations 100000 --arrivals 0 --rate-limit 100000000
setup_screen
"$SCREEN" 120 40 100000 5 500 "$TEST_TMP/run-frontline" >"$TEST_TMP/s100" ||
	fail "the screen benchmark failed at 100,000: $(cat "$TEST_TMP/screen.err" 2>/dev/null)"
KEYS=$(field keys "$TEST_TMP/s100")
P50=$(field p50_ms "$TEST_TMP/s100")
P99=$(field p99_ms "$TEST_TMP/s100")
MAX=$(field max_ms "$TEST_TMP/s100")
LOST=$(field lost "$TEST_TMP/s100")
READY100=$(field ready_ms "$TEST_TMP/s100")

printf '\nfrontline screen (pty + libvterm, 120x40), %s runs, %s cores %s\n' "$runs" "$(nproc)" "$(uname -m)"
printf '%-58s %12s %10s\n' figure measured budget
printf '%-58s %12s %10s\n' "start to complete first screen, 10,000: ms (median)" "$READY" "< 2000"
printf '%-58s %12s %10s\n' "start to complete first screen, 100,000: ms" "$READY100" ""
printf '%-58s %12s %10s\n' "idle with 10,000: bytes to the terminal per second" "$IDLE_BYTES" "< 2048"
printf '%-58s %12s %10s\n' "idle with 10,000 (screen): CPU % of a core" "$IDLE_CPU" "< 1"
printf '%-58s %12s %10s\n' "key to updated screen, 100,000 ($KEYS keys): median ms" "$P50" ""
printf '%-58s %12s %10s\n' "key to updated screen, 100,000: 99th percentile ms" "$P99" "< 16"
printf '%-58s %12s %10s\n' "key to updated screen, 100,000: slowest ms" "$MAX" ""
printf '%-58s %12s %10s\n' "keys with no answer within 1 s" "$LOST" "0"

mkdir -p "$(dirname "$BENCH_JSON")"
[ -s "$BENCH_JSON" ] || echo '{}' >"$BENCH_JSON"
jq --argjson ready "$READY" --argjson ready100 "$READY100" --argjson bytes "$IDLE_BYTES" \
	--argjson cpu "$IDLE_CPU" --argjson keys "$KEYS" --argjson p50 "$P50" --argjson p99 "$P99" \
	--argjson max "$MAX" --argjson lost "$LOST" \
	'.screen = {first_screen_ms: {"10000": $ready, "100000": $ready100},
	  idle_10000: {bytes_per_s: $bytes, cpu_pct: $cpu},
	  key_latency_100000: {keys: $keys, median_ms: $p50, p99_ms: $p99, max_ms: $max, lost: $lost}}' \
	"$BENCH_JSON" >"$BENCH_JSON.new" && mv "$BENCH_JSON.new" "$BENCH_JSON"
echo "written to $BENCH_JSON"
