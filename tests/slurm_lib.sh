# A throwaway single-node Slurm cluster (munged, slurmctld, slurmd) in a temporary
# folder on loopback, for the end-to-end tests. Source it after defining
# skip() { echo "SKIPPED: $*"; exit 77; }, then:
#   slurm_start DIR   (DIR: an empty folder the test owns; exports SLURM_CONF)
#   trap slurm_stop EXIT
# Needs root (slurmd starts jobs as the submitting user) and the Debian packages
# slurm-wlm and munge. Nothing outside DIR is used: no system munged, no /etc/slurm.

_slurm_dir=""
_slurm_node=node1

# The daemons live in /usr/sbin, which a test's PATH may lack.
_slurm_bin() { PATH="$PATH:/usr/sbin:/sbin" command -v "$1"; }

# Alive and not a zombie: orphans are reaped late by some container inits.
_slurm_alive() {
  local s
  s="$(cut -d' ' -f3 "/proc/$1/stat" 2>/dev/null)" && [ -n "$s" ] && [ "$s" != Z ]
}

# The pid in pid file $1 if that process still runs with $2 on its command line
# (so a recycled pid is never killed).
_slurm_pid() {
  local p
  p="$(cat "$1" 2>/dev/null)" && [ -n "$p" ] && _slurm_alive "$p" &&
    tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null | grep -qF -- "$2" && echo "$p"
}

# This cluster's slurmstepds: they log to its slurmd.log.
_slurm_stepds() {
  local p f
  for p in $(pgrep -x slurmstepd); do
    for f in /proc/"$p"/fd/*; do
      [ "$(readlink "$f" 2>/dev/null)" = "$_slurm_dir/slurmd.log" ] && { echo "$p"; break; }
    done
  done
}

# The processes of this cluster's jobs: its slurmstepds, everything below them, and
# what a job left behind (an environment naming this slurm.conf and a job id).
_slurm_steps() {
  local p f all n=0
  all=" $(echo $(_slurm_stepds)) "
  for f in $(grep -lzxF "SLURM_CONF=$_slurm_dir/slurm.conf" /proc/[0-9]*/environ 2>/dev/null); do
    p="${f#/proc/}"; p="${p%/environ}"
    [ "$p" != $$ ] && [ "$p" != "$BASHPID" ] && grep -qz '^SLURM_JOB_ID=' "$f" 2>/dev/null && all+="$p "
  done
  while [ "$n" -lt "${#all}" ]; do  # add children until none is new
    n=${#all}
    for p in $(ps -e -o pid=,ppid= | awk -v a="$all" 'index(a, " " $2 " ") && !index(a, " " $1 " ") {print $1}'); do
      all+="$p "
    done
  done
  echo $all
}

