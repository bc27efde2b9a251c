#!/usr/bin/env bash
# End-to-end checks of the factwire binary: streaming, exit codes and bad input.
# Usage: cli_test.sh FACTWIRE SOURCE_DIR
set -uo pipefail
factwire="$1"
source_dir="$2"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
source "$(dirname "$0")/test_lib.sh"

# -- the issue's example: stdin JSONL, one record with both facts
printf '{"id":"a","text":"Acme raised EUR 300m in Germany."}\n' | "$factwire" extract - >"$work/out" 2>"$work/err"
check "stdin exit 0" test $? -eq 0
check "stdin one record" test "$(wc -l <"$work/out")" -eq 1
check "stdin money" contains "$work/out" '"text":"EUR 300m","value":{"amount":300000000,"currency":"EUR"},"rule":"money/en/symbol-number-magnitude"'
check "stdin country" contains "$work/out" '"value":{"iso2":"DE","name":"Germany"}'

# -- a malformed line between good ones: good ones out in order, bad one named, exit 1
printf '{"id":"1","text":"€5m"}\nnot json\n{"id":"3","text":"Spain"}\n' >"$work/mixed.jsonl"
"$factwire" extract "$work/mixed.jsonl" >"$work/out" 2>"$work/err"
check "malformed line exit 1" test $? -eq 1
check "good records in order" test "$(cut -d'"' -f4 "$work/out" | tr '\n' ' ')" = "1 3 "
check "bad line named" contains "$work/err" "mixed.jsonl:2: malformed JSON"

# -- regression (issue 16): a number too large for a double aborted the run, and the
# records before it were lost; now that line is malformed and the rest comes through
printf '{"id":"1","text":"€5m"}\n{"id":"2","x":1e400,"text":"€6m"}\n{"id":"3","text":"Spain"}\n' >"$work/numbers.jsonl"
"$factwire" extract "$work/numbers.jsonl" >"$work/out" 2>"$work/err"
check "huge number exit 1" test $? -eq 1
check "huge number: other records out" test "$(cut -d'"' -f4 "$work/out" | tr '\n' ' ')" = "1 3 "
check "huge number line named" contains "$work/err" "numbers.jsonl:2: malformed JSON"

# -- regression (issue 16): UTF-16 text with a byte order mark gave no facts
printf '\xff\xfeS\0p\0a\0i\0n\0 \0g\0o\0t\0 \0\xac\x20\x35\0m\0.\0' >"$work/utf16.txt"
"$factwire" extract "$work/utf16.txt" --lang en >"$work/out" 2>"$work/err"
check "UTF-16 exit 0" test $? -eq 0
check "UTF-16 decoded" contains "$work/out" '"start":0,"end":5,"text":"Spain"'
check "UTF-16 money" contains "$work/out" '"text":"€5m"'
check "UTF-16 said" contains "$work/err" "decoded from UTF-16LE"

# -- --types filters, --out writes a file, --published fills in
"$factwire" extract - --types money --out "$work/typed.jsonl" --published 2025-03-14 --lang en <<<'{"id":"t","text":"€5m in Spain"}'
check "types exit 0" test $? -eq 0
check "types keeps money" contains "$work/typed.jsonl" '"type":"money"'
check "types drops country" bash -c "! grep -q '\"type\":\"country\"' '$work/typed.jsonl'"
check "published filled" contains "$work/typed.jsonl" '"published":"2025-03-14"'
"$factwire" extract - --types moneyy <<<'{"id":"t","text":"x"}' >/dev/null 2>"$work/err"
check "unknown type exit 2" test $? -eq 2
check "unknown type named" contains "$work/err" "moneyy"

# -- relations follow --types: ids point at the kept facts, relations to dropped ones go
printf '{"id":"r","text":"Finland is big. Sites such as BSC AIF in Spain opened."}\n' >"$work/rel.jsonl"
"$factwire" extract "$work/rel.jsonl" --types site,country >"$work/out"
check "relation kept with both types" contains "$work/out" '"relations":\[{"type":"located_in","from":2,"to":3,"rule":"relation/en/site-in-country"}\]'
"$factwire" extract "$work/rel.jsonl" --types site >"$work/out"
check "relation dropped with its country" contains "$work/out" '"relations":\[\]'
# an investment keeps its money and the parties whose types are kept, renumbered
printf '{"id":"i","text":"In 2024, Parloa, a Berlin-based start-up, raised $66 million in a round led by Altimeter Capital."}\n' >"$work/inv.jsonl"
"$factwire" extract "$work/inv.jsonl" >"$work/out"
check "investment with both parties" contains "$work/out" '"relations":\[{"type":"investment","money":3,"funders":\[4\],"beneficiaries":\[2\],"rule":"relation/en/investment-receive"}\]'
"$factwire" extract "$work/inv.jsonl" --types money,org >"$work/out"
check "investment renumbered" contains "$work/out" '"relations":\[{"type":"investment","money":2,"funders":\[3\],"beneficiaries":\[1\],'
"$factwire" extract "$work/inv.jsonl" --types date,org >"$work/out"
check "investment dropped with its money" contains "$work/out" '"relations":\[\]'

