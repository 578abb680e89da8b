#!/usr/bin/env bash
# The CUDA checks, as one command on a machine with a GPU and PyTorch (pip or conda) but no Qt:
#   packaging/gpu-check.sh
# Builds the core and burstprop-train (the headless options) against that PyTorch's LibTorch, then
# prints one table: the golden replay on the GPU and on the CPU, the default configuration's training
# speed on both, one epoch of each learning rule on the GPU, and a checkpoint of a GPU run opened by
# Python's torch.load. Exit status 0 when every check that ran passed, 1 otherwise.
# First a preflight: each thing the build needs (torch, a compiler, CMake >= 3.25, ninja, pkg-config, the
# core's libraries) found here, taken from .gpu-deps/ (packaging/gpu-deps.sh carries Debian 12's .debs;
# unpacked into .gpu-deps/root), or missing: then it says how to carry it and stops before the build.
# A CUDA torch with no nvcc is linked from its own headers and libraries (packaging/torch-from-python.cmake).
# Environment (defaults in parentheses): PYTHON (python3), BUILD_DIR (build-gpu), DEVICE (cuda),
# BURSTPROP_GOLDEN_DIR (../shared/golden, else golden-cache/), FASHION_DIR
# (/usr/share/datasets/fashion-mnist, else data-cache/fashion-mnist; without it the speed checks use
# random MNIST-format images and the one-epoch checks are skipped), BURSTPROP_TORCH_IMPORT (config:
# find_package(Torch); python-libs: torch's libraries; chosen by whether nvcc is there), BUILD_LOCK (a file:
# configure and build under flock on it), CXX, PREFLIGHT_ONLY (1: stop after the preflight).
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

