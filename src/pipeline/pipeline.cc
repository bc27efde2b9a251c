// The library interface (include/factwire/pipeline.h) over the stages: rules loaded once,
// a pool of per-thread Extractors for Extract, and Run's streaming loop.
#include "factwire/pipeline.h"

#include <chrono>
#include <future>
#include <mutex>
#include <numeric>
#include <optional>
#include <sstream>
#include <unordered_set>

#include "base/digest.h"
#include "emit/emitter.h"
#include "pipeline/extractor.h"
#include "pipeline/parallel.h"
#include "pipeline/rule_examples.h"
#include "store/store.h"

namespace factwire {

const char* Version() { return FACTWIRE_VERSION; }


using Clock = std::chrono::steady_clock;

namespace {

double SecondsSince(Clock::time_point from) { return std::chrono::duration<double>(Clock::now() - from).count(); }

std::string Join(const std::set<std::string>& items) {
  std::string out;
  for (const std::string& item : items) out += (out.empty() ? "" : ",") + item;
  return out;
}

}  // namespace

// Extractors are not shareable (ICU iterators, scratch buffers): Extract borrows one per
// call, making another only when every one is busy, so concurrent callers never wait
// for each other's articles.
class ExtractorPool {
 public:
  ExtractorPool(const RuleSet& rules, ExtractorOptions options) : rules_(rules), options_(std::move(options)) {}

  Result<std::unique_ptr<Extractor>> Take() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (!idle_.empty()) {
        std::unique_ptr<Extractor> extractor = std::move(idle_.back());
        idle_.pop_back();
        return extractor;
      }
    }
    return Extractor::Create(rules_, options_);
  }
  void Give(std::unique_ptr<Extractor> extractor) {
    std::lock_guard<std::mutex> lock(mutex_);
    idle_.push_back(std::move(extractor));
  }
  const ExtractorOptions& options() const { return options_; }

 private:
  const RuleSet& rules_;
  const ExtractorOptions options_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<Extractor>> idle_;
};

std::string Sink::Render(const Record& /*record*/) const { return ""; }
Result<bool> Sink::IsCurrent(const std::string& /*article_id*/, const std::string& /*text_sha256*/) { return false; }
Status Sink::PutError(const Problem& /*problem*/) { return {}; }

Pipeline::Pipeline() = default;
Pipeline::~Pipeline() = default;

Result<std::unique_ptr<Pipeline>> Pipeline::Open(const PipelineOptions& options) {
  const Clock::time_point start = Clock::now();
  std::unique_ptr<Pipeline> pipeline(new Pipeline());
  pipeline->options_ = options;
  pipeline->rules_dir_ = options.rules_dir.empty() ? DefaultRulesDir() : options.rules_dir;
  // Hashing the rule files costs a tenth of loading them: it runs beside the load.
  std::future<std::string> version = std::async(std::launch::async, RulesVersion, pipeline->rules_dir_);
  // The rule examples are for CheckRules, which reads them itself.
  Result<std::unique_ptr<RuleSet>> rules = LoadRules(pipeline->rules_dir_, options.cache_dir, /*examples=*/false);
  if (!rules.ok()) return rules.status();
  pipeline->rules_ = std::move(rules.value());
  for (const std::string& type : options.types) {
    bool known = false;
    for (const auto& file : pipeline->rules_->files()) known |= file->type == type;
    if (!known) return Status::Usage("no rules for fact type '" + type + "'");
  }
  // Facts made by other rules, or filtered to other types, are not current.
  pipeline->rules_version_ = version.get() + ":" + Join(options.types);
  pipeline->extractors_ = std::make_unique<ExtractorPool>(*pipeline->rules_, ExtractorOptions{options.types, options.window_bytes});
  // Fail now, not on the first article, if ICU cannot segment at all.
  Result<std::unique_ptr<Extractor>> first = pipeline->extractors_->Take();
  if (!first.ok()) return first.status();
  pipeline->extractors_->Give(std::move(first.value()));
  pipeline->load_seconds_ = SecondsSince(start);
  return pipeline;
}

Record Pipeline::Extract(const Article& article) const {
  auto failed = [&](const std::string& why) {
    Record record;
    record.id = article.id;
    record.source = article.source;
    record.warnings.push_back("cannot extract: " + why);
    return record;
  };
  Result<std::unique_ptr<Extractor>> extractor = extractors_->Take();
  if (!extractor.ok()) return failed(extractor.status().message());
  try {  // no exception crosses the API: what a library throws becomes the record's warning
    Record record = extractor.value()->Extract(article);
    extractors_->Give(std::move(extractor.value()));
    return record;
  } catch (const std::exception& e) {
    return failed(e.what());
  }
}

