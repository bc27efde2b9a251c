#!/usr/bin/env bash
# The PostgreSQL sink against a real server this script starts itself (initdb and
# pg_ctl in a temporary folder, loopback only) and stops afterwards. Exit 77 (ctest:
# skipped) with the reason when no server can be started here.
# Usage: pg_test.sh FACTWIRE SOURCE_DIR
set -uo pipefail
factwire="$1"
source_dir="$2"
skip() { echo "SKIPPED: $*"; exit 77; }

work="$(mktemp -d)"
source "$(dirname "$0")/pg_lib.sh"
trap 'pg_stop; rm -rf "$work"' EXIT
pg_start "$work"

source "$(dirname "$0")/test_lib.sh"
q() { psql "$uri" -Atq -c "$1"; }
counts() { q "SELECT (SELECT COUNT(*) FROM articles) || ' ' || (SELECT COUNT(*) FROM facts) || ' ' || (SELECT COUNT(*) FROM relations) || ' ' || (SELECT COUNT(*) FROM relation_parties)"; }
sqlite_counts() { sqlite3 "$1" "SELECT (SELECT COUNT(*) FROM articles) || ' ' || (SELECT COUNT(*) FROM facts) || ' ' || (SELECT COUNT(*) FROM relations) || ' ' || (SELECT COUNT(*) FROM relation_parties)"; }

# -- the corpus, twice: the same rows as SQLite gets, and nothing duplicated
"$factwire" extract "$source_dir/corpus" --db "$uri" --batch 7 2>"$work/err1"
check "load exit 0" test $? -eq 0
first="$(counts)"
"$factwire" extract "$source_dir/corpus" --db "$work/same.db" 2>/dev/null
check "same rows as SQLite" test "$first" = "$(sqlite_counts "$work/same.db")"
"$factwire" extract "$source_dir/corpus" --db "$uri" 2>"$work/err2"
check "second run exit 0" test $? -eq 0
check "second run same rows" test "$(counts)" = "$first"
check "second run skipped all" grep -q " 0 articles loaded" "$work/err2"
"$factwire" extract "$source_dir/corpus" --db "$uri" --force --summary 2>"$work/err3"
check "forced reload same rows" test "$(counts)" = "$first"
check "summary read back" grep -q "^database: " "$work/err3"
check "typed columns" test "$(q "SELECT COUNT(*) FROM facts WHERE type = 'country' AND iso2 IS NULL")" = 0
check "value as JSONB" test "$(q "SELECT COUNT(*) FROM facts WHERE type = 'money' AND (value->>'amount')::float8 = amount")" -gt 0
check "schema version" test "$(q 'SELECT MAX(version) FROM schema_version')" = 4
check "every fact cut from articles.text" test "$(q "SELECT COUNT(*) FROM facts f JOIN articles a ON a.id = f.article_id WHERE substr(a.text, f.start + 1, f.\"end\" - f.start) IS DISTINCT FROM f.text")" = 0

# -- bad input articles are reported and skipped, good ones load
printf '{"id":"pg-ok","text":"EuroHPC will invest €1.5bn in Spain."}\nnot json\n' >"$work/mixed.jsonl"
"$factwire" extract "$work/mixed.jsonl" --db "$uri" 2>"$work/err"
check "bad line exit 1" test $? -eq 1
check "good article loaded" test "$(q "SELECT COUNT(*) FROM articles WHERE id = 'pg-ok'")" = 1

# -- the server goes away mid-run: a clear message, exit 1, and only whole batches
copy_corpus "$source_dir" "$work/big" 15
"$factwire" extract "$work/big" --db "$uri" --batch 10 2>"$work/err" &
pid=$!
# Up to 600 x 0.05 s: a sanitized build may need many seconds for its first batches.
for _ in $(seq 1 600); do
  [ "$(q "SELECT COUNT(*) FROM articles WHERE id LIKE 'big-%'" 2>/dev/null || echo 0)" -ge 20 ] && break
  sleep 0.05
done
pg_stop
wait "$pid"
status=$?
check "server gone: exit 1" test "$status" -eq 1
check "server gone: named" grep -q "database: postgresql:" "$work/err"
# Back up: what was committed is whole, and the same command finishes the job.
pg_restart
check "after the crash: no article without its facts" \
  test "$(q "SELECT COUNT(*) FROM articles a WHERE NOT EXISTS (SELECT 1 FROM facts f WHERE f.article_id = a.id)")" = 0
"$factwire" extract "$work/big" --db "$uri" --batch 10 2>/dev/null
check "rerun exit 0" test $? -eq 0
"$factwire" extract "$work/big" --db "$work/big.db" 2>/dev/null
check "rerun finishes the job" test "$(q "SELECT COUNT(*) || ' ' || (SELECT COUNT(*) FROM facts WHERE article_id LIKE 'big-%') FROM articles WHERE id LIKE 'big-%'")" = \
  "$(sqlite3 "$work/big.db" "SELECT COUNT(*) || ' ' || (SELECT COUNT(*) FROM facts) FROM articles")"

