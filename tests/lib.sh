# Shared helpers for the shell tests: start a frontline-sim on a free loopback port, call
# its API with curl (the token travels in a header file, never in argv), and assert.
# Sourced by every tests/*/*.test script. Exit codes follow automake: 0 pass, 1 fail,
# 77 skip, 99 hard error.

set -u

: "${SIM:=${abs_top_builddir:-$(pwd)}/src/frontline-sim}"
: "${FRONTLINE:=${abs_top_builddir:-$(pwd)}/src/frontline}"

TEST_TMP=$(mktemp -d "${TMPDIR:-/tmp}/frontline-test.XXXXXX") || exit 99
SIM_PID=
SIM_URL=
API_STATUS=
API_BODY="$TEST_TMP/body"
API_HEADERS="$TEST_TMP/resp-headers"
SIM_TOKEN_FILE="$TEST_TMP/token"

# Under valgrind (make check-valgrind, or VALGRIND=valgrind in the environment, with a
# build configured without --enable-sanitizers): frontline and frontline-sim run through
# a wrapper; a memory error or a definite leak makes the program exit 97 and the test
# fail, its valgrind report in the test's log.
if [ -n "${VALGRIND:-}" ]; then
	mkdir -p "$TEST_TMP/valgrind"
	for prog in FRONTLINE SIM; do
		real=${!prog}
		printf '#!/bin/sh\nexec %s --quiet --leak-check=full --show-leak-kinds=definite --errors-for-leak-kinds=definite --error-exitcode=97 --log-file=%s "%s" "$@"\n' \
			"$VALGRIND" "$TEST_TMP/valgrind/$prog.%p.log" "$real" >"$TEST_TMP/valgrind/$prog"
		chmod 700 "$TEST_TMP/valgrind/$prog"
		printf -v "$prog" '%s' "$TEST_TMP/valgrind/$prog"
	done
fi

