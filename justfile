# The recipes a person runs. `just --list` shows them.

# Python venvs and the tiktoken files live here, reused across runs.
cache := env_var_or_default("LONGFORGE_CACHE", env_var("HOME") + "/.cache/longforge")

# Generate small NeedleBench datasets, answer with the baselines, score, write demo-out/report.md.
demo:
    cargo run --release -- demo --out demo-out

# Every test: the workspace's unit, property and end-to-end tests, then the Parquet peer readers.
test:
    cargo test --workspace
    just peers

# samples.parquet read by pyarrow, polars and Hugging Face datasets (a venv of their own).
peers:
    #!/usr/bin/env bash
    set -euo pipefail
    py=$(scripts/venv.sh peer-venv pyarrow==26.0.1 datasets==5.2.0 polars==2.1.0 | tail -n 1)
    out=$(mktemp -d)
    trap 'rm -rf "$out"' EXIT
    cargo run --quiet -- generate needlebench --task atc --lang zh --lengths none,1k --count 3 --out "$out/atc-zh"
    cargo run --quiet -- generate needlebench --task single --lengths 1k,2k --depths 0,50,100 --out "$out/single"
    "$py" tests/peers/parquet_readers.py "$out/atc-zh" "$out/single"

# 1M-token samples timed beside the original's Python path and one tiktoken-rs pass.
bench:
    #!/usr/bin/env bash
    set -euo pipefail
    export LONGFORGE_BENCH_PYTHON=$(scripts/venv.sh bench-venv tiktoken==0.12.0 | tail -n 1)
    export TIKTOKEN_CACHE_DIR=$(scripts/tiktoken-cache.sh)
    cargo bench --bench needlebench_1m

fmt:
    cargo fmt --all

lint:
    cargo fmt --all -- --check
    cargo clippy --all-targets -- -D warnings
