#!/usr/bin/env bash
# Conference mixing cost beside the bridge mode's, in the same run with the same generator:
#  - conference: N participants in rooms of ROOM (the service mode's Java mixer: every leg decodes what
#    it receives into its room and is sent the room's mix less its own part, encoded);
#  - bridge: N/2 bridged calls, the same N streams relayed in the basic mode (no decoding).
# Reported: the node process's CPU, CPU per participant-second, the media sender's late ticks (> 5 ms
# behind its 20 ms schedule) during the measured window and its worst lateness, the generator's loss.
# Target: at least 300 participants across rooms on 2 cores with no late frames.
# Results are appended to docs/BENCHMARKS.md with the command line.
# Usage: bench/conference.sh   (PARTICIPANTS="150 300 450" ROOM=10 SECONDS_=20 WARMUP=5 NODE_JVM_OPTS=)
# Needs: JDK 21+, Maven, gcc (else the Java generator). Uses UDP ports 30000-31000 and 18600 on 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
JAVA="$JAVA_HOME/bin/java"
PARTICIPANTS=${PARTICIPANTS:-"150 300 450"}
ROOM=${ROOM:-10}
SECS=${SECONDS_:-20}
WARMUP=${WARMUP:-5}
NODE_JVM_OPTS=${NODE_JVM_OPTS:-}   # e.g. -XX:+UseZGC for the node under test
GEN=18600
W=$(mktemp -d /tmp/patchbay-conf.XXXX)
[[ -f target/patchbay.jar ]] || mvn -B -q -DskipTests package
CP=target/patchbay.jar
# shellcheck source=bench/generator.sh
source bench/generator.sh
late_of() { tail -1 "$1" | sed -E 's/.*late=([0-9]+).*/\1/'; }
OUT="$W/results.md"
echo "| Mode | Participants (streams) | Node CPU (% of one core) | CPU per participant-second | Late sender ticks in window | Worst lateness | Generator loss |" > "$OUT"
echo "|---|---|---|---|---|---|---|" >> "$OUT"
run() {   # label n args...
  local label=$1 n=$2; shift 2
  rm -f "$W/ports"
  # shellcheck disable=SC2086
  "$JAVA" -Xms256m -Xmx1g $NODE_JVM_OPTS -Xlog:gc:file="$W/gc-$label-$n.log" -cp $CP bench/RelayBench.java "$@" "$W/ports" $GEN \
    > "$W/$label-$n.log" 2>&1 &
  local pid=$!
  for _ in $(seq 1 100); do [[ -s "$W/ports" ]] && break; sleep 0.2; done
  sleep 1
  "${GENERATOR[@]}" "$W/ports" $GEN "$SECS" "$WARMUP" > "$W/gen-$label-$n.log" 2>&1 &
  local gen=$!
  sleep "$WARMUP"; sleep 0.5
  local c0 l0; c0=$(cpu_ticks $pid); l0=$(late_of "$W/$label-$n.log")
  sleep $((SECS - 1))
  local c1 l1; c1=$(cpu_ticks $pid); l1=$(late_of "$W/$label-$n.log")
  wait $gen || true
  local worst; worst=$(tail -1 "$W/$label-$n.log" | sed -E 's/.*maxLatenessMs=([0-9]+).*/\1/')
  kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true
  local cpu_pct per line loss
  cpu_pct=$(awk -v a="$c0" -v b="$c1" -v hz="$HZ" -v s=$((SECS - 1)) 'BEGIN{printf "%.0f", 100*(b-a)/hz/s}')
  per=$(awk -v a="$c0" -v b="$c1" -v hz="$HZ" -v s=$((SECS - 1)) -v n="$n" 'BEGIN{printf "%.1f", 1e6*(b-a)/hz/s/n}')
  line=$(tail -1 "$W/gen-$label-$n.log")
  loss=$(sed -E 's/.*loss=([0-9.]+%).*/\1/' <<< "$line")
  echo "| $label | $n ($n) | $cpu_pct % | $per µs | $((l1 - l0)) | $worst ms (whole run) | $loss |" >> "$OUT"
  local gcmax; gcmax=$(grep -oE '[0-9.]+ms$' "$W/gc-$label-$n.log" | sort -n | tail -1 || true)
  echo "$label $n: cpu=$cpu_pct% per=${per}us late=$((l1 - l0)) worst=${worst}ms longest-gc-pause=${gcmax:-none} $line" >&2
}
for n in $PARTICIPANTS; do
  run conference "$n" conference "$n" "$ROOM"
  run bridge "$n" patchbay $((n / 2))
done
{
  echo
  echo "## Conference mixing beside the bridge — $(date -u +%Y-%m-%dT%H:%MZ)"
  echo
  echo "Command: \`PARTICIPANTS=\"$PARTICIPANTS\" ROOM=$ROOM SECONDS_=$SECS WARMUP=$WARMUP NODE_JVM_OPTS=\"$NODE_JVM_OPTS\" bench/conference.sh\` on $(nproc) cores, generator: $GEN_NAME."
  echo "Every stream receives 50 PCMU packets/s from the generator and sends 50 back. \`conference\` rows: participants in rooms of $ROOM,"
  echo "each decoded into its room's mixer and sent the mix less its own part; \`bridge\` rows: the same number of streams as bridged pairs"
  echo "relayed without decoding (the basic mode). A late tick is a 20 ms send pass that started more than 5 ms behind schedule."
  echo
  cat "$OUT"
} >> docs/BENCHMARKS.md
echo "appended to docs/BENCHMARKS.md" >&2
