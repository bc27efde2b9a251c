#!/usr/bin/env bash
# A sharded load on a real Slurm cluster into a real PostgreSQL, both started by this
# script in a temporary folder (tests/slurm_lib.sh, tests/pg_lib.sh): tools/slurm/submit
# runs an array job over a sharded folder of mixed inputs; one task is cancelled mid-run
# (after some of its batches committed) and requeued; the closing verify job must pass
# and the database must equal a single-process load of the same input exactly. Exit 77
# (ctest: skipped) with the reason where Slurm or PostgreSQL cannot start.
# Usage: slurm_test.sh FACTWIRE SOURCE_DIR
set -uo pipefail
factwire="$1"
source_dir="$2"
skip() { echo "SKIPPED: $*"; exit 77; }
tests="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
chmod 755 "$work"
source "$tests/test_lib.sh"
source "$tests/pg_lib.sh"
source "$tests/slurm_lib.sh"
mkdir -p "$work/pg" "$work/slurm"
trap 'slurm_stop; pg_stop; rm -rf "$work"' EXIT
# Two tasks are held at once below, each on a CPU of its own.
[ "$(nproc)" -ge 2 ] || skip "needs 2 CPUs, this machine has $(nproc)"
pg_start "$work/pg"
slurm_start "$work/slurm"

psql "$uri" -q -c "CREATE DATABASE single" -c "CREATE DATABASE sharded" || { echo "FAIL: create databases"; exit 1; }
single="${uri%/postgres}/single"
sharded="${uri%/postgres}/sharded"
q() { psql "$1" -Atq -c "$2"; }

python3 "$tests/shard_inputs.py" "$source_dir" "$work/in" || exit 1
"$factwire" extract "$work/in" --db "$single" -q 2>"$work/single.err"
check "single load: exit 1 for the bad JSONL line" test $? -eq 1
total="$(q "$single" "SELECT COUNT(*) FROM articles")"
check "single load: articles" test "$total" -gt 300

"$factwire" shard "$work/in" --shards 6 -o "$work/manifest.json" 2>"$work/shard.err"
check "shard: exit 0" test $? -eq 0
"$factwire" verify --manifest "$work/manifest.json" --db "$sharded" >"$work/verify0.out" 2>&1
check "verify before the load: exit 1" test $? -eq 1
check "verify before the load: all missing" grep -q "^verify: 0/$total articles stored, $total missing" "$work/verify0.out"

# Each shard's article ids, in order, from a run without a database.
for shard in $(seq 0 5); do
  "$factwire" extract --manifest "$work/manifest.json" --shard "$shard" -q 2>/dev/null |
    python3 -c 'import json, sys; [print(json.loads(l)["id"]) for l in sys.stdin]' >"$work/ids.$shard"
done
check "the shards hold every article" test "$(cat "$work"/ids.* | sort -u | wc -l)" = "$total"
check "the shards hold no article twice" test "$(cat "$work"/ids.* | wc -l)" = "$total"
# The two shards with the most articles: the first is cancelled, the second kept running
# meanwhile, so the array is not over (and the verify job not started) before the requeue.
read -r cancelled kept < <(for shard in $(seq 0 5); do echo "$(wc -l <"$work/ids.$shard") $shard"; done |
  sort -rn | head -2 | awk '{ printf "%s ", $2 }')
held=()
for shard in "$cancelled" "$kept"; do
  held+=("$(sed -n "$(($(wc -l <"$work/ids.$shard") / 2))p" "$work/ids.$shard")")
done
# An uncommitted row for the article in the middle of each: the task that reaches it
# waits there, with the batches before it committed.
coproc HOLD { psql "$sharded" -Atq 2>&1; }
# Kept apart: bash unsets HOLD and HOLD_PID as soon as it reaps the coprocess, which can
# be before the `wait` below once psql has ended at the end of its input.
hold_pid="$HOLD_PID" hold_in="${HOLD[1]}" hold_out="${HOLD[0]}"
{
  echo "BEGIN;"
  for id in "${held[@]}"; do
    echo "INSERT INTO articles (id, source, text_sha256, rules_version, processed_at) VALUES ('${id//\'/\'\'}', 'held', '', '', now());"
  done
  echo "SELECT 'held';"
} >&"$hold_in"
read -r -t 20 answer <&"$hold_out"
check "two articles held" test "${answer:-}" = held

