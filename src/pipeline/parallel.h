// Parallel extraction: articles in, records out in input order, on N threads.
//
// Input:  Articles submitted one at a time (with a caller's tag each, such as a hash).
// Output: the sink receives each Record with its tag, in submission order, always on the
//         thread that calls Submit or Finish, so sinks (JSONL, databases) need no locks.
//         An article longer than ExtractorOptions::window_bytes is cut into windows
//         (WindowCutter) that are extracted like articles, on every thread at once, and
//         delivered one by one, in order, for the sink to join (WindowJoiner). Once a
//         window has failed, the article's later windows are not queued: one last
//         window, not extracted, closes the article for the sink.
// Memory: at most `queue_per_thread` x threads articles, and about
//         `max_in_flight_bytes` of their text, are in flight (queued, being extracted or
//         waiting for an earlier one), and at most threads + 1 when the last is a
//         window; Submit blocks beyond that, so memory stays bounded whatever the number
//         of articles.
// Hand-offs: a worker takes up to half its share of the queue at once (a window alone),
//         but no more than its share of what is queued, and wakes the caller only when
//         the record it waits for is done, so threads do not trade a wake-up for every
//         article. A deep queue keeps those hand-offs rare: at 8 articles per thread,
//         20 MB of news cost a context switch per one or two articles, and two threads
//         spent a seventh to a quarter more CPU than one (README "Performance", runs I1
//         and I2).
// Thread-safety: one caller thread; each worker has its own Extractor on the shared
//         RuleSet (whose per-language compiling is itself thread-safe). Not copyable: it
//         owns threads. Pipeline::Run is its one caller outside tests.
#ifndef FACTWIRE_PIPELINE_PARALLEL_H_
#define FACTWIRE_PIPELINE_PARALLEL_H_

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "pipeline/extractor.h"

namespace factwire {

// Which window of a long article (ExtractorOptions::window_bytes) a record is.
struct Window {
  size_t index = 0;
  bool last = false;
  size_t code_points = 0;  // of the window's text
  size_t unresolved = 0;   // dates it left relative for want of a publication date
  Record header;           // the first window's: RecordOf(article), for WindowJoiner
};

// What the sink receives for each article, or for each window of a long one.
struct Extracted {
  Record record;  // the article's, or the window's (offsets in the window; WindowJoiner)
  std::vector<std::string> rendered;  // render(record): one string per rendering sink; empty without render or for a window
  std::string tag;       // as given to Submit
  size_t text_bytes = 0;  // of the article's (or window's) text: what it held in flight
  std::string error;     // what a library threw while extracting or rendering; the record is then not whole
  std::optional<Window> window;  // set for a window of a long article
};

// The default bound on text in flight, per thread: as much as 8 articles of a window's
// size (ExtractorOptions::window_bytes), whose records are some ten times their text.
constexpr size_t kInFlightBytesPerThread = size_t{8} << 20;

struct ParallelOptions {
  int threads = 0;              // 0: one per core; 1: extract on the calling thread
  size_t queue_per_thread = 64;  // articles in flight per thread
  // Text bytes in flight (queued, being extracted, waiting to be delivered): past it,
  // Submit waits, so a run of large articles holds a few at a time, not 64 per thread.
  // One article is always let through, however large. 0: kInFlightBytesPerThread for
  // each thread.
  size_t max_in_flight_bytes = 0;
  // Optional work done on the extracting thread after extraction (turning the record
  // into each sink's bytes), so that the one thread that writes does not become the limit.
  std::function<std::vector<std::string>(const Record&)> render;
  bool keep_text = false;  // copy each article's text into its Record (Sink::wants_text)
  // Optional, asked on the calling thread between a long article's windows: once it
  // says the run has stopped (a sink failed), the article's other windows are not queued.
  std::function<bool()> stopped;
};

class ParallelExtractor {
 public:
  using Sink = std::function<void(Extracted extracted)>;

