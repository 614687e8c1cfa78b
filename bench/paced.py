"""An open-loop load: requests at a constant offered rate, whatever the server's answers do.

wrk (closed loop) sends the next request only when the last one came back, so a slow server is
also asked less: that hides the waiting a resident feels. Here every request has its time on a
fixed schedule (request k at start + k / rate), and its latency is counted from that time, not
from when it could finally be sent (no coordinated omission). The schedule is dealt round-robin
to THREADS client threads in PROCESSES processes; each thread walks its own residents through
`투표 → 1 → 1`, so a resident's steps still arrive in order. Plain `http.client`, one connection
per thread (gunicorn's sync workers close it after each answer; it is opened again).
"""

from __future__ import annotations

import http.client
import multiprocessing
import statistics
import threading
import time

from bench.webhook import payload, post

PROCESSES = 2
THREADS = 16  # per process: 32 in all, as many as wrk's connections


def _thread(port: int, rate: float, start: float, seconds: float, index: int, total: int,
            users: list[str], out: list) -> None:
    steps = ("투표", "1", "1")
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    latencies, errors, late = [], 0, 0
    n = 0
    k = index
    while True:
        due = start + k / rate
        if due - start >= seconds:
            break
        wait = due - time.perf_counter()
        if wait > 0:
            time.sleep(wait)
        else:
            late += 1
        body = payload(users[(n // len(steps)) % len(users)], steps[n % len(steps)])
        errors += not post(conn, body)
        latencies.append(time.perf_counter() - due)
        n += 1
        k += total
    out.append((latencies, errors, late))


def _process(port: int, rate: float, start: float, seconds: float, process: int,
             users: list[list[str]], queue: multiprocessing.Queue) -> None:
    out: list = []
    threads = [threading.Thread(target=_thread, args=(
        port, rate, start, seconds, process * THREADS + t, PROCESSES * THREADS,
        users[process * THREADS + t], out)) for t in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    queue.put(out)


def load(port: int, rate: float, seconds: float, users: int, first: int = 0
         ) -> dict[str, float]:
    """Offer `rate` requests a second for `seconds` from residents `bench-{first}` onwards."""
    total = PROCESSES * THREADS
    each = max(1, users // total)
    slices = [[f"bench-{first + t * each + u}" for u in range(each)] for t in range(total)]
    queue: multiprocessing.Queue = multiprocessing.Queue()
    start = time.perf_counter() + 0.5  # every process is up before the first request is due
    procs = [multiprocessing.Process(target=_process, args=(
        port, rate, start, seconds, p, slices, queue)) for p in range(PROCESSES)]
    for proc in procs:
        proc.start()
    latencies: list[float] = []
    errors = late = 0
    for _ in procs:
        for got, bad, behind in queue.get():
            latencies.extend(got)
            errors += bad
            late += behind
    for proc in procs:
        proc.join()
    elapsed = time.perf_counter() - start
    latencies.sort()
    return {"offered_rps": rate, "requests": len(latencies), "rps": len(latencies) / elapsed,
            "errors": errors, "sent_late": late,
            "p50_ms": statistics.median(latencies) * 1000,
            "p99_ms": latencies[max(0, int(len(latencies) * 0.99) - 1)] * 1000,
            "client": "paced python (bench/paced.py)"}
