#!/usr/bin/env bash
# The SQLite sink end to end: idempotent reruns, a run killed with SIGKILL mid-load
# leaving only whole articles and finishing on the rerun, bad articles skipped.
# Usage: db_test.sh FACTWIRE SOURCE_DIR
set -uo pipefail
factwire="$1"
source_dir="$2"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
source "$(dirname "$0")/test_lib.sh"
q() { sqlite3 "$1" "$2"; }
counts() { q "$1" "SELECT (SELECT COUNT(*) FROM articles) || ' ' || (SELECT COUNT(*) FROM facts) || ' ' || (SELECT COUNT(*) FROM relations) || ' ' || (SELECT COUNT(*) FROM relation_parties)"; }

# -- twice on the corpus: the same rows, the second run skips every article
"$factwire" extract "$source_dir/corpus" --db "$work/facts.db" 2>"$work/err1"
check "first run exit 0" test $? -eq 0
first="$(counts "$work/facts.db")"
"$factwire" extract "$source_dir/corpus" --db "$work/facts.db" 2>"$work/err2"
check "second run exit 0" test $? -eq 0
check "same row counts" test "$(counts "$work/facts.db")" = "$first"
check "second run skipped all" grep -q " 0 articles loaded, $(q "$work/facts.db" 'SELECT COUNT(*) FROM articles') unchanged" "$work/err2"
"$factwire" extract "$source_dir/corpus" --db "sqlite:$work/facts.db" --force 2>"$work/err3"
check "forced run reloads" grep -q "0 unchanged and skipped" "$work/err3"
check "forced run same rows" test "$(counts "$work/facts.db")" = "$first"
check "schema version 4" test "$(q "$work/facts.db" 'SELECT MAX(version) FROM schema_version')" = 4
# articles.text holds the text the offsets count in: SQL cuts each fact out of its article
# (substr counts code points, as the offsets do).
check "every fact cut from articles.text" test "$(q "$work/facts.db" "SELECT COUNT(*) FROM facts f JOIN articles a ON a.id = f.article_id WHERE substr(a.text, f.start + 1, f.\"end\" - f.start) IS NOT f.text")" = 0
check "facts were checked" test "$(q "$work/facts.db" "SELECT COUNT(*) FROM facts")" -gt 100
"$factwire" extract "$source_dir/corpus" --db "$work/notext.db" --no-text 2>/dev/null
check "--no-text leaves text NULL" test "$(q "$work/notext.db" "SELECT COUNT(*) FROM articles WHERE text IS NOT NULL")" = 0
check "typed money column" test "$(q "$work/facts.db" "SELECT COUNT(*) FROM facts WHERE type='money' AND (amount IS NULL OR currency IS NULL)")" = 0
check "investment parties" test "$(q "$work/facts.db" "SELECT COUNT(*) FROM relation_parties")" -gt 0

# -- a big input killed with SIGKILL mid-load, then the same command again
copy_corpus "$source_dir" "$work/big" 20
total="$(ls "$work/big" | wc -l)"
"$factwire" extract "$work/big" --db "$work/ref.db" --batch 25 2>/dev/null
check "reference load complete" test "$(q "$work/ref.db" 'SELECT COUNT(*) FROM articles')" -eq "$total"
"$factwire" extract "$work/big" --db "$work/killed.db" --batch 25 2>/dev/null &
pid=$!
# Up to 600 x 0.05 s: a sanitized build may need many seconds for its first batches.
for _ in $(seq 1 600); do  # wait until some batches are in, then kill mid-run
  loaded="$(q "$work/killed.db" 'SELECT COUNT(*) FROM articles' 2>/dev/null || echo 0)"
  [ "${loaded:-0}" -ge 100 ] && break
  sleep 0.05
done
kill -9 "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
partial="$(q "$work/killed.db" 'SELECT COUNT(*) FROM articles')"
check "killed mid-run ($partial of $total articles)" test "$partial" -gt 0 -a "$partial" -lt "$total"
# Whole articles only: each loaded article has exactly the facts and relations of the
# reference load.
torn="$(q "$work/killed.db" "ATTACH '$work/ref.db' AS ref;
  SELECT COUNT(*) FROM articles a WHERE
    (SELECT COUNT(*) FROM facts f WHERE f.article_id = a.id) != (SELECT COUNT(*) FROM ref.facts r WHERE r.article_id = a.id)
    OR (SELECT COUNT(*) FROM relations f WHERE f.article_id = a.id) != (SELECT COUNT(*) FROM ref.relations r WHERE r.article_id = a.id)")"