# -- sample: a seeded draw of one type's facts, with context, and how many there were
"$factwire" sample "$work/inv.jsonl" --type org -n 1 --seed 1 >"$work/out" 2>"$work/err"
check "sample exit 0" test $? -eq 0
check "sample prints one fact" test "$(wc -l <"$work/out")" -eq 1
check "sample marks the fact" contains "$work/out" '\[\[[PA][a-z]*[^]]*\]\]'
check "sample counts what it drew from" contains "$work/err" "sampled 1/2 org facts"

# -- eval: gold JSONL against factwire itself, and against another system's mentions
printf '%s\n' '{"id":"g1","text":"Acme raised EUR 300m in Germany.","facts":[{"type":"money","start":12,"end":20,"text":"EUR 300m","value":{"amount":300000000,"currency":"EUR"}},{"type":"country","start":24,"end":31,"text":"Germany","value":{"iso2":"DE","name":"Germany"}}]}' >"$work/gold.jsonl"
"$factwire" eval "$work/gold.jsonl" >"$work/out" 2>"$work/err"
check "eval exit 0" test $? -eq 0
check "eval money row" grep -Eq '^money +1 +1 +1.000 +1.000 +1.000' "$work/out"
printf '{"id":"g1","facts":[{"type":"money","start":16,"end":20},{"type":"country","start":0,"end":4}]}\n' >"$work/other.jsonl"
"$factwire" eval "$work/gold.jsonl" "$work/other.jsonl" --json --errors 5 >"$work/out" 2>"$work/err"
check "eval other system exit 0" test $? -eq 0
check "eval lists the false hit" contains "$work/out" '"kind": "false hit"'
"$factwire" eval "$work/gold.jsonl" "$work/other.jsonl" >"$work/out" 2>"$work/err"
check "eval other: money relaxed only" grep -Eq '^money +1 +1 +0.000 +0.000 +0.000 +1.000 +1.000 +1.000 +-' "$work/out"
printf 'not json\n' >"$work/bad.jsonl"
"$factwire" eval "$work/gold.jsonl" "$work/bad.jsonl" >"$work/out" 2>"$work/err"
check "eval bad system line exit 1" test $? -eq 1
check "eval bad line named" contains "$work/err" "bad.jsonl:1: malformed JSON"
"$factwire" eval "$work/nonexistent" >/dev/null 2>"$work/err"
check "eval missing gold exit 2" test $? -eq 2

# -- ACCURACY.md quotes exactly what `factwire eval corpus/test --lang L --top-level` and
# `factwire eval corpus/test/news` print today
for lang in en de fr es it; do
  "$factwire" eval "$source_dir/corpus/test" --lang "$lang" --top-level >"$work/accuracy" 2>&1
  sed -n "/^\\$ build\\/factwire eval corpus\\/test --lang $lang --top-level\$/,/^\`\`\`\$/p" "$source_dir/ACCURACY.md" | sed '1d;$d' >"$work/quoted"
  check "ACCURACY.md is current for $lang" diff "$work/quoted" "$work/accuracy"
done
"$factwire" eval "$source_dir/corpus/test/news" >"$work/accuracy" 2>&1
sed -n "/^\\$ build\\/factwire eval corpus\\/test\\/news\$/,/^\`\`\`\$/p" "$source_dir/ACCURACY.md" | sed '1d;$d' >"$work/quoted"
check "ACCURACY.md is current for the news articles" diff "$work/quoted" "$work/accuracy"

# -- usage errors exit 2
"$factwire" extract >/dev/null 2>&1
check "no input exit 2" test $? -eq 2
"$factwire" extract - --published 14/03/2025 </dev/null >/dev/null 2>&1
check "bad date exit 2" test $? -eq 2
"$factwire" extract - --published 2025-02-30 </dev/null >/dev/null 2>&1
check "impossible date exit 2" test $? -eq 2

# -- a missing input is reported; the others still come out
"$factwire" extract "$work/none.txt" "$work/mixed.jsonl" >"$work/out" 2>"$work/err"
check "missing file exit 1" test $? -eq 1
check "missing file named" contains "$work/err" "none.txt: no such file"
check "others still emitted" test "$(wc -l <"$work/out")" -eq 2

