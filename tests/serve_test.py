#!/usr/bin/env python3
"""factwire serve end to end (issue 18): real servers on free loopback ports, spoken to
over HTTP. Every endpoint, the record against `extract`'s, offsets in code points, each
limit's answer, the token, and SIGTERM finishing the request in flight.

Usage: serve_test.py FACTWIRE SOURCE_DIR
"""
import http.client
import json
import os
import re
import select
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import urllib.parse

FACTWIRE = SOURCE_DIR = None


class Server:
    """A `factwire serve` on a free port, stopped with SIGTERM."""

    def __init__(self, *args, stdout=subprocess.DEVNULL):
        self.process = subprocess.Popen([FACTWIRE, "serve", "--listen", "127.0.0.1:0", *args],
                                        stdout=stdout, stderr=subprocess.PIPE, text=True)
        line = self.process.stderr.readline()
        match = re.search(r"serving on http://127\.0\.0\.1:(\d+)", line)
        if not match:
            self.process.kill()
            raise AssertionError("no 'serving on' line: " + line + self.process.communicate()[1])
        self.port = int(match.group(1))

    def request(self, method, path, body=None, headers=None, timeout=60):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        data = body.encode() if isinstance(body, str) else body
        connection.request(method, path, body=data, headers=headers or {})
        response = connection.getresponse()
        payload = response.read().decode()
        connection.close()
        return response.status, dict(response.getheaders()), payload

    def extract(self, body, content_type="application/json", query="", headers=None):
        all_headers = {"Content-Type": content_type, **(headers or {})}
        return self.request("POST", "/v1/extract" + query, body, all_headers)

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            # The extractions in flight finish first (a 4 MB one in Limits): slow in a sanitized build.
            code = self.process.wait(timeout=300)
        except subprocess.TimeoutExpired:
            self.process.kill()
            raise
        err = self.process.stderr.read()
        self.process.stderr.close()
        return code, err


def cli_records(path, *args):
    out = subprocess.run([FACTWIRE, "extract", "--no-progress", *args, path], capture_output=True, text=True, check=False)
    return [json.loads(line) for line in out.stdout.splitlines()]


def without(record, *keys):
    return {k: v for k, v in record.items() if k not in keys}


def big_article(megabytes):
    """Real sentences repeated to size: extraction time grows with it."""
    sentence = ("The European Commission granted EUR 12 million to Acme Robotics in Lyon, France, "
                "on 3 March 2025, and Chief Executive Jane Doe said the plant will open in 2027. ")
    return sentence * int(megabytes * 1e6 / len(sentence))


