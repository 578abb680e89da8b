#!/usr/bin/env bash
# Fills the git-ignored folder .gpu-deps/ (and golden-cache/, data-cache/) with what packaging/gpu-check.sh
# may lack on a borrowed GPU machine without network: Debian 12's .debs of the libraries the core builds
# against, of ninja and pkg-config, and (when it fits) of CMake with the libraries it runs on; the Boost.Math
# headers the core includes, as a small tarball; the golden steps and Fashion-MNIST. Run it here (Debian 12,
# with apt's package lists); gpu-check.sh unpacks only what that machine lacks, into .gpu-deps/root.
#   packaging/gpu-deps.sh                 everything that fits in the device tool's 64 MiB with the tree
#   GPU_DEPS_CMAKE=1 packaging/gpu-deps.sh   CMake too, even when Fashion-MNIST must then stay behind
#   GPU_DEPS_BUDGET=<bytes>               the limit (default 64 MiB, less 1 MiB of slack)
# Prints what it carries and the total that travels (tracked and untracked files, plus the three folders).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
DEPS=.gpu-deps
BUDGET=${GPU_DEPS_BUDGET:-$((63 * 1024 * 1024))}

# The libraries of the core (headers, .so, .pc and CMake files) and their runtime libraries.
libs=(libsqlite3-dev libsqlite3-0 zlib1g-dev nlohmann-json3-dev libturbojpeg0-dev libturbojpeg0 libpng-dev
      libpng16-16 libgloo-dev)
# Build tools: ninja and pkg-config (Debian 12's pkg-config is pkgconf).
tools=(ninja-build pkgconf pkgconf-bin libpkgconf3)
# CMake 3.25 and the libraries it loads that a bare Ubuntu may lack (libc, libstdc++, zlib, xz, bzip2, zstd,
# acl and libgcc are on every system and stay behind). gpu-check.sh puts only the missing ones on the path.
cmake_pkgs=(cmake cmake-data libarchive13 libcurl4 libexpat1 libjsoncpp25 librhash0 libuv1 libxml2 libicu72
            liblz4-1 libnettle8 libhogweed6 libgmp10 libbrotli1 libgssapi-krb5-2 libkrb5-3 libk5crypto3
            libkrb5support0 libkeyutils1 libcom-err2 libidn2-0 libunistring2 libldap-2.5-0 libsasl2-2
            libsasl2-modules-db libdb5.3 libgnutls30 libp11-kit0 libffi8 libtasn1-6 libnghttp2-14 libpsl5
            librtmp1 libssh2-1 libssl3)

