#!/usr/bin/env bash
# Container mode numbers: start-up to first document, and driver bundle started → guests visible.
# Usage: bench/container.sh
set -euo pipefail
cd "$(dirname "$0")/.."
./virtcaps capabilities >/dev/null          # build if needed, and warm the probe cache
cp="assembly/target/test-classes:$(cd assembly && mvn -q -o dependency:build-classpath -Dmdep.outputFile=/dev/stdout -Dmdep.includeScope=test)"
for _ in 1 2 3; do
  java -XX:+UseSerialGC -Dvirtcaps.container.bundles=assembly/target/export/container \
    -Dvirtcaps.test.bundles=assembly/target/test-bundles -cp "$cp" org.virtcaps.assembly.ContainerBenchmark \
    "${XDG_CACHE_HOME:-$HOME/.cache}/virtcaps" 2>/dev/null
done
