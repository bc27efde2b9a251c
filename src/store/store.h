// Stage 7 (optional), store: loads records into a database, idempotently.
//
// Input:  records from the pipeline, with the SHA-256 of each article's text.
// Output: rows in `articles`, `facts`, `relations`, `relation_parties` and `alerts` (README
//         "Databases"); the schema is created or migrated on open.
// Invariants: an article's rows are replaced as a whole, inside the transaction of its
//         batch; a batch commits every `batch_articles` articles and on Finish(), so a
//         run killed at any moment leaves only whole articles. An article whose text
//         hash and rules version are unchanged is reported current (skip it unless
//         forced).
// Thread-safety: a Store is one connection; use it from one thread.
#ifndef FACTWIRE_STORE_STORE_H_
#define FACTWIRE_STORE_STORE_H_

#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "factwire/io.h"
#include "factwire/status.h"
#include "pipeline/extractor.h"

namespace factwire {

// An alert as the database keeps it: its place in the order raised, and its JSON line.
struct StoredAlert {
  int64_t seq = 0;
  std::string json;
};

struct StoreOptions {
  std::string rules_version;   // fingerprint of the rules that made the records
  size_t batch_articles = 100;  // articles per transaction
};

// Not copyable: it owns a database connection and an open transaction.
class Store {
 public:
  virtual ~Store() = default;
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // `uri`: "sqlite:PATH", a path ending in .db/.sqlite/.sqlite3, or "postgresql://...".
  static Result<std::unique_ptr<Store>> Open(const std::string& uri, const StoreOptions& options);

  // Whether article `id` is loaded with this text hash and rules version.
  virtual Result<bool> IsCurrent(const std::string& id, const std::string& text_sha256) = 0;
  // Replaces the article's rows; commits when the batch is full.
  virtual Status Put(const Record& record, const std::string& text_sha256) = 0;
  // Commits the open batch.
  virtual Status Finish() = 0;
  // Stores an alert unless one with its id is stored, committed at once (after the
  // open batch, outside it), with one outbox row per `webhooks` URL in the same
  // transaction; its sequence number when new, 0 when it was there already.
  Result<int64_t> PutAlert(const std::string& id, const std::string& rule, const std::string& article_id,
                           const std::string& json, const std::vector<std::string>& webhooks = {});
  // Up to `limit` alerts with a sequence number above `after`, in order.
  Result<std::vector<StoredAlert>> AlertsAfter(int64_t after, size_t limit);

  // The webhook outbox: an alert waiting for its delivery to one URL.
  struct Delivery {
    std::string alert_id, url, json;
    int64_t attempts = 0;
  };
  // Up to `limit` undelivered rows due at `now_ms` (Unix milliseconds), oldest first.
  Result<std::vector<Delivery>> DueDeliveries(int64_t now_ms, size_t limit);
  // The earliest time an undelivered row is due; none when none waits.
  Result<std::optional<int64_t>> NextDeliveryMs();
  Status Delivered(const Delivery& delivery);
  Status DeliveryFailed(const Delivery& delivery, int64_t retry_at_ms, const std::string& error);

  // Watched files, by the SHA-256 of their bytes: the name a file was processed under,
  // or none when no file with these bytes was.
  Result<std::optional<std::string>> WatchedFile(const std::string& sha256);
  // Records a watched file as processed (committing the open batch first).
  Status PutWatchedFile(const std::string& sha256, const std::string& name, size_t articles, size_t problems);

  // What the database holds, read back from it: articles, facts and relations per type,
  // the largest amounts with their article's most mentioned country.
  virtual Status PrintSummary(std::ostream& out) = 0;
  // Articles this Store has committed: what a failed batch rolled back is not counted.
  size_t committed() const { return committed_; }

 protected:
  Store() = default;
  // One statement outside any batch, its parameters written $1, $2, ... and passed as
  // text (the database converts them to the columns' types); the rows it returns, a
  // NULL as none.
  using Row = std::vector<std::optional<std::string>>;
  virtual Result<std::vector<Row>> Query(const std::string& sql, const std::vector<std::string>& parameters) = 0;
  size_t committed_ = 0;
};

// A fingerprint of every file in a rule folder: its paths and contents, hashed.
std::string RulesVersion(const std::string& rules_dir);

// The typed columns of a fact's value (README "Databases"), shared by the back ends.
struct TypedValue {
  std::string amount;  // exact decimal digits ("1150000000", "0.25")
  std::string currency, iso, grain, iso2, name, role;  // empty: NULL
};
TypedValue TypedColumns(const Fact& fact);

// The schema, shared by the back ends: migration `version` takes it to version + 1,
// with each back end's column types filled in.
struct SqlTypes {
  std::string_view timestamp, real, json, serial;  // serial: an auto-numbered primary key
};
size_t SchemaVersion();
std::string Migration(size_t version, const SqlTypes& types);
// Now, as ISO 8601 UTC: an article's processed_at.
std::string NowUtc();

}  // namespace factwire

#endif  // FACTWIRE_STORE_STORE_H_
