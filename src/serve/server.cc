// factwire serve (see server.h): cpp-httplib in front of the library.
#include "serve/server.h"

#include <httplib.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <thread>
#include <unordered_set>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/digest.h"
#include "base/utf8.h"
#include "read/charset.h"
#include "read/reader.h"

namespace factwire {
namespace {

using Clock = std::chrono::steady_clock;

std::string ErrorJson(std::string_view message) {
  return nlohmann::json{{"error", message}}.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

void SetError(httplib::Response& res, int status, std::string_view message) {
  res.status = status;
  res.set_content(ErrorJson(message), "application/json");
}

bool IsLoopback(const std::string& host) {
  return host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0;
}

// What /metrics reports, counted as requests end. One mutex: each request takes it once.
class Metrics {
 public:
  void Request(const std::string& endpoint, int status, double seconds) {
    std::lock_guard<std::mutex> lock(mutex_);
    ++requests_[{endpoint, status}];
    if (status >= 400) ++errors_;
    size_t bucket = 0;
    while (bucket < kBuckets.size() && seconds > kBuckets[bucket]) ++bucket;
    ++latency_[bucket];
    latency_sum_ += seconds;
  }
  void Article(const Record& record) {
    std::lock_guard<std::mutex> lock(mutex_);
    ++articles_;
    for (const Fact& fact : record.facts) ++facts_[fact.type];
  }
  std::string Render(uint64_t alerts) const {
    std::lock_guard<std::mutex> lock(mutex_);
    std::string out;
    out += "# HELP factwire_requests_total HTTP requests answered, by endpoint and status.\n"
           "# TYPE factwire_requests_total counter\n";
    for (const auto& [key, count] : requests_)
      out += "factwire_requests_total{endpoint=\"" + key.first + "\",code=\"" + std::to_string(key.second) + "\"} " +
             std::to_string(count) + "\n";
    out += "# HELP factwire_errors_total Requests answered with a status of 400 or more.\n"
           "# TYPE factwire_errors_total counter\nfactwire_errors_total " + std::to_string(errors_) + "\n";
    out += "# HELP factwire_articles_total Articles extracted.\n"
           "# TYPE factwire_articles_total counter\nfactwire_articles_total " + std::to_string(articles_) + "\n";
    out += "# HELP factwire_alerts_total Alerts raised (each alert id once).\n"
           "# TYPE factwire_alerts_total counter\nfactwire_alerts_total " + std::to_string(alerts) + "\n";
    out += "# HELP factwire_facts_total Facts extracted, by type.\n# TYPE factwire_facts_total counter\n";
    for (const auto& [type, count] : facts_)
      out += "factwire_facts_total{type=\"" + type + "\"} " + std::to_string(count) + "\n";
    out += "# HELP factwire_request_seconds Time from request to answer.\n"
           "# TYPE factwire_request_seconds histogram\n";
    uint64_t cumulative = 0;
    for (size_t b = 0; b <= kBuckets.size(); ++b) {
      cumulative += latency_[b];
      const std::string le = b < kBuckets.size() ? Number(kBuckets[b]) : "+Inf";
      out += "factwire_request_seconds_bucket{le=\"" + le + "\"} " + std::to_string(cumulative) + "\n";
    }
    out += "factwire_request_seconds_sum " + Number(latency_sum_) + "\n";
    out += "factwire_request_seconds_count " + std::to_string(cumulative) + "\n";
    return out;
  }

 private:
  static constexpr std::array<double, 13> kBuckets = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
                                                      0.25,  0.5,    1,     2.5,  5,     10};
  static std::string Number(double value) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%g", value);
    return buffer;
  }
  mutable std::mutex mutex_;
  std::map<std::pair<std::string, int>, uint64_t> requests_;
  std::map<std::string, uint64_t> facts_;
  uint64_t errors_ = 0;
  uint64_t articles_ = 0;
  std::array<uint64_t, kBuckets.size() + 1> latency_{};
  double latency_sum_ = 0;
};

// Extractions run here, not on the connection threads, so that a request can stop
// waiting for one (504) while it runs to its end. At most `threads` run and
// `max_waiting` wait; TrySubmit refuses more (503).
class ExtractionSlots {
 public:
  struct Job {
    std::mutex mutex;
    std::condition_variable done_cv;
    bool done = false;
    std::function<void()> work;
  };

