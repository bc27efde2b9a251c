#!/usr/bin/env python3
"""Builds the inputs of formats_test.sh from saved pages: WARC files plain and gzipped
per record, compressed and archived forms of a JSONL file, and damaged copies of each.
Usage: formats_fixtures.py PAGES_DIR OUT_DIR"""
import bz2, gzip, io, lzma, os, sys, tarfile, zipfile, zlib

pages_dir, out = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)
pages = sorted(p for p in os.listdir(pages_dir) if p.endswith(".html"))[:6]


def record(warc_type, uri, content_type, payload, date="2024-05-06T07:08:09Z", version="WARC/1.0"):
    head = (f"{version}\r\nWARC-Type: {warc_type}\r\nWARC-Record-ID: <urn:uuid:{abs(hash((warc_type, uri))):032x}>\r\n"
            f"WARC-Date: {date}\r\n")
    if uri:
        head += f"WARC-Target-URI: {uri}\r\n"
    head += f"Content-Type: {content_type}\r\nContent-Length: {len(payload)}\r\n\r\n"
    return head.encode() + payload + b"\r\n\r\n"


def http(body, content_type="text/html; charset=utf-8", status="200 OK", extra=""):
    return (f"HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\n{extra}"
            f"Content-Length: {len(body)}\r\n\r\n").encode() + body


def chunked(body, size=700):
    parts = [b"%x\r\n" % len(body[i:i + size]) + body[i:i + size] + b"\r\n" for i in range(0, len(body), size)]
    return b"".join(parts) + b"0\r\n\r\n"


records = [record("warcinfo", "", "application/warc-fields", b"software: formats_fixtures.py\r\n", version="WARC/1.1")]
for i, name in enumerate(pages):
    body = open(os.path.join(pages_dir, name), "rb").read()
    uri = f"https://news.example/{name}"
    records.append(record("request", uri, "application/http; msgtype=request", f"GET /{name} HTTP/1.1\r\n\r\n".encode()))
    if i == 1:  # chunked and gzipped on the wire
        payload = http(b"", extra="").replace(b"Content-Length: 0\r\n", b"Transfer-Encoding: chunked\r\nContent-Encoding: gzip\r\n")
        payload += chunked(gzip.compress(body))
    else:
        payload = http(body)
    records.append(record("response", uri, "application/http; msgtype=response", payload))
records.append(record("response", "https://news.example/logo.png", "application/http; msgtype=response",
                      http(b"\x89PNG\r\n\x1a\n" + bytes(64), "image/png")))
records.append(record("response", "https://news.example/gone", "application/http; msgtype=response",
                      http(b"<html><body>Not found</body></html>", status="404 Not Found")))
records.append(record("resource", "https://news.example/note.txt", "text/plain",
                      b"The Commission will invest EUR 40 million in Portugal."))
