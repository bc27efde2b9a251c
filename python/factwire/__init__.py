"""factwire: facts from press articles, each with its exact place in the text.

    >>> import factwire
    >>> pipeline = factwire.Pipeline()
    >>> record = pipeline.extract("EuroHPC will invest €1.5bn in Spain.", published="2024-05-01")
    >>> [(f["type"], f["text"]) for f in record["facts"]]
    [('org', 'EuroHPC'), ('money', '€1.5bn'), ('country', 'Spain')]

Records are dicts in exactly the shape `factwire extract` prints as JSONL; fact offsets
are Python str indices (code points), so text[f["start"]:f["end"]] == f["text"].
"""
import itertools
import json

from ._factwire import Error, __version__
from ._factwire import Pipeline as _Pipeline

__all__ = ["Error", "Pipeline", "to_rows", "__version__"]

_FIELDS = ("id", "published", "lang", "title", "url")


def _fields(article):
    """(text, id, published, lang, title, url) of a str or a dict with "text"."""
    if isinstance(article, str):
        return (article, None, None, None, None, None)
    if isinstance(article, dict):
        if not isinstance(article.get("text"), str):
            raise ValueError('an article dict needs "text" as a str')
        return (article["text"],) + tuple(article.get(name) for name in _FIELDS)
    raise TypeError(f"an article is a str or a dict with 'text', not {type(article).__name__}")


class Pipeline:
    """The rules of every language, loaded once; then articles in, records out.

    Pipeline(rules=None, types=None)
        rules: the rule folder (default: $FACTWIRE_RULES, else the rules installed with
            factwire). A broken rule file raises factwire.Error naming file:line.
        types: fact types to keep, e.g. ["money", "country"] (default: all).

    A Pipeline is safe to share between threads; extract and extract_many release the
    GIL while the C++ core works.
    """

    def __init__(self, rules=None, types=None):
        self._pipeline = _Pipeline(rules, list(types) if types is not None else None)

    @property
    def rules_version(self):
        """A fingerprint of the rule folder and the kept types."""
        return self._pipeline.rules_version

    @property
    def rules_dir(self):
        """The rule folder in use."""
        return self._pipeline.rules_dir

    def extract(self, text, *, id=None, published=None, lang=None, title=None, url=None):
        """The record of one article, as a dict in the JSONL record shape.

        published: "YYYY-MM-DD", which relative dates are read against (ValueError if
            malformed); lang: a BCP 47 code, identified from the text when None; an
            article without id is named "sha256:" and 16 hex digits of its text.
        """
        if not isinstance(text, str):
            raise TypeError(f"text is a str, not {type(text).__name__}")
        return json.loads(self._pipeline.extract((text, id, published, lang, title, url)))

    def extract_many(self, articles, threads=0, batch=None):
        """Records of an iterable of articles (str, or dict with "text" and optionally
        "id", "published", "lang", "title", "url"), yielded in input order.

        threads: extraction threads (0: one per core). Articles are taken from the
        iterable a batch at a time (default 16 per thread), so memory stays bounded
        however long it is.
        """
        threads = int(threads)
        size = batch or 16 * max(1, threads or _cores())
        iterator = iter(articles)
        while True:
            chunk = [_fields(article) for article in itertools.islice(iterator, size)]
            if not chunk:
                return
            for line in self._pipeline.extract_batch(chunk, threads):
                yield json.loads(line)

    def text(self, page, *, html=None, name="python"):
        """An article as `factwire text` prints it: id, source, url, title, published,
        lang and the text fact offsets count in. `page` is bytes or str; HTML (the main
        text, its title, canonical URL, date and language) unless html=False, by
        default HTML when it looks like a page.
        """
        data = page.encode("utf-8") if isinstance(page, str) else bytes(page)
        if html is None:
            head = data[:1024].lstrip().lower()
            html = head.startswith((b"<!doctype html", b"<html", b"<?xml")) or b"<body" in head or b"<head" in head
        return json.loads(self._pipeline.text(data, bool(html), name))


def _cores():
    import os

    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def to_rows(records):
    """Flat fact rows, one dict per fact, that pandas.DataFrame takes as they are:
    article, fact (its id), type, start, end, text, rule, and the value's fields
    (amount, currency, iso, grain, iso2, name, role; None where the type has none)."""
    columns = ("amount", "currency", "iso", "grain", "iso2", "name", "role")
    rows = []
    for record in records:
        for fact in record["facts"]:
            value = fact.get("value") or {}
            row = {"article": record["id"], "fact": fact["id"], "type": fact["type"], "start": fact["start"],
                   "end": fact["end"], "text": fact["text"], "rule": fact["rule"]}
            row.update({column: value.get(column) for column in columns})
            if fact["type"] == "site" and row["iso2"] is None:
                row["iso2"] = value.get("country")
            rows.append(row)
    return rows
