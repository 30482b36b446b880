#!/usr/bin/env bash
# Patchbay's call-rate, CPU and media benchmark, side by side with its peers in one run:
#   A. sipp UAC -> sipp UAS                      (the generator's own ceiling)
#   B. sipp UAC -> Kamailio (tm, t_relay) -> UAS (the C reference)
#   C. sipp UAC -> bare JAIN-SIP UAS             (the Java floor)
#   D. sipp UAC -> Patchbay, number -> TwiML app (<Play> a cached 1 s prompt, <Hangup/>)
# then TwiML-to-first-audio latency and concurrent play-only calls on Patchbay, each hold followed by
# its C reference (bench/pacer.c, built with gcc when present: the same sockets, pacing and late-frame rule).
# Results are appended to docs/BENCHMARKS.md with the command line.
#
# Every target gets a warm-up at 100 cps first (WARMUP seconds, 90; not reported).
# Usage: bench/run.sh            (RATES="250 500 750 1000" DURATION=15 WARMUP=90 CONCURRENCY="1000 2000 3000" NODE_JVM_OPTS as ./patchbay's defaults, STORE=h2 by default)
# STORE=postgres runs the node on a fresh database patchbay_bench at 127.0.0.1:5432 (user postgres, trust auth) instead of
# embedded H2, and counts the CPU of PostgreSQL's processes beside the node's (the "store" column, included in "CPU ms/call").
# DAMON=off turns the kernel's DAMON memory scanners off for the run where they are on (root; bench/damon.sh).
# Needs: sip-tester (sipp), kamailio, JDK 21+, Maven. Uses UDP ports 15060-15200 and 18580-18590 on 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
JAVA="$JAVA_HOME/bin/java"
RATES=${RATES:-"250 500 750 1000"}
DURATION=${DURATION:-15}
WARMUP=${WARMUP:-90}
CONCURRENCY=${CONCURRENCY-"1000 2000 3000"}   # CONCURRENCY="" skips the hold test
TARGETS=${TARGETS:-"uas kamailio jain-sip patchbay"}   # e.g. TARGETS=patchbay for a quick look at Patchbay alone
NODE_JVM_OPTS=${NODE_JVM_OPTS:-$(./patchbay java-opts)}   # as ./patchbay runs a node; NODE_JVM_OPTS=" " for the JVM's defaults
STORE=${STORE:-h2}
W=$(mktemp -d /tmp/patchbay-bench.XXXX)
APP=18580; PB_HTTP=18581; UAS=15090; KAM=15160; BARE=15095; PB_SIP=15070
SID=AC$(printf 'b%.0s' {1..32}); TOKEN=benchbenchbenchbench
PIDS=()
# Stops everything it started and waits for it to exit, so that a run started right after finds the ports free
cleanup() {
  for p in "${PIDS[@]}"; do kill -CONT "$p" 2>/dev/null || true; kill "$p" 2>/dev/null || true; done
  pkill -f "kamailio -f $W" 2>/dev/null || true; wait "${PIDS[@]}" 2>/dev/null || true; damon_restore
}
trap cleanup EXIT
. bench/damon.sh
damon_apply

[[ -f target/patchbay.jar ]] || mvn -B -q -DskipTests package
if curl -sf localhost:$PB_HTTP/health > /dev/null; then
  echo "a node already answers on port $PB_HTTP (an earlier run still stopping?)" >&2; exit 1
fi

