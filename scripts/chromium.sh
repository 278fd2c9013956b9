#!/usr/bin/env bash
# Headless Chromium for the site's browser test (tests/report_site.rs): Debian's `chromium`
# package, installed when missing. Prints the binary's path.
set -euo pipefail
if ! command -v chromium >/dev/null; then
  sudo=""
  if [ "$(id -u)" != 0 ]; then sudo="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq >&2
  $sudo apt-get install -y -qq --no-install-recommends chromium >&2
fi
command -v chromium
