/*
 * A load generator that costs the machine little: one thread, epoll, no allocation in the loop. On 2 cores a Java
 * generator takes much of the CPU and flatters whichever server costs more per frame; this one leaves the server
 * its cores. Built by bench.NativeLoad with the system compiler (cc -O2).
 *
 *   loadgen echo PORT CONNECTIONS INFLIGHT SIZE WARMUP_SECONDS SECONDS
 *       closed loop: each connection keeps INFLIGHT frames of SIZE bytes (the last one '\n') outstanding and sends
 *       one more for every one that comes back; prints the frames per second echoed after the warm-up.
 *   loadgen latency PORT WARMUP ITERATIONS SIZE
 *       one connection, one frame at a time; prints the round trip's p50, p99 and p99.9 in nanoseconds.
 *   loadgen broadcast SENDER_PORT RECEIVER_PORTS RECEIVERS SENDERS INFLIGHT WARMUP_SECONDS SECONDS
 *       RECEIVERS connections that only read (spread round-robin over the comma-separated RECEIVER_PORTS, the pods
 *       of a cluster) and SENDERS on SENDER_PORT that each keep INFLIGHT 32-byte frames "sender,sequence,xx…\n"
 *       outstanding; a frame is complete when every receiver has it, and only then is the next one sent. Prints
 *       deliveries per second (complete frames × RECEIVERS) and the completion p99 in nanoseconds. As bench's
 *       BroadcastLoad, the Java one.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static double now_seconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

static int64_t now_nanos(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t) t.tv_sec * 1000000000LL + t.tv_nsec;
}

static int connect_to(int port) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) { perror("socket"); exit(1); }
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    struct sockaddr_in address = { .sin_family = AF_INET, .sin_port = htons(port) };
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, (struct sockaddr *) &address, sizeof address) < 0) { perror("connect"); exit(1); }
    return fd;
}

/* Writes all of buffer[0..length) on a blocking or non-blocking socket (waiting on EAGAIN by polling). */
static void write_all(int fd, const char *buffer, size_t length) {
    while (length > 0) {
        ssize_t n = write(fd, buffer, length);
        if (n < 0) {
            if (errno == EAGAIN || errno == EINTR) { continue; }
            perror("write"); exit(1);
        }
        buffer += n;
        length -= (size_t) n;
    }
}

/* A warm-up, then the measured seconds: window_tick says when the measured part begins and when it is over. */
struct window { double measuring, end; int begun; };

static struct window window_of(double warmup, double seconds) {
    double start = now_seconds();
    struct window w = { start + warmup, start + warmup + seconds, 0 };
    return w;
}

/* 1 once, as the measured part begins; -1 once it is over; 0 otherwise. */
static int window_tick(struct window *w) {
    double t = now_seconds();
    if (t >= w->end) { return -1; }
    if (!w->begun && t >= w->measuring) { w->begun = 1; return 1; }
    return 0;
}

/* Reads what a ready socket has; a closed connection ends the run, as the server must never close one. */
static ssize_t read_ready(int fd, char *buffer, size_t size) {
    ssize_t n = read(fd, buffer, size);
    if (n <= 0) { fprintf(stderr, "connection closed by the server\n"); exit(1); }
    return n;
}

static int echo(int port, int connections, int inflight, int size, double warmup, double seconds) {
    char *frames = malloc((size_t) inflight * size);
    for (int i = 0; i < inflight * size; i++) {
        frames[i] = (i % size == size - 1) ? '\n' : (char) ('a' + i % 26);
    }
    int epoll = epoll_create1(0);
    for (int c = 0; c < connections; c++) {
        int fd = connect_to(port);
        struct epoll_event event = { .events = EPOLLIN, .data.fd = fd };
        epoll_ctl(epoll, EPOLL_CTL_ADD, fd, &event);
        write_all(fd, frames, (size_t) inflight * size);
    }
    static char buffer[65536];
    struct epoll_event events[256];
    uint64_t received = 0, at_start = 0;
    struct window w = window_of(warmup, seconds);
    for (int tick; (tick = window_tick(&w)) >= 0;) {
        if (tick == 1) { at_start = received; }
        int ready = epoll_wait(epoll, events, 256, 100);
        for (int i = 0; i < ready; i++) {
            int fd = events[i].data.fd;
            ssize_t n = read_ready(fd, buffer, sizeof buffer);
            int lines = 0;
            for (ssize_t b = 0; b < n; b++) {
                lines += (buffer[b] == '\n');
            }
            received += (uint64_t) lines;
            while (lines > 0) { /* one more frame for each that came back, in one write when it can */
                int batch = lines < inflight ? lines : inflight;
                write_all(fd, frames, (size_t) batch * size);
                lines -= batch;
            }
        }
    }
    printf("%.1f\n", (received - at_start) / seconds);
    return 0;
}

