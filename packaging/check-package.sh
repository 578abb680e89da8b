#!/usr/bin/env bash
# Builds the Debian package from a configured build folder and checks it as an installation would meet it:
# unpacked into a temporary root, the menu entry and the AppStream metainfo validated (offline), the
# package's dependencies present, both programs started from the root (the explorer offscreen, from the
# Exec line of its menu entry). Usage: packaging/check-package.sh [build folder, default build]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
(cd "$build" && cpack -G DEB >/dev/null)
deb=$(ls -t "$build"/burstprop-explorer_*.deb | head -n 1)
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
dpkg-deb -x "$deb" "$root"
echo "package: $(basename "$deb") — depends: $(dpkg-deb -f "$deb" Depends)"
for f in usr/bin/burstprop-train usr/bin/burstprop-explorer usr/share/applications/burstprop-explorer.desktop \
         usr/share/icons/hicolor/scalable/apps/burstprop-explorer.svg \
         usr/share/metainfo/io.github.burstprop.explorer.metainfo.xml; do
  [ -e "$root/$f" ] || { echo "check-package: $f is missing from the package" >&2; exit 1; }
done
desktop-file-validate "$root/usr/share/applications/burstprop-explorer.desktop"
appstreamcli validate --no-net "$root/usr/share/metainfo/io.github.burstprop.explorer.metainfo.xml"
# Every dependency the package names is installed here (the package installs on this system).
dpkg-deb -f "$deb" Depends | tr ',' '\n' | sed 's/^ *//' | while read -r alternatives; do
  ok=no
  IFS='|' read -ra choices <<< "$alternatives"
  for choice in "${choices[@]}"; do
    name=$(echo "$choice" | awk '{print $1}')
    dpkg-query -W -f='${Status}' "$name" 2>/dev/null | grep -q "install ok installed" && ok=yes
  done
  [ "$ok" = yes ] || { echo "check-package: dependency '$alternatives' is not installed" >&2; exit 1; }
done
"$root/usr/bin/burstprop-train" --help >/dev/null
exec_line=$(sed -n 's/^Exec=//p' "$root/usr/share/applications/burstprop-explorer.desktop")
db=$(mktemp -u --suffix=.sqlite)
set +e
PATH="$root/usr/bin:$PATH" QT_QPA_PLATFORM=offscreen XDG_CONFIG_HOME="$root/config" timeout 8 $exec_line --db "$db"
status=$?
set -e
rm -f "$db" "$db"-*
# 124: still running when the timeout ended it, i.e. it started and kept its event loop.
[ "$status" -eq 124 ] || { echo "check-package: the explorer exited with status $status at start" >&2; exit 1; }
echo "check-package: the package installs, validates and starts"
