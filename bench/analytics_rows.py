#!/usr/bin/env python3
"""Adds GA4-style analytics exports to a copy of a generated corpus, for
measuring what joining analytics rows costs a build.

    bench/analytics_rows.py CORPUS OUT_DIR --rows 1000000 [--files 2] [--seed 13]

CORPUS is a handbook made by the benchmark corpus generator (its assets have
`url:`). OUT_DIR (missing or empty) gets a copy of it with `--files` GA4
"Pages and screens" exports in data/ (one per quarter, `# Start date` lines, a
BOM, a totals row, quoted thousands) holding `--rows` rows in all, and an
`analytics:` entry in handbook.yaml. About 60% of the rows name an asset's page
(as a path, a full URL, with a query string or a trailing slash: variants that
are summed), the rest pages of no asset. Deterministic for a seed. Standard
library only.
"""
import argparse
import os
import random
import re
import shutil
import sys


def asset_paths(corpus):
    paths = []
    for folder, _, files in os.walk(os.path.join(corpus, "content", "assets")):
        for name in sorted(files):
            if not name.endswith(".md"):
                continue
            with open(os.path.join(folder, name), encoding="utf-8") as f:
                for line in f:
                    m = re.match(r'^url:\s*"?(https?://[^/"]+)(/[^"\s]*)"?', line)
                    if m:
                        paths.append(m.group(2))
                        break
    return sorted(paths)


def variant(rng, path):
    r = rng.random()
    if r < 0.4:
        return path
    if r < 0.6:
        return "https://www.Example.com" + path
    if r < 0.8:
        return path + "/?utm_source=newsletter&utm_campaign=" + str(rng.randint(1, 50))
    return path + "/"


def write_export(path, rows, start, end, rng, assets):
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write("\ufeff# ----------------------------------------\r\n# Pages and screens: Page path and screen class\r\n")
        f.write(f"# Start date: {start}\r\n# End date: {end}\r\n# ----------------------------------------\r\n\r\n")
        f.write("Page path and screen class,Views,Active users,Views per active user,"
                "Average engagement time per active user,Event count,Key events,Total revenue\r\n")
        f.write(',"999,999,999","1,000,000",1.00,10,0,0.00,0.00\r\n')
        for i in range(rows):
            if rng.random() < 0.6:
                url = variant(rng, assets[rng.randrange(len(assets))])
            else:
                url = f"/site/page-{rng.randrange(rows // 2 + 1)}"
            views = rng.randint(1, 5000)
            users = max(1, int(views * 0.7))
            shown = f'"{views:,}"' if views >= 1000 else str(views)
            f.write(f"{url},{shown},{users},{views / users:.2f},{rng.randint(5, 200)},{views * 3},"
                    f"{rng.randint(0, 60)}.00,0.00\r\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus")
    ap.add_argument("out")
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--files", type=int, default=2)
    ap.add_argument("--seed", type=int, default=13)
    a = ap.parse_args()
    if os.path.exists(a.out) and os.listdir(a.out):
        sys.exit(f"{a.out} is not empty")
    shutil.copytree(a.corpus, a.out, dirs_exist_ok=True)
    assets = asset_paths(a.corpus)
    if not assets:
        sys.exit("no asset has a url: is this a generated corpus?")
    rng = random.Random(a.seed)
    os.makedirs(os.path.join(a.out, "data"), exist_ok=True)
    quarters = [("20260101", "20260331"), ("20260401", "20260630"), ("20260701", "20260930"), ("20261001", "20261231")]
    entries = []
    per_file = a.rows // a.files
    for i in range(a.files):
        start, end = quarters[i % 4]
        start = str(int(start[:4]) - i // 4) + start[4:]
        end = str(int(end[:4]) - i // 4) + end[4:]
        name = f"data/ga4-pages-{i + 1}.csv"
        rows = per_file if i < a.files - 1 else a.rows - per_file * (a.files - 1)
        write_export(os.path.join(a.out, name), rows, start, end, rng, assets)
        entries.append(name)
    with open(os.path.join(a.out, "handbook.yaml"), "a", encoding="utf-8") as f:
        f.write("\nanalytics:\n" + "".join(f"  - file: {e}\n" for e in entries))
    print(f"{a.out}: {a.rows} rows in {a.files} files, {len(assets)} asset pages")


if __name__ == "__main__":
    main()
