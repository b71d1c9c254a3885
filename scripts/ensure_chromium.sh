#!/usr/bin/env bash
# Makes sure Debian's chromium exists at /usr/bin/chromium for the browser tests (playwright-core drives it and
# downloads no browser of its own). Idempotent: does nothing when it is already installed.
set -euo pipefail
source "$(dirname "$0")/apt_install.sh"

CHROMIUM=/usr/bin/chromium

if [ -x "$CHROMIUM" ]; then
  echo "ensure_chromium: found $CHROMIUM"
  exit 0
fi
apt_install ensure_chromium chromium
if [ -x "$CHROMIUM" ]; then
  echo "ensure_chromium: installed $CHROMIUM"
  exit 0
fi
echo "ensure_chromium: chromium was installed but $CHROMIUM is still missing" >&2
exit 1