# valgrind_report: the reports of runs with errors or definite leaks, on stderr; false when
# there were any.
valgrind_report() {
	local log bad=0
	for log in "$TEST_TMP"/valgrind/*.log; do
		[ -s "$log" ] || continue
		if grep -qE 'ERROR SUMMARY: [1-9]|definitely lost: [1-9]' "$log"; then
			printf 'valgrind: %s\n' "$(basename "$log")" >&2
			cat "$log" >&2
			bad=1
		fi
	done
	return $bad
}

# sim_stop: kill the sim (the backend goes away) and forget it.
sim_stop() {
	if [ -n "$SIM_PID" ]; then
		kill "$SIM_PID" 2>/dev/null
		wait "$SIM_PID" 2>/dev/null
		SIM_PID=
	fi
}

test_cleanup() {
	sim_stop
	if [ -n "${VALGRIND:-}" ] && ! valgrind_report; then
		rm -rf "$TEST_TMP"
		exit 1
	fi
	rm -rf "$TEST_TMP"
}
trap test_cleanup EXIT

fail() {
	printf 'FAIL: %s\n' "$*" >&2
	exit 1
}

skip() {
	printf 'SKIP: %s\n' "$*" >&2
	exit 77
}

# missing WHAT PACKAGES: the test cannot run without WHAT, which Debian's PACKAGES provide
# and .ci/install-deps --test installs. It skips, saying so; in CI (CI=true) it fails, so a run
# cannot go green while a guarantee goes untested.
missing() {
	local msg="$1 is missing: bash .ci/install-deps --test installs it (Debian: $2)"
	[ "${CI:-}" = true ] && fail "$msg; CI=true runs every test"
	skip "$msg"
}

# need TOOL PACKAGE: the test runs TOOL, from Debian's PACKAGE.
need() {
	command -v "$1" >/dev/null 2>&1 || missing "$1" "$2"
}
need curl curl
need jq jq

# wait_for DESCRIPTION SECONDS COMMAND...: retry COMMAND until it succeeds or time runs out.
wait_for() {
	local what=$1 secs=$2
	shift 2
	local deadline=$(($(date +%s) + secs))
	until "$@"; do
		[ "$(date +%s)" -lt "$deadline" ] || fail "timed out waiting for $what"
		sleep 0.05
	done
}

# sim_start [OPTIONS...]: start frontline-sim on a free port with a fresh token. With
# DIALECT=chatwoot, the sim speaks its Chatwoot dialect (and api sends the token as
# Chatwoot takes it; its paths then start with /api/v1/...); with --control, api reads
# and sets the stage through the Intercom view of the same world (/_sim/intercom/...), so
# that a test written against Intercom's answers checks the client whichever dialect it
# speaks. SIM_ARGS: options every sim of the test gets (the Chatwoot runs of the shared
# tests, tests/chatwoot/*.cw, give --control and --no-sla: the queues' targets, as on
# Intercom, rather than the sim's SLA policies).
: "${DIALECT:=intercom}" "${SIM_ARGS:=}"
sim_start() {
	[ -x "$SIM" ] || { echo "no frontline-sim at $SIM" >&2; exit 99; }
	sim_stop # one sim at a time: the one started before would outlive the test
	# shellcheck disable=SC2086 # words, on purpose
	set -- "$@" $SIM_ARGS
	head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$SIM_TOKEN_FILE"
	chmod 600 "$SIM_TOKEN_FILE"
	if [ "$DIALECT" = chatwoot ]; then
		printf 'api_access_token: %s\nAccept: application/json\n' \
			"$(cat "$SIM_TOKEN_FILE")" >"$TEST_TMP/auth-headers"
	else
		printf 'Authorization: Bearer %s\nIntercom-Version: 2.16\nAccept: application/json\n' \
			"$(cat "$SIM_TOKEN_FILE")" >"$TEST_TMP/auth-headers"
	fi
	rm -f "$TEST_TMP/port"
	"$SIM" --port 0 --port-file "$TEST_TMP/port" --token-file "$SIM_TOKEN_FILE" \
		--dialect "$DIALECT" --quiet "$@" >"$TEST_TMP/sim.out" 2>"$TEST_TMP/sim.err" &
	SIM_PID=$!
	wait_for "frontline-sim to listen" 30 sim_listening
	SIM_URL="http://127.0.0.1:$(cat "$TEST_TMP/port")"
}

sim_listening() {
	kill -0 "$SIM_PID" 2>/dev/null || { cat "$TEST_TMP/sim.err" >&2; fail "frontline-sim exited"; }
	[ -s "$TEST_TMP/port" ]
}

# row_text TITLE BODY: what a queue row shows of a conversation created with TITLE and
# the opening message BODY: its title where a chat has one (Intercom), else the message
# (Chatwoot's chats have no subject). chat_title TEXT: TEXT where a chat has a title,
# nothing where it has none (e.g. " — Subject" after a name).
row_text() {
	if [ "$DIALECT" = chatwoot ]; then printf '%s' "$2"; else printf '%s' "$1"; fi
}
chat_title() {
	[ "$DIALECT" = chatwoot ] || printf '%s' "$1"
}

# api METHOD PATH [JSON-BODY]: call the sim; sets API_STATUS, body in $API_BODY. An
# Intercom PATH goes to the sim's Intercom view when it speaks Chatwoot (not with API_BASE
# set: the Chatwoot tests' own paths).
api() {
	local method=$1 path=$2
	shift 2
	if [ "$DIALECT" = chatwoot ] && [ -z "${API_BASE:-}" ] && [[ $path != /_sim/* ]]; then
		path=/_sim/intercom$path
	fi
	local data=()
	if [ $# -gt 0 ]; then
		data=(-H 'Content-Type: application/json' --data-binary "$1")
	fi
	API_STATUS=$(curl -sS -o "$API_BODY" -D "$API_HEADERS" -w '%{http_code}' \
		-X "$method" -H @"$TEST_TMP/auth-headers" "${data[@]}" "${API_BASE:-$SIM_URL}$path") ||
		API_STATUS=000
}

# api_noauth METHOD PATH [CURL-ARGS...]: call without the token.
api_noauth() {
	local method=$1 path=$2
	shift 2
	API_STATUS=$(curl -sS -o "$API_BODY" -D "$API_HEADERS" -w '%{http_code}' \
		-X "$method" "$@" "${API_BASE:-$SIM_URL}$path") || API_STATUS=000
}

# jqr FILTER: evaluate a jq filter (raw output) on the last response body.
jqr() {
	jq -r "$@" <"$API_BODY"
}

# header NAME: value of a response header of the last call.
header() {
	tr -d '\r' <"$API_HEADERS" | awk -v n="$(echo "$1" | tr 'A-Z' 'a-z')" \
		'BEGIN{FS=": "} tolower($1)==n {print $2}' | tail -n 1
}

expect_status() {
	[ "$API_STATUS" = "$1" ] || fail "${2:-request}: HTTP $API_STATUS, expected $1: $(head -c 400 "$API_BODY")"
}

expect_eq() {
	[ "$1" = "$2" ] || fail "${3:-value}: got '$1', expected '$2'"
}

# expect_error STATUS CODE WHAT: the last call answered an Intercom error.list.
expect_error() {
	expect_status "$1" "$3"
	expect_eq "$(jqr '.type')" error.list "$3: type"
	expect_eq "$(jqr '.errors[0].code')" "$2" "$3: error code"
}
