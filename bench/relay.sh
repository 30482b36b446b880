#!/usr/bin/env bash
# Bridged calls relayed with media at once: loss and one-way latency through the relay, and the
# relay's CPU per call-second, for Patchbay's basic mode (MediaEngine + RtpStream.bridge) next to
# a plain Java NIO forwarding loop (the baseline), measured in the same run with the same
# generator. Then the CPU per call-second of application-mode legs (each playing audio and
# decoding what it hears) for the basic-versus-application comparison.
# Results are appended to docs/BENCHMARKS.md with the command line.
# Usage: bench/relay.sh   (CALLS="500 1000 1500" SECONDS_=20 WARMUP=5 by default)
# Needs: JDK 21+, Maven. Uses UDP ports 30000-36100 and 18600 on 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
JAVA="$JAVA_HOME/bin/java"
CALLS=${CALLS:-"500 1000 1500"}
SECS=${SECONDS_:-20}
WARMUP=${WARMUP:-5}
GEN=18600
W=$(mktemp -d /tmp/patchbay-relay.XXXX)
[[ -f target/patchbay.jar ]] || mvn -B -q -DskipTests package
CP=target/patchbay.jar
# shellcheck source=bench/generator.sh
source bench/generator.sh
MODES=${MODES:-"plain patchbay direct app"}
OUT="$W/results.md"
echo "| Relay | Calls (streams) | Loss | One-way latency p50 / p99 / max | Relay CPU (% of one core) | CPU per call-second | Generator slices > 5 ms late |" > "$OUT"
echo "|---|---|---|---|---|---|---|" >> "$OUT"
declare -A CPS_BASIC CPS_APP
run() {   # mode calls
  local mode=$1 n=$2
  rm -f "$W/ports"
  "$JAVA" -Xms256m -Xmx1g -cp $CP bench/RelayBench.java "$mode" "$n" "$W/ports" $GEN > "$W/$mode-$n.log" 2>&1 &
  local pid=$!
  for _ in $(seq 1 100); do [[ -s "$W/ports" ]] && break; sleep 0.2; done
  sleep 1
  "${GENERATOR[@]}" "$W/ports" $GEN "$SECS" "$WARMUP" > "$W/gen-$mode-$n.log" 2>&1 &
  local gen=$!
  sleep "$WARMUP"; sleep 0.5
  local c0; c0=$(cpu_ticks $pid)
  sleep $((SECS - 1))
  local c1; c1=$(cpu_ticks $pid)
  wait $gen || true
  kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true
  local cpu_pct per_call line
  cpu_pct=$(awk -v a="$c0" -v b="$c1" -v hz="$HZ" -v s=$((SECS - 1)) 'BEGIN{printf "%.0f", 100*(b-a)/hz/s}')
  per_call=$(awk -v a="$c0" -v b="$c1" -v hz="$HZ" -v s=$((SECS - 1)) -v n="$n" 'BEGIN{printf "%.1f", 1e6*(b-a)/hz/s/n}')
  line=$(tail -1 "$W/gen-$mode-$n.log")
  local loss lat late streams
  loss=$(sed -E 's/.*loss=([0-9.]+%).*/\1/' <<< "$line")
  lat=$(sed -E 's/.*p50=([0-9]+)us p99=([0-9]+)us max=([0-9]+)us.*/\1 µs \/ \2 µs \/ \3 µs/' <<< "$line")
  late=$(sed -E 's/.*generatorLateSlices=([0-9]+\/[0-9]+).*/\1/' <<< "$line")
  if [[ $mode == app ]]; then streams=$n; loss="(not measured)"; lat="(not measured)"; else streams=$((2 * n)); fi
  if [[ $mode == direct ]]; then lat="$lat (loopback floor, no relay)"; fi
  echo "| $mode | $n ($streams) | $loss | $lat | $cpu_pct % | $per_call µs | $late |" >> "$OUT"
  echo "$mode $n: $line cpu=$cpu_pct% per-call=${per_call}us" >&2
}
for n in $CALLS; do
  [[ " $MODES " == *" plain "* ]] && run plain "$n"
  [[ " $MODES " == *" patchbay "* ]] && run patchbay "$n"
done
for n in $CALLS; do [[ " $MODES " == *" direct "* ]] && run direct "$n"; done
for n in $CALLS; do [[ " $MODES " == *" app "* ]] && run app "$n"; done
{
  echo
  echo "## Bridged media (basic mode) — $(date -u +%Y-%m-%dT%H:%MZ)"
  echo
  echo "Command: \`CALLS=\"$CALLS\" MODES=\"$MODES\" SECONDS_=$SECS WARMUP=$WARMUP bench/relay.sh\` on $(nproc) cores ($(uname -r)), JDK $("$JAVA" -version 2>&1 | head -1 | sed -E 's/.*"(.*)".*/\1/'); generator: $GEN_NAME."
  echo "Each bridged call is two legs of 50 packets/s each way (172-byte PCMU packets). The generator (one process, one socket) sends"
  echo "every leg's packets and receives what the relay forwards; latency is send-to-receive through the relay on loopback, so it includes"
  echo "the generator's own scheduling: compare rows, not absolutes. \`plain\` is a bare NIO forwarding loop (no RTP work) in the same run."
  echo "\`direct\` rows are bridged calls with \`bridge.media=direct\`: the node holds both legs' streams but the endpoints' RTP goes"
  echo "between them (here: the generator back to itself), so the row is the node's cost of a bridged call-second without the relay."
  echo "\`app\` rows are application-mode legs (one per call: playing audio and decoding what arrives), for CPU per call-second only."
  echo
  cat "$OUT"
} >> docs/BENCHMARKS.md
echo "appended to docs/BENCHMARKS.md" >&2