# --- Preflight: what the build needs, found here, taken from .gpu-deps, or missing ---------------------------
# A machine without network may lack CMake, ninja, pkg-config or the -dev files of the core's libraries:
# packaging/gpu-deps.sh (run where apt works) carries Debian 12's .debs of them in .gpu-deps/; what is
# missing here is unpacked from there into .gpu-deps/root (never into /) and put on the paths below.
DEPS=$PWD/.gpu-deps
DROOT=$DEPS/root            # the core's libraries, ninja, pkg-config
CROOT=$DEPS/cmake-root      # CMake and the libraries it loads
SOLIBS=$DEPS/missing-libs   # links to the carried shared libraries this system lacks (for the carried tools)
CXX=${CXX:-$(command -v c++ || command -v g++ || command -v clang++ || true)}
need_exit=0
pre() { printf '  %-30s %-20s %s\n' "$1" "$2" "$3"; }
missing() { # requirement, how to get it
  pre "$1" MISSING "$2"
  need_exit=1
}
carried() { compgen -G "$DEPS/debs/*/${1}_*.deb" | head -1; }
unpack_deb() { # .deb, folder
  mkdir -p "$2"
  if command -v dpkg-deb >/dev/null; then dpkg-deb -x "$1" "$2"; return; fi
  "$PYTHON" - "$1" "$2" <<'EOF'
import io, sys, tarfile
data = open(sys.argv[1], "rb").read()
pos = 8  # "!<arch>\n", then 60-byte member headers
while pos < len(data):
    name = data[pos:pos + 16].decode().strip().rstrip("/"); size = int(data[pos + 48:pos + 58])
    if name.startswith("data.tar"):
        tarfile.open(fileobj=io.BytesIO(data[pos + 60:pos + 60 + size])).extractall(sys.argv[2])
    pos += 60 + size + (size & 1)
EOF
}
take() { # folder, packages...: unpacks the carried .debs of them into the folder; 1 when one is not carried
  local dir=$1 files=() f p; shift
  for p in "$@"; do f=$(carried "$p"); [ -n "$f" ] || return 1; files+=("$f"); done
  for f in "${files[@]}"; do unpack_deb "$f" "$dir" || return 1; done
  # pkg-config files name /usr: point them at the folder.
  for f in "$dir"/usr/lib/x86_64-linux-gnu/pkgconfig/*.pc "$dir"/usr/share/pkgconfig/*.pc; do
    [ -f "$f" ] && sed -i "s#^\(prefix\|exec_prefix\|libdir\|includedir\)=/usr#\1=$dir/usr#" "$f"
  done
  # Shared libraries a carried program needs and this system lacks: linked into $SOLIBS, on LD_LIBRARY_PATH.
  mkdir -p "$SOLIBS"
  local lib
  for _ in 1 2 3 4 5; do
    local new=0
    for f in "$dir"/usr/bin/* "$SOLIBS"/*; do
      [ -f "$f" ] || continue
      for lib in $(ldd "$f" 2>/dev/null | awk '/not found/ {print $1}'); do
        p=$(find "$DROOT" "$CROOT" -name "$lib" 2>/dev/null | head -1)
        [ -n "$p" ] && [ ! -e "$SOLIBS/$lib" ] && ln -s "$p" "$SOLIBS/$lib" && new=1
      done
    done
    [ $new = 1 ] || break
  done
  return 0
}
export PATH="$DROOT/usr/bin:$CROOT/usr/bin:$PATH"
export CMAKE_PREFIX_PATH="$DROOT/usr${CMAKE_PREFIX_PATH:+:$CMAKE_PREFIX_PATH}"
export PKG_CONFIG_PATH="$DROOT/usr/lib/x86_64-linux-gnu/pkgconfig:$DROOT/usr/share/pkgconfig${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}"
export CPATH="$DROOT/usr/include${CPATH:+:$CPATH}"
export LIBRARY_PATH="$DROOT/usr/lib/x86_64-linux-gnu${LIBRARY_PATH:+:$LIBRARY_PATH}"
export LD_LIBRARY_PATH="$SOLIBS:$DROOT/usr/lib/x86_64-linux-gnu${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
rm -rf "$DROOT" "$CROOT" "$SOLIBS" # unpacked anew each run, from what this run finds missing

echo "Preflight (found here / taken from .gpu-deps / MISSING):"
# Python's torch: not carried (the machine's own, with CUDA, is the point).
if ! torch_info=$("$PYTHON" - 2>"$WORK/py.err" <<'EOF'
import os, torch
cuda = torch.cuda.is_available()
print(torch.utils.cmake_prefix_path)
print(os.path.dirname(torch.__file__))
print(torch.version.cuda or "")
print(int(torch._C._GLIBCXX_USE_CXX11_ABI))
print(f"PyTorch {torch.__version__}, CUDA {torch.version.cuda}, "
      + (f"{torch.cuda.device_count()} device(s): {torch.cuda.get_device_name(0)}" if cuda else "no CUDA device visible"))
EOF
); then
  missing "python + torch" "$PYTHON cannot import torch: $(tail -1 "$WORK/py.err") (set PYTHON)"
  echo "gpu-check: stopping before the build" >&2
  exit 1
fi
{ read -r prefix; read -r torch_dir; read -r torch_cuda; read -r torch_abi; read -r torch_line; } <<<"$torch_info"
pre "python + torch" found "$torch_line"

if [ -n "$CXX" ] && "$CXX" --version >/dev/null 2>&1; then
  pre "C++ compiler" found "$CXX: $("$CXX" --version | head -1)"
else
  missing "C++ compiler" "no c++, g++ or clang++ (not carried: install g++; set CXX)"
fi

cmake_ok() { local v; v=$(cmake --version 2>/dev/null | sed -n '1s/.* \([0-9][0-9.]*\).*/\1/p')
  [ -n "$v" ] && [ "$(printf '%s\n3.25\n' "$v" | sort -V | head -1)" = 3.25 ]; }
if cmake_ok; then
  pre "cmake >= 3.25" found "$(command -v cmake): $(cmake --version | head -1)"
elif [ -d "$DEPS/debs/cmake" ] && mapfile -t cmake_debs < <(ls "$DEPS/debs/cmake" | sed 's/_.*//') &&
     take "$CROOT" "${cmake_debs[@]}" && cmake_ok; then
  pre "cmake >= 3.25" "from .gpu-deps" "$(cmake --version | head -1)"