namespace {

// Run's state on the calling thread: the sinks, the counts and the first sink error.
class RunLoop {
 public:
  RunLoop(const std::vector<Sink*>& sinks, const RunOptions& options, RunStats* stats)
      : sinks_(sinks), options_(options), stats_(stats) {
    for (Sink* sink : sinks) tracks_changes_ |= sink->skips_unchanged();
  }

  bool stopped() const { return !stats_->sink_status.ok(); }

  // Whether to extract `article`: not when it cannot be read, repeats an id or a
  // change-tracking sink holds it unchanged (unless forced). Sets `*sha` when a sink
  // tracks changes.
  // `*rejected` is set to the problem of an item that gives no record.
  bool Admit(const Result<Article>& article, std::string* sha, std::optional<Problem>* rejected) {
    if (!article.ok()) {
      ++stats_->unreadable;
      *rejected = Problem{Problem::Kind::kUnreadable, "", article.status().message()};
      Report(**rejected);
      return false;
    }
    if (!seen_ids_.insert(article->id).second) {
      ++stats_->duplicates;
      *rejected = Problem{Problem::Kind::kDuplicate, article->id,
                          article->source + ": id '" + article->id + "' was already used by an earlier article of this run"};
      Report(**rejected);
      return false;
    }
    if (!tracks_changes_) return true;
    *sha = Sha256Hex(article->text);  // stored with the record, forced or not
    if (options_.force) return true;
    for (Sink* sink : sinks_) {
      if (!sink->skips_unchanged()) continue;
      Result<bool> current = sink->IsCurrent(article->id, *sha);
      if (!current.ok()) {
        stats_->sink_status = current.status();
        return false;
      }
      if (current.value()) {
        ++stats_->unchanged;
        return false;
      }
    }
    return true;
  }

  void Deliver(Extracted extracted) {
    if (stopped()) return;
    const Clock::time_point start = Clock::now();
    const Record& record = extracted.record;
    if (!extracted.error.empty()) {
      ++stats_->failed_articles;
      const Problem failed{Problem::Kind::kFailed, record.id, record.source + ": extraction failed: " + extracted.error};
      Report(failed);
      PutError(failed);
      return;
    }
    for (const std::string& warning : record.warnings) Report({Problem::Kind::kWarning, record.id, warning});
    size_t rendered = 0;
    for (Sink* sink : sinks_) {
      const std::string_view bytes = sink->renders() ? std::string_view(extracted.rendered[rendered++]) : "";
      if (Status s = sink->Put(record, bytes, extracted.tag); !s.ok()) {
        stats_->sink_status = s;
        return;  // not delivered: the counts say what the sinks hold
      }
    }
    ++stats_->extracted;
    stats_->sink_seconds += SecondsSince(start);
    if (options_.on_progress) options_.on_progress(*stats_);
  }

  // An item without a record, in its place (RunOptions::error_records).
  void PutError(const Problem& problem) {
    if (!options_.error_records || stopped()) return;
    for (Sink* sink : sinks_)
      if (Status s = sink->PutError(problem); !s.ok()) {
        stats_->sink_status = s;
        return;
      }
  }

  // The input is quiet: records already done go out now, not with the next article.
  void Flush() {
    for (Sink* sink : sinks_)
      if (Status s = sink->Flush(); !s.ok() && !stopped()) stats_->sink_status = s;
  }

  void Finish() {
    for (Sink* sink : sinks_)
      if (Status s = sink->Finish(); !s.ok() && !stopped()) stats_->sink_status = s;
  }

 private:
  void Report(const Problem& problem) {
    if (options_.on_problem) options_.on_problem(problem);
  }

  const std::vector<Sink*>& sinks_;
  const RunOptions& options_;
  RunStats* stats_;
  bool tracks_changes_ = false;
  std::unordered_set<std::string> seen_ids_;
};

// Each rendering sink's bytes for a record, made on the worker threads.
std::function<std::vector<std::string>(const Record&)> RenderFor(const std::vector<Sink*>& sinks) {
  std::vector<const Sink*> renderers;
  for (const Sink* sink : sinks)
    if (sink->renders()) renderers.push_back(sink);
  if (renderers.empty()) return nullptr;
  return [renderers](const Record& record) {
    std::vector<std::string> out;
    for (const Sink* sink : renderers) out.push_back(sink->Render(record));
    return out;
  };
}

}  // namespace

StoredCheck CheckStored(Source& source, Sink& sink) {
  constexpr size_t kMissingIdsKept = 20;
  StoredCheck check;
  std::unordered_set<std::string> seen;
  source.ForEach([&](Result<Article> article) {
    if (!article.ok()) {
      ++check.unreadable;
      return true;
    }
    if (!seen.insert(article->id).second) {
      ++check.duplicates;
      return true;
    }
    ++check.articles;
    Result<bool> current = sink.IsCurrent(article->id, Sha256Hex(article->text));
    if (!current.ok()) {
      check.sink_status = current.status();
      return false;
    }
    if (current.value()) {
      ++check.stored;
    } else if (++check.missing <= kMissingIdsKept) {
      check.missing_ids.push_back(article->id);
    }
    return true;
  });
  return check;
}

