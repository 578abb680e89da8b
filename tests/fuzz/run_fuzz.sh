#!/bin/sh
# run_fuzz.sh <fuzz target> <seed folder> <work folder>: runs a libFuzzer target for
# $BURSTPROP_FUZZ_SECONDS seconds (10 unless set) from the seeds and the corpus it grew before
# (<work>/corpus), and fails when it finds a crash, a sanitizer report, an exception other than bp::Error,
# an input slower than 10 s or an allocation over 512 MB; the input is kept as <work>/crash-* (rerun:
# <target> <work>/crash-...). CTest runs it (label fuzz).
set -eu
target=$1 seeds=$2 work=$3
mkdir -p "$work/corpus"
exec "$target" -max_total_time="${BURSTPROP_FUZZ_SECONDS:-10}" -timeout=10 -rss_limit_mb=2048 \
  -malloc_limit_mb=512 -print_final_stats=1 -artifact_prefix="$work/" "$work/corpus" "$seeds"
