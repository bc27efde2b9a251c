#include "read/ordered_sink.h"

#include <algorithm>
#include <system_error>

namespace factwire {

OrderedSink::OrderedSink(Deliver deliver, int threads)
    : deliver_(std::move(deliver)), threads_(std::max(1, threads)), capacity_(static_cast<size_t>(threads_) * 4) {}

OrderedSink::~OrderedSink() {
  // Cancels, never delivers: after Drain there is nothing left; after an exception the
  // sink must not hear of items past it. Jobs being run finish into their slots, which
  // live until the workers are joined.
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
    for (Slot& slot : slots_) slot.job = nullptr;
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
  StartWorkers();
  if (workers_.empty()) {
    Put(job(), std::move(key));
    return;
  }
  Slot slot;
  slot.job = std::move(job);
  slot.key = std::move(key);
  Add(std::move(slot));
}

// Workers start with the first job, so a run without HTML starts none. A thread that
// cannot start leaves the jobs to those that did, or to the caller.
void OrderedSink::StartWorkers() {
  if (started_ || threads_ <= 1) return;
  started_ = true;
  try {
    for (int i = 0; i < threads_; ++i) workers_.emplace_back(&OrderedSink::Work, this);
  } catch (const std::system_error&) {
  }
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

// Hands the finished items at the front to `deliver_` one at a time, outside the lock,
// so that a throwing `deliver_` loses none already taken; with `wait`, first waits for
// the front one. A job that threw rethrows here, on the caller's thread.
void OrderedSink::DeliverFront(bool wait) {
  for (bool first = true;; first = false) {
    Slot slot;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      if (wait && first) job_done_.wait(lock, [&] { return slots_.empty() || slots_.front().finished(); });
      if (slots_.empty() || !slots_.front().finished()) return;
      slot = std::move(slots_.front());
      slots_.pop_front();
      ++front_;
    }
    if (slot.failed) std::rethrow_exception(slot.failed);
    deliver_(std::move(*slot.done), slot.key);
  }
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
      if (stopping_ || !pending()) return;
      taken = next_job_++;
      job = std::move(slots_[taken - front_].job);
      slots_[taken - front_].job = nullptr;
    }
    // Jobs turn what they can into an item's error; anything that still escapes goes to
    // the caller's thread, as it would with no workers.
    std::optional<Result<Article>> made;
    std::exception_ptr failed;
    try {
      made = job();
    } catch (...) {
      failed = std::current_exception();
    }
    {
      std::lock_guard<std::mutex> lock(mutex_);
      Slot& slot = slots_[taken - front_];
      slot.done = std::move(made);
      slot.failed = failed;
    }
    job_done_.notify_all();
  }
}

}  // namespace factwire