# -- a broken rule file: file:line, rule id, fragment; exit 2
cp -r "$source_dir/rules" "$work/rules"
sed -i "s/pattern: '{APPROX}(?P<cur>{CUR_BEFORE}) ?(?P<num>{NUMBER})/pattern: '{APPROX}(?P<cur>{CUR_BEFORE}) ?(?P<num>{NUMBR})/" "$work/rules/money/en.yaml"
FACTWIRE_RULES="$work/rules" "$factwire" extract - <<<'{"id":"x","text":"€5m"}' >/dev/null 2>"$work/err"
check "broken rules exit 2" test $? -eq 2
check "broken rules say where" contains "$work/err" "money/en.yaml:[0-9]*: rule money/en/symbol-number-magnitude: unknown macro {NUMBR}"
"$factwire" extract --rules "$work/rules" - <<<'{"id":"x","text":"€5m"}' >/dev/null 2>&1
check "--rules picks the folder" test $? -eq 2

# -- invalid UTF-8 is a warning, not a failure
printf 'caf\xe9 raised \xe2\x82\xac5m\n' >"$work/latin1.txt"
"$factwire" extract --lang en "$work/latin1.txt" >"$work/out" 2>"$work/err"
check "invalid utf-8 exit 0" test $? -eq 0
check "invalid utf-8 warned" contains "$work/err" "invalid UTF-8"
check "invalid utf-8 still extracts" contains "$work/out" '"text":"€5m"'

# -- --threads: the same records, in the same order, however many threads extract
"$factwire" extract --threads 1 "$source_dir/corpus/dev" >"$work/one" 2>/dev/null
"$factwire" extract --threads 3 "$source_dir/corpus/dev" >"$work/three" 2>/dev/null
check "threads exit 0" test $? -eq 0
check "threads keep input order and output" cmp -s "$work/one" "$work/three"
check "threads output not empty" test -s "$work/three"

# -- an article without a language gets the one CLD2 identifies; an unidentified or
# unsupported one gets the language-neutral rules (rules/*/und.yaml) and a warning
"$factwire" extract - >"$work/out" 2>"$work/err" <<<'{"id":"short","text":"EUR 300 000"}'
check "unidentified exit 0" test $? -eq 0
check "unidentified warned" contains "$work/err" "short: language not identified"
check "unidentified gets neutral rules" contains "$work/out" '"lang":"und".*"rule":"money/und/symbol-number"'
"$factwire" extract - >"$work/out" 2>"$work/err" <<<'{"id":"pt","text":"O governo português anunciou hoje um investimento de EUR 300 000 para apoiar as empresas da região, segundo o ministro da economia, que falou aos jornalistas em Lisboa."}'
check "unsupported language named" contains "$work/err" "pt: no rules for language 'pt': language-neutral rules only"
check "unsupported language keeps its tag" contains "$work/out" '"lang":"pt"'
check "unsupported language gets neutral money" contains "$work/out" '"text":"EUR 300 000"'
"$factwire" extract - >"$work/out" 2>"$work/err" <<<'{"id":"en","text":"The European Commission said on Tuesday that it would invest EUR 300m in new supercomputers in Finland and Spain over the next three years."}'
check "english identified" contains "$work/out" '"lang":"en".*"rule":"money/en/'

# -- explain shows candidates and decisions; check-rules runs the examples
"$factwire" explain "Jordan Smith paid US\$1.1bn" >"$work/out"
check "explain exit 0" test $? -eq 0
check "explain shows veto" contains "$work/out" "vetoed"
check "explain shows overlap" contains "$work/out" "overlapped.*inside or across money/en/symbol-number-magnitude"
"$factwire" explain "Profit fell last year, a filing said on Tuesday." --published 2025-03-14 >"$work/out"
check "explain resolves against --published" contains "$work/out" '"iso":"2024"'
check "explain shows the weekday policy" contains "$work/out" "date/en/weekday.*2025-03-11"
"$factwire" check-rules >"$work/out"
check "check-rules exit 0" test $? -eq 0
check "check-rules tally" contains "$work/out" " 0 failed"
check "check-rules says which features a language's data leaves off" contains "$work/out" "off: no relation frames for 'und'"

# -- --on-error record: one output line per input line, in order, on two threads
# (what Spark's RDD.pipe and Hadoop Streaming rely on), blank, malformed, oversized and
# repeated lines included
python3 - "$work/lines.jsonl" <<'PY'
import json, sys
with open(sys.argv[1], "w") as f:
    for i in range(1, 301):
        if i % 37 == 0: f.write("\n")
        elif i % 41 == 0: f.write("{not json\n")
        elif i % 43 == 0: f.write(json.dumps({"id": f"big{i}", "text": "x" * 5000}) + "\n")
        elif i % 47 == 0: f.write(json.dumps({"id": "line1", "text": "a repeated id"}) + "\n")
        else: f.write(json.dumps({"id": f"line{i}", "text": f"Acme will invest €{i} million in a plant in Poland."}) + "\n")
