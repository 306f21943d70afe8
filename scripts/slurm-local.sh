#!/usr/bin/env bash
# A one-node Slurm cluster on this machine, from Debian's packages, for the tests and for trying a
# submission before a real cluster:
#   scripts/slurm-local.sh up       install slurmctld, slurmd, slurm-client and munge if missing; start the daemons
#   scripts/slurm-local.sh down     cancel its jobs, stop the daemons (none is left running)
#   scripts/slurm-local.sh status   whether it is up, and sinfo
#   scripts/slurm-local.sh env      the line that points Slurm's client commands at it (eval it)
# Nothing in /etc is read or changed: the munge key, slurm.conf, state, spool and logs live under the
# checkout's build/slurm; the munge socket and pid files in /run/gamerlab-slurm-<hash of that path>
# (munged wants its socket's directories searchable by everyone, which a checkout under /root is not).
# The daemons run directly, never as system services, and listen on 127.0.0.1 only, on free ports.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
dir="$here/build/slurm"
run="/run/gamerlab-slurm-$(printf '%s' "$dir" | sha256sum | cut -c1-12)"
conf="$dir/slurm.conf"
key_dir="$dir/munge"              # 0700: key, seed and munged's log
socket="$run/munge.socket"
packages=(slurmctld slurmd slurm-client munge)