class Endpoints(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server("--max-body-bytes", "2000000", "--read-seconds", "1")

    @classmethod
    def tearDownClass(cls):
        code, err = cls.server.stop()
        assert code == 0, err

    def test_healthz(self):
        status, headers, body = self.server.request("GET", "/healthz")
        self.assertEqual(status, 200)
        self.assertEqual(json.loads(body)["status"], "ok")
        self.assertTrue(json.loads(body)["rules_version"])

    def test_json_article_gives_the_record_extract_prints(self):
        corpus = os.path.join(SOURCE_DIR, "corpus/dev")
        name = sorted(n for n in os.listdir(corpus) if n.endswith(".txt"))[0]
        with open(os.path.join(corpus, name), encoding="utf-8") as f:
            text = f.read().split("---\n", 2)[-1]  # the text without its front matter
        article = {"id": name, "published": "2025-06-16", "lang": "en", "text": text}
        with tempfile.TemporaryDirectory() as work:
            path = os.path.join(work, "one.jsonl")
            with open(path, "w") as f:
                f.write(json.dumps(article) + "\n")
            expected = cli_records(path)[0]
        status, headers, body = self.server.extract(json.dumps(article))
        self.assertEqual(status, 200, body)
        self.assertEqual(headers["Content-Type"], "application/json")
        record = json.loads(body)
        self.assertGreater(len(record["facts"]), 3)
        # The same record but where it came from: a file line there, the request here.
        self.assertEqual(without(record, "source"), without(expected, "source"))

    def test_text_with_query_fields_and_offsets_in_code_points(self):
        text = "🚀 Ünïcode first: Germany gave €2 billion to Intel in Magdeburg on 5 May 2024. 👍🏽 Done."
        query = "?" + urllib.parse.urlencode({"id": "t1", "published": "2024-06-01", "lang": "en", "title": "T"})
        status, _, body = self.server.extract(text, "text/plain; charset=utf-8", query)
        self.assertEqual(status, 200, body)
        record = json.loads(body)
        self.assertEqual((record["id"], record["published"], record["lang"], record["title"]),
                         ("t1", "2024-06-01", "en", "T"))
        types = {f["type"] for f in record["facts"]}
        self.assertTrue({"money", "country", "date"} <= types, types)
        for fact in record["facts"]:
            self.assertEqual(text[fact["start"]:fact["end"]], fact["text"])

    def test_text_without_id_is_named_by_its_content(self):
        status, _, first = self.server.extract("France spent EUR 5 million.", "text/plain")
        self.assertEqual(status, 200)
        _, _, second = self.server.extract("France spent EUR 5 million.", "text/plain")
        self.assertRegex(json.loads(first)["id"], r"^sha256:[0-9a-f]{16}$")
        self.assertEqual(json.loads(first)["id"], json.loads(second)["id"])

    def test_text_in_a_declared_charset(self):
        body = "Österreich zahlte 5 Millionen Euro.".encode("latin-1")
        status, _, answer = self.server.extract(body, "text/plain; charset=iso-8859-1", "?lang=de")
        self.assertEqual(status, 200, answer)
        record = json.loads(answer)
        self.assertIn("AT", json.dumps(record["facts"]))

    def test_html_page_is_read_as_extract_reads_it(self):
        pages = os.path.join(SOURCE_DIR, "bench/html/pages")
        page = os.path.join(pages, sorted(os.listdir(pages))[0])
        expected = cli_records(page)[0]
        with open(page, "rb") as f:
            status, _, body = self.server.extract(f.read(), "text/html")
        self.assertEqual(status, 200, body)
        record = json.loads(body)
        self.assertEqual(without(record, "source", "id"), without(expected, "source", "id"))

    def test_errors_are_json_with_their_status(self):
        cases = [
            ("malformed JSON", "{not json", "application/json", 400, "malformed JSON"),
            ("JSON without text", '{"id": "x"}', "application/json", 400, "text"),
            ("unsupported type", "x", "image/png", 415, "Content-Type"),
            ("bad date", "x", "text/plain", 400, "YYYY-MM-DD"),
            ("over the body limit", "x" * 2_000_001, "text/plain", 413, "--max-body-bytes"),
        ]
        for name, body, content_type, code, words in cases:
            with self.subTest(name):
                query = "?published=2024-13-01" if name == "bad date" else ""
                status, headers, answer = self.server.extract(body, content_type, query)
                self.assertEqual(status, code, answer)
                self.assertIn(words, json.loads(answer)["error"])
        status, _, answer = self.server.request("GET", "/v2/nothing")
        self.assertEqual((status, "no endpoint GET /v2/nothing"), (status, json.loads(answer)["error"]))
        self.assertEqual(status, 404)

    def test_headers_over_the_limit_get_an_error_and_the_service_goes_on(self):
        status, _, _ = self.server.request("GET", "/healthz", headers={"X-Big": "y" * 10000})
        self.assertEqual(status, 400)
        self.assertEqual(self.server.request("GET", "/healthz")[0], 200)

    def test_garbage_and_a_silent_client_do_not_stop_the_service(self):
        with socket.create_connection(("127.0.0.1", self.server.port), timeout=10) as raw:
            raw.sendall(b"\x00\xff garbage \r\n\r\n")
            raw.recv(4096)
        started = time.monotonic()
        with socket.create_connection(("127.0.0.1", self.server.port), timeout=10) as slow:
            slow.sendall(b"POST /v1/extract HTTP/1.1\r\nHost: x\r\n")  # and then nothing
            answer = b""
            while chunk := slow.recv(4096):  # answered and cut off after --read-seconds 1
                answer += chunk
            self.assertTrue(answer.startswith(b"HTTP/1.1 400"), answer)
        self.assertLess(time.monotonic() - started, 8)
        self.assertEqual(self.server.request("GET", "/healthz")[0], 200)

    def test_metrics_count_requests_articles_facts_and_latency(self):
        for _ in range(3):
            self.assertEqual(self.server.extract("Italy paid EUR 7 million.", "text/plain")[0], 200)
        status, headers, body = self.server.request("GET", "/metrics")
        self.assertEqual(status, 200)
        self.assertTrue(headers["Content-Type"].startswith("text/plain"))
        values = dict(re.findall(r"^(factwire_[^ ]+) ([0-9.e+]+)$", body, re.M))
        self.assertGreaterEqual(float(values['factwire_requests_total{endpoint="/v1/extract",code="200"}']), 3)
        self.assertGreaterEqual(float(values["factwire_articles_total"]), 3)
        self.assertGreaterEqual(float(values['factwire_facts_total{type="money"}']), 3)
        self.assertGreaterEqual(float(values["factwire_request_seconds_count"]),
                                float(values['factwire_requests_total{endpoint="/v1/extract",code="200"}']))
        self.assertEqual(values['factwire_request_seconds_bucket{le="+Inf"}'], values["factwire_request_seconds_count"])


class Token(unittest.TestCase):
    def test_token_guards_all_but_healthz(self):
        with tempfile.NamedTemporaryFile("w", suffix=".token") as token:
            token.write("s3cret\n")
            token.flush()
            server = Server("--token-file", token.name)
            try:
                self.assertEqual(server.request("GET", "/healthz")[0], 200)
                status, headers, body = server.extract("France.", "text/plain")
                self.assertEqual(status, 401)
                self.assertIn("bearer token", json.loads(body)["error"])
                self.assertEqual(server.extract("France.", "text/plain", headers={"Authorization": "Bearer wrong"})[0], 401)
                self.assertEqual(server.extract("France.", "text/plain", headers={"Authorization": "Bearer s3cret"})[0], 200)
                self.assertEqual(server.request("GET", "/metrics", headers={"Authorization": "Bearer s3cret"})[0], 200)
                # Refused with its body read: the next request on the connection is answered as itself.
                connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
                connection.request("POST", "/v1/extract", body="Spain paid EUR 5 million. " * 200,
                                   headers={"Content-Type": "text/plain"})
                response = connection.getresponse()
                self.assertEqual(response.status, 401)
                response.read()
                connection.request("GET", "/healthz")
                response = connection.getresponse()
                self.assertEqual((response.status, json.loads(response.read())["status"]), (200, "ok"))
                connection.close()
            finally:
                self.assertEqual(server.stop()[0], 0)

    def test_an_open_address_needs_a_token_or_insecure(self):
        out = subprocess.run([FACTWIRE, "serve", "--listen", "0.0.0.0:0"], capture_output=True, text=True, timeout=60)
        self.assertEqual(out.returncode, 2)
        self.assertIn("--token", out.stderr)


class Limits(unittest.TestCase):
    def test_slow_extraction_gets_504_and_a_full_service_503(self):
        server = Server("--extract-threads", "1", "--extract-queue", "0", "--request-seconds", "0.05")
        try:
            article = big_article(4)
            status, _, body = server.extract(article, "text/plain")
            self.assertEqual(status, 504, body[:200])
            self.assertIn("longer than", json.loads(body)["error"])
            # The slow extraction still holds the only extraction thread.
            status, headers, body = server.extract("Spain.", "text/plain")
            self.assertEqual(status, 503, body)
            self.assertIn("busy", json.loads(body)["error"])
            self.assertEqual(headers.get("Retry-After"), "1")
        finally:
            self.assertEqual(server.stop()[0], 0)

    def test_connections_beyond_the_limit_get_503(self):
        server = Server("--connection-threads", "1", "--max-waiting", "0", "--read-seconds", "5")
        try:
            with socket.create_connection(("127.0.0.1", server.port), timeout=10):  # takes the only thread
                time.sleep(0.3)
                status, _, body = server.request("GET", "/healthz")
                self.assertEqual(status, 503)
                self.assertIn("too many connections", json.loads(body)["error"])
            time.sleep(0.3)
            deadline = time.monotonic() + 10
            while server.request("GET", "/healthz")[0] != 200:  # the thread is free again
                self.assertLess(time.monotonic(), deadline)
                time.sleep(0.2)
        finally:
            self.assertEqual(server.stop()[0], 0)

    def test_sigterm_finishes_the_request_in_flight_and_exits_0(self):
        server = Server("--request-seconds", "300")  # however slow the build (ASan)
        result = {}
        in_flight = threading.Event()

        def post():
            body = big_article(5).encode()
            connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=300)
            connection.putrequest("POST", "/v1/extract?id=last")
            connection.putheader("Content-Type", "text/plain")
            connection.putheader("Content-Length", str(len(body)))
            # The server answers 100 Continue once a connection thread has taken the request:
            # from then on a stop finishes it (a request not yet taken is not served).
            connection.putheader("Expect", "100-continue")
            connection.endheaders()
            if not select.select([connection.sock], [], [], 60)[0]:
                return
            connection.send(body)
            in_flight.set()
            response = connection.getresponse()  # skips the 100 Continue
            result["answer"] = (response.status, dict(response.getheaders()), response.read().decode())
            connection.close()

        client = threading.Thread(target=post)
        client.start()
        taken = in_flight.wait(timeout=60)  # the request is in flight
        server.process.send_signal(signal.SIGTERM)
        client.join(timeout=300)
        code, err = server.stop()
        self.assertTrue(taken, "the request was not taken: " + err)
        status, _, body = result["answer"]
        self.assertEqual(status, 200)
        self.assertEqual(json.loads(body)["id"], "last")
        self.assertEqual(code, 0, err)
        self.assertIn("stopped", err)


