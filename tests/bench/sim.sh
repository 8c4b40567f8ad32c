#!/usr/bin/env bash
# Measures frontline-sim at scale: the time to generate a world of N conversations, and
# the median and 90th-percentile time to serve one search page of 150 (the first page,
# which takes the snapshot, and a later page through the cursor) and one conversation.
# Prints a table; exits non-zero only if it could not run. Usage: sim.sh [N] [RUNS]
set -u
top_srcdir=$(cd "$(dirname "$0")/../.." && pwd)
: "${abs_top_srcdir:=$top_srcdir}"
. "$abs_top_srcdir/tests/lib.sh"

n=${1:-100000}
runs=${2:-21}

start=$(date +%s.%N)
sim_start --conversations "$n" --arrivals 0 --articles 300
ready=$(date +%s.%N)

# median_p90 FILE: "median p90" of the numbers in FILE, in milliseconds.
median_p90() {
	sort -n "$1" | awk '{ v[NR] = $1 * 1000 } END {
		m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
		p = v[int(NR * 0.9 + 0.999)]
		printf "%.1f %.1f", m, p }'
}

# time_call FILE METHOD PATH [BODY]: append the call's total time in seconds to FILE.
time_call() {
	local file=$1 method=$2 path=$3
	shift 3
	curl -sS -o "$API_BODY" -w '%{time_total}\n' -X "$method" -H @"$TEST_TMP/auth-headers" \
		${1:+-H 'Content-Type: application/json' --data-binary "$1"} "$SIM_URL$path" >>"$file" ||
		fail "request failed: $method $path"
}

query='{"query":{"operator":"AND","value":[{"field":"open","operator":"=","value":true},{"field":"team_assignee_id","operator":"IN","value":[5001,5002]}]},"pagination":{"per_page":150}}'
for _ in $(seq "$runs"); do
	time_call "$TEST_TMP/first" POST /conversations/search "$query"
done
cursor=$(jqr '.pages.next.starting_after')
total=$(jqr '.total_count')
[ "$cursor" != null ] || fail "no second page: total_count $total"
for _ in $(seq "$runs"); do
	time_call "$TEST_TMP/next" POST /conversations/search \
		"{\"query\":{},\"pagination\":{\"per_page\":150,\"starting_after\":\"$cursor\"}}"
done
id=$(jqr '.conversations[0].id')
for _ in $(seq "$runs"); do
	time_call "$TEST_TMP/one" GET "/conversations/$id"
done
rss=$(awk '/VmRSS/ {print $2}' "/proc/$SIM_PID/status")

printf '\nfrontline-sim with %s conversations (%s open), %s runs each, on %s\n' \
	"$n" "$total" "$runs" "$(nproc) cores, $(uname -m)"
printf '%-44s %10s %10s\n' "figure" "median ms" "p90 ms"
printf '%-44s %10.0f\n' "generate the world and start listening" \
	"$(awk -v a="$start" -v b="$ready" 'BEGIN { print (b - a) * 1000 }')"
printf '%-44s %10s %10s\n' "search, first page of 150 (takes snapshot)" $(median_p90 "$TEST_TMP/first")
printf '%-44s %10s %10s\n' "search, later page of 150 (cursor)" $(median_p90 "$TEST_TMP/next")
printf '%-44s %10s %10s\n' "one conversation with its parts" $(median_p90 "$TEST_TMP/one")
printf '%-44s %10s\n' "sim resident memory, MB" "$((rss / 1024))"
