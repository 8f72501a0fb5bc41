#!/usr/bin/env bash
# Shows that a change to the code changed nothing a user sees: the site, the
# exports and the diagnostics of BASE and of the working tree are compared
# byte for byte.
#
#   bench/same_output.sh [--tools DIR] [--work DIR] [--size SIZE] BASE
#
# BASE is a git revision (a commit, a tag, `main`). Both revisions are built
# (release), then each binary, on the same fixed date (faketime, so review
# reminders agree), runs:
#   - `build --drafts` of the example handbook (each revision's own, copied out
#     of the repository), of every tests/fixtures/site/*
#     case and of a generated corpus (default size: large);
#   - `check` (human, stderr and exit code) and `check --format json` of every
#     tests/fixtures/invalid/* case, tests/fixtures/check/valid and the
#     example handbook.
# The outputs are compared with `diff -r`. JSON diagnostics are compared
# without their `code` field, which BASE may not have. Exit 0 when all agree.
# Needs: git, cargo, python3, faketime, jq.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
tools=${PERSONABOOK_BENCH_TOOLS:-$repo/../shared/bench}
work=${TMPDIR:-/tmp}/personabook-same
size=large
while [ $# -gt 1 ]; do
  case "$1" in
    --tools) tools=$2; shift 2 ;;
    --work) work=$2; shift 2 ;;
    --size) size=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
[ $# -eq 1 ] || { echo "usage: bench/same_output.sh [--tools DIR] [--work DIR] [--size SIZE] BASE" >&2; exit 2; }
base=$1
day='2026-06-01 12:00:00'
mkdir -p "$work"

# The base binary, built once per commit in a worktree of its own.
base_commit=$(git -C "$repo" rev-parse "$base^{commit}")
base_bin=$work/bin-$base_commit
if [ ! -x "$base_bin" ]; then
  tree=$work/tree-$base_commit
  [ -d "$tree" ] || git -C "$repo" worktree add --detach "$tree" "$base_commit" >/dev/null
  (cd "$tree" && CARGO_TARGET_DIR=$work/target-base cargo build --release --quiet)
  cp "$work/target-base/release/personabook" "$base_bin"
  git -C "$repo" worktree remove --force "$tree"
fi
(cd "$repo" && cargo build --release --quiet)
head_bin=$repo/target/release/personabook

# The example handbook is the repository root, whose themes/default/ lays
# over the built-in theme: each revision builds its own copy of it.
example_base=$work/example-$base_commit
if [ ! -d "$example_base" ]; then
  mkdir -p "$example_base"
  git -C "$repo" archive "$base_commit" handbook.yaml content static themes | tar -x -C "$example_base"
fi

# The working tree's example and the site fixtures are built from copies
# outside any git repository, as BASE's example is: inside one, a build also
# reads the history (docs/history.md), which is not the output compared here.
example_head=$work/example-head
rm -rf "$example_head"
mkdir -p "$example_head"
cp -r "$repo/handbook.yaml" "$repo/content" "$repo/static" "$repo/themes" "$example_head/"
site_fixtures=$work/fixtures-site
rm -rf "$site_fixtures"
mkdir -p "$site_fixtures"
cp -r "$repo/tests/fixtures/site/." "$site_fixtures/"

corpus=$work/corpus-$size
[ -d "$corpus" ] || python3 "$tools/gen_corpus.py" "$corpus" --size "$size" >/dev/null

# run BIN OUT EXAMPLE: every case's output under OUT.
run() {
  local bin=$1 out=$2 example=$3
  rm -rf "$out"
  mkdir -p "$out/site" "$out/check"
  local cases=("example:$example" "corpus:$corpus")
  for d in "$site_fixtures"/*/; do cases+=("site-$(basename "$d"):$d"); done
  for c in "${cases[@]}"; do
    local name=${c%%:*} dir=${c#*:}
    faketime "$day" "$bin" --root "$dir" build --drafts --output "$out/site/$name" >/dev/null 2>"$out/site/$name.stderr" \
      || echo "exit $?" >>"$out/site/$name.stderr"
    # The timing line differs run to run.
    sed -i -E 's/ in [0-9.]+ s$//' "$out/site/$name.stderr"
    rm -rf "$out/site/.$name.personabook"
  done
  local checks=("example:$example" "valid:$repo/tests/fixtures/check/valid")
  for d in "$repo"/tests/fixtures/invalid/*/; do checks+=("invalid-$(basename "$d"):$d"); done
  for c in "${checks[@]}"; do
    local name=${c%%:*} dir=${c#*:}
    local code=0
    faketime "$day" "$bin" --root "$dir" check 2>"$out/check/$name.txt" || code=$?
    echo "exit $code" >>"$out/check/$name.txt"
    faketime "$day" "$bin" --root "$dir" check --format json 2>/dev/null | jq 'map(del(.code))' >"$out/check/$name.json" || true
  done
}

run "$base_bin" "$work/out-base" "$example_base"
run "$head_bin" "$work/out-head" "$example_head"
if diff -r "$work/out-base" "$work/out-head" >"$work/diff.txt"; then
  files=$(find "$work/out-head" -type f | wc -l)
  echo "same output: $files files of $base (${base_commit:0:10}) and the working tree agree byte for byte"
else
  echo "outputs differ ($(wc -l <"$work/diff.txt") diff lines); the first:" >&2
  head -40 "$work/diff.txt" >&2
  exit 1
fi
