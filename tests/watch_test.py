#!/usr/bin/env python3
"""factwire watch and webhooks end to end (issue 18): a real watched folder (inotify and
polling), kill -9 and restart with no file done twice, and a real webhook receiver that
is down for a while, then gets every alert signed and once.

Usage: watch_test.py FACTWIRE SOURCE_DIR
"""
import hashlib
import hmac
import http.client
import http.server
import json
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import unittest

FACTWIRE = SOURCE_DIR = None

ALERTS = """\
- id: big-eu-investment
  when:
    money: {at_least: 100000000, currency: EUR}
    country: {in: eu}
  notify: [log, webhook]
- id: horizon-europe-award
  when: {programme: {name: Horizon Europe}}
  notify: [webhook]
"""
EIB = "The EIB lends €500 million to Iberdrola for wind farms in Spain."
HORIZON = "The project gets a Horizon Europe grant."
SECRET = "test-secret-0123"


def wait_for(condition, timeout=30, what="the condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def drop(folder, name, text, age=0):
    """Writes a file elsewhere in the folder under a .tmp name and renames it in."""
    partial = os.path.join(folder, name + ".tmp")
    with open(partial, "w", encoding="utf-8") as f:
        f.write(text)
    if age:
        then = time.time() - age
        os.utime(partial, (then, then))
    os.rename(partial, os.path.join(folder, name))


class Process:
    """A factwire serve or watch, its stderr read line by line on a thread."""

    def __init__(self, *args, stdout=subprocess.DEVNULL):
        self.process = subprocess.Popen([FACTWIRE, *args], stdout=stdout, stderr=subprocess.PIPE, text=True)
        self.lines = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        wait_for(lambda: any(re.search(r"(serving on|watching)", l) for l in self.lines) or self.process.poll() is not None,
                 what="the start line")
        if self.process.poll() is not None:
            raise AssertionError("did not start: " + self.err())
        match = re.search(r"serving on http://127\.0\.0\.1:(\d+)", self.err())
        self.port = int(match.group(1)) if match else None

    def _read(self):
        for line in self.process.stderr:
            self.lines.append(line)

    def err(self):
        return "".join(self.lines)

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        code = self.process.wait(timeout=60)
        self.reader.join(timeout=10)
        self.process.stderr.close()
        return code

    def kill(self):
        self.process.kill()  # SIGKILL: no clean-up of any kind
        self.process.wait(timeout=30)
        self.reader.join(timeout=10)
        self.process.stderr.close()

    def post(self, path, body, content_type="application/json"):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        connection.request("POST", path, body=body.encode(), headers={"Content-Type": content_type})
        response = connection.getresponse()
        payload = response.read().decode()
        connection.close()
        return response.status, payload

    def get(self, path):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        connection.request("GET", path)
        response = connection.getresponse()
        payload = response.read().decode()
        connection.close()
        return response.status, payload


class Receiver:
    """A webhook receiver on `port`: checks each signature, keeps every delivery, and
    answers 503 to the first attempt of every alert (a receiver having a bad moment)."""

    def __init__(self, port):
        self.deliveries = []
        self.lock = threading.Lock()
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                expected = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
                alert_id = self.headers["X-Factwire-Alert-Id"]
                with receiver.lock:
                    first = not any(d["id"] == alert_id for d in receiver.deliveries)
                    receiver.deliveries.append({
                        "id": alert_id,
                        "attempt": int(self.headers["X-Factwire-Attempt"]),
                        "signed": hmac.compare_digest(expected, self.headers["X-Factwire-Signature-256"] or ""),
                        "path": self.path,
                        "body": json.loads(body),
                        "answered": 503 if first else 204,
                    })
                self.send_response(503 if first else 204)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def accepted(self):
        with self.lock:
            return [d for d in self.deliveries if d["answered"] == 204]

    def close(self):
        self.server.shutdown()
        self.server.server_close()


class Webhooks(unittest.TestCase):
    def setUp(self):
        self.work = tempfile.TemporaryDirectory()
        self.db = os.path.join(self.work.name, "facts.db")
        self.rules = os.path.join(self.work.name, "alerts.yaml")
        with open(self.rules, "w") as f:
            f.write(ALERTS)
        self.secret = os.path.join(self.work.name, "secret")
        with open(self.secret, "w") as f:
            f.write(SECRET + "\n")
        self.port = free_port()

    def tearDown(self):
        self.work.cleanup()

    def serve(self):
        return Process("serve", "--listen", "127.0.0.1:0", "--db", self.db, "--alerts", self.rules,
                       "--webhook", f"http://127.0.0.1:{self.port}/hooks/factwire", "--webhook-secret-file", self.secret,
                       "--webhook-retry-seconds", "0.1", "--webhook-max-retry-seconds", "0.5")

    def test_alerts_reach_a_receiver_that_was_down_signed_and_once_across_kill_9(self):
        server = self.serve()
        for article_id, text in [("eib", EIB), ("h1", HORIZON), ("eib", EIB)]:  # the repeat raises nothing
            status, answer = server.post("/v1/articles", json.dumps({"id": article_id, "text": text, "lang": "en"}))
            self.assertEqual(status, 200, answer)
        wait_for(lambda: server.err().count("attempt 3 failed") >= 2, what="failed attempts while the receiver is down")
        server.kill()  # the outbox is all there is now
        receiver = Receiver(self.port)
        try:
            server = self.serve()
            wait_for(lambda: len(receiver.accepted()) >= 2, what="deliveries")
            time.sleep(1.0)  # room for a wrongful second delivery
            self.assertEqual(server.stop(), 0, server.err())
        finally:
            receiver.close()
        accepted = receiver.accepted()
        with sqlite3.connect(self.db) as db:
            stored = dict(db.execute("SELECT id, alert FROM alerts").fetchall())
            undelivered = db.execute("SELECT COUNT(*) FROM webhook_outbox WHERE delivered_at IS NULL").fetchone()[0]
        self.assertEqual(sorted(d["id"] for d in accepted), sorted(stored), "each alert accepted once")
        self.assertEqual(undelivered, 0)
        for delivery in receiver.deliveries:
            self.assertTrue(delivery["signed"], delivery)
            self.assertEqual(delivery["path"], "/hooks/factwire")
            self.assertEqual(delivery["body"], json.loads(stored[delivery["id"]]))
        self.assertTrue(all(d["attempt"] > 3 for d in receiver.deliveries), "attempts are counted across the restart")
        self.assertEqual({d["body"]["rule"] for d in accepted}, {"big-eu-investment", "horizon-europe-award"})

    def test_webhook_setup_errors_are_usage_errors(self):
        for args, message in [
            (["--webhook", "http://127.0.0.1:9/x", "--webhook-secret-file", self.secret], "--webhook needs --db"),
            (["--db", self.db, "--webhook", "http://127.0.0.1:9/x"], "--webhook needs --webhook-secret-file"),
            (["--db", self.db, "--webhook", "ftp://x/y", "--webhook-secret-file", self.secret], "expected http://HOST"),
        ]:
            out = subprocess.run([FACTWIRE, "serve", "--listen", "127.0.0.1:0", *args], capture_output=True, text=True,
                                 timeout=60)
            self.assertEqual(out.returncode, 2, out.stderr)
            self.assertIn(message, out.stderr)


class Watch(unittest.TestCase):
    def setUp(self):
        self.work = tempfile.TemporaryDirectory()
        self.dir = os.path.join(self.work.name, "inbox")
        os.mkdir(self.dir)
        self.db = os.path.join(self.work.name, "facts.db")
        self.rules = os.path.join(self.work.name, "alerts.yaml")
        with open(self.rules, "w") as f:
            f.write(ALERTS)
        self.records = os.path.join(self.work.name, "records.jsonl")

    def tearDown(self):
        self.work.cleanup()

    def watch(self, *args, log=None):
        return Process("watch", self.dir, "--db", self.db, "--alerts", self.rules, "-o", self.records, "--published",
                       "2024-05-01", "--lang", "en", *args, stdout=log or subprocess.DEVNULL)

    def query(self, sql):
        with sqlite3.connect(self.db) as db:
            return db.execute(sql).fetchall()

    def done(self, name):
        return os.path.exists(os.path.join(self.dir, "done", name))

    def check_dropped_file_is_taken(self, *args):
        with open(os.path.join(self.work.name, "alerts.jsonl"), "w+") as log:
            watcher = self.watch("--move-done", *args, log=log)
            drop(self.dir, "eib.txt", EIB)
            wait_for(lambda: self.done("eib.txt"), what="eib.txt in done/")
            self.assertEqual(watcher.stop(), 0, watcher.err())
            log.seek(0)
            alerts = [json.loads(line) for line in log]
        self.assertEqual([a["rule"] for a in alerts], ["big-eu-investment"], "notify: log alerts on stdout")
        self.assertEqual(self.query("SELECT id, published FROM articles"), [("eib.txt", "2024-05-01")])
        with open(self.records) as f:
            records = [json.loads(line) for line in f]
        self.assertEqual([r["id"] for r in records], ["eib.txt"])
        for fact in records[0]["facts"]:
            self.assertEqual(EIB[fact["start"]:fact["end"]], fact["text"])
        self.assertIn("eib.txt: 1 article, 1 alert", watcher.err())

    def test_a_file_renamed_in_mid_run_is_taken_with_inotify(self):
        self.check_dropped_file_is_taken()

    def test_a_file_renamed_in_mid_run_is_taken_by_polling(self):
        self.check_dropped_file_is_taken("--poll", "--poll-seconds", "0.2")

    def test_partial_files_wait_and_known_content_and_unreadable_files_are_set_aside(self):
        watcher = self.watch("--move-done")
        drop(self.dir, "first.txt", HORIZON)
        wait_for(lambda: self.done("first.txt"), what="first.txt in done/")
        for name in ["being-written.txt.tmp", ".hidden.txt", "upload.part"]:
            with open(os.path.join(self.dir, name), "w") as f:
                f.write(EIB)
        drop(self.dir, "again.txt", HORIZON)  # the same bytes under another name
        with open(os.path.join(self.dir, "photo.png.tmp"), "wb") as f:
            f.write(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
        os.rename(os.path.join(self.dir, "photo.png.tmp"), os.path.join(self.dir, "photo.png"))
        drop(self.dir, "mixed.jsonl", json.dumps({"id": "j1", "text": EIB}) + "\n{not json\n")
        wait_for(lambda: self.done("again.txt"), what="again.txt in done/")
        wait_for(lambda: os.path.exists(os.path.join(self.dir, "failed", "photo.png")), what="photo.png in failed/")
        wait_for(lambda: os.path.exists(os.path.join(self.dir, "failed", "mixed.jsonl")), what="mixed.jsonl in failed/")
        self.assertEqual(watcher.stop(), 1, "a file with a problem makes the exit code 1")
        err = watcher.err()
        self.assertIn("again.txt: processed before as first.txt: skipped", err)
        self.assertRegex(err, r"mixed\.jsonl: \S*mixed\.jsonl:2: malformed JSON")
        self.assertIn("mixed.jsonl: 1 article, 1 alert, 1 problem", err)
        for name in ["being-written.txt.tmp", ".hidden.txt", "upload.part"]:
            self.assertTrue(os.path.exists(os.path.join(self.dir, name)), name + " is left alone")
            self.assertNotIn(name, err)
        self.assertEqual(sorted(r[0] for r in self.query("SELECT id FROM articles")), ["first.txt", "j1"])

    def test_kill_9_and_restart_do_no_file_twice(self):
        texts = [EIB.replace("Iberdrola", f"Iberdrola {i}") if i % 2 else HORIZON + f" Grant {i}." for i in range(40)]
        for i, text in enumerate(texts):
            drop(self.dir, f"n{i:02}.txt", text * 30, age=10)
        logs = [open(os.path.join(self.work.name, f"alerts{run}.jsonl"), "w+") for run in (1, 2)]
        try:
            watcher = self.watch("--move-done", "--threads", "1", log=logs[0])
            wait_for(lambda: watcher.err().count(" article") >= 5, what="five files done")
            watcher.kill()
            first = watcher.err()
            self.assertLess(first.count(" article"), 40, "killed before the end")
            watcher = self.watch("--move-done", log=logs[1])
            wait_for(lambda: len(os.listdir(os.path.join(self.dir, "done"))) == 40, what="all 40 files in done/")
            self.assertEqual(watcher.stop(), 0, watcher.err())
            second = watcher.err()
            alerts = []
            for log in logs:
                log.seek(0)
                alerts += [json.loads(line)["id"] for line in log if line.strip()]
        finally:
            for log in logs:
                log.close()
        for i in range(40):
            done_lines = len(re.findall(rf"n{i:02}\.txt: \d+ article", first + second))
            self.assertLessEqual(done_lines, 1, f"n{i:02}.txt done twice")
        self.assertEqual(self.query("SELECT COUNT(*), SUM(articles) FROM watched_files"), [(40, 40)])
        self.assertEqual(self.query("SELECT COUNT(*) FROM articles"), [(40,)])
        self.assertEqual(len(alerts), len(set(alerts)), "no alert logged twice")
        self.assertEqual(self.query("SELECT COUNT(*) FROM alerts WHERE rule = 'big-eu-investment'"), [(20,)])
        self.assertEqual(os.listdir(self.dir), ["done"])

    def test_serve_watch_puts_a_dropped_files_alert_in_the_log(self):
        server = Process("serve", "--listen", "127.0.0.1:0", "--watch", self.dir, "--db", self.db, "--alerts",
                         self.rules, "--lang", "en")
        try:
            drop(self.dir, "eib.txt", EIB)
            page = wait_for(lambda: json.loads(server.get("/v1/alerts")[1])["alerts"], what="the alert in the log")
            self.assertEqual([a["article"] for a in page], ["eib.txt"])
            status, answer = server.post("/v1/articles", json.dumps({"id": "h1", "text": HORIZON, "lang": "en"}))
            self.assertEqual(status, 200, answer)
            self.assertEqual(len(json.loads(server.get("/v1/alerts")[1])["alerts"]), 2)
        finally:
            self.assertEqual(server.stop(), 0, server.err())

    def test_usage_errors(self):
        for args, message in [
            ([self.dir], "give --db, --out or --alerts"),
            ([os.path.join(self.dir, "missing"), "--db", self.db], "is not a folder"),
        ]:
            out = subprocess.run([FACTWIRE, "watch", *args], capture_output=True, text=True, timeout=60)
            self.assertEqual(out.returncode, 2, out.stderr)
            self.assertIn(message, out.stderr)


if __name__ == "__main__":
    FACTWIRE, SOURCE_DIR = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    unittest.main(argv=[sys.argv[0], "-v"])
