#!/usr/bin/env bash
# Makes a handbook with a long git history, for the history benchmarks: a
# generated corpus (default size: large) committed as COMMITS commits
# (default 1000). The first commit adds the whole corpus; each later one
# edits one to three personas or assets the way writers do (a list item
# added, one removed, a scalar changed, a journey stage, a paragraph),
# and every 50th renames a persona that no other file refers to. Authors and dates are fixed, so the
# same arguments give the same commits.
#
#   bench/history_corpus.sh [--tools DIR] [--size SIZE] [--commits N] OUT_DIR
#
# Needs: git, python3 (and the corpus generator under --tools, default
# ../shared/bench beside the repository).
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
tools=${PERSONABOOK_BENCH_TOOLS:-$repo/../shared/bench}
size=large
commits=1000
while [ $# -gt 1 ]; do
  case "$1" in
    --tools) tools=$2; shift 2 ;;
    --size) size=$2; shift 2 ;;
    --commits) commits=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
[ $# -eq 1 ] || { echo "usage: bench/history_corpus.sh [--tools DIR] [--size SIZE] [--commits N] OUT_DIR" >&2; exit 2; }
out=$1
[ ! -e "$out" ] || { echo "$out exists; give a new folder" >&2; exit 2; }

python3 "$tools/gen_corpus.py" "$out" --size "$size" >/dev/null
export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1
git -C "$out" init -q -b main
git -C "$out" add -A
GIT_AUTHOR_NAME=Writer0 GIT_AUTHOR_EMAIL=w0@example.com GIT_COMMITTER_NAME=Writer0 \
GIT_COMMITTER_EMAIL=w0@example.com GIT_AUTHOR_DATE=2024-01-01T09:00:00Z GIT_COMMITTER_DATE=2024-01-01T09:00:00Z \
  git -C "$out" commit -q -m "Import the handbook"

python3 - "$out" "$commits" <<'PY'
import os, random, re, subprocess, sys, datetime
root, total = sys.argv[1], int(sys.argv[2])
rng = random.Random(42)
def files(sub):
    out = []
    for d, _, names in os.walk(os.path.join(root, "content", sub)):
        out += [os.path.relpath(os.path.join(d, n), root) for n in names if n.endswith(".md")]
    return sorted(out)
personas, assets = files("personas"), files("assets")
texts = {}
for d, _, names in os.walk(os.path.join(root, "content")):
    for name in names:
        if name.endswith(".md"):
            path = os.path.relpath(os.path.join(d, name), root)
            texts[path] = open(os.path.join(root, path), encoding="utf-8").read()
def unreferenced(path):
    """A persona no other file names, so renaming it breaks no reference."""
    pid = path[len("content/personas/"):-3]
    return not any(pid in t for p, t in texts.items() if p != path)
start = datetime.datetime(2024, 1, 2, 9, 0, tzinfo=datetime.timezone.utc)
def git(*args, when=None, who=None):
    env = dict(os.environ)
    if who:
        env.update(GIT_AUTHOR_NAME=who, GIT_COMMITTER_NAME=who,
                   GIT_AUTHOR_EMAIL=who.lower() + "@example.com", GIT_COMMITTER_EMAIL=who.lower() + "@example.com",
                   GIT_AUTHOR_DATE=when, GIT_COMMITTER_DATE=when)
    subprocess.run(["git", "-C", root, *args], check=True, env=env, stdout=subprocess.DEVNULL)
def edit(path, n):
    text = open(os.path.join(root, path), encoding="utf-8").read()
    head, sep, body = text.partition("\n---\n")
    kind = n % 4
    before = head
    if kind == 0:   # a list item added
        head = re.sub(r"^(goals|topics): \[", lambda m: f"{m.group(1)}: [Added in change {n}, ", head, count=1, flags=re.M)
    elif kind == 1: # a list item removed
        head = re.sub(r"^(challenges|goals|topics|channels): \[[^,\]\n]*, ", lambda m: f"{m.group(1)}: [", head, count=1, flags=re.M)
    elif kind == 2: # a scalar changed
        head = re.sub(r"^(owner|role|format): .*$", lambda m: f"{m.group(1)}: changed-{n}", head, count=1, flags=re.M)
    else:           # a journey stage and the body
        head = re.sub(r"^    needs: .*$", f"    needs: Need from change {n}", head, count=1, flags=re.M)
        body += f"\nA paragraph from change {n}.\n"
    if head == before and kind != 3:
        body += f"\nA paragraph from change {n}.\n"
    texts[path] = head + sep + body
    open(os.path.join(root, path), "w", encoding="utf-8").write(texts[path])
for n in range(1, total):
    when = (start + datetime.timedelta(hours=7 * n)).strftime("%Y-%m-%dT%H:%M:%SZ")
    who = f"Writer{n % 7}"
    if n % 50 == 0:
        i = rng.randrange(len(personas))
        while not unreferenced(personas[i]):
            i = rng.randrange(len(personas))
        old = personas[i]
        new = old[:-3] + "-v2.md"
        git("mv", old, new)
        personas[i] = new
        texts[new] = texts.pop(old)
        git("commit", "-q", "-m", f"Rename {os.path.basename(old)}", when=when, who=who)
        continue
    for _ in range(rng.randint(1, 3)):
        pool = personas if rng.random() < 0.6 else assets
        edit(pool[rng.randrange(len(pool))], n)
    git("commit", "-q", "-a", "-m", f"Change {n}", when=when, who=who)
PY
echo "$out: $(git -C "$out" rev-list --count HEAD) commits"
