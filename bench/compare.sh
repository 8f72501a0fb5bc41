#!/usr/bin/env bash
# Side-by-side benchmark: personabook against Hugo and Zola on generated handbooks.
#
#   bench/compare.sh [--tools DIR] [--work DIR] [--runs N] [--hugo PATH] [--zola PATH] [SIZE|HANDBOOK ...]
#
# SIZE: small, medium, large, xl (default: medium large); or the path of a
# handbook folder generated before (e.g. /tmp/pb-large). For each size it
# generates the corpus (once, cached in the work folder) with the corpus
# generator, prepares the peer sites, then times with hyperfine, in one
# run, warm cache, N runs each (default 5):
#   - personabook build --drafts (Hugo renders drafts too, so pages match)
#   - hugo --quiet (--hugo PATH, default: `hugo` on PATH)
#   - zola build (--zola PATH; only when given)
#   - personabook check
#   - the floor: reading every input file (cat) and copying personabook's
#     output tree (cp -r)
# and measures peak RSS with /usr/bin/time. Then the first builds: each
# tool into a folder that does not exist, and `cp -r` of personabook's
# output, N rounds, `sync` before each run, the order alternating from one
# round to the next, so each pair (personabook, cp -r) ran side by side.
# Prints two Markdown tables with medians and ratios; a peer that is
# absent (no hugo on PATH, no --zola, or a PATH that is not a program) is
# skipped with a warning and its columns say so. Needs: python3,
# hyperfine, GNU time; for Zola's peer site, PyYAML.
#
# --pb PATH times that personabook binary instead of building this tree's.
# --tools DIR is the folder holding gen_corpus.py and hugo_peer.sh
# (default: $PERSONABOOK_BENCH_TOOLS, else ../shared/bench next to the repo).
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
tools=${PERSONABOOK_BENCH_TOOLS:-$repo/../shared/bench}
work=${TMPDIR:-/tmp}/personabook-bench
runs=5
pb=
hugo=$(command -v hugo || true)
zola=
sizes=()
while [ $# -gt 0 ]; do
  case "$1" in
    --tools) tools=$2; shift 2 ;;
    --work) work=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --hugo) hugo=$2; shift 2 ;;
    --zola) zola=$2; shift 2 ;;
    --pb) pb=$2; shift 2 ;;
    -h|--help) sed -n '2,27p' "$0"; exit 0 ;;
    *) sizes+=("$1"); shift ;;
  esac
