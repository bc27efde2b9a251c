#include "pipeline/parallel.h"

#include <algorithm>

namespace factwire {

Result<std::unique_ptr<ParallelExtractor>> ParallelExtractor::Create(const RuleSet& rules,
                                                                     const ExtractorOptions& options,
                                                                     const ParallelOptions& parallel, Sink sink) {
  const int threads =
      parallel.threads > 0 ? parallel.threads : std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
  std::unique_ptr<ParallelExtractor> pool(
      new ParallelExtractor(std::move(sink), std::max<size_t>(1, parallel.queue_per_thread) * static_cast<size_t>(threads)));
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

void ParallelExtractor::Submit(Article article, std::string tag) {
  if (workers_.empty()) {
    sink_(extractors_[0]->Extract(article), std::move(tag));
    return;
  }
  {
    std::lock_guard<std::mutex> lock(mutex_);
    jobs_.push_back({submitted_++, std::move(article), std::move(tag)});
  }
  job_ready_.notify_one();
  Deliver(/*wait=*/false);
  while (submitted_ - delivered_ >= capacity_) Deliver(/*wait=*/true);
}

StageTimes ParallelExtractor::stage_times() const {
  StageTimes total;
  for (const auto& extractor : extractors_) total.Add(extractor->stage_times());
  return total;
}

void ParallelExtractor::Finish() {
  while (delivered_ < submitted_) Deliver(/*wait=*/true);
}

void ParallelExtractor::Deliver(bool wait) {
  std::vector<Done> ready;
  {
    std::unique_lock<std::mutex> lock(mutex_);
    if (wait) job_done_.wait(lock, [&] { return done_.count(delivered_) > 0; });
    for (auto it = done_.find(delivered_); it != done_.end(); it = done_.find(delivered_)) {
      ready.push_back(std::move(it->second));
      done_.erase(it);
      ++delivered_;
    }
  }
  for (Done& done : ready) sink_(std::move(done.record), std::move(done.tag));  // outside the lock
}

void ParallelExtractor::Work(Extractor* extractor) {
  for (;;) {
    Job job;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      job_ready_.wait(lock, [&] { return stopping_ || !jobs_.empty(); });
      if (jobs_.empty()) return;  // stopping, and nothing left
      job = std::move(jobs_.front());
      jobs_.pop_front();
    }
    Record record = extractor->Extract(job.article);
    {
      std::lock_guard<std::mutex> lock(mutex_);
      done_.emplace(job.sequence, Done{std::move(record), std::move(job.tag)});
    }
    job_done_.notify_all();
  }
}

}  // namespace factwire
