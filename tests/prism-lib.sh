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

# prism_junk_upstream: a server answering 200 "12345" to everything (no schema of a JSON
# object accepts a number), its port in $TEST_TMP/junk.port, stopped at exit.
prism_junk_upstream() {
	cat >"$TEST_TMP/junk.js" <<-'EOF'
	const s = require('http').createServer((q, r) => {
	  q.resume();
	  q.on('end', () => { r.writeHead(200, {'Content-Type': 'application/json'}); r.end('12345'); });
	});
	s.listen(0, '127.0.0.1', () => require('fs').writeFileSync(process.argv[2], s.address().port + '\n'));
	EOF
	node "$TEST_TMP/junk.js" "$TEST_TMP/junk.port" 2>"$TEST_TMP/junk.err" &
	JUNK_PID=$!
	prism_track "$JUNK_PID"
	wait_for "the junk upstream" 10 test -s "$TEST_TMP/junk.port"
}

## Reading the verdicts: call, call_violating, problem and report collect what Prism
## says of each request; prism_verdict fails the test on any of it.
PROBLEMS="$TEST_TMP/problems"
: >"$PROBLEMS"
NCALLS=0
problem() { printf '%s\n' "$*" >>"$PROBLEMS"; }

# violations: the last answer's sl-violations entries as a JSON array. Complete entries
# are cut out one by one, so a header truncated by Prism still yields what it holds.
violations() {
	local raw
	raw=$(tr -d '\r' <"$API_HEADERS" | grep -i '^sl-violations:' | sed 's/^[^:]*: *//')
	if [ -z "$raw" ]; then
		echo '[]'
		return
	fi
	case $raw in "Too many violations!"*) : >"$TEST_TMP/truncated" ;; esac # (in a subshell)
	local got
	got=$(printf '%s' "$raw" | grep -oE '\{"location":\[[^]]*\],"severity":"[A-Za-z]+"(,"code":("[^"]*"|-?[0-9]+))?,"message":"([^"\\]|\\.)*"\}' | jq -cs .)
	if [ "$(jq length <<<"${got:-[]}")" = 0 ]; then # never let an unparsed report pass
		jq -cn --arg r "$raw" '[{location:["?"],severity:"Error",message:("unparsed sl-violations: "+$r)}]'
	else
		echo "$got"
	fi
}

# report LABEL JSON-ARRAY: keep the violations, with array indices folded ("[]") so the
# same fault in every list item or every answer is listed once.
VIOLATIONS="$TEST_TMP/violations.jsonl"
: >"$VIOLATIONS"
report() {
	jq -c --arg l "$1" '.[] | {l: $l, s: .severity,
		p: (.location | join(".") | gsub("\\.[0-9]+(?=\\.|$)"; "[]")),
		m: (.message | gsub("\\.[0-9]+(?=[. ]|$)"; "[]"))}' <<<"$2" >>"$VIOLATIONS"
}

US=$'\x1f' # field separator (not whitespace: empty fields survive `read`)
REPLAY=()  # "METHOD US PATH US BODY US LABEL" of the valid calls, for the junk check

# call LABEL STATUS METHOD PATH [BODY]: a valid request through Prism; its answer must
# have STATUS and neither side may violate the description.
call() {
	local label=$1 status=$2
	shift 2
	NCALLS=$((NCALLS + 1))
	api "$@"
	[ "$API_STATUS" = "$status" ] ||
		problem "$label: HTTP $API_STATUS, expected $status: $(head -c 300 "$API_BODY")"
	local v
	v=$(violations)
	[ "$v" = '[]' ] || report "$label" "$v"
	[ "$status" != 200 ] || REPLAY+=("$1$US$2$US${3:-}$US$label")
}

# call_violating LABEL EXPECTED IGNORED METHOD PATH [BODY]: a request that breaks the
# description on purpose. Prism must report at least one entry matching the jq
# condition EXPECTED; entries matching EXPECTED or IGNORED are fine, any other is not.
call_violating() {
	local label=$1 expected=$2 ignored=$3
	shift 3
	NCALLS=$((NCALLS + 1))
	api "$@"
	local v
	v=$(violations)
	if [ "$(jq "map(select($expected)) | length" <<<"$v")" = 0 ]; then
		problem "$label: Prism did NOT flag this deliberate violation (checker is blind): got $v"
	else
		printf '  flagged as expected: %s\n' "$label"
	fi
	v=$(jq -c "map(select((($expected) or ($ignored)) | not))" <<<"$v")
	[ "$v" = '[]' ] || report "$label" "$v"
}

is_request='(.location[0] == "request")'
status_unmatched='(.location == ["response"] and (.message | startswith("Unable to match the returned status code")))'


# prism_prove_responses PROXY: replay the valid calls (REPLAY) through PROXY, a Prism in
# front of the junk upstream: each must get a response-body error, else Prism does not
# check that endpoint's answers (a schema that does not compile).
prism_prove_responses() {
	API_BASE=$1
	for entry in "${REPLAY[@]}"; do
		IFS=$US read -r method path body label <<<"$entry"
		if [ -n "$body" ]; then api "$method" "$path" "$body"; else api "$method" "$path"; fi
		V=$(violations)
		[ "$(jq 'map(select(.location[0:2] == ["response","body"] and .severity == "Error")) | length' <<<"$V")" != 0 ] ||
			problem "$label: Prism does not check this endpoint's response body (junk answer accepted; schema not compiled?): HTTP $API_STATUS $V"
	done
	echo "response checking proven on ${#REPLAY[@]} calls (junk upstream)"
}

# prism_verdict: fail with every problem and violation collected, else say so.
prism_verdict() {
	echo "$NCALLS requests through prism"
	if [ -s "$VIOLATIONS" ]; then
		jq -rs 'group_by(.p, .m)[] | "\(.[0].s) at \(.[0].p): \(.[0].m)\n      \(length)x, in: \([.[].l] | unique | join("; "))"' \
			"$VIOLATIONS" >>"$PROBLEMS"
	fi
	if [ -s "$PROBLEMS" ]; then
		echo "Contract problems (violations: location, then what the description wants):" >&2
		sed 's/^/  /' "$PROBLEMS" >&2
		if [ -e "$TEST_TMP/truncated" ]; then
			echo "Prism cut a report short (8 KB header); all violations in its log, deliberate ones included:" >&2
			grep -h 'Violation:' "$TEST_TMP/prism.log" | sed -e 's/^.*Violation: //' \
				-e 's/\.[0-9][0-9]*\([. ]\)/[]\1/g' | sort | uniq -c | sed 's/^/  /' >&2
		fi
		fail "$(grep -vc '^      [0-9]*x, in: ' "$PROBLEMS") contract problem(s), see above"
	fi
	echo "no violations"
}
