// The hold test's C reference: what a plain paced RTP sender achieves on this box, measured in the same run as
// Patchbay's (bench/run.sh and bench/hold.sh build it when gcc is present).
//   pacer STREAMS THREADS SECONDS [SINKPORT]
// Like Patchbay's media engine: STREAMS UDP sockets on 127.0.0.1, each registered for reading with an epoll set
// that one receive thread waits on; THREADS sender threads share the streams, each walks a quarter of its own
// every 5 ms, so each stream sends one 172-byte RTP packet (PCMU, 20 ms) per 20 ms. All go to one socket that is
// never read (SINKPORT, or one of its own), as sipp's media socket. After 2 s of warm-up it counts, for SECONDS,
// frames (20 ms, per thread) and late frames (one with a slot starting more than 5 ms behind schedule, counted once
// per frame and thread: the same rule as patchbay_rtp_late_ticks), packets and late packets (one sent more than 5 ms
// after its slot's time: the rule of patchbay_rtp_late_sends), and the process's CPU.
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define SLOT_NS 5000000LL
#define SLOTS 4
#define LATE_NS 5000000LL
#define WARMUP_NS 2000000000LL

static int streams, threads, epfd;
static int *fds;
static struct sockaddr_in sink;
static int64_t epoch, measure_from, measure_until;
static long total_frames, total_late, total_packets, total_late_packets;
static int64_t worst_ns;
static pthread_mutex_t totals = PTHREAD_MUTEX_INITIALIZER;

static int64_t now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000000000LL + t.tv_nsec;
}

static void *receiver(void *arg) {
    (void) arg;
    struct epoll_event events[64];
    char buf[2048];
    for (;;) {
        int n = epoll_wait(epfd, events, 64, -1);
        for (int i = 0; i < n; i++) {
            while (recv(events[i].data.fd, buf, sizeof buf, MSG_DONTWAIT) > 0) {
            }
        }
    }
    return NULL;
}

static void *sender(void *arg) {
    int self = (int) (intptr_t) arg;
    uint8_t packet[172];
    memset(packet, 0xff, sizeof packet);   // PCMU silence
    packet[0] = 0x80;
    packet[1] = 0;
    int64_t next = epoch;
    long slot = 0, frames = 0, late = 0, packets = 0, late_packets = 0;
    int64_t worst = 0;
    int frame_late = 0;
    while (next < measure_until) {
        struct timespec ts = {next / 1000000000LL, next % 1000000000LL};
        clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);
        int64_t lateness = now_ns() - next;
        int phase = (int) (slot % SLOTS);
        int measured = next >= measure_from;
        if (phase == 0) {
            frame_late = 0;
            if (measured) {
                frames++;
            }
        }
        if (measured && lateness > LATE_NS && !frame_late) {
            frame_late = 1;
            late++;
        }
        if (measured && lateness > worst) {
            worst = lateness;
        }
        uint32_t timestamp = (uint32_t) (slot / SLOTS) * 160;
        for (int i = self + phase * threads; i < streams; i += SLOTS * threads) {   // this thread's streams of this slot
            uint16_t seq = (uint16_t) (slot / SLOTS);
            packet[2] = seq >> 8;
            packet[3] = seq & 0xff;
            uint32_t ts_be = htonl(timestamp), ssrc = htonl((uint32_t) i);
            memcpy(packet + 4, &ts_be, 4);
            memcpy(packet + 8, &ssrc, 4);
            if (measured) {
                packets++;
                late_packets += now_ns() - next > LATE_NS;
            }
            sendto(fds[i], packet, sizeof packet, 0, (struct sockaddr *) &sink, sizeof sink);
        }
        slot++;
        next += SLOT_NS;
        int64_t behind = now_ns() - next;
        if (behind > 12 * SLOT_NS) {   // as Patchbay's sender: skip whole missed frames instead of bursting
            int64_t skipped = behind / (SLOTS * SLOT_NS);
            next += skipped * SLOTS * SLOT_NS;
            slot += skipped * SLOTS;
            if (next >= measure_from) {
                frames += skipped;   // counted as frames, as Patchbay's sender counts them
            }
        }
    }
    pthread_mutex_lock(&totals);
    total_frames += frames;
    total_late += late;
    total_packets += packets;
    total_late_packets += late_packets;
    if (worst > worst_ns) {
        worst_ns = worst;
    }
    pthread_mutex_unlock(&totals);
    return NULL;
}

static double cpu_seconds(void) {
    struct rusage r;
    getrusage(RUSAGE_SELF, &r);
    return r.ru_utime.tv_sec + r.ru_utime.tv_usec / 1e6 + r.ru_stime.tv_sec + r.ru_stime.tv_usec / 1e6;
}

int main(int argc, char **argv) {
    if (argc < 4) {
        fprintf(stderr, "usage: pacer STREAMS THREADS SECONDS [SINKPORT]\n");
        return 2;
    }
    streams = atoi(argv[1]);
    threads = atoi(argv[2]);
    int seconds = atoi(argv[3]);
    if (streams < 1 || threads < 1 || threads > 64 || seconds < 1) {
        fprintf(stderr, "STREAMS and SECONDS must be positive, THREADS 1 to 64\n");
        return 2;
    }
    sink.sin_family = AF_INET;
    sink.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (argc > 4) {
        sink.sin_port = htons((uint16_t) atoi(argv[4]));
    } else {   // a socket of our own that nobody reads
        int s = socket(AF_INET, SOCK_DGRAM, 0);
        socklen_t len = sizeof sink;
        if (s < 0 || bind(s, (struct sockaddr *) &sink, sizeof sink) < 0 || getsockname(s, (struct sockaddr *) &sink, &len) < 0) {
            perror("sink");
            return 1;
        }
    }
    epfd = epoll_create1(0);
    fds = calloc((size_t) streams, sizeof *fds);
    for (int i = 0; i < streams; i++) {
        struct sockaddr_in local = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
        fds[i] = socket(AF_INET, SOCK_DGRAM, 0);
        if (fds[i] < 0 || bind(fds[i], (struct sockaddr *) &local, sizeof local) < 0) {
            perror("socket");
            return 1;
        }
        struct epoll_event ev = {.events = EPOLLIN, .data.fd = fds[i]};
        epoll_ctl(epfd, EPOLL_CTL_ADD, fds[i], &ev);
    }
    pthread_t rx, tx[64];
    pthread_create(&rx, NULL, receiver, NULL);
    epoch = now_ns() + SLOT_NS;
    measure_from = epoch + WARMUP_NS;
    measure_until = measure_from + seconds * 1000000000LL;
    for (int t = 0; t < threads; t++) {
        pthread_create(&tx[t], NULL, sender, (void *) (intptr_t) t);
    }
    struct timespec warm = {WARMUP_NS / 1000000000LL, 0};
    nanosleep(&warm, NULL);
    double cpu0 = cpu_seconds();
    for (int t = 0; t < threads; t++) {
        pthread_join(tx[t], NULL);
    }
    double cpu = cpu_seconds() - cpu0;
    printf("streams %d threads %d: late frames %ld of %ld, late packets %ld of %ld, worst %.1f ms, CPU %.0f%% of a core\n", streams,
            threads, total_late, total_frames, total_late_packets, total_packets, worst_ns / 1e6, cpu * 100 / seconds);
    return 0;
}
