#!/usr/bin/env bash
# Render the skill icons from the vector source (`make icons`): assets/icon.svg ->
# skill-package/assets/images/ at the two sizes Alexa asks for (108 and 512 px PNG).
# Needs rsvg-convert (Debian/Ubuntu: apt-get install librsvg2-bin). The PNGs are committed,
# so only someone changing the icon needs it.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v rsvg-convert >/dev/null; then
  echo "make icons needs rsvg-convert: apt-get install librsvg2-bin" >&2
  exit 1
fi
out=skill-package/assets/images
mkdir -p "$out"
rsvg-convert -w 108 -h 108 assets/icon.svg -o "$out/icon-108.png"
rsvg-convert -w 512 -h 512 assets/icon.svg -o "$out/icon-512.png"
echo "wrote $out/icon-108.png $out/icon-512.png"
