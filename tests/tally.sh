#!/bin/sh
# Prints the test tally as one line, "N passed, N failed, N skipped", from the counts in
# the summary of automake's test-suite.log, and fails when a test failed or none ran.
# Failed counts FAIL, ERROR and XPASS.
log=${1:-test-suite.log}
if [ ! -r "$log" ]; then
	echo "tally: no $log: the test suite did not run (see the errors above)" >&2
	exit 1
fi
awk '
/^# PASS:/  { pass = $3 }
/^# XFAIL:/ { pass += $3 }
/^# SKIP:/  { skip = $3 }
/^# FAIL:/  { fail += $3 }
/^# XPASS:/ { fail += $3 }
/^# ERROR:/ { fail += $3 }
END {
	printf "%d passed, %d failed, %d skipped\n", pass, fail, skip
	exit (fail > 0 || pass == 0) ? 1 : 0
}
' "$log"