# -- factwire serve stores records and alerts in PostgreSQL; an article sent again raises none
printf -- '- id: eu-investment\n  when:\n    money: {at_least: 100000000, currency: EUR}\n    country: {in: eu}\n' >"$work/alerts.yaml"
"$factwire" serve --listen 127.0.0.1:0 --db "$uri" --alerts "$work/alerts.yaml" >"$work/alerts.jsonl" 2>"$work/serve.err" &
serve_pid=$!
for _ in $(seq 1 300); do grep -q "serving on" "$work/serve.err" && break; sleep 0.1; done
serve_port="$(sed -n 's/.*serving on http:\/\/127.0.0.1:\([0-9]*\).*/\1/p' "$work/serve.err")"
post() { python3 - "$serve_port" <<'PY'
import http.client, json, sys
c = http.client.HTTPConnection("127.0.0.1", int(sys.argv[1]), timeout=60)
c.request("POST", "/v1/articles", json.dumps({"id": "pg-alert", "published": "2024-05-01", "lang": "en",
          "text": "Acme said it would spend $110 million on a plant in Poland."}), {"Content-Type": "application/json"})
print(len(json.loads(c.getresponse().read())["alerts"]))
PY
}
check "serve: the first post raises one alert" test "$(post)" = 1
check "serve: the same article again raises none" test "$(post)" = 0
check "serve: the record is stored" test "$(q "SELECT COUNT(*) FROM facts WHERE article_id = 'pg-alert' AND type = 'money'")" = 1
check "serve: one alert row" test "$(q "SELECT COUNT(*) || ' ' || MIN(seq) FROM alerts WHERE article_id = 'pg-alert'")" = "1 1"
check "serve: the alert line went to stdout" test "$(wc -l <"$work/alerts.jsonl")" = 1
kill -TERM "$serve_pid"
wait "$serve_pid"
check "serve: SIGTERM exit 0" test $? -eq 0

# -- factwire watch into PostgreSQL, its alert delivered to a webhook receiver
printf -- '- id: eu-investment\n  when:\n    money: {at_least: 100000000, currency: EUR}\n    country: {in: eu}\n  notify: [webhook]\n' >"$work/hooked.yaml"
echo "pg-secret" >"$work/secret"
mkdir "$work/inbox"
python3 - "$work/received" "$work/receiver.port" <<'PY' &
import http.server, sys
class Handler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        self.rfile.read(int(self.headers["Content-Length"]))
        with open(sys.argv[1], "a") as f:
            f.write(self.headers["X-Factwire-Alert-Id"] + "\n")
        self.send_response(204)
        self.end_headers()
    def log_message(self, *args):
        pass
server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
open(sys.argv[2], "w").write(str(server.server_address[1]))
server.serve_forever()
PY
receiver_pid=$!
for _ in $(seq 1 300); do [ -s "$work/receiver.port" ] && break; sleep 0.1; done
"$factwire" watch "$work/inbox" --db "$uri" --alerts "$work/hooked.yaml" --move-done --lang en --published 2024-05-01 \
  --webhook "http://127.0.0.1:$(cat "$work/receiver.port")/hook" --webhook-secret-file "$work/secret" 2>"$work/watch.err" &
watch_pid=$!
for _ in $(seq 1 300); do grep -q "watching" "$work/watch.err" && break; sleep 0.1; done
echo "Acme will spend €300 million on a plant in Poland." >"$work/inbox/plant.txt.tmp"
mv "$work/inbox/plant.txt.tmp" "$work/inbox/plant.txt"
# The move, the alert's delivery and its mark in the outbox happen in separate steps, so
# wait for all three: the receiver may see the alert before the file is moved.
watch_settled() {
  [ -f "$work/inbox/done/plant.txt" ] && [ -s "$work/received" ] &&
    [ "$(q "SELECT COUNT(*) FROM webhook_outbox WHERE delivered_at IS NOT NULL")" = 1 ]
}
for _ in $(seq 1 300); do watch_settled && break; sleep 0.1; done
check "watch: the file is done and moved" test -f "$work/inbox/done/plant.txt"
check "watch: the file is kept by content" test "$(q "SELECT name || ' ' || articles FROM watched_files")" = "plant.txt 1"
check "watch: the article is stored" test "$(q "SELECT COUNT(*) FROM articles WHERE id = 'plant.txt'")" = 1
check "watch: the receiver got the alert" test "$(cat "$work/received")" = "$(q "SELECT id FROM alerts WHERE article_id = 'plant.txt'")"
check "watch: the delivery left the outbox" test "$(q "SELECT COUNT(*) FROM webhook_outbox WHERE delivered_at IS NOT NULL")" = 1
kill -TERM "$watch_pid"
wait "$watch_pid"
check "watch: SIGTERM exit 0" test $? -eq 0
kill "$receiver_pid"

# -- no server at all
"$factwire" extract "$work/mixed.jsonl" --db "postgresql://factwire@127.0.0.1:1/postgres?connect_timeout=3" 2>"$work/err"
check "no server: exit 1" test $? -eq 1
check "no server: cannot connect" grep -q "postgresql: cannot connect" "$work/err"

echo "pg: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