RunStats Pipeline::Run(Source& source, const std::vector<Sink*>& sinks, const RunOptions& options) const {
  const Clock::time_point start = Clock::now();
  RunStats stats;
  RunLoop loop(sinks, options, &stats);
  ParallelOptions parallel{options.threads, options.queue_per_thread, options.max_in_flight_bytes, RenderFor(sinks),
                           std::any_of(sinks.begin(), sinks.end(), [](const Sink* sink) { return sink->wants_text(); })};
  Result<std::unique_ptr<ParallelExtractor>> extractor = ParallelExtractor::Create(
      *rules_, extractors_->options(), parallel, [&](Extracted extracted) { loop.Deliver(std::move(extracted)); });
  if (!extractor.ok()) {
    stats.sink_status = extractor.status();
    return stats;
  }
  const auto each = [&](Result<Article> article) {
    if (loop.stopped()) return false;
    std::string sha;
    std::optional<Problem> rejected;
    if (!loop.Admit(article, &sha, &rejected)) {
      if (rejected && options.error_records) {
        extractor.value()->Finish();  // the records before it go out first
        loop.PutError(*rejected);
      }
      return !loop.stopped();
    }
    stats.bytes += article->text.size();
    extractor.value()->Submit(std::move(article.value()), std::move(sha));
    return !loop.stopped();
  };
  const auto idle = [&]() {
    if (loop.stopped()) return;
    extractor.value()->Deliver(/*wait=*/false);
    loop.Flush();
  };
  source.ForEach(each, idle);
  extractor.value()->Finish();
  if (!loop.stopped()) loop.Finish();
  stats.threads = extractor.value()->threads();
  stats.stages = extractor.value()->stage_times();
  stats.seconds = SecondsSince(start);
  return stats;
}

std::string Pipeline::Explain(const Article& article) const {
  Result<std::unique_ptr<Extractor>> extractor = extractors_->Take();
  if (!extractor.ok()) return "cannot extract: " + extractor.status().message() + "\n";
  Trace trace;
  const Record record = extractor.value()->Extract(article, &trace);
  extractors_->Give(std::move(extractor.value()));
  std::ostringstream out;
  out << "normalised: " << trace.normalised << "\n";
  out << "sentences:";
  for (const Span& s : trace.sentences) out << " [" << s.begin << "," << s.end << ")";
  out << "\ncandidates (normalised byte spans):\n";
  for (size_t i = 0; i < trace.candidates.size(); ++i) {
    const Candidate& c = trace.candidates[i];
    const Decision& d = trace.decisions[i];
    out << "  " << VerdictName(d.verdict) << "\t" << c.rule->id << "\t[" << c.begin << "," << c.end << ") '"
        << trace.normalised.substr(c.begin, c.end - c.begin) << "'";
    if (const nlohmann::json value = ToJson(d.value); !value.is_null()) out << " " << value.dump();
    if (!d.reason.empty()) out << "  -- " << d.reason;
    out << "\n";
  }
  out << "record:\n" << RenderJsonl(record, {/*pretty=*/true});
  return out.str();
}

Result<std::vector<ExampleOutcome>> Pipeline::CheckRules() const {
  // extract compiles a language when it meets it; checking compiles them all
  if (Status s = rules_->PrepareAll(); !s.ok()) return s;
  // The pipeline's rules were loaded without their examples: the same rules are read
  // again with them. Examples of every type run, whatever types this pipeline keeps.
  Result<std::unique_ptr<RuleSet>> with_examples = LoadRules(rules_dir_, options_.cache_dir);
  if (!with_examples.ok()) return with_examples.status();
  if (Status s = with_examples.value()->PrepareAll(); !s.ok()) return s;
  Result<std::unique_ptr<Extractor>> extractor = Extractor::Create(*with_examples.value());
  if (!extractor.ok()) return extractor.status();
  return CheckAllExamples(*with_examples.value(), extractor.value().get());
}

std::vector<std::string> Pipeline::FeaturesOff() const { return factwire::FeaturesOff(*rules_); }

std::vector<std::string> Pipeline::MatcherNotes() const { return rules_->MatcherNotes(); }

void StageTimes::Add(const StageTimes& other) {
  normalise += other.normalise;
  identify += other.identify;
  segment += other.segment;
  match += other.match;
  resolve += other.resolve;
  render += other.render;
}

}  // namespace factwire
