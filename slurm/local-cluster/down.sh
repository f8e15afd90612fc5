#!/usr/bin/env bash
# Stops the localhost Slurm cluster started by up.sh: cancels jobs, stops the daemons, kills
# leftover job steps, removes the state folder. A no-op when nothing is running.
set -uo pipefail
D=${SLURM_LOCAL_DIR:-/tmp/vbfgrid-slurm}
[ -d "$D" ] || exit 0
conf="$D/etc/slurm.conf"

if [ -f "$conf" ] && command -v scancel >/dev/null; then
    export SLURM_CONF=$conf
    timeout 10 scancel --full --quiet $(timeout 5 squeue -h -o %A 2>/dev/null | sort -u) 2>/dev/null || true
    for _ in $(seq 1 50); do
        [ -z "$(timeout 5 squeue -h -o %A 2>/dev/null)" ] && break
        sleep 0.2
    done
fi

stop() {   # stop PIDFILE...: SIGTERM all, wait up to 15 s, then SIGKILL
    local pids=() f pid
    for f in "$@"; do
        [ -f "$f" ] && pid=$(cat "$f" 2>/dev/null) && [ -n "$pid" ] && pids+=("$pid")
    done
    [ ${#pids[@]} -gt 0 ] || return 0
    kill -TERM "${pids[@]}" 2>/dev/null
    for _ in $(seq 1 150); do
        local left=0
        for pid in "${pids[@]}"; do
            grep -qs "^State:.*[RSD]" "/proc/$pid/status" && left=1
        done
        [ $left -eq 0 ] && return 0
        sleep 0.1
    done
    kill -KILL "${pids[@]}" 2>/dev/null
}
stop "$D/run/slurmd.pid" "$D/run/slurmctld.pid" "$D/run/munged.pid"

# Job steps outlive slurmd without cgroups: find our slurmstepd processes (they inherit
# slurmd's SLURM_CONF) and end them with their job processes.
for pid in $(pgrep -x slurmstepd); do
    if { tr '\0' '\n' < "/proc/$pid/environ"; } 2>/dev/null | grep -qx "SLURM_CONF=$conf"; then
        pkill -KILL -P "$pid" 2>/dev/null
        kill -KILL "$pid" 2>/dev/null
    fi
done

[ -f "$D/.slurm-local" ] && rm -rf "$D"
exit 0
