// What becomes of a record in the resident commands (serve, watch): it is stored, run
// through the alert rules, and each alert raised for the first time is logged, kept in
// the alert log that event streams follow, and delivered to the webhooks.
//
// Input:  records with their text and sentences (Pipeline::Extract, Record::text).
// Output: rows in the database (MonitorOptions::database); alerts as JSON lines on
//         MonitorOptions::log (rules with notify: log), in the alert log (the database,
//         else the newest in memory) and in the webhook outbox, which a thread of the
//         Monitor delivers (rules with notify: webhook).
// Invariants: an alert is stored before it is logged or queued, once per id, so an
//         article processed twice raises nothing twice; a webhook delivery enters the
//         outbox in its alert's own transaction and leaves it only when a receiver
//         answered 2xx, so a restart or kill -9 loses none (at least once, the alert id
//         to deduplicate by).
// Thread-safety: every method is safe from many threads at once; the one database
//         connection is taken in turn.
#ifndef FACTWIRE_MONITOR_MONITOR_H_
#define FACTWIRE_MONITOR_MONITOR_H_

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "factwire/pipeline.h"
#include "factwire/status.h"
#include "store/store.h"

namespace factwire {

struct WebhookOptions {
  std::vector<std::string> urls;  // http:// URLs each alert of a notify: webhook rule is POSTed to
  std::string secret;             // the HMAC-SHA256 key of the signature header; required with urls
  double first_retry_seconds = 1;  // after a failed delivery; doubled after each further failure
  double max_retry_seconds = 300;  // the longest wait between attempts
  double timeout_seconds = 10;     // to connect, and to read the answer
};

struct MonitorOptions {
  // Where records, alerts and watched files are kept ("sqlite:PATH", "PATH.db",
  // "postgresql://..."); empty: records are not stored and the alert log is in memory.
  std::string database;
  bool store_records = true;  // false: the database keeps alerts and watched files only
  std::string alerts;         // the alert rules file (factwire/alerts.h); empty: none
  WebhookOptions webhooks;    // needs `database`: the outbox lives there
  std::FILE* log = stdout;    // where notify: log alerts go; null: nowhere
};

// An alert raised for the first time: its place in the alert log, and its JSON line.
struct RaisedAlert {
  int64_t seq = 0;
  std::string json;
  std::string rule;
};

class Monitor {
 public:
  // Opens the database (creating or migrating its schema) and loads the alert rules
  // (errors name file:line). kUsage for webhooks without a database or a secret, or
  // a URL that is not http://HOST[:PORT]/PATH. `warnings` gets what deserves a word
  // at start (a rule that notifies a webhook when no URL is given).
  static Result<std::unique_ptr<Monitor>> Open(const Pipeline& pipeline, const MonitorOptions& options,
                                               std::vector<std::string>* warnings);
  ~Monitor();  // stops the webhook thread (a delivery in flight finishes first)
  Monitor(const Monitor&) = delete;  // owns the database connection and the webhook thread
  Monitor& operator=(const Monitor&) = delete;

  // Stores `record` (when there is a database), then raises its alerts. The alerts
  // raised for the first time, in rule order. An error (the database failed) leaves
  // nothing half done: the record is stored whole or not at all, and every alert
  // raised before the error is kept.
  Result<std::vector<RaisedAlert>> Accept(const Record& record);

  // Up to `limit` alerts of the log after sequence number `after`, in order.
  Result<std::vector<StoredAlert>> AlertsAfter(int64_t after, size_t limit);
  // Whether an alert after `after` was raised by `deadline`; false at once after Close.
  bool WaitAfter(int64_t after, std::chrono::steady_clock::time_point deadline);
  // Event streams end: WaitAfter returns false from now on.
  void Close();
  bool closed() const;

  // Watched files by content (Store::WatchedFile, Store::PutWatchedFile).
  Result<std::optional<std::string>> WatchedFile(const std::string& sha256);
  Status PutWatchedFile(const std::string& sha256, const std::string& name, size_t articles, size_t problems);

  bool has_database() const;
  uint64_t alerts_raised() const;

 private:
  explicit Monitor(std::unique_ptr<struct MonitorState> state);
  std::unique_ptr<struct MonitorState> state_;
};

}  // namespace factwire

#endif  // FACTWIRE_MONITOR_MONITOR_H_