log() { printf '[slurm-local] %s\n' "$*" >&2; }
die() { printf '[slurm-local] ERROR: %s\n' "$*" >&2; exit 1; }
usage() { sed -n '4,7p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }

# pid from FILE if that process is alive and is COMMAND
alive() {
  local pid; pid=$(cat "$1" 2>/dev/null) || return 1
  [ -n "$pid" ] && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$2" ] && echo "$pid"
}
slurmctld_pid() { alive "$run/slurmctld.pid" slurmctld; }
slurmd_pid() { alive "$run/slurmd.pid" slurmd; }
munged_pid() { alive "$run/munged.pid" munged; }

# waits up to $1 seconds for command $2... to succeed
wait_for() {
  local seconds=$1; shift
  for ((i = 0; i < seconds * 5; i++)); do "$@" >/dev/null 2>&1 && return 0; sleep 0.2; done
  return 1
}

install_packages() {
  local missing=() p
  for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  command -v apt-get >/dev/null || die "missing ${missing[*]} and no apt-get: install Slurm (slurmctld, slurmd, client commands) and MUNGE yourself."
  log "installing ${missing[*]}"
  apt-get update -qq
  # On a machine run by systemd the packages enable their services; slurmctld's and slurmd's start
  # only with an /etc/slurm/slurm.conf, which we never write, and a system munged uses its own socket.
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# a TCP port on 127.0.0.1 that nothing listens on, from $1 upwards, other than $2
free_port() {
  local port=$1
  while [ "$port" = "${2:-}" ] || (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
  echo "$port"
}

# Node features a constraint can ask for: what this node can run our scheduler on.
features() {
  local f=()
  [ -d /sys/kernel/sched_ext ] && f+=(sched_ext)
  [ -r /dev/kvm ] && [ -w /dev/kvm ] && f+=(kvm)
  local IFS=,; echo "${f[*]}"
}

write_conf() {
  local node host ctld_port slurmd_port feat
  node=$(slurmd -C | head -n1)                     # this machine's real CPUs, sockets, cores, memory
  host=$(hostname -s)
  [[ $node == "NodeName=$host "* ]] || die "slurmd -C describes '$node', not this host '$host'."
  ctld_port=$(free_port 16817)
  slurmd_port=$(free_port $((ctld_port + 1)) "$ctld_port")
  feat=$(features)
  cat > "$conf.tmp" <<CONF
# Written by scripts/slurm-local.sh: a one-node cluster on 127.0.0.1. Regenerated on every 'up'.
ClusterName=gamerlab
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
CommunicationParameters=NoCtldInAddrAny,NoInAddrAny
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$socket
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$run/slurmctld.pid
SlurmdPidFile=$run/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
PlugStackConfig=/dev/null
ProctrackType=proctrack/pgid
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
$node NodeAddr=127.0.0.1${feat:+ Features=$feat} State=UNKNOWN
PartitionName=local Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
  mv "$conf.tmp" "$conf"
}

export SLURM_CONF="$conf"

up() {
  [ "$(id -u)" = 0 ] || die "the local cluster runs its daemons as root; run as root."
  if slurmctld_pid >/dev/null && slurmd_pid >/dev/null && munged_pid >/dev/null; then log "already up ($conf)"; return 0; fi
  down_quietly
  install_packages
  mkdir -p "$dir/state" "$dir/spool" "$dir/log" "$run"
  chmod 755 "$run"
  mkdir -p -m 700 "$key_dir"
  [ -s "$key_dir/munge.key" ] || mungekey --create --keyfile="$key_dir/munge.key"
  munged --key-file="$key_dir/munge.key" --socket="$socket" --pid-file="$run/munged.pid" \
    --log-file="$key_dir/munged.log" --seed-file="$key_dir/munged.seed" \
    || die "munged did not start: $(tail -n3 "$key_dir/munged.log" 2>/dev/null)"
  wait_for 20 munge -n -S "$socket" || die "munged does not answer on $socket"
  write_conf
  slurmctld -f "$conf" || die "slurmctld did not start: $(tail -n5 "$dir/log/slurmctld.log")"
  wait_for 60 scontrol ping || die "slurmctld does not answer: $(tail -n5 "$dir/log/slurmctld.log")"
  slurmd -f "$conf" || die "slurmd did not start: $(tail -n5 "$dir/log/slurmd.log")"
  node_ready() { sinfo -h -N -o '%t' | grep -qE '^(idle|mix|alloc)'; }
  wait_for 60 node_ready || die "the node did not come up: $(sinfo -N 2>&1); $(tail -n5 "$dir/log/slurmd.log")"
  log "up: $(sinfo -h -N -o '%N %c CPUs %m MB features=%f'); export SLURM_CONF=$conf"
}

# stops whatever of ours runs; jobs first, so that no job step outlives its slurmd
down_quietly() {
  if slurmctld_pid >/dev/null; then
    local jobs; jobs=$(squeue -h -o '%A' 2>/dev/null | sort -u || true)
    if [ -n "$jobs" ]; then
      # shellcheck disable=SC2086
      scancel $jobs 2>/dev/null || true
      wait_for 60 bash -c '[ -z "$(squeue -h 2>/dev/null)" ]' || log "jobs still listed after scancel: $(squeue -h 2>&1 | head -n5)"
    fi
    scontrol shutdown >/dev/null 2>&1 || true
  fi
  local name pid
  for name in slurmd slurmctld; do
    pid=$("${name}_pid") || continue
    wait_for 30 bash -c "! kill -0 $pid" || { kill -TERM "$pid" 2>/dev/null || true; wait_for 10 bash -c "! kill -0 $pid" || kill -KILL "$pid" 2>/dev/null || true; }
  done
  if pid=$(munged_pid); then
    munged -s --socket="$socket" >/dev/null 2>&1 || kill -TERM "$pid" 2>/dev/null || true
    wait_for 10 bash -c "! kill -0 $pid" || kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -rf "$run"
}

down() {
  down_quietly
  local left=() name
  for name in slurmd slurmctld munged; do "${name}_pid" >/dev/null 2>&1 && left+=("$name"); done
  [ ${#left[@]} -eq 0 ] || die "still running: ${left[*]}"
  log "down"
}

status() {
  local name pid state=up
  for name in munged slurmctld slurmd; do
    if pid=$("${name}_pid"); then log "$name running (pid $pid)"; else log "$name not running"; state=down; fi
  done
  [ "$state" = up ] || { log "down"; return 3; }
  sinfo -N -o '%N %T %c %m %f'
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  status) status ;;
  env) echo "export SLURM_CONF=$conf" ;;
  *) usage ;;
esac