done
[ ${#sizes[@]} -gt 0 ] || sizes=(medium large)
for t in python3 hyperfine /usr/bin/time; do
  command -v "$t" >/dev/null || { echo "missing $t (Debian: apt-get install -y hyperfine time)" >&2; exit 2; }
done
absent() { echo "warning: $1 is not a program here; its columns are skipped" >&2; }
[ -z "$hugo" ] || [ -x "$hugo" ] || { absent "$hugo"; hugo=; }
[ -z "$zola" ] || [ -x "$zola" ] || { absent "$zola"; zola=; }
[ -f "$tools/gen_corpus.py" ] || { echo "no gen_corpus.py in $tools (use --tools DIR)" >&2; exit 2; }

if [ -z "$pb" ]; then
  cargo build --release --quiet --manifest-path "$repo/Cargo.toml"
  pb=$repo/target/release/personabook
fi
mkdir -p "$work"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(date -u +%Y-%m-%d)"
versions="personabook $($pb --version | cut -d' ' -f2)"
[ -z "$hugo" ] || versions+=", $("$hugo" version | cut -d' ' -f1-2)"
[ -z "$zola" ] || versions+=", $("$zola" --version)"
echo "$versions"
echo
echo "| corpus | files in | pages out (personabook / Hugo / Zola) | personabook build | Hugo build | ratio | Zola build | ratio | check | check/build | peak RSS (pb / Hugo / Zola) | floor: read input | floor: write output (new folders / existing) | build / floor |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"

median() { python3 -c "import json,sys; r=json.load(open(sys.argv[1]))['results']; print(' '.join(f\"{x['median']:.3f}\" for x in r))" "$1"; }
rss() { /usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -1; }

# One run into a folder that does not exist: `one NAME ROUND COMMAND...`
# appends "NAME ROUND SECONDS" to $first_log.
one() {
  local name=$1 round=$2 t0
  shift 2
  rm -rf "$fresh" && mkdir -p "$fresh" && sync
  t0=$EPOCHREALTIME
  "$@" >/dev/null 2>&1
  echo "$name $round $(python3 -c "print($EPOCHREALTIME - $t0)")" >>"$first_log"
}

# The first-build rounds of one corpus, each tool in turn (the order
# reversed every other round), and its row of the second table.
first_builds() {
  local size=$1 round tools t
  first_log=$work/first-$size.txt fresh=$work/fresh
  : >"$first_log"
  for round in $(seq 1 "$runs"); do
    tools=(pb cp)
    [ -z "$hugo" ] || tools+=(hugo)
    [ -z "$zola" ] || tools+=(zola)
    [ $((round % 2)) -eq 1 ] || tools=($(printf '%s\n' "${tools[@]}" | tac))
    for t in "${tools[@]}"; do
      case $t in
        pb) one pb "$round" "$pb" build --drafts --root "$hb" --output "$fresh/site" ;;
        cp) one cp "$round" cp -r "$out_pb" "$fresh/site" ;;
        hugo) one hugo "$round" "$hugo" --quiet --source "$site_hugo" --destination "$fresh/site" ;;
        zola) one zola "$round" "$zola" --root "$site_zola" build --force --output-dir "$fresh/site" ;;
      esac
    done
  done
  rm -rf "$fresh"
  firsts+=("$(python3 - "$size" "$first_log" <<'PY'
import statistics, sys
from collections import defaultdict
size, log = sys.argv[1:3]
t = defaultdict(dict)
for line in open(log):
    name, rnd, secs = line.split()
    t[name][rnd] = float(secs)
med = {k: statistics.median(v.values()) for k, v in t.items()}
worst = max(t["pb"][r] / t["cp"][r] for r in t["pb"])
peer = lambda k: ("-", "-") if k not in med else (f"{med[k]:.2f} s", f"**{med['pb'] / med[k]:.2f}x**")
(h, hr), (z, zr) = peer("hugo"), peer("zola")
print(f"| {size} | {med['pb']:.2f} s | {med['cp']:.2f} s | **{med['pb'] / med['cp']:.2f}x** / {worst:.2f}x | {h} | {hr} | {z} | {zr} |")
PY
)")
}

