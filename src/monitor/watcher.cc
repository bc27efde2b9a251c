#include "monitor/watcher.h"

#include <poll.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <thread>

#include "base/digest.h"

namespace factwire {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

// Still being written, by the usual conventions: left alone.
bool IsPartial(const std::string& name) {
  return name.empty() || name[0] == '.' || name.ends_with(".tmp") || name.ends_with(".part") || name.ends_with("~");
}

// A file as a scan saw it: unchanged across two scans means its writer is done.
struct Seen {
  uintmax_t size = 0;
  fs::file_time_type time;
  bool operator==(const Seen&) const = default;
};

// Records to the Monitor, counting the alerts they raise.
class MonitorSink : public Sink {
 public:
  explicit MonitorSink(Monitor* monitor) : monitor_(monitor) {}
  bool wants_text() const override { return true; }  // the database keeps it, alerts quote it
  Status Put(const Record& record, std::string_view, const std::string&) override {
    Result<std::vector<RaisedAlert>> raised = monitor_->Accept(record);
    if (!raised.ok()) return raised.status();
    alerts_ += raised->size();
    return {};
  }
  size_t alerts() const { return alerts_; }

 private:
  Monitor* monitor_;
  size_t alerts_ = 0;
};

std::string Plural(size_t n, const std::string& word) { return std::to_string(n) + " " + word + (n == 1 ? "" : "s"); }

// Which file a name points at, and its state: a file renamed over, or written again,
// while it was read gives another identity.
struct Identity {
  dev_t device = 0;
  ino_t inode = 0;
  off_t size = 0;
  timespec modified{};
  bool operator==(const Identity& o) const {
    return device == o.device && inode == o.inode && size == o.size && modified.tv_sec == o.modified.tv_sec &&
           modified.tv_nsec == o.modified.tv_nsec;
  }
};

std::optional<Identity> IdentityOf(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return std::nullopt;
  return Identity{st.st_dev, st.st_ino, st.st_size, st.st_mtim};
}

}  // namespace

struct WatcherState {
  const Pipeline& pipeline;
  Monitor& monitor;
  WatchOptions options;
  std::vector<Sink*> sinks;
  std::ostream* messages;
  std::atomic<bool> stop = false;
  int inotify = -1;  // -1: polling
  std::map<std::string, Seen> last_scan;         // every candidate file of the last scan
  std::map<std::string, Seen> done;              // processed (or known) as they were then
  std::map<std::string, Clock::time_point> retry_at;  // not done for a passing reason: when to try again
  bool held_back = false;  // the last scan left a file to settle or to retry: scan again soon
  bool all_ok = true;

  WatcherState(const Pipeline& p, Monitor& m, WatchOptions o, std::vector<Sink*> s, std::ostream* out)
      : pipeline(p), monitor(m), options(std::move(o)), sinks(std::move(s)), messages(out) {}
  ~WatcherState() {
    if (inotify >= 0) ::close(inotify);
  }

  std::vector<std::string> Scan();
  void Process(const std::string& name);
  bool Extract(const std::string& name, const std::string& sha256, const Identity& identity);
  void Move(const std::string& name, const std::string& sha256, const Identity& identity, const char* to);
  void Say(const std::string& name, const std::string& what) { *messages << "factwire: watch: " << name << ": " << what << std::endl; }
  std::vector<std::string> Events(int timeout_ms, bool* overflow);
};

// The candidate files that are ready: unchanged since the last scan, or older than a
// scan interval; files done and unchanged, and those waiting for a retry, are not.
std::vector<std::string> WatcherState::Scan() {
  std::map<std::string, Seen> now;
  std::error_code error;
  held_back = false;
  const auto file_now = fs::file_time_type::clock::now();
  const auto settle = std::chrono::duration_cast<fs::file_time_type::duration>(
      std::chrono::duration<double>(std::max(options.poll_seconds, 0.5)));
  std::vector<std::string> ready;
  // Incremented with an error code: a folder that fails mid-scan ends the scan, not the watcher.
  for (fs::directory_iterator it(options.dir, error), end; !error && it != end; it.increment(error)) {
    const fs::directory_entry& entry = *it;
    const std::string name = entry.path().filename().string();
    std::error_code not_file;
    if (IsPartial(name) || !entry.is_regular_file(not_file)) continue;
    std::error_code gone;
    const Seen seen{entry.file_size(gone), entry.last_write_time(gone)};
    if (gone) continue;  // gone meanwhile
    now[name] = seen;
    if (auto d = done.find(name); d != done.end() && d->second == seen) continue;
    if (auto r = retry_at.find(name); r != retry_at.end() && Clock::now() < r->second) {
      held_back = true;
      continue;
    }
    auto last = last_scan.find(name);
    if ((last != last_scan.end() && last->second == seen) || file_now - seen.time > settle) ready.push_back(name);
    else held_back = true;
  }
  std::sort(ready.begin(), ready.end());  // directory order is not stable
  if (error) return ready;  // a partial listing: forget nothing
  for (auto d = done.begin(); d != done.end();) d = now.count(d->first) ? std::next(d) : done.erase(d);
  last_scan = std::move(now);
  return ready;
}

