// factwire's library interface: rules loaded once, then articles in and records out.
//
//   Result<std::unique_ptr<Pipeline>> pipeline = Pipeline::Open(PipelineOptions{});
//   Record record = pipeline.value()->Extract(article);
//
// A Pipeline holds the compiled rules of every language (each compiled on its first
// article) and is immutable once open. Extract is safe from many threads at once; Run
// streams any number of articles through its own worker threads, in input order, with
// memory bounded by the articles in flight. The CLI, the service and the Python module
// are thin callers of this interface.
//
// Errors are values: Open says which rule file and line is wrong; Run reports each bad
// input item through RunOptions::on_problem and goes on; a sink that fails stops the run,
// and RunStats says how far it got. No exception crosses this interface.
#ifndef FACTWIRE_INCLUDE_FACTWIRE_PIPELINE_H_
#define FACTWIRE_INCLUDE_FACTWIRE_PIPELINE_H_

#include <cstddef>
#include <functional>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "factwire/record.h"
#include "factwire/status.h"

namespace factwire {

class RuleSet;
class ExtractorPool;

struct PipelineOptions {
  // The rule folder. Empty: $FACTWIRE_RULES, else rules/ next to or above the binary,
  // else the source tree factwire was built from.
  std::string rules_dir;
  // Fact types to keep, e.g. {"money", "country"}; empty keeps every type. A type
  // without rules makes Open fail with Status::Code::kUsage.
  std::set<std::string> types;
  // Where compiled matchers are kept between runs (a Vectorscan database per language,
  // named by a digest of its patterns), so that a start after the first takes
  // milliseconds, not seconds. Empty: $FACTWIRE_CACHE, else $XDG_CACHE_HOME/factwire,
  // else $HOME/.cache/factwire. "none": nothing kept, every start compiles.
  std::string cache_dir;
  // An article longer than this (bytes) is extracted window by window, each about this
  // long and cut at a paragraph break where there is one, so that memory follows the
  // window (some 40 bytes per byte of it), not the article. Offsets stay those of the
  // whole article; mentions are linked, relative dates anchored, and an article's
  // evidence (the country that says which dollar) gathered within a window, which is
  // still a hundred news articles long. Run extracts an article's windows on all its
  // threads at once, and sinks that take parts (Sink::takes_parts) get its record
  // window by window.
  size_t window_bytes = size_t{1} << 20;
};

// Time spent in each stage, summed over the articles (and threads), in seconds.
struct StageTimes {
  double normalise = 0;
  double identify = 0;  // language identification, for articles without a language
  double segment = 0;
  double match = 0;
  double resolve = 0;  // values, linking, relations and events
  double render = 0;   // records made into output lines by sinks, on the worker threads
  void Add(const StageTimes& other);
};

// Where Run takes its articles from. Not copyable by convention: sources usually hold
// streams.
class Source {
 public:
  virtual ~Source() = default;
  // Calls `each` once per article, or with a Status naming the input (file, line) and
  // what is wrong with an item that cannot be read, in input order, until the input
  // ends or `each` returns false.
  virtual void ForEach(const std::function<bool(Result<Article>)>& each) = 0;
  // The same, calling `idle` on the same thread whenever the input keeps it waiting (a
  // quiet pipe), so that Run can deliver the records already done. Default: ForEach.
  virtual void ForEach(const std::function<bool(Result<Article>)>& each, const std::function<void()>& idle) {
    (void)idle;
    ForEach(each);
  }
};

struct Problem;

// Where a part of a long article's record falls in it (Sink::PutPart).
enum class RecordPart { kFirst, kMiddle, kLast };

// Where Run delivers records: JSONL, a database, a summary, a caller's own.
// Put and Finish run on the thread that called Run, one record at a time, in input
// order, so a sink needs no locks. Render runs on worker threads and must not touch the
// sink's state.
class Sink {
 public:
  virtual ~Sink() = default;
  // Whether the sink renders records into bytes on the worker threads (Render).
  virtual bool renders() const { return false; }
  virtual std::string Render(const Record& record) const;
  // Whether the sink needs Record::text (which costs a copy of each article in flight).
  virtual bool wants_text() const { return false; }
  // Whether the sink can tell that it holds an article unchanged (IsCurrent), so that
  // Run need not extract it again.
  virtual bool skips_unchanged() const { return false; }
  virtual Result<bool> IsCurrent(const std::string& article_id, const std::string& text_sha256);
  // One record; `rendered` is Render(record) when renders(), else empty;
  // `text_sha256` is the hash of the article's text when skips_unchanged(), else empty.
  virtual Status Put(const Record& record, std::string_view rendered, const std::string& text_sha256) = 0;
  // Whether the sink takes the record of a long article (one longer than
  // PipelineOptions::window_bytes) in parts, one per window as it is done (PutPart), so
  // that Run's memory follows the window, not the article. Otherwise Run joins the parts
  // and calls Put with the whole record, after the sinks that take parts have had them
  // all. Default: whole records.
  virtual bool takes_parts() const { return false; }
  // The next part of a long article's record, in order, from kFirst to kLast; Put is not
  // called for the article. The parts together are the record Put would get: the first
  // has its id, source, title, url, published and lang (every part has the lang); each
  // has the next facts, with offsets in the whole article, and the next sentences (and
  // with wants_text, the next stretch of text); relations index all the record's facts,
  // earlier parts' included; warnings are those no earlier part gave. If a window's
  // extraction fails, the last part has only a warning saying so, and the run counts the
  // article as failed, not extracted. A sink error stops the run, possibly between two
  // parts. Called only when takes_parts().
  virtual Status PutPart(const Record& part, RecordPart place, const std::string& text_sha256);
  // With RunOptions::error_records: an input item that gave no record (unreadable, a
  // repeated id, a failed extraction), in its place among the records. Default: nothing.
  virtual Status PutError(const Problem& problem);
  // When the input is quiet: push out what is held (flush a stream, commit a batch), so
  // a trickle of articles is not kept waiting for the next.
  virtual Status Flush() { return {}; }
  // After the last record (commit, flush).
  virtual Status Finish() { return {}; }
};

// One thing that went wrong in a run without stopping it.
struct Problem {
  enum class Kind {
    kUnreadable,  // an input item could not be read (the message names file and line)
    kDuplicate,   // a second article with an id already seen in this run: not extracted
    kWarning,     // a warning in an extracted record (also kept in the record)
    kFailed,      // extracting an article failed (a library threw): no record for it
  };
  Kind kind = Kind::kUnreadable;
  std::string article_id;  // empty for kUnreadable
  std::string message;
};

struct RunOptions {
  int threads = 0;              // 0: one per core; 1: extract on the calling thread
  size_t queue_per_thread = 64;  // articles in flight per thread: bounds memory
  // Text bytes in flight at once, whatever the article count: large articles queue
  // fewer at a time. One article always goes through, however large. 0: 8 MB per thread.
  size_t max_in_flight_bytes = 0;
  bool force = false;           // extract articles a sink holds unchanged, too
  // Every input item that gives no record (unreadable, a repeated id, a failed
  // extraction) also goes to Sink::PutError, in its place in input order, so a JSONL
  // output has one line per input item (with ReadOptions::blank_lines_are_items, one per
  // input line). Records in flight are delivered first, so each such item costs a pause.
  bool error_records = false;
  // Called on the calling thread for each problem, as it happens. Default: none.
  std::function<void(const Problem&)> on_problem;
  // Called on the calling thread after each record is delivered, with the counts so
  // far (for a progress display). Default: none.
  std::function<void(const struct RunStats&)> on_progress;
};

struct RunStats {
  size_t extracted = 0;   // records delivered to the sinks
  size_t unchanged = 0;   // articles every change-tracking sink held unchanged: skipped
  size_t unreadable = 0;  // input items that could not be read
  size_t duplicates = 0;  // articles skipped for an id already seen in this run
  size_t failed_articles = 0;  // articles whose extraction failed: reported, no record
  size_t bytes = 0;       // text bytes extracted
  int threads = 0;
  double seconds = 0;       // the whole run
  double sink_seconds = 0;  // in Put, on the calling thread
  StageTimes stages;
  Status sink_status;  // the first sink error: the run stopped there; ok otherwise
  // Whether anything failed: an unreadable item, a duplicate id, a failed article or a
  // sink error.
  bool failed() const { return unreadable > 0 || duplicates > 0 || failed_articles > 0 || !sink_status.ok(); }
};

// What CheckStored found.
struct StoredCheck {
  size_t articles = 0;    // read from the source
  size_t stored = 0;      // that the sink holds unchanged
  size_t missing = 0;     // that it does not hold, or holds from another text or other rules
  std::vector<std::string> missing_ids;  // the first few of them
  size_t unreadable = 0;  // input items that could not be read (no article to look for)
  size_t duplicates = 0;  // articles whose id an earlier one had: a run keeps the first
  Status sink_status;     // the first sink error: the check stopped there; ok otherwise
  bool complete() const { return missing == 0 && sink_status.ok(); }
};

// Whether `sink` (one that skips_unchanged, such as a database opened with a pipeline's
// rules_version) holds every article of `source` unchanged: what a finished load of
// `source` leaves. Reads, never extracts or writes: the closing check of a sharded load.
StoredCheck CheckStored(Source& source, Sink& sink);

// The outcome of one rule file example (`factwire check-rules`).
struct ExampleOutcome {
  bool passed = false;
  std::string message;  // file:line and what differed, when it failed
};

// This factwire's version ("0.4.0"), as the package and `factwire --version` name it.
const char* Version();

class Pipeline {
 public:
  // Loads, checks and parses every rule file; patterns compile per language on first use.
  static Result<std::unique_ptr<Pipeline>> Open(const PipelineOptions& options = {});
  ~Pipeline();
  // Owns the compiled rules that every thread shares; a copy would compile them again.
  Pipeline(const Pipeline&) = delete;
  Pipeline& operator=(const Pipeline&) = delete;

