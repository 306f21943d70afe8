#!/usr/bin/env bash
# Executes every notebook headless on the gamerlab Java kernel; fails if any cell fails.
# Executed copies go to build/notebooks/, so the committed notebooks stay as written.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
source "$here/scripts/env.sh"
export JUPYTER_PATH="$here/build/jupyter"
out="$here/build/notebooks"
mkdir -p "$out"

# The Java kernel sometimes goes silent before its first reply: it binds its sockets, then never
# answers kernel_info (seen about one start in four in a row of quick runs, busy machine or not; a
# healthy start answers within 2 s). Only that is retried, after 45 s, up to 5 times: a failing cell
# fails at once.
execute() {
  local nb=$1 log="$out/$(basename "$1" .ipynb).log" attempt
  for attempt in 1 2 3 4 5; do
    if jupyter nbconvert --to notebook --execute --ExecutePreprocessor.kernel_name=gamerlab-java \
        --ExecutePreprocessor.timeout=600 --ExecutePreprocessor.startup_timeout=45 \
        --output-dir "$out" "$nb" > "$log" 2>&1; then
      return 0
    fi
    grep -qE "Kernel died before replying to kernel_info|Kernel didn't respond in" "$log" || break
    echo "[notebooks] $(basename "$nb"): the kernel did not start (attempt $attempt); retrying" >&2
  done
  grep -v '^Add ' "$log" | tail -60 >&2
  return 1
}

status=0
for nb in "$here"/notebooks/*.ipynb; do
  echo "[notebooks] executing $(basename "$nb")"
  if execute "$nb"; then
    echo "[notebooks] $(basename "$nb"): all cells ran"
  else
    echo "[notebooks] $(basename "$nb"): FAILED (log: build/notebooks/$(basename "$nb" .ipynb).log)" >&2
    status=1
  fi
done
exit $status