"$JAVA" -Dsun.net.httpserver.nodelay=true bench/TwimlApp.java $APP > "$W/app.log" 2>&1 & PIDS+=($!); APP_PID=$!
sipp -sf bench/uas_rr.xml -i 127.0.0.1 -p $UAS -cp 15091 -nostdin > "$W/uas.log" 2>&1 & PIDS+=($!); UAS_PID=$!
"$JAVA" -Xms512m -Xmx1g -cp target/patchbay.jar bench/BareUas.java $BARE > "$W/bare.log" 2>&1 & PIDS+=($!); BARE_PID=$!
cat > "$W/kam.cfg" <<KAM
#!KAMAILIO
debug=1
log_stderror=yes
children=2
listen=udp:127.0.0.1:$KAM
mpath="/usr/lib/x86_64-linux-gnu/kamailio/modules/"
loadmodule "sl.so"
loadmodule "tm.so"
loadmodule "rr.so"
loadmodule "pv.so"
loadmodule "maxfwd.so"
loadmodule "siputils.so"
loadmodule "textops.so"
loadmodule "dispatcher.so"
modparam("dispatcher", "list_file", "$W/dispatcher.list")
request_route {
  if (!mf_process_maxfwd_header("10")) { sl_send_reply("483","Too Many Hops"); exit; }
  if (has_totag()) { if (loose_route()) { t_relay(); exit; }
                     if (is_method("ACK")) { if (t_check_trans()) t_relay(); exit; }
                     sl_send_reply("404","Not here"); exit; }
  if (is_method("CANCEL")) { if (t_check_trans()) t_relay(); exit; }
  record_route();
  if (!ds_select_dst("1", "4")) { sl_send_reply("503","No destination"); exit; }
  t_relay();
}
KAM
echo "1 sip:127.0.0.1:$UAS" > "$W/dispatcher.list"
kamailio -f "$W/kam.cfg" -P "$W/kam.pid" -m 256 -M 32 -DD -E > "$W/kam.log" 2>&1 & PIDS+=($!)

DB_ENV=()
if [[ $STORE == postgres ]]; then
  psql -q -h 127.0.0.1 -U postgres -d test -c "DROP DATABASE IF EXISTS patchbay_bench" -c "CREATE DATABASE patchbay_bench"
  DB_ENV=(PATCHBAY_DB_URL=jdbc:postgresql://127.0.0.1:5432/patchbay_bench PATCHBAY_DB_USER=postgres)
fi
env "${DB_ENV[@]}" PATCHBAY_HTTP_PORT=$PB_HTTP PATCHBAY_HTTP_HOST=127.0.0.1 PATCHBAY_SIP_PORT=$PB_SIP PATCHBAY_SIP_HOST=127.0.0.1 \
PATCHBAY_DATA_DIR="$W/data" PATCHBAY_ACCOUNT_SID=$SID PATCHBAY_AUTH_TOKEN=$TOKEN PATCHBAY_LOG_LEVEL=WARN \
  "$JAVA" -Xms1g -Xmx2g $NODE_JVM_OPTS -jar target/patchbay.jar serve > "$W/patchbay.log" 2>&1 & PIDS+=($!); PB_PID=$!
for i in $(seq 1 60); do curl -sf localhost:$PB_HTTP/health > /dev/null && break; sleep 1; done
API=http://localhost:$PB_HTTP/2010-04-01/Accounts/$SID
curl -sf -u $SID:$TOKEN $API/IncomingPhoneNumbers.json --data-urlencode PhoneNumber=+15550001000 -d VoiceUrl=http://127.0.0.1:$APP/voice > /dev/null
curl -sf -u $SID:$TOKEN $API/IncomingPhoneNumbers.json --data-urlencode PhoneNumber=+15550001001 -d VoiceUrl=http://127.0.0.1:$APP/hold > /dev/null
sleep 2

# CPU ticks (user + system) of the given processes; one that has exited meanwhile counts 0
# (read by the shell itself, so reading them starts no process inside a measured window)
ticks() { local t=0 p f; for p in "$@"; do if read -ra f 2>/dev/null < /proc/$p/stat; then t=$((t + f[13] + f[14])); fi; done; echo $t; }
HZ=$(getconf CLK_TCK)

# PostgreSQL's processes (its backends are the node's pooled connections, so they live through a step)
store_pids() { if [[ $STORE == postgres ]]; then pgrep -x postgres | tr '\n' ' '; fi; }

# run_step NAME PORT RATE SCENARIO_ARGS... ; prints "ok failed cpu_ms_per_call store_cpu_ms_per_call"
run_step() {
  local name=$1 port=$2 rate=$3; shift 3
  local pids store=""; case $name in
    uas) pids="$UAS_PID";; kamailio) pids=$(pgrep -f "kamailio -f $W" | tr '\n' ' ');;
    jain-sip) pids="$BARE_PID";; patchbay) pids="$PB_PID"; store=$(store_pids);; esac
  local t0 s0=0; t0=$(ticks $pids); [[ -z $store ]] || s0=$(ticks $store)
  rm -f "$W/stat.csv"
  timeout $((DURATION + 60)) sipp "$@" 127.0.0.1:$port -i 127.0.0.1 -p 15100 -cp 15101 -mp 15110 -r $rate -m $((rate * DURATION)) \
    -nostdin -trace_stat -stf "$W/stat.csv" -fd 1 -timeout $((DURATION + 40))s > "$W/uac.log" 2>&1 || true
  local t1 s1=0; t1=$(ticks $pids); [[ -z $store ]] || s1=$(ticks $store)
  local ok failed
  read -r ok failed < <(awk -F';' 'NR==1{for(i=1;i<=NF;i++){if($i=="SuccessfulCall(C)")s=i;if($i=="FailedCall(C)")f=i}} END{print $s, $f}' "$W/stat.csv")
  local calls=$((ok + failed)); [[ $calls -gt 0 ]] || calls=1
  echo "$ok $failed $(awk -v d=$((t1 - t0 + s1 - s0)) -v hz=$HZ -v c=$calls 'BEGIN{printf "%.3f", d*1000/hz/c}')" \
    "$(awk -v d=$((s1 - s0)) -v hz=$HZ -v c=$calls 'BEGIN{printf "%.3f", d*1000/hz/c}')"
}

