#!/usr/bin/env bash
# Billing throughput, side by side in one run:
#  - segments rated per second in process (JMH, no store): flat, graduated-with-allowance and volume plans;
#  - segments persisted per second (segment writes, rating, ledger posting) on H2 and PostgreSQL: rated one call per
#    transaction (baseline), through the RatingQueue's batches (with the call path's group commit off, then on), and the rating stage alone.
# Results are appended to docs/BENCHMARKS.md with the command line.
# Usage: bench/billing.sh   (SECONDS_=20 THREADS="8 64" (calls writing at once, one run each); PG_URL=jdbc:postgresql://127.0.0.1:5432/test PG_USER=postgres)
# Needs: JDK 21+, Maven; PostgreSQL for the second store (skipped when unreachable).
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
JAVA="$JAVA_HOME/bin/java"
SECS=${SECONDS_:-20}
THREADS=${THREADS:-"8 64"}
PG_URL=${PG_URL:-jdbc:postgresql://127.0.0.1:5432/test}
PG_USER=${PG_USER:-postgres}
[[ -f target/patchbay.jar ]] || mvn -B -q -DskipTests package
mkdir -p target/jmh-lib target/jmh-classes
mvn -B -q -f bench/jmh/pom.xml dependency:copy-dependencies -DoutputDirectory="$PWD/target/jmh-lib"
JMH_CP=$(ls target/jmh-lib/*.jar | tr '\n' ':')
"$JAVA_HOME/bin/javac" --release 21 -cp "target/patchbay.jar:$JMH_CP" -processorpath "$JMH_CP" -d target/jmh-classes bench/RatingBench.java
jmh=$("$JAVA" -cp "target/jmh-classes:target/patchbay.jar:$JMH_CP" org.openjdk.jmh.Main bench.RatingBench -f 1 -wi 2 -w 2s -i 3 -r 3s -t 1 \
  -rf csv -rff target/jmh-rating.csv 2>/dev/null | tail -5)
echo "$jmh"
# persisted: the same work rated one call per transaction (the baseline), through the node's RatingQueue (batched), and the rating stage alone (drain)
run() {   # store-url-or-empty mode threads
  if [[ -n "$1" ]]; then
    local schema="bench_$(date +%s%N)"
    psql -h 127.0.0.1 -U "$PG_USER" -d test -c "CREATE SCHEMA $schema" >/dev/null 2>&1 || { echo "skipped (PostgreSQL unreachable)"; return; }
    PATCHBAY_DB_URL="$1?currentSchema=$schema" PATCHBAY_DB_USER="$PG_USER" \
      "$JAVA" -Xmx1g -cp target/patchbay.jar bench/PersistedBillingBench.java "$SECS" "$3" "$2" 2>/dev/null | grep '^mode=' || echo "failed"
    psql -h 127.0.0.1 -U "$PG_USER" -d test -c "DROP SCHEMA $schema CASCADE" >/dev/null 2>&1 || true
  else
    "$JAVA" -Xmx1g -cp target/patchbay.jar bench/PersistedBillingBench.java "$SECS" "$3" "$2" 2>/dev/null | grep '^mode=' || echo "failed"
  fi
}
rows=""
for threads in $THREADS; do
  for mode in one-by-one batched:off batched drain; do   # batched:off = the node's path with the group commit off (the baseline for it)
    export PATCHBAY_DB_GROUP_COMMIT=on; [[ $mode == *:off ]] && export PATCHBAY_DB_GROUP_COMMIT=off
    pg=$(run "$PG_URL" "${mode%:off}" "$threads"); h2=$(run "" "${mode%:off}" "$threads")
    echo "PostgreSQL ($threads, group commit $PATCHBAY_DB_GROUP_COMMIT): $pg"; echo "H2 ($threads, group commit $PATCHBAY_DB_GROUP_COMMIT): $h2"
    rows+="| PostgreSQL | $threads | $PATCHBAY_DB_GROUP_COMMIT | $pg |"$'\n'"| H2 (embedded) | $threads | $PATCHBAY_DB_GROUP_COMMIT | $h2 |"$'\n'
  done
done
{
  echo
  echo "## Billing throughput ($(date -u +%Y-%m-%d), $(nproc) cores)"
  echo
  echo "Command: \`SECONDS_=$SECS THREADS=\"$THREADS\" bench/billing.sh\`"
  echo
  echo "In process (JMH, 1 thread, ops/s = segments rated per second; targets: 200,000/s):"
  echo
  echo "| Benchmark | Segments/s | Error (99.9%) |"
  echo "|---|---|---|"
  tail -n +2 target/jmh-rating.csv | awk -F, '{gsub(/"/,""); printf "| %s | %.0f | %.0f |\n", $1, $5, $6}'
  echo
  echo "Persisted (threads writing calls at once ($THREADS), each call of two segments: the call row, two hand-offs, the close; then rating: charge rows, period"
  echo "counters, ledger transactions and balances, the call's price; target on PostgreSQL: 5,000 segments/s). one-by-one: each worker rates"
  echo "its call in its own transaction (the baseline); batched: workers hand calls to a RatingQueue, one worker rates what waits in one"
  echo "transaction; drain: the rating stage alone, everything closed after the warm-up rated by one thread in batches of 200. Group commit:"
  echo "the call path's writes (call row, segments) grouped into shared transactions (on, the default) or one transaction each (off):"
  echo
  echo "| Store | Writers | Group commit | Result |"
  echo "|---|---|---|---|"
  printf "%s" "$rows"
} >> docs/BENCHMARKS.md
