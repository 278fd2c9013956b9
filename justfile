# The recipes a person runs. `just --list` shows them.

# Python venvs and the tiktoken files live here, reused across runs.
cache := env_var_or_default("LONGFORGE_CACHE", env_var("HOME") + "/.cache/longforge")

# Generate small NeedleBench datasets, answer with the baselines, score, write demo-out/report.md.
demo:
    cargo run --release -- demo --out demo-out

# Every test: the workspace's unit, property and end-to-end tests (the site's in headless
# Chromium, installed from Debian's packages when missing), then the Parquet peer readers.
test:
    scripts/chromium.sh >/dev/null
    cargo test --workspace
    just peers

# Peers in a venv of their own: samples.parquet read by pyarrow, polars and Hugging Face
# datasets; the Bradley-Terry fit against choix and a logistic regression (scikit-learn), with
# and without the length covariate; BM25 scores and top k against rank_bm25's BM25Okapi.
peers:
    #!/usr/bin/env bash
    set -euo pipefail
    py=$(scripts/venv.sh peer-venv pyarrow==26.0.1 datasets==5.2.0 polars==2.1.0 choix==0.4.1 scikit-learn==1.7.2 rank_bm25==0.2.2 | tail -n 1)
    out=$(mktemp -d)
    trap 'rm -rf "$out"' EXIT
    cargo run --quiet -- generate needlebench --task atc --lang zh --lengths none,1k --count 3 --out "$out/atc-zh"
    cargo run --quiet -- generate needlebench --task single --lengths 1k,2k --depths 0,50,100 --out "$out/single"
    "$py" tests/peers/parquet_readers.py "$out/atc-zh" "$out/single"
    "$py" tests/peers/make_battles.py "$out/battles.jsonl" 20000 12 7
    cargo run --quiet -- rank --battles "$out/battles.jsonl" --scale logit --bootstrap 50 --out "$out/rank.json" >/dev/null
    "$py" tests/peers/bradley_terry.py "$out/battles.jsonl" "$out/rank.json"
    "$py" tests/peers/length_control.py make "$out/judgments.jsonl"
    cargo run --quiet -- rank --battles "$out/judgments.jsonl" --scale logit --control length --bootstrap 20 --out "$out/length.json" >/dev/null
    "$py" tests/peers/length_control.py check "$out/judgments.jsonl" "$out/length.json"
    "$py" tests/peers/bm25.py make "$out/bm25.json"
    cargo run --quiet --example bm25_topk -- "$out/bm25.json" "$out/bm25-out.json"
    "$py" tests/peers/bm25.py check "$out/bm25.json" "$out/bm25-out.json"

# 1M-token samples beside the original's Python path (both counters, a large JSON Lines corpus);
# the chat client beside AsyncOpenAI; rank beside choix and a logistic regression; HoloBench at
# 64K; LongProc at 8K (generation and checking); a NoCha-style 128K book with 30 pairs; the
# leaderboard site of 50 models x 6 families; BM25 retrieval over a 1M-token book beside rank_bm25.
bench:
    #!/usr/bin/env bash
    set -euo pipefail
    export LONGFORGE_BENCH_PYTHON=$(scripts/venv.sh bench-venv tiktoken==0.12.0 openai==3.51.0 rank_bm25==0.2.2 | tail -n 1)
    export TIKTOKEN_CACHE_DIR=$(scripts/tiktoken-cache.sh)
    export LONGFORGE_PEER_PYTHON=$(scripts/venv.sh peer-venv pyarrow==26.0.1 datasets==5.2.0 polars==2.1.0 choix==0.4.1 scikit-learn==1.7.2 | tail -n 1)
    # GNU time reads each process's peak memory for needlebench_1m (Debian's package `time`).
    if [ ! -x /usr/bin/time ]; then
        if command -v apt-get >/dev/null; then
            $(command -v sudo || true) apt-get install -y time
        else
            echo "warning: no /usr/bin/time: needlebench_1m reports peak memory as NaN" >&2
        fi
    fi
    cargo bench --bench needlebench_1m
    cargo bench --bench client_overhead
    cargo bench --bench rank_100k
    cargo bench --bench holobench_64k
    cargo bench --bench longproc_8k
    cargo bench --bench nocha_128k
    cargo bench --bench report_site
    cargo bench --bench bm25_1m

# Rewrite the golden files of the printed table, the Markdown report and the site's Markdown
# and CSV leaderboards (review the diff).
bless:
    LONGFORGE_BLESS=1 cargo test --test scoring --test report_site

# The README's screenshot of the demo's site (docs/site.png).
screenshot:
    cargo run --release -- demo --out demo-out
    scripts/chromium.sh >/dev/null
    chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1400,1000 --screenshot=docs/site.png "file://$PWD/demo-out/site/index.html"

fmt:
    cargo fmt --all

lint:
    cargo fmt --all -- --check
    cargo clippy --workspace --all-targets -- -D warnings

# The CPU evaluator: llama.cpp (llama-cpp-python) serving SmolLM2-135M on a free loopback port.
# Builds its venv on first use (about 6 minutes), then prints the base URL; stop it with kill.
judge-server-cpu:
    scripts/judge-server-cpu.sh start

# The GPU evaluator: vLLM serving MODEL (needs a GPU and `pip install vllm`; CI cannot run it).
# Sampling defaults from the model's generation config are disabled: longforge sends every field.
judge-server MODEL PORT="8000" MAX_LEN="32768":
    vllm serve {{MODEL}} --host 127.0.0.1 --port {{PORT}} --max-model-len {{MAX_LEN}} --generation-config vllm & \
    until python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:{{PORT}}/v1/models', timeout=2)" 2>/dev/null; do sleep 2; done; \
    echo "http://127.0.0.1:{{PORT}}/v1"
