#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (-fsanitize=fuzzer,address,undefined), apart
# from the normal build, and runs each for FUZZ_SECONDS (default 60) on a corpus seeded
# from the API description's examples and the committed seeds.
#   tests/fuzz/run.sh [TARGET...]        build and run (default: every target)
#   FUZZ_BUILD_ONLY=1 tests/fuzz/run.sh   build only
# Environment: abs_top_srcdir, abs_top_builddir (for build-config.h; default: the
# current directory), FUZZ_SECONDS, FUZZ_OUT (objects, binaries and corpora; default
# $abs_top_builddir/fuzz), CLANG (default clang), FUZZ_JOBS (parallel compiles, default 2).
# A crash leaves its input in $FUZZ_OUT/crashes/TARGET/ and fails the run: add the input
# to tests/fuzz/regress/TARGET/ (make check replays it) and fix the bug.
set -euo pipefail

src=${abs_top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
build=${abs_top_builddir:-$(pwd)}
out=${FUZZ_OUT:-$build/fuzz}
secs=${FUZZ_SECONDS:-60}
cc=${CLANG:-clang}
all="search-page thread articles config query text"
targets=${*:-$all}

command -v "$cc" >/dev/null || { echo "fuzz: no $cc (install clang and libclang-rt-14-dev)" >&2; exit 77; }
[ -f "$build/build-config.h" ] || { echo "fuzz: no build-config.h in $build: run configure" >&2; exit 99; }

# The pure core (every file of src/core: no curses, no curl), the Intercom driver's wire
# code and the screen's text width.
sources="$(cd "$src" && echo src/core/*.c) src/backends/intercom-json.c
	src/backends/intercom-request.c src/ui/width.c"
pkgs="jansson sqlite3 libxml-2.0 inih glib-2.0"
# shellcheck disable=SC2086
cflags="-std=c11 -g -O1 -fno-omit-frame-pointer -fsanitize=address,undefined
	-fno-sanitize-recover=undefined -I$src/include -I$src/src/ui -I$src/tests/fuzz -I$build
	$(pkg-config --cflags $pkgs)"
# shellcheck disable=SC2086
libs="$(pkg-config --libs $pkgs) -lm"

mkdir -p "$out/obj"
objs=
pids=
for s in $sources; do
	o="$out/obj/$(echo "$s" | tr / -).o"
	objs="$objs $o"
	if [ ! -e "$o" ] || [ "$src/$s" -nt "$o" ] || [ "$build/build-config.h" -nt "$o" ]; then
		# shellcheck disable=SC2086
		$cc $cflags -fsanitize=fuzzer-no-link -c "$src/$s" -o "$o" &
		pids="$pids $!"
		if [ "$(echo $pids | wc -w)" -ge "${FUZZ_JOBS:-2}" ]; then
			for p in $pids; do wait "$p"; done
			pids=
		fi
	fi
done
for p in $pids; do wait "$p"; done

for t in $targets; do
	[ -f "$src/tests/fuzz/fuzz-$t.c" ] || { echo "fuzz: no target $t" >&2; exit 99; }
	# shellcheck disable=SC2086
	$cc $cflags -fsanitize=fuzzer "$src/tests/fuzz/fuzz-$t.c" $objs $libs -o "$out/fuzz-$t"
done
[ -z "${FUZZ_BUILD_ONLY:-}" ] || exit 0

# Seeds: the answers kept for the unit tests, the committed seeds (the API description's
# examples among them: tests/fuzz/spec-seeds.py) and regression inputs of each target.
seed_dirs() {
	local t=$1
	case $t in search-page | thread | articles) echo "$src/tests/unit/data" ;; esac
	for d in "$src/tests/fuzz/seeds/$t" "$src/tests/fuzz/regress/$t"; do
		[ -d "$d" ] && echo "$d"
	done
	return 0
}

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
failed=
for t in $targets; do
	corpus="$out/corpus/$t"
	crashes="$out/crashes/$t"
	mkdir -p "$corpus" "$crashes"
	[ "$t" != config ] || cp "$src/config/frontline.conf.example" "$corpus/example"
	dict=()
	[ -f "$src/tests/fuzz/$t.dict" ] && dict=(-dict="$src/tests/fuzz/$t.dict")
	# shellcheck disable=SC2046
	if "$out/fuzz-$t" -max_total_time="$secs" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
		-print_final_stats=1 -artifact_prefix="$crashes/" "${dict[@]}" "$corpus" \
		$(seed_dirs "$t") >"$out/$t.log" 2>&1; then
		runs=$(grep -Eo 'stat::number_of_executed_units: *[0-9]+' "$out/$t.log" | grep -Eo '[0-9]+$')
		speed=$(grep -Eo 'stat::average_exec_per_sec: *[0-9]+' "$out/$t.log" | grep -Eo '[0-9]+$')
		cov=$(grep -Eo 'cov: [0-9]+' "$out/$t.log" | tail -1)
		echo "fuzz $t: ${runs:-?} runs in ${secs}s, ${speed:-?} execs/s, ${cov:-cov ?}"
	else
		echo "fuzz $t: FAILED; see $out/$t.log and $crashes/" >&2
		grep -E 'ERROR|SUMMARY|runtime error|abort|^(invalid|U\+|ui_fit|a wrapped)' "$out/$t.log" | head -20 >&2
		failed="$failed $t"
	fi
done
[ -z "$failed" ] || { echo "fuzz: crashes in:$failed" >&2; exit 1; }
