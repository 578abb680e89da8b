#!/usr/bin/env bash
# One command from a fresh Debian 12 checkout:
#   packaging/quickstart.sh explorer   set up, build, launch the explorer on Fashion-MNIST
#   packaging/quickstart.sh test       set up, build, run every test
#   packaging/quickstart.sh build      set up and build only
set -euo pipefail
cd "$(dirname "$0")/.."
what=${1:-explorer}

bash packaging/setup-debian.sh
cmake --preset release >/dev/null
cmake --build --preset release -j "$(nproc)"

case "$what" in
  explorer)
    exec ./build/app/burstprop-explorer ;;
  test)
    exec ctest --preset release ;;
  build) ;;
  *)
    echo "usage: $0 [explorer|test|build]" >&2
    exit 2 ;;
esac