check "only whole articles after kill" test "$torn" = 0
check "no facts without their article" test "$(q "$work/killed.db" 'SELECT COUNT(*) FROM facts WHERE article_id NOT IN (SELECT id FROM articles)')" = 0
"$factwire" extract "$work/big" --db "$work/killed.db" --batch 25 2>"$work/err"
check "rerun exit 0" test $? -eq 0
check "rerun skipped what was loaded" grep -q "$partial unchanged and skipped" "$work/err"
check "rerun finishes the job" test "$(counts "$work/killed.db")" = "$(counts "$work/ref.db")"

# -- malformed lines and bad articles are reported and skipped; every good one loads
printf '{"id":"ok1","text":"EuroHPC will invest €1.5bn in Spain."}\nnot json\n{"id":"ok2","text":"Acme raised EUR 300m in Germany."}\n{"id":"bad","text":5}\n' >"$work/mixed.jsonl"
"$factwire" extract "$work/mixed.jsonl" --db "$work/mixed.db" 2>"$work/err"
check "bad input exit 1" test $? -eq 1
check "bad line reported" grep -q "mixed.jsonl:2" "$work/err"
check "good articles loaded" test "$(q "$work/mixed.db" 'SELECT group_concat(id) FROM (SELECT id FROM articles ORDER BY id)')" = "ok1,ok2"

# -- one id twice in a run: the second is reported with its line and not merged into the first
printf '{"id":"same","text":"EuroHPC will invest €1.5bn in Spain."}\n{"id":"same","text":"Acme raised EUR 300m in Germany."}\n{"id":"other","text":"€5m"}\n' >"$work/dup.jsonl"
"$factwire" extract "$work/dup.jsonl" --db "$work/dup.db" 2>"$work/err"
check "repeated id exit 1" test $? -eq 1
check "repeated id reported with its line" grep -q "dup.jsonl:2: id 'same' was already used" "$work/err"
check "first article kept as it was" test "$(q "$work/dup.db" "SELECT group_concat(text) FROM facts WHERE article_id='same'")" = "EuroHPC,€1.5bn,Spain"
check "counts stay true" grep -q ": 2 articles loaded, 0 unchanged" "$work/err"

# -- regression (issue 16): the disk fills mid-load (a file size limit, so a real write
# fails): the counts said "N loaded" for articles the batch rollback had taken back
( trap '' XFSZ; ulimit -f 3000; exec "$factwire" extract "$work/big" --db "$work/full.db" --batch 25 ) 2>"$work/err"
check "disk full exit 1" test $? -eq 1
committed="$(q "$work/full.db" 'SELECT COUNT(*) FROM articles')"
check "disk full stopped part way ($committed of $total)" test "$committed" -gt 0 -a "$committed" -lt "$total"
check "disk full count is what was committed" grep -q ": $committed articles loaded, 0 unchanged and skipped; stopped at an error" "$work/err"

# -- regression (issue 16): an empty id stopped the load at it; now it is named by line
printf '{"id":"","text":"EuroHPC will invest €1.5bn in Spain."}
{"id":"","text":"Nothing."}
{"id":"x","text":"€5m"}
' >"$work/empty.jsonl"
"$factwire" extract "$work/empty.jsonl" --db "$work/empty.db" 2>"$work/err"
"$factwire" extract "$work/empty.jsonl" --db "$work/empty.db" 2>>"$work/err"
check "empty ids loaded under their line" test "$(q "$work/empty.db" 'SELECT group_concat(id) FROM (SELECT id FROM articles ORDER BY id)')" = "empty.jsonl:1,empty.jsonl:2,x"
check "no NULL keys" test "$(q "$work/empty.db" 'SELECT COUNT(*) FROM articles WHERE id IS NULL OR id = ""')" = 0

# -- --out with --db on a rerun holds what this run extracted, as --help says; --force all
"$factwire" extract "$work/empty.jsonl" --db "$work/empty.db" -o "$work/rerun.jsonl" 2>/dev/null
check "rerun --out holds no unchanged article" test "$(wc -l <"$work/rerun.jsonl")" -eq 0
"$factwire" extract "$work/empty.jsonl" --db "$work/empty.db" -o "$work/rerun.jsonl" --force 2>/dev/null
check "rerun --out --force holds every article" test "$(wc -l <"$work/rerun.jsonl")" -eq 3

# -- a database that cannot be opened, and an unknown scheme
"$factwire" extract "$work/mixed.jsonl" --db "$work/no/such/dir/x.db" 2>"$work/err"
check "unopenable database exit 1" test $? -eq 1
check "unopenable database named" grep -q "cannot open" "$work/err"
"$factwire" extract "$work/mixed.jsonl" --db "mysql://x" 2>"$work/err"
check "unknown scheme exit 2" test $? -eq 2

echo "db: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
