#!/usr/bin/env bash
# Executes notebooks headless on the gamerlab Java kernel; fails if any cell fails (a verdict the
# library cannot compute throws, so its cell fails too).
#   scripts/run-notebooks.sh [--in-place] [NAME...]
# NAME: notebooks/NAME.ipynb (default: every notebook). Executed copies go to build/notebooks/, so
# the committed notebooks stay as they are; --in-place writes the outputs into notebooks/ instead
# (how the committed notebooks get their outputs: run it, look, commit).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
source "$here/scripts/env.sh"
export JUPYTER_PATH="$here/build/jupyter"
out="$here/build/notebooks"
in_place=false
if [ "${1:-}" = --in-place ]; then in_place=true; shift; fi
mkdir -p "$out"
notebooks=()
if [ $# -eq 0 ]; then
  notebooks=("$here"/notebooks/*.ipynb)
else
  for name in "$@"; do
    nb="$here/notebooks/${name%.ipynb}.ipynb"
    [ -f "$nb" ] || { echo "[notebooks] no notebook $nb; the notebooks are: $(cd "$here/notebooks" && ls *.ipynb | tr '\n' ' ')" >&2; exit 64; }
    notebooks+=("$nb")
  done
fi

# The Java kernel sometimes goes silent before its first reply: it binds its sockets, then never
# answers kernel_info (seen about one start in four in a row of quick runs, busy machine or not; a
# healthy start answers within 2 s). Only that is retried, after 45 s, up to 5 times: a failing cell
# fails at once.
execute() {
  local nb=$1 log="$out/$(basename "$1" .ipynb).log" attempt dir
  dir=$out
  ! $in_place || dir=$(dirname "$nb")
  for attempt in 1 2 3 4 5; do
    if jupyter nbconvert --to notebook --execute --ExecutePreprocessor.kernel_name=gamerlab-java \
        --ExecutePreprocessor.timeout=900 --ExecutePreprocessor.startup_timeout=45 \
        --output-dir "$dir" "$nb" > "$log" 2>&1; then
      return 0
    fi
    grep -qE "Kernel died before replying to kernel_info|Kernel didn't respond in" "$log" || break
    echo "[notebooks] $(basename "$nb"): the kernel did not start (attempt $attempt); retrying" >&2
  done
  grep -v '^Add ' "$log" | tail -60 >&2
  return 1
}

status=0
for nb in "${notebooks[@]}"; do
  echo "[notebooks] executing $(basename "$nb")"
  start=$SECONDS
  if execute "$nb"; then
    echo "[notebooks] $(basename "$nb"): all cells ran ($((SECONDS - start)) s)"
  else
    echo "[notebooks] $(basename "$nb"): FAILED (log: build/notebooks/$(basename "$nb" .ipynb).log)" >&2
    status=1
  fi
done
exit $status