else
  missing "cmake >= 3.25" "$(cmake --version 2>/dev/null | head -1 || echo none): carry it with GPU_DEPS_CMAKE=1 packaging/gpu-deps.sh"
fi

if command -v ninja >/dev/null; then
  pre ninja found "$(command -v ninja) $(ninja --version)"
elif take "$DROOT" ninja-build && command -v ninja >/dev/null; then
  pre ninja "from .gpu-deps" "ninja $(ninja --version)"
elif command -v make >/dev/null; then
  pre ninja "missing (make will do)" "carry it with packaging/gpu-deps.sh"
else
  missing ninja "no ninja nor make: carry ninja-build with packaging/gpu-deps.sh"
fi

if command -v pkg-config >/dev/null; then
  pre pkg-config found "$(command -v pkg-config) $(pkg-config --version)"
elif take "$DROOT" pkgconf pkgconf-bin libpkgconf3 && command -v pkg-config >/dev/null; then
  pre pkg-config "from .gpu-deps" "pkgconf $(pkg-config --version)"
else
  missing pkg-config "carry pkgconf with packaging/gpu-deps.sh"
fi

compiles() { # code, compiler arguments...: whether it compiles and links here
  local code=$1; shift
  rm -f "$WORK/probe.log"
  [ -n "$CXX" ] && printf '%s\nint main() { return 0; }\n' "$code" |
    "$CXX" -std=c++17 -x c++ - -o "$WORK/probe" "$@" >"$WORK/probe.log" 2>&1
}
# GPU_CHECK_PRETEND_MISSING="zlib1g-dev libsqlite3-dev ... boost" (or "all"): treat those as absent here, to
# test the carried copies on a machine that has them.
pretend() { [[ " ${GPU_CHECK_PRETEND_MISSING:-} " == *" $1 "* || "${GPU_CHECK_PRETEND_MISSING:-}" == all ]]; }
library() { # requirement, code, compiler arguments, extra test, packages...
  local name=$1 code=$2 args=$3 extra=$4; shift 4
  # shellcheck disable=SC2086
  if ! pretend "$1" && compiles "$code" $args && eval "$extra"; then
    pre "$name" found ""
  elif take "$DROOT" "$@" && compiles "$code" $args && eval "$extra"; then
    pre "$name" "from .gpu-deps" "$*"
  else
    local why; why=$(tail -1 "$WORK/probe.log" 2>/dev/null)
    missing "$name" "Debian/Ubuntu: $1; carry it with packaging/gpu-deps.sh${why:+ ($why)}"
  fi
}
library zlib "#include <zlib.h>" -lz true zlib1g-dev
library SQLite3 "#include <sqlite3.h>" -lsqlite3 true libsqlite3-dev libsqlite3-0
library nlohmann-json "#include <nlohmann/json.hpp>" "" true nlohmann-json3-dev
library "TurboJPEG (libjpeg-turbo)" "#include <cstdio>
#include <turbojpeg.h>" -lturbojpeg "pkg-config --exists libturbojpeg" libturbojpeg0-dev libturbojpeg0
library libpng "#include <png.h>" -lpng true libpng-dev libpng16-16
boost_header="#include <boost/math/distributions/students_t.hpp>"
if ! pretend boost && compiles "$boost_header"; then
  pre "Boost.Math (headers)" found ""
elif [ -f "$DEPS/boost-math-headers.tar.xz" ] && mkdir -p "$DROOT" &&
     tar -xJf "$DEPS/boost-math-headers.tar.xz" -C "$DROOT" && compiles "$boost_header"; then
  pre "Boost.Math (headers)" "from .gpu-deps" "boost-math-headers.tar.xz (Boost 1.74)"
else
  missing "Boost.Math (headers)" "Debian/Ubuntu: libboost-math-dev; carry it with packaging/gpu-deps.sh"
fi
if compiles "#include <omp.h>" -fopenmp; then
  pre OpenMP found "-fopenmp"
else
  missing OpenMP "the compiler's omp.h and libgomp (not carried: part of g++)"
fi
# c10d's ProcessGroupGloo.hpp includes <gloo/...>: pip's torch usually has them in its include folder.
if ! pretend libgloo-dev && [ -f "$torch_dir/include/gloo/algorithm.h" ]; then
  pre "gloo headers" found "in torch's include folder"
