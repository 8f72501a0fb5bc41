#!/usr/bin/env python3
"""Save-to-served latency of `personabook serve`, measured from outside
with an HTTP poller on loopback, and the server's peak memory.

    cargo build --release
    cp -r HANDBOOK /tmp/hb-copy        # the script edits the files
    python3 bench/serve_edit.py --root /tmp/hb-copy [--bin target/release/personabook] [--edits 12]

For each kind of edit (a persona's summary and body, an asset's title, a
guide page's title), `--edits` saves of a fresh marker word, one at a
time. Per save: the time from the write to the edited item's own page
being served with the marker ("served"), and to every other page the
edit shows on that the script checks being served with it too
("consistent": for a persona, the persona index and an asset page that
names the persona; for an asset, a persona page that lists it and the
library's data script; for a guide page, another guide page's
navigation and the home page). Prints the median and range of each, then
the server's peak RSS (VmHWM) after the first build and at the end.
The poller asks for gzip, as browsers do, and decodes what it gets.
Times include the server's debounce and the poller's own granularity
(a round of requests takes a few milliseconds).
"""

import argparse
import gzip
import http.client
import os
import re
import statistics
import subprocess
import sys
import time

HOST = "127.0.0.1"


def vm_hwm(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return line.split(":", 1)[1].strip()
    return "?"


class Poller:
    def __init__(self, port):
        self.port = port
        self.conn = None

    def get(self, path):
        for _ in range(3):
            try:
                if self.conn is None:
                    self.conn = http.client.HTTPConnection(HOST, self.port, timeout=10)
                # As a browser asks: the server keeps its files gzipped.
                self.conn.request("GET", "/" + path, headers={"Accept-Encoding": "gzip"})
                r = self.conn.getresponse()
                body = r.read()
                if r.getheader("Content-Encoding") == "gzip":
                    body = gzip.decompress(body)
                return r.status, body
            except (OSError, http.client.HTTPException):
                self.conn = None
                time.sleep(0.01)
        return 0, b""

    def until(self, paths, marker, deadline):
        """Polls until every path holds the marker; returns the time it did, or None."""
        left = list(paths)
        while left and time.perf_counter() < deadline:
            left = [p for p in left if marker.encode() not in self.get(p)[1]]
        return time.perf_counter() if not left else None


def front_value(text, key):
    m = re.search(rf"^{key}: (.*)$", text, re.M)
    return m.group(1) if m else None


def set_front(text, key, value):
    if re.search(rf"^{key}: ", text, re.M):
        return re.sub(rf"^{key}: .*$", f"{key}: {value}", text, count=1, flags=re.M)
    return text.replace("---\n", f"---\n{key}: {value}\n", 1)


def save(path, text):
    tmp = path + ".tmp-save"
    with open(tmp, "w") as f:
        f.write(text)
    os.replace(tmp, path)


def pick_items(root):
    """A persona, an asset that names it and is staged, and a guide page that is not first."""
    content = os.path.join(root, "content")
    assets = os.path.join(content, "assets")
    for name in sorted(os.listdir(assets)):
        text = open(os.path.join(assets, name)).read()
        personas = front_value(text, "personas")
        if personas and front_value(text, "stages") and personas.strip("[]"):
            persona = personas.strip("[]").split(",")[0].strip()
            break
    else:
        sys.exit("no asset names a persona")
    guides = sorted(
        os.path.relpath(os.path.join(d, f), content)
        for d, _, fs in os.walk(content)
        for f in fs
        if f.endswith(".md") and not os.path.relpath(d, content).split(os.sep)[0] in ("personas", "assets")
    )
    return persona, name[:-3], guides[len(guides) // 2][:-3], guides[0][:-3]


def measure(poller, kind, file, edit, own, others, n):
    served, consistent = [], []
    for i in range(n):
        marker = f"zq{kind}{i}x{int(time.time() * 1000) % 100000}"
        text = open(file).read()
        save(file, edit(text, marker))
        t0 = time.perf_counter()
        t1 = poller.until([own], marker, t0 + 30)
        t2 = poller.until(others, marker, t0 + 30)
        if t1 is None or t2 is None:
            print(f"{kind} edit {i}: not served within 30 s", file=sys.stderr)
            continue
        served.append((t1 - t0) * 1000)
        consistent.append((t2 - t0) * 1000)
        time.sleep(0.5)
    return served, consistent


def summary(label, ms):
    if not ms:
        return f"{label}: no data"
    return f"{label}: median {statistics.median(ms):.0f} ms ({min(ms):.0f}-{max(ms):.0f}, n={len(ms)})"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--root", required=True)
    ap.add_argument("--bin", default="target/release/personabook")
    ap.add_argument("--edits", type=int, default=12)
    ap.add_argument("--port", type=int, default=3977)
    args = ap.parse_args()
    persona, asset, guide, other_guide = pick_items(args.root)
    content = os.path.join(args.root, "content")
    cmd = [args.bin, "--root", args.root, "serve", "--port", str(args.port)]
    server = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        poller = Poller(args.port)
        start = time.perf_counter()
        while poller.get("")[0] != 200:
            if server.poll() is not None or time.perf_counter() - start > 120:
                sys.exit("the server did not start")
            time.sleep(0.05)
        time.sleep(1)
        print(f"first build served after {time.perf_counter() - start:.1f} s; VmHWM {vm_hwm(server.pid)}")
        print(f"load average: {open('/proc/loadavg').read().strip()}")

        def persona_edit(text, m):
            text = set_front(text, "summary", f"Summary {m}.")
            return text.rstrip("\n") + f"\n\nEdited {m}.\n"

        def title_edit(text, m):
            title = (front_value(text, "title") or "Title").strip('"')
            title = re.sub(r" zq\w+$", "", title)
            return set_front(text, "title", f'"{title} {m}"')

        kinds = [
            ("persona", f"personas/{persona}", persona_edit, [f"personas/{persona}/index.html"],
             ["personas/index.html", f"library/{asset}/index.html"]),
            ("asset", f"assets/{asset}", title_edit, [f"library/{asset}/index.html"],
             [f"personas/{persona}/index.html", "search/library.js"]),
            ("guide", guide, title_edit, [f"{guide}/index.html"], [f"{other_guide}/index.html", "index.html"]),
        ]
        for kind, item, edit, own, others in kinds:
            file = os.path.join(content, item + ".md")
            served, consistent = measure(poller, kind, file, edit, own[0], others, args.edits)
            print(f"{kind} ({item}): {summary('served', served)}; {summary('consistent', consistent)}")
        print(f"load average: {open('/proc/loadavg').read().strip()}")
        print(f"peak RSS (VmHWM) at the end: {vm_hwm(server.pid)}")
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
