# shellcheck shell=bash
# prism-lib.sh: Prism (@stoplight/prism-cli, written against 5.14.2) for the contract
# tests, sourced after tests/lib.sh: find the Intercom 2.16 description and Prism (skip
# when either is missing), give Prism a copy of the description it can compile, start
# `prism mock` / `prism proxy` on a free port, stop them at exit, and read the verdicts
# Prism writes to its log.
#
# Why a repaired copy: Prism SILENTLY validates nothing when a schema does not compile
# (ajv errors are swallowed). With the description as published that hits the 200 answers
# of every conversation and article endpoint (enums that list null AND say nullable;
# "nullable" without "type") and the conversation search request (its recursive group
# schema is mangled by Prism's bundler). prism_repair makes semantics-preserving repairs
# (listed when it runs); each test must still prove that its checks can fail.
#
# Prism's log (one line per event; the lines of one request are contiguous: Prism logs
# "Request received" once the body is read, then routes, validates and answers it within
# the same turn of the event loop, so another request cannot interleave):
#   [HTTP SERVER] post /conversations/1/reply ℹ  info      Request received
#       [NEGOTIATOR] ⬤  debug     < Body: {...}                      (with -v debug)
#       [VALIDATOR] ⚠  warning   Request did not pass the validation rules   (mock, errors)
#       [VALIDATOR] ✖  error     Request body must have required property 'admin_id'
#       [NEGOTIATOR] ℹ  info      > Responding with "200"             (mock)
#       [VALIDATOR] ✖  error     Violation: request|response.<where> <message>
#   [HTTP SERVER] post /conversations/1/reply ✖  error     Request terminated with error: ...
# `prism mock` answers a request that has an Error-severity violation with 401 (security),
# 415 (content type) or 422/400, whether or not --errors is given; --errors only turns
# *response* violations into 500s, and the description's own examples violate its response
# schemas (e.g. integer conversation part ids where it says string), so mocks run without
# --errors and the response side is not the client's concern.
# Exit codes follow automake: 0 pass, 1 fail, 77 skip, 99 hard error.

: "${abs_top_srcdir:=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
: "${SPECS_DIR:=$abs_top_srcdir/../shared/specs}"
: "${PRISM:=$abs_top_srcdir/tests/prism/node_modules/.bin/prism}"
PRISM_SPEC="$SPECS_DIR/intercom-api-2.16.yaml"
PRISM_DOC="$TEST_TMP/intercom-api-2.16.json"
PRISM_VERSION=
PRISM_PIDS= # prisms and their helpers, stopped at exit

prism_lib_cleanup() {
	local pid
	for pid in $PRISM_PIDS; do
		kill "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	done
	test_cleanup
}
trap prism_lib_cleanup EXIT

# prism_track PID: stop PID at exit (a helper process started by the test).
prism_track() {
	PRISM_PIDS="$PRISM_PIDS $1"
}

prism_missing() {
	if [ "${FRONTLINE_REQUIRE_PRISM:-}" = 1 ] || [ "${CI:-}" = true ]; then
		fail "$* (Prism is required with FRONTLINE_REQUIRE_PRISM=1 or CI=true)"
	fi
	skip "$*; install it with: npm install --prefix '$abs_top_srcdir/tests/prism'"
}

# prism_require: skip without the description (never a pass), skip (or with
# FRONTLINE_REQUIRE_PRISM=1 or CI=true fail) without a working Prism; sets PRISM_VERSION.
prism_require() {
	[ -f "$PRISM_SPEC" ] || skip "no API description at $PRISM_SPEC (set SPECS_DIR)"
	command -v jq >/dev/null || { echo "jq is required" >&2; exit 99; }
	[ -x "$PRISM" ] || prism_missing "prism not installed at $PRISM"
	command -v node >/dev/null || prism_missing "node (needed by prism) is not on PATH"
	PRISM_VERSION=$("$PRISM" --version 2>/dev/null) || prism_missing "$PRISM does not run"
	[ "$PRISM_VERSION" = 5.14.2 ] ||
		echo "note: prism $PRISM_VERSION; this test was written against 5.14.2" >&2
}

