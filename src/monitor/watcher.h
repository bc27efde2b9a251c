// factwire watch: every file that appears in a folder is read, extracted and handed to
// the Monitor (stored, alerts raised), once.
//
// Input:  files in WatchOptions::dir (not its subfolders), any format `extract` reads
//         (PathSource). Files are expected to be written elsewhere and renamed in; a
//         dot file and a name ending in .tmp, .part or ~ is a file still being written
//         and is left alone.
// Output: each article's record to the Monitor and to the extra sinks (JSONL); a line
//         per file on `messages` (articles, alerts, problems); with move_done, the file
//         moved to DIR/done/ (every article read) or DIR/failed/ (some item unreadable,
//         or not a format factwire reads).
// Invariants: a file is known by the SHA-256 of its bytes, kept in the Monitor's
//         database once all its records and alerts are stored, so that it is processed
//         once, also across restarts and after kill -9: a file cut short by a kill is
//         done again whole at the next start (records are replaced and alert ids are
//         stable, so that leaves no duplicate). A file whose records could not be
//         stored (the database is down) is tried again within seconds. A name that
//         points at another file (device, inode, size, time) after reading than before
//         hashing is read again; one that does before the move is not moved.
//         Files are seen through inotify (a file closed after writing or renamed in is
//         taken at once) with a full scan every rescan_seconds besides; with `poll`, or
//         where inotify fails, by a scan every poll_seconds. A file a scan finds is taken
//         once its size and time are unchanged across two scans or it is older than a
//         scan interval; while one is held back so, scans come every poll_seconds.
// Thread-safety: Run on one thread; Stop from any thread (a signal watcher).
#ifndef FACTWIRE_MONITOR_WATCHER_H_
#define FACTWIRE_MONITOR_WATCHER_H_

#include <atomic>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "factwire/io.h"
#include "factwire/pipeline.h"
#include "monitor/monitor.h"

namespace factwire {

struct WatchOptions {
  std::string dir;
  bool move_done = false;     // processed files to DIR/done/, failed ones to DIR/failed/
  bool poll = false;          // scan every poll_seconds even where inotify works
  double poll_seconds = 0.5;  // between scans when polling
  double rescan_seconds = 30;  // between full scans besides inotify (missed events, retries)
  int threads = 0;             // extraction threads per file (RunOptions::threads)
  ReadOptions read;            // default date and language, HTML hints, size limit
};

class Watcher {
 public:
  // kUsage when `dir` is not a folder; the monitor must have a database (where the
  // files done are kept). `pipeline`, `monitor`, the sinks and `messages` must outlive
  // the watcher.
  static Result<std::unique_ptr<Watcher>> Open(const Pipeline& pipeline, Monitor& monitor, const WatchOptions& options,
                                               std::vector<Sink*> sinks, std::ostream* messages);
  ~Watcher();
  Watcher(const Watcher&) = delete;  // owns the inotify descriptor
  Watcher& operator=(const Watcher&) = delete;

  // Processes the files there are, then each that appears, until Stop. Whether every
  // file went through without a problem (an unreadable item, a failed store).
  bool Run();
  void Stop();

 private:
  explicit Watcher(std::unique_ptr<struct WatcherState> state);
  std::unique_ptr<struct WatcherState> state_;
};

}  // namespace factwire

#endif  // FACTWIRE_MONITOR_WATCHER_H_
