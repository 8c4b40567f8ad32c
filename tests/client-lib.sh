# Helpers for the client tests (tests/client/*.test), sourced after tests/lib.sh: write a
# configuration pointing at the sim, run the real frontline binary with the token in the
# environment (never in argv), and check that the token never shows up in its output.

FL_OUT="$TEST_TMP/fl.out"
FL_ERR="$TEST_TMP/fl.err"
FL_RC=
FL_CONFIG=
: "${FL_TIMEOUT:=60}"

[ -x "$FRONTLINE" ] || { echo "no frontline at $FRONTLINE" >&2; exit 99; }
need ps procps

# fl_setup [EXTRA-CONFIG-LINES...]: fresh XDG dirs under $TEST_TMP and a configuration at
# $XDG_CONFIG_HOME/frontline/config (mode 0600) for the running sim: [backend] url, a
# poll_interval of 1s and the admin to act as (the sim's workspace has several agents:
# $FL_ADMIN, else the token's owner; FL_ADMIN= leaves it unset), then the extra lines as
# given (e.g. more [backend] keys or [queue ...] sections).
fl_setup() {
	export XDG_CONFIG_HOME="$TEST_TMP/xdg-config" XDG_STATE_HOME="$TEST_TMP/xdg-state"
	FL_STATE="$XDG_STATE_HOME/frontline"
	mkdir -p "$XDG_CONFIG_HOME/frontline" "$XDG_STATE_HOME"
	FL_CONFIG="$XDG_CONFIG_HOME/frontline/config"
	{
		printf '[backend]\nurl = %s\npoll_interval = 1s\n' "$SIM_URL"
		[ "$DIALECT" != chatwoot ] || printf 'type = chatwoot\naccount_id = %s\n' "$CW_ACCOUNT"
		[ -z "${FL_ADMIN-$SIM_OWNER}" ] || printf 'admin = %s\n' "${FL_ADMIN-$SIM_OWNER}"
		[ $# -eq 0 ] || printf '%s\n' "$@"
	} >"$FL_CONFIG"
	chmod 600 "$FL_CONFIG"
	# Nothing from the caller's environment may leak into the client under test.
	unset FRONTLINE_TOKEN FRONTLINE_ADMIN VISUAL EDITOR
	export NO_COLOR=1 LC_ALL=C.UTF-8
}

# config_line TEXT: the number of the configuration's first line that is TEXT (a
# backend's own lines come before the extra ones, so tests do not count them).
config_line() {
	grep -nxF -m1 -- "$1" "$FL_CONFIG" | cut -d: -f1
}

# demo_setup: fresh XDG dirs under $TEST_TMP for frontline --demo, whose sim, world and
# token are then in $DEMO_DIR (never the user's); the demo token is checked absent from
# the output as the sim's is. The demo sim outlives the commands: it is stopped at exit.
DEMO_DIR=
demo_setup() {
	export XDG_CONFIG_HOME="$TEST_TMP/xdg-config" XDG_STATE_HOME="$TEST_TMP/xdg-state"
	mkdir -p "$XDG_CONFIG_HOME" "$XDG_STATE_HOME"
	unset FRONTLINE_TOKEN FRONTLINE_DEMO_IDLE VISUAL EDITOR
	export NO_COLOR=1 LC_ALL=C.UTF-8
	FL_NO_TOKEN=1
	DEMO_DIR=$XDG_STATE_HOME/frontline/demo
	SIM_TOKEN_FILE=$DEMO_DIR/token
	# The sim frontline starts: beside it, or (under valgrind's wrapper) this one in PATH.
	mkdir -p "$TEST_TMP/demo-bin"
	ln -sf "$SIM" "$TEST_TMP/demo-bin/frontline-sim"
	export PATH="$TEST_TMP/demo-bin:$PATH"
}

# demo_pid: the pid of the last demo sim started, from its pid file.
demo_pid() {
	cut -d' ' -f1 "$DEMO_DIR/sim.pid" 2>/dev/null
}

# demo_names_dir PID: the process's arguments name this test's demo directory.
demo_names_dir() {
	{ tr '\0' ' ' <"/proc/$1/cmdline"; } 2>/dev/null | grep -qF -- "--port-file $DEMO_DIR/port "
}

# demo_kill: stop this test's demo sim, by the pid in its pid file.
demo_kill() {
	local pid
	pid=$(demo_pid)
	[ -n "$pid" ] && demo_names_dir "$pid" && kill "$pid" 2>/dev/null
	return 0
}

# fl_token: the sim's token (for the environment of a frontline run, never its argv).
fl_token() {
	cat "$SIM_TOKEN_FILE"
}

# fl_check_no_token FILE...: fail if the token appears in any of the files.
fl_check_no_token() {
	local f tok
	tok=$(fl_token 2>/dev/null) || return 0
	[ -n "$tok" ] || return 0
	for f in "$@"; do
		[ -f "$f" ] || continue
		if grep -qF -- "$tok" "$f"; then
			fail "the token appears in $(basename "$f"): $(head -c 300 "$f")"
		fi
	done
}

# fl ARGS...: run frontline with standard input from /dev/null; sets FL_RC, output in
# $FL_OUT and $FL_ERR. The token comes from FRONTLINE_TOKEN unless FL_NO_TOKEN is set.
fl() {
	fl_stdin /dev/null "$@"
}

# fl_stdin FILE ARGS...: the same with standard input from FILE.
fl_stdin() {
	local in=$1
	shift
	FL_RC=0
	if [ -n "${FL_NO_TOKEN:-}" ]; then
		timeout -k 5 "$FL_TIMEOUT" "$FRONTLINE" "$@" <"$in" >"$FL_OUT" 2>"$FL_ERR" || FL_RC=$?
	else
		FRONTLINE_TOKEN=$(fl_token) timeout -k 5 "$FL_TIMEOUT" "$FRONTLINE" "$@" \
			<"$in" >"$FL_OUT" 2>"$FL_ERR" || FL_RC=$?
	fi
	[ "$FL_RC" != 124 ] || fail "frontline $* did not finish within ${FL_TIMEOUT}s"
	fl_check_no_token "$FL_OUT" "$FL_ERR"
}

# fl_what: a short description of the last run for failure messages.
fl_what() {
	printf 'exit %s; stdout: %s; stderr: %s' "$FL_RC" "$(head -c 300 "$FL_OUT")" \
		"$(head -c 400 "$FL_ERR")"
}

# expect_rc CODE WHAT: the last frontline run exited with CODE.
expect_rc() {
	[ "$FL_RC" = "$1" ] || fail "$2: expected exit $1, got $(fl_what)"
}

# fl_bg OUTFILE ARGS...: start frontline in the background (standard input /dev/null,
# stdout to OUTFILE, stderr to OUTFILE.err); sets FL_BG_PID. Stopped at exit.
FL_BG_PIDS=
fl_bg() {
	local out=$1
	shift
	FRONTLINE_TOKEN=$(fl_token) "$FRONTLINE" "$@" </dev/null >"$out" 2>"$out.err" &
	FL_BG_PID=$!
	FL_BG_PIDS="$FL_BG_PIDS $FL_BG_PID"
}

# fl_bg_stop PID: SIGTERM a background frontline and wait for it, at most 10 s; sets
# FL_BG_RC (its exit status; 128+N if a signal N killed it).
fl_bg_stop() {
	local pid=$1 i
	FL_BG_RC=
	kill -TERM "$pid" 2>/dev/null
	for i in $(seq 1 200); do
		fl_pid_running "$pid" || break
		sleep 0.05
	done
	if fl_pid_running "$pid"; then
		kill -KILL "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
		fail "frontline (pid $pid) did not exit within 10 s of SIGTERM"
	fi
	wait "$pid" 2>/dev/null
	FL_BG_RC=$?
}

# fl_pid_running PID: the process exists and has not finished. A zombie is finished
# (wait collects it); so is one the shell has already reaped, which ps no longer lists,
# even between two checks: one ps answers both.
fl_pid_running() {
	local st
	st=$(ps -o stat= -p "$1" 2>/dev/null | cut -c1)
	[ -n "$st" ] && [ "$st" != Z ]
}

# sim_faults JSON: set the sim's fault injection (needs --control).
sim_faults() {
	api POST /_sim/faults "$1"
	expect_status 200 "POST /_sim/faults $1"
}

# sim_open_ids FILE [TEAM-IDS-JSON]: the ids of the sim's open conversations of the given
# teams (default: both), one per line and sorted, paged through /conversations/search
# with 150 per page. The conversations themselves, one JSON object a line, go to
# FILE.jsonl. Under DIALECT=chatwoot, the snoozed ones are left out: a Chatwoot queue is
# its status=open, and snoozed is a status of its own there.
sim_open_ids() {
	local out=$1 teams=${2:-} after= q page=0
	[ -n "$teams" ] || { api GET /teams; expect_status 200 "GET /teams"; teams=$(jqr -c '[.teams[].id | tonumber]'); }
	: >"$out.unsorted"
	: >"$out.jsonl"
	while :; do
		q=$(jq -cn --argjson t "$teams" --arg after "$after" '{query: {operator: "AND", value: [
			{field: "open", operator: "=", value: true},
			{field: "team_assignee_id", operator: "IN", value: $t}]},
			pagination: ({per_page: 150} + (if $after == "" then {} else {starting_after: $after} end))}')
		api POST /conversations/search "$q"
		expect_status 200 "search page $page"
		jq -c --arg d "$DIALECT" '.conversations[] | select($d != "chatwoot" or .state == "open")' \
			<"$API_BODY" | tee -a "$out.jsonl" | jq -r .id >>"$out.unsorted"
		after=$(jqr '.pages.next.starting_after // empty')
		page=$((page + 1))
		[ -n "$after" ] || break
		[ $page -lt 1000 ] || fail "the sim's search pages never end"
	done
	sort -n "$out.unsorted" >"$out"
	rm -f "$out.unsorted"
}

