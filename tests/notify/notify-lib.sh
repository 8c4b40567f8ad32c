# Helpers for the notification tests (tests/notify/*.test). Source it first: it re-runs
# the test on a private D-Bus session bus (dbus-run-session), then sources tests/lib.sh and
# tests/client-lib.sh. A test notification server (Debian's Python with dbus and GObject
# bindings) records every org.freedesktop.Notifications.Notify call as a JSON line in
# $NOTES, or with "hang" takes each call and never answers it; while $NOTES.stall exists,
# it takes calls and answers them once the file is gone; jq queries read them back.
# notify_command_make writes a notify command that keeps its environment, one file a run.

# Everything runs on a bus of its own, unless the test sets NOTIFY_NO_BUS=1 first.
if [ -z "${NOTIFY_NO_BUS:-}" ] && [ -z "${FRONTLINE_NOTIFY_BUS:-}" ]; then
	if ! command -v dbus-run-session >/dev/null; then
		. "${abs_top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
		need dbus-run-session dbus
	fi
	FRONTLINE_NOTIFY_BUS=1 exec dbus-run-session -- bash "$0" "$@"
fi

. "${abs_top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "${abs_top_srcdir:-$(dirname "$0")/../..}/tests/client-lib.sh"

# Debian's Python: another python3 may come first on PATH without the bindings.
PY=/usr/bin/python3
if [ -z "${NOTIFY_NO_BUS:-}" ]; then
	grep -q '^#define HAVE_LIBNOTIFY 1' "${abs_top_builddir:-.}/build-config.h" 2>/dev/null ||
		skip "frontline is built without libnotify"
	"$PY" -c 'import dbus, dbus.service, dbus.mainloop.glib; from gi.repository import GLib' 2>/dev/null ||
		missing "the D-Bus and GObject bindings of /usr/bin/python3" "python3-dbus python3-gi"
	[ -n "${DBUS_SESSION_BUS_ADDRESS:-}" ] || fail "dbus-run-session set no DBUS_SESSION_BUS_ADDRESS"
fi

cat >"$TEST_TMP/server.py" <<'PY'
# A notification server for tests: logs each Notify as a JSON line (with "t", when it
# arrived); with "hang", takes the call and never answers it; while LOG.stall exists,
# takes calls and answers them when it is gone.
import json, os, sys, time
import dbus, dbus.service, dbus.mainloop.glib
from gi.repository import GLib

dbus.mainloop.glib.DBusGMainLoop(set_as_default=True)
log = sys.argv[1]
hang = len(sys.argv) > 2 and sys.argv[2] == "hang"
IFACE = "org.freedesktop.Notifications"

class Server(dbus.service.Object):
    def __init__(self, bus):
        super().__init__(bus, "/org/freedesktop/Notifications")
        self.next_id = 0
        self.unanswered = []

    @dbus.service.method(IFACE, in_signature="susssasa{sv}i", out_signature="u",
                         async_callbacks=("ok", "err"))
    def Notify(self, app, replaces, icon, summary, body, actions, hints, timeout, ok, err):
        self.next_id += 1
        id = int(replaces) or self.next_id
        record = {"t": time.time(), "id": id, "app": str(app), "replaces_id": int(replaces), "summary": str(summary),
                  "body": str(body), "category": str(hints.get("category", "")),
                  "urgency": int(hints["urgency"]) if "urgency" in hints else None}
        with open(log, "a") as f:
            f.write(json.dumps(record) + "\n")
        if hang or os.path.exists(log + ".stall"):
            self.unanswered.append((ok, id))
            return
        ok(dbus.UInt32(id))

    def answer_held(self):
        if not hang and not os.path.exists(log + ".stall"):
            for ok, id in self.unanswered:
                ok(dbus.UInt32(id))
            self.unanswered = []
        return True

    @dbus.service.method(IFACE, out_signature="as")
    def GetCapabilities(self):
        return ["body"]

    @dbus.service.method(IFACE, out_signature="ssss")
    def GetServerInformation(self):
        return ("frontline-test-server", "frontline", "1", "1.2")

    @dbus.service.method(IFACE, in_signature="u")
    def CloseNotification(self, id):
        pass

bus = dbus.SessionBus()
name = dbus.service.BusName(IFACE, bus)
server = Server(bus)
GLib.timeout_add(100, server.answer_held)
open(log + ".ready", "w").close()
GLib.MainLoop().run()
PY

SERVER_PID=
NOTIFY_PIDS= # more processes to stop at the end (dbus-monitor...)
NOTES="$TEST_TMP/notes.jsonl"
server_start() { # [hang]
	rm -f "$NOTES" "$NOTES.ready"
	: >"$NOTES"
	"$PY" "$TEST_TMP/server.py" "$NOTES" "$@" 2>"$TEST_TMP/server.err" &
	SERVER_PID=$!
	wait_for "the notification server" 20 test -e "$NOTES.ready"
}
server_stop() {
	[ -z "$SERVER_PID" ] || { kill "$SERVER_PID" 2>/dev/null; wait "$SERVER_PID" 2>/dev/null; }
	SERVER_PID=
}
# notify_cleanup: the server and NOTIFY_PIDS, then the rest (fl_lib_cleanup, or the
# function named in NOTIFY_CLEANUP_NEXT).
notify_cleanup() {
	local p
	server_stop
	for p in $NOTIFY_PIDS; do
		kill "$p" 2>/dev/null && wait "$p" 2>/dev/null
	done
	"${NOTIFY_CLEANUP_NEXT:-fl_lib_cleanup}"
}
trap notify_cleanup EXIT

# notes FILTER: jq over all recorded Notify calls as one array.
notes() {
	jq -s -r "$1" "$NOTES"
}
notes_count() { # JQ-SELECT: how many recorded calls match
	notes "[.[] | select($1)] | length"
}
notes_at_least() { # N JQ-SELECT
	[ "$(notes_count "$2")" -ge "$1" ]
}
now() { date +%s; }
past() { # T: the clock reached T
	[ "$(now)" -ge "$1" ]
}
lines_at_least() { # FILE N
	[ "$(wc -l <"$1")" -ge "$2" ]
}

# notify_command_make: $TEST_TMP/on-notify writes its environment to a file of its own
# ($TEST_TMP/cmd.*) each time it runs.
notify_command_make() {
	cat >"$TEST_TMP/on-notify" <<-EOF
		#!/bin/sh
		env >"$TEST_TMP/cmd.\$\$.\$(date +%s%N)"
	EOF
	chmod +x "$TEST_TMP/on-notify"
}
command_runs_at_least() { # N: the command ran at least N times
	[ "$(cat "$TEST_TMP"/cmd.* 2>/dev/null | grep -c '^FRONTLINE_EVENT=')" -ge "$1" ]
}
command_ran() { # EVENT: some run of the command got FRONTLINE_EVENT=EVENT
	cat "$TEST_TMP"/cmd.* 2>/dev/null | grep -qx "FRONTLINE_EVENT=$1"
}
