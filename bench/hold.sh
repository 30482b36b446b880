#!/usr/bin/env bash
# Holds play-only calls on one node and counts its late packets (a stream's turn beginning more than 5 ms after
# its slot's time) and late frames (frames with one), window by window, with the node's CPU by thread in each
# window: run.sh's hold step, alone and repeatable, for A/B runs and for finding what delays the senders.
# Usage: bench/hold.sh [calls=3000] [windows=3]
#   LOAD=1000 LOAD_SECS=60  first runs calls (INVITE, TwiML fetch, Play, BYE) at that rate, as run.sh's hold
#                           follows its rate steps; SETTLE=10 seconds between that load and the hold
#   NODE_JVM_OPTS           as bench/profile.sh (default: ./patchbay java-opts); PATCHBAY_* settings pass through
#   DAMON=off               turns the kernel's DAMON memory scanners off for the run (root; bench/damon.sh)
# Each window is 10 s; nothing of the script's own runs inside a window but a sleep (the scrapes and /proc
# reads are at its edges, parsed after it). Then, when gcc is present, the same number of windows of the C
# reference (bench/pacer.c: as many sockets and sender threads, the same pacing and the same late-frame rule),
# with the node and its app frozen (SIGSTOP), so the machine's own floor is measured in the same run.
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
N=${1:-3000}; WINDOWS=${2:-3}; LOAD=${LOAD:-0}; LOAD_SECS=${LOAD_SECS:-60}; SETTLE=${SETTLE:-10}
W=$(mktemp -d /tmp/patchbay-hold.XXXX)
. bench/node.sh
. bench/damon.sh
start_node
trap 'pkill -f "sipp -sn uac 127.0.0.1:$PB_SIP" 2>/dev/null || true; stop_node; damon_restore' EXIT
damon_apply
number +15550001000 voice
number +15550001001 hold

if (( LOAD > 0 )); then
  timeout $((LOAD_SECS + 60)) sipp -sn uac 127.0.0.1:$PB_SIP -s +15550001000 -i 127.0.0.1 -p 15100 -cp 15101 -mp 15110 \
    -r $LOAD -m $((LOAD * LOAD_SECS)) -nostdin > "$W/load.log" 2>&1 || true
  echo "load: $(grep -E 'Successful call' "$W/load.log" | tail -1 | awk '{print $(NF)}') calls ok, $(grep -E 'Failed call' "$W/load.log" | tail -1 | awk '{print $(NF)}') failed at $LOAD calls/s"
  sleep "$SETTLE"
fi

ramp=$(( N / 300 + 1 ))
timeout $((ramp + 10 * WINDOWS + 70)) sipp -sn uac 127.0.0.1:$PB_SIP -s +15550001001 -i 127.0.0.1 -p 15100 -cp 15101 -mp 15110 \
  -r 300 -m "$N" -d $(( (ramp + 10 * WINDOWS + 10) * 1000 )) -l $((N + 100)) -nostdin -timeout $((ramp + 10 * WINDOWS + 60))s \
  > "$W/hold.log" 2>&1 & SIPP=$!
sleep $((ramp + 4))
# the counters first, then each thread's CPU (read by the shell: no process per thread inside a window)
snap() { curl -s localhost:$PB_HTTP/metrics > "$1.metrics"; threads "$1"; }
snap "$W/w0"
for w in $(seq 1 "$WINDOWS"); do sleep 10; snap "$W/w$w"; done
wait $SIPP || true
m() { awk -v m="$2" '$1==m {print $2}' "$1.metrics"; }
grown() { awk -v x="$(m "$b" "$1")" -v y="$(m "$a" "$1")" 'BEGIN{print x-y}'; }   # grown METRIC: its rise over window a..b
echo "command: $(env | sort | awk '/^PATCHBAY_/ {printf "%s ", $0}')DAMON=${DAMON:-} LOAD=$LOAD LOAD_SECS=$LOAD_SECS NODE_JVM_OPTS=\"${NODE_JVM_OPTS:-$(./patchbay java-opts)}\" bench/hold.sh $N $WINDOWS"
for w in $(seq 1 "$WINDOWS"); do
  a="$W/w$((w - 1))"; b="$W/w$w"
  echo "window $w: $(m "$b" patchbay_calls_live | cut -d. -f1) calls live, late frames $(grown patchbay_rtp_late_ticks) of $(grown patchbay_rtp_ticks), late packets $(grown patchbay_rtp_late_sends) of $(grown patchbay_rtp_sends)"
  python3 bench/threads.py "$a" "$b" 10s | sed 's/^/  /'
done
echo "kernel memory scanners (DAMON) during the run: $(damon_state)"
if gcc -O2 -pthread -o "$W/pacer" bench/pacer.c 2> "$W/pacer-build.log"; then
  # The node and the app are frozen meanwhile: a node idle after thousands of calls made the C reference's late
  # packets several times as many (docs/BENCHMARKS.md, session 21), so its windows did not measure the machine alone.
  kill -STOP $PB $APP_PID; sleep 5
  for w in $(seq 1 "$WINDOWS"); do echo "C reference, window $w: $("$W/pacer" "$N" "$(senders)" 10)"; done
  kill -CONT $PB $APP_PID
fi
echo "files: $W"