FACTWIRE="$factwire" "$source_dir/tools/slurm/submit" "$work/manifest.json" "$sharded" --logs "$work/logs" \
  --extract "--batch 3" --cpus-per-task=1 --mem=300M >"$work/submit.out" 2>&1
check "submit: exit 0" test $? -eq 0
array="$(sed -n 's/^extract array job \([0-9]*\) (6 tasks), verify job \([0-9]*\)$/\1/p' "$work/submit.out")"
verify_job="$(sed -n 's/^extract array job \([0-9]*\) (6 tasks), verify job \([0-9]*\)$/\2/p' "$work/submit.out")"
check "submit: two job ids" test -n "$array" -a -n "$verify_job"

waiting() { q "$sharded" "SELECT COUNT(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"; }
# Up to 1500 x 0.2 s: with a CPU a task and two CPUs, the held two may start only after
# the other four have run to their end, which a sanitized build makes slow.
for _ in $(seq 1 1500); do [ "$(waiting)" = 2 ] && break; sleep 0.2; done
check "both tasks wait at their held article" test "$(waiting)" = 2
check "the task to cancel is running" test "$(slurm_job_state "${array}_$cancelled")" = RUNNING
stored_of() {  # how many of shard $1's articles the sharded database holds
  python3 -c 'import sys; print("{" + ",".join("\"" + l.rstrip("\n").replace("\\", "\\\\").replace("\"", "\\\"") + "\"" for l in open(sys.argv[1])) + "}")' \
    "$work/ids.$1" >"$work/array.$1"
  psql "$sharded" -Atq -v ids="$(cat "$work/array.$1")" <<<"SELECT COUNT(*) FROM articles WHERE id = ANY(:'ids'::text[]) AND source <> 'held';"
}

scancel "${array}_$cancelled"
for _ in $(seq 1 100); do [ "$(slurm_job_state "${array}_$cancelled")" = CANCELLED ] && break; sleep 0.2; done
check "cancelled mid-run" test "$(slurm_job_state "${array}_$cancelled")" = CANCELLED
partial="$(stored_of "$cancelled")"
check "cancelled mid-run: some of its batches committed" test "$partial" -gt 0
check "cancelled mid-run: not all of them" test "$partial" -lt "$(wc -l <"$work/ids.$cancelled")"
scontrol requeue "${array}_$cancelled"
check "requeued" test $? -eq 0
echo "ROLLBACK;" >&"$hold_in"
exec {hold_in}>&-
wait "$hold_pid" 2>/dev/null

slurm_wait_job "$verify_job" 300
check "verify job finished" test $? -eq 0
# Every task completed but the one with the bad JSONL line, which says so and exits 1,
# as the single-process load does.
check "every task done, one failed" test "$(slurm_job_state "$array" | sort | uniq -c | awk '{ printf "%s %s;", $1, $2 }')" = "5 COMPLETED;1 FAILED;"
check "the failed task names the bad line" test "$(grep -l "skipped: $work/in/news.jsonl:[0-9]*: malformed JSON" "$work"/logs/factwire-extract-*.out | wc -l)" = 1
verify_out="$work/logs/factwire-verify-$verify_job.out"
check "verify job: exit 0" test "$(slurm_job_state "$verify_job")" = COMPLETED
check "verify job: every article stored" grep -q "^verify: $total/$total articles stored, 0 missing" "$verify_out"
check "verify job: the summary" grep -q "^database: " "$verify_out"
check "the cancelled task ran again" grep -q "shard $cancelled on .*, attempt 2" "$work/logs/factwire-extract-${array}_$cancelled.out"

# Exactly once: the same rows as the single-process load, whatever ran twice.
rows() {
  q "$1" "SELECT md5(COALESCE(string_agg(r, E'\n' ORDER BY r), '')) || ' ' || COUNT(*) FROM (SELECT (to_jsonb(t) - 'processed_at')::text AS r FROM $2 t) s"
}
for table in articles facts relations relation_parties; do
  check "$table equal a single-process load" test "$(rows "$sharded" "$table")" = "$(rows "$single" "$table")"
done
check "facts were loaded" test "$(q "$sharded" "SELECT COUNT(*) FROM facts")" -gt 1000

echo "slurm: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
