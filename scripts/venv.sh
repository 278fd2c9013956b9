#!/usr/bin/env bash
# Creates (or reuses) a Python venv under the longforge cache and installs packages into it.
# Usage: scripts/venv.sh NAME PACKAGE...   Prints the venv's python on the last line.
set -euo pipefail
name=$1; shift
root=${LONGFORGE_CACHE:-$HOME/.cache/longforge}
venv=$root/$name
if [[ ! -x $venv/bin/python ]]; then
  mkdir -p "$root"
  python3 -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --upgrade pip >&2
fi
# pip skips what is already installed at the pinned version, so a reused venv costs seconds.
"$venv/bin/python" -m pip install --quiet "$@" >&2
echo "$venv/bin/python"
