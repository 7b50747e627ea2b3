// tun-delay: a TUN device that holds every packet D±J ms and drops P% of them, for the
// network-namespace tests (the kernel here has no `tc netem`).
//
//   tun-delay -i tun0 [-d 30] [-j 5] [-l 1.0] [-q 8192] [-s seed]
//
// Opens (or creates) the TUN device -i with IFF_TUN|IFF_NO_PI, prints "ready" on standard
// output once attached, then reads every packet the kernel routes into the device, drops it
// with probability -l percent, and writes it back after a delay drawn uniformly from
// [d-j, d+j] ms. The kernel then routes the written packet as if it had arrived on the device.
//
// Order: packets of one flow (same protocol, addresses and, for TCP/UDP, ports) leave in the
// order they came (a packet never leaves before the previous one of its flow), so jitter
// spreads delays without reordering a flow; packets of different flows may overtake each
// other. At most -q packets are held; a packet arriving at a full queue is dropped.
// Exits 0 on SIGTERM/SIGINT, and when its parent dies (PR_SET_PDEATHSIG).

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>

#define MAX_PACKET 2048
#define FLOW_BUCKETS 4096

struct slot { uint64_t due; uint32_t seq; uint16_t len; unsigned char data[MAX_PACKET]; };

static volatile sig_atomic_t stopping = 0;
static void on_signal (int sig) { (void)sig; stopping = 1; }

