// Items out in input order, the slow ones made on worker threads: HTML pages are parsed
// side by side, while the reader goes on reading, and still reach the sink in order.
//
// Input:  items in order, each ready (an error, a text article) or a job that makes it.
// Output: `deliver` gets every item in the order it was put, always on the thread that
//         calls Put, DeliverReady and Drain (the reader's), so it needs no locks.
// Memory: at most 4 x threads items in flight; Put waits for the oldest beyond that.
// Errors: a job should turn failures into an item's Status; an exception that escapes
//         one anyway is rethrown on the caller's thread when its turn comes.
// Thread-safety: one caller thread; jobs run on `threads` workers (started with the
//         first job) and must only read shared state. Not copyable: owns threads.
#ifndef FACTWIRE_READ_ORDERED_SINK_H_
#define FACTWIRE_READ_ORDERED_SINK_H_

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "factwire/record.h"
#include "factwire/status.h"

namespace factwire {

class OrderedSink {
 public:
  using Job = std::function<Result<Article>()>;
  // `key` travels with its item (the input format, for counting).
  using Deliver = std::function<void(Result<Article> item, const std::string& key)>;

  // With `threads` <= 1, jobs run at once on the caller's thread.
  OrderedSink(Deliver deliver, int threads);
  // Cancels what was not delivered (call Drain first to deliver it) and joins.
  ~OrderedSink();
  OrderedSink(const OrderedSink&) = delete;
  OrderedSink& operator=(const OrderedSink&) = delete;

  void Put(Result<Article> item, std::string key = "");
  void Put(Job job, std::string key);
  // Delivers what is done at the front without waiting (while input is quiet).
  void DeliverReady();
  // Waits for and delivers everything put so far.
  void Drain();

 private:
  struct Slot {
    Job job;  // empty once taken by a worker
    std::optional<Result<Article>> done;
    std::exception_ptr failed;  // what the job threw, rethrown on the caller's thread
    std::string key;
    bool finished() const { return done.has_value() || failed; }
  };
  void StartWorkers();
  void Add(Slot slot);
  void DeliverFront(bool wait);
  void Work();

  Deliver deliver_;
  int threads_;
  size_t capacity_;
  bool started_ = false;
  std::mutex mutex_;
  std::condition_variable job_ready_;
  std::condition_variable job_done_;
  std::deque<Slot> slots_;  // in input order; the front is the next to deliver
  // Slots are known by their place in the input: slots_[i] is item front_ + i. Only the
  // caller removes slots, done ones from the front, so a worker's slot stays put.
  uint64_t front_ = 0;
  uint64_t next_job_ = 0;   // the first item no worker has looked at
  bool stopping_ = false;
  std::vector<std::thread> workers_;
};

}  // namespace factwire

#endif  // FACTWIRE_READ_ORDERED_SINK_H_