  ExtractionSlots(size_t threads, size_t max_waiting) : capacity_(threads + max_waiting) {
    for (size_t i = 0; i < threads; ++i) workers_.emplace_back([this] { Work(); });
  }
  ~ExtractionSlots() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stopping_ = true;
    }
    ready_.notify_all();
    for (std::thread& worker : workers_) worker.join();
  }
  ExtractionSlots(const ExtractionSlots&) = delete;  // owns threads
  ExtractionSlots& operator=(const ExtractionSlots&) = delete;

  std::shared_ptr<Job> TrySubmit(std::function<void()> work) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (taken_ >= capacity_) return nullptr;
    ++taken_;
    auto job = std::make_shared<Job>();
    job->work = std::move(work);
    queue_.push_back(job);
    ready_.notify_one();
    return job;
  }

  // Whether `job` finished by `deadline`.
  static bool WaitUntil(Job& job, Clock::time_point deadline) {
    std::unique_lock<std::mutex> lock(job.mutex);
    return job.done_cv.wait_until(lock, deadline, [&] { return job.done; });
  }

 private:
  void Work() {
    for (;;) {
      std::shared_ptr<Job> job;
      {
        std::unique_lock<std::mutex> lock(mutex_);
        ready_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
        if (queue_.empty()) return;  // stopping, and every job taken is done
        job = std::move(queue_.front());
        queue_.pop_front();
      }
      job->work();  // never throws: the submitted work catches
      {
        std::lock_guard<std::mutex> lock(job->mutex);
        job->done = true;
      }
      job->done_cv.notify_all();
      std::lock_guard<std::mutex> lock(mutex_);
      --taken_;
    }
  }

  const size_t capacity_;
  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<std::shared_ptr<Job>> queue_;
  size_t taken_ = 0;
  bool stopping_ = false;
  std::vector<std::thread> workers_;
};

// Set on the thread that serves a connection beyond the limits: its requests get 503.
thread_local bool t_over_limit = false;
// When the request being served on this thread reached routing (cpp-httplib 0.11 keeps
// no start time); unset for one refused before it (a body over the limit).
thread_local std::optional<Clock::time_point> t_request_start;

// cpp-httplib's task queue with a bound: `threads` connections are served at once and
// `max_waiting` wait for a thread; the connections beyond those go to one more thread
// that answers each request with 503, so that a flood cannot hold sockets unanswered.
class ConnectionQueue : public httplib::TaskQueue {
 public:
  ConnectionQueue(size_t threads, size_t max_waiting) : capacity_(threads + max_waiting) {
    for (size_t i = 0; i < threads; ++i) workers_.emplace_back([this] { Work(&waiting_, false); });
    refuser_ = std::thread([this] { Work(&refused_, true); });
  }
  ~ConnectionQueue() override = default;

  void enqueue(std::function<void()> fn) override {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      (serving_ + waiting_.size() < capacity_ ? waiting_ : refused_).push_back(std::move(fn));
    }
    ready_.notify_all();
  }

  void shutdown() override {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stopping_ = true;
    }
    ready_.notify_all();
    for (std::thread& worker : workers_) worker.join();
    refuser_.join();
  }

 private:
  void Work(std::deque<std::function<void()>>* queue, bool over_limit) {
    t_over_limit = over_limit;
    for (;;) {
      std::function<void()> fn;
      {
        std::unique_lock<std::mutex> lock(mutex_);
        ready_.wait(lock, [&] { return stopping_ || !queue->empty(); });
        if (queue->empty()) return;
        fn = std::move(queue->front());
        queue->pop_front();
        if (!over_limit) ++serving_;
      }
      fn();
      if (over_limit) continue;
      std::lock_guard<std::mutex> lock(mutex_);
      --serving_;
    }
  }

  const size_t capacity_;
  size_t serving_ = 0;  // connections on the serving threads
  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<std::function<void()>> waiting_;
  std::deque<std::function<void()>> refused_;
  bool stopping_ = false;
  std::vector<std::thread> workers_;
  std::thread refuser_;
};

