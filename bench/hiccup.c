// The machine's own stalls: THREADS threads spin reading the clock for SECONDS seconds, and every gap between
// two readings over 1 ms is a time the thread lost its core (to another thread, the kernel, or the virtual
// machine's host). Gaps over 5 ms would make a paced sender's packets late. It reports how many of those were
// whole-machine pauses (every other thread stopped for over 1 ms inside the same gap).
// Build: gcc -O2 -pthread -o hiccup bench/hiccup.c     Usage: hiccup [SECONDS=10] [THREADS=2]
// Session 21 (docs/BENCHMARKS.md): one thread on an idle 2-core box saw none in 10 s; two saw 1-14 over 5 ms.
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define MAX_GAPS 100000
#define MAX_THREADS 64

typedef struct {
    long start[MAX_GAPS], end[MAX_GAPS];
    int gaps;
} spinner;

static long until;

static long now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000000000L + t.tv_nsec;
}

static void *spin(void *arg) {
    spinner *s = arg;
    long previous = now();
    for (;;) {
        long t = now();
        if (t - previous > 1000000 && s->gaps < MAX_GAPS) {
            s->start[s->gaps] = previous;
            s->end[s->gaps] = t;
            s->gaps++;
        }
        previous = t;
        if (t > until) return NULL;
    }
}

// Whether spinner s also stopped for over 1 ms inside [from, to].
static int stopped_within(const spinner *s, long from, long to) {
    for (int q = 0; q < s->gaps; q++) {
        long lo = from > s->start[q] ? from : s->start[q];
        long hi = to < s->end[q] ? to : s->end[q];
        if (hi - lo > 1000000) return 1;
    }
    return 0;
}

int main(int argc, char **argv) {
    int seconds = argc > 1 ? atoi(argv[1]) : 10;
    int threads = argc > 2 ? atoi(argv[2]) : 2;
    if (seconds < 1 || threads < 1 || threads > MAX_THREADS) {
        fprintf(stderr, "usage: hiccup [SECONDS=10] [THREADS=2 (1-%d)]\n", MAX_THREADS);
        return 2;
    }
    spinner *spinners = calloc(threads, sizeof(spinner));
    pthread_t ids[MAX_THREADS];
    until = now() + seconds * 1000000000L;
    for (int i = 0; i < threads; i++) pthread_create(&ids[i], NULL, spin, &spinners[i]);
    for (int i = 0; i < threads; i++) pthread_join(ids[i], NULL);

    long over1 = 0, over5 = 0, whole = 0, worst = 0;
    for (int i = 0; i < threads; i++) {
        for (int k = 0; k < spinners[i].gaps; k++) {
            long from = spinners[i].start[k], to = spinners[i].end[k], gap = to - from;
            over1++;
            if (gap > worst) worst = gap;
            if (gap <= 5000000) continue;
            over5++;
            int all = 1;
            for (int j = 0; j < threads && all; j++) {
                if (j != i && !stopped_within(&spinners[j], from, to)) all = 0;
            }
            whole += all && threads > 1;
        }
    }
    printf("%d threads spinning %d s: gaps over 1 ms %ld, over 5 ms %ld (%ld with every other thread stopped too), worst %.1f ms\n",
           threads, seconds, over1, over5, whole, worst / 1e6);
    free(spinners);
    return 0;
}