// Names of files closed after writing or renamed in, waiting up to `timeout_ms`.
std::vector<std::string> WatcherState::Events(int timeout_ms, bool* overflow) {
  std::vector<std::string> names;
  pollfd descriptor{inotify, POLLIN, 0};
  if (::poll(&descriptor, 1, timeout_ms) <= 0) return names;
  alignas(inotify_event) char buffer[64 * 1024];
  for (ssize_t length; (length = ::read(inotify, buffer, sizeof buffer)) > 0;)
    for (char* at = buffer; at < buffer + length;) {
      const auto* event = reinterpret_cast<const inotify_event*>(at);
      if (event->mask & IN_Q_OVERFLOW) *overflow = true;
      if (event->len > 0 && !(event->mask & IN_ISDIR) && !IsPartial(event->name)) names.push_back(event->name);
      at += sizeof(inotify_event) + event->len;
    }
  return names;
}

void WatcherState::Move(const std::string& name, const std::string& sha256, const Identity& identity, const char* to) {
  if (!options.move_done) return;
  // Another file renamed in under this name meanwhile stays, for its own turn.
  if (IdentityOf((fs::path(options.dir) / name).string()) != identity) return;
  const fs::path folder = fs::path(options.dir) / to;
  std::error_code error;
  fs::create_directories(folder, error);
  fs::path target = folder / name;
  if (fs::exists(target, error))  // another file of that name came before: keep both
    target = folder / (fs::path(name).stem().string() + "-" + sha256.substr(0, 12) + fs::path(name).extension().string());
  fs::rename(fs::path(options.dir) / name, target, error);
  if (error) Say(name, std::string("cannot move it to ") + to + "/: " + error.message());
}

// Reads and extracts one file into the sinks and marks it done; false when it is to be
// tried again (the store failed, or the watcher stopped in the middle).
bool WatcherState::Extract(const std::string& name, const std::string& sha256, const Identity& identity) {
  const std::string path = (fs::path(options.dir) / name).string();
  ReadOptions read = options.read;
  read.stop = &stop;
  PathSource source({path}, read);
  MonitorSink monitor_sink(&monitor);
  std::vector<Sink*> all = {&monitor_sink};
  all.insert(all.end(), sinks.begin(), sinks.end());
  RunOptions run;
  run.threads = options.threads;
  run.force = true;  // a file is new work even when an article in it is stored unchanged
  size_t problems = 0;
  run.on_problem = [&](const Problem& problem) {
    if (problem.kind == Problem::Kind::kWarning) return;
    ++problems;
    Say(name, problem.message);
  };
  const RunStats stats = pipeline.Run(source, all, run);
  if (!stats.sink_status.ok()) {
    Say(name, "not done, tried again later: " + stats.sink_status.message());
    return false;
  }
  if (stop) return false;  // perhaps cut short: done whole at the next start
  if (IdentityOf(path) != identity) {  // not the bytes hashed: the records may be of another file
    Say(name, "changed while it was read: done again");
    return false;
  }
  const bool unsupported = source.counts().skipped.count("unsupported file") > 0;
  if (unsupported) {
    ++problems;
    Say(name, "not a format factwire reads");
  }
  if (Status s = monitor.PutWatchedFile(sha256, name, stats.extracted, problems); !s.ok()) {
    Say(name, "not marked done, tried again later: " + s.message());
    return false;
  }
  Say(name, Plural(stats.extracted, "article") + ", " + Plural(monitor_sink.alerts(), "alert") +
                (problems ? ", " + Plural(problems, "problem") : ""));
  if (problems) all_ok = false;
  Move(name, sha256, identity, problems ? "failed" : "done");
  return true;
}