size_t OrPerCore(int threads, size_t per_core) {
  const size_t cores = std::max(1u, std::thread::hardware_concurrency());
  return threads > 0 ? static_cast<size_t>(threads) : cores * per_core;
}

// The media type of a Content-Type value, lower case, without parameters.
std::string MediaType(const std::string& content_type) {
  std::string type = AsciiLower(content_type.substr(0, content_type.find(';')));
  type.erase(std::remove(type.begin(), type.end(), ' '), type.end());
  return type;
}

// An alert's JSON line with its sequence number first.
std::string WithSeq(int64_t seq, std::string_view json) {
  while (!json.empty() && json.back() == '\n') json.remove_suffix(1);
  return "{\"seq\":" + std::to_string(seq) + "," + std::string(json.substr(1));
}

// A non-negative decimal count, or none.
std::optional<int64_t> ParseCount(const std::string& text) {
  if (text.empty() || text.size() > 18 || text.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
  return std::stoll(text);
}

}  // namespace

struct ServerState {
  const Pipeline& pipeline;
  ServeOptions options;
  std::unique_ptr<ArticleReader> reader;
  httplib::Server http;
  ExtractionSlots slots;
  Metrics metrics;
  Clock::time_point started = Clock::now();
  int port = 0;

  Monitor& monitor;  // stores records, raises and keeps alerts

  ServerState(const Pipeline& p, Monitor& m, const ServeOptions& o, std::unique_ptr<ArticleReader> r)
      : pipeline(p), options(o), reader(std::move(r)), slots(OrPerCore(o.extract_threads, 1), o.max_waiting_extractions),
        monitor(m) {}

  void Routes();
  bool RefusedAsOverLimit(httplib::Response& res);
  httplib::Server::Handler Admitted(httplib::Server::Handler handler);
  bool Run(const httplib::Request& req, httplib::Response& res, Article* article, Record* record, std::string* answer);
  void Extract(const httplib::Request& req, httplib::Response& res);
  void Store(const httplib::Request& req, httplib::Response& res);
  void ListAlerts(const httplib::Request& req, httplib::Response& res);
  void StreamAlerts(const httplib::Request& req, httplib::Response& res);
  Result<Article> ArticleOf(const httplib::Request& req);
};

// The article a request carries: JSON as a JSONL line holds it, or raw text or HTML
// with the article's fields as query parameters (which win over the page's own).
Result<Article> ServerState::ArticleOf(const httplib::Request& req) {
  const std::string content_type = req.get_header_value("Content-Type");
  const std::string media = MediaType(content_type);
  ArticleReader::Format format;
  if (media.empty() || media == "application/json") format = ArticleReader::Format::kJson;
  else if (media == "text/plain") format = ArticleReader::Format::kText;
  else if (media == "text/html" || media == "application/xhtml+xml") format = ArticleReader::Format::kHtml;
  else return Status::Usage("unsupported Content-Type '" + content_type + "': send application/json, text/plain or text/html");
  Result<Article> article = reader->Read(req.body, format, "request", CharsetOfContentType(content_type));
  if (!article.ok() || format == ArticleReader::Format::kJson) return article;
  for (auto [name, field] : {std::pair{"id", &Article::id}, {"title", &Article::title}, {"url", &Article::url},
                             {"published", &Article::published}, {"lang", &Article::lang}})
    if (req.has_param(name)) article.value().*field = req.get_param_value(name);
  if (!article->published.empty() && !IsIsoDate(article->published))
    return Status::InvalidInput("published '" + article->published + "' is not a date YYYY-MM-DD");
  return article;
}

