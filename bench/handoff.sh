#!/usr/bin/env bash
# Hand-off latency between two modules of a flow (from the answer carrying <Redirect>outlet:done</Redirect>
# to the request at the next module's inlet), beside the raw fetch turnaround of a plain <Redirect>
# within a module, measured in the same calls. Policy chain and segment writes are on.
# Results are appended to docs/BENCHMARKS.md with the command line.
# Usage: bench/handoff.sh   (RATES="20 100" SECONDS_=20 by default; PATCHBAY_DB_URL/USER select PostgreSQL)
# Needs: JDK 21+, Maven, sipp. Uses UDP ports 36000+ for sipp's media and 40000-49999 for the node's.
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
JAVA="$JAVA_HOME/bin/java"
RATES=${RATES:-"20 100"}
SECS=${SECONDS_:-20}
NODE_JVM_OPTS=${NODE_JVM_OPTS:-$(./patchbay java-opts)}   # the node runs as ./patchbay runs it
[[ -f target/patchbay.jar ]] || mvn -B -q -DskipTests package
STORE=${PATCHBAY_DB_URL:-H2 (embedded)}
OUT=$(mktemp)
echo "| Store | Calls/s | Hand-offs measured | Raw fetch turnaround p50 / p99 / max (ms) | Hand-off p50 / p99 / max (ms) |" > "$OUT"
echo "|---|---|---|---|---|" >> "$OUT"
for rate in $RATES; do
  res=$("$JAVA" -Xms256m -Xmx1g $NODE_JVM_OPTS -cp target/patchbay.jar bench/HandoffBench.java "$rate" "$SECS" bench/uac_rr.xml 2>/dev/null | grep -E "^(calls|raw_ms|handoff_ms)")
  echo "$res"
  n=$(echo "$res" | sed -n 's/.*handoff=\([0-9]*\).*/\1/p')
  r=$(echo "$res" | sed -n 's/^raw_ms p50=\(.*\) p99=\(.*\) max=\(.*\)/\1 \/ \2 \/ \3/p')
  h=$(echo "$res" | sed -n 's/^handoff_ms p50=\(.*\) p99=\(.*\) max=\(.*\)/\1 \/ \2 \/ \3/p')
  echo "| $STORE | $rate | $n | $r | $h |" >> "$OUT"
done
{
  echo
  echo "## Hand-off latency between modules ($(date -u +%Y-%m-%d), $(nproc) cores)"
  echo
  echo "Command: \`RATES=\"$RATES\" SECONDS_=$SECS NODE_JVM_OPTS=\"$NODE_JVM_OPTS\" bench/handoff.sh\`"
  echo
  cat "$OUT"
} >> docs/BENCHMARKS.md
cat "$OUT"
