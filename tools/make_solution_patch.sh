#!/usr/bin/env bash
# Write a solution patch for a stage from an edited copy of it:
#   tools/make_solution_patch.sh stages/v1-ctypes /tmp/edited > stages/v1-ctypes/solutions/NN-name.patch
# Only src/, python/, include/ (stage 2's generated header) and the Rust tests (tests/*.rs) are
# compared: that is where the exercises are solved.
set -euo pipefail
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/a" "$work/b"
for dir in src python include; do
  if [ -d "$1/$dir" ] || [ -d "$2/$dir" ]; then
    cp -r "$1/$dir" "$work/a/"
    cp -r "$2/$dir" "$work/b/"
  fi
done
# The Rust tests sit in tests/ beside the pytest suites: only the .rs files are taken.
for side in a b; do
  if [ "$side" = a ]; then source=$1; else source=$2; fi
  if compgen -G "$source/tests/*.rs" > /dev/null; then
    mkdir -p "$work/$side/tests"
    cp "$source"/tests/*.rs "$work/$side/tests/"
  fi
done
find "$work" -name __pycache__ -prune -exec rm -rf {} +
cd "$work"
# diff exits 1 when the trees differ, which is the point; timestamps are noise in a patch.
diff -ruN a b | sed -E 's/^((---|\+\+\+) [^\t]+)\t.*/\1/' || true