download() { # folder, packages...
  local dir=$1; shift
  mkdir -p "$dir"
  local want=()
  for p in "$@"; do compgen -G "$dir/${p}_*.deb" >/dev/null || want+=("$p"); done
  [ ${#want[@]} -eq 0 ] && return 0
  if ! (cd "$dir" && apt-get download -q "${want[@]}" >/dev/null 2>"$root/$DEPS/apt.err"); then
    echo "gpu-deps: apt-get download failed, updating the package lists once" >&2
    apt-get update -q >/dev/null
    (cd "$dir" && apt-get download -q "${want[@]}" >/dev/null)
  fi
}

mkdir -p "$DEPS"
rm -rf "$DEPS/root" "$DEPS/cmake-root" "$DEPS/missing-libs" # what a gpu-check.sh run here unpacked: not carried
download "$DEPS/debs/libs" "${libs[@]}"
download "$DEPS/debs/tools" "${tools[@]}"

# Boost.Math: libboost1.74-dev is 9.5 MB of .deb, of which the core includes 4 MB of headers (one Student's t
# distribution). Carry those (found by the preprocessor, with all of boost/config for other compilers) and
# Boost's CMake package files, as one tarball laid out from /.
if [ ! -s "$DEPS/boost-math-headers.tar.xz" ]; then
  tmp=$(mktemp -d)
  (cd "$tmp" && apt-get download -q libboost1.74-dev >/dev/null && dpkg -x libboost1.74-dev_*.deb x)
  inc=$tmp/x/usr/include
  for cxx in g++ clang++; do
    command -v "$cxx" >/dev/null || continue
    echo '#include <boost/math/distributions/students_t.hpp>' |
      "$cxx" -std=c++17 -I"$inc" -M -x c++ - 2>/dev/null | tr ' \\' '\n\n' | grep "^$inc/boost/" || true
  done | sed "s#^$tmp/x/##" | sort -u >"$tmp/files"
  (cd "$tmp/x" && find usr/include/boost/config -type f && find usr/lib/x86_64-linux-gnu/cmake \
     \( -path '*/Boost-1.74.0/*' -o -path '*/boost_headers-1.74.0/*' -o -name 'BoostDetectToolset-*' \) -type f) \
    >>"$tmp/files"
  [ "$(wc -l <"$tmp/files")" -gt 100 ] || { echo "gpu-deps: could not list Boost.Math's headers" >&2; exit 1; }
  sort -u "$tmp/files" | tar -C "$tmp/x" -cJf "$DEPS/boost-math-headers.tar.xz" -T -
  rm -rf "$tmp"
fi

# The golden steps and Fashion-MNIST (both git-ignored).
if [ ! -d golden-cache ] && [ -d ../shared/golden ]; then cp -r ../shared/golden golden-cache; chmod -R u+w golden-cache; fi
fashion_src=/usr/share/datasets/fashion-mnist

size_of() { { du -scb "$@" 2>/dev/null || true; } | tail -1 | cut -f1; }
tree=$( (git ls-files -z; git ls-files -z -o --exclude-standard) | xargs -0 -r du -cb 2>/dev/null | awk '/\ttotal$/ {s += $1} END {print s + 0}')
total=$((tree + $(size_of "$DEPS" golden-cache data-cache)))

# CMake (20 MB with what it loads) or Fashion-MNIST (31 MB): whichever fits, Fashion-MNIST first unless
# GPU_DEPS_CMAKE=1 (the GPU image has CMake, docs/gpu-server.md).
cmake_size=30000000
fashion_size=$(size_of "$fashion_src")
want_fashion() { [ -d "$fashion_src" ] && [ ! -d data-cache/fashion-mnist ] && [ $((total + fashion_size)) -le "$BUDGET" ]; }
if [ "${GPU_DEPS_CMAKE:-0}" = 1 ]; then
  rm -rf data-cache/fashion-mnist
  total=$((tree + $(size_of "$DEPS" golden-cache data-cache)))
  download "$DEPS/debs/cmake" "${cmake_pkgs[@]}"
  total=$((tree + $(size_of "$DEPS" golden-cache data-cache)))
  if want_fashion; then mkdir -p data-cache && cp -r "$fashion_src" data-cache/; fi
else
  rm -rf "$DEPS/debs/cmake" # from an earlier GPU_DEPS_CMAKE=1
  total=$((tree + $(size_of "$DEPS" golden-cache data-cache)))
  if want_fashion; then mkdir -p data-cache && cp -r "$fashion_src" data-cache/; fi
  total=$((tree + $(size_of "$DEPS" golden-cache data-cache)))
  if [ ! -d "$DEPS/debs/cmake" ] && [ $((total + cmake_size)) -le "$BUDGET" ]; then
    download "$DEPS/debs/cmake" "${cmake_pkgs[@]}"
  fi
fi
rm -f "$DEPS/apt.err"
total=$((tree + $(size_of "$DEPS" golden-cache data-cache)))

mib() { awk -v b="$1" 'BEGIN {printf "%.1f MiB", b / 1048576}'; }
echo "gpu-deps: carried for packaging/gpu-check.sh (device tool: carry [\".gpu-deps\", \"golden-cache\", \"data-cache\"])"
for part in "$DEPS/debs/libs" "$DEPS/debs/tools" "$DEPS/debs/cmake" "$DEPS/boost-math-headers.tar.xz" golden-cache data-cache/fashion-mnist; do
  if [ -e "$part" ]; then printf '  %-36s %s\n' "$part" "$(mib "$(size_of "$part")")"
  else printf '  %-36s %s\n' "$part" "not carried"; fi
done
printf '  %-36s %s\n' "the tree (tracked + untracked)" "$(mib "$tree")"
printf '  %-36s %s of %s\n' "total that travels" "$(mib "$total")" "$(mib $((64 * 1024 * 1024)))"
[ -d "$DEPS/debs/cmake" ] || echo "  CMake not carried (no room beside Fashion-MNIST): GPU_DEPS_CMAKE=1 carries it instead"
[ "$total" -le $((64 * 1024 * 1024)) ] || { echo "gpu-deps: over the 64 MiB the device tool takes" >&2; exit 1; }
