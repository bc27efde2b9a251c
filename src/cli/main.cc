// factwire: extracts facts (money, countries, ...) from press articles.
//
//   factwire extract [OPTIONS] INPUT...   facts as JSONL, one record per article
//   factwire text [OPTIONS] INPUT...      each article's text and metadata as JSONL: the
//                                         text fact offsets count in (HTML: main text)
//   factwire explain [OPTIONS] TEXT       every candidate and why it was kept or dropped
//   factwire check-rules [--rules DIR]    runs the examples in every rule file
//   factwire eval [OPTIONS] GOLD [SYSTEM] scores SYSTEM records (or factwire itself)
//                                         against hand-verified GOLD
//   factwire sample INPUT... --type T     random facts of one type with their context,
//                                         for judging precision by hand
//   factwire serve [OPTIONS]              HTTP: extract, store, alerts (--watch DIR too)
//   factwire watch DIR [OPTIONS]          every file that appears in DIR, once
//
// Exit status: 0 all done; 1 some articles (or examples) failed, each reported on
// stderr; 2 usage or rule errors.
#include <CLI/CLI.hpp>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <thread>
#include <iostream>
#include <map>
#include <sstream>

#include "emit/emitter.h"
#include "eval/evaluator.h"
#include "eval/sampler.h"
#include "factwire/io.h"
#include "factwire/pipeline.h"
#include "read/reader.h"
#include "monitor/monitor.h"
#include "pipeline/extractor.h"
#include "monitor/watcher.h"
#include "serve/server.h"
#include "store/store.h"

namespace factwire {
namespace {

constexpr int kExitOk = 0;
constexpr int kExitSomeFailed = 1;
constexpr int kExitUsage = 2;

// Set by the first Ctrl-C (SIGINT) or SIGTERM: reading stops, the articles in flight
// finish and are delivered, the database commits; a second signal kills as usual.
std::atomic<bool> g_interrupted = false;

void OnInterrupt(int signal_number) {
  g_interrupted = true;
  struct sigaction reset {};
  reset.sa_handler = SIG_DFL;
  sigaction(signal_number, &reset, nullptr);
}

void CatchInterrupts() {
  struct sigaction action {};
  action.sa_handler = OnInterrupt;  // no SA_RESTART: a blocked read returns
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
}

using Clock = std::chrono::steady_clock;

// The live progress line on stderr: articles, MB read, MB/s, facts, failures, ETA.
class Progress {
 public:
  Progress(bool enabled, const PathSource* source) : enabled_(enabled), source_(source), start_(Clock::now()) {}

  void Update(const RunStats& stats, size_t facts) {
    if (!enabled_) return;
    const Clock::time_point now = Clock::now();
    if (now - last_ < std::chrono::milliseconds(250)) return;
    last_ = now;
    const ReadCounts& counts = source_->counts();
    const double seconds = std::chrono::duration<double>(now - start_).count();
    const double mb = static_cast<double>(counts.bytes_read) / 1e6;
    const double rate = seconds > 0 ? mb / seconds : 0;
    std::string eta;
    if (counts.bytes_total > 0 && counts.bytes_read > 0 && rate > 0) {
      const double left = static_cast<double>(counts.bytes_total - std::min(counts.bytes_total, counts.bytes_read)) / 1e6;
      eta = ", ETA " + std::to_string(static_cast<long>(left / rate + 0.5)) + " s";
    }
    std::fprintf(stderr, "\r\033[Kfactwire: %zu articles, %.1f MB, %.1f MB/s, %zu facts, %zu failed%s", stats.extracted,
                 mb, rate, facts, stats.unreadable + stats.failed_articles + stats.duplicates, eta.c_str());
    shown_ = true;
  }
  void Clear() {
    if (shown_) std::fprintf(stderr, "\r\033[K");
    shown_ = false;
  }

