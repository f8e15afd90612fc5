#!/usr/bin/env bash
# Starts a real one-node Slurm cluster on localhost (munged + slurmctld + slurmd), for tests.
# No systemd, no cgroups, no accounting database. Idempotent: returns at once if it is up.
#
#   SLURM_LOCAL_DIR   state folder (default /tmp/vbfgrid-slurm); clients need
#                     `. $SLURM_LOCAL_DIR/env.sh` (it exports SLURM_CONF)
#   SLURM_LOCAL_MINJOBAGE, SLURM_LOCAL_CRED_EXPIRE, SLURM_LOCAL_EXTRA_CONF  optional knobs
set -euo pipefail
D=${SLURM_LOCAL_DIR:-/tmp/vbfgrid-slurm}
exec 9>"$D.lock"
flock 9

alive() {   # alive NAME PIDFILE: the PID file names a running (not zombie) process called NAME
    local pid
    [ -f "$2" ] || return 1
    pid=$(cat "$2" 2>/dev/null) || return 1
    [ -r "/proc/$pid/status" ] || return 1
    grep -q "^State:.*[RSD]" "/proc/$pid/status" || return 1
    grep -q "$1" "/proc/$pid/cmdline" 2>/dev/null
}

if [ -f "$D/env.sh" ] && alive munged "$D/run/munged.pid" && alive slurmctld "$D/run/slurmctld.pid" \
   && alive slurmd "$D/run/slurmd.pid"; then
    . "$D/env.sh"
    if sinfo -h -n localhost -o %T 2>/dev/null | grep -qE 'idle|mixed|alloc|completing'; then
        echo "slurm-local: already up ($D)"
        exit 0
    fi
fi

# Half-up or stale: clear it first.
"$(dirname "$0")/down.sh" >/dev/null 2>&1 || true

for tool in munged mungekey slurmctld slurmd sinfo; do
    command -v "$tool" >/dev/null || { echo "slurm-local: $tool missing (apt-get install slurm-wlm munge)" >&2; exit 1; }
done
mkdir -p "$D"/{munge,run,log,etc,spool/ctld,spool/d,work}
chmod 700 "$D/munge"
chmod 1777 "$D/work"
touch "$D/.slurm-local"

mungekey --create --keyfile="$D/munge/munge.key" --bits=1024 --force >/dev/null 2>&1
chmod 400 "$D/munge/munge.key"
munge_args=(--socket="$D/munge/munge.socket" --key-file="$D/munge/munge.key" --pid-file="$D/run/munged.pid"
            --log-file="$D/log/munged.log" --seed-file="$D/munge/munged.seed")
munged "${munge_args[@]}" 9>&- 2>/dev/null || munged --force "${munge_args[@]}" 9>&-

node=$(slurmd -C | head -1 | sed 's/^NodeName=[^ ]*//')
cat > "$D/etc/slurm.conf" <<CONF
ClusterName=vbfgridlocal
SlurmctldHost=localhost
SlurmctldPort=${SLURM_LOCAL_CTLD_PORT:-6817}
SlurmdPort=${SLURM_LOCAL_SLURMD_PORT:-6818}
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$D/munge/munge.socket,cred_expire=${SLURM_LOCAL_CRED_EXPIRE:-10}
SlurmUser=root
SlurmdUser=root
StateSaveLocation=$D/spool/ctld
SlurmdSpoolDir=$D/spool/d
SlurmctldPidFile=$D/run/slurmctld.pid
SlurmdPidFile=$D/run/slurmd.pid
SlurmctldLogFile=$D/log/slurmctld.log
SlurmdLogFile=$D/log/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
MailProg=/bin/true
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
DefMemPerCPU=256
SchedulerType=sched/backfill
SchedulerParameters=batch_sched_delay=0,sched_interval=5,bf_interval=5
MpiDefault=pmix
ReturnToService=2
KillWait=5
MinJobAge=${SLURM_LOCAL_MINJOBAGE:-300}
PreemptType=preempt/partition_prio
PreemptMode=REQUEUE
JobAcctGatherType=jobacct_gather/linux
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/filetxt
JobCompLoc=$D/log/jobcomp.txt
NodeName=localhost NodeAddr=127.0.0.1 $node State=UNKNOWN
PartitionName=debug Nodes=localhost Default=YES MaxTime=INFINITE State=UP PriorityTier=1
PartitionName=high  Nodes=localhost Default=NO  MaxTime=INFINITE State=UP PriorityTier=10
${SLURM_LOCAL_EXTRA_CONF:-}
CONF
echo "export SLURM_CONF=$D/etc/slurm.conf" > "$D/env.sh"
export SLURM_CONF="$D/etc/slurm.conf"

slurmctld -c -f "$SLURM_CONF" 9>&-
slurmd -N localhost -f "$SLURM_CONF" 9>&-

for _ in $(seq 1 600); do
    if sinfo -h -n localhost -o %T 2>/dev/null | grep -q idle; then
        echo "slurm-local: up ($D); clients: . $D/env.sh"
        exit 0
    fi
    sleep 0.1
done
echo "slurm-local: the node did not become idle; logs in $D/log" >&2
exit 1