# sim_create JSON: create a conversation through the control endpoint; sets CONV to its id.
sim_create() {
	api POST /_sim/conversations "$1"
	expect_status 200 "POST /_sim/conversations $1"
	CONV=$(jqr .id)
}

# sim_copies CONV TEXT: how many parts of the conversation hold TEXT (a write that must
# arrive once shows 1; twice would be a duplicate).
sim_copies() {
	api GET "/conversations/$1?display_as=plaintext"
	expect_status 200 "GET /conversations/$1"
	jqr --arg t "$2" '[.conversation_parts.conversation_parts[] | select((.body // "") | contains($t))] | length'
}

# The account of the sim's Chatwoot dialect, and its API's base (for API_BASE).
CW_ACCOUNT=3
cw_base() {
	printf '%s/api/v1/accounts/%s' "$SIM_URL" "$CW_ACCOUNT"
}

# The sim's token owner (GET /me), one of its several human admins.
SIM_OWNER=maya.patel@example.com

# sim_me: set SIM_ME to the token's teammate id.
SIM_ME=
sim_me() {
	api GET /me
	expect_status 200 "GET /me"
	SIM_ME=$(jqr .id)
}

# later MESSAGE: record a failure and carry on, so that the checks after it still run;
# fl_finish reports them all.
FL_LATER=
later() {
	printf 'FAIL: %s\n' "$*" >&2
	FL_LATER="$FL_LATER$*; "
}

# fl_finish: exit 0, or 1 when later recorded failures.
fl_finish() {
	[ -z "$FL_LATER" ] || fail "earlier failures: $FL_LATER"
	exit 0
}

# last_line FILE: the last line of FILE.
last_line() {
	tail -n 1 "$1" 2>/dev/null
}

fl_lib_cleanup() {
	local p
	for p in $FL_BG_PIDS; do
		kill -TERM "$p" 2>/dev/null && wait "$p" 2>/dev/null
	done
	[ -z "$DEMO_DIR" ] || demo_kill
	test_cleanup
}
trap fl_lib_cleanup EXIT
