#!/usr/bin/env bash
# The CUDA checks, as one command on a machine with a GPU and PyTorch (pip or conda) but no Qt:
#   packaging/gpu-check.sh
# Builds the core and burstprop-train (the headless options) against that PyTorch's LibTorch, then
# prints one table: the golden replay on the GPU and on the CPU, the default configuration's training
# speed on both, one epoch of each learning rule on the GPU, and a checkpoint of a GPU run opened by
# Python's torch.load. Exit status 0 when every check that ran passed, 1 otherwise.
# Environment (defaults in parentheses): PYTHON (python3), BUILD_DIR (build-gpu), DEVICE (cuda),
# BURSTPROP_GOLDEN_DIR (../shared/golden, else golden-cache/), FASHION_DIR
# (/usr/share/datasets/fashion-mnist, else data-cache/fashion-mnist; without it the speed checks use
# random MNIST-format images and the one-epoch checks are skipped).
set -uo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
BUILD_DIR=${BUILD_DIR:-build-gpu}
DEVICE=${DEVICE:-cuda}
first_dir() { for d in "$@"; do [ -d "$d" ] && { echo "$d"; return; }; done; }
GOLDEN=$(first_dir ${BURSTPROP_GOLDEN_DIR:-} ../shared/golden golden-cache)
FASHION=$(first_dir ${FASHION_DIR:-} /usr/share/datasets/fashion-mnist data-cache/fashion-mnist)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

rows=()
failed=0
row() { # check, device, result (ok|FAIL|skipped), figure
  rows+=("$(printf '%-36s %-8s %-8s %s' "$1" "$2" "$3" "$4")")
  [ "$3" = FAIL ] && failed=1
  return 0
}

# --- The PyTorch to build against -------------------------------------------------------------
if ! prefix=$("$PYTHON" -c 'import torch; print(torch.utils.cmake_prefix_path)' 2>"$WORK/py.err"); then
  echo "gpu-check: $PYTHON cannot import torch: $(tail -1 "$WORK/py.err")" >&2
  exit 1
fi
"$PYTHON" - <<'EOF'
import torch
cuda = torch.cuda.is_available()
print(f"PyTorch {torch.__version__}, CUDA {torch.version.cuda}, "
      + (f"{torch.cuda.device_count()} device(s): {torch.cuda.get_device_name(0)}" if cuda else "no CUDA device visible"))
EOF

# --- Build ------------------------------------------------------------------------------------
generator=()
command -v ninja >/dev/null && generator=(-G Ninja)
echo "Building the core and burstprop-train in $BUILD_DIR against $prefix ..."
start=$(date +%s)
if ! cmake -S . -B "$BUILD_DIR" "${generator[@]}" -DCMAKE_BUILD_TYPE=Release -DBURSTPROP_WITH_GUI=OFF \
       -DBUILD_TESTING=OFF -DCMAKE_PREFIX_PATH="$prefix" >"$WORK/configure.log" 2>&1; then
  tail -30 "$WORK/configure.log"
  echo "gpu-check: configuring failed (above)" >&2
  exit 1
fi
if ! cmake --build "$BUILD_DIR" -j "$(nproc)" --target burstprop-train >"$WORK/build.log" 2>&1; then
  grep -E "error|Error" "$WORK/build.log" | head -30
  echo "gpu-check: building failed (above)" >&2
  exit 1
fi
row "build against this PyTorch" host ok "$(( $(date +%s) - start )) s"
BIN=$BUILD_DIR/app/burstprop-train
DB=$WORK/runs.sqlite

# --- Golden steps -----------------------------------------------------------------------------
for dev in "$DEVICE" cpu; do
  if [ -z "$GOLDEN" ]; then
    row "golden replay" "$dev" skipped "no golden folder (set BURSTPROP_GOLDEN_DIR)"
    continue
  fi
  out=$("$BIN" golden "$GOLDEN" --device "$dev" 2>&1)
  rc=$?
  summary=$(echo "$out" | grep -E "cases match|no CUDA|error" | tail -1)
  [ $rc -eq 0 ] && row "golden replay" "$dev" ok "${summary%% (*}" || { row "golden replay" "$dev" FAIL "$summary"; echo "$out"; }