# Warm-up (not reported): WARMUP seconds (90) at 100 cps per target, so the JVMs have compiled their hot paths.
# On a slow 2-core box the node's JIT compilers alone took 11-17 s of CPU per 30 s for the first minute
# at 250 cps and under 1 s after two (session 10): a 30 s warm-up left the first step paying for the JIT.
SAVED=$DURATION; DURATION=$WARMUP
step() {
  local target=$1 rate=$2
  case $target in
    uas) run_step uas $UAS $rate -sn uac -s uas;;
    kamailio) run_step kamailio $KAM $rate -sf bench/uac_rr.xml -s uas;;
    jain-sip) run_step jain-sip $BARE $rate -sn uac -s uas;;
    patchbay) run_step patchbay $PB_SIP $rate -sn uac -s +15550001000;;
  esac
}
for target in $TARGETS; do step $target 100 > /dev/null; done
DURATION=$SAVED

declare -A BEST CPU_AT
RESULTS="$W/results.md"
echo "| rate (cps) | target | successful | failed | CPU ms/call | of which the store's ($STORE) |" > "$RESULTS"
echo "|---|---|---|---|---|---|" >> "$RESULTS"
for rate in $RATES; do
  for target in $TARGETS; do
    r=$(step $target $rate)
    read -r ok failed cpu store_cpu <<< "$r"
    [[ $target == patchbay && $STORE == postgres ]] || store_cpu="-"
    echo "| $rate | $target | $ok | $failed | $cpu | $store_cpu |" >> "$RESULTS"
    echo "rate $rate $target: ok=$ok failed=$failed cpu=${cpu}ms/call" >&2
    total=$((ok + failed))
    if [[ $total -gt 0 && $((failed * 1000)) -lt $total ]]; then BEST[$target]=$rate; CPU_AT[$target]=$cpu; fi
    sleep 3
  done
done

# TwiML-to-first-audio at half of Patchbay's best clean rate, calls held 1.5 s so the prompt starts.
half=$(( ${BEST[patchbay]:-250} / 2 ))
metric() { curl -s localhost:$PB_HTTP/metrics | awk -v m="$1" '$1==m {print $2}'; }
buckets() { curl -s localhost:$PB_HTTP/metrics | awk -F'[ "]' '/^patchbay_media_first_audio_seconds_bucket/ {print $2, $4}'; }
buckets > "$W/first-audio-before"
timeout 120 sipp -sn uac 127.0.0.1:$PB_SIP -s +15550001000 -i 127.0.0.1 -p 15100 -cp 15101 -mp 15110 -r $half -m $((half * DURATION)) \
  -d 1500 -nostdin -timeout 100s > "$W/latency.log" 2>&1 || true
