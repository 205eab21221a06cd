#!/usr/bin/env bash
# One-shot CLI benchmark: wall time and peak RSS of `./virtcaps capabilities` (nothing to re-probe),
# median of RUNS runs after one warm-up run (which also writes the class-data-sharing archive), then
# the in-process costs (snapshot read, each format written) from DocumentBenchmark.
# Usage: bench/cli.sh [RUNS]   (default 11)
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-11}"
./virtcaps capabilities >/dev/null            # build if needed, write the CDS archive
./virtcaps capabilities >/dev/null
times=(); rss=()
for _ in $(seq "$runs"); do
  out=$( { /usr/bin/time -f "%e %M" ./virtcaps capabilities >/dev/null; } 2>&1 | tail -1)
  times+=("${out% *}"); rss+=("${out#* }")
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
t=$(median "${times[@]}"); m=$(median "${rss[@]}")
echo "cli: ./virtcaps capabilities  runs=$runs  median wall ${t} s (target 0.6 s, ratio $(awk "BEGIN{printf \"%.2f\", $t/0.6}"))  median peak RSS $((m/1024)) MB (target 100 MB)"
echo "     all wall times: ${times[*]}"
# the same with the probe cache warm but no rendering kept (the document changed since the last run, or
# the distribution was rebuilt): the JAXB context is built in the run
cache="${XDG_CACHE_HOME:-$HOME/.cache}/virtcaps/documents"
miss=()
for _ in $(seq 5); do
  rm -rf "$cache"
  miss+=("$( { /usr/bin/time -f "%e" ./virtcaps capabilities >/dev/null; } 2>&1 | tail -1)")
done
./virtcaps capabilities >/dev/null   # leave a rendering for the next run
echo "     with the rendering not cached: median $(median "${miss[@]}") s (${miss[*]})"

cp="core/target/classes:core/target/test-classes:$(cd core && mvn -q -o dependency:build-classpath -Dmdep.outputFile=/dev/stdout)"
java -cp "$cp" org.virtcaps.core.internal.DocumentBenchmark
