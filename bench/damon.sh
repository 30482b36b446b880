# Sourced by bench/hold.sh and bench/run.sh: the kernel's DAMON memory scanners (kdamond), on where the machine's
# owner runs them (this sandbox's kernel pages out cold page cache with one, sampling all of physical memory). With
# one on, a node's senders had 10 to 50 times the late packets holding 3,000 calls (docs/BENCHMARKS.md, session 21).
# damon_state prints "on", "off" or "absent"; with DAMON=off in the environment, damon_apply turns the running ones
# off for the benchmark (root only) and damon_restore turns them back on.
DAMON_STOPPED=()
damon_state() {
  local f states=""; for f in /sys/kernel/mm/damon/admin/kdamonds/*/state; do [[ -r $f ]] && states+="$(< "$f") "; done
  if [[ -z $states ]]; then echo absent; elif [[ $states == *on* ]]; then echo on; else echo off; fi
}
damon_apply() {
  local f; [[ ${DAMON:-} == off ]] || return 0
  for f in /sys/kernel/mm/damon/admin/kdamonds/*/state; do
    if [[ -w $f && $(< "$f") == on ]] && echo off > "$f"; then DAMON_STOPPED+=("$f"); fi
  done
}
damon_restore() { local f; for f in "${DAMON_STOPPED[@]}"; do echo on > "$f" || true; done; DAMON_STOPPED=(); }
