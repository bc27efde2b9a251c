"""`import factwire` as built (issue 21): the record shape against the CLI's JSONL on the
corpus, offsets as Python str indices, threads, errors, to_rows with pandas, and memory
over 10,000 calls. Run by ctest with PYTHONPATH at the built package and FACTWIRE_BIN,
FACTWIRE_SOURCE_DIR set."""
import json
import os
import resource
import subprocess
import threading

import pytest

import factwire

BIN = os.environ["FACTWIRE_BIN"]
SOURCE = os.environ["FACTWIRE_SOURCE_DIR"]
CORPUS = os.path.join(SOURCE, "corpus")


@pytest.fixture(scope="module")
def pipeline():
    return factwire.Pipeline()


@pytest.fixture(scope="module")
def corpus():
    """Each corpus article as `factwire text` reads it, and the record `extract` prints."""
    read = subprocess.run([BIN, "text", CORPUS], capture_output=True, text=True, check=True)
    articles = [json.loads(line) for line in read.stdout.splitlines()]
    extracted = subprocess.run([BIN, "extract", "--no-progress", CORPUS], capture_output=True, text=True, check=True)
    records = {r["id"]: r for r in map(json.loads, extracted.stdout.splitlines())}
    assert len(articles) == len(records) > 50
    return articles, records


def fields(article):
    return {k: article[k] for k in ("id", "published", "lang", "title", "url")}


def without_source(record):
    return {k: v for k, v in record.items() if k != "source"}


def test_records_are_the_clis_on_the_whole_corpus(pipeline, corpus):
    articles, records = corpus
    for article in articles:
        record = pipeline.extract(article["text"], **fields(article))
        assert record["source"] == "python"
        assert without_source(record) == without_source(records[article["id"]]), article["id"]


def test_extract_many_keeps_input_order_on_threads(pipeline, corpus):
    articles, records = corpus
    many = list(pipeline.extract_many(({"text": a["text"], **fields(a)} for a in articles), threads=2, batch=7))
    assert [r["id"] for r in many] == [a["id"] for a in articles]
    assert [without_source(r) for r in many] == [without_source(records[a["id"]]) for a in articles]


def test_offsets_are_str_indices_with_emoji_and_combining_marks(pipeline):
    text = ("👩‍🔬🇪🇸 Cafe\u0301 owners in Sp\u0061in: the EIB lends €500 million to Iberdrola "
            "for wind farms in Spain on 3 March 2025. 🚀")
    record = pipeline.extract(text, id="emoji", published="2025-03-01", lang="en")
    assert {f["type"] for f in record["facts"]} >= {"money", "country", "date", "org"}
    for fact in record["facts"]:
        assert text[fact["start"]:fact["end"]] == fact["text"]


def test_articles_without_id_are_named_by_their_text(pipeline):
    a = pipeline.extract("The EU gives €5 million to Spain.")
    b = pipeline.extract("The EU gives €5 million to Spain.")
    assert a["id"] == b["id"] and a["id"].startswith("sha256:")


def test_threads_share_one_pipeline(pipeline):
    texts = [f"Acme will invest €{n} million in a plant in Poland." for n in range(1, 41)]
    results = [None] * len(texts)

    def work(i):
        results[i] = pipeline.extract(texts[i], id=str(i), lang="en")

    threads = [threading.Thread(target=work, args=(i,)) for i in range(len(texts))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for n, record in enumerate(results, start=1):
        money = [f for f in record["facts"] if f["type"] == "money"]
        assert money[0]["value"] == {"amount": n * 1_000_000, "currency": "EUR"}


def test_a_broken_rule_file_raises_with_file_and_line(tmp_path):
    rules = tmp_path / "rules"
    subprocess.run(["cp", "-r", os.path.join(SOURCE, "rules"), str(rules)], check=True)
    money = rules / "money" / "en.yaml"
    lines = money.read_text().splitlines()
    lines.insert(5, "  - this is: [not closed")
    money.write_text("\n".join(lines) + "\n")
    with pytest.raises(factwire.Error) as raised:
        factwire.Pipeline(rules=str(rules))
    cli = subprocess.run([BIN, "check-rules", "--rules", str(rules)], capture_output=True, text=True)
    assert "money/en.yaml:6: " in str(raised.value)
    assert str(raised.value) in cli.stderr, "the same message as the CLI"
    with pytest.raises(factwire.Error, match="rules folder not found"):
        factwire.Pipeline(rules=str(tmp_path / "missing"))


def test_bad_arguments_raise(pipeline):
    with pytest.raises(ValueError, match="not a date YYYY-MM-DD"):
        pipeline.extract("text", published="5 May")
    with pytest.raises(TypeError):
        pipeline.extract(b"bytes are not text")
    with pytest.raises(ValueError):
        list(pipeline.extract_many([{"title": "no text"}]))
    with pytest.raises(TypeError):  # bytes could carry invalid UTF-8 into the record
        list(pipeline.extract_many([{"text": "x", "id": b"\xff"}]))
    with pytest.raises(factwire.Error, match="no rules for fact type .weather."):
        factwire.Pipeline(types=["weather"])


def test_text_reads_a_page_as_the_cli_does(pipeline, tmp_path):
    html = ("<html lang='en'><head><title>Wind</title><link rel='canonical' href='https://example.org/w'></head>"
            "<body><nav>Home | News</nav><article><p>The EIB lends €500 million to Iberdrola for wind farms in "
            "Spain, the bank said on Monday in Luxembourg, adding that more would follow.</p></article></body></html>")
    path = tmp_path / "page.html"
    path.write_text(html)
    cli = json.loads(subprocess.run([BIN, "text", str(path)], capture_output=True, text=True, check=True).stdout)
    read = pipeline.text(html.encode())
    assert {k: v for k, v in read.items() if k != "source"} == {k: v for k, v in cli.items() if k != "source"}
    assert read["id"] == "https://example.org/w" and "Home" not in read["text"]
    assert pipeline.text("plain words", html=False)["text"] == "plain words"


def test_to_rows_makes_a_dataframe(pipeline, corpus):
    pandas = pytest.importorskip("pandas")
    articles, _ = corpus
    records = list(pipeline.extract_many(({"text": a["text"], **fields(a)} for a in articles[:10]), threads=2))
    frame = pandas.DataFrame(factwire.to_rows(records))
    assert len(frame) == sum(len(r["facts"]) for r in records)
    assert {"article", "type", "start", "end", "text", "amount", "currency", "iso2"} <= set(frame.columns)
    money = frame[frame.type == "money"]
    assert money.amount.notna().all() and money.currency.notna().all()


def test_memory_stays_flat_over_10000_calls(pipeline):
    text = "The EIB lends €500 million to Iberdrola for wind farms in Spain on 3 March 2025."
    for i in range(1000):  # warm: caches and allocator pools
        pipeline.extract(text, id=str(i), lang="en")
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    for i in range(10000):
        pipeline.extract(text, id=str(i), lang="en")
    grown_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    assert grown_kb < 20_000, f"peak RSS grew by {grown_kb} KB over 10,000 calls"


def test_help_explains_itself():
    assert "rules" in factwire.Pipeline.__doc__ and "extract_many" in dir(factwire.Pipeline)
    assert "code points" in factwire.__doc__
    assert factwire.__version__ == subprocess.run([BIN, "--version"], capture_output=True, text=True).stdout.split()[1]
