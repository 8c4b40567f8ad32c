#!/usr/bin/env bash
# Measures frontline report over a 30-day range of N conversations (default 100,000) from
# the sim at its default rate limit (1,000 requests in 10 s): the cold run (every page of
# the search, the cache filled), the warm run (the cache: only what changed since), their
# wall time and peak resident memory, and the conversations whose parts it read (those
# the statistics do not account for). The world is a generated month (frontline-sim
# --history 30d): the conversations were created over the 30 days, the older ones
# answered, some asked and answered again, and closed; only the last hours' are open, so
# a few change a minute, as in a real workspace. With EXCHANGES, that many conversations
# first get a customer's message and a reply more. Prints a table; exits non-zero only if
# it could not run.
# Usage: report.sh [N [EXCHANGES]]
set -u
: "${abs_top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$abs_top_srcdir/tests/lib.sh"
n=${1:-100000}
exchanges=${2:-0}

# Both runs report on the same 30 days, from before the world was made: "--since 30d"
# would move on while a cold run takes minutes and leave the month's first out of the warm.
days=30
since=$(date -ud "@$(($(date +%s) - days * 86400))" +%FT%TZ)
sim_start --history "${days}d" --conversations "$n" --arrivals 0 --followup-rate 0 --control
export XDG_STATE_HOME="$TEST_TMP/state" XDG_CONFIG_HOME="$TEST_TMP/config"
admin=$(curl -sS -H @"$TEST_TMP/auth-headers" "$SIM_URL/admins" | jq -r '.admins[0].id')
for id in $(seq 1 "$exchanges"); do
	for what in customer_reply admin_reply; do
		curl -sS -o /dev/null -H @"$TEST_TMP/auth-headers" -H 'Content-Type: application/json' \
			--data-binary "{\"body\": \"one more thing\", \"admin_id\": $admin}" \
			"$SIM_URL/_sim/conversations/$id/$what" || fail "the exchange on $id failed"
	done
done
FRONTLINE_TOKEN=$(cat "$SIM_TOKEN_FILE")
export FRONTLINE_TOKEN
printf '[backend]\nurl = %s\n[queue realtime]\nteams = Live chat\nfirst_response = 2m\n[queue standard]\nteams = Support\nfirst_response = 15m\n' \
	"$SIM_URL" >"$TEST_TMP/cfg"

stat_of() { curl -sS -H @"$TEST_TMP/auth-headers" "$SIM_URL/_sim/stats" | jq -r ".$1"; }

# report LABEL [OPTION]: a 30-day report; sets WALL (s), PEAK (MB), CONVS, and PAGES and
# FETCHED (the searches it made, the conversations they returned).
report() {
	local s0 r0
	s0=$(stat_of searches) r0=$(stat_of search_results)
	/usr/bin/time -f '%e %M' -o "$TEST_TMP/time" "$FRONTLINE" --config "$TEST_TMP/cfg" \
		report --since "$since" --json "${@:2}" >"$TEST_TMP/$1.json" 2>"$TEST_TMP/$1.err" ||
		fail "frontline report ($1) failed: $(tail -c 400 "$TEST_TMP/$1.err")"
	read -r WALL PEAK <"$TEST_TMP/time"
	PEAK=$(awk -v k="$PEAK" 'BEGIN { printf "%.0f", k / 1024 }')
	CONVS=$(jq .conversations "$TEST_TMP/$1.json")
	PAGES=$(($(stat_of searches) - s0)) FETCHED=$(($(stat_of search_results) - r0))
	PARTS="$(jq .parts.needed "$TEST_TMP/$1.json")/$(jq .parts.fetched "$TEST_TMP/$1.json")"
}

report cold
COLD=$WALL COLD_PEAK=$PEAK COLD_CONVS=$CONVS COLD_PAGES=$PAGES COLD_FETCHED=$FETCHED COLD_PARTS=$PARTS
report warm
WARM=$WALL WARM_PEAK=$PEAK WARM_CONVS=$CONVS WARM_PAGES=$PAGES WARM_FETCHED=$FETCHED WARM_PARTS=$PARTS
[ "$COLD_CONVS" = "$WARM_CONVS" ] || fail "the warm report counted $WARM_CONVS, the cold $COLD_CONVS"

printf '\nfrontline report, 30 days, %s conversations (%s with an exchange more), %s cores %s\n' \
	"$COLD_CONVS" "$exchanges" "$(nproc)" "$(uname -m)"
printf 'the world: %s conversations created over %s, the last 3 hours open\n' "$n" "${days}d"
printf '%-58s %12s %10s\n' figure measured budget
printf '%-58s %12s %10s\n' "cold report (every page, default rate limit), wall s" "$COLD" "< 10"
printf '%-58s %12s %10s\n' "warm report (from the cache), wall s" "$WARM" "< 1"
printf '%-58s %12s %10s\n' "peak resident memory, cold, MB" "$COLD_PEAK" "< 200"
printf '%-58s %12s %10s\n' "peak resident memory, warm, MB" "$WARM_PEAK" "< 200"
printf '%-58s %12s %10s\n' "cold: search pages / conversations fetched" "$COLD_PAGES/$COLD_FETCHED" ""
printf '%-58s %12s %10s\n' "warm: search pages / conversations fetched" "$WARM_PAGES/$WARM_FETCHED" ""
printf '%-58s %12s %10s\n' "cold: conversations whose parts were needed / read" "$COLD_PARTS" ""
printf '%-58s %12s %10s\n' "warm: conversations whose parts were needed / read" "$WARM_PARTS" ""