load0=$(cut -d' ' -f1-3 /proc/loadavg)
firsts=()
for size in "${sizes[@]}"; do
  if [ -f "$size/handbook.yaml" ]; then
    hb=$(cd "$size" && pwd) size=$(basename "$hb")
  else
    hb=$work/hb-$size
    [ -f "$hb/handbook.yaml" ] || python3 "$tools/gen_corpus.py" "$hb" --size "$size" >/dev/null
  fi
  out_pb=$work/out-pb-$size out_hugo=$work/out-hugo-$size out_zola=$work/out-zola-$size
  cmds=("$pb build --drafts --root $hb --output $out_pb")
  if [ -n "$hugo" ]; then
    site_hugo=$work/hugo-$size
    bash "$tools/hugo_peer.sh" "$hb" "$site_hugo" --prepare-only >/dev/null
    cmds+=("$hugo --quiet --source $site_hugo --destination $out_hugo")
  fi
  if [ -n "$zola" ]; then
    site_zola=$work/zola-$size
    python3 "$tools/zola_peer.py" "$hb" "$site_zola" >/dev/null
    cmds+=("$zola --root $site_zola build --force --output-dir $out_zola")
  fi
  files_in=$(find "$hb/" -type f | wc -l)
  hyperfine -N -w 1 -r "$runs" --export-json "$work/build-$size.json" "${cmds[@]}" >/dev/null
  read -r -a times < <(median "$work/build-$size.json")
  t_pb=${times[0]} t_hugo=- t_zola=-
  i=1
  [ -z "$hugo" ] || { t_hugo=${times[$i]}; i=$((i + 1)); }
  [ -z "$zola" ] || t_zola=${times[$i]}
  hyperfine -N -w 1 -r "$runs" --export-json "$work/check-$size.json" "$pb check --root $hb" >/dev/null
  t_check=$(median "$work/check-$size.json")
  # Floor: read every input byte; write personabook's output bytes, once into
  # new folders (cp -r: what a first build pays) and once over an existing
  # copy (what a rebuild pays when the folders are already there).
  rm -rf "$work/copy-$size" && cp -r "$out_pb" "$work/copy-$size"
  hyperfine -w 1 -r "$runs" --export-json "$work/floor-$size.json" \
    "find $hb/ -type f -print0 | xargs -0 cat > /dev/null" \
    "rm -rf $work/fresh-$size && cp -r $out_pb $work/fresh-$size" \
    "cp -rT $out_pb $work/copy-$size" >/dev/null
  read -r t_read t_copy t_over < <(median "$work/floor-$size.json")
  rm -rf "$work/copy-$size" "$work/fresh-$size"
  pages() { if [ -d "$1" ]; then find "$1" -name '*.html' | wc -l; else echo -; fi; }
  rss_pb=$(rss "$pb" build --drafts --root "$hb" --output "$out_pb") rss_hugo=- rss_zola=-
  [ -z "$hugo" ] || rss_hugo=$(rss "$hugo" --quiet --source "$site_hugo" --destination "$out_hugo")
  [ -z "$zola" ] || rss_zola=$(rss "$zola" --root "$site_zola" build --force --output-dir "$out_zola")
  python3 - "$size" "$files_in" "$(pages "$out_pb")" "$([ -n "$hugo" ] && pages "$out_hugo" || echo -)" \
    "$([ -n "$zola" ] && pages "$out_zola" || echo -)" "$t_pb" "$t_hugo" "$t_zola" "$t_check" \
    "$rss_pb" "$rss_hugo" "$rss_zola" "$t_read" "$t_copy" "$t_over" <<'PY'
import sys
size, files, ppb, phugo, pzola = sys.argv[1:6]
tpb = float(sys.argv[6])
thugo, tzola = (None if v == "-" else float(v) for v in sys.argv[7:9])
tcheck = float(sys.argv[9])
mb = lambda v: "-" if v == "-" else f"{int(v) / 1024:.0f}"
rpb, rhugo, rzola = map(mb, sys.argv[10:13])
tread, tcopy, tover = map(float, sys.argv[13:16])
floor = tread + tover
peer = lambda t: ("-", "-") if t is None else (f"{t:.2f} s", f"**{tpb / t:.2f}x**")
(h, hr), (z, zr) = peer(thugo), peer(tzola)
print(f"| {size} | {files} | {ppb} / {phugo} / {pzola} | {tpb:.2f} s | {h} | {hr} | {z} | {zr} | {tcheck:.2f} s | {tcheck/tpb:.2f}x "
      f"| {rpb} / {rhugo} / {rzola} MB | {tread:.2f} s | {tcopy:.2f} s / {tover:.2f} s | {tpb/floor:.1f}x |")
PY
  first_builds "$size"
done
echo
echo "First build into a folder that does not exist (medians of $runs rounds, sync before each run; load average before / after: $load0 / $(cut -d' ' -f1-3 /proc/loadavg)):"
echo
echo "| corpus | personabook first build | cp -r of its output | ratio (median / worst round) | Hugo first build | ratio | Zola first build | ratio |"
echo "|---|---|---|---|---|---|---|---|"
printf '%s\n' "${firsts[@]}"
