#include "pipeline/parallel.h"

#include "base/utf8.h"

#include <algorithm>
#include <chrono>

namespace factwire {

Result<std::unique_ptr<ParallelExtractor>> ParallelExtractor::Create(const RuleSet& rules,
                                                                     const ExtractorOptions& options,
                                                                     const ParallelOptions& parallel, Sink sink) {
  const int threads =
      parallel.threads > 0 ? parallel.threads : std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
  const size_t per_thread = std::max<size_t>(1, parallel.queue_per_thread);
  const size_t max_bytes = parallel.max_in_flight_bytes > 0 ? parallel.max_in_flight_bytes
                                                            : kInFlightBytesPerThread * static_cast<size_t>(threads);
  std::unique_ptr<ParallelExtractor> pool(new ParallelExtractor(
      std::move(sink), per_thread * static_cast<size_t>(threads), max_bytes,
      std::max<size_t>(1, per_thread / 2), options.window_bytes, parallel.render, parallel.keep_text));
  pool->rules_ = &rules;
  pool->stopped_ = parallel.stopped;
  for (int i = 0; i < threads; ++i) {
    Result<std::unique_ptr<Extractor>> extractor = Extractor::Create(rules, options);
    if (!extractor.ok()) return extractor.status();
    pool->extractors_.push_back(std::move(extractor.value()));
  }
  // One thread: extract on the caller's thread, with no hand-offs at all.
  if (threads > 1)
    for (auto& extractor : pool->extractors_) pool->workers_.emplace_back(&ParallelExtractor::Work, pool.get(), extractor.get());
  return pool;
}

ParallelExtractor::~ParallelExtractor() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  job_ready_.notify_all();
  for (std::thread& worker : workers_) worker.join();
}

Extracted ParallelExtractor::Run(Extractor* extractor, Job& job, double* render_seconds) const {
  const Article& article = job.article;
  Extracted extracted{{}, {}, std::move(job.tag), article.text.size(), {}, std::move(job.window)};
  if (job.skip) {
    extracted.error = "not extracted: an earlier window of the article failed";
    return extracted;
  }
  // The article boundary: whatever one article makes a library throw (out of memory
  // included) fails that article alone, and the run goes on.
  try {
    if (Window* window = extracted.window ? &*extracted.window : nullptr) {
      extracted.record = extractor->ExtractWindow(article, &window->unresolved);
      window->code_points = CodePointsOf(article.text);
    } else {
      extracted.record = extractor->Extract(article);
    }
    // Stored as normalise reads it: invalid UTF-8 repaired, so that offsets count in it.
    if (keep_text_) extracted.record.text = IsValidUtf8(article.text) ? article.text : RepairUtf8(article.text).text;
    if (render_ && !extracted.window) {  // a window is rendered as a part of its record, in order
      const auto start = std::chrono::steady_clock::now();
      extracted.rendered = render_(extracted.record);
      *render_seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    }
  } catch (const std::exception& e) {
    extracted.error = e.what();
  } catch (...) {
    extracted.error = "an exception of unknown type";
  }
  if (!extracted.error.empty()) {
    extracted.record.id = article.id;
    extracted.record.source = article.source;
  }
  return extracted;
}

void ParallelExtractor::Submit(Article article, std::string tag) {
  if (article.text.size() > window_bytes_) {
    QueueWindows(article, tag);
    return;
  }
  Queue({0, std::move(article), std::move(tag), std::nullopt});
}

void ParallelExtractor::QueueWindows(const Article& article, const std::string& tag) {
  WindowCutter cutter(article, window_bytes_);
  Article window;
  windows_from_ = submitted_;
  window_failed_ = false;
  for (size_t index = 0; cutter.Next(&window); ++index) {
    if (stopped_ && stopped_()) return;  // a sink failed: the rest would be thrown away
    if (window_failed_) {  // the rest would be thrown away too; the sink still needs a last window
      Queue({0, Article{}, tag, Window{index, true, 0, 0, Record{}}, /*skip=*/true});
      return;
    }
    if (index == 0 && article.lang.empty()) SetLanguageOfLaterWindows(window, &cutter);
    Window part{index, cutter.done(), 0, 0, index == 0 ? RecordOf(article) : Record{}};
    Queue({0, std::move(window), tag, std::move(part)});
  }
}

