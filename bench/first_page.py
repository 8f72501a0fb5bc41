#!/usr/bin/env python3
"""Time to first page of `personabook serve`, measured from outside: start
the server, ask for the home page, a persona page and the stylesheet those
pages load, and note when each first answers 200 with the right content,
counted from the moment the process was started, and the CPU time (user +
system) the server had used when the home page came. Also notes when the
whole first build is served (`sitemap.xml`, which only the full build has).

    cargo build --release
    python3 bench/first_page.py --root HANDBOOK [--runs 5] BIN [BIN...]

Each binary is run `--runs` times, alternating between binaries (paired
runs on a noisy machine); the medians, the ranges and the load average
before and after are printed. Loopback only; every step is bounded in time.
"""

import argparse
import os
import re
import statistics
import subprocess
import sys
import time

from serve_load import free_port, http_get

LIMIT = 60.0


def get(port, path):
    """(status, body), or None while nothing listens on the port."""
    try:
        status, body, _ = http_get(port, path, timeout=LIMIT)
    except (ConnectionRefusedError, ConnectionResetError):
        return None
    return status, body


def first_persona(root):
    """(URL, name) of the first persona file of the handbook."""
    folder = os.path.join(root, "content", "personas")
    name = sorted(f for f in os.listdir(folder) if f.endswith(".md"))[0]
    with open(os.path.join(folder, name), encoding="utf-8") as f:
        text = f.read()
    shown = re.search(r"^name:\s*(.+)$", text, re.M).group(1).strip().strip("\"'")
    return f"/personas/{name[:-3]}/", shown.encode()


def wait(port, path, ok, started):
    """Seconds from `started` until `path` answers 200 with a body `ok` accepts."""
    while time.perf_counter() - started < LIMIT:
        got = get(port, path)
        if got and got[0] == 200 and ok(got[1]):
            return time.perf_counter() - started
        time.sleep(0.005)
    raise SystemExit(f"{path} never answered within {LIMIT:.0f} s")


def cpu_seconds(pid):
    """User + system CPU time the process has used so far."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def one_run(binary, root, persona):
    port = free_port()
    started = time.perf_counter()
    proc = subprocess.Popen([binary, "--root", root, "serve", "--port", str(port)],
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        url, name = persona
        home = wait(port, "/", lambda b: b"</html>" in b and b"livereload.js" in b, started)
        home_cpu = cpu_seconds(proc.pid)
        page = wait(port, url, lambda b: name in b and b"</html>" in b, started)
        css = wait(port, "/static/style.css", lambda b: b"{" in b, started)
        full = wait(port, "/sitemap.xml", lambda b: b"<urlset" in b, started)
        return {"home": home, "home cpu": home_cpu, "persona": page, "css": css, "full": full}
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--root", required=True, help="the handbook to serve")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("bins", nargs="+", help="personabook binaries to compare")
    args = ap.parse_args()
    persona = first_persona(args.root)
    with open("/proc/loadavg") as f:
        before = f.read().split()[:3]
    results = {b: [] for b in args.bins}
    for _ in range(args.runs):
        for b in args.bins:
            results[b].append(one_run(b, args.root, persona))
    with open("/proc/loadavg") as f:
        after = f.read().split()[:3]
    print(f"{args.root}: {args.runs} runs each, persona {persona[0]}, load average {' '.join(before)} -> {' '.join(after)}")
    for b, runs in results.items():
        cells = []
        for key in ("home", "home cpu", "persona", "css", "full"):
            xs = [r[key] for r in runs]
            cells.append(f"{key} {statistics.median(xs) * 1000:.0f} ms ({min(xs) * 1000:.0f}-{max(xs) * 1000:.0f})")
        print(f"  {b}: " + ", ".join(cells))
    return 0


if __name__ == "__main__":
    sys.exit(main())