open(os.path.join(out, "crawl.warc"), "wb").write(b"".join(records))
members = [gzip.compress(r) for r in records]
open(os.path.join(out, "crawl.warc.gz"), "wb").write(b"".join(members))
# Damaged: the last member cut in half; a member in the middle with its deflate data spoiled.
open(os.path.join(out, "cut.warc.gz"), "wb").write(b"".join(members[:-1]) + members[-1][: len(members[-1]) // 2])
spoiled = bytearray(members[4])
for k in range(20, min(60, len(spoiled) - 10)):
    spoiled[k] ^= 0x55
open(os.path.join(out, "spoiled.warc.gz"), "wb").write(b"".join(members[:4] + [bytes(spoiled)] + members[5:]))
plain = b"".join(records)
open(os.path.join(out, "cut.warc"), "wb").write(plain[: len(plain) - 40])

# Found in review (issue 17): a whole WARC gzipped as one member, with a record whose
# Content-Length is bad (the records after it must still be read); a .warc.gz whose
# first member is damaged.
bad = records[:6] + [records[6].replace(b"Content-Length: ", b"Content-Length: x", 1)] + records[7:]
open(os.path.join(out, "whole.warc.gz"), "wb").write(gzip.compress(b"".join(bad)))
first = bytearray(members[0] + members[1])
for k in range(12, 30):
    first[k] ^= 0x55
open(os.path.join(out, "first.warc.gz"), "wb").write(bytes(first) + b"".join(members[2:]))

# One JSONL file in every wrapper.
lines = [b'{"id":"j1","text":"EuroHPC will invest \xe2\x82\xac1.5bn in Spain.","published":"2024-03-01"}',
         b'{"text":"Germany and France signed the deal on Monday.","published":"2024-03-02"}',
         b'{"id":"j3","text":"The Barcelona Supercomputing Center opens in 2026.","lang":"en"}']
jsonl = b"\n".join(lines) + b"\n"
open(os.path.join(out, "news.jsonl"), "wb").write(jsonl)
open(os.path.join(out, "news.jsonl.gz"), "wb").write(gzip.compress(jsonl))
open(os.path.join(out, "news.jsonl.bz2"), "wb").write(bz2.compress(jsonl))
open(os.path.join(out, "news.jsonl.xz"), "wb").write(lzma.compress(jsonl))
gz = gzip.compress(jsonl)
open(os.path.join(out, "cut.jsonl.gz"), "wb").write(gz[: len(gz) - 12])
# An empty first member, then the lines (as `: | gzip; gzip -c x >>` makes it).
open(os.path.join(out, "empty_first.jsonl.gz"), "wb").write(gzip.compress(b"") + gz)
# Lines longer than any look-ahead.
long_lines = b"".join(b'{"id":"long%d","text":"%s Spain will invest EUR 2 million."}\n' % (i, b"word " * 2000) for i in range(3))
open(os.path.join(out, "long.jsonl"), "wb").write(long_lines)

# A tar.gz of mixed inputs, an image among them, and a zip.
def add(tar, name, data):
    info = tarfile.TarInfo(name)
    info.size = len(data)
    tar.addfile(info, io.BytesIO(data))

buffer = io.BytesIO()
with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
    add(tar, "docs/a.txt", b"---\nid: tar-a\n---\nItaly will fund the site with EUR 20 million.\n")
    add(tar, "docs/b.jsonl", jsonl)
    add(tar, "docs/c.html", open(os.path.join(pages_dir, pages[0]), "rb").read())
    add(tar, "docs/d.jsonl.gz", gzip.compress(b'{"id":"nested","text":"Spain and Portugal agreed."}\n'))
    add(tar, "docs/logo.png", b"\x89PNG\r\n\x1a\n" + bytes(32))
open(os.path.join(out, "mixed.tar.gz"), "wb").write(buffer.getvalue())
with zipfile.ZipFile(os.path.join(out, "news.zip"), "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("inner/news.jsonl", jsonl)
# A zip whose second member's data is damaged: the third is still read.
with zipfile.ZipFile(os.path.join(out, "damaged.zip"), "w", zipfile.ZIP_DEFLATED) as z:
    for n in range(3):
        z.writestr(f"m{n}.txt", (f"---\nid: zip-{n}\n---\n" + "Spain will invest EUR 2 million. " * 40).encode())
data = bytearray(open(os.path.join(out, "damaged.zip"), "rb").read())
second = data.find(b"PK\x03\x04", 10)
for k in range(second + 50, second + 70):
    data[k] ^= 0x55
open(os.path.join(out, "damaged.zip"), "wb").write(bytes(data))
# UTF-16 HTML whose <meta> says utf-16: decoded once, by its byte order mark.
page16 = '<html><head><meta charset="utf-16"></head><body><article><p>Zürich will host the new centre, the Swiss government said on Monday, at a cost of CHF 40 million.</p></article></body></html>'
open(os.path.join(out, "utf16.html"), "wb").write(page16.encode("utf-16"))
# A tar whose second header is garbage: the first member is still read.
buffer = io.BytesIO()
with tarfile.open(fileobj=buffer, mode="w") as tar:
    add(tar, "first.txt", b"---\nid: first\n---\nSpain will invest EUR 5 million.\n")
    add(tar, "second.txt", b"---\nid: second\n---\nFrance too.\n")
    add(tar, "third.txt", b"---\nid: third\n---\nItaly as well.\n")
data = bytearray(buffer.getvalue())
data[1024:1024 + 200] = b"\xff" * 200  # the second member's header
open(os.path.join(out, "corrupt.tar"), "wb").write(bytes(data))

# An HTML page that is really binary.
open(os.path.join(out, "binary.html"), "wb").write(b"\x00\x01\x02PK" + os.urandom(512))