elif ! pretend libgloo-dev && compiles "#include <gloo/algorithm.h>"; then
  pre "gloo headers" found ""
elif take "$DROOT" libgloo-dev && compiles "#include <gloo/algorithm.h>"; then
  pre "gloo headers" "from .gpu-deps" "libgloo-dev (Debian's gloo of 2022-05)"
else
  missing "gloo headers" "Debian/Ubuntu: libgloo-dev; carry it with packaging/gpu-deps.sh"
fi

# LibTorch's CMake files: a CUDA build's TorchConfig.cmake needs the CUDA toolkit (nvcc); without it, the
# headers and libraries of the torch package itself (packaging/torch-from-python.cmake). BURSTPROP_TORCH_IMPORT=
# config or python-libs chooses.
nvcc=$(command -v nvcc || { [ -x "${CUDA_HOME:-/usr/local/cuda}/bin/nvcc" ] && echo "${CUDA_HOME:-/usr/local/cuda}/bin/nvcc"; } || true)
torch_import=${BURSTPROP_TORCH_IMPORT:-}
if [ -z "$torch_import" ]; then
  if [ -n "$torch_cuda" ] && [ -z "$nvcc" ]; then torch_import=python-libs; else torch_import=config; fi
fi
if [ -n "$nvcc" ]; then why="nvcc: $nvcc"
elif [ -n "$torch_cuda" ]; then why="CUDA $torch_cuda build, no nvcc"
else why="CPU build of torch: no CUDA toolkit needed"; fi
case "$torch_import" in
  config) pre "LibTorch import" "find_package(Torch)" "$why; $prefix" ;;
  python-libs) pre "LibTorch import" "torch's libraries" "$why; $torch_dir/{include,lib}, packaging/torch-from-python.cmake" ;;
  *) missing "LibTorch import" "BURSTPROP_TORCH_IMPORT=$torch_import: config or python-libs" ;;
esac
if [ "$need_exit" = 1 ]; then
  echo "gpu-check: something the build needs is missing (above): stopping before the build" >&2
  exit 1
fi
[ "${PREFLIGHT_ONLY:-0}" = 1 ] && exit 0 # PREFLIGHT_ONLY=1: the table above, no build

# --- Build ------------------------------------------------------------------------------------
generator=()
command -v ninja >/dev/null && generator=(-G Ninja)
lock=() # BUILD_LOCK=<file>: configure and build under flock (machines shared with other builds)
[ -n "${BUILD_LOCK:-}" ] && lock=(flock "$BUILD_LOCK")
configure() { # torch import: config or python-libs
  local torch_args=(-DBURSTPROP_TORCH_FROM_PYTHON_LIBS= -DCMAKE_PREFIX_PATH="$prefix")
  [ "$1" = python-libs ] && torch_args=(-DBURSTPROP_TORCH_FROM_PYTHON_LIBS="$torch_dir"
                                        -DBURSTPROP_TORCH_CXX11_ABI="$torch_abi")
  "${lock[@]}" cmake -S . -B "$BUILD_DIR" "${generator[@]}" -DCMAKE_BUILD_TYPE=Release -DBURSTPROP_WITH_GUI=OFF \
    -DBUILD_TESTING=OFF "${torch_args[@]}" >"$WORK/configure.log" 2>&1
}
echo "Building the core and burstprop-train in $BUILD_DIR against $torch_dir ($torch_import) ..."
start=$(date +%s)
if ! configure "$torch_import"; then
  # A CUDA torch whose TorchConfig.cmake still stops (a toolkit that does not match, say): its libraries.
  if [ "$torch_import" = config ] && [ -n "$torch_cuda" ] && [ -z "${BURSTPROP_TORCH_IMPORT:-}" ]; then
    grep -E "CMake Error|CUDA" "$WORK/configure.log" | head -5
    echo "gpu-check: find_package(Torch) failed; configuring again with torch's libraries (python-libs)"
    torch_import=python-libs
    configure "$torch_import"
  else
    false
  fi