void WatcherState::Process(const std::string& name) {
  const fs::path path = fs::path(options.dir) / name;
  std::error_code error;
  const Seen seen{fs::file_size(path, error), fs::last_write_time(path, error)};
  const std::optional<Identity> identity = IdentityOf(path.string());
  if (error || !identity) return;  // gone: moved away, or an event for a file no longer there
  Result<std::string> sha256 = FileSha256Hex(path.string());
  if (sha256.ok() && IdentityOf(path.string()) != identity) sha256 = Status::IoError("changed while it was hashed");
  Result<std::optional<std::string>> known =
      sha256.ok() ? monitor.WatchedFile(sha256.value()) : Result<std::optional<std::string>>(sha256.status());
  bool finished = known.ok();
  if (!known.ok()) {
    Say(name, "tried again later: " + known.status().message());
  } else if (known.value()) {
    Say(name, "processed before" + (*known.value() == name ? std::string() : " as " + *known.value()) + ": skipped");
    Move(name, sha256.value(), *identity, "done");
  } else {
    finished = Extract(name, sha256.value(), *identity);
  }
  if (finished) {
    done[name] = seen;
    retry_at.erase(name);
  } else {
    all_ok = false;
    held_back = true;
    retry_at[name] = Clock::now() + std::chrono::seconds(5);
  }
}

Result<std::unique_ptr<Watcher>> Watcher::Open(const Pipeline& pipeline, Monitor& monitor, const WatchOptions& options,
                                               std::vector<Sink*> sinks, std::ostream* messages) {
  std::error_code error;
  if (!fs::is_directory(options.dir, error)) return Status::Usage("watch: '" + options.dir + "' is not a folder");
  if (!monitor.has_database()) return Status::Usage("watch: the files done are kept in a database, and none is open");
  auto state = std::make_unique<WatcherState>(pipeline, monitor, options, std::move(sinks), messages);
  if (!options.poll) {
    state->inotify = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (state->inotify >= 0 && inotify_add_watch(state->inotify, options.dir.c_str(), IN_CLOSE_WRITE | IN_MOVED_TO) < 0) {
      ::close(state->inotify);
      state->inotify = -1;
    }
    if (state->inotify < 0) *messages << "factwire: watch: inotify is not available here: polling every " << options.poll_seconds << " s\n";
  }
  return std::unique_ptr<Watcher>(new Watcher(std::move(state)));
}

Watcher::Watcher(std::unique_ptr<WatcherState> state) : state_(std::move(state)) {}
Watcher::~Watcher() = default;

bool Watcher::Run() {
  WatcherState& s = *state_;
  const auto seconds = [](double value) {
    return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(value));
  };
  // Polling, or a file held back: the next scan comes soon; else inotify tells.
  const auto scan_interval = [&] {
    return seconds(s.inotify >= 0 && !s.held_back ? s.options.rescan_seconds : s.options.poll_seconds);
  };
  std::vector<std::string> ready = s.Scan();
  auto next_scan = Clock::now() + scan_interval();
  while (!s.stop) {
    for (const std::string& name : ready) {
      if (s.stop) break;
      s.Process(name);
    }
    ready.clear();
    // A file to retry or to settle: look again within a scan interval, not a rescan's.
    if (s.held_back) next_scan = std::min(next_scan, Clock::now() + seconds(s.options.poll_seconds));
    bool overflow = false;
    while (!s.stop && ready.empty() && !overflow && Clock::now() < next_scan) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(next_scan - Clock::now()).count();
      const int wait_ms = static_cast<int>(std::clamp<int64_t>(left, 1, 200));  // Stop is seen within 0.2 s
      if (s.inotify >= 0) ready = s.Events(wait_ms, &overflow);
      else std::this_thread::sleep_for(std::chrono::milliseconds(wait_ms));
    }
    if (overflow || Clock::now() >= next_scan) {
      std::vector<std::string> scanned = s.Scan();
      ready.insert(ready.end(), scanned.begin(), scanned.end());
      next_scan = Clock::now() + scan_interval();
    }
    // An event can name a file twice (closed, then renamed); once is enough.
    std::sort(ready.begin(), ready.end());
    ready.erase(std::unique(ready.begin(), ready.end()), ready.end());
  }
  return s.all_ok;
}

void Watcher::Stop() { state_->stop = true; }

}  // namespace factwire