done

# --- Data -------------------------------------------------------------------------------------
if [ -n "$FASHION" ]; then
  data=(--data-dir "$FASHION" --no-download)
else
  "$PYTHON" - "$WORK/random" <<'EOF'
import os, struct, sys, numpy as np
d = sys.argv[1]; os.makedirs(d, exist_ok=True); rng = np.random.default_rng(1)
for prefix, n in (("train", 4096), ("t10k", 512)):
    with open(f"{d}/{prefix}-images-idx3-ubyte", "wb") as f:
        f.write(struct.pack(">IIII", 2051, n, 28, 28)); f.write(rng.integers(0, 256, n * 784, dtype=np.uint8).tobytes())
    with open(f"{d}/{prefix}-labels-idx1-ubyte", "wb") as f:
        f.write(struct.pack(">II", 2049, n)); f.write(rng.integers(0, 10, n, dtype=np.uint8).tobytes())
EOF
  data=(--dataset mnist --data-dir "$WORK/random" --no-download)
fi

# --- Speed ------------------------------------------------------------------------------------
speed() { # label, device, extra args...
  local label=$1 dev=$2; shift 2
  local out figure
  out=$("$BIN" --benchmark 2000 --device "$dev" "${data[@]}" "$@" 2>&1)
  figure=$(echo "$out" | sed -n 's/^examples_per_second=//p' | tail -1)
  [ -n "$figure" ] && row "$label" "$dev" ok "$figure examples/s" || row "$label" "$dev" FAIL "$(echo "$out" | tail -1)"
}
speed "speed, default net, batch 32" cpu --threads 0
speed "speed, default net, batch 32" "$DEVICE"
speed "speed, default net, batch 256" "$DEVICE" -batch_size 256

# --- One epoch of each rule on the GPU --------------------------------------------------------
if [ -n "$FASHION" ]; then
  for rule in burstprop backprop feedback-alignment node-perturbation; do
    out=$("$BIN" --rule "$rule" -n_epochs 1 --device "$DEVICE" --json --db "$DB" "${data[@]}" 2>&1)
    rc=$?
    figure=$(echo "$out" | "$PYTHON" -c '
import json, sys
for line in sys.stdin:
    try: e = json.loads(line)
    except ValueError: continue
    if e.get("event") == "epoch" and e.get("epoch") == 1:
        print("test error %.2f %%, test loss %.4f" % (e["test_error"], e["test_loss"]))')
    [ $rc -eq 0 ] && [ -n "$figure" ] && row "one epoch, $rule" "$DEVICE" ok "$figure" \
      || row "one epoch, $rule" "$DEVICE" FAIL "$(echo "$out" | tail -1)"
  done
else
  row "one epoch of each rule" "$DEVICE" skipped "Fashion-MNIST not found (set FASHION_DIR)"
fi

# --- A GPU run's checkpoint in Python ---------------------------------------------------------
if "$BIN" -n_epochs 1 --train-limit 2000 --device "$DEVICE" --db "$DB" --no-progress "${data[@]}" \
     "$WORK/results" >"$WORK/run.log" 2>&1; then
  id=$("$BIN" list --db "$DB" --json | "$PYTHON" -c 'import json,sys; print(max(json.loads(l)["id"] for l in sys.stdin if l.strip()))')
  if "$BIN" export "$id" --db "$DB" --checkpoint "$WORK/run.pt" >/dev/null 2>&1 &&
     keys=$("$PYTHON" -c 'import sys, torch; d = torch.load(sys.argv[1]); print(len(d), "entries,", sum(v.numel() for v in d.values() if torch.is_tensor(v)), "numbers")' "$WORK/run.pt" 2>&1); then
    row "checkpoint of a GPU run, torch.load" "$DEVICE" ok "$keys"
  else
    row "checkpoint of a GPU run, torch.load" "$DEVICE" FAIL "${keys:-export failed}"
  fi
else
  row "checkpoint of a GPU run, torch.load" "$DEVICE" FAIL "$(tail -1 "$WORK/run.log")"
fi

echo
printf '%-36s %-8s %-8s %s\n' check device result figure
printf '%s\n' "${rows[@]}"
exit $failed