ALERTS = """\
- id: big-eu-investment
  when:
    money: {at_least: 100000000, currency: EUR}
    country: {in: eu}
    relation: investment
  within: sentence
- id: big-money-eu
  when:
    money: {at_least: 100000000, currency: EUR}
    country: {in: eu}
- id: horizon-europe-award
  when: {programme: {name: Horizon Europe}}
"""


class Articles(unittest.TestCase):
    """POST /v1/articles with a database and alert rules; the alert log and its stream."""

    def setUp(self):
        self.work = tempfile.TemporaryDirectory()
        self.db = os.path.join(self.work.name, "facts.db")
        self.rules = os.path.join(self.work.name, "alerts.yaml")
        with open(self.rules, "w") as f:
            f.write(ALERTS)
        self.log = open(os.path.join(self.work.name, "alerts.jsonl"), "w+")
        self.server = Server("--db", self.db, "--alerts", self.rules, stdout=self.log)

    def tearDown(self):
        code, err = self.server.stop()
        self.log.close()
        self.work.cleanup()
        self.assertEqual(code, 0, err)

    def post(self, article_id, text, published="2024-05-01"):
        body = json.dumps({"id": article_id, "text": text, "published": published, "lang": "en"})
        status, _, answer = self.server.request("POST", "/v1/articles", body, {"Content-Type": "application/json"})
        self.assertEqual(status, 200, answer)
        return json.loads(answer)

    def alerts(self, after=0):
        status, _, answer = self.server.request("GET", f"/v1/alerts?after={after}&limit=100")
        self.assertEqual(status, 200, answer)
        return json.loads(answer)["alerts"]

    def test_an_article_is_stored_and_raises_its_alerts_once(self):
        text = "Wind power grows. The EIB lends €500 million to Iberdrola for wind farms in Spain."
        answer = self.post("eib", text)
        self.assertEqual(answer["record"]["id"], "eib")
        raised = answer["alerts"]
        self.assertEqual([a["rule"] for a in raised], ["big-eu-investment", "big-money-eu"])
        first = raised[0]
        self.assertEqual((first["seq"], first["article"]), (1, "eib"))
        self.assertEqual([f["text"] for f in first["facts"]], ["€500 million", "Spain"])
        self.assertEqual(first["facts"][0]["sentence"], "The EIB lends €500 million to Iberdrola for wind farms in Spain.")
        for fact in first["facts"]:
            self.assertEqual(text[fact["start"]:fact["end"]], fact["text"])
        self.assertEqual(self.post("eib", text)["alerts"], [], "the same article again raises nothing")
        self.assertEqual([a["seq"] for a in self.alerts()], [1, 2])
        self.log.seek(0)
        self.assertEqual([json.loads(line)["id"] for line in self.log], [raised[0]["id"], raised[1]["id"]])
        with sqlite3.connect(self.db) as db:
            self.assertEqual(db.execute("SELECT COUNT(*) FROM articles WHERE id = 'eib'").fetchone()[0], 1)
            self.assertEqual(db.execute("SELECT COUNT(*) FROM alerts").fetchone()[0], 2)
            self.assertIn("€500 million", db.execute("SELECT text FROM articles").fetchone()[0])

    def test_amounts_in_dollars_and_pounds_are_compared_in_euros(self):
        cases = [  # ECB 2024 averages: USD 1.0824 and GBP 0.84662 per euro
            ("usd-110", "Acme said it would spend $110 million on a plant in Poland.", True),
            ("usd-105", "Acme said it would spend $105 million on a plant in Poland.", False),
            ("gbp-90", "Acme said it would spend £90 million on a plant in Poland.", True),
            ("gbp-80", "Acme said it would spend £80 million on a plant in Poland.", False),
            ("usd-outside-eu", "Acme said it would spend $500 million on a plant in Canada.", False),
        ]
        for article_id, text, fires in cases:
            with self.subTest(article_id):
                rules = [a["rule"] for a in self.post(article_id, text)["alerts"]]
                self.assertEqual("big-money-eu" in rules, fires, rules)

    def test_the_log_pages_and_the_stream_resumes_after_the_last_event_id(self):
        self.post("h1", "The project gets a Horizon Europe grant.")
        self.post("h2", "Another Horizon Europe grant went to Lyon.")
        self.assertEqual([a["article"] for a in self.alerts(after=1)], ["h2"])
        status, _, answer = self.server.request("GET", "/v1/alerts?after=x")
        self.assertEqual(status, 400)
        events = []
        connection = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=30)
        connection.request("GET", "/v1/alerts/stream", headers={"Last-Event-ID": "1"})
        response = connection.getresponse()
        self.assertEqual(response.getheader("Content-Type"), "text/event-stream")

        def read_events():
            event = {}
            while len(events) < 2:
                line = response.fp.readline().decode()
                if not line:
                    return
                if line.startswith(("id: ", "data: ")):
                    key, value = line.rstrip("\n").split(": ", 1)
                    event[key] = value
                elif line == "\n" and event:
                    events.append(event)
                    event = {}

        reader = threading.Thread(target=read_events)
        reader.start()
        time.sleep(0.3)
        self.post("h3", "A third Horizon Europe grant.")  # arrives while the stream is open
        reader.join(timeout=20)
        connection.close()
        self.assertEqual([e["id"] for e in events], ["2", "3"])
        self.assertEqual([json.loads(e["data"])["article"] for e in events], ["h2", "h3"])

    def test_alerts_and_ids_outlive_a_restart(self):
        self.post("eib", "The EIB lends €500 million to Iberdrola for wind farms in Spain.")
        self.assertEqual(self.server.stop()[0], 0)
        self.server = Server("--db", self.db, "--alerts", self.rules, stdout=self.log)
        self.assertEqual(len(self.alerts()), 2)
        self.assertEqual(self.post("eib", "The EIB lends €500 million to Iberdrola for wind farms in Spain.")["alerts"], [])

    def test_metrics_count_alerts(self):
        self.post("h1", "The project gets a Horizon Europe grant.")
        _, _, body = self.server.request("GET", "/metrics")
        self.assertRegex(body, r"(?m)^factwire_alerts_total 1$")


class AlertFileErrors(unittest.TestCase):
    def test_a_malformed_alerts_file_names_file_and_line(self):
        with tempfile.NamedTemporaryFile("w", suffix=".yaml") as rules:
            rules.write("- id: a\n  when:\n    moneys: {currency: EUR}\n")
            rules.flush()
            out = subprocess.run([FACTWIRE, "serve", "--listen", "127.0.0.1:0", "--alerts", rules.name],
                                 capture_output=True, text=True, timeout=60)
        self.assertNotEqual(out.returncode, 0)
        self.assertIn(rules.name + ":3: 'moneys' is no fact type", out.stderr)


if __name__ == "__main__":
    FACTWIRE, SOURCE_DIR = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    unittest.main(argv=[sys.argv[0], "-v"])
