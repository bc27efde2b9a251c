#include "monitor/monitor.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <unordered_set>

#include "base/digest.h"
#include "factwire/alerts.h"
#include "monitor/webhooks.h"

namespace factwire {
namespace {

bool Notifies(const Alert& alert, const char* channel) {
  return std::find(alert.notify.begin(), alert.notify.end(), channel) != alert.notify.end();
}

// The alerts raised, in order, without a database: the newest kKept, each id once.
class MemoryAlertLog {
 public:
  // The new alert's sequence number; 0 when its id is kept already.
  int64_t Add(const std::string& id, const std::string& json) {
    if (!ids_.insert(id).second) return 0;
    kept_.push_back({++last_seq_, json, id});
    if (kept_.size() > kKept) {
      ids_.erase(kept_.front().id);
      kept_.pop_front();
    }
    return last_seq_;
  }
  std::vector<StoredAlert> After(int64_t after, size_t limit) const {
    std::vector<StoredAlert> page;
    for (const Kept& kept : kept_)
      if (kept.seq > after && page.size() < limit) page.push_back({kept.seq, kept.json});
    return page;
  }

 private:
  static constexpr size_t kKept = 10000;
  struct Kept {
    int64_t seq;
    std::string json;
    std::string id;
  };
  std::deque<Kept> kept_;
  std::unordered_set<std::string> ids_;
  int64_t last_seq_ = 0;
};

}  // namespace

struct MonitorState {
  MonitorOptions options;
  std::unique_ptr<Store> store;  // null: no database
  std::mutex store_mutex;        // one connection, many callers
  std::unique_ptr<AlertRules> rules;
  std::unique_ptr<WebhookSender> webhooks;  // null: no URL
  std::mutex log_mutex;                     // the alert log in memory, `last_seq`, `closed`, the log file
  std::condition_variable changed;
  MemoryAlertLog memory;
  int64_t last_seq = 0;
  bool closed = false;
  std::atomic<uint64_t> raised = 0;

