#!/usr/bin/env python3
"""Builds a folder of mixed inputs for sharded loads (slurm_test.sh, cli_test.sh), every
article with an id of its own, so that a sharded load must equal a single one exactly:
text files, a JSONL file (lines with and without ids, a blank and a bad line at its
end), a plain WARC of text records (some without a target URI), a .warc.gz of HTML
responses, one member each, and a tar.gz of text files.
Usage: shard_inputs.py SOURCE_DIR OUT_DIR"""
import glob, gzip, io, json, os, sys, tarfile

source, out = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)
texts = []
for path in sorted(glob.glob(os.path.join(source, "corpus", "dev", "*.txt"))):
    body = open(path, encoding="utf-8").read()
    texts.append(body.split("\n---\n", 1)[1] if body.startswith("---\n") else body)
pages = sorted(glob.glob(os.path.join(source, "bench", "html", "pages", "*.html")))


def warc_record(uri, content_type, payload):
    head = "WARC/1.0\r\nWARC-Type: {}\r\nWARC-Date: 2024-05-06T07:08:09Z\r\n".format(
        "response" if content_type.startswith("application/http") else "resource")
    if uri:
        head += f"WARC-Target-URI: {uri}\r\n"
    head += f"Content-Type: {content_type}\r\nContent-Length: {len(payload)}\r\n\r\n"
    return head.encode() + payload + b"\r\n\r\n"


def http_response(body):
    return (f"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
            f"Content-Length: {len(body)}\r\n\r\n").encode() + body


os.makedirs(os.path.join(out, "text"), exist_ok=True)
for copy in range(2):
    for i, text in enumerate(texts):
        with open(os.path.join(out, "text", f"t{copy}-{i:03d}.txt"), "w", encoding="utf-8") as f:
            f.write(f"---\nid: text-{copy}-{i:03d}\npublished: 2024-05-01\n---\n{text}")
with open(os.path.join(out, "news.jsonl"), "w", encoding="utf-8") as f:
    for copy in range(4):
        for i, text in enumerate(texts):
            line = {"text": text, "published": "2024-05-02"}
            if i % 5:
                line["id"] = f"jsonl-{copy}-{i:03d}"
            f.write(json.dumps(line, ensure_ascii=False) + "\n")
    f.write("\n{\"id\": \"broken\", \"text\": \n")
records = [warc_record(f"https://wire.example/{i}" if i % 6 else "", "text/plain", text.encode())
           for i, text in enumerate(texts + texts[::-1])]
open(os.path.join(out, "crawl.warc"), "wb").write(b"".join(records))
members = []
for i, page in enumerate(pages):
    body = open(page, "rb").read().replace(b'rel="canonical"', b'rel="was-canonical"')
    members.append(gzip.compress(warc_record(f"https://pages.example/{i}", "application/http; msgtype=response",
                                             http_response(body))))
open(os.path.join(out, "pages.warc.gz"), "wb").write(b"".join(members))
buffer = io.BytesIO()
with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
    for i, text in enumerate(texts[:5]):
        data = f"---\nid: tar-{i}\n---\n{text}".encode()
        info = tarfile.TarInfo(f"docs/{i}.txt")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
open(os.path.join(out, "docs.tar.gz"), "wb").write(buffer.getvalue())
