#!/usr/bin/env python3
"""Load and abuse figures for `personabook serve`, loopback only, every step
bounded in time.

    cargo build --release
    python3 bench/serve_load.py [--root HANDBOOK] [--bin target/release/personabook]

Steps (each prints one line of figures):
  wrk      `wrk -t2 -c800 -d20s` on the home page: requests/s and errors
  slow     10,000 connections sending one header byte per second (each
           reconnects when the server cuts it off) while a normal client
           fetches every page: p50/p99/max latency and failures
  stalled  50 clients that ask for the largest file and never read, while
           the normal client fetches every page
  header   a 500 MB header line: bytes the server took before closing
  fds      a second server under `ulimit -n 1024`, 2,000 connections held,
           then closed: does it answer afterwards
  idle     threads and open fds of the server before and after, peak RSS

Needs `wrk` and an open-files limit above 10,000 for this script
(`ulimit -n 20000`).
"""

import argparse
import asyncio
import multiprocessing
import os
import re
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time

HOST = "127.0.0.1"


def free_port():
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def proc_status(pid):
    fields = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            k, _, v = line.partition(":")
            fields[k] = v.strip()
    fds = len(os.listdir(f"/proc/{pid}/fd"))
    return int(fields["Threads"]), fds, fields.get("VmHWM", "?"), fields.get("VmRSS", "?")


def http_get(port, path, timeout=5.0):
    """One GET with Connection: close; returns (status, body bytes, seconds)."""
    start = time.perf_counter()
    with socket.create_connection((HOST, port), timeout=timeout) as s:
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        s.sendall(f"GET {path} HTTP/1.1\r\nHost: localhost:{port}\r\nConnection: close\r\n\r\n".encode())
        data = b""
        while True:
            chunk = s.recv(1 << 16)
            if not chunk:
                break
            data += chunk
    took = time.perf_counter() - start
    head, _, body = data.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1]) if head.startswith(b"HTTP/") else 0
    return status, body, took


def start_server(args, port, nofile=None):
    cmd = [args.bin, "--root", args.root, "serve", "--port", str(port)]
    pre = None
    if nofile:
        def pre():
            resource.setrlimit(resource.RLIMIT_NOFILE, (nofile, nofile))
    p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL, preexec_fn=pre)
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            if http_get(port, "/")[0] == 200:
                return p
        except OSError:
            pass
        time.sleep(0.1)
    p.kill()
    sys.exit("the server did not start")


def crawl(port, limit):
    """Site pages reachable from the home page (folder URLs), up to `limit`."""
    seen, queue = ["/"], ["/"]
    while queue and len(seen) < limit:
        path = queue.pop(0)
        try:
            _, body, _ = http_get(port, path)
        except OSError:
            continue
        base = path if path.endswith("/") else path.rsplit("/", 1)[0] + "/"
        for href in re.findall(rb'href="([^"#?:]+(?:/|\.html))"', body):
            href = href.decode()
            url = os.path.normpath(base + href) + ("/" if href.endswith("/") else "")
            if url.startswith("/") and not url.startswith("//") and url not in seen and len(seen) < limit:
                seen.append(url)
                queue.append(url)
    return seen


def normal_client(port, pages, seconds, out):
    """Fetches every page in turn for `seconds`; puts (latencies, failures)."""
    lat, fails = [], 0
    end = time.time() + seconds
    while time.time() < end:
        for page in pages:
            try:
                status, _, took = http_get(port, page)
                lat.append(took)
                fails += status != 200
            except OSError:
                fails += 1
            if time.time() >= end:
                break
    out.put((lat, fails))


def measure_pages(port, pages, seconds):
    q = multiprocessing.Queue()
    p = multiprocessing.Process(target=normal_client, args=(port, pages, seconds, q))
    p.start()
    lat, fails = q.get(timeout=seconds + 60)
    p.join()
    return summary(lat, fails)


def summary(lat, fails):
    if not lat:
        return f"no requests answered, {fails} failures"
    lat = sorted(lat)
    pct = lambda q: lat[min(len(lat) - 1, int(q * len(lat)))] * 1000
    return (f"{len(lat)} requests, {fails} failures, p50 {pct(0.5):.1f} ms, "
            f"p99 {pct(0.99):.1f} ms, max {lat[-1] * 1000:.1f} ms")


async def slow_clients(port, count, seconds, stats):
    line = f"GET / HTTP/1.1\r\nHost: localhost:{port}\r\nX-Slow: " + "a" * 4000

    async def one():
        end = time.time() + seconds
        while time.time() < end:
            try:
                _, w = await asyncio.open_connection(HOST, port)
            except OSError:
                stats["connect_errors"] += 1
                await asyncio.sleep(1)
                continue
            stats["opened"] += 1
            try:
                for ch in line:
                    if time.time() >= end:
                        break
                    w.write(ch.encode())
                    await w.drain()
                    await asyncio.sleep(1)
                else:
                    pass
            except OSError:
                stats["cut_off"] += 1
            finally:
                w.close()

    # Open them over a few seconds rather than in one burst.
    tasks = []
    for i in range(count):
        tasks.append(asyncio.create_task(one()))
        if i % 500 == 499:
            await asyncio.sleep(0.1)
    await asyncio.gather(*tasks, return_exceptions=True)