buckets > "$W/first-audio-after"
# quantiles of this step alone: the cumulative buckets' growth during it, read as the bucket's upper bound
quantile() { join <(sort -k1,1 "$W/first-audio-before") <(sort -k1,1 "$W/first-audio-after") | sort -g | awk -v q="$1" '
  { le[NR] = $1; n[NR] = $3 - $2 } END { total = n[NR]; for (i = 1; i <= NR; i++) if (n[i] >= q * total) { print le[i]; exit } }'; }
p50=$(quantile 0.5); p99=$(quantile 0.99)

# Concurrent play-only calls: ramp to N at 300 cps, hold, count sender ticks more than 5 ms late over 10 s.
CONC="$W/concurrency.md"
echo "| concurrent calls | late ticks / ticks in 10 s | late packets / packets in 10 s | worst lateness so far (ms) | Patchbay CPU during hold | C reference: late frames / frames, late packets / packets in 10 s, worst (ms), CPU |" > "$CONC"
echo "|---|---|---|---|---|---|" >> "$CONC"
# The C reference (bench/pacer.c): as many sockets and sender threads as the node's, the same pacing and late-frame
# rule, run for 10 s right after each hold, so the machine's own floor is measured in the same run. The processes the
# holds do not use (UAS, Kamailio, the bare JAIN-SIP UAS) are frozen (SIGSTOP) meanwhile, and the node and its app
# too while the C reference runs: an idle node after thousands of calls gave the C reference several times the late
# packets it had alone (docs/BENCHMARKS.md, session 21).
BYSTANDERS="$UAS_PID $BARE_PID $(pgrep -f "kamailio -f $W" | tr '\n' ' ')"
[[ -z $CONCURRENCY ]] || kill -STOP $BYSTANDERS
SENDERS=$(. bench/node.sh; senders)
PACER=""; if gcc -O2 -pthread -o "$W/pacer" bench/pacer.c 2> "$W/pacer-build.log"; then PACER="$W/pacer"; fi
scraped() { awk -v m="$2" '$1==m {print $2}' "$W/hold-$n-$1"; }   # scraped before|after METRIC, of the hold of $n calls
grown() { awk -v x="$(scraped after "$1")" -v y="$(scraped before "$1")" 'BEGIN{print x-y}'; }   # grown METRIC: its rise over the hold
# Waits (at most 30 s) until the node and its store use under a tenth of a core over 2 s: the work that follows a
# step's calls (a collection, metering and rating, the store's writes; deferred while the C reference ran) would
# otherwise run inside the next hold's window.
settle() { local i c0 c1; for i in $(seq 1 15); do c0=$(ticks $PB_PID $(store_pids)); sleep 2; c1=$(ticks $PB_PID $(store_pids)); (( (c1 - c0) * 100 < HZ * 2 * 10 )) && return 0; done; return 0; }
for n in $CONCURRENCY; do
  settle
  ramp=$(( n / 300 + 1 ))
  timeout $((ramp + 80)) sipp -sn uac 127.0.0.1:$PB_SIP -s +15550001001 -i 127.0.0.1 -p 15100 -cp 15101 -mp 15110 -r 300 -m $n \
    -d $(( (ramp + 20) * 1000 )) -l $((n + 100)) -nostdin -timeout $((ramp + 70))s > "$W/conc-$n.log" 2>&1 &
  SPID=$!
  sleep $((ramp + 4))
  # One scrape at each edge of the window, parsed after it: nothing of the benchmark's own runs inside
  # but a sleep (three scrapes and their awk at each edge were among what delayed the senders, session 15).
  c0=$(ticks $PB_PID $(store_pids)); curl -s localhost:$PB_HTTP/metrics > "$W/hold-$n-before"
  sleep 10
  curl -s localhost:$PB_HTTP/metrics > "$W/hold-$n-after"; c1=$(ticks $PB_PID $(store_pids))
  live=$(scraped before patchbay_calls_live); worst=$(scraped after patchbay_rtp_max_lateness_ms)
  cpu=$(awk -v d=$((c1 - c0)) -v hz=$HZ 'BEGIN{printf "%.0f%%", d*100/hz/10}')
  wait $SPID || true
  kill -STOP $PB_PID $APP_PID; sleep 5
  ref="not run (no gcc)"
  [[ -z $PACER ]] || ref=$("$PACER" "$n" "$SENDERS" 10 | sed -E 's/.*late frames ([0-9]+) of ([0-9]+), late packets ([0-9]+) of ([0-9]+), worst ([0-9.]+) ms, CPU (.*) of a core/\1 \/ \2, \3 \/ \4, \5, \6/')
  echo "| ${live%.*} (asked $n) | $(grown patchbay_rtp_late_ticks) / $(grown patchbay_rtp_ticks) | $(grown patchbay_rtp_late_sends) / $(grown patchbay_rtp_sends) | $worst | $cpu | $ref |" >> "$CONC"
  echo "concurrency $n: live=$live late packets $(grown patchbay_rtp_late_sends) reference: $ref" >&2
  kill -CONT $PB_PID $APP_PID
done
[[ -z $CONCURRENCY ]] || kill -CONT $BYSTANDERS

ratio() { awk -v a="$1" -v b="$2" 'BEGIN{ if (b>0) printf "%.2f", a/b; else print "n/a" }'; }
{
  echo
  echo "## Run of $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo
  echo "Command: \`$(env | sort | awk '/^PATCHBAY_/ {printf "%s ", $0}')RATES=\"$RATES\" DURATION=$DURATION WARMUP=$WARMUP CONCURRENCY=\"$CONCURRENCY\" TARGETS=\"$TARGETS\" NODE_JVM_OPTS=\"$NODE_JVM_OPTS\" STORE=$STORE DAMON=${DAMON:-} bench/run.sh\` on $(nproc) cores ($(awk -F': ' '/model name/{print $2; exit}' /proc/cpuinfo)), $("$JAVA" -version 2>&1 | head -1); the kernel's DAMON memory scanners $(damon_state) (bench/damon.sh)."
  echo "Every target ran the same sipp UAC scenario (INVITE, 200, ACK, BYE) for ${DURATION} s per step, interleaved per rate; one repetition."
  echo
  echo "### Highest clean rate (< 0.1 % failed calls) and CPU per call at that rate"
  echo
  echo "| target | highest clean rate tried (cps) | CPU ms per call | rate ÷ Kamailio's | CPU ÷ Kamailio's |"
  echo "|---|---|---|---|---|"
  for t in uas kamailio jain-sip patchbay; do
    [[ " $TARGETS " == *" $t "* ]] || continue   # not run this time
    echo "| $t | ${BEST[$t]:-none} | ${CPU_AT[$t]:-n/a} | $(ratio ${BEST[$t]:-0} ${BEST[kamailio]:-0}) | $(ratio ${CPU_AT[$t]:-0} ${CPU_AT[kamailio]:-0}) |"
  done
  echo
  echo "### Every step"
  echo
  cat "$RESULTS"
  echo
  echo "### TwiML received to first RTP packet of the prompt (Patchbay, at $half cps)"
  echo
  echo "Upper bounds of the histogram buckets (1, 2, 3, 5, 7.5, 10, 15, 20, 30, 50 ... ms) holding the quantiles of this step's calls: p50 ≤ $(awk -v s="${p50:-0}" 'BEGIN{printf "%g", s*1000}') ms, p99 ≤ $(awk -v s="${p99:-0}" 'BEGIN{printf "%g", s*1000}') ms."
  echo
  echo "### Concurrent play-only calls (each sends 50 packets/s)"
  echo
  cat "$CONC"
} | tee -a docs/BENCHMARKS.md