static int compare_int64(const void *a, const void *b) {
    int64_t x = *(const int64_t *) a, y = *(const int64_t *) b;
    return (x > y) - (x < y);
}

static int latency(int port, int warmup, int iterations, int size) {
    char *frame = malloc((size_t) size), *reply = malloc((size_t) size);
    memset(frame, 'x', (size_t) size);
    frame[size - 1] = '\n';
    int64_t *took = malloc(sizeof(int64_t) * (size_t) iterations);
    int fd = connect_to(port);
    for (int i = 0; i < warmup + iterations; i++) {
        int64_t t0 = now_nanos();
        write_all(fd, frame, (size_t) size);
        size_t got = 0;
        while (got < (size_t) size) {
            ssize_t n = read(fd, reply + got, (size_t) size - got);
            if (n <= 0) { fprintf(stderr, "connection closed by the server\n"); return 1; }
            got += (size_t) n;
        }
        if (i >= warmup) { took[i - warmup] = now_nanos() - t0; }
    }
    qsort(took, (size_t) iterations, sizeof(int64_t), compare_int64);
    printf("%lld %lld %lld\n", (long long) took[iterations / 2], (long long) took[(int) (iterations * 0.99)],
            (long long) took[(int) (iterations * 0.999)]);
    return 0;
}

#define WINDOW 1024
#define FRAME 32

struct receiver { int field; long sender; long sequence; };

static void broadcast_frame(char *frame, int sender, long sequence) {
    int n = snprintf(frame, FRAME, "%d,%ld,", sender, sequence);
    memset(frame + n, 'x', (size_t) (FRAME - 1 - n));
    frame[FRAME - 1] = '\n';
}

