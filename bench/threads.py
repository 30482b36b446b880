# CPU per call by thread group of a node: two snapshots of /proc/PID/task/*/stat (as bench/profile.sh takes them).
# Usage: python3 bench/threads.py BEFORE AFTER CALLS     (ms of CPU per call)
#        python3 bench/threads.py BEFORE AFTER 10s      (per cent of a core over a 10-second window)
# A thread that ended inside the window is missing from AFTER, so its CPU is not counted: read the total beside
# bench/run.sh's process-wide figure. Thread names have their numbers folded (HttpClient-1-Worker-7 -> HttpClient-N-Worker-N).
import sys,re,collections
def load(f):
    d={}
    for line in open(f):
        tid,rest=line.split(' ',1)
        # stat: pid (comm) state ... ; comm may contain spaces
        m=re.match(r'\d+ \((.*)\) \S+ (.*)', rest.strip())
        if not m: continue
        fields=m.group(2).split()
        d[tid]=(m.group(1), int(fields[10])+int(fields[11]))   # utime, stime (fields 14 and 15)
    return d
a=load(sys.argv[1]); b=load(sys.argv[2]); hz=float(__import__('os').sysconf('SC_CLK_TCK'))
seconds=sys.argv[3].endswith('s')
n=float(sys.argv[3].rstrip('s'))   # calls, or seconds
g=collections.Counter()
for tid,(name,t) in b.items():
    t0=a.get(tid,(name,0))[1]
    key=re.sub(r'\d+','N',name)
    g[key]+=t-t0
tot=sum(g.values())
if seconds:
    print('total %.1f %% of a core over %g s' % (tot*100/hz/n, n))
    for k,v in g.most_common(12):
        if v: print('%6.1f %% of a core  %s' % (v*100/hz/n, k))
else:
    print('total %.3f ms per call over %d calls' % (tot*1000/hz/n, n))
    for k,v in g.most_common(20):
        if v: print('%7.3f ms/call %5.1f%%  %s' % (v*1000/hz/n, 100*v/tot, k))
