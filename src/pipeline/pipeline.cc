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
Status Sink::PutPart(const Record& /*part*/, RecordPart /*place*/, const std::string& /*text_sha256*/) {
  return Status::Usage("a sink that takes parts must define PutPart");
}

Pipeline::Pipeline() = default;
Pipeline::~Pipeline() = default;

Result<std::unique_ptr<Pipeline>> Pipeline::Open(const PipelineOptions& options) {
  const Clock::time_point start = Clock::now();
  std::unique_ptr<Pipeline> pipeline(new Pipeline());
  pipeline->options_ = options;
  pipeline->rules_dir_ = options.rules_dir.empty() ? DefaultRulesDir() : options.rules_dir;
  // The rule examples are for CheckRules, which reads them itself.
  Result<std::unique_ptr<RuleSet>> rules = LoadRules(pipeline->rules_dir_, options.cache_dir, /*examples=*/false);
  if (!rules.ok()) return rules.status();
  pipeline->rules_ = std::move(rules.value());
  for (const std::string& type : options.types)
    if (!pipeline->rules_->HasType(type)) return Status::Usage("no rules for fact type '" + type + "'");
  // Facts made by other rules, or filtered to other types, are not current.
  pipeline->rules_version_ = pipeline->rules_->version() + ":" + Join(options.types);
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
    if (extracted.window) return DeliverWindow(std::move(extracted));
    const Clock::time_point start = Clock::now();
    const Record& record = extracted.record;
    if (!extracted.error.empty()) return Fail(record.id, record.source, extracted.error, /*parts_given=*/false);
    for (const std::string& warning : record.warnings) Report({Problem::Kind::kWarning, record.id, warning});
    size_t rendered = 0;
    for (Sink* sink : sinks_) {
      const std::string_view bytes = sink->renders() ? std::string_view(extracted.rendered[rendered++]) : "";
      if (!Check(sink->Put(record, bytes, extracted.tag))) return;  // not delivered: the counts say what the sinks hold
    }
    Delivered(start);
  }

  // An item without a record, in its place (RunOptions::error_records).
  void PutError(const Problem& problem) { PutError(problem, /*parts_given=*/false); }

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

  // Keeps the first sink error; whether `status` is ok.
  bool Check(const Status& status) {
    if (!status.ok()) stats_->sink_status = status;
    return status.ok();
  }

  void Delivered(Clock::time_point start) {
    ++stats_->extracted;
    stats_->sink_seconds += SecondsSince(start);
    if (options_.on_progress) options_.on_progress(*stats_);
  }

  // An article whose extraction threw. Sinks that took parts of it get a last part
  // saying so (they hold its line); the others get PutError.
  void Fail(const std::string& id, const std::string& source, const std::string& error, bool parts_given) {
    ++stats_->failed_articles;
    const Problem failed{Problem::Kind::kFailed, id, source + ": extraction failed: " + error};
    Report(failed);
    if (parts_given) {
      Record last;
      last.lang = long_->lang;
      last.warnings.push_back("extraction failed after " + std::to_string(long_->windows) + " window(s): " + error);
      for (Sink* sink : sinks_)
        if (sink->takes_parts() && !Check(sink->PutPart(last, RecordPart::kLast, long_->tag))) return;
    }
    PutError(failed, parts_given);
  }

  void PutError(const Problem& problem, bool parts_given) {
    if (!options_.error_records || stopped()) return;
    for (Sink* sink : sinks_)
      if (!(parts_given && sink->takes_parts()) && !Check(sink->PutError(problem))) return;
  }

  // One window of a long article, in order: to the sinks that take parts at once, and
  // joined into the whole record for the others, which get it with the last window.
  void DeliverWindow(Extracted extracted) {
    const Clock::time_point start = Clock::now();
    Window& window = *extracted.window;
    if (window.index == 0) {
      std::string id = window.header.id;
      std::string source = window.header.source;
      long_.emplace(LongArticle{WindowJoiner(std::move(window.header)), std::move(id), std::move(source), extracted.tag});
    }
    const bool last = window.last;
    if (long_->failed || !extracted.error.empty()) {
      if (!long_->failed) Fail(long_->id, long_->source, extracted.error, /*parts_given=*/window.index > 0);
      long_->failed = true;
      if (last) long_.reset();
      return;
    }
    Record part = long_->joiner.Join(std::move(extracted.record), window.code_points, window.unresolved);
    if (last) long_->joiner.Close(&part);
    ++long_->windows;
    long_->lang = part.lang;
    for (const std::string& warning : part.warnings) Report({Problem::Kind::kWarning, long_->id, warning});
    const RecordPart place = window.index == 0 ? RecordPart::kFirst : last ? RecordPart::kLast : RecordPart::kMiddle;
    bool whole_sinks = false;
    for (Sink* sink : sinks_) {
      whole_sinks |= !sink->takes_parts();
      if (sink->takes_parts() && !Check(sink->PutPart(part, place, long_->tag))) return;
    }
    if (whole_sinks) {
      if (window.index == 0)
        long_->whole = std::move(part);
      else
        AppendPart(std::move(part), &long_->whole);
    }
    if (!last) {
      stats_->sink_seconds += SecondsSince(start);
      return;
    }
    for (Sink* sink : sinks_)
      if (!sink->takes_parts()) {
        const std::string rendered = sink->renders() ? sink->Render(long_->whole) : "";
        if (!Check(sink->Put(long_->whole, rendered, long_->tag))) return;
      }
    long_.reset();
    Delivered(start);
  }

  // The long article whose windows are being delivered.
  struct LongArticle {
    WindowJoiner joiner;
    std::string id;
    std::string source;
    std::string tag;
    std::string lang;
    size_t windows = 0;   // delivered so far
    bool failed = false;  // a window failed: the rest are dropped
    Record whole;         // joined, for the sinks that take whole records
  };
  std::optional<LongArticle> long_;

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
                           std::any_of(sinks.begin(), sinks.end(), [](const Sink* sink) { return sink->wants_text(); }),
                           [&loop] { return loop.stopped(); }};
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