static int broadcast(int sender_port, const char *receiver_ports, int receivers, int senders, int inflight,
        double warmup, double seconds) {
    int ports[16], port_count = 0;
    char *list = strdup(receiver_ports);
    for (char *token = strtok(list, ","); token != NULL && port_count < 16; token = strtok(NULL, ",")) {
        ports[port_count++] = atoi(token);
    }
    int epoll = epoll_create1(0);
    struct receiver *state = calloc((size_t) receivers, sizeof(struct receiver));
    int max_fd = 0;
    int *receiver_fds = malloc(sizeof(int) * (size_t) receivers);
    for (int r = 0; r < receivers; r++) {
        receiver_fds[r] = connect_to(ports[r % port_count]);
        if (receiver_fds[r] > max_fd) { max_fd = receiver_fds[r]; }
    }
    int *fd_to_receiver = malloc(sizeof(int) * (size_t) (max_fd + 1));
    for (int r = 0; r < receivers; r++) {
        fd_to_receiver[receiver_fds[r]] = r;
        struct epoll_event event = { .events = EPOLLIN, .data.fd = receiver_fds[r] };
        epoll_ctl(epoll, EPOLL_CTL_ADD, receiver_fds[r], &event);
    }
    int *sender_fds = malloc(sizeof(int) * (size_t) senders);
    for (int s = 0; s < senders; s++) {
        sender_fds[s] = connect_to(sender_port);
    }
    struct timespec settle = { 1, 0 }; /* let the server register every connection before the first frame */
    nanosleep(&settle, NULL);
    int *seen_by = calloc((size_t) senders * WINDOW, sizeof(int));
    int64_t *sent_at = calloc((size_t) senders * WINDOW, sizeof(int64_t));
    long *next_sequence = calloc((size_t) senders, sizeof(long));
    size_t capacity = 1 << 22, samples = 0;
    int64_t *completion = malloc(sizeof(int64_t) * capacity);
    char frame[FRAME];
    for (int s = 0; s < senders; s++) {
        for (int i = 0; i < inflight; i++) {
            long sequence = next_sequence[s]++;
            sent_at[s * WINDOW + sequence % WINDOW] = now_nanos();
            broadcast_frame(frame, s, sequence);
            write_all(sender_fds[s], frame, FRAME);
        }
    }
    static char buffer[65536];
    struct epoll_event events[256];
    uint64_t completed = 0, at_start = 0;
    struct window w = window_of(warmup, seconds);
    for (int tick; (tick = window_tick(&w)) >= 0;) {
        if (tick == 1) { at_start = completed; samples = 0; }
        int ready = epoll_wait(epoll, events, 256, 100);
        for (int i = 0; i < ready; i++) {
            int fd = events[i].data.fd;
            struct receiver *r = &state[fd_to_receiver[fd]];
            ssize_t n = read_ready(fd, buffer, sizeof buffer);
            for (ssize_t b = 0; b < n; b++) {
                char c = buffer[b];
                if (c == '\n' && r->field < 0) { /* a line that is not a frame: the heartbeat's PING */
                    write_all(fd, "PONG\n", 5);
                    r->field = 0; r->sender = 0; r->sequence = 0;
                }
                else if (c == '\n') {
                    int s = (int) r->sender;
                    long slot = s * WINDOW + r->sequence % WINDOW;
                    if (++seen_by[slot] == receivers) {
                        seen_by[slot] = 0;
                        if (samples < capacity) { completion[samples++] = now_nanos() - sent_at[slot]; }
                        completed++;
                        long sequence = next_sequence[s]++;
                        sent_at[s * WINDOW + sequence % WINDOW] = now_nanos();
                        broadcast_frame(frame, s, sequence);
                        write_all(sender_fds[s], frame, FRAME);
                    }
                    r->field = 0; r->sender = 0; r->sequence = 0;
                }
                else if (r->field < 0) {
                    /* the rest of a line that is not a frame */
                }
                else if (c < '0' || c > '9') {
                    if (c == ',') { r->field++; } else if (r->field == 0) { r->field = -1; }
                }
                else if (r->field == 0) {
                    r->sender = r->sender * 10 + (c - '0');
                }
                else if (r->field == 1) {
                    r->sequence = r->sequence * 10 + (c - '0');
                }
            }
        }
    }
    qsort(completion, samples, sizeof(int64_t), compare_int64);
    printf("%.1f %lld\n", (completed - at_start) * (double) receivers / seconds,
            samples > 0 ? (long long) completion[(size_t) (samples * 0.99)] : 0LL);
    return 0;
}

int main(int argc, char **argv) {
    if (argc == 8 && strcmp(argv[1], "echo") == 0) {
        return echo(atoi(argv[2]), atoi(argv[3]), atoi(argv[4]), atoi(argv[5]), atof(argv[6]), atof(argv[7]));
    }
    if (argc == 6 && strcmp(argv[1], "latency") == 0) {
        return latency(atoi(argv[2]), atoi(argv[3]), atoi(argv[4]), atoi(argv[5]));
    }
    if (argc == 9 && strcmp(argv[1], "broadcast") == 0) {
        return broadcast(atoi(argv[2]), argv[3], atoi(argv[4]), atoi(argv[5]), atoi(argv[6]), atof(argv[7]),
                atof(argv[8]));
    }
    fprintf(stderr, "usage: loadgen echo PORT CONNECTIONS INFLIGHT SIZE WARMUP SECONDS | latency PORT WARMUP ITERATIONS SIZE"
            " | broadcast SENDER_PORT RECEIVER_PORTS RECEIVERS SENDERS INFLIGHT WARMUP SECONDS\n");
    return 2;
}
