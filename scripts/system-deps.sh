#!/usr/bin/env bash
# Debian packages the project needs beyond Python: WeasyPrint's Pango stack and fonts (DejaVu for text;
# Noto, Noto's symbols, Noto Color Emoji and Symbola so symbols and emoji in progress text print),
# poppler (pdftoppm draws the Word report's charts; the tests read PDFs with it), LibreOffice Writer
# (no GUI, ~250 MB) to check that the Word reports convert, with Carlito and Liberation (metric-compatible
# with Word's Calibri and Arial, so LibreOffice breaks the Word report's pages where Word does),
# Chromium for the browser tests, wrk and curl for the load test in `make bench`, libmagic (evidence
# files are judged by content through python-magic). Installs only what is missing; needs root to install.
set -euo pipefail
packages=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core fonts-noto-core fonts-noto-color-emoji
  fonts-symbola poppler-utils libreoffice-writer-nogui fonts-crosextra-carlito fonts-liberation2 chromium wrk curl libmagic1)
missing=()
for pkg in "${packages[@]}"; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "Missing system packages: ${missing[*]} (run as root, or: sudo apt-get install ${missing[*]})" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends "${missing[@]}"
