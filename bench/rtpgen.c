// The relay benchmark's generator in C (bench/relay.sh uses it when gcc is present): the same
// protocol as RelayBench's Java generator, but batched with sendmmsg/recvmmsg so that on a small
// box the generator leaves the CPU to the relay under test.
//   rtpgen PORTSFILE GENPORT SECONDS WARMUP
// Every leg (each port in PORTSFILE) gets one 172-byte RTP packet per 20 ms, spread over 1 ms slices;
// the payload carries a mark, the send time (CLOCK_MONOTONIC ns, as Java's System.nanoTime) and the leg.
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define MARK 0x50424e43u
#define BATCH 64
static int fd;
static volatile int64_t measuring_from = INT64_MAX;
static volatile int done;
static int64_t *lat;
static volatile long nlat, received, cap;

static int64_t now_ns(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec * 1000000000LL + t.tv_nsec; }

static void *receiver(void *arg) {
    (void) arg;
    struct mmsghdr msgs[BATCH]; struct iovec iov[BATCH]; static uint8_t bufs[BATCH][2048];
    for (int i = 0; i < BATCH; i++) { iov[i].iov_base = bufs[i]; iov[i].iov_len = 2048; memset(&msgs[i], 0, sizeof msgs[i]); msgs[i].msg_hdr.msg_iov = &iov[i]; msgs[i].msg_hdr.msg_iovlen = 1; }
    while (!done) {
        int n = recvmmsg(fd, msgs, BATCH, MSG_WAITFORONE, NULL);
        int64_t t = now_ns();
        for (int i = 0; i < n; i++) {
            uint8_t *p = bufs[i];
            if (msgs[i].msg_len < 28) continue;
            uint32_t mark; memcpy(&mark, p + 12, 4);
            if (ntohl(mark) != MARK) continue;
            int64_t sent; memcpy(&sent, p + 16, 8); sent = (int64_t) be64toh((uint64_t) sent);
            if (sent < measuring_from) continue;
            received++;
            if (nlat < cap) lat[nlat++] = t - sent;
        }
    }
    return NULL;
}

static int cmp(const void *a, const void *b) { int64_t x = *(const int64_t *) a, y = *(const int64_t *) b; return x < y ? -1 : x > y; }

int main(int argc, char **argv) {
    if (argc < 5) { fprintf(stderr, "usage: rtpgen PORTSFILE GENPORT SECONDS WARMUP\n"); return 2; }
    FILE *f = fopen(argv[1], "r"); if (!f) { perror(argv[1]); return 1; }
    int *ports = malloc(sizeof(int) * 20000); int legs = 0, p;
    while (legs < 20000 && fscanf(f, "%d", &p) == 1) ports[legs++] = p;
    fclose(f);
    int secs = atoi(argv[3]), warmup = atoi(argv[4]);
    fd = socket(AF_INET, SOCK_DGRAM, 0);
    int size = 8 << 20; setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof size); setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof size);
    struct timeval rcvtimeo = {0, 100000};   // recvmmsg's own timeout only applies once a packet came: let the receiver see "done"
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &rcvtimeo, sizeof rcvtimeo);
    struct sockaddr_in me = {.sin_family = AF_INET, .sin_port = htons(atoi(argv[2])), .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    if (bind(fd, (struct sockaddr *) &me, sizeof me) < 0) { perror("bind"); return 1; }
    cap = (long) legs * 50 * secs + 1024; lat = malloc(sizeof(int64_t) * cap);
    struct sockaddr_in *to = calloc(legs, sizeof *to);
    for (int i = 0; i < legs; i++) { to[i].sin_family = AF_INET; to[i].sin_port = htons(ports[i]); to[i].sin_addr.s_addr = htonl(INADDR_LOOPBACK); }
    uint16_t *seq = calloc(legs, sizeof *seq);
    pthread_t rx; pthread_create(&rx, NULL, receiver, NULL);
    static uint8_t pkts[BATCH][172]; struct mmsghdr msgs[BATCH]; struct iovec iov[BATCH];
    int64_t start = now_ns(), next = start, end = start + (int64_t) (warmup + secs) * 1000000000LL;
    long sent_measured = 0, ticks = 0, late = 0;
    while (next < end) {
        int64_t t = now_ns();
        if (t < next) { struct timespec d = {0, next - t}; nanosleep(&d, NULL); continue; }
        if (measuring_from == INT64_MAX && t - start >= (int64_t) warmup * 1000000000LL) measuring_from = t;
        int measuring = measuring_from != INT64_MAX;
        ticks++; if (t - next > 5000000) late++;
        int slice = (int) (ticks % 20), n = 0;
        for (int i = slice; i < legs; i += 20) {
            uint8_t *b = pkts[n];
            memset(b, 0, 172); b[0] = 0x80; b[1] = 0;
            uint16_t s = htons(seq[i]++); memcpy(b + 2, &s, 2);
            uint32_t ts = htonl((uint32_t) seq[i] * 160u); memcpy(b + 4, &ts, 4);
            uint32_t ssrc = htonl((uint32_t) i); memcpy(b + 8, &ssrc, 4);
            uint32_t mark = htonl(MARK); memcpy(b + 12, &mark, 4);
            uint64_t ns = htobe64((uint64_t) now_ns()); memcpy(b + 16, &ns, 8);
            uint32_t leg = htonl((uint32_t) i); memcpy(b + 24, &leg, 4);
            iov[n].iov_base = b; iov[n].iov_len = 172; memset(&msgs[n], 0, sizeof msgs[n]);
            msgs[n].msg_hdr.msg_iov = &iov[n]; msgs[n].msg_hdr.msg_iovlen = 1;
            msgs[n].msg_hdr.msg_name = &to[i]; msgs[n].msg_hdr.msg_namelen = sizeof to[i];
            if (measuring) sent_measured++;
            if (++n == BATCH) { sendmmsg(fd, msgs, n, 0); n = 0; }
        }
        if (n) sendmmsg(fd, msgs, n, 0);
        next += 1000000;
    }
    sleep(1); done = 1; pthread_join(rx, NULL);
    qsort(lat, nlat, sizeof(int64_t), cmp);
    double loss = sent_measured ? 100.0 * (sent_measured - received) / sent_measured : 0;
    printf("legs=%d sent=%ld received=%ld loss=%.3f%% p50=%ldus p99=%ldus max=%ldus generatorLateSlices=%ld/%ld\n", legs, sent_measured, received,
           loss < 0 ? 0 : loss, nlat ? (long) (lat[nlat / 2] / 1000) : 0, nlat ? (long) (lat[(long) (nlat * 0.99)] / 1000) : 0,
           nlat ? (long) (lat[nlat - 1] / 1000) : 0, late, ticks);
    return 0;
}
