#!/usr/bin/env bash
# Profiles Patchbay under sipp load with Java Flight Recorder and prints the hottest methods.
# Usage: bench/profile.sh [rate=300] [seconds=20]   (SIPP_EXTRA="-trace_err" writes sipp's failures to uac_*_errors.log)
# The node runs with NODE_JVM_OPTS (default -XX:+UseZGC, as ./patchbay runs it).
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
RATE=${1:-300}; SECS=${2:-20}
W=$(mktemp -d /tmp/patchbay-profile.XXXX)
SID=AC$(printf 'b%.0s' {1..32}); TOKEN=benchbenchbenchbench
[[ -f target/patchbay.jar ]] || mvn -B -q -DskipTests package
"$JAVA_HOME/bin/java" -Dsun.net.httpserver.nodelay=true bench/TwimlApp.java 18580 > "$W/app.log" 2>&1 & APP=$!
PATCHBAY_HTTP_PORT=18581 PATCHBAY_HTTP_HOST=127.0.0.1 PATCHBAY_SIP_PORT=15070 PATCHBAY_SIP_HOST=127.0.0.1 PATCHBAY_DATA_DIR="$W/data" \
PATCHBAY_ACCOUNT_SID=$SID PATCHBAY_AUTH_TOKEN=$TOKEN PATCHBAY_LOG_LEVEL=WARN \
  "$JAVA_HOME/bin/java" -Xms1g -Xmx2g ${NODE_JVM_OPTS:--XX:+UseZGC} -XX:StartFlightRecording=filename=$W/pb.jfr,settings=profile,delay=15s,jdbi.statement#enabled=false \
  -jar target/patchbay.jar serve > "$W/patchbay.log" 2>&1 & PB=$!
trap 'kill $APP $PB 2>/dev/null || true' EXIT
for i in $(seq 1 60); do if curl -sf localhost:18581/health > /dev/null; then break; fi; sleep 1; done
curl -sf -u $SID:$TOKEN localhost:18581/2010-04-01/Accounts/$SID/IncomingPhoneNumbers.json \
  --data-urlencode PhoneNumber=+15550001000 -d VoiceUrl=http://127.0.0.1:18580/voice > /dev/null
timeout $((SECS + 60)) sipp -sn uac 127.0.0.1:15070 -s +15550001000 -i 127.0.0.1 -p 15100 -cp 15101 -mp 15110 \
  -r $RATE -m $((RATE * (SECS + 15))) -nostdin ${SIPP_EXTRA:-} > "$W/uac.log" 2>&1 || true
grep -E "Successful call|Failed call" "$W/uac.log" | tail -2
"$JAVA_HOME/bin/jcmd" $PB JFR.dump filename=$W/pb.jfr > /dev/null
"$JAVA_HOME/bin/jfr" view --width 200 hot-methods "$W/pb.jfr" | head -40
echo "recording: $W/pb.jfr"
