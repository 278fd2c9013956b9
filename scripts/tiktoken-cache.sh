#!/usr/bin/env bash
# Python's tiktoken downloads its BPE files on first use, which fails without a network. The same
# files ship inside the tiktoken-rs crate; this lays them out the way tiktoken looks them up (the
# SHA-1 of the download URL) and prints the folder to use as TIKTOKEN_CACHE_DIR.
set -euo pipefail
root=${LONGFORGE_CACHE:-$HOME/.cache/longforge}
dir=$root/tiktoken
mkdir -p "$dir"
assets=$(cargo metadata --format-version 1 --locked 2>/dev/null | python3 -c '
import json, os, sys
for p in json.load(sys.stdin)["packages"]:
    if p["name"] == "tiktoken-rs":
        print(os.path.join(os.path.dirname(p["manifest_path"]), "assets"))
        break
')
for enc in cl100k_base o200k_base; do
  key=$(printf '%s' "https://openaipublic.blob.core.windows.net/encodings/$enc.tiktoken" | sha1sum | cut -d' ' -f1)
  cp "$assets/$enc.tiktoken" "$dir/$key"
done
echo "$dir"
