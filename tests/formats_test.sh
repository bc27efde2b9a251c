#!/usr/bin/env bash
# Input formats end to end (issue 17): WARC and .warc.gz built from saved pages,
# compressed and archived JSONL, HTML in windows-1252, damaged archives, folders with
# unsupported files, `factwire text` against `extract` offsets, streaming on stdin,
# Ctrl-C with --db and a resumed run.
# Usage: formats_test.sh FACTWIRE SOURCE_DIR
set -uo pipefail
factwire="$1"
source_dir="$2"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
source "$(dirname "$0")/test_lib.sh"
python3 "$source_dir/tests/formats_fixtures.py" "$source_dir/bench/html/pages" "$work/in" || exit 1
in="$work/in"
# fields FILE: the records' id, url, title, published, lang and text (not "source", which names the file)
fields() { python3 -c '
import json, sys
for line in open(sys.argv[1]):
    r = json.loads(line)
    print(json.dumps([r.get(k) for k in ("id", "url", "title", "published", "lang", "text", "facts")], ensure_ascii=False))' "$1"; }

# -- WARC: response and resource records become articles, the rest are counted
"$factwire" text "$in/crawl.warc" >"$work/warc.txt" 2>"$work/warc.err"
check "warc exit 0" test $? -eq 0
check "warc: 6 pages and 1 resource" test "$(wc -l <"$work/warc.txt")" -eq 7
check "warc: url from WARC-Target-URI where the page has no canonical link" grep -q '"url":"https://news.example/note.txt"' "$work/warc.txt"
check "warc: published from WARC-Date when the page gives none" grep -q '"id":"https://news.example/note.txt".*"published":"2024-05-06"' "$work/warc.txt"
first_page="$(ls "$source_dir/bench/html/pages" | sort | head -1)"
"$factwire" text "$source_dir/bench/html/pages/$first_page" >"$work/page.txt" 2>/dev/null
check "warc: a page reads as the same text as the saved file" test "$(python3 -c 'import json,sys; print(json.loads(open(sys.argv[1]).readline())["text"] == json.loads(open(sys.argv[2]).readline())["text"])' "$work/warc.txt" "$work/page.txt")" = True
second_page="$(ls "$source_dir/bench/html/pages" | sort | sed -n 2p)"
"$factwire" text "$source_dir/bench/html/pages/$second_page" >"$work/page2.txt" 2>/dev/null
check "warc: a chunked, gzipped response decoded" test "$(python3 -c 'import json,sys; print(json.loads(open(sys.argv[1]).readlines()[1])["text"] == json.loads(open(sys.argv[2]).readline())["text"])' "$work/warc.txt" "$work/page2.txt")" = True
"$factwire" extract "$in/crawl.warc" --no-progress >/dev/null 2>"$work/warc_extract.err"
check "summary counts the WARC formats" grep -q "formats: warc/html 6, warc/text 1" "$work/warc_extract.err"
check "summary counts an image response" grep -q "skipped 1: not HTML or text (image/png)" "$work/warc_extract.err"
check "summary counts a 404" grep -q "skipped 1: HTTP status 404" "$work/warc_extract.err"
check "summary counts request records" grep -q "skipped 6: WARC request record" "$work/warc_extract.err"

# -- .warc.gz (one gzip member per record) gives the same records as the plain WARC
"$factwire" extract "$in/crawl.warc" >"$work/a.jsonl" 2>/dev/null
"$factwire" extract "$in/crawl.warc.gz" >"$work/b.jsonl" 2>/dev/null
check "warc.gz exit 0" test $? -eq 0
check "warc.gz: same records as .warc" test "$(fields "$work/a.jsonl")" = "$(fields "$work/b.jsonl")"
check "warc.gz: records found" test "$(wc -l <"$work/b.jsonl")" -eq 7

# -- pages parsed side by side come out as one thread gives them, in input order
"$factwire" text --threads 1 "$in/crawl.warc.gz" "$source_dir/bench/html/pages" "$in/mixed.tar.gz" >"$work/t1.jsonl" 2>/dev/null
"$factwire" text --threads 4 "$in/crawl.warc.gz" "$source_dir/bench/html/pages" "$in/mixed.tar.gz" >"$work/t4.jsonl" 2>/dev/null
check "--threads 4 gives the records of --threads 1, in order" cmp -s "$work/t1.jsonl" "$work/t4.jsonl"
check "--threads: every page there" test "$(wc -l <"$work/t4.jsonl")" -eq 58

# -- every fact of an HTML or WARC article lies at its offsets in the text `text` prints
"$factwire" text "$in/crawl.warc.gz" "$source_dir/bench/html/pages" >"$work/texts.jsonl" 2>/dev/null
"$factwire" extract "$in/crawl.warc.gz" "$source_dir/bench/html/pages" >"$work/facts.jsonl" 2>/dev/null
check "offsets hold in the extracted text" python3 - "$work/texts.jsonl" "$work/facts.jsonl" <<'PY'
import json, sys
texts = {}
for line in open(sys.argv[1]):
    r = json.loads(line)
    texts[r["source"]] = r["text"]
facts = bad = 0
for line in open(sys.argv[2]):
    r = json.loads(line)
    text = texts[r["source"]]
    for f in r["facts"]:
        facts += 1
        if text[f["start"]:f["end"]] != f["text"]:
            bad += 1
            print("offset mismatch:", r["source"], f, file=sys.stderr)
sys.exit(0 if facts > 200 and bad == 0 else 1)
PY

# -- compressed JSONL in every wrapper gives the plain file's records
"$factwire" extract "$in/news.jsonl" >"$work/plain.jsonl" 2>/dev/null
for wrapped in news.jsonl.gz news.jsonl.bz2 news.jsonl.xz; do
  "$factwire" extract "$in/$wrapped" >"$work/wrapped.jsonl" 2>/dev/null
  check "$wrapped: exit 0" test $? -eq 0
  check "$wrapped: same records as the plain file" test "$(fields "$work/plain.jsonl")" = "$(fields "$work/wrapped.jsonl")"
done
zstd -q -c "$in/news.jsonl" >"$in/news.jsonl.zst"
"$factwire" extract "$in/news.jsonl.zst" >"$work/wrapped.jsonl" 2>/dev/null
check "news.jsonl.zst: same records as the plain file" test "$(fields "$work/plain.jsonl")" = "$(fields "$work/wrapped.jsonl")"
gzip -c "$in/news.jsonl" | "$factwire" extract - >"$work/stdin_gz.jsonl" 2>/dev/null
check "gzipped JSONL on stdin: 3 records" test "$(wc -l <"$work/stdin_gz.jsonl")" -eq 3
"$factwire" text "$in/news.zip" >"$work/zip.txt" 2>/dev/null
check "zip: 3 articles, ids name the member" test "$(grep -c '"id":"\(j1\|j3\|news.zip/inner/news.jsonl:2\)"' "$work/zip.txt")" -eq 3

# -- a tar.gz of mixed inputs: text, JSONL, HTML, nested .jsonl.gz; the image counted
"$factwire" extract "$in/mixed.tar.gz" --no-progress >"$work/tar.jsonl" 2>"$work/tar.err"
check "tar.gz exit 0" test $? -eq 0
check "tar.gz: 6 articles" test "$(wc -l <"$work/tar.jsonl")" -eq 6
check "tar.gz: member ids" grep -q '"id":"mixed.tar.gz/docs/b.jsonl:2"' "$work/tar.jsonl"
check "tar.gz: nested gzip read" grep -q '"id":"nested"' "$work/tar.jsonl"
check "tar.gz: the image is counted, not read" grep -q "unsupported: .*mixed.tar.gz!docs/logo.png" "$work/tar.err"

# -- windows-1252 pages: declared, and declared as iso-8859-1 (browsers read it as windows-1252)
for page in "$source_dir"/bench/html/pages/*cp1252*.html "$source_dir"/bench/html/pages/*latin1*.html; do
  "$factwire" text "$page" >"$work/cp.txt" 2>/dev/null
  check "$(basename "$page"): decoded to UTF-8 with €" grep -q '€' "$work/cp.txt"
  check "$(basename "$page"): no U+FFFD" bash -c "! grep -q $'\\xef\\xbf\\xbd' '$work/cp.txt'"
done
printf '<html><head><title>t</title></head><body><article><p>Caf\xe9 cr\xe8me co\xfbte 3 \x80 \xe0 Z\xfcrich depuis janvier, selon la soci\xe9t\xe9 fran\xe7aise, qui pr\xe9voit une hausse.</p></article></body></html>' >"$work/undeclared.html"
"$factwire" text "$work/undeclared.html" >"$work/und.txt" 2>/dev/null
check "an undeclared legacy charset is detected" grep -q 'Café crème' "$work/und.txt"

# -- damaged archives: reported with file and byte offset, the rest read, exit 1
"$factwire" text "$in/cut.warc.gz" >"$work/cut.txt" 2>"$work/cut.err"
check "cut warc.gz: exit 1" test $? -eq 1
check "cut warc.gz: names the record's offset" grep -q "cut.warc.gz: record at byte [0-9]*: gzip member at byte [0-9]* is cut off" "$work/cut.err"
check "cut warc.gz: the records before are read" test "$(wc -l <"$work/cut.txt")" -eq 6
"$factwire" text "$in/spoiled.warc.gz" >"$work/spoiled.txt" 2>"$work/spoiled.err"
check "corrupt member: exit 1" test $? -eq 1
check "corrupt member: named" grep -q "spoiled.warc.gz: record at byte [0-9]*: gzip member at byte [0-9]* is corrupt" "$work/spoiled.err"
check "corrupt member: the records after it are read" test "$(wc -l <"$work/spoiled.txt")" -eq 6
"$factwire" text "$in/cut.warc" >"$work/cutw.txt" 2>"$work/cutw.err"
check "cut warc: exit 1" test $? -eq 1
check "cut warc: named with offset" grep -q "cut.warc: record at byte [0-9]*: record is cut off" "$work/cutw.err"
check "cut warc: the records before are read" test "$(wc -l <"$work/cutw.txt")" -eq 6
"$factwire" text "$in/corrupt.tar" >"$work/tar2.txt" 2>"$work/tar2.err"
check "corrupt tar: exit 1" test $? -eq 1
check "corrupt tar: the first member is read" grep -q '"id":"first"' "$work/tar2.txt"
check "corrupt tar: named" grep -q "corrupt.tar: damaged archive from input byte [0-9]*" "$work/tar2.err"
"$factwire" text "$in/binary.html" >/dev/null 2>"$work/bin.err"
check "binary html: exit 1" test $? -eq 1
check "binary html: said so" grep -q "binary.html: binary content" "$work/bin.err"
"$factwire" text "$in/cut.jsonl.gz" >"$work/cutj.txt" 2>"$work/cutj.err"
check "cut jsonl.gz: exit 1" test $? -eq 1
check "cut jsonl.gz: the lines before the cut are read" test "$(wc -l <"$work/cutj.txt")" -eq 2
check "cut jsonl.gz: names the line" grep -q "cut.jsonl.gz:3: gzip member at byte 0 is cut off" "$work/cutj.err"
"$factwire" text "$in/crawl.warc.gz" --max-bytes 2000 >"$work/max.txt" 2>"$work/max.err"
check "a record over --max-bytes: exit 1" test $? -eq 1
check "a record over --max-bytes: skipped with a message" grep -q "record at byte [0-9]*: record is [0-9]* bytes, over the limit of 2000" "$work/max.err"
check "a record over --max-bytes: small records still read" grep -q '"id":"https://news.example/note.txt"' "$work/max.txt"

# -- found in review: recoveries inside one member, past a damaged first member or zip member
"$factwire" text "$in/whole.warc.gz" >"$work/whole.txt" 2>"$work/whole.err"
check "whole-file gzipped WARC: exit 1" test $? -eq 1
check "whole-file gzipped WARC: a bad record costs only itself" test "$(wc -l <"$work/whole.txt")" -eq 6
check "whole-file gzipped WARC: the record's place in the member" grep -q "whole.warc.gz: record at byte 0+[0-9]*: record has no valid Content-Length" "$work/whole.err"
"$factwire" text "$in/first.warc.gz" >"$work/first.txt" 2>/dev/null
check "damaged first member: the records after it read" test "$(wc -l <"$work/first.txt")" -eq 7
"$factwire" text "$in/damaged.zip" >"$work/dzip.txt" 2>"$work/dzip.err"
check "damaged zip member: exit 1" test $? -eq 1
check "damaged zip member: the members after it read" grep -q '"id":"zip-2"' "$work/dzip.txt"
check "damaged zip member: named" grep -q "damaged.zip!m1.txt: corrupt archive entry" "$work/dzip.err"
"$factwire" text "$in/empty_first.jsonl.gz" >"$work/ef.txt" 2>/dev/null
check "gzip with an empty first member: every line read" test "$(wc -l <"$work/ef.txt")" -eq 3
gzip -c "$in/long.jsonl" | "$factwire" text - >"$work/long.txt" 2>/dev/null
check "gzipped JSONL with long lines on stdin: one article a line" test "$(wc -l <"$work/long.txt")" -eq 3
"$factwire" text "$in/utf16.html" >"$work/u16.txt" 2>/dev/null
check "UTF-16 HTML declaring utf-16: decoded once" grep -q 'Zürich will host the new centre' "$work/u16.txt"

# -- a folder: every supported file read, the rest counted and named
mkdir -p "$work/folder/sub"
cp "$in/news.jsonl.gz" "$work/folder/"
cp "$source_dir/bench/html/pages/$first_page" "$work/folder/sub/"
printf 'Spain will invest EUR 3 million.\n' >"$work/folder/a.txt"
printf '{"gold": []}\n' >"$work/folder/a.gold.json"
cp "$in/binary.html" "$work/folder/sub/picture.png"
"$factwire" extract "$work/folder" --no-progress >"$work/folder.jsonl" 2>"$work/folder.err"
check "folder exit 0" test $? -eq 0
check "folder: 5 articles (text, 3 JSONL lines, HTML)" test "$(wc -l <"$work/folder.jsonl")" -eq 5
check "folder: unsupported files counted" grep -q "skipped 2: unsupported file" "$work/folder.err"
check "folder: unsupported files named" grep -q "unsupported: .*a.gold.json" "$work/folder.err"
check "folder: formats counted" grep -q "formats: gzip/jsonl 3, html 1, text 1" "$work/folder.err"
cat "$source_dir/bench/html/pages/$first_page" | "$factwire" text - >"$work/stdin_html.txt" 2>/dev/null
check "HTML on stdin is read as HTML" test "$(python3 -c 'import json,sys; print(json.loads(open(sys.argv[1]).readline())["text"] == json.loads(open(sys.argv[2]).readline())["text"])' "$work/stdin_html.txt" "$work/page.txt")" = True

# -- progress: a live line on stderr when asked
copy_corpus "$source_dir" "$work/big" 3
"$factwire" extract "$work/big" --progress --threads 2 >/dev/null 2>"$work/progress.err"
check "progress line shown with --progress" grep -q "articles, [0-9.]* MB, [0-9.]* MB/s, [0-9]* facts, 0 failed" "$work/progress.err"
check "closing summary with throughput" grep -q "articles in [0-9.]* s (.* MB read, .* MB/s)" "$work/progress.err"
"$factwire" extract "$work/big" --quiet >/dev/null 2>"$work/quiet.err"
check "--quiet prints nothing on success" test ! -s "$work/quiet.err"

# -- streaming: a record comes out while stdin is still open (the next line not sent yet)
check "extract - answers each line before the next arrives" python3 - "$factwire" <<'PY'
import json, subprocess, sys, time, select
p = subprocess.Popen([sys.argv[1], "extract", "-", "--threads", "2", "--quiet"], stdin=subprocess.PIPE,
                     stdout=subprocess.PIPE)
ok = True
for i in range(3):
    p.stdin.write(json.dumps({"id": f"s{i}", "text": "EuroHPC will invest €1.5bn in Spain."}).encode() + b"\n")
    p.stdin.flush()
    # The next line is sent only after this answer, so any wait proves the point; the
    # first answer includes the start (rules, prefilter), slow in a sanitized build.
    ready, _, _ = select.select([p.stdout], [], [], 60)
    if not ready:
        ok = False
        break
    line = p.stdout.readline()
    ok = ok and json.loads(line)["id"] == f"s{i}"
p.stdin.close()
p.wait(timeout=30)
sys.exit(0 if ok else 1)
PY

# -- a trickle on stdin reaches the database at once, not at the end of a batch
check "extract - --db commits while stdin waits" python3 - "$factwire" "$work/trickle.db" <<'PY'
import json, sqlite3, subprocess, sys, time
p = subprocess.Popen([sys.argv[1], "extract", "-", "--db", sys.argv[2], "--quiet"], stdin=subprocess.PIPE)
p.stdin.write(json.dumps({"id": "t1", "text": "EuroHPC will invest €1.5bn in Spain."}).encode() + b"\n")
p.stdin.flush()
found = False
for _ in range(300):  # 30 s: the start and the first commit, however slow the build; stdin stays open
    time.sleep(0.1)
    try:
        found = sqlite3.connect(sys.argv[2]).execute("SELECT COUNT(*) FROM articles").fetchone()[0] == 1
    except sqlite3.Error:
        pass
    if found:
        break
p.stdin.close()
p.wait(timeout=30)
sys.exit(0 if found else 1)
PY

# -- a WARC record far over --max-bytes is stepped over, never held
python3 - "$work/huge.warc" <<'PY'
import sys
body = b"x" * (200 << 20)
with open(sys.argv[1], "wb") as out:
    out.write(b"WARC/1.0\r\nWARC-Type: resource\r\nWARC-Target-URI: https://x.eu/huge\r\nContent-Type: text/plain\r\n"
              b"Content-Length: %d\r\n\r\n" % len(body) + body + b"\r\n\r\n")
    note = b"Spain will invest EUR 2 million."
    out.write(b"WARC/1.0\r\nWARC-Type: resource\r\nWARC-Target-URI: https://x.eu/small\r\nContent-Type: text/plain\r\n"
              b"Content-Length: %d\r\n\r\n" % len(note) + note + b"\r\n\r\n")
PY
/usr/bin/time -f "%M" -o "$work/huge.rss" "$factwire" text "$work/huge.warc" >"$work/huge.txt" 2>"$work/huge.err"
check "a 200 MB record: exit 1" grep -q "record is 209715200 bytes, over the limit of 67108864" "$work/huge.err"
check "a 200 MB record: the next record read" grep -q '"id":"https://x.eu/small"' "$work/huge.txt"
check "a 200 MB record: memory stays small (< 100 MB)" test "$(tail -1 "$work/huge.rss")" -lt 100000
rm -f "$work/huge.warc"

# -- Ctrl-C with --db: the batch in flight commits, the rerun resumes and finishes
copy_corpus "$source_dir" "$work/many" 15
total="$(ls "$work/many" | wc -l)"
"$factwire" extract "$work/many" --db "$work/int.db" --threads 1 --no-progress 2>"$work/int.err" &
pid=$!
# Up to 600 x 0.05 s: a sanitized build may need many seconds for its first batch; SIGINT
# before it would find no handler yet, or nothing committed.
for _ in $(seq 1 600); do
  loaded="$(sqlite3 "$work/int.db" 'SELECT COUNT(*) FROM articles' 2>/dev/null || echo 0)"
  [ "${loaded:-0}" -ge 20 ] && break
  sleep 0.05
done
kill -INT "$pid"
wait "$pid"
status=$?
check "interrupted run exits 1" test "$status" -eq 1
check "interrupted run says how to resume" grep -q "interrupted; run the same command again to resume" "$work/int.err"
committed="$(sqlite3 "$work/int.db" 'SELECT COUNT(*) FROM articles')"
check "interrupted run committed what it reports" grep -q "database $work/int.db: $committed articles loaded" "$work/int.err"
check "interrupted before the end" test "$committed" -lt "$total"
"$factwire" extract "$work/many" --db "$work/int.db" --no-progress 2>"$work/resume.err"
check "resumed run exit 0" test $? -eq 0
check "resumed run skips what was committed" grep -q "unchanged and skipped" "$work/resume.err"
check "resumed run completes the load" test "$(sqlite3 "$work/int.db" 'SELECT COUNT(*) FROM articles')" -eq "$total"

echo "formats: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