  static Result<std::unique_ptr<ParallelExtractor>> Create(const RuleSet& rules, const ExtractorOptions& options,
                                                           const ParallelOptions& parallel, Sink sink);
  ~ParallelExtractor();
  ParallelExtractor(const ParallelExtractor&) = delete;
  ParallelExtractor& operator=(const ParallelExtractor&) = delete;

  // Queues one article; may deliver earlier records to the sink, and blocks while the
  // queue is full.
  void Submit(Article article, std::string tag = "");
  // Delivers every remaining record; the extractor can take more articles afterwards.
  void Finish();
  // Delivers the records done so far, in order; with `wait`, waits for the next one.
  void Deliver(bool wait);
  int threads() const { return static_cast<int>(extractors_.size()); }
  // The bounds in force (ParallelOptions, defaults filled in): articles and text bytes
  // in flight.
  size_t capacity() const { return capacity_; }
  size_t max_in_flight_bytes() const { return max_in_flight_bytes_; }
  // Stage times summed over every thread's extractor; call after Finish.
  StageTimes stage_times() const;

 private:
  struct Job {
    uint64_t sequence;
    Article article;
    std::string tag;
    std::optional<Window> window;
    bool skip = false;  // a last window that closes an article whose window failed: not extracted
  };
  ParallelExtractor(Sink sink, size_t capacity, size_t max_in_flight_bytes, size_t batch, size_t window_bytes,
                    std::function<std::vector<std::string>(const Record&)> render, bool keep_text)
      : sink_(std::move(sink)),
        capacity_(capacity),
        max_in_flight_bytes_(max_in_flight_bytes),
        batch_(batch),
        window_bytes_(window_bytes),
        render_(std::move(render)),
        keep_text_(keep_text) {}
  // Queues one job (an article or a window), delivering and waiting as Submit says.
  void Queue(Job job);
  // Cuts a long article into windows and queues each.
  void QueueWindows(const Article& article, const std::string& tag);
  // Sets the language of the windows after the first (the article has none), on the
  // calling thread, so that they need not wait for the first window's extraction.
  void SetLanguageOfLaterWindows(const Article& first_window, WindowCutter* cutter);
  // Gives the record of job `sequence` to the sink, noting first whether it is a failed
  // window of the article being queued.
  void Hand(Extracted extracted, uint64_t sequence);
  // Extracts and renders one job; adds the rendering time to `*render_seconds`.
  Extracted Run(Extractor* extractor, Job& job, double* render_seconds) const;
  void Work(Extractor* extractor);

  Sink sink_;
  size_t capacity_;
  size_t max_in_flight_bytes_;
  size_t in_flight_bytes_ = 0;  // on the calling thread only: Submit adds, Deliver subtracts
  // On the calling thread only: the sequence of the first window of the long article
  // being queued (QueueWindows), and whether one of its windows failed.
  uint64_t windows_from_ = 0;
  bool window_failed_ = false;
  size_t batch_;  // jobs a worker takes at once
  size_t window_bytes_;
  // Identifies the language of a long article's first window on the calling thread, so
  // that the windows after it can start at once; made on first use.
  std::unique_ptr<Extractor> language_extractor_;
  const RuleSet* rules_ = nullptr;
  std::function<bool()> stopped_;  // ParallelOptions::stopped
  std::function<std::vector<std::string>(const Record&)> render_;
  bool keep_text_;
  std::vector<std::unique_ptr<Extractor>> extractors_;
  std::vector<std::thread> workers_;
  std::mutex mutex_;
  std::condition_variable job_ready_;
  std::condition_variable job_done_;
  std::deque<Job> jobs_;
  std::map<uint64_t, Extracted> done_;  // finished out of order, waiting for earlier ones
  double render_seconds_ = 0;  // summed over threads, under mutex_
  size_t idle_workers_ = 0;    // waiting for a job, under mutex_
  uint64_t submitted_ = 0;
  uint64_t delivered_ = 0;
  bool stopping_ = false;
};

}  // namespace factwire

#endif  // FACTWIRE_PIPELINE_PARALLEL_H_