  Result<int64_t> Keep(const Alert& alert, const std::string& json);
};

// An alert into the log (and, with a webhook, the outbox); its sequence number, or 0
// when its id was raised before.
Result<int64_t> MonitorState::Keep(const Alert& alert, const std::string& json) {
  int64_t seq = 0;
  if (store) {
    const bool hooked = webhooks && Notifies(alert, "webhook");
    std::lock_guard<std::mutex> lock(store_mutex);
    Result<int64_t> stored = store->PutAlert(alert.id, alert.rule, alert.article_id, json,
                                             hooked ? options.webhooks.urls : std::vector<std::string>{});
    if (!stored.ok()) return stored.status().At("database");
    seq = stored.value();
  }
  std::lock_guard<std::mutex> lock(log_mutex);
  if (!store) seq = memory.Add(alert.id, json);
  if (seq == 0) return seq;
  last_seq = std::max(last_seq, seq);
  if (options.log && Notifies(alert, "log")) {
    std::fwrite(json.data(), 1, json.size(), options.log);
    std::fflush(options.log);
  }
  changed.notify_all();
  return seq;
}

Result<std::unique_ptr<Monitor>> Monitor::Open(const Pipeline& pipeline, const MonitorOptions& options,
                                               std::vector<std::string>* warnings) {
  auto state = std::make_unique<MonitorState>();
  state->options = options;
  const WebhookOptions& hooks = options.webhooks;
  if (!hooks.urls.empty() && options.database.empty())
    return Status::Usage("--webhook needs --db: deliveries wait in the database's outbox until a receiver takes them");
  if (!hooks.urls.empty() && hooks.secret.empty())
    return Status::Usage("--webhook needs --webhook-secret-file: every delivery is signed");
  for (const std::string& url : hooks.urls)
    if (Status s = CheckWebhookUrl(url); !s.ok()) return s;
  if (!options.alerts.empty()) {
    Result<std::unique_ptr<AlertRules>> loaded = AlertRules::Load(options.alerts, pipeline.rules_dir());
    if (!loaded.ok()) return loaded.status();
    state->rules = std::move(loaded.value());
    if (hooks.urls.empty())
      for (const std::string& id : state->rules->RulesNotifying("webhook"))
        warnings->push_back("alert rule '" + id + "' notifies a webhook, but no --webhook is given: its alerts are not sent");
  }
  if (!options.database.empty()) {
    Result<std::unique_ptr<Store>> store = Store::Open(options.database, {pipeline.rules_version(), 1});
    if (!store.ok()) return store.status();
    state->store = std::move(store.value());
  }
  if (!hooks.urls.empty()) state->webhooks = std::make_unique<WebhookSender>(state->store.get(), &state->store_mutex, hooks);
  return std::unique_ptr<Monitor>(new Monitor(std::move(state)));
}

Monitor::Monitor(std::unique_ptr<MonitorState> state) : state_(std::move(state)) {}
Monitor::~Monitor() {
  state_->webhooks.reset();  // before the store it reads
}

Result<std::vector<RaisedAlert>> Monitor::Accept(const Record& record) {
  MonitorState& s = *state_;
  if (s.store && s.options.store_records) {
    std::lock_guard<std::mutex> lock(s.store_mutex);
    Status stored = s.store->Put(record, Sha256Hex(record.text));
    if (stored.ok()) stored = s.store->Finish();
    if (!stored.ok()) return stored.At("database");
  }
  std::vector<RaisedAlert> raised;
  bool hooked = false;
  for (const Alert& alert : s.rules ? s.rules->Evaluate(record) : std::vector<Alert>{}) {
    std::string json = AlertJsonLine(alert, record);
    Result<int64_t> seq = s.Keep(alert, json);
    if (!seq.ok()) return seq.status();
    if (seq.value() == 0) continue;  // raised before: the same article again
    ++s.raised;
    hooked |= Notifies(alert, "webhook");
    raised.push_back({seq.value(), std::move(json), alert.rule});
  }
  if (hooked && s.webhooks) s.webhooks->Wake();
  return raised;
}

Result<std::vector<StoredAlert>> Monitor::AlertsAfter(int64_t after, size_t limit) {
  if (state_->store) {
    std::lock_guard<std::mutex> lock(state_->store_mutex);
    Result<std::vector<StoredAlert>> page = state_->store->AlertsAfter(after, limit);
    if (!page.ok()) return page.status().At("database");
    return page;
  }
  std::lock_guard<std::mutex> lock(state_->log_mutex);
  return state_->memory.After(after, limit);
}

bool Monitor::WaitAfter(int64_t after, std::chrono::steady_clock::time_point deadline) {
  std::unique_lock<std::mutex> lock(state_->log_mutex);
  return state_->changed.wait_until(lock, deadline, [&] { return state_->closed || state_->last_seq > after; }) &&
         !state_->closed;
}

void Monitor::Close() {
  std::lock_guard<std::mutex> lock(state_->log_mutex);
  state_->closed = true;
  state_->changed.notify_all();
}

bool Monitor::closed() const {
  std::lock_guard<std::mutex> lock(state_->log_mutex);
  return state_->closed;
}

Result<std::optional<std::string>> Monitor::WatchedFile(const std::string& sha256) {
  std::lock_guard<std::mutex> lock(state_->store_mutex);
  Result<std::optional<std::string>> name = state_->store->WatchedFile(sha256);
  if (!name.ok()) return name.status().At("database");
  return name;
}

Status Monitor::PutWatchedFile(const std::string& sha256, const std::string& name, size_t articles, size_t problems) {
  std::lock_guard<std::mutex> lock(state_->store_mutex);
  Status status = state_->store->PutWatchedFile(sha256, name, articles, problems);
  return status.ok() ? status : status.At("database");
}

bool Monitor::has_database() const { return state_->store != nullptr; }
uint64_t Monitor::alerts_raised() const { return state_->raised; }

}  // namespace factwire