## prism_repair: the copy of the description that Prism can compile, at $PRISM_DOC.
## Each repair keeps the meaning:
##  - enum containing null on a nullable schema: drop the null (nullable adds it again;
##    Prism adds null itself, and the duplicate makes ajv reject the whole schema);
##  - "nullable" without "type" (next to $ref/oneOf/allOf): nullable:true becomes
##    anyOf:[schema, {enum:[null]}], nullable:false is dropped (it is the default);
##  - "format: uri" on a string whose own example is a path ("/contacts/1/companies", "the
##    relative URL of the company"; Intercom sends such paths): "uri-reference";
##  - "format: uri" on a string whose own example is a plain word (addressable_list's
##    type: "The addressable object type", example "note"; Intercom sends "tag"): no format;
##  - the self-referencing search group multiple_filter_search_request is unrolled to 4
##    levels (the description allows 2 levels of nesting), since Prism's bundler turns
##    the self-reference into garbage that accepts anything and rejects valid groups.
prism_repair() {
	cat >"$TEST_TMP/repair.js" <<'EOF'
const fs = require('fs'), path = require('path');
const [prismBin, src, dst] = process.argv.slice(2);
const bases = [path.dirname(fs.realpathSync(prismBin))];
function load(m) {
  for (const b of bases) { try { return require(require.resolve(m, {paths: [b]})); } catch (e) {} }
  throw new Error('cannot find ' + m + ' next to ' + prismBin);
}
try { bases.push(path.dirname(require.resolve('@stoplight/prism-http', {paths: [bases[0]]}))); } catch (e) {}
const doc = load('@stoplight/yaml').parse(fs.readFileSync(src, 'utf8'));
const fixes = {};
const note = k => { fixes[k] = (fixes[k] || 0) + 1; };
(function walk(o) {
  if (Array.isArray(o)) return o.forEach(walk);
  if (!o || typeof o !== 'object') return;
  if (o.nullable === true && Array.isArray(o.enum) && o.enum.includes(null)) {
    o.enum = o.enum.filter(v => v !== null);
    note('null removed from the enum of a nullable schema');
  }
  if (o.format === 'uri' && typeof o.example === 'string' && o.example.startsWith('/')) {
    o.format = 'uri-reference';
    note('"format: uri" whose own example is a relative path made uri-reference');
  }
  if (o.format === 'uri' && typeof o.example === 'string' && /^[a-z_]+$/.test(o.example)) {
    delete o.format;
    note('"format: uri" whose own example is a plain word dropped');
  }
  if (o.nullable !== undefined && o.type === undefined) {
    const nullable = o.nullable;
    delete o.nullable;
    if (nullable === true) {
      const rest = Object.assign({}, o);
      for (const k of Object.keys(o)) if (k !== 'description') delete o[k];
      o.anyOf = [rest, {enum: [null]}];
    }
    note('"nullable" without "type" rewritten');
  }
  Object.values(o).forEach(walk);
})(doc);
const S = doc.components.schemas, base = '#/components/schemas/';
const NAME = 'multiple_filter_search_request', DEPTH = 4, orig = JSON.stringify(S[NAME]);
for (let i = 1; i <= DEPTH; i++) {
  const copy = JSON.parse(orig), alts = copy.properties.value.oneOf;
  const k = alts.findIndex(a => a.items && a.items.$ref === base + NAME);
  if (k < 0) throw new Error(NAME + ' no longer refers to itself: revisit the repair');
  if (i < DEPTH) alts[k].items.$ref = base + NAME + '_level' + (i + 1);
  else alts.splice(k, 1);
  S[i === 1 ? NAME : NAME + '_level' + i] = copy;
}
note(NAME + ' unrolled to ' + DEPTH + ' levels');
fs.writeFileSync(dst, JSON.stringify(doc));
for (const [k, n] of Object.entries(fixes)) console.log('  repair: ' + k + ' (' + n + 'x)');
EOF
	echo "description: $PRISM_SPEC -> $PRISM_DOC"
	node "$TEST_TMP/repair.js" "$PRISM" "$PRISM_SPEC" "$PRISM_DOC" ||
		fail "could not prepare the description for prism"
}

