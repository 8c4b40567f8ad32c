#!/bin/sh
# Prints the test tally as one line, "N passed, N failed, N skipped", from the counts in
# the summary of automake's test-suite.log, and fails when a test failed or none ran.
# Failed counts FAIL, ERROR and XPASS.
# Usage: tally.sh TEST-SUITE-LOG [TEST-LOG...]. Each skipped test among the TEST-LOGs is
# listed first with its reason (its log's first "SKIP:" line). In CI (CI=true) a skip
# that tests/skips-allowed does not list counts as failed: a run cannot go green while a
# guarantee goes untested because a tool is missing.
log=${1:-test-suite.log}
[ $# -gt 0 ] && shift
if [ ! -r "$log" ]; then
	echo "tally: no $log: the test suite did not run (see the errors above)" >&2
	exit 1
fi
allowed=$(dirname "$0")/skips-allowed
strict=0
[ "${CI:-}" = true ] && strict=1

refused=0
for t in "$@"; do
	trs=${t%.log}.trs
	grep -q '^:test-result: SKIP' "$trs" 2>/dev/null || continue
	name=${t%.log}
	reason=$(sed -n 's/^SKIP: //p' "$t" 2>/dev/null | head -n 1)
	ok=$(awk -F '\t' -v name="$name" -v reason="$reason" '
		/^#/ || NF < 2 { next }
		$1 == name && index(reason, $2) == 1 { print 1; exit }
	' "$allowed")
	if [ "$strict" = 1 ] && [ "$ok" != 1 ]; then
		printf 'FAIL (a skip CI does not allow): %s: %s\n' "$name" "${reason:-no reason given}"
		refused=$((refused + 1))
	else
		printf 'skipped: %s: %s\n' "$name" "${reason:-no reason given}"
	fi
done

awk -v refused="$refused" '
/^# PASS:/  { pass = $3 }
/^# XFAIL:/ { pass += $3 }
/^# SKIP:/  { skip = $3 }
/^# FAIL:/  { fail += $3 }
/^# XPASS:/ { fail += $3 }
/^# ERROR:/ { fail += $3 }
END {
	skip -= refused
	fail += refused
	printf "%d passed, %d failed, %d skipped\n", pass, fail, skip
	exit (fail > 0 || pass == 0) ? 1 : 0
}
' "$log"
