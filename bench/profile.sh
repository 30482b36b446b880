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
SID=AC$(printf 'b%.0s' {1..32}); TOKEN=benchbenchbenchbench
[[ -f target/patchbay.jar ]] || mvn -B -q -DskipTests package
"$JAVA_HOME/bin/java" -Dsun.net.httpserver.nodelay=true bench/TwimlApp.java 18580 > "$W/app.log" 2>&1 & APP=$!
PATCHBAY_HTTP_PORT=18581 PATCHBAY_HTTP_HOST=127.0.0.1 PATCHBAY_SIP_PORT=15070 PATCHBAY_SIP_HOST=127.0.0.1 PATCHBAY_DATA_DIR="$W/data" \
PATCHBAY_ACCOUNT_SID=$SID PATCHBAY_AUTH_TOKEN=$TOKEN PATCHBAY_LOG_LEVEL=WARN \
  "$JAVA_HOME/bin/java" -Xms1g -Xmx2g ${NODE_JVM_OPTS:-$(./patchbay java-opts)} ${RECORD:-} \
  -jar target/patchbay.jar serve > "$W/patchbay.log" 2>&1 & PB=$!
trap 'kill $APP $PB 2>/dev/null || true' EXIT
for i in $(seq 1 60); do if curl -sf localhost:18581/health > /dev/null; then break; fi; sleep 1; done
curl -sf -u $SID:$TOKEN localhost:18581/2010-04-01/Accounts/$SID/IncomingPhoneNumbers.json \
  --data-urlencode PhoneNumber=+15550001000 -d VoiceUrl=http://127.0.0.1:18580/voice > /dev/null
# CPU by thread from /proc over the load's last SECS seconds (after WARM seconds of load), exact where JFR samples
snap() { for t in /proc/$PB/task/*; do echo "${t##*/} $(cat $t/stat 2>/dev/null)"; done > "$1"; }
(sleep $WARM; snap "$W/threads-before"; sleep $SECS; snap "$W/threads-after") & SNAP=$!
timeout $((SECS + WARM + 45)) sipp -sn uac 127.0.0.1:15070 -s +15550001000 -i 127.0.0.1 -p 15100 -cp 15101 -mp 15110 \
  -r $RATE -m $((RATE * (SECS + WARM))) -nostdin ${SIPP_EXTRA:-} > "$W/uac.log" 2>&1 || true
grep -E "Successful call|Failed call" "$W/uac.log" | tail -2
wait $SNAP
python3 bench/threads.py "$W/threads-before" "$W/threads-after" $((RATE * SECS)) || true
[[ $JFR == off ]] && exit 0
"$JAVA_HOME/bin/jcmd" $PB JFR.dump filename=$W/pb.jfr > /dev/null
"$JAVA_HOME/bin/jfr" view --width 200 cpu-time-hot-methods "$W/pb.jfr" 2>/dev/null | head -40 \
  || "$JAVA_HOME/bin/jfr" view --width 200 hot-methods "$W/pb.jfr" | head -40
echo "recording: $W/pb.jfr"
