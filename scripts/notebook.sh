#!/usr/bin/env bash
# Starts Jupyter on notebooks/ with the project's Java kernel, for this user only: it listens on
# 127.0.0.1 alone and answers only requests that carry its token (printed once, in the URL). From
# another machine, reach it through an SSH tunnel (ssh -L 8888:127.0.0.1:8888 this-host), never by
# binding another address. Nothing here needs root; only a notebook cell that loads the scheduler
# on the host does (the guest backend does not).
#   scripts/notebook.sh [port]     port 8888 by default; GAMERLAB_NOTEBOOK_TOKEN fixes the token
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
source "$here/scripts/env.sh"
export JUPYTER_PATH="$here/build/jupyter"
[ -f "$JUPYTER_PATH/kernels/gamerlab-java/kernel.json" ] \
  || { echo "[notebook] no Java kernel spec in $JUPYTER_PATH: run scripts/setup.sh (./gamerlab notebook does)" >&2; exit 1; }
port=${1:-8888}
# Through the environment, not the command line, where any user could read it (ps).
JUPYTER_TOKEN=${GAMERLAB_NOTEBOOK_TOKEN:-$(python3 -c 'import secrets; print(secrets.token_hex(24))')}
export JUPYTER_TOKEN
root_flag=()
[ "$(id -u)" != 0 ] || root_flag=(--allow-root)
echo "[notebook] open http://127.0.0.1:$port/?token=$JUPYTER_TOKEN (listening on 127.0.0.1 only; Ctrl-C stops it)" >&2
exec jupyter notebook --no-browser --ip=127.0.0.1 --port="$port" --port-retries=0 \
  --notebook-dir="$here/notebooks" --MultiKernelManager.default_kernel_name=gamerlab-java "${root_flag[@]}"