def slow_step(port, pages, seconds):
    stats = {"opened": 0, "cut_off": 0, "connect_errors": 0}

    def run():
        asyncio.run(slow_clients(port, 10_000, seconds + 4, stats))

    import threading
    t = threading.Thread(target=run)
    t.start()
    time.sleep(4)  # let them connect
    pages_line = measure_pages(port, pages, seconds)
    t.join()
    return pages_line, stats


def stalled_step(port, pages, large, seconds):
    socks = []
    for _ in range(50):
        s = socket.socket()
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        s.connect((HOST, port))
        s.sendall(f"GET {large} HTTP/1.1\r\nHost: localhost:{port}\r\n\r\n".encode() * 2)
        socks.append(s)
    time.sleep(1)
    line = measure_pages(port, pages, seconds)
    for s in socks:
        s.close()
    return line


def header_step(port, megabytes=500):
    sent = 0
    chunk = b"a" * (1 << 20)
    try:
        with socket.create_connection((HOST, port), timeout=10) as s:
            s.sendall(f"GET / HTTP/1.1\r\nHost: localhost:{port}\r\nX-Big: ".encode())
            for _ in range(megabytes):
                s.sendall(chunk)
                sent += len(chunk)
    except OSError:
        pass
    return sent


def fd_step(args):
    port = free_port()
    p = start_server(args, port, nofile=1024)
    before = proc_status(p.pid)
    async def flood():
        async def one():
            try:
                return (await asyncio.wait_for(asyncio.open_connection(HOST, port), 3))[1]
            except (OSError, asyncio.TimeoutError):
                return None
        writers = [w for w in await asyncio.gather(*(one() for _ in range(2000))) if w]
        await asyncio.sleep(2)
        for w in writers:
            w.close()
        return len(writers)

    held = asyncio.run(flood())
    alive = p.poll() is None
    answered, start = None, time.time()
    while time.time() - start < 15:
        try:
            if http_get(port, "/", timeout=2)[0] == 200:
                answered = time.time() - start
                break
        except OSError:
            pass
        time.sleep(0.1)
    time.sleep(1)
    after = proc_status(p.pid)
    p.kill()
    p.wait()
    return held, alive, answered, before, after


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--root", default=".")
    ap.add_argument("--bin", default="target/release/personabook")
    ap.add_argument("--large", default=None, help="path of a large file (default: the largest page crawled)")
    ap.add_argument("--seconds", type=int, default=20)
    ap.add_argument("--big-mb", type=int, default=20, help="size of the large static file added to the copy")
    args = ap.parse_args()
    resource.setrlimit(resource.RLIMIT_NOFILE, (20000, 20000))
    # Serve a copy, with one large static file for the stalled readers.
    copy = tempfile.mkdtemp(prefix="personabook-load-")
    shutil.copytree(args.root, copy, dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns("target", ".git", "public"))
    os.makedirs(os.path.join(copy, "static"), exist_ok=True)
    with open(os.path.join(copy, "static", "load-big.bin"), "wb") as f:
        f.write(os.urandom(args.big_mb << 20))
    args.root = copy
    if args.large is None:
        args.large = "/load-big.bin"

    port = free_port()
    server = start_server(args, port)
    try:
        idle = proc_status(server.pid)
        print(f"idle: threads {idle[0]}, fds {idle[1]}, rss {idle[3]}")
        pages = crawl(port, 300)
        large = args.large
        print(f"pages: {len(pages)}; large file {large} ({len(http_get(port, large)[1])} bytes)")

        for c, d in ((40, 10), (800, args.seconds)):
            wrk = subprocess.run(["wrk", "-t2", f"-c{c}", f"-d{d}s", f"http://{HOST}:{port}{pages[-1]}"],
                                 capture_output=True, text=True, timeout=d + 30).stdout
            rps = re.search(r"Requests/sec:\s+([\d.]+)", wrk)
            errs = re.search(r"Socket errors: (.*)", wrk)
            non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", wrk)
            print(f"wrk -c{c} -d{d}s {pages[-1]}: {rps.group(1) if rps else '?'} req/s; "
                  f"socket errors: {errs.group(1) if errs else 'none'}; non-2xx: {non2xx.group(1) if non2xx else 0}")

        line, stats = slow_step(port, pages, args.seconds)
        print(f"10,000 slow connections: pages {line}; slow clients {stats}")
        print(f"50 stalled readers of {large}: pages {stalled_step(port, pages, large, 10)}")
        sent = header_step(port)
        print(f"500 MB header line: the server took {sent / 1e6:.1f} MB before closing")

        # Connections the server still holds close at its idle limit (30 s).
        deadline = time.time() + 45
        while time.time() < deadline:
            now = proc_status(server.pid)
            if now[1] <= idle[1] and now[0] <= idle[0]:
                break
            time.sleep(1)
        now = proc_status(server.pid)
        print(f"after: threads {now[0]} (idle {idle[0]}), fds {now[1]} (idle {idle[1]}), "
              f"rss {now[3]}, peak rss {now[2]}")
    finally:
        server.kill()
        server.wait()

    held, alive, answered, before, after = fd_step(args)
    shutil.rmtree(copy, ignore_errors=True)
    print(f"ulimit -n 1024 + 2000 connections ({held} established): alive {alive}, answered again after "
          f"{'%.2f s' % answered if answered is not None else 'never'}; threads {before[0]} -> {after[0]}, "
          f"fds {before[1]} -> {after[1]}")


if __name__ == "__main__":
    main()
