# Sourced by bench/profile.sh and bench/hold.sh (functions and constants only): the bench's TwiML app
# (bench/TwimlApp.java) and one node on embedded H2, both on loopback, logging to "$W".
SID=AC$(printf 'b%.0s' {1..32}); TOKEN=benchbenchbenchbench
APP=18580; PB_HTTP=18581; PB_SIP=15070

# Starts the app and the node (JVM options: NODE_JVM_OPTS or ./patchbay's, then the arguments) and waits until
# the node answers; sets APP_PID and PB (the node's pid). The caller's EXIT trap calls stop_node.
start_node() {
  [[ -f target/patchbay.jar ]] || mvn -B -q -DskipTests package
  if curl -sf localhost:$PB_HTTP/health > /dev/null; then
    echo "a node already answers on port $PB_HTTP (an earlier run still stopping?)" >&2; return 1
  fi
  "$JAVA_HOME/bin/java" -Dsun.net.httpserver.nodelay=true bench/TwimlApp.java $APP > "$W/app.log" 2>&1 & APP_PID=$!
  PATCHBAY_HTTP_PORT=$PB_HTTP PATCHBAY_HTTP_HOST=127.0.0.1 PATCHBAY_SIP_PORT=$PB_SIP PATCHBAY_SIP_HOST=127.0.0.1 PATCHBAY_DATA_DIR="$W/data" \
  PATCHBAY_ACCOUNT_SID=$SID PATCHBAY_AUTH_TOKEN=$TOKEN PATCHBAY_LOG_LEVEL=WARN \
    "$JAVA_HOME/bin/java" -Xms1g -Xmx2g ${NODE_JVM_OPTS:-$(./patchbay java-opts)} "$@" -jar target/patchbay.jar serve > "$W/patchbay.log" 2>&1 & PB=$!
  local i; for i in $(seq 1 60); do if curl -sf localhost:$PB_HTTP/health > /dev/null; then break; fi; sleep 1; done
}

# Stops the app and the node and waits for both to exit, so that a following run finds the ports free.
stop_node() {
  kill -CONT $APP_PID $PB 2>/dev/null || true   # in case a C reference run left them frozen
  kill $APP_PID $PB 2>/dev/null || true
  wait $APP_PID $PB 2>/dev/null || true
}

# number E164 PATH: the number's calls fetch http://127.0.0.1:$APP/PATH (voice: <Play> then <Hangup/>; hold: <Play loop="0">)
number() {
  curl -sf -u $SID:$TOKEN localhost:$PB_HTTP/2010-04-01/Accounts/$SID/IncomingPhoneNumbers.json \
    --data-urlencode PhoneNumber="$1" -d VoiceUrl=http://127.0.0.1:$APP/"$2" > /dev/null
}

# threads FILE: each of the node's threads' /proc stat line, read by the shell itself (no process per thread)
threads() { local t line; for t in /proc/$PB/task/*; do if read -r line 2>/dev/null < "$t/stat"; then echo "${t##*/} $line"; fi; done > "$1"; }

# The RTP senders a node runs unless PATCHBAY_RTP_SENDERS says otherwise: one per core, at most four (MediaEngine.lanes).
senders() { echo "${PATCHBAY_RTP_SENDERS:-$(( $(nproc) < 4 ? $(nproc) : 4 ))}"; }