// The request's article and its record, `answer` its JSON line; false once `res` holds
// the error to answer instead.
bool ServerState::Run(const httplib::Request& req, httplib::Response& res, Article* article, Record* record,
                      std::string* answer) {
  Result<Article> read = ArticleOf(req);
  if (!read.ok()) {
    SetError(res, read.status().code() == Status::Code::kUsage ? 415 : 400, read.status().message());
    return false;
  }
  // An article that names itself nowhere is known by its text.
  if (read->id.empty()) read->id = "sha256:" + Sha256Hex(read->text).substr(0, 16);
  *article = std::move(read.value());
  auto done = std::make_shared<std::pair<Record, std::string>>();
  auto work = [this, article = *article, done]() {
    try {
      done->first = pipeline.Extract(article);
      done->second = RecordJsonLine(done->first);
    } catch (const std::exception& e) {
      done->second.clear();
      done->first.warnings.push_back(std::string("extraction failed: ") + e.what());
    }
  };
  std::shared_ptr<ExtractionSlots::Job> job = slots.TrySubmit(std::move(work));
  if (!job) {
    SetError(res, 503, "busy: every extraction thread is taken and the queue is full; retry later");
    res.set_header("Retry-After", "1");
    return false;
  }
  const auto deadline = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                           std::chrono::duration<double>(options.request_seconds));
  if (!ExtractionSlots::WaitUntil(*job, deadline)) {
    SetError(res, 504, "extraction took longer than " + std::to_string(options.request_seconds) + " s");
    return false;
  }
  // Pipeline::Extract says a failure with a warning of its own, and no facts.
  const bool failed = std::any_of(done->first.warnings.begin(), done->first.warnings.end(),
                                  [](const std::string& w) { return w.rfind("cannot extract: ", 0) == 0; });
  if (done->second.empty() || failed) {
    SetError(res, 500, done->first.warnings.empty() ? "extraction failed" : done->first.warnings.back());
    return false;
  }
  metrics.Article(done->first);
  *record = std::move(done->first);
  *answer = std::move(done->second);
  return true;
}

void ServerState::Extract(const httplib::Request& req, httplib::Response& res) {
  Article article;
  Record record;
  std::string answer;
  if (Run(req, res, &article, &record, &answer)) res.set_content(answer, "application/json");
}

// /v1/articles: extracted as /v1/extract, stored (with --db), and the alert rules run
// on it; answers the record and the alerts it raised for the first time.
void ServerState::Store(const httplib::Request& req, httplib::Response& res) {
  Article article;
  Record record;
  std::string answer;
  if (!Run(req, res, &article, &record, &answer)) return;
  record.text = std::move(article.text);  // what the database keeps and alerts quote
  Result<std::vector<RaisedAlert>> raised = monitor.Accept(record);
  if (!raised.ok()) {
    SetError(res, 503, "the record or an alert was not stored: " + raised.status().message());
    return;
  }
  std::string alerts;
  for (const RaisedAlert& alert : raised.value()) alerts += (alerts.empty() ? "" : ",") + WithSeq(alert.seq, alert.json);
  answer.pop_back();  // its newline
  res.set_content("{\"record\":" + answer + ",\"alerts\":[" + alerts + "]}\n", "application/json");
}

// GET /v1/alerts?after=SEQ&limit=N
void ServerState::ListAlerts(const httplib::Request& req, httplib::Response& res) {
  const std::optional<int64_t> after = req.has_param("after") ? ParseCount(req.get_param_value("after")) : int64_t{0};
  const std::optional<int64_t> limit = req.has_param("limit") ? ParseCount(req.get_param_value("limit")) : int64_t{100};
  if (!after || !limit || *limit < 1 || *limit > 1000) {
    SetError(res, 400, "after wants a sequence number and limit a count from 1 to 1000");
    return;
  }
  Result<std::vector<StoredAlert>> page = monitor.AlertsAfter(*after, static_cast<size_t>(*limit));
  if (!page.ok()) {
    SetError(res, 503, page.status().message());
    return;
  }
  std::string body = "{\"alerts\":[";
  int64_t last = *after;
  for (const StoredAlert& alert : page.value()) {
    body += (last == *after ? "" : ",") + WithSeq(alert.seq, alert.json);
    last = alert.seq;
  }
  res.set_content(body + "],\"last\":" + std::to_string(last) + "}\n", "application/json");
}