void ParallelExtractor::SetLanguageOfLaterWindows(const Article& first_window, WindowCutter* cutter) {
  Extractor* identifier = workers_.empty() ? extractors_[0].get() : language_extractor_.get();
  if (!identifier) {
    Result<std::unique_ptr<Extractor>> made = Extractor::Create(*rules_);
    if (made.ok()) identifier = (language_extractor_ = std::move(made.value())).get();
  }
  // Should this fail (the workers' extractors were made the same way; a library
  // throwing), each window identifies its own language, as the first one does.
  if (!identifier) return;
  try {
    cutter->set_lang(identifier->LanguageOf(first_window));
  } catch (const std::exception&) {
  }
}

void ParallelExtractor::Queue(Job job) {
  if (workers_.empty()) {
    const uint64_t sequence = submitted_++;
    ++delivered_;
    Hand(Run(extractors_[0].get(), job, &render_seconds_), sequence);
    return;
  }
  bool wake;
  // A window's record is some ten times its text: one window in flight per thread and
  // one queued keep every thread busy without a backlog of records waiting for a slow
  // window before them.
  const size_t capacity = job.window ? std::min(capacity_, workers_.size() + 1) : capacity_;
  in_flight_bytes_ += job.article.text.size();
  {
    std::lock_guard<std::mutex> lock(mutex_);
    job.sequence = submitted_++;
    jobs_.push_back(std::move(job));
    wake = idle_workers_ > 0;
  }
  if (wake) job_ready_.notify_one();
  Deliver(/*wait=*/false);
  while (submitted_ - delivered_ >= capacity ||
         (in_flight_bytes_ > max_in_flight_bytes_ && submitted_ - delivered_ > 1))
    Deliver(/*wait=*/true);
}

StageTimes ParallelExtractor::stage_times() const {
  StageTimes total;
  for (const auto& extractor : extractors_) total.Add(extractor->stage_times());
  if (language_extractor_) total.Add(language_extractor_->stage_times());
  total.render = render_seconds_;  // read after Finish: no worker is rendering
  return total;
}

void ParallelExtractor::Finish() {
  while (delivered_ < submitted_) Deliver(/*wait=*/true);
}

void ParallelExtractor::Deliver(bool wait) {
  std::vector<Extracted> ready;
  uint64_t first = 0;  // the sequence of ready[0]
  {
    std::unique_lock<std::mutex> lock(mutex_);
    if (wait) job_done_.wait(lock, [&] { return done_.count(delivered_) > 0; });
    first = delivered_;
    for (auto it = done_.find(delivered_); it != done_.end(); it = done_.find(delivered_)) {
      ready.push_back(std::move(it->second));
      done_.erase(it);
      ++delivered_;
    }
  }
  for (size_t i = 0; i < ready.size(); ++i) {  // outside the lock
    in_flight_bytes_ -= ready[i].text_bytes;
    Hand(std::move(ready[i]), first + i);
  }
}

void ParallelExtractor::Hand(Extracted extracted, uint64_t sequence) {
  // A window of an article queued before this one may fail now, too: not this one's.
  if (extracted.window && !extracted.error.empty() && sequence >= windows_from_) window_failed_ = true;
  sink_(std::move(extracted));
}

void ParallelExtractor::Work(Extractor* extractor) {
  std::vector<Job> jobs;
  std::vector<Extracted> results;
  for (;;) {
    jobs.clear();
    results.clear();
    {
      std::unique_lock<std::mutex> lock(mutex_);
      ++idle_workers_;
      job_ready_.wait(lock, [&] { return stopping_ || !jobs_.empty(); });
      --idle_workers_;
      if (jobs_.empty()) return;  // stopping, and nothing left
      // Small articles go in batches; a window of a long article goes alone, so that
      // no worker holds several windows' records while the others wait for work.
      while (!jobs_.empty() && jobs.size() < batch_ && !(jobs_.front().window && !jobs.empty())) {
        jobs.push_back(std::move(jobs_.front()));
        jobs_.pop_front();
        if (jobs.back().window) break;
      }
    }
    double render_seconds = 0;
    for (Job& job : jobs) results.push_back(Run(extractor, job, &render_seconds));
    bool wake;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      for (size_t i = 0; i < jobs.size(); ++i) done_.emplace(jobs[i].sequence, std::move(results[i]));
      render_seconds_ += render_seconds;
      wake = done_.count(delivered_) > 0;  // the caller waits for nothing else
    }
    if (wake) job_done_.notify_one();
  }
}

}  // namespace factwire
