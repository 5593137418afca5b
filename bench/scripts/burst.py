#!/usr/bin/env python3
"""The burst scene of CONTRACT section 4, against a running gateway with a broadcast listener.

One producer writes FRAMES frames of 1 KiB in a single sendall; READERS plain Python loops read
everything (answering PINGs) and check every frame, in order; with --stuck [N], N more clients (one
by default) never read (4 KiB receive buffer); one of them sends PONG every 200 ms, so only its
backlog or the write deadline can close it. With --bursts K the burst is repeated K times, --pause
seconds apart. Prints how long the readers took to get each whole burst, and how many stuck clients
the gateway had closed by then.

  python3 bench/scripts/burst.py --port 9000 [--stuck [2000]] [--frames 20000] [--readers 2] [--bursts 3 --pause 5]
      [--management 8081]
"""
import argparse, socket, threading, time, urllib.request

p = argparse.ArgumentParser()
p.add_argument("--host", default="127.0.0.1")
p.add_argument("--port", type=int, default=9000)
p.add_argument("--frames", type=int, default=20000)
p.add_argument("--readers", type=int, default=2)
p.add_argument("--stuck", type=int, nargs="?", const=1, default=0)
p.add_argument("--bursts", type=int, default=1)
p.add_argument("--pause", type=float, default=5.0)
p.add_argument("--management", type=int, default=8081)
a = p.parse_args()

def frame(i):
    head = f"{i}:".encode()
    return head + b"p" * (1023 - len(head)) + b"\n"

def connect(rcvbuf=None):
    s = socket.socket()
    if rcvbuf:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
    s.connect((a.host, a.port))
    return s

results = {}

def read(name, f, s):
    got = 0
    while got < a.frames:
        line = f.readline()
        if not line:
            results[name] = f"closed after {got} frames"
            return
        if line == b"PING\n":
            s.sendall(b"PONG\n")
            continue
        if line != frame(got):
            results[name] = f"frame {got} wrong: {line[:20]!r}"
            return
        got += 1
    results[name] = "all frames, in order"

def slow_consumers_closed():
    """The gateway's own count (the stuck clients' kernels still hold unread bytes, so they cannot tell)."""
    try:
        with urllib.request.urlopen(f"http://{a.host}:{a.management}/actuator/prometheus", timeout=5) as answer:
            text = answer.read().decode()
    except OSError:
        return "?"
    return int(sum(float(line.rsplit(" ", 1)[1]) for line in text.splitlines()
                   if line.startswith("gateway_connections_closed_total{") and 'reason="slow-consumer"' in line))

stop = threading.Event()
stuck = [connect(rcvbuf=4096) for _ in range(a.stuck)]
if stuck:
    def pong():
        while not stop.wait(0.2):
            try:
                stuck[0].sendall(b"PONG\n")
            except OSError:
                return
    threading.Thread(target=pong, daemon=True).start()
readers = [connect() for _ in range(a.readers)]
files = [s.makefile("rb") for s in readers]
producer = connect()
time.sleep(0.5 + a.stuck / 1000)  # let the gateway register every connection before the burst
burst = b"".join(frame(i) for i in range(a.frames))
for n in range(a.bursts):
    results.clear()
    threads = [threading.Thread(target=read, args=(f"reader{i}", f, s)) for i, (f, s) in enumerate(zip(files, readers))]
    start = time.monotonic()
    for t in threads:
        t.start()
    producer.sendall(burst)
    for t in threads:
        t.join()
    took = time.monotonic() - start
    gone = slow_consumers_closed() if stuck else 0
    print(f"burst {n + 1}: {a.frames} frames x 1 KiB to {a.readers} reader(s)"
          f"{f' beside {a.stuck} stuck' if stuck else ''}: {took * 1000:.0f} ms; {results}"
          f"{f'; slow consumers closed by now: {gone}' if stuck else ''}", flush=True)
    if n + 1 < a.bursts:
        time.sleep(a.pause)
stop.set()