  // One article. Problems with its text become warnings in the record, never a failure.
  // Thread-safe.
  Record Extract(const Article& article) const;

  // Every article of `source` into every sink, in input order, on RunOptions::threads
  // threads. An article whose id was seen before in the run is reported (kDuplicate) and
  // skipped; the ids seen are kept for the run (memory grows by an id per article, the
  // articles themselves are never held beyond those in flight). Returns what happened;
  // check RunStats::failed().
  RunStats Run(Source& source, const std::vector<Sink*>& sinks, const RunOptions& options = {}) const;

  // What `factwire explain` prints for one article: the normalised text, its sentences,
  // every candidate with its verdict, value and reason, and the record. Thread-safe.
  std::string Explain(const Article& article) const;

  // Compiles every language and runs every example the rule files carry (fact rules
  // and relation frames).
  Result<std::vector<ExampleOutcome>> CheckRules() const;
  // What each language's data leaves off, one line per language and feature ("relations
  // are off for 'und': ..."): a language is a folder of data, and a list it lacks turns
  // the feature that needs it off instead of failing.
  std::vector<std::string> FeaturesOff() const;
  // After CheckRules: what the compiled matchers say of themselves, one line each: a
  // rule the Vectorscan prefilter cannot take (RE2 alone matches it, slower), a cache
  // file that did not check out and was compiled again.
  std::vector<std::string> MatcherNotes() const;

  // A fingerprint of the rule folder (paths and contents) and the kept types: records
  // made with another fingerprint may differ.
  const std::string& rules_version() const { return rules_version_; }
  const std::string& rules_dir() const { return rules_dir_; }
  // Seconds Open took to load the rules.
  double load_seconds() const { return load_seconds_; }

 private:
  Pipeline();
  std::unique_ptr<RuleSet> rules_;
  std::unique_ptr<ExtractorPool> extractors_;
  PipelineOptions options_;
  std::string rules_dir_;
  std::string rules_version_;
  double load_seconds_ = 0;
};

}  // namespace factwire

#endif  // FACTWIRE_INCLUDE_FACTWIRE_PIPELINE_H_
