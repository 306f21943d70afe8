#!/usr/bin/env bash
# Executes every notebook headless on the gamerlab Java kernel; fails if any cell fails.
# Executed copies go to build/notebooks/, so the committed notebooks stay as written.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
source "$here/scripts/env.sh"
export JUPYTER_PATH="$here/build/jupyter"
out="$here/build/notebooks"
mkdir -p "$out"
status=0
for nb in "$here"/notebooks/*.ipynb; do
  echo "[notebooks] executing $(basename "$nb")"
  if jupyter nbconvert --to notebook --execute --ExecutePreprocessor.kernel_name=gamerlab-java \
      --ExecutePreprocessor.timeout=600 --output-dir "$out" "$nb"; then
    echo "[notebooks] $(basename "$nb"): all cells ran"
  else
    echo "[notebooks] $(basename "$nb"): FAILED" >&2
    status=1
  fi
done
exit $status
