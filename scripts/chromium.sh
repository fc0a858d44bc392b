#!/usr/bin/env bash
# Install (if needed) Debian's chromium and its chromedriver, which the dashboard's browser test
# (tests/browser/) drives, as scripts/postgres.sh installs PostgreSQL.
#   scripts/chromium.sh install   install them when missing (needs root), then print their versions
#   scripts/chromium.sh check     exit 0 when both are there, 1 when not
set -euo pipefail

CHROMIUM="${FLYLOOP_CHROMIUM:-/usr/bin/chromium}"
DRIVER="${FLYLOOP_CHROMEDRIVER:-/usr/bin/chromedriver}"

present() { [ -x "$CHROMIUM" ] && [ -x "$DRIVER" ]; }

install_browser() {
  if ! present; then
    echo "chromium.sh: installing chromium and chromium-driver from Debian's packages" >&2
    if [ "$(id -u)" -ne 0 ]; then echo "chromium.sh: need root to apt-get install chromium chromium-driver" >&2; exit 1; fi
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq chromium chromium-driver >/dev/null
  fi
  echo "chromium.sh: $("$CHROMIUM" --version 2>/dev/null | head -1); $("$DRIVER" --version | head -1)" >&2
}

case "${1:-}" in
  install) install_browser ;;
  check) present ;;
  *) echo "usage: scripts/chromium.sh install | check" >&2; exit 2 ;;
esac