fi || {
  tail -30 "$WORK/configure.log"
  echo "gpu-check: configuring failed (above)" >&2
  exit 1
}
if ! "${lock[@]}" cmake --build "$BUILD_DIR" -j "$(nproc)" --target burstprop-train >"$WORK/build.log" 2>&1; then
  grep -E "error|Error|undefined reference|cannot find" "$WORK/build.log" | head -30
  tail -5 "$WORK/build.log"
  echo "gpu-check: building failed (above)" >&2
  exit 1
fi
row "build against this PyTorch" host ok "$(( $(date +%s) - start )) s, LibTorch import: $torch_import"
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

# --- Data-parallel: 2 ranks against 1 process (Gloo on the CPU; NCCL with two GPUs) ----------------
# The same run (float64, 2 epochs of 2,000 examples) trained by one process and by --nproc 2: the largest
# relative difference of any final weight tensor (‖a − b‖ / ‖b‖) must stay below 1e-9. Gloo on the CPU checks
# c10d's classes in this LibTorch; NCCL needs one GPU per rank, so it runs only with two or more.
compare_ranks() { # label, device, backend
  local label=$1 dev=$2 backend=$3 d=$WORK/dp-$2-$3
  local common=(-n_epochs 2 --train-limit 2000 --hidden-widths 64,32 --dtype float64 --seed 3 --device "$dev"
                --no-progress "${data[@]}")
  mkdir -p "$d"
  if ! "$BIN" "${common[@]}" --db "$d/one.sqlite" >"$d/one.log" 2>&1; then
    row "$label" "$dev" FAIL "one process: $(tail -1 "$d/one.log")"; return
  fi
  if ! timeout 600 "$BIN" "${common[@]}" --nproc 2 --backend "$backend" --threads 1 --dist-timeout 120 \
       --db "$d/two.sqlite" >"$d/two.log" 2>&1; then
    row "$label" "$dev" FAIL "--nproc 2: $(tail -1 "$d/two.log")"; return
  fi
  if ! "$BIN" export 1 --db "$d/one.sqlite" --checkpoint "$d/one.pt" >/dev/null 2>&1 ||
     ! "$BIN" export 1 --db "$d/two.sqlite" --checkpoint "$d/two.pt" >/dev/null 2>&1; then
    row "$label" "$dev" FAIL "export of the final weights failed"; return
  fi
  local worst
  worst=$("$PYTHON" - "$d/one.pt" "$d/two.pt" <<'PY'
import sys, torch
a, b = torch.load(sys.argv[1], map_location="cpu"), torch.load(sys.argv[2], map_location="cpu")
worst = max(float((a[k].double() - b[k].double()).norm() / max(float(b[k].double().norm()), 1e-300))
            for k in b if torch.is_tensor(b[k]) and b[k].is_floating_point())
print(f"{worst:.2e}")
PY
  ) || { row "$label" "$dev" FAIL "torch.load of the exports failed"; return; }
  if "$PYTHON" -c "import sys; sys.exit(0 if float('$worst') < 1e-9 else 1)"; then
    row "$label" "$dev" ok "largest relative difference $worst"
  else
    row "$label" "$dev" FAIL "largest relative difference $worst (> 1e-9)"
  fi
}
compare_ranks "2 ranks (gloo) = 1 process" cpu gloo
gpus=$("$PYTHON" -c 'import torch; print(torch.cuda.device_count() if torch.cuda.is_available() else 0)' 2>/dev/null || echo 0)
if ! grep -q "Gloo and NCCL" "$WORK/configure.log"; then
  row "2 ranks (nccl) = 1 process" "$DEVICE" skipped "this build has no NCCL (configure: Gloo only)"
elif [ "${gpus:-0}" -lt 2 ]; then
  row "2 ranks (nccl) = 1 process" "$DEVICE" skipped "${gpus:-0} GPU: NCCL needs one GPU per rank"
else
  compare_ranks "2 ranks (nccl) = 1 process" cuda nccl
fi

echo
printf '%-36s %-8s %-8s %s\n' check device result figure
printf '%s\n' "${rows[@]}"
exit $failed
