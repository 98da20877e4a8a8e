#!/bin/sh
# The browser test drives Debian's Chromium with playwright-core (never a browser download).
# Installs it with apt-get when it is missing and this runs as root; prints its path.
set -eu
for candidate in "${CHROMIUM_PATH:-}" /usr/bin/chromium /usr/bin/chromium-browser; do
  if [ -n "$candidate" ] && [ -x "$candidate" ]; then
    echo "$candidate"
    exit 0
  fi
done
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "[setup] installing Debian's chromium for the browser test" >&2
  apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >&2
  echo /usr/bin/chromium
  exit 0
fi
echo "[setup] the browser test needs Chromium: install Debian's chromium package (or set CHROMIUM_PATH)" >&2
exit 1
