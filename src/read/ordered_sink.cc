#include "read/ordered_sink.h"

#include <algorithm>

namespace factwire {

OrderedSink::OrderedSink(Deliver deliver, int threads)
    : deliver_(std::move(deliver)), capacity_(static_cast<size_t>(std::max(1, threads)) * 4) {
  if (threads > 1)
    for (int i = 0; i < threads; ++i) workers_.emplace_back(&OrderedSink::Work, this);
}

OrderedSink::~OrderedSink() {
  Drain();
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  job_ready_.notify_all();
  for (std::thread& worker : workers_) worker.join();
}

void OrderedSink::Put(Result<Article> item, std::string key) {
  Slot slot;
  slot.done = std::move(item);
  slot.key = std::move(key);
  Add(std::move(slot));
}

void OrderedSink::Put(Job job, std::string key) {
  if (workers_.empty()) {
    Put(job(), std::move(key));
    return;
  }
  Slot slot;
  slot.job = std::move(job);
  slot.key = std::move(key);
  Add(std::move(slot));
}

void OrderedSink::Add(Slot slot) {
  const bool job = static_cast<bool>(slot.job);
  {
    std::lock_guard<std::mutex> lock(mutex_);
    slots_.push_back(std::move(slot));
  }
  if (job) job_ready_.notify_one();
  DeliverFront(/*wait=*/false);
  for (;;) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (slots_.size() < capacity_) return;
    }
    DeliverFront(/*wait=*/true);
  }
}

void OrderedSink::DeliverReady() { DeliverFront(/*wait=*/false); }

void OrderedSink::Drain() {
  for (;;) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (slots_.empty()) return;
    }
    DeliverFront(/*wait=*/true);
  }
}

// Hands the done items at the front to `deliver_`, outside the lock; with `wait`, first
// waits for the front one.
void OrderedSink::DeliverFront(bool wait) {
  std::vector<Slot> ready;
  {
    std::unique_lock<std::mutex> lock(mutex_);
    if (wait) job_done_.wait(lock, [&] { return slots_.empty() || slots_.front().done.has_value(); });
    while (!slots_.empty() && slots_.front().done.has_value()) {
      ready.push_back(std::move(slots_.front()));
      slots_.pop_front();
      ++front_;
    }
  }
  for (Slot& slot : ready) deliver_(std::move(*slot.done), slot.key);
}

void OrderedSink::Work() {
  for (;;) {
    Job job;
    uint64_t taken = 0;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      auto pending = [&] {
        next_job_ = std::max(next_job_, front_);
        while (next_job_ < front_ + slots_.size() && !slots_[next_job_ - front_].job) ++next_job_;
        return next_job_ < front_ + slots_.size();
      };
      job_ready_.wait(lock, [&] { return stopping_ || pending(); });
      if (!pending()) return;  // stopping, and nothing left
      taken = next_job_++;
      job = std::move(slots_[taken - front_].job);
      slots_[taken - front_].job = nullptr;
    }
    Result<Article> made = job();
    {
      std::lock_guard<std::mutex> lock(mutex_);
      slots_[taken - front_].done = std::move(made);
    }
    job_done_.notify_all();
  }
}

}  // namespace factwire