// GET /v1/alerts/stream: server-sent events, each alert as `id: SEQ` and `data: JSON`,
// from after Last-Event-ID (or ?after=SEQ); a comment every 15 s keeps it alive.
void ServerState::StreamAlerts(const httplib::Request& req, httplib::Response& res) {
  const std::string resume = req.has_header("Last-Event-ID") ? req.get_header_value("Last-Event-ID")
                                                               : req.get_param_value("after");
  const std::optional<int64_t> after = resume.empty() ? int64_t{0} : ParseCount(resume);
  if (!after) {
    SetError(res, 400, "Last-Event-ID wants a sequence number");
    return;
  }
  res.set_header("Cache-Control", "no-cache");
  auto last = std::make_shared<int64_t>(*after);
  res.set_chunked_content_provider("text/event-stream", [this, last](size_t, httplib::DataSink& sink) {
    Result<std::vector<StoredAlert>> page = monitor.AlertsAfter(*last, 100);
    if (!page.ok()) return false;
    for (const StoredAlert& alert : page.value()) {
      std::string json = alert.json;
      if (!json.empty() && json.back() == '\n') json.pop_back();
      const std::string event = "id: " + std::to_string(alert.seq) + "\ndata: " + json + "\n\n";
      if (!sink.write(event.data(), event.size())) return false;
      *last = alert.seq;
    }
    if (!page->empty()) return true;
    if (!monitor.WaitAfter(*last, Clock::now() + std::chrono::seconds(15))) {
      if (monitor.closed()) {
        sink.done();
        return true;
      }
      static constexpr std::string_view kKeepAlive = ": keep-alive\n\n";
      return sink.write(kKeepAlive.data(), kKeepAlive.size());
    }
    return true;
  });
}

// A connection beyond the limits gets 503 for each request.
bool ServerState::RefusedAsOverLimit(httplib::Response& res) {
  if (!t_over_limit) return false;
  SetError(res, 503, "too many connections; retry later");
  res.set_header("Retry-After", "1");
  return true;
}

// `handler` behind the connection limit and the token (when there is one).
httplib::Server::Handler ServerState::Admitted(httplib::Server::Handler handler) {
  return [this, handler = std::move(handler)](const httplib::Request& req, httplib::Response& res) {
    if (RefusedAsOverLimit(res)) return;
    if (!options.token.empty() && req.get_header_value("Authorization") != "Bearer " + options.token) {
      SetError(res, 401, "missing or wrong bearer token");
      res.set_header("WWW-Authenticate", "Bearer");
      return;
    }
    handler(req, res);
  };
}

