#!/usr/bin/env bash
# Installs what building, running and testing Burstprop Explorer needs on Debian 12 (run as root or
# with sudo available). Safe to run again: apt-get skips what is already there.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config
  libtorch-dev                    # LibTorch 1.13 (CPU)
  libopenblas0-openmp             # fast BLAS behind libtorch (the default reference BLAS is ~10x slower)
  qt6-base-dev qt6-base-dev-tools libqt6svg6-dev
  libqcustomplot-dev libqcustomplot2.1-qt6
  libsqlite3-dev zlib1g-dev libcurl4-openssl-dev
  libturbojpeg0-dev libpng-dev    # image folders: JPEG (libjpeg-turbo) and PNG decoding
  nlohmann-json3-dev              # JSON: strict parsing, locale-free numbers
  libboost-math-dev               # Student's t distribution for the group statistics (core/study)
  dataset-fashion-mnist           # the default data set, offline (/usr/share/datasets/fashion-mnist)
  python3-torch                   # optional: tests that Python's torch.load opens exported checkpoints
  python3-torchvision             # optional: the image loader benchmark times torchvision's beside it
  xvfb xauth                      # a virtual display for GUI screenshots on headless machines
  locales                         # the tests run the explorer and the CLI under a German locale too
)

sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
  sudo_cmd=(sudo)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -q
  "${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
# Debian's libtorch links the generic libblas.so.3: make sure it resolves to OpenBLAS.
if command -v update-alternatives >/dev/null; then
  current=$(update-alternatives --query libblas.so.3-x86_64-linux-gnu 2>/dev/null | awk '/^Value:/ {print $2}')
  case "$current" in
    *openblas*) ;;
    *) "${sudo_cmd[@]}" update-alternatives --auto libblas.so.3-x86_64-linux-gnu || true ;;
  esac
fi
# The comma-decimal locale the tests use (tests/locale): numbers written for machines must stay in C form.
if ! locale -a 2>/dev/null | grep -qi '^de_DE\.utf-\?8$'; then
  echo "setup: generating the de_DE.UTF-8 locale"
  "${sudo_cmd[@]}" sed -i 's/^# *\(de_DE\.UTF-8 UTF-8\)/\1/' /etc/locale.gen
  "${sudo_cmd[@]}" locale-gen >/dev/null
fi
echo "setup: all packages present"
