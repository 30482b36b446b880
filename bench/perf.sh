#!/usr/bin/env bash
# Samples the node's CPU with Linux perf under bench/profile.sh's load, virtual threads included.
# JFR's samplers miss the calls' virtual threads (session 14: almost none of their CPU showed up), perf samples the
# carrier threads that run them, with Java frames named through the JIT's perf map (jcmd Compiler.perfmap).
# Usage: bench/perf.sh [rate=1000] [seconds=20]   (WARM=70: seconds of load before sampling)
# Prints the node's CPU by thread (perf's samples) and, for the carriers (ForkJoinPool), the nearest Patchbay frames.
# Needs: linux-perf (Debian), run as root or with kernel.perf_event_paranoid <= 1; plus what profile.sh needs.
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
RATE=${1:-1000}; SECS=${2:-20}; WARM=${WARM:-70}
W=$(mktemp -d /tmp/patchbay-perf.XXXX)
NODE_JVM_OPTS="$(./patchbay java-opts) -XX:+PreserveFramePointer" JFR=off WARM=$((WARM + 5)) bench/profile.sh "$RATE" "$SECS" > "$W/profile.log" 2>&1 &
LOAD=$!
sleep "$WARM"
PID=$(pgrep -f "patchbay.jar serve" | head -1)
perf record -F 499 -g -p "$PID" -o "$W/perf.data" -- sleep "$SECS" > "$W/record.log" 2>&1
"$JAVA_HOME/bin/jcmd" "$PID" Compiler.perfmap > /dev/null   # /tmp/perf-PID.map: names for the JIT's code
perf script -i "$W/perf.data" -F comm,tid,ip,sym > "$W/samples.txt" 2> /dev/null
wait $LOAD || true
head -3 "$W/profile.log"
python3 - "$W/samples.txt" <<'PY'
import collections, re, sys
samples, cur = [], None
for line in open(sys.argv[1]):
    if not line.strip():
        if cur: samples.append(cur)
        cur = None
    elif not line[0].isspace():
        cur = (line.split()[0], [])
    elif cur:
        parts = line.strip().split(None, 1)
        cur[1].append(parts[1] if len(parts) > 1 else '?')
if cur: samples.append(cur)
total = len(samples) or 1
print('%d samples; by thread:' % len(samples))
for name, n in collections.Counter(re.sub(r'\d+', 'N', c) for c, _ in samples).most_common(12):
    print('  %5.1f%%  %s' % (100 * n / total, name))
carriers = [f for c, f in samples if c.startswith('ForkJoinPool')]
def short(frame):
    return re.sub(r'^.* dev\.patchbay\.', '', frame.split('(')[0])
nearest = collections.Counter()
for frames in carriers:
    ours = [short(f) for f in frames if 'dev.patchbay.' in f]
    nearest[' <- '.join(ours[:2]) if ours else '(no Patchbay frame: ' + (frames[0] if frames else '?').split('(')[0][:50] + ')'] += 1
print('carrier threads (the calls\' virtual threads), by nearest Patchbay frames:')
for key, n in nearest.most_common(20):
    print('  %5.1f%%  %s' % (100 * n / max(1, len(carriers)), key))
PY
echo "samples: $W/samples.txt (perf script of $W/perf.data)"
