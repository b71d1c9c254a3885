#!/usr/bin/env bash
# Makes sure Debian's chromium exists at /usr/bin/chromium for the browser tests (playwright-core drives it and
# downloads no browser of its own). Idempotent: does nothing when it is already installed.
set -euo pipefail

CHROMIUM=/usr/bin/chromium

if [ -x "$CHROMIUM" ]; then
  echo "ensure_chromium: found $CHROMIUM"
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure_chromium: $CHROMIUM not found and apt-get is unavailable; install Chromium with your package" \
    "manager so that $CHROMIUM exists." >&2
  exit 1
fi

as_root=()
if [ "$(id -u)" -ne 0 ]; then
  if ! command -v sudo >/dev/null 2>&1; then
    echo "ensure_chromium: chromium is missing and installing it needs root, but sudo is not available." >&2
    exit 1
  fi
  as_root=(sudo)
fi

install_chromium() {
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y chromium
}

echo "ensure_chromium: installing the Debian chromium package" >&2
if ! install_chromium; then
  # A fresh machine may have no package lists yet.
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update
  if ! install_chromium; then
    echo "ensure_chromium: apt-get install chromium failed" >&2
    exit 1
  fi
fi

if [ -x "$CHROMIUM" ]; then
  echo "ensure_chromium: installed $CHROMIUM"
  exit 0
fi
echo "ensure_chromium: chromium was installed but $CHROMIUM is still missing" >&2
exit 1
