// factwire serve: the library behind HTTP, rules loaded once. A thin client of
// include/factwire/: it reads articles with ArticleReader, extracts with
// Pipeline::Extract and answers with RecordJsonLine; no pipeline logic lives here.
//
// Input:  HTTP/1.1 requests on one address (cpp-httplib).
// Output: JSON. POST /v1/extract answers the record exactly as `extract` prints it;
//         POST /v1/articles also hands it to the Monitor (monitor/monitor.h: stored,
//         alert rules run, alerts logged and sent to webhooks) and answers
//         {"record": ..., "alerts": [...]} with the alerts raised for the first time;
//         GET /v1/alerts?after=SEQ&limit=N pages through that log and GET
//         /v1/alerts/stream follows it as server-sent events (resumable with
//         Last-Event-ID); GET /healthz says the service is up and which rules it runs;
//         GET /metrics gives Prometheus text (requests by endpoint and status, articles,
//         facts by type, alerts, errors, a latency histogram). Every error is JSON
//         {"error": "..."}.
// Limits, each with its own answer: a body over max_body_bytes (413); every
//         extraction thread busy and max_waiting_extractions queued (503, "busy"); an extraction
//         over request_seconds (504: the work runs to its end on its thread, which
//         stays taken, so a flood of slow articles meets 503s); connections beyond
//         the connection threads and max_waiting_connections (503); headers over
//         cpp-httplib's 8 KiB (400); a client that sends nothing for read_seconds
//         (the connection is closed).
// Invariants: a request never ends the service: anything a request throws becomes
//         a 500 for that request alone.
// Thread-safety: Run serves on worker threads and returns after Stop, which any
//         thread (a signal watcher) may call; requests in flight finish first.
#ifndef FACTWIRE_SERVE_SERVER_H_
#define FACTWIRE_SERVE_SERVER_H_

#include <memory>
#include <string>

#include "factwire/io.h"
#include "factwire/pipeline.h"
#include "monitor/monitor.h"

namespace factwire {

struct ServeOptions {
  std::string host = "127.0.0.1";
  int port = 8080;  // 0: any free port (see Server::port)
  // Required as "Authorization: Bearer TOKEN" on every endpoint but /healthz; empty:
  // none. An address other than loopback needs a token, or `insecure`.
  std::string token;
  bool insecure = false;
  size_t max_body_bytes = size_t{16} << 20;
  double request_seconds = 10;  // extraction time before a 504
  int extract_threads = 0;      // extractions at once; 0: one per core
  size_t max_waiting_extractions = 64;  // articles queued for an extraction thread; more get 503
  // Connections served at once, each on its own thread while it stays open (keep-alive
  // clients hold theirs); extraction has its own threads, so these mostly wait. 0: 32 per core.
  int connection_threads = 0;
  size_t max_waiting_connections = 256;  // beyond the served ones; more get a 503
  double read_seconds = 5;      // a client silent this long is cut off
  ReadOptions read;             // the HTML hints' rule folder, default date and language
};

class Server {
 public:
  // Checks the options (an open address needs a token or `insecure`: kUsage) and binds
  // the address (kIoError when it cannot). `pipeline` and `monitor` must outlive the
  // server; Stop closes the monitor's event streams.
  static Result<std::unique_ptr<Server>> Open(const Pipeline& pipeline, Monitor& monitor, const ServeOptions& options);
  ~Server();
  Server(const Server&) = delete;  // owns the listening socket and the worker threads
  Server& operator=(const Server&) = delete;

  int port() const;  // the bound port: the one chosen when ServeOptions::port is 0
  // Serves until Stop; then waits for the requests in flight and returns.
  Status Run();
  void Stop();

 private:
  explicit Server(std::unique_ptr<struct ServerState> state);
  std::unique_ptr<struct ServerState> state_;
};

}  // namespace factwire

#endif  // FACTWIRE_SERVE_SERVER_H_