# Two adjacent free high ports (nothing accepts a connection on them).
_slurm_ports() {
  local p
  for _ in $(seq 1 100); do
    p=$((20000 + RANDOM % 40000))
    (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null && continue
    (exec 3<>"/dev/tcp/127.0.0.1/$((p + 1))") 2>/dev/null && continue
    echo "$p $((p + 1))"
    return 0
  done
  return 1
}

# SIGTERM, and SIGKILL what is still there after 5 s.
_slurm_end() {
  [ $# -gt 0 ] || return 0
  kill "$@" 2>/dev/null
  local i p
  for i in $(seq 1 70); do
    for p in "$@"; do _slurm_alive "$p" && break; done
    _slurm_alive "$p" || return 0
    [ "$i" -eq 50 ] && kill -9 "$@" 2>/dev/null
    sleep 0.1
  done
}

# Whether daemon $1 has died: logged a fatal error, or its pid is gone, or it has
# written no pid file by time $2 (in SECONDS).
_slurm_dead() {
  grep -q 'fatal:' "$_slurm_dir/$1.log" 2>/dev/null && return 0
  [ -s "$_slurm_dir/$1.pid" ] || { [ "$SECONDS" -ge "$2" ]; return; }
  ! _slurm_pid "$_slurm_dir/$1.pid" "$_slurm_dir/slurm.conf" >/dev/null
}

_slurm_fail() { local m="$1"; slurm_stop; skip "$m"; }

# The last non-blank line of the files given: a daemon's log, then its stderr.
_slurm_last() { cat "$@" 2>/dev/null | grep -v '^[[:space:]]*$' | tail -n 1; }

slurm_start() {
  local d="$1" b ports end state
  for b in munged mungekey slurmctld slurmd sbatch squeue scontrol scancel sinfo; do
    _slurm_bin "$b" >/dev/null || skip "no Slurm (Debian packages slurm-wlm and munge): $b missing"
  done
  [ "$(id -u)" -eq 0 ] || skip "not root: slurmd has to run as root to start jobs"
  d="$(cd "$d" && pwd)" || skip "no folder $1"
  _slurm_dir="$d"
  mkdir -p "$d/state" "$d/spool"

  "$(_slurm_bin mungekey)" -c -k "$d/munge.key" >"$d/mungekey.log" 2>&1 ||
    _slurm_fail "mungekey failed: $(_slurm_last "$d/mungekey.log")"
  # -f: munged runs as root here and DIR's parents may be loosely permissioned.
  "$(_slurm_bin munged)" -f --socket="$d/munge.socket" --key-file="$d/munge.key" \
    --pid-file="$d/munged.pid" --log-file="$d/munged.log" --seed-file="$d/munged.seed" \
    >"$d/munged.err" 2>&1 ||
    _slurm_fail "munged did not start: $(_slurm_last "$d/munged.log" "$d/munged.err")"

  ports="$(_slurm_ports)" || _slurm_fail "no free port pair on 127.0.0.1"
  # SlurmctldHost=localhost passes slurmctld's "am I the controller" check whatever
  # the hostname; slurmd -N names the node, so the hostname needs not resolve.
  cat >"$d/slurm.conf" <<EOF
ClusterName=test
SlurmctldHost=localhost(127.0.0.1)
SlurmctldPort=${ports% *}
SlurmdPort=${ports#* }
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
# cred_expire: a requeued job waits that long (default 120 s) before it runs again;
# it is also how long a job launch may take, so not lower than 10 s on a busy machine.
AuthInfo=socket=$d/munge.socket,cred_expire=10
StateSaveLocation=$d/state
SlurmdSpoolDir=$d/spool
SlurmctldPidFile=$d/slurmctld.pid
SlurmdPidFile=$d/slurmd.pid
SlurmctldLogFile=$d/slurmctld.log
SlurmdLogFile=$d/slurmd.log
PlugStackConfig=$d/plugstack.conf
MailProg=/bin/true
MpiDefault=none
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/builtin
# The full scheduling pass (which starts requeued jobs) every 2 s, not 60.
SchedulerParameters=sched_interval=2
MaxArraySize=100001
MaxJobCount=200000
# Finished jobs stay in "scontrol show job" for an hour.
MinJobAge=3600
ReturnToService=2
# scancel's SIGKILL follows SIGTERM after 2 s, not 30.
KillWait=2
# Batch jobs (array tasks) may be requeued, even once cancelled.
JobRequeue=1
SlurmctldTimeout=30
SlurmdTimeout=60
NodeName=$_slurm_node NodeAddr=127.0.0.1 CPUs=$(nproc) RealMemory=1000 State=UNKNOWN
PartitionName=test Nodes=$_slurm_node Default=YES MaxTime=INFINITE State=UP
EOF
  : >"$d/plugstack.conf"  # not the system's /etc/slurm/plugstack.conf.d
  export SLURM_CONF="$d/slurm.conf"

  "$(_slurm_bin slurmctld)" -f "$d/slurm.conf" >"$d/slurmctld.err" 2>&1 ||
    _slurm_fail "slurmctld did not start: $(_slurm_last "$d/slurmctld.log" "$d/slurmctld.err")"
  "$(_slurm_bin slurmd)" -f "$d/slurm.conf" -N "$_slurm_node" >"$d/slurmd.err" 2>&1 ||
    _slurm_fail "slurmd did not start: $(_slurm_last "$d/slurmd.log" "$d/slurmd.err")"
  # Dead daemons are caught first: sinfo retries a dead slurmctld for seconds.
  end=$((SECONDS + 30))
  while [ "$SECONDS" -lt "$end" ]; do
    for b in slurmctld slurmd; do
      _slurm_dead "$b" $((end - 20)) && _slurm_fail "$b did not start: $(_slurm_last "$d/$b.log" "$d/$b.err")"
    done
    state="$(timeout 5 sinfo -h -n "$_slurm_node" -o %T 2>/dev/null)"
    [ "$state" = idle ] && return 0
    sleep 0.5
  done
  _slurm_fail "node not idle after 30 s (state '${state:-?}'): $(_slurm_last "$d/slurmctld.log") / $(_slurm_last "$d/slurmd.log")"
}

slurm_stop() {
  [ -n "$_slurm_dir" ] || return 0
  local d="$_slurm_dir"
  # Cancelled jobs are ended by their slurmstepd, which needs slurmd: wait for that
  # before stopping the daemons, so that no step or job process is left orphaned.
  if _slurm_pid "$d/slurmctld.pid" "$d/slurm.conf" >/dev/null; then
    scancel -p test >/dev/null 2>&1
    for _ in $(seq 1 20); do
      [ -z "$(_slurm_stepds)" ] && break
      sleep 0.5
    done
  fi
  _slurm_end $(_slurm_pid "$d/slurmd.pid" "$d/slurm.conf") $(_slurm_pid "$d/slurmctld.pid" "$d/slurm.conf")
  _slurm_end $(_slurm_steps)
  _slurm_end $(_slurm_pid "$d/munged.pid" "$d/munge.socket")  # last: the others need it
  _slurm_dir=""
  return 0
}

# slurm_wait_job JOBID [TIMEOUT=60]: 0 once every record of the job (each task of an
# array) is in a final state; 1 on timeout, 2 at once for a job the cluster never had.
slurm_wait_job() {
  local id="$1" timeout="${2:-60}" end states
  end=$((SECONDS + timeout))
  while [ "$SECONDS" -lt "$end" ]; do
    states="$(scontrol show job -o "$id" 2>&1)"
    grep -q 'Invalid job id' <<<"$states" && return 2
    states="$(grep -o 'JobState=[^ ]*' <<<"$states")"
    [ -n "$states" ] &&
      ! grep -qvxE 'JobState=(COMPLETED|FAILED|CANCELLED|TIMEOUT|NODE_FAIL|PREEMPTED|OUT_OF_MEMORY|BOOT_FAIL|DEADLINE)' <<<"$states" &&
      return 0
    sleep 0.5
  done
  return 1
}

# The JobState of a job or array task (12_3); an array job id gives one line per
# record (tasks still pending together share one record).
slurm_job_state() {
  scontrol show job -o "$1" 2>/dev/null | grep -o 'JobState=[^ ]*' | cut -d= -f2
}