PY
"$factwire" extract --on-error record --threads 2 --max-bytes 4000 - <"$work/lines.jsonl" >"$work/out" 2>"$work/err"
check "on-error record: exit 1 (some lines failed)" test $? -eq 1
check "on-error record: one output line per input line" test "$(wc -l <"$work/out")" -eq "$(wc -l <"$work/lines.jsonl")"
check "on-error record: each line in its place" python3 - "$work/out" <<'PY'
import json, sys
for i, line in enumerate(open(sys.argv[1]), start=1):
    record = json.loads(line)
    if "error" in record:
        assert f"<stdin>:{i}:" in record["error"], (i, record)
        assert (i % 37 == 0) == ("blank line" in record["error"]), (i, record)
    else:
        assert record["id"] == f"line{i}" and record["facts"], (i, record)
PY
"$factwire" extract - <"$work/lines.jsonl" >"$work/out" 2>/dev/null
check "on-error report (the default): no error lines" test "$(grep -c '"error"' "$work/out")" -eq 0
"$factwire" extract --on-error record --db "$work/lines.db" - <"$work/lines.jsonl" >/dev/null 2>"$work/err"
check "on-error record with --db needs --force (an unchanged article gives no line)" test $? -eq 2
check "on-error record with --db says why" contains "$work/err" "needs --force"

# -- shards: every shard's records, in shard order, are the whole run's records
python3 "$source_dir/tests/shard_inputs.py" "$source_dir" "$work/mixed" || exit 1
"$factwire" extract "$work/mixed" -q --threads 2 >"$work/whole.jsonl" 2>"$work/whole.err"
"$factwire" shard "$work/mixed" --shards 5 -o "$work/manifest.json" 2>"$work/err"
check "shard: exit 0" test $? -eq 0
check "shard: five shards named" test "$(grep -c '^factwire: shard [0-4]: ' "$work/err")" = 5
"$factwire" shard "$work/mixed" --shards 5 2>/dev/null | cmp -s - "$work/manifest.json"
check "shard: the same plan again" test $? -eq 0
: >"$work/sharded.jsonl"
: >"$work/sharded.err"
for shard in 0 1 2 3 4; do
  "$factwire" extract --manifest "$work/manifest.json" --shard "$shard" -q --threads 2 >>"$work/sharded.jsonl" 2>>"$work/sharded.err"
done
check "shards: the whole run's records" cmp -s "$work/whole.jsonl" "$work/sharded.jsonl"
check "shards: the whole run's messages" cmp -s "$work/whole.err" "$work/sharded.err"
"$factwire" extract --manifest "$work/manifest.json" --shard 5 2>"$work/err"
check "shard out of range: usage" test $? -eq 2
check "shard out of range: says the range" contains "$work/err" "must be from 0 to 4"
"$factwire" extract "$work/mixed" --manifest "$work/manifest.json" --shard 0 2>"$work/err"
check "INPUT with --manifest: usage" test $? -eq 2
"$factwire" extract --shard 0 2>"$work/err"
check "--shard without --manifest: usage" test $? -eq 2
"$factwire" shard - --shards 2 2>"$work/err"
check "stdin cannot be sharded" contains "$work/err" "stdin cannot be cut into shards"
for shard in 0 1 2 3; do "$factwire" extract --manifest "$work/manifest.json" --shard "$shard" --db "$work/shards.db" -q 2>/dev/null; done
"$factwire" verify --manifest "$work/manifest.json" --db "$work/shards.db" >"$work/out" 2>&1
check "verify: a shard missing is exit 1" test $? -eq 1
check "verify: names a missing article" grep -q "^missing: " "$work/out"
"$factwire" extract --manifest "$work/manifest.json" --shard 4 --db "$work/shards.db" -q 2>/dev/null
"$factwire" verify --manifest "$work/manifest.json" --db "$work/shards.db" >"$work/out" 2>&1
check "verify: all shards loaded is exit 0" test $? -eq 0
check "verify: counts every article" grep -q "^verify: $(wc -l <"$work/whole.jsonl")/$(wc -l <"$work/whole.jsonl") articles stored, 0 missing" "$work/out"
touch -d '2001-01-01' "$work/mixed/crawl.warc"
"$factwire" verify --manifest "$work/manifest.json" --db "$work/shards.db" >"$work/out" 2>&1
check "verify: a file changed since planning is exit 1" test $? -eq 1
check "verify: a file changed since planning is named" grep -q "crawl.warc: changed since the shard plan was made" "$work/out"

echo "cli: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
