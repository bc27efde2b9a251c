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
#include <thread>
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
  std::string Render() const {
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
// waiting for one (504) while it runs to its end. At most `threads` are queued or
// running; TrySubmit refuses more (503).
class ExtractionSlots {
 public:
  struct Job {
    std::mutex mutex;
    std::condition_variable done_cv;
    bool done = false;
    std::function<void()> work;
  };

  explicit ExtractionSlots(size_t threads) : capacity_(threads) {
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

  ServerState(const Pipeline& p, const ServeOptions& o, std::unique_ptr<ArticleReader> r)
      : pipeline(p), options(o), reader(std::move(r)), slots(OrPerCore(o.extract_threads, 1)) {}

  void Routes();
  void Extract(const httplib::Request& req, httplib::Response& res);
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

void ServerState::Extract(const httplib::Request& req, httplib::Response& res) {
  Result<Article> article = ArticleOf(req);
  if (!article.ok()) {
    SetError(res, article.status().code() == Status::Code::kUsage ? 415 : 400, article.status().message());
    return;
  }
  // An article that names itself nowhere is known by its text.
  if (article->id.empty()) article->id = "sha256:" + Sha256Hex(article->text).substr(0, 16);
  auto answer = std::make_shared<std::string>();
  auto record = std::make_shared<Record>();
  auto work = [this, article = std::move(article.value()), answer, record]() {
    try {
      *record = pipeline.Extract(article);
      *answer = RecordJsonLine(*record);
    } catch (const std::exception& e) {
      answer->clear();
      record->warnings.push_back(std::string("extraction failed: ") + e.what());
    }
  };
  std::shared_ptr<ExtractionSlots::Job> job = slots.TrySubmit(std::move(work));
  if (!job) {
    SetError(res, 503, "busy: every extraction thread is taken; retry later");
    res.set_header("Retry-After", "1");
    return;
  }
  const auto deadline = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                           std::chrono::duration<double>(options.request_seconds));
  if (!ExtractionSlots::WaitUntil(*job, deadline)) {
    SetError(res, 504, "extraction took longer than " + std::to_string(options.request_seconds) + " s");
    return;
  }
  if (answer->empty()) {
    SetError(res, 500, record->warnings.empty() ? "extraction failed" : record->warnings.back());
    return;
  }
  metrics.Article(*record);
  res.set_content(*answer, "application/json");
}

void ServerState::Routes() {
  http.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
    t_request_start = Clock::now();
    if (t_over_limit) {
      SetError(res, 503, "too many connections; retry later");
      res.set_header("Retry-After", "1");
      res.set_header("Connection", "close");
      return httplib::Server::HandlerResponse::Handled;
    }
    if (!options.token.empty() && req.path != "/healthz" &&
        req.get_header_value("Authorization") != "Bearer " + options.token) {
      SetError(res, 401, "missing or wrong bearer token");
      res.set_header("WWW-Authenticate", "Bearer");
      return httplib::Server::HandlerResponse::Handled;
    }
    return httplib::Server::HandlerResponse::Unhandled;
  });
  http.Post("/v1/extract", [this](const httplib::Request& req, httplib::Response& res) { Extract(req, res); });
  http.Get("/healthz", [this](const httplib::Request&, httplib::Response& res) {
    const double uptime = std::chrono::duration<double>(Clock::now() - started).count();
    res.set_content(nlohmann::json{{"status", "ok"}, {"rules_version", pipeline.rules_version()}, {"uptime_seconds", uptime}}
                            .dump() + "\n",
                    "application/json");
  });
  http.Get("/metrics", [this](const httplib::Request&, httplib::Response& res) {
    res.set_content(metrics.Render(), "text/plain; version=0.0.4");
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
    metrics.Request(req.path == "/v1/extract" || req.path == "/healthz" || req.path == "/metrics" ? req.path : "other",
                    res.status, seconds);
  });
}

Result<std::unique_ptr<Server>> Server::Open(const Pipeline& pipeline, const ServeOptions& options) {
  if (!IsLoopback(options.host) && options.token.empty() && !options.insecure)
    return Status::Usage("listening on " + options.host +
                         " lets anyone reach the service: give --token, or --insecure to accept that");
  ReadOptions read = options.read;
  if (read.rules_dir.empty()) read.rules_dir = pipeline.rules_dir();
  Result<std::unique_ptr<ArticleReader>> reader = ArticleReader::Open(read);
  if (!reader.ok()) return reader.status();
  auto state = std::make_unique<ServerState>(pipeline, options, std::move(reader.value()));
  const size_t connections = OrPerCore(options.connection_threads, 8);
  const size_t waiting = options.max_waiting_connections;
  state->http.new_task_queue = [connections, waiting] { return new ConnectionQueue(connections, waiting); };
  state->http.set_payload_max_length(options.max_body_bytes);
  const auto read_seconds = std::chrono::duration<double>(options.read_seconds);
  state->http.set_read_timeout(std::chrono::duration_cast<std::chrono::microseconds>(read_seconds));
  state->http.set_write_timeout(std::chrono::duration_cast<std::chrono::microseconds>(read_seconds));
  state->http.set_keep_alive_timeout(static_cast<time_t>(std::max(1.0, options.read_seconds)));
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

void Server::Stop() { state_->http.stop(); }

}  // namespace factwire