 private:
  bool enabled_;
  const PathSource* source_;
  Clock::time_point start_;
  Clock::time_point last_{};
  bool shown_ = false;
};

// How the progress line is chosen: --progress, --no-progress, --quiet, else a terminal.
bool ShowProgress(bool progress, bool no_progress, bool quiet) {
  if (quiet || no_progress) return false;
  return progress || ::isatty(STDERR_FILENO);
}

// The closing lines: time, throughput, articles per format, skips per reason.
void PrintReadSummary(const RunStats& stats, const ReadCounts& counts, double seconds) {
  std::fprintf(stderr, "factwire: %zu articles in %.2f s (%.2f MB read, %.2f MB/s)", stats.extracted, seconds,
               static_cast<double>(counts.bytes_read) / 1e6,
               seconds > 0 ? static_cast<double>(counts.bytes_read) / 1e6 / seconds : 0.0);
  std::string formats;
  for (const auto& [format, n] : counts.articles_by_format) formats += (formats.empty() ? "" : ", ") + format + " " + std::to_string(n);
  if (!formats.empty()) std::fprintf(stderr, "; formats: %s", formats.c_str());
  std::fprintf(stderr, "\n");
  for (const auto& [reason, n] : counts.skipped) std::fprintf(stderr, "factwire: skipped %zu: %s\n", n, reason.c_str());
  for (const std::string& file : counts.unsupported_files) std::fprintf(stderr, "factwire:   unsupported: %s\n", file.c_str());
}

std::set<std::string> SplitTypes(const std::string& list) {
  std::set<std::string> types;
  std::stringstream in(list);
  for (std::string type; std::getline(in, type, ',');)
    if (!type.empty()) types.insert(type);
  return types;
}

// A loaded pipeline is a few hundred thousand small objects. Freeing them one by one
// costs a tenth of a one-article run, and the process is about to end, which frees them
// all at once; kept reachable from here, they are no leak to a leak checker.
Pipeline* g_left_to_exit = nullptr;
void LeaveToExit(std::unique_ptr<Pipeline> pipeline) { g_left_to_exit = pipeline.release(); }

Result<std::unique_ptr<Pipeline>> OpenOrReport(const std::string& rules_dir, std::set<std::string> types = {}) {
  Result<std::unique_ptr<Pipeline>> pipeline = Pipeline::Open({rules_dir, std::move(types)});
  if (!pipeline.ok()) {
    const bool usage = pipeline.status().code() == Status::Code::kUsage;
    std::cerr << "factwire: " << (usage ? "--types: " : "rule error: ") << pipeline.status().message() << "\n";
  }
  return pipeline;
}

struct ExtractArgs {
  std::vector<std::string> inputs;
  std::string manifest;  // with shard: read that shard of a plan instead of inputs
  int shard = -1;
  std::string out;
  bool pretty = false;
  std::string types;
  std::string published;
  std::string lang;
  std::string rules;
  size_t max_bytes = 64u << 20;
  bool summary = false;
  std::string db;  // load into this database too
  bool force = false;
  size_t batch = 100;
  int threads = 0;  // 0: one per core
  bool timings = false;
  std::string on_error = "report";  // "record": an error line in place of each item without a record
  bool no_text = false;  // with --db: leave articles.text empty
  bool progress = false;
  bool no_progress = false;
  bool quiet = false;
};

// --timings: where the time went, for tools/bench. Stage times are summed over threads.
void PrintTimings(double load_seconds, const RunStats& stats) {
  const StageTimes& stages = stats.stages;
  const std::pair<const char*, double> parts[] = {{"normalise", stages.normalise}, {"identify", stages.identify},
                                                  {"segment", stages.segment},     {"match", stages.match},
                                                  {"resolve", stages.resolve},     {"render", stages.render},
                                                  {"write", stats.sink_seconds}};
  double staged = 0;
  for (const auto& part : parts) staged += part.second;
  const double mb = static_cast<double>(stats.bytes) / 1e6;
  std::fprintf(stderr, "timings: rules loaded in %.3f s; %.1f MB extracted in %.3f s on %d thread(s): %.2f MB/s\n",
               load_seconds, mb, stats.seconds, stats.threads, stats.seconds > 0 ? mb / stats.seconds : 0.0);
  for (const auto& [name, value] : parts)
    std::fprintf(stderr, "timings: %-10s %8.3f s  %5.1f%%\n", name, value, staged > 0 ? 100 * value / staged : 0.0);
}

void ReportProblem(const Problem& problem) {
  if (problem.kind == Problem::Kind::kWarning)
    std::cerr << "factwire: warning: " << problem.article_id << ": " << problem.message << "\n";
  else
    std::cerr << "factwire: skipped: " << problem.message << "\n";
}

// The database at `uri` for records of `pipeline`'s rules; says why on failure, with
// the exit code in *exit_code.
std::unique_ptr<DatabaseSink> OpenDatabaseOrReport(const std::string& uri, const Pipeline& pipeline,
                                                   DatabaseOptions options, int* exit_code) {
  options.rules_version = pipeline.rules_version();
  Result<std::unique_ptr<DatabaseSink>> opened = DatabaseSink::Open(uri, options);
  if (opened.ok()) return std::move(opened.value());
  std::cerr << "factwire: " << opened.status().message() << "\n";
  *exit_code = opened.status().code() == Status::Code::kUsage ? kExitUsage : kExitSomeFailed;
  return nullptr;
}

// The source extract and verify read: the inputs named, or one shard of a plan (loaded
// into *plan, which must outlive the source).
std::unique_ptr<PathSource> OpenSourceOrReport(const std::vector<std::string>& inputs, const std::string& manifest,
                                               int shard, const ReadOptions& read, ShardPlan* plan) {
  if (manifest.empty()) {
    if (inputs.empty()) std::cerr << "factwire: name an INPUT, or a --manifest and its --shard\n";
    return inputs.empty() ? nullptr : NewPathSource(inputs, read);
  }
  if (!inputs.empty()) {
    std::cerr << "factwire: --manifest reads the inputs its plan names; name no INPUT with it\n";
    return nullptr;
  }
  Result<ShardPlan> loaded = LoadShardPlan(manifest);
  if (!loaded.ok()) {
    std::cerr << "factwire: " << loaded.status().message() << "\n";
    return nullptr;
  }
  *plan = std::move(loaded.value());
  if (shard < 0 || static_cast<size_t>(shard) >= plan->shards.size()) {
    std::cerr << "factwire: --shard must be from 0 to " << plan->shards.size() - 1 << " for " << manifest << "\n";
    return nullptr;
  }
  return std::make_unique<PathSource>(*plan, static_cast<size_t>(shard), read);
}

int RunExtract(const ExtractArgs& args) {
  if (args.on_error == "record" && !args.db.empty() && !args.force) {
    std::cerr << "factwire: --on-error record with --db needs --force: an article the database holds unchanged "
                 "gives no line\n";
    return kExitUsage;
  }
  Result<std::unique_ptr<Pipeline>> pipeline = OpenOrReport(args.rules, SplitTypes(args.types));
  if (!pipeline.ok()) return kExitUsage;
  // The input first: a bad manifest or shard changes no output file or database.
  ReadOptions read;
  read.default_published = args.published;
  read.default_lang = args.lang;
  read.max_article_bytes = args.max_bytes;
  read.rules_dir = pipeline.value()->rules_dir();
  read.stop = &g_interrupted;
  read.threads = args.threads;
  read.blank_lines_are_items = args.on_error == "record";
  ShardPlan plan;
  std::unique_ptr<PathSource> source = OpenSourceOrReport(args.inputs, args.manifest, args.shard, read, &plan);
  if (!source) return kExitUsage;
  std::vector<Sink*> sinks;
  std::unique_ptr<DatabaseSink> database;
  if (!args.db.empty()) {
    DatabaseOptions database_options;
    database_options.batch_articles = args.batch;
    database_options.store_text = !args.no_text;
    int exit_code = kExitOk;
    database = OpenDatabaseOrReport(args.db, *pipeline.value(), database_options, &exit_code);
    if (!database) return exit_code;
    sinks.push_back(database.get());
  }
  std::ofstream file;
  if (!args.out.empty()) {
    file.open(args.out);
    if (!file) {
      std::cerr << "factwire: cannot write " << args.out << "\n";
      return kExitUsage;
    }
  }
  // With --db, JSONL goes only to --out.
  std::unique_ptr<Sink> jsonl;
  size_t facts = 0;
  struct FactCounter : Sink {
    size_t* facts;
    explicit FactCounter(size_t* out) : facts(out) {}
    Status Put(const Record& record, std::string_view, const std::string&) override {
      *facts += record.facts.size();
      return {};
    }
    bool takes_parts() const override { return true; }
    Status PutPart(const Record& part, RecordPart, const std::string&) override {
      *facts += part.facts.size();
      return {};
    }
  } fact_counter(&facts);
  sinks.push_back(&fact_counter);
  if (!args.out.empty() || !database) jsonl = NewJsonlSink(args.out.empty() ? &std::cout : &file, args.pretty);
  if (jsonl) sinks.push_back(jsonl.get());
  SummarySink summary;
  sinks.push_back(&summary);

  Progress progress(ShowProgress(args.progress, args.no_progress, args.quiet), source.get());
  RunOptions options;
  options.threads = args.threads;
  options.force = args.force;
  options.error_records = args.on_error == "record";
  options.on_problem = [&](const Problem& problem) {
    if (args.quiet && problem.kind == Problem::Kind::kWarning) return;
    progress.Clear();
    ReportProblem(problem);
  };
  options.on_progress = [&](const RunStats& so_far) { progress.Update(so_far, facts); };
  CatchInterrupts();
  const RunStats stats = pipeline.value()->Run(*source, sinks, options);
  progress.Clear();
  if (!args.quiet) PrintReadSummary(stats, source->counts(), stats.seconds);
  if (args.timings) PrintTimings(pipeline.value()->load_seconds(), stats);
  if (!stats.sink_status.ok()) std::cerr << "factwire: " << stats.sink_status.message() << "\n";
  if (args.summary && !database) summary.Print(stats, std::cerr);
  if (database && (!args.quiet || !stats.sink_status.ok() || g_interrupted)) {
    // Committed, not delivered: a batch that failed was rolled back.
    std::cerr << "factwire: database " << args.db << ": " << database->committed() << " articles loaded, "
              << stats.unchanged << " unchanged and skipped"
              << (stats.sink_status.ok() ? "" : "; stopped at an error, the batch in progress rolled back") << "\n";
    if (g_interrupted)
      std::cerr << "factwire: interrupted; run the same command again to resume: the " << database->committed()
                << " articles committed are skipped as unchanged\n";
    if (args.summary && stats.sink_status.ok())
      if (Status s = database->PrintSummary(std::cerr); !s.ok()) {
        std::cerr << "factwire: database: " << s.message() << "\n";
        return kExitSomeFailed;
      }
  }
  if (g_interrupted && !database)
    std::cerr << "factwire: interrupted after " << stats.extracted
              << " records; with --db, a rerun resumes where it stopped (articles stored unchanged are skipped)\n";
  LeaveToExit(std::move(pipeline.value()));
  return stats.failed() || g_interrupted ? kExitSomeFailed : kExitOk;
}

struct ShardArgs {
  std::vector<std::string> inputs;
  size_t shards = 0;
  std::string out;
};

int RunShard(const ShardArgs& args) {
  Result<ShardPlan> plan = PlanShards(args.inputs, args.shards);
  if (!plan.ok()) {
    std::cerr << "factwire: " << plan.status().message() << "\n";
    return plan.status().code() == Status::Code::kUsage ? kExitUsage : kExitSomeFailed;
  }
  const std::string manifest = ShardPlanJson(plan.value());
  if (args.out.empty()) {
    std::cout << manifest;
  } else {
    std::ofstream out(args.out, std::ios::binary);
    if (!(out << manifest) || !out.flush()) {
      std::cerr << "factwire: cannot write " << args.out << "\n";
      return kExitSomeFailed;
    }
  }
  for (size_t shard = 0; shard < plan->shards.size(); ++shard)
    std::cerr << "factwire: shard " << shard << ": " << plan->shards[shard].size() << " pieces, "
              << plan->ShardBytes(shard) << " bytes\n";
  std::cerr << "factwire: " << plan->files.size() << " files, " << plan->total_bytes << " bytes in "
            << plan->shards.size() << " shards";
  if (!plan->unsupported_files.empty())
    std::cerr << "; " << plan->unsupported_files.size() << " unsupported files passed over (first: "
              << plan->unsupported_files.front() << ")";
  std::cerr << "\n";
  return kExitOk;
}

struct VerifyArgs {
  std::string manifest;
  std::string db;
  std::string rules;
  std::string types;
  int threads = 0;
};

// The closing check of a sharded load: every article of every shard in the database.
int RunVerify(const VerifyArgs& args) {
  Result<std::unique_ptr<Pipeline>> pipeline = OpenOrReport(args.rules, SplitTypes(args.types));
  if (!pipeline.ok()) return kExitUsage;
  Result<ShardPlan> plan = LoadShardPlan(args.manifest);
  if (!plan.ok()) {
    std::cerr << "factwire: " << plan.status().message() << "\n";
    return kExitUsage;
  }
  if (Status files = plan->CheckFiles(); !files.ok()) {
    std::cerr << "factwire: " << files.message() << "\n";
    return kExitSomeFailed;
  }
  int exit_code = kExitOk;
  std::unique_ptr<DatabaseSink> database = OpenDatabaseOrReport(args.db, *pipeline.value(), {}, &exit_code);
  if (!database) return exit_code;
  ReadOptions read;
  read.rules_dir = pipeline.value()->rules_dir();
  read.threads = args.threads;
  read.stop = &g_interrupted;
  CatchInterrupts();
  PathSource source(plan.value(), PathSource::kAllShards, read);
  const StoredCheck total = CheckStored(source, *database);
  for (const std::string& id : total.missing_ids) std::cout << "missing: " << id << "\n";
  if (total.missing > total.missing_ids.size())
    std::cout << "missing: and " << total.missing - total.missing_ids.size() << " more\n";
  if (!total.sink_status.ok()) {
    std::cerr << "factwire: " << total.sink_status.message() << "\n";
    return kExitSomeFailed;
  }
  std::cout << "verify: " << total.stored << "/" << total.articles << " articles stored, " << total.missing
            << " missing; " << total.unreadable << " unreadable input items; " << total.duplicates
            << " repeated ids (a load keeps the first)\n";
  if (Status s = database->PrintSummary(std::cout); !s.ok()) {
    std::cerr << "factwire: database: " << s.message() << "\n";
    return kExitSomeFailed;
  }
  return total.missing == 0 && !g_interrupted ? kExitOk : kExitSomeFailed;
}

CLI::App* AddShard(CLI::App* app, ShardArgs* args) {
  CLI::App* cmd = app->add_subcommand(
      "shard", "Plan N shards of roughly equal bytes over files and folders, cut at JSONL lines and WARC records, as a JSON manifest");
  cmd->add_option("INPUT", args->inputs, "Files and folders, as extract reads them (not stdin)")->required()->type_name("INPUT");
  cmd->add_option("--shards", args->shards, "How many shards")->required()->check(CLI::Range(1, 1000000))->type_name("N");
  cmd->add_option("-o,--out", args->out, "Write the manifest to FILE instead of stdout")->type_name("FILE");
  return cmd;
}

CLI::App* AddVerify(CLI::App* app, VerifyArgs* args) {
  CLI::App* cmd = app->add_subcommand(
      "verify", "Check that a database holds every article of a shard manifest, extracted from the same text by the same rules; print the summary");
  cmd->add_option("--manifest", args->manifest, "The plan the load ran (factwire shard)")->required()->type_name("FILE");
  cmd->add_option("--db", args->db, "The database loaded")->required()->type_name("URI");
  cmd->add_option("--rules", args->rules, "The rule folder the load used")->type_name("DIR");
  cmd->add_option("--types", args->types, "The --types the load used")->type_name("TYPES");
  cmd->add_option("--threads", args->threads, "Threads parsing HTML (0: one per core)")
      ->check(CLI::NonNegativeNumber)
      ->type_name("N")
      ->capture_default_str();
  return cmd;
}

// What serve and watch share: the rules, the database, the alerts and their webhooks.
struct ResidentArgs {
  std::string rules;
  std::string types;
  std::string db;
  std::string alerts;
  std::string webhook_secret_file;
  MonitorOptions monitor;
  std::string watch_dir;  // watch DIR, serve --watch DIR; empty: no folder watched
  WatchOptions watch;
  std::string out;  // watch: records as JSONL, appended to this file ("-": stdout)
};

struct ServeArgs {
  std::string listen = "127.0.0.1:8080";
  std::string token;
  std::string token_file;
  ServeOptions options;
  ResidentArgs resident;
};

// HOST:PORT, [IPV6]:PORT or PORT into the options.
bool ParseListen(const std::string& listen, ServeOptions* options) {
  const size_t colon = listen.rfind(':');
  std::string host = colon == std::string::npos ? options->host : listen.substr(0, colon);
  const std::string port = colon == std::string::npos ? listen : listen.substr(colon + 1);
  if (host.size() > 1 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  if (host.empty() || port.empty() || port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos)
    return false;
  options->host = host;
  options->port = std::stoi(port);
  return options->port <= 65535;
}

// The first line of `path`, without its line end.
Result<std::string> ReadToken(const std::string& path) {
  std::ifstream in(path);
  std::string token;
  if (!in || !std::getline(in, token)) return Status::IoError("cannot read the token file " + path);
  while (!token.empty() && (token.back() == '\r' || token.back() == ' ')) token.pop_back();
  if (token.empty()) return Status::Usage("the token file " + path + " starts with an empty line");
  return token;
}

// The Monitor of serve and watch: the database given, else (when a folder is watched)
// one in the folder for the files done and the alerts. Says its warnings.
Result<std::unique_ptr<Monitor>> OpenMonitor(const Pipeline& pipeline, ResidentArgs* args) {
  MonitorOptions& options = args->monitor;
  options.database = args->db;
  options.alerts = args->alerts;
  if (args->db.empty() && !args->watch_dir.empty()) {
    options.database = "sqlite:" + (std::filesystem::path(args->watch_dir) / ".factwire-watch.db").string();
    options.store_records = false;
  }
  if (!args->webhook_secret_file.empty()) {
    Result<std::string> secret = ReadToken(args->webhook_secret_file);
    if (!secret.ok()) return secret.status();
    options.webhooks.secret = secret.value();
  }
  std::vector<std::string> warnings;
  Result<std::unique_ptr<Monitor>> monitor = Monitor::Open(pipeline, options, &warnings);
  for (const std::string& warning : warnings) std::cerr << "factwire: warning: " << warning << "\n";
  return monitor;
}

int ReportedExit(const Status& status) {
  std::cerr << "factwire: " << status.message() << "\n";
  return status.code() == Status::Code::kUsage ? kExitUsage : kExitSomeFailed;
}

// `factwire serve` (with `serve`) and `factwire watch`, or both: rules loaded once,
// articles over HTTP and from a folder. SIGINT and SIGTERM stop it after the requests
// and the file in flight, with exit code 0 (1 when a watched file had a problem).
int RunResident(ServeArgs args, bool serve) {
  ResidentArgs& resident = args.resident;
  if (serve && !ParseListen(args.listen, &args.options)) {
    std::cerr << "factwire: --listen wants HOST:PORT, got '" << args.listen << "'\n";
    return kExitUsage;
  }
  args.options.token = args.token;
  if (!args.token_file.empty()) {
    Result<std::string> token = ReadToken(args.token_file);
    if (!token.ok()) return ReportedExit(token.status());
    args.options.token = token.value();
  }
  if (!serve && resident.db.empty() && resident.out.empty() && resident.alerts.empty()) {
    std::cerr << "factwire: watch: give --db, --out or --alerts: where should what it finds go?\n";
    return kExitUsage;
  }
  // Signals wait for the watcher below: every thread started from here on blocks them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  Result<std::unique_ptr<Pipeline>> pipeline = OpenOrReport(resident.rules, SplitTypes(resident.types));
  if (!pipeline.ok()) return kExitUsage;
  args.options.read.rules_dir = resident.rules;
  Result<std::unique_ptr<Monitor>> monitor = OpenMonitor(*pipeline.value(), &resident);
  if (!monitor.ok()) return ReportedExit(monitor.status());
  std::unique_ptr<Server> server;
  if (serve) {
    Result<std::unique_ptr<Server>> opened = Server::Open(*pipeline.value(), *monitor.value(), args.options);
    if (!opened.ok()) return ReportedExit(opened.status());
    server = std::move(opened.value());
  }
  std::ofstream file;
  std::unique_ptr<Sink> jsonl;
  if (!resident.out.empty()) {
    if (resident.out != "-") file.open(resident.out, std::ios::app | std::ios::binary);
    if (resident.out != "-" && !file) return ReportedExit(Status::Usage("cannot write to " + resident.out));
    jsonl = NewJsonlSink(resident.out == "-" ? &std::cout : &file);
  }
  std::unique_ptr<Watcher> watcher;
  if (!resident.watch_dir.empty()) {
    resident.watch.dir = resident.watch_dir;
    resident.watch.read = args.options.read;
    std::vector<Sink*> sinks;
    if (jsonl) sinks.push_back(jsonl.get());
    Result<std::unique_ptr<Watcher>> opened =
        Watcher::Open(*pipeline.value(), *monitor.value(), resident.watch, sinks, &std::cerr);
    if (!opened.ok()) return ReportedExit(opened.status());
    watcher = std::move(opened.value());
  }
  std::atomic<bool> done = false;
  std::thread signals([&] {
    const timespec tick{0, 200'000'000};
    bool stopping = false;
    while (!done) {
      if (!stopping && sigtimedwait(&stop_signals, nullptr, &tick) > 0) {
        std::cerr << "factwire: stopping: finishing the requests and the file in flight\n";
        stopping = true;
      }
      if (!stopping) continue;
      // Asked again until Run returns: a stop that came before the server was listening
      // would otherwise be lost.
      if (server) server->Stop();
      if (watcher) watcher->Stop();
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  });
  std::cerr << "factwire: " << (serve ? "serving on http://" + args.options.host + ":" + std::to_string(server->port()) : "watching")
            << (watcher ? (serve ? ", watching " : " ") + resident.watch_dir : "") << " (rules "
            << pipeline.value()->rules_version() << ")" << std::endl;
  bool files_ok = true;
  std::thread watching;
  if (watcher && serve) watching = std::thread([&] { files_ok = watcher->Run(); });
  else if (watcher) files_ok = watcher->Run();
  const Status status = server ? server->Run() : Status();
  if (watching.joinable()) {
    watcher->Stop();  // the server failed or stopped: the folder stops too
    watching.join();
  }
  done = true;
  signals.join();
  if (!status.ok()) return ReportedExit(status);
  std::cerr << "factwire: stopped\n";
  return files_ok ? kExitOk : kExitSomeFailed;
}

struct TextArgs {
  std::vector<std::string> inputs;
  std::string out;
  std::string published;
  std::string lang;
  std::string rules;
  size_t max_bytes = 64u << 20;
  int threads = 0;
};

// `factwire text`: what extract reads, without extracting: the reader's articles as JSONL.
int RunText(const TextArgs& args) {
  ReadOptions read;
  read.default_published = args.published;
  read.default_lang = args.lang;
  read.max_article_bytes = args.max_bytes;
  read.rules_dir = args.rules;
  read.stop = &g_interrupted;
  read.threads = args.threads;
  CatchInterrupts();
  std::ofstream file;
  if (!args.out.empty()) {
    file.open(args.out);
    if (!file) {
      std::cerr << "factwire: cannot write " << args.out << "\n";
      return kExitUsage;
    }
  }
  std::ostream& out = args.out.empty() ? std::cout : file;
  bool failed = false;
  std::unique_ptr<PathSource> source = NewPathSource(args.inputs, read);
  source->ForEach(
      [&](Result<Article> article) {
        if (!article.ok()) {
          std::cerr << "factwire: skipped: " << article.status().message() << "\n";
          failed = true;
          return true;
        }
        out << RenderArticleJsonl(article.value());
        return static_cast<bool>(out);
      },
      [&]() { out.flush(); });
  out.flush();
  if (!out) {
    std::cerr << "factwire: writing the output failed\n";
    return kExitSomeFailed;
  }
  return failed || g_interrupted ? kExitSomeFailed : kExitOk;
}

struct ExplainArgs {
  std::string text;
  std::string published;
  std::string lang = "en";
  std::string rules;
};

int RunExplain(const ExplainArgs& args) {
  Result<std::unique_ptr<Pipeline>> pipeline = OpenOrReport(args.rules);
  if (!pipeline.ok()) return kExitUsage;
  Article article;
  article.id = "explain";
  article.text = args.text;
  article.published = args.published;
  article.lang = args.lang;
  std::cout << pipeline.value()->Explain(article);
  return kExitOk;
}

int RunCheckRules(const std::string& dir) {
  Result<std::unique_ptr<Pipeline>> pipeline = OpenOrReport(dir);
  if (!pipeline.ok()) return kExitUsage;
  Result<std::vector<ExampleOutcome>> outcomes = pipeline.value()->CheckRules();
  if (!outcomes.ok()) {
    std::cerr << "factwire: rule error: " << outcomes.status().message() << "\n";
    return kExitUsage;
  }
  size_t passed = 0;
  size_t failed = 0;
  for (const ExampleOutcome& outcome : outcomes.value()) {
    if (outcome.passed) {
      ++passed;
    } else {
      ++failed;
      std::cout << "FAIL " << outcome.message << "\n";
    }
  }
  for (const std::string& off : pipeline.value()->FeaturesOff()) std::cout << "off: " << off << "\n";
  for (const std::string& note : pipeline.value()->MatcherNotes()) std::cout << "matcher: " << note << "\n";
  std::cout << "rule examples: " << passed << " passed, " << failed << " failed\n";
  return failed ? kExitSomeFailed : kExitOk;
}

struct EvalArgs {
  std::string gold;
  std::string system;  // empty: run factwire on GOLD
  std::vector<std::string> types;
  std::string lang;  // score only articles in this language
  size_t errors = 0;
  bool json = false;
  bool top_level = false;  // not the golden articles in GOLD's subfolders
  std::string rules;
};

// System documents by id: read from a JSONL of records, or made by running factwire on
// the gold articles. Bad lines are reported and skipped.
std::map<std::string, EvalDocument> SystemDocuments(const EvalArgs& args, bool* failed) {
  std::map<std::string, EvalDocument> out;
  auto add = [&](const nlohmann::json& record, const std::string& where) {
    Result<EvalDocument> doc = DocumentFromRecord(record);
    if (!doc.ok()) {
      std::cerr << "factwire: " << where << ": " << doc.status().message() << "\n";
      *failed = true;
      return;
    }
    out[doc.value().id] = std::move(doc.value());
  };
  if (!args.system.empty()) {
    std::ifstream in(args.system);
    if (!in) {
      std::cerr << "factwire: " << args.system << ": cannot open\n";
      *failed = true;
      return out;
    }
    std::string line;
    for (size_t number = 1; std::getline(in, line); ++number) {
      if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
      const std::string where = args.system + ":" + std::to_string(number);
      nlohmann::json record = nlohmann::json::parse(line, nullptr, false);
      if (record.is_discarded()) {
        std::cerr << "factwire: " << where << ": malformed JSON\n";
        *failed = true;
        continue;
      }
      add(record, where);
    }
    return out;
  }
  Result<std::unique_ptr<Pipeline>> pipeline = OpenOrReport(args.rules);
  if (!pipeline.ok()) {
    *failed = true;
    return out;
  }
  std::unique_ptr<Source> source = NewPathSource({args.gold});
  source->ForEach([&](Result<Article> article) {
    if (!article.ok()) {
      std::cerr << "factwire: " << article.status().message() << "\n";
      *failed = true;
      return true;
    }
    add(ToJson(pipeline.value()->Extract(article.value())), article.value().source);
    return true;
  });
  return out;
}

int RunEval(const EvalArgs& args) {
  Result<std::vector<EvalDocument>> gold = ReadGold(args.gold, !args.top_level);
  if (!gold.ok()) {
    std::cerr << "factwire: " << gold.status().message() << "\n";
    return kExitUsage;
  }
  bool failed = false;
  const std::map<std::string, EvalDocument> system = SystemDocuments(args, &failed);
  EvalOptions options;
  options.types.insert(args.types.begin(), args.types.end());
  options.max_errors = args.errors;
  Evaluator evaluator(options);
  for (const EvalDocument& doc : gold.value()) {
    if (!args.lang.empty() && doc.lang.substr(0, doc.lang.find_first_of("-_")) != args.lang) continue;
    auto it = system.find(doc.id);
    evaluator.Add(doc, it == system.end() ? nullptr : &it->second);
  }
  if (args.json) std::cout << evaluator.report().ToJson().dump(2) << "\n";
  else std::cout << evaluator.report().Table();
  return failed ? kExitSomeFailed : kExitOk;
}

struct SampleArgs {
  std::vector<std::string> inputs;
  std::string type;
  size_t size = 50;
  uint64_t seed = 1;
  std::string lang;
  std::string rules;
};

int RunSample(const SampleArgs& args) {
  // Extracting only the sampled type also checks that it is one ("--type mony").
  Result<std::unique_ptr<Pipeline>> pipeline = OpenOrReport(args.rules, {args.type});
  if (!pipeline.ok()) return kExitUsage;
  ReadOptions read;
  read.default_lang = args.lang;
  std::unique_ptr<Source> source = NewPathSource(args.inputs, read);
  FactSampler sampler(args.type, args.size, args.seed);
  bool failed = false;
  source->ForEach([&](Result<Article> article) {
    if (!article.ok()) {
      std::cerr << "factwire: skipped: " << article.status().message() << "\n";
      failed = true;
      return true;
    }
    sampler.Add(article.value(), pipeline.value()->Extract(article.value()));
    return true;
  });
  const std::vector<SampledFact> sample = sampler.Sample();
  for (const SampledFact& sampled : sample) std::cout << FormatSampledFact(sampled) << "\n";
  std::cerr << "factwire: sampled " << sample.size() << "/" << sampler.seen() << " " << args.type << " facts (seed "
            << args.seed << ")\n";
  return failed ? kExitSomeFailed : kExitOk;
}

std::string CheckIsoDate(const std::string& s) { return IsIsoDate(s) ? "" : "must be a calendar date, YYYY-MM-DD"; }

CLI::App* AddExtract(CLI::App* app, ExtractArgs* args) {
  CLI::App* extract_cmd = app->add_subcommand("extract", "Extract facts from articles and write one JSON record per article");
  extract_cmd->add_option("INPUT", args->inputs,
                          "A text file (one article; front matter optional), a folder (read recursively: *.txt, *.jsonl), "
                          "a .jsonl file (one {\"id\",\"text\",...} object per line) or - for JSONL on stdin")
      ->type_name("INPUT");
  CLI::Option* manifest = extract_cmd->add_option("--manifest", args->manifest, "Read one shard of this plan (factwire shard) instead of INPUT")
      ->type_name("FILE");
  extract_cmd->add_option("--shard", args->shard, "With --manifest: the shard to read, from 0 (a Slurm array task's $SLURM_ARRAY_TASK_ID)")
      ->type_name("I")
      ->needs(manifest);
  extract_cmd->add_option("-o,--out", args->out,
                          "Write records to FILE instead of stdout. With --db, only the articles extracted in this run: "
                          "those the database holds unchanged are skipped (--force extracts them all)")->type_name("FILE");
  extract_cmd->add_flag("--pretty", args->pretty, "Indent the JSON for humans");
  extract_cmd->add_option("--types", args->types, "Keep only these fact types, comma-separated (e.g. money,country)")
      ->type_name("TYPES");
  extract_cmd->add_option("--published", args->published, "Publication date (YYYY-MM-DD) for articles that lack one")
      ->check(CheckIsoDate)
      ->type_name("DATE");
  extract_cmd->add_option("--lang", args->lang, "Language for articles that lack one (default: identified from the text; language-neutral rules when it cannot be)")->type_name("LANG");
  extract_cmd->add_option("--rules", args->rules, "Rule folder (default: $FACTWIRE_RULES, else the rules/ shipped with factwire)")
      ->type_name("DIR");
  extract_cmd->add_option("--max-bytes", args->max_bytes, "Skip (and report) articles larger than this many bytes")
      ->type_name("N")
      ->capture_default_str();
  extract_cmd->add_flag("--summary", args->summary,
                        "Print counts of what was found to stderr at the end (with --db, read back from the database)");
  extract_cmd->add_option("--db", args->db,
                          "Also load the facts into a database: sqlite:PATH or PATH.db (JSONL then goes only to --out)")
      ->type_name("URI");
  extract_cmd->add_flag("--force", args->force, "With --db, re-extract articles the database holds unchanged");
  extract_cmd->add_option("--threads", args->threads, "Extraction threads, and threads parsing HTML (default 0: one per core); output stays in input order")
      ->check(CLI::NonNegativeNumber)
      ->type_name("N")
      ->capture_default_str();
  extract_cmd->add_option("--on-error", args->on_error,
                          "report: an input item that gives no record (unreadable, blank JSONL line, repeated id) is "
                          "reported on stderr; record: also an {\"id\",\"error\"} line in its place, so the output has "
                          "one line per input line (Spark's RDD.pipe, Hadoop Streaming)")
      ->check(CLI::IsMember({"report", "record"}))
      ->capture_default_str();
  extract_cmd->add_flag("--timings", args->timings, "Print rule load time, throughput and the time per stage to stderr");
  extract_cmd->add_option("--batch", args->batch, "With --db, articles per transaction (a batch also commits after 1 s, and whenever the input is quiet)")->type_name("N")->capture_default_str();
  extract_cmd->add_flag("--no-text", args->no_text, "With --db, do not store each article's text (articles.text stays NULL)");
  extract_cmd->add_flag("--progress", args->progress, "Show the live progress line on stderr even when it is not a terminal");
  extract_cmd->add_flag("--no-progress", args->no_progress, "Never show the progress line");
  extract_cmd->add_flag("-q,--quiet", args->quiet, "No progress line, no warnings and no closing summary: errors only");
  return extract_cmd;
}

CLI::App* AddText(CLI::App* app, TextArgs* args) {
  CLI::App* text_cmd = app->add_subcommand(
      "text", "Print each article's id, source, url, title, published, lang and text as JSONL: the text fact offsets count in (for HTML, the main text)");
  text_cmd->add_option("INPUT", args->inputs, "Files, folders, archives or - for stdin, as extract reads them")
      ->required()
      ->type_name("INPUT");
  text_cmd->add_option("-o,--out", args->out, "Write to FILE instead of stdout")->type_name("FILE");
  text_cmd->add_option("--published", args->published, "Publication date (YYYY-MM-DD) for articles that lack one")
      ->check(CheckIsoDate)
      ->type_name("DATE");
  text_cmd->add_option("--lang", args->lang, "Language for articles that lack one")->type_name("LANG");
  text_cmd->add_option("--rules", args->rules, "Rule folder (its html/hints.tsv guides the HTML reader)")->type_name("DIR");
  text_cmd->add_option("--max-bytes", args->max_bytes, "Skip (and report) articles and records larger than this")
      ->type_name("N")
      ->capture_default_str();
  text_cmd->add_option("--threads", args->threads, "Threads parsing HTML side by side (default 0: one per core); output stays in input order")
      ->check(CLI::NonNegativeNumber)
      ->type_name("N")
      ->capture_default_str();
  return text_cmd;
}

// The options serve and watch share.
void AddResidentOptions(CLI::App* cmd, ServeArgs* args) {
  ResidentArgs& r = args->resident;
  ServeOptions& o = args->options;
  cmd->add_option("--rules", r.rules, "Rule folder")->type_name("DIR");
  cmd->add_option("--types", r.types, "Fact types to keep, comma-separated (default: all)")->type_name("TYPES");
  cmd->add_option("--published", o.read.default_published, "Publication date (YYYY-MM-DD) for articles that lack one")
      ->check(CheckIsoDate)
      ->type_name("DATE");
  cmd->add_option("--lang", o.read.default_lang, "Language for articles that lack one")->type_name("LANG");
  cmd->add_option("--db", r.db, "Where records, alerts and the files done are stored: sqlite:PATH, PATH.db or postgresql://...")
      ->type_name("URI");
  cmd->add_option("--alerts", r.alerts, "Alert rules (YAML) run on every article stored")->type_name("FILE");
  WebhookOptions& w = r.monitor.webhooks;
  cmd->add_option("--webhook", w.urls, "POST each alert of a 'notify: webhook' rule to URL (repeatable; needs --db)")
      ->type_name("URL");
  cmd->add_option("--webhook-secret-file", r.webhook_secret_file,
                  "The key that signs webhook bodies (X-Factwire-Signature-256: sha256=HMAC), first line of FILE")
      ->type_name("FILE");
  cmd->add_option("--webhook-retry-seconds", w.first_retry_seconds, "Wait after a failed delivery, doubled each time")
      ->check(CLI::Range(0.01, 86400.0))
      ->type_name("S")
      ->capture_default_str();
  cmd->add_option("--webhook-max-retry-seconds", w.max_retry_seconds, "Longest wait between delivery attempts")
      ->check(CLI::Range(0.01, 86400.0))
      ->type_name("S")
      ->capture_default_str();
}

// The options of a watched folder, for watch DIR and serve --watch DIR.
void AddWatchOptions(CLI::App* cmd, ResidentArgs* r) {
  cmd->add_flag("--move-done", r->watch.move_done, "Move each file processed to DIR/done/ (a file with a problem to DIR/failed/)");
  cmd->add_flag("--poll", r->watch.poll, "Scan the folder every --poll-seconds instead of using inotify");
  cmd->add_option("--poll-seconds", r->watch.poll_seconds, "Between scans when polling")
      ->check(CLI::Range(0.01, 3600.0))
      ->type_name("S")
      ->capture_default_str();
  cmd->add_option("--threads", r->watch.threads, "Extraction threads per file (0: one per core)")
      ->check(CLI::NonNegativeNumber)
      ->type_name("N")
      ->capture_default_str();
}

CLI::App* AddWatch(CLI::App* app, ServeArgs* args) {
  CLI::App* cmd = app->add_subcommand(
      "watch", "Extract every file that appears in DIR, once (files done are kept in the database by content)");
  ResidentArgs& r = args->resident;
  cmd->add_option("DIR", r.watch_dir, "The folder; files are written elsewhere and renamed in (.tmp and dot files are ignored)")
      ->required()
      ->type_name("DIR");
  cmd->add_option("-o,--out", r.out, "Append each record as a JSON line to FILE (- for stdout, where alerts also go)")
      ->type_name("FILE");
  AddResidentOptions(cmd, args);
  AddWatchOptions(cmd, &r);
  return cmd;
}

CLI::App* AddServe(CLI::App* app, ServeArgs* args) {
  CLI::App* cmd = app->add_subcommand(
      "serve", "Answer over HTTP, rules loaded once: POST /v1/extract and /v1/articles, GET /v1/alerts (and /stream), /healthz, /metrics");
  ServeOptions& o = args->options;
  cmd->add_option("--listen", args->listen, "Address to listen on; port 0 picks a free one (printed at start)")
      ->type_name("HOST:PORT")
      ->capture_default_str();
  cmd->add_option("--token", args->token, "Require 'Authorization: Bearer TOKEN' (all but /healthz)")->type_name("TOKEN");
  cmd->add_option("--token-file", args->token_file, "Read the bearer token from the first line of FILE")->type_name("FILE");
  cmd->add_flag("--insecure", o.insecure, "Allow an address other than loopback without a token");
  cmd->add_option("--max-body-bytes", o.max_body_bytes, "Largest request body; larger ones get 413")
      ->type_name("N")
      ->capture_default_str();
  cmd->add_option("--request-seconds", o.request_seconds, "Extraction time per request before a 504")
      ->check(CLI::Range(0.001, 86400.0))
      ->type_name("S")
      ->capture_default_str();
  cmd->add_option("--read-seconds", o.read_seconds, "Cut off a client silent this long")
      ->check(CLI::Range(0.001, 86400.0))
      ->type_name("S")
      ->capture_default_str();
  cmd->add_option("--extract-threads", o.extract_threads, "Extractions at once (0: one per core)")
      ->check(CLI::NonNegativeNumber)
      ->type_name("N")
      ->capture_default_str();
  cmd->add_option("--extract-queue", o.max_waiting_extractions, "Articles waiting for an extraction thread; more get 503")
      ->type_name("N")
      ->capture_default_str();
  cmd->add_option("--connection-threads", o.connection_threads, "Connections served at once (0: 32 per core)")
      ->check(CLI::NonNegativeNumber)
      ->type_name("N")
      ->capture_default_str();
  cmd->add_option("--max-waiting", o.max_waiting_connections, "Connections waiting for a thread; more get 503")
      ->type_name("N")
      ->capture_default_str();
  AddResidentOptions(cmd, args);
  cmd->add_option("--watch", args->resident.watch_dir, "Also extract every file that appears in DIR, as watch does")
      ->type_name("DIR");
  AddWatchOptions(cmd, &args->resident);
  return cmd;
}

CLI::App* AddExplain(CLI::App* app, ExplainArgs* args) {
  CLI::App* explain_cmd = app->add_subcommand("explain", "Show every candidate each rule produced for TEXT and why it was kept or dropped");
  explain_cmd->add_option("TEXT", args->text, "The text to explain")->required();
  explain_cmd->add_option("--published", args->published, "Publication date (YYYY-MM-DD)")->check(CheckIsoDate)->type_name("DATE");
  explain_cmd->add_option("--lang", args->lang, "Language of the text")->capture_default_str();
  explain_cmd->add_option("--rules", args->rules, "Rule folder");
  return explain_cmd;
}

CLI::App* AddCheckRules(CLI::App* app, std::string* rules_dir) {
  CLI::App* check_cmd = app->add_subcommand("check-rules", "Load every rule file and run the examples it carries");
  check_cmd->add_option("--rules", *rules_dir, "Rule folder");
  return check_cmd;
}

CLI::App* AddEval(CLI::App* app, EvalArgs* args) {
  CLI::App* eval_cmd = app->add_subcommand(
      "eval", "Score SYSTEM records (or factwire itself, without SYSTEM) against hand-verified GOLD");
  eval_cmd->add_option("GOLD", args->gold, "A corpus folder (NAME.txt + NAME.gold.json) or a JSONL of articles with facts")
      ->required();
  eval_cmd->add_option("SYSTEM", args->system, "A JSONL of records in factwire's shape (facts need type, start, end)");
  eval_cmd->add_option("--types", args->types, "Score only these fact and relation types, comma-separated")
      ->delimiter(',')
      ->type_name("TYPES");
  eval_cmd->add_option("--errors", args->errors, "List up to N misses and false hits per type, with context")
      ->type_name("N");
  eval_cmd->add_option("--lang", args->lang, "Score only the golden articles in this language (e.g. de)")->type_name("LANG");
  eval_cmd->add_flag("--json", args->json, "Print the scores as JSON");
  eval_cmd->add_flag("--top-level", args->top_level,
                     "Score only the golden articles directly in GOLD, not those in its subfolders");
  eval_cmd->add_option("--rules", args->rules, "Rule folder, when running factwire on GOLD")->type_name("DIR");
  return eval_cmd;
}

CLI::App* AddSample(CLI::App* app, SampleArgs* args) {
  CLI::App* sample_cmd = app->add_subcommand(
      "sample", "Print random facts of one type with their context, to judge precision by hand");
  sample_cmd->add_option("INPUT", args->inputs, "Articles, as extract reads them")->required()->type_name("INPUT");
  sample_cmd->add_option("--type", args->type, "The fact type to sample (money, date, org, ...)")->required();
  sample_cmd->add_option("-n", args->size, "How many facts")->capture_default_str();
  sample_cmd->add_option("--seed", args->seed, "Seed of the draw: the same seed gives the same sample")
      ->capture_default_str();
  sample_cmd->add_option("--lang", args->lang, "Language for articles that lack one")->type_name("LANG");
  sample_cmd->add_option("--rules", args->rules, "Rule folder")->type_name("DIR");
  return sample_cmd;
}

}  // namespace
}  // namespace factwire

int main(int argc, char** argv) {
  using namespace factwire;
  CLI::App app{"factwire: extracts money amounts, countries and other facts from press articles,\n"
               "each with its exact place in the original text and a normalised value."};
  app.require_subcommand(1);
  // The rules a command without --rules loads: $FACTWIRE_RULES, else those found next
  // to the binary (an installed factwire: ../share/factwire/rules).
  app.set_version_flag("--version", [] {
    const std::string rules = DefaultRulesDir();
    return std::string("factwire ") + Version() + "\nrules " + RulesVersion(rules) + " (" + rules + ")";
  });
  ExtractArgs extract;
  TextArgs text;
  ExplainArgs explain;
  std::string check_dir;
  EvalArgs eval;
  SampleArgs sample;
  ServeArgs serve;
  ServeArgs watch;
  ShardArgs shard;
  VerifyArgs verify;
  CLI::App* extract_cmd = AddExtract(&app, &extract);
  CLI::App* text_cmd = AddText(&app, &text);
  CLI::App* explain_cmd = AddExplain(&app, &explain);
  CLI::App* check_cmd = AddCheckRules(&app, &check_dir);
  CLI::App* eval_cmd = AddEval(&app, &eval);
  CLI::App* sample_cmd = AddSample(&app, &sample);
  CLI::App* serve_cmd = AddServe(&app, &serve);
  CLI::App* watch_cmd = AddWatch(&app, &watch);
  CLI::App* shard_cmd = AddShard(&app, &shard);
  CLI::App* verify_cmd = AddVerify(&app, &verify);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : 2;
  }
  if (*extract_cmd) return RunExtract(extract);
  if (*text_cmd) return RunText(text);
  if (*explain_cmd) return RunExplain(explain);
  if (*check_cmd) return RunCheckRules(check_dir);
  if (*eval_cmd) return RunEval(eval);
  if (*sample_cmd) return RunSample(sample);
  if (*serve_cmd) return RunResident(serve, true);
  if (*watch_cmd) return RunResident(watch, false);
  if (*shard_cmd) return RunShard(shard);
  if (*verify_cmd) return RunVerify(verify);
  return 2;
}
