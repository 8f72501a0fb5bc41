#!/usr/bin/env bash
# Lighthouse (mobile, the default form factor and throttling) on the page
# kinds of a built site, served over loopback HTTP.
#
#   bench/lighthouse.sh SITE_DIR [PORT]
#
# Needs lighthouse (`npm i lighthouse` in a folder of your choice, then
# LIGHTHOUSE=that/node_modules/.bin/lighthouse), Chromium (CHROME_PATH,
# default: chromium on PATH), python3 (the web server) and node. Prints one
# line per page: performance, accessibility, FCP, LCP, TBT, CLS. The JSON
# reports stay in SITE_DIR/../lighthouse/.
set -euo pipefail
site=$(cd "$1" && pwd)
port=${2:-8765}
lh=${LIGHTHOUSE:-lighthouse}
out=$site/../lighthouse
mkdir -p "$out"
export CHROME_PATH=${CHROME_PATH:-$(command -v chromium)}
python3 -m http.server "$port" --bind 127.0.0.1 --directory "$site" >/dev/null 2>&1 &
server=$!
trap 'kill $server' EXIT
sleep 1
# The first persona and asset pages (a folder with an index.html of its own).
first_page() { for d in "$site"/$1/*/; do [ -f "$d/index.html" ] && { echo "${d#"$site"/}"; return; }; done; }
persona=$(first_page personas)
asset=$(first_page library)
for page in "" "$persona" "journeys/${persona#personas/}" content-map/ library/ "$asset" personas/ compare/ reviews/ search/ "search/?q=attribution"; do
  name=page$(echo "/$page" | tr '/?=' '___')
  "$lh" "http://127.0.0.1:$port/$page" --quiet --chrome-flags="--headless --no-sandbox" \
    --only-categories=performance,accessibility --output=json --output-path="$out/$name.json" >/dev/null 2>&1
  node -e '
    const r = require(process.argv[1]);
    const a = (k) => r.audits[k].displayValue;
    console.log([process.argv[2] || "(home)", Math.round(r.categories.performance.score * 100),
      Math.round(r.categories.accessibility.score * 100), "FCP " + a("first-contentful-paint"),
      "LCP " + a("largest-contentful-paint"), "TBT " + a("total-blocking-time"),
      "CLS " + a("cumulative-layout-shift")].join("\t"));' "$out/$name.json" "$page"
done
