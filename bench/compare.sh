#!/usr/bin/env bash
# Side-by-side benchmark: personabook against Hugo on generated handbooks.
#
#   bench/compare.sh [--tools DIR] [--work DIR] [--runs N] [SIZE ...]
#
# SIZE: small, medium, large, xl (default: medium large). For each size it
# generates the corpus (once, cached in the work folder) with the corpus
# generator, prepares the Hugo peer site, then times with hyperfine, in one
# run, warm cache, N runs each (default 5):
#   - personabook build --drafts (Hugo renders drafts too, so pages match)
#   - hugo --quiet
#   - personabook check
#   - the floor: reading every input file (cat) and copying personabook's
#     output tree (cp -r)
# and measures peak RSS with /usr/bin/time. Prints a Markdown table with
# medians and ratios. Needs: python3, hugo, hyperfine, GNU time.
#
# --tools DIR is the folder holding gen_corpus.py and hugo_peer.sh
# (default: $PERSONABOOK_BENCH_TOOLS, else ../shared/bench next to the repo).
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
tools=${PERSONABOOK_BENCH_TOOLS:-$repo/../shared/bench}
work=${TMPDIR:-/tmp}/personabook-bench
runs=5
sizes=()
while [ $# -gt 0 ]; do
  case "$1" in
    --tools) tools=$2; shift 2 ;;
    --work) work=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) sizes+=("$1"); shift ;;
  esac
done
[ ${#sizes[@]} -gt 0 ] || sizes=(medium large)
for t in python3 hugo hyperfine /usr/bin/time; do
  command -v "$t" >/dev/null || { echo "missing $t (Debian: apt-get install -y hugo hyperfine time)" >&2; exit 2; }
done
[ -f "$tools/gen_corpus.py" ] || { echo "no gen_corpus.py in $tools (use --tools DIR)" >&2; exit 2; }

cargo build --release --quiet --manifest-path "$repo/Cargo.toml"
pb=$repo/target/release/personabook
mkdir -p "$work"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(date -u +%Y-%m-%d)"
echo "personabook $($pb --version | cut -d' ' -f2), $(hugo version | cut -d' ' -f1-2)"
echo
echo "| corpus | files in | pages out (personabook / Hugo) | personabook build | Hugo build | ratio | check | check/build | peak RSS (pb / Hugo) | floor: read input | floor: write output (new folders / existing) | build / floor |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|"

median() { python3 -c "import json,sys; r=json.load(open(sys.argv[1]))['results']; print(' '.join(f\"{x['median']:.3f}\" for x in r))" "$1"; }
rss() { /usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -1; }

for size in "${sizes[@]}"; do
  hb=$work/hb-$size
  [ -f "$hb/handbook.yaml" ] || python3 "$tools/gen_corpus.py" "$hb" --size "$size" >/dev/null
  site=$work/hugo-$size
  bash "$tools/hugo_peer.sh" "$hb" "$site" --prepare-only >/dev/null
  out_pb=$work/out-pb-$size out_hugo=$work/out-hugo-$size
  files_in=$(find "$hb/" -type f | wc -l)
  hyperfine -N -w 1 -r "$runs" --export-json "$work/build-$size.json" \
    "$pb build --drafts --root $hb --output $out_pb" \
    "hugo --quiet --source $site --destination $out_hugo" >/dev/null
  read -r t_pb t_hugo < <(median "$work/build-$size.json")
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
  pages_pb=$(find "$out_pb" -name '*.html' | wc -l)
  pages_hugo=$(find "$out_hugo" -name '*.html' | wc -l)
  rss_pb=$(rss "$pb" build --drafts --root "$hb" --output "$out_pb")
  rss_hugo=$(rss hugo --quiet --source "$site" --destination "$out_hugo")
  python3 - "$size" "$files_in" "$pages_pb" "$pages_hugo" "$t_pb" "$t_hugo" "$t_check" "$rss_pb" "$rss_hugo" "$t_read" "$t_copy" "$t_over" <<'PY'
import sys
size, files, ppb, phugo = sys.argv[1:5]
tpb, thugo, tcheck = map(float, sys.argv[5:8])
rpb, rhugo = int(sys.argv[8]) / 1024, int(sys.argv[9]) / 1024
tread, tcopy, tover = map(float, sys.argv[10:13])
floor = tread + tover
print(f"| {size} | {files} | {ppb} / {phugo} | {tpb:.2f} s | {thugo:.2f} s | **{tpb/thugo:.2f}x** | {tcheck:.2f} s | {tcheck/tpb:.2f}x "
      f"| {rpb:.0f} / {rhugo:.0f} MB | {tread:.2f} s | {tcopy:.2f} s / {tover:.2f} s | {tpb/floor:.1f}x |")
PY
done
