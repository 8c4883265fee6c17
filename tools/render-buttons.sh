#!/usr/bin/env bash
# Renders the sign-in button PNGs (3 schemes x 14 languages, twice the SVG's size, transparent
# corners) from the SVGs the server makes, with headless Chromium and the Noto fonts, checks
# that every label fits its button, and recompresses the PNGs losslessly.
#
# Run it after changing a `signin-button` translation or src/button.rs; until then the web
# crate's test `every_png_is_twice_its_svg` fails. Commit the PNGs it writes.
#
# Needs chromium, curl, python3 and the Noto fonts (Debian: chromium fonts-noto-core
# fonts-noto-cjk fonts-noto-ui-core). Usage:
#   tools/render-buttons.sh [path/to/connectid]     (default: builds it with cargo)
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
out="$root/crates/connectid-web/assets/button"
chromium=${CHROMIUM:-chromium}
langs="en bn bg my zh-Hans da id ms cnr nb sr-Latn sv th ur"
schemes="dark light blue"

bin=${1:-}
if [ -z "$bin" ]; then
  (cd "$root" && cargo build --quiet -p connectid)
  bin="${CARGO_TARGET_DIR:-$root/target}/debug/connectid"
fi

tmp=$(mktemp -d)
server=""
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"
cat > "$tmp/connectid.toml" <<TOML
listen = "127.0.0.1:$port"
issuer = "http://localhost:$port"
database_url = "sqlite://$tmp/c.db"
[sms]
outbox = "$tmp/outbox.jsonl"
[email]
outbox = "$tmp/outbox.jsonl"
TOML
RUST_LOG=warn "$bin" --config "$tmp/connectid.toml" serve >"$tmp/server.log" 2>&1 &
server=$!
for _ in $(seq 100); do
  curl -fs "$base/readyz" >/dev/null 2>&1 && break
  sleep 0.1
done
curl -fs "$base/readyz" >/dev/null || { cat "$tmp/server.log"; echo "server did not start" >&2; exit 1; }

attr() { sed -n "s/^<svg[^>]* $1=\"\([0-9]*\)\".*/\1/p" "$2"; }

check="$tmp/check.html"
echo '<!doctype html><html><head><meta charset="utf-8"></head><body>' >"$check"
for lang in $langs; do
  for scheme in $schemes; do
    svg="$tmp/$scheme-$lang.svg"
    curl -fs "$base/assets/button/$scheme.svg?lang=$lang" -o "$svg"
    w=$(attr width "$svg")
    h=$(attr height "$svg")
    # Headless Chromium now and then never finishes a screenshot: a time limit and a retry.
    for try in 1 2 3; do
      rm -f "$out/$scheme-$lang.png"
      timeout 60 "$chromium" --headless --no-sandbox --disable-gpu --hide-scrollbars --mute-audio \
        --force-device-scale-factor=2 --window-size="$w,$h" --default-background-color=00000000 \
        --screenshot="$out/$scheme-$lang.png" "$base/assets/button/$scheme.svg?lang=$lang" \
        >/dev/null 2>&1 && [ -s "$out/$scheme-$lang.png" ] && break
      [ "$try" = 3 ] && { echo "no screenshot of $scheme-$lang" >&2; exit 1; }
    done
    size=$(python3 -c 'import struct,sys; d=open(sys.argv[1],"rb").read(); print("%dx%d" % struct.unpack(">II", d[16:24]))' "$out/$scheme-$lang.png")
    [ "$size" = "$((2 * w))x$((2 * h))" ] || { echo "$scheme-$lang.png is $size, not $((2 * w))x$((2 * h))" >&2; exit 1; }
    { echo "<div data-name=\"$scheme-$lang\">"; cat "$svg"; echo '</div>'; } >>"$check"
  done
done

# The label must lie within the button and clear of the mark, with 4px to spare each side.
cat >>"$check" <<'HTML'
<pre id="result"></pre><script>
const bad = [];
for (const div of document.querySelectorAll('div[data-name]')) {
  const svg = div.querySelector('svg');
  const w = svg.width.baseVal.value;
  const t = svg.querySelector('text').getBBox();
  const m = svg.querySelector('g').getBBox();
  const mx = svg.querySelector('g').transform.baseVal[0].matrix.e;
  const [l, r] = [t.x, t.x + t.width];
  const clear = mx < w / 2 ? l >= mx + m.width + 4 : r <= mx - 4;
  if (l < 4 || r > w - 4 || !clear) bad.push(`${div.dataset.name}: text ${l.toFixed(1)}..${r.toFixed(1)} of ${w}`);
}
document.getElementById('result').textContent = bad.length ? 'BAD ' + bad.join('; ') : 'FITS';
</script></body></html>
HTML
result=$(timeout 120 "$chromium" --headless --no-sandbox --disable-gpu --dump-dom "file://$check" 2>/dev/null | sed -n 's/.*<pre id="result">\(.*\)<\/pre>.*/\1/p')
if [ "$result" != "FITS" ]; then
  echo "labels do not fit: ${result:-no result}" >&2
  exit 1
fi

python3 "$root/tools/png-recompress.py" "$out"/*.png
echo "rendered $(ls "$out"/*.png | wc -l) PNGs, $(du -cb "$out"/*.png | tail -1 | cut -f1) bytes in $out"
