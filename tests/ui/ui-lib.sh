# Helpers for the screen tests (tests/ui/*.test), sourced after tests/lib.sh and
# tests/client-lib.sh: run the real frontline in a private tmux server against the sim,
# read the screen with capture-pane, and wait for what it shows. The token reaches
# frontline through a wrapper script that reads the token file: never through argv.

need tmux tmux
need python3 python3

UI_SOCK="ui$$"
UI_SCREEN="$TEST_TMP/screen"

tm() {
	tmux -L "$UI_SOCK" -f /dev/null "$@"
}

ui_cleanup() {
	tm kill-server 2>/dev/null
	fl_lib_cleanup
}
trap ui_cleanup EXIT

# ui_start COLS ROWS [VAR=VALUE...]: frontline's screen in a tmux window of that size,
# with the environment fl_setup prepared plus the given variables, and the options in
# $UI_OPTIONS (e.g. --demo); with FL_NO_TOKEN set (demo_setup sets it), no token. Its
# stderr goes to $TEST_TMP/ui.err and its exit status to $TEST_TMP/ui.rc.
ui_start() {
	local cols=$1 rows=$2 token="FRONTLINE_TOKEN=\$(cat '$SIM_TOKEN_FILE') || exit 99"
	shift 2
	[ -z "${FL_NO_TOKEN:-}" ] || token=:
	cat >"$TEST_TMP/run-frontline" <<-EOF
		#!/bin/bash
		$token
		export FRONTLINE_TOKEN
		'$FRONTLINE' ${UI_OPTIONS:-} 2>'$TEST_TMP/ui.err'
		echo \$? >'$TEST_TMP/ui.rc'
	EOF
	chmod 700 "$TEST_TMP/run-frontline"
	rm -f "$TEST_TMP/ui.rc"
	tm new-session -d -s ui -x "$cols" -y "$rows" \
		env XDG_CONFIG_HOME="$XDG_CONFIG_HOME" XDG_STATE_HOME="$XDG_STATE_HOME" \
		LC_ALL=C.UTF-8 NO_COLOR="${NO_COLOR:-}" TERM=tmux-256color "$@" \
		"$TEST_TMP/run-frontline" || fail "cannot start tmux"
	tm set-option -g status off >/dev/null
	tm set-option -g remain-on-exit on >/dev/null
}

# ui_capture: the screen as text into $UI_SCREEN (and stdout).
ui_capture() {
	tm capture-pane -p -t ui >"$UI_SCREEN" 2>/dev/null
	cat "$UI_SCREEN"
}

# ui_has REGEX: the screen shows a line matching REGEX (grep -E).
ui_has() {
	ui_capture >/dev/null
	grep -qE -- "$1" "$UI_SCREEN"
}

ui_lacks() {
	! ui_has "$1"
}

# ui_wait WHAT REGEX [SECONDS]: wait until the screen shows REGEX; on timeout, fail
# showing the screen and frontline's stderr.
ui_wait() {
	local what=$1 re=$2 secs=${3:-20} deadline
	deadline=$(($(date +%s) + secs))
	until ui_has "$re"; do
		if [ "$(date +%s)" -ge "$deadline" ]; then
			printf '%s\n' '--- screen ---' >&2
			cat "$UI_SCREEN" >&2
			printf '%s\n' '--- stderr ---' >&2
			cat "$TEST_TMP/ui.err" >&2 2>/dev/null
			fail "timed out waiting for $what (/$re/)"
		fi
		ui_running || { cat "$TEST_TMP/ui.err" >&2; fail "frontline exited while waiting for $what"; }
		sleep 0.05
	done
}

ui_running() {
	[ ! -e "$TEST_TMP/ui.rc" ]
}

# ui_keys KEYS...: tmux send-keys names (Enter, Tab, C-d, ...).
ui_keys() {
	tm send-keys -t ui "$@"
}

# ui_type TEXT: literal text.
ui_type() {
	tm send-keys -t ui -l -- "$1"
}

# ui_line REGEX: the first screen line matching REGEX.
ui_line() {
	ui_capture >/dev/null
	grep -E -m1 -- "$1" "$UI_SCREEN"
}

# ui_quit: q (back out of the views, then quit) until frontline exits; it must exit 0
# and write nothing to stderr that holds the token.
ui_quit() {
	local i deadline
	for i in 1 2 3 4 5 6; do
		ui_running || break
		ui_keys q
		deadline=$(($(date +%s) + 2))
		while ui_running && [ "$(date +%s)" -lt "$deadline" ]; do
			sleep 0.05
		done
	done
	ui_running && fail "frontline did not quit on q"
	expect_eq "$(cat "$TEST_TMP/ui.rc")" 0 "frontline's exit status (stderr: $(head -c 600 "$TEST_TMP/ui.err"))"
	fl_check_no_token "$TEST_TMP/ui.err" "$UI_SCREEN"
}

# ui_sim_teams: RT_TEAM and ST_TEAM, the sim's Live chat and Support team ids.
ui_sim_teams() {
	api GET /teams
	expect_status 200 "GET /teams"
	RT_TEAM=$(jqr '.teams[] | select(.name == "Live chat") | .id')
	ST_TEAM=$(jqr '.teams[] | select(.name == "Support") | .id')
}

# ui_display_col LINE TEXT: the screen column (0-based, in cells) where TEXT starts in LINE,
# counting wide characters as two cells as the terminal does.
ui_display_col() {
	python3 - "$1" "$2" <<-'EOF'
		import sys, unicodedata
		line, text = sys.argv[1], sys.argv[2]
		i = line.find(text)
		if i < 0:
		    print(-1); sys.exit(0)
		col = 0
		for ch in line[:i]:
		    if unicodedata.combining(ch):
		        continue
		    col += 2 if unicodedata.east_asian_width(ch) in ('W', 'F') else 1
		print(col)
	EOF
}