void ServerState::Routes() {
  // Only the clock here: cpp-httplib calls this before it reads a body, and a request
  // answered here would leave its body on the connection to be read as the next request.
  http.set_pre_routing_handler([](const httplib::Request&, httplib::Response&) {
    t_request_start = Clock::now();
    return httplib::Server::HandlerResponse::Unhandled;
  });
  http.Post("/v1/extract", Admitted([this](const httplib::Request& req, httplib::Response& res) { Extract(req, res); }));
  http.Post("/v1/articles", Admitted([this](const httplib::Request& req, httplib::Response& res) { Store(req, res); }));
  http.Get("/v1/alerts", Admitted([this](const httplib::Request& req, httplib::Response& res) { ListAlerts(req, res); }));
  http.Get("/v1/alerts/stream",
           Admitted([this](const httplib::Request& req, httplib::Response& res) { StreamAlerts(req, res); }));
  http.Get("/metrics", Admitted([this](const httplib::Request&, httplib::Response& res) {
             res.set_content(metrics.Render(monitor.alerts_raised()), "text/plain; version=0.0.4");
           }));
  http.Get("/healthz", [this](const httplib::Request&, httplib::Response& res) {
    if (RefusedAsOverLimit(res)) return;
    const double uptime = std::chrono::duration<double>(Clock::now() - started).count();
    res.set_content(nlohmann::json{{"status", "ok"}, {"rules_version", pipeline.rules_version()}, {"uptime_seconds", uptime}}
                            .dump() + "\n",
                    "application/json");
  });
  http.set_error_handler([this](const httplib::Request& req, httplib::Response& res) {
    if (!res.body.empty()) return;  // a handler's own error
    if (res.status == 413)
      SetError(res, 413, "body over " + std::to_string(options.max_body_bytes) + " bytes (--max-body-bytes)");
    else if (res.status == 404)
      SetError(res, 404, "no endpoint " + req.method + " " + req.path);
    else
      SetError(res, res.status, "bad request: malformed, cut short (sent too slowly?), or headers over 8 KiB");
  });
  http.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr error) {
    std::string what = "an exception of unknown type";
    try {
      std::rethrow_exception(error);
    } catch (const std::exception& e) {
      what = e.what();
    } catch (...) {
    }
    SetError(res, 500, "internal error: " + what);
  });
  http.set_logger([this](const httplib::Request& req, const httplib::Response& res) {
    const double seconds =
        t_request_start ? std::chrono::duration<double>(Clock::now() - *t_request_start).count() : 0.0;
    t_request_start.reset();
    static const std::set<std::string> kEndpoints = {"/v1/extract", "/v1/articles", "/v1/alerts", "/v1/alerts/stream",
                                                     "/healthz", "/metrics"};
    metrics.Request(kEndpoints.count(req.path) ? req.path : "other", res.status, seconds);
  });
}

Result<std::unique_ptr<Server>> Server::Open(const Pipeline& pipeline, Monitor& monitor, const ServeOptions& options) {
  if (!IsLoopback(options.host) && options.token.empty() && !options.insecure)
    return Status::Usage("listening on " + options.host +
                         " lets anyone reach the service: give --token, or --insecure to accept that");
  ReadOptions read = options.read;
  if (read.rules_dir.empty()) read.rules_dir = pipeline.rules_dir();
  Result<std::unique_ptr<ArticleReader>> reader = ArticleReader::Open(read);
  if (!reader.ok()) return reader.status();
  auto state = std::make_unique<ServerState>(pipeline, monitor, options, std::move(reader.value()));
  const size_t connections = OrPerCore(options.connection_threads, 32);
  const size_t waiting = options.max_waiting_connections;
  state->http.new_task_queue = [connections, waiting] { return new ConnectionQueue(connections, waiting); };
  state->http.set_payload_max_length(options.max_body_bytes);
  const auto read_seconds = std::chrono::duration<double>(options.read_seconds);
  state->http.set_read_timeout(std::chrono::duration_cast<std::chrono::microseconds>(read_seconds));
  state->http.set_write_timeout(std::chrono::duration_cast<std::chrono::microseconds>(read_seconds));
  state->http.set_keep_alive_timeout(static_cast<time_t>(std::max(1.0, options.read_seconds)));
  state->http.set_keep_alive_max_count(1000);  // a client's connection is not cut every few requests
  state->http.set_tcp_nodelay(true);  // headers and body leave at once, not 40 ms apart (Nagle, delayed ACK)
  state->Routes();
  state->port = options.port == 0 ? state->http.bind_to_any_port(options.host)
                                  : (state->http.bind_to_port(options.host, options.port) ? options.port : -1);
  if (state->port < 0)
    return Status::IoError("cannot listen on " + options.host + ":" + std::to_string(options.port) +
                           " (in use, or not an address of this machine)");
  return std::unique_ptr<Server>(new Server(std::move(state)));
}

Server::Server(std::unique_ptr<ServerState> state) : state_(std::move(state)) {}
Server::~Server() = default;

int Server::port() const { return state_->port; }

Status Server::Run() {
  if (!state_->http.listen_after_bind()) return Status::IoError("the listening socket failed");
  return {};
}

void Server::Stop() {
  state_->monitor.Close();  // event streams end, so that stopping waits for none of them
  state_->http.stop();
}

}  // namespace factwire
