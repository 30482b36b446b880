#!/usr/bin/env bash
# Profiles Patchbay under sipp load with Java Flight Recorder and prints the hottest methods.
# Usage: bench/profile.sh [rate=300] [seconds=20]   (SIPP_EXTRA="-trace_err" writes sipp's failures to uac_*_errors.log)
# WARM=240 loads the node that many seconds before the measured window (default 15), to see it after the JIT has settled.
# JFR=off runs the node without a recording (the /proc breakdown alone, without the recorder's own cost).
# The node runs with NODE_JVM_OPTS (default: ./patchbay's, `./patchbay java-opts`).
# It samples CPU time (jdk.CPUTimeSample, JDK 25+ on Linux: one sample per 5 ms of a thread's CPU) as well as
# the classic execution samples, which pick a few threads per period and so under-count many short-lived
# virtual threads; the CPU-time view is the one that adds up to the node's CPU.
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
RATE=${1:-300}; SECS=${2:-20}; WARM=${WARM:-15}; JFR=${JFR:-on}
W=$(mktemp -d /tmp/patchbay-profile.XXXX)
RECORD=""
[[ $JFR == off ]] || RECORD="-XX:StartFlightRecording=filename=$W/pb.jfr,settings=profile,delay=${WARM}s,jdbi.statement#enabled=false,jdk.CPUTimeSample#enabled=true,jdk.CPUTimeSample#throttle=5ms"
. bench/node.sh
start_node $RECORD
trap stop_node EXIT
number +15550001000 voice
# CPU by thread from /proc over the load's last SECS seconds (after WARM seconds of load), exact where JFR samples
(sleep $WARM; threads "$W/threads-before"; sleep $SECS; threads "$W/threads-after") & SNAP=$!
timeout $((SECS + WARM + 45)) sipp -sn uac 127.0.0.1:$PB_SIP -s +15550001000 -i 127.0.0.1 -p 15100 -cp 15101 -mp 15110 \
  -r $RATE -m $((RATE * (SECS + WARM))) -nostdin ${SIPP_EXTRA:-} > "$W/uac.log" 2>&1 || true
grep -E "Successful call|Failed call" "$W/uac.log" | tail -2
wait $SNAP
python3 bench/threads.py "$W/threads-before" "$W/threads-after" $((RATE * SECS)) || true
[[ $JFR == off ]] && exit 0
"$JAVA_HOME/bin/jcmd" $PB JFR.dump filename=$W/pb.jfr > /dev/null
"$JAVA_HOME/bin/jfr" view --width 200 cpu-time-hot-methods "$W/pb.jfr" 2>/dev/null | head -40 \
  || "$JAVA_HOME/bin/jfr" view --width 200 hot-methods "$W/pb.jfr" | head -40
echo "recording: $W/pb.jfr"