# prism_start VAR LOG ARGS...: start `prism ARGS...` (e.g. mock "$PRISM_DOC", or proxy
# "$PRISM_DOC" UPSTREAM) on a port of its choosing, output to LOG; its PID goes to VAR.
prism_start() {
	local var=$1 log=$2
	shift 2
	# --port 0: the kernel picks a free port; Prism logs "Prism is listening on URL".
	"$PRISM" "$@" --host 127.0.0.1 --port 0 >"$log" 2>&1 &
	printf -v "$var" %s $!
	prism_track $!
}

# prism_url LOG: the URL Prism listens on (empty until it does).
prism_url() {
	tr -d '\r' <"$1" | sed -n 's/.*Prism is listening on \(http:[^ ]*\).*/\1/p' | head -n 1
}

prism_ready() { # PID LOG
	kill -0 "$1" 2>/dev/null || { tail -n 20 "$2" >&2; fail "prism exited"; }
	[ -n "$(prism_url "$2")" ]
}

# prism_wait PID LOG: wait until that Prism listens.
prism_wait() {
	wait_for "prism ($2)" 40 prism_ready "$1" "$2"
}

# prism_log_requests LOG [FROM-LINE [TO-LINE]]: the requests Prism logged between those
# lines, one JSON object a line: {method, path (no query), status (null when Prism
# ended it with an error), body (with -v debug; else null), headers (lower-case names,
# with -v debug), problems: [request-side errors and warnings, each once]}. Response-side
# violations are counted in response_violations, not listed.
prism_log_requests() {
	local log=$1 from=${2:-1} to=${3:-\$}
	sed -n "${from},${to}p" "$log" | tr -d '\r' | sed 's/\x1b\[[0-9;]*m//g' | awk '
		function flush() {
			if (method == "") return
			if (bad && probs == "") add("Request did not pass the validation rules")
			print method "\037" path "\037" status "\037" body "\037" hdrs "\037" probs "\037" nresp
			method = ""
		}
		function add(m) {
			sub(/^Violation: request[^ ]* /, "", m)
			if (index("\036" probs "\036", "\036" m "\036")) return
			probs = probs == "" ? m : probs "\036" m
		}
		# the message of a line: what follows the (first) level word
		function msg(line) {
			if (match(line, /  (info|debug|warning|error|success|note|fatal|trace|start|await) +/))
				return substr(line, RSTART + RLENGTH)
			return line
		}
		/\[HTTP SERVER\] [a-z]+ [^ ]+ .* Request received$/ {
			flush()
			match($0, /\[HTTP SERVER\] [a-z]+ [^ ]+/)
			split(substr($0, RSTART + 14, RLENGTH - 14), mp, " ")
			method = toupper(mp[1]); path = mp[2]; status = ""; body = ""; hdrs = ""; probs = ""
			nresp = 0; bad = 0
			next
		}
		method == "" { next }
		/  debug +< Body: / { body = msg($0); sub(/^< Body: /, "", body); next }
		/  debug +< \t/ { h = msg($0); sub(/^< \t/, "", h); hdrs = hdrs == "" ? h : hdrs "\036" h; next }
		/  info +> Responding with "[0-9]+"/ { match($0, /"[0-9]+"/); status = substr($0, RSTART + 1, RLENGTH - 2); next }
		/\[HTTP SERVER\] .* Request terminated with error: / { add("Prism: " msg($0)); next }
		/  (warning|error|fatal) +/ {
			m = msg($0)
			if (m ~ /^Violation: response/) { nresp++; next }
			if (m == "Request did not pass the validation rules") { bad = 1; next }
			add(m)
		}
		END { flush() }
	' | jq -cR 'split("\u001f") | {method: .[0], path: .[1],
		status: (if .[2] == "" then null else (.[2] | tonumber) end),
		body: (if .[3] == "" then null else .[3] end),
		headers: (.[4] | if . == "" then {} else split("\u001e") | map(capture("^(?<k>[^:]+): ?(?<v>.*)$")) | map({key: (.k | ascii_downcase), value: .v}) | from_entries end),
		problems: (.[5] | if . == "" then [] else split("\u001e") end),
		response_violations: (.[6] | tonumber)}'
}