static uint64_t now_ns (void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static uint64_t rng_state;
static uint64_t rng_next (void) { // xorshift64*
  rng_state ^= rng_state >> 12; rng_state ^= rng_state << 25; rng_state ^= rng_state >> 27;
  return rng_state * 2685821657736338717ull;
}
static double rng_unit (void) { return (double)(rng_next() >> 11) / 9007199254740992.0; } // [0,1)

// A min-heap of slot indices ordered by (due, seq); free slots on a stack.
static struct slot *slots;
static int *heap, *free_stack;
static int heap_len = 0, free_len = 0;

static int before (int a, int b) {
  if (slots[a].due != slots[b].due) return slots[a].due < slots[b].due;
  return slots[a].seq < slots[b].seq;
}
static void heap_push (int s) {
  int i = heap_len++;
  heap[i] = s;
  while (i > 0) {
    int p = (i - 1) / 2;
    if (!before(heap[i], heap[p])) break;
    int t = heap[i]; heap[i] = heap[p]; heap[p] = t; i = p;
  }
}
static int heap_pop (void) {
  int top = heap[0];
  heap[0] = heap[--heap_len];
  for (int i = 0;;) {
    int l = 2 * i + 1, r = l + 1, m = i;
    if (l < heap_len && before(heap[l], heap[m])) m = l;
    if (r < heap_len && before(heap[r], heap[m])) m = r;
    if (m == i) break;
    int t = heap[i]; heap[i] = heap[m]; heap[m] = t; i = m;
  }
  return top;
}

// FNV-1a over the IPv4/IPv6 protocol, addresses and (TCP/UDP) ports: the flow's bucket.
static unsigned flow_of (const unsigned char *p, int len) {
  uint32_t h = 2166136261u;
  int start = 0, end = 0, ports = -1;
  if (len >= 20 && (p[0] >> 4) == 4) {
    int ihl = (p[0] & 15) * 4;
    start = 12; end = 20; // source and destination addresses
    h = (h ^ p[9]) * 16777619u;
    if ((p[9] == 6 || p[9] == 17) && len >= ihl + 4) ports = ihl;
  } else if (len >= 40 && (p[0] >> 4) == 6) {
    start = 8; end = 40;
    h = (h ^ p[6]) * 16777619u;
    if (p[6] == 6 || p[6] == 17) ports = 40;
  }
  for (int i = start; i < end; i++) h = (h ^ p[i]) * 16777619u;
  if (ports >= 0) for (int i = ports; i < ports + 4; i++) h = (h ^ p[i]) * 16777619u;
  return h % FLOW_BUCKETS;
}

static void usage (void) {
  fprintf(stderr, "usage: tun-delay -i <tun name> [-d delay ms] [-j jitter ms] [-l loss %%] [-q max packets] [-s seed]\n");
  exit(2);
}

int main (int argc, char **argv) {
  const char *name = NULL;
  double delay_ms = 0, jitter_ms = 0, loss_pct = 0;
  long capacity = 8192;
  uint64_t seed = 0;
  for (int opt; (opt = getopt(argc, argv, "i:d:j:l:q:s:")) != -1;) {
    switch (opt) {
      case 'i': name = optarg; break;
      case 'd': delay_ms = atof(optarg); break;
      case 'j': jitter_ms = atof(optarg); break;
      case 'l': loss_pct = atof(optarg); break;
      case 'q': capacity = atol(optarg); break;
      case 's': seed = strtoull(optarg, NULL, 10); break;
      default: usage();
    }
  }
  if (name == NULL || strlen(name) >= IFNAMSIZ || delay_ms < 0 || jitter_ms < 0 || jitter_ms > delay_ms ||
      loss_pct < 0 || loss_pct > 100 || capacity < 1 || capacity > 1000000) usage();

  prctl(PR_SET_PDEATHSIG, SIGTERM);
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal; // no SA_RESTART: poll() returns EINTR
  sigaction(SIGTERM, &sa, NULL);
  sigaction(SIGINT, &sa, NULL);

  int fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK);
  if (fd < 0) { perror("tun-delay: /dev/net/tun"); return 1; }
  struct ifreq ifr;
  memset(&ifr, 0, sizeof ifr);
  ifr.ifr_flags = IFF_TUN | IFF_NO_PI;
  strncpy(ifr.ifr_name, name, IFNAMSIZ - 1);
  if (ioctl(fd, TUNSETIFF, &ifr) < 0) { perror("tun-delay: TUNSETIFF"); return 1; }

  slots = calloc((size_t)capacity, sizeof *slots);
  heap = calloc((size_t)capacity, sizeof *heap);
  free_stack = calloc((size_t)capacity, sizeof *free_stack);
  uint64_t *flow_last = calloc(FLOW_BUCKETS, sizeof *flow_last);
  if (!slots || !heap || !free_stack || !flow_last) { fprintf(stderr, "tun-delay: out of memory\n"); return 1; }
  for (long i = capacity - 1; i >= 0; i--) free_stack[free_len++] = (int)i;
  rng_state = seed != 0 ? seed : (now_ns() ^ ((uint64_t)getpid() << 32)) | 1;

  printf("ready\n");
  fflush(stdout);

  const uint64_t base = (uint64_t)((delay_ms - jitter_ms) * 1e6), span = (uint64_t)(2 * jitter_ms * 1e6);
  const double loss = loss_pct / 100.0;
  uint32_t seq = 0;
  unsigned long received = 0, dropped = 0, overflowed = 0;
  unsigned char scratch[MAX_PACKET];
  while (!stopping) {
    uint64_t now = now_ns();
    while (heap_len > 0 && slots[heap[0]].due <= now) { // send what is due
      int s = heap_pop();
      if (write(fd, slots[s].data, slots[s].len) < 0 && errno != EAGAIN && errno != EINVAL) { perror("tun-delay: write"); return 1; }
      free_stack[free_len++] = s;
    }
    int timeout = -1;
    if (heap_len > 0) {
      uint64_t wait = slots[heap[0]].due - now;
      timeout = (int)((wait + 999999) / 1000000); // round up: never wake before due
    }
    struct pollfd pfd = { .fd = fd, .events = POLLIN };
    int ready = poll(&pfd, 1, timeout);
    if (ready < 0) { if (errno == EINTR) continue; perror("tun-delay: poll"); return 1; }
    if (ready == 0) continue;
    if (pfd.revents & (POLLERR | POLLHUP | POLLNVAL)) { fprintf(stderr, "tun-delay: device gone\n"); return 1; }
    for (int burst = 0; burst < 256; burst++) { // bounded: go back to sending what falls due
      ssize_t n = read(fd, free_len > 0 ? slots[free_stack[free_len - 1]].data : scratch, MAX_PACKET);
      if (n < 0) { if (errno == EAGAIN || errno == EINTR) break; perror("tun-delay: read"); return 1; }
      if (n == 0) break;
      received++;
      if (loss > 0 && rng_unit() < loss) { dropped++; continue; }
      if (free_len == 0) { overflowed++; continue; }
      int s = free_stack[--free_len];
      uint64_t due = now_ns() + base + (span > 0 ? rng_next() % (span + 1) : 0);
      unsigned flow = flow_of(slots[s].data, (int)n);
      if (due < flow_last[flow]) due = flow_last[flow]; // keep the flow's order
      flow_last[flow] = due;
      slots[s].due = due;
      slots[s].seq = seq++;
      slots[s].len = (uint16_t)n;
      heap_push(s);
    }
  }
  fprintf(stderr, "tun-delay %s: %lu packets, %lu dropped (loss), %lu dropped (queue full), %d held at exit\n",
    name, received, dropped, overflowed, heap_len);
  return 0;
}
