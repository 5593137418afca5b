#!/usr/bin/env python3
"""The burst scene of CONTRACT section 4, against a running gateway with a broadcast listener.

One producer writes FRAMES frames of 1 KiB in a single sendall; READERS plain Python loops read
everything (answering PINGs) and check every frame, in order; with --stuck, one more client never
reads (4 KiB receive buffer) but sends PONG every 200 ms, so only its backlog can close it.
Prints how long the readers took to get the whole burst.

  python3 bench/scripts/burst.py --port 9000 [--stuck] [--frames 20000] [--readers 2]
"""
import argparse, socket, threading, time

p = argparse.ArgumentParser()
p.add_argument("--host", default="127.0.0.1")
p.add_argument("--port", type=int, default=9000)
p.add_argument("--frames", type=int, default=20000)
p.add_argument("--readers", type=int, default=2)
p.add_argument("--stuck", action="store_true")
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

def read(name, s):
    f = s.makefile("rb")
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

stop = threading.Event()
if a.stuck:
    stuck = connect(rcvbuf=4096)
    def pong():
        while not stop.wait(0.2):
            try:
                stuck.sendall(b"PONG\n")
            except OSError:
                results["stuck"] = "closed by the gateway"
                return
    threading.Thread(target=pong, daemon=True).start()
readers = [connect() for _ in range(a.readers)]
producer = connect()
time.sleep(0.5)  # let the gateway register every connection before the burst
burst = b"".join(frame(i) for i in range(a.frames))
threads = [threading.Thread(target=read, args=(f"reader{i}", s)) for i, s in enumerate(readers)]
start = time.monotonic()
for t in threads:
    t.start()
producer.sendall(burst)
for t in threads:
    t.join()
took = time.monotonic() - start
stop.set()
print(f"{a.frames} frames x 1 KiB to {a.readers} reader(s){' beside a stuck one' if a.stuck else ''}: "
      f"{took * 1000:.0f} ms; {results}")
