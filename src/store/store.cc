#include "store/store.h"

#include "base/digest.h"
#include "factwire/io.h"

#include <algorithm>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace factwire {
namespace {

// Each migration takes the schema from version i to i + 1; append, never edit. The
// back ends fill in their types for {TIMESTAMP}, {REAL} and {JSON}.
const char* const kMigrations[] = {
    R"sql(
CREATE TABLE articles (
  id TEXT PRIMARY KEY,
  source TEXT NOT NULL,
  url TEXT,
  title TEXT,
  published TEXT,
  lang TEXT,
  text_sha256 TEXT NOT NULL,
  rules_version TEXT NOT NULL,
  processed_at {TIMESTAMP} NOT NULL
);
CREATE TABLE facts (
  article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
  fact_id INTEGER NOT NULL,
  type TEXT NOT NULL,
  start INTEGER NOT NULL,
  "end" INTEGER NOT NULL,
  text TEXT NOT NULL,
  rule TEXT NOT NULL,
  amount {REAL},
  currency TEXT,
  iso TEXT,
  grain TEXT,
  iso2 TEXT,
  name TEXT,
  role TEXT,
  value {JSON} NOT NULL,
  PRIMARY KEY (article_id, fact_id)
);
CREATE INDEX facts_by_type_iso2 ON facts(type, iso2);
CREATE INDEX facts_by_type_name ON facts(type, name);
CREATE INDEX facts_by_currency_amount ON facts(currency, amount);
CREATE INDEX facts_by_iso ON facts(iso);
CREATE TABLE relations (
  article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
  relation_id INTEGER NOT NULL,
  type TEXT NOT NULL,
  from_fact INTEGER NOT NULL,
  to_fact INTEGER,
  purpose TEXT,
  rule TEXT NOT NULL,
  PRIMARY KEY (article_id, relation_id)
);
CREATE INDEX relations_by_type ON relations(type);
CREATE TABLE relation_parties (
  article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
  relation_id INTEGER NOT NULL,
  role TEXT NOT NULL,
  fact_id INTEGER NOT NULL
);
CREATE INDEX relation_parties_by_relation ON relation_parties(article_id, relation_id);
)sql",
    // The article's text (NULL with --no-text), so SQL can show a fact in its sentence.
    R"sql(
ALTER TABLE articles ADD COLUMN text TEXT;
)sql",
    // Alerts the service raised (include/factwire/alerts.h): one row per alert id, in the
    // order raised; `alert` is its JSON line as delivered. Kept when the article is
    // extracted again: an alert once raised stays raised.
    R"sql(
CREATE TABLE alerts (
  seq {SERIAL},
  id TEXT NOT NULL UNIQUE,
  rule TEXT NOT NULL,
  article_id TEXT NOT NULL,
  created_at {TIMESTAMP} NOT NULL,
  alert TEXT NOT NULL
);
CREATE INDEX alerts_by_article ON alerts(article_id);
)sql",
    // Webhook deliveries waiting or done, one row per alert and URL, written in the
    // alert's own transaction so that none is lost between raising and delivering; and
    // the files a watched folder processed, by content, so that none is done twice.
    R"sql(
CREATE TABLE webhook_outbox (
  alert_id TEXT NOT NULL REFERENCES alerts(id),
  url TEXT NOT NULL,
  attempts INTEGER NOT NULL,
  next_attempt_ms BIGINT NOT NULL,
  last_error TEXT,
  delivered_at {TIMESTAMP},
  PRIMARY KEY (alert_id, url)
);
CREATE INDEX webhook_outbox_due ON webhook_outbox(next_attempt_ms) WHERE delivered_at IS NULL;
CREATE TABLE watched_files (
  sha256 TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  articles INTEGER NOT NULL,
  problems INTEGER NOT NULL,
  processed_at {TIMESTAMP} NOT NULL
);
)sql",
};

}  // namespace

size_t SchemaVersion() { return std::size(kMigrations); }

std::string Migration(size_t version, const SqlTypes& types) {
  std::string sql = kMigrations[version];
  for (const auto& [token, type] : {std::pair{std::string_view("{TIMESTAMP}"), types.timestamp},
                                    std::pair{std::string_view("{REAL}"), types.real},
                                    std::pair{std::string_view("{JSON}"), types.json},
                                    std::pair{std::string_view("{SERIAL}"), types.serial}})
    for (size_t at; (at = sql.find(token)) != std::string::npos;) sql.replace(at, token.size(), type);
  return sql;
}

std::string NowUtc() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm utc{};
  gmtime_r(&now, &utc);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return buffer;
}

// Back ends, each in its own file.
Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path, const StoreOptions& options);
Result<std::unique_ptr<Store>> OpenPostgresStore(const std::string& uri, const StoreOptions& options);

Result<std::unique_ptr<Store>> Store::Open(const std::string& uri, const StoreOptions& options) {
  if (uri.starts_with("sqlite:")) return OpenSqliteStore(uri.substr(7), options);
  if (uri.starts_with("postgresql://") || uri.starts_with("postgres://")) return OpenPostgresStore(uri, options);
  for (std::string_view extension : {".db", ".sqlite", ".sqlite3"})
    if (uri.ends_with(extension)) return OpenSqliteStore(uri, options);
  return Status::Usage("--db '" + uri + "': expected sqlite:PATH, a path ending in .db, .sqlite or .sqlite3, or "
                       "postgresql://...");
}

std::string RulesVersion(const std::string& rules_dir) { return FolderSha256Hex(rules_dir).substr(0, 16); }

namespace {
int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}
}  // namespace

Result<int64_t> Store::PutAlert(const std::string& id, const std::string& rule, const std::string& article_id,
                                const std::string& json, const std::vector<std::string>& webhooks) {
  if (Status s = Finish(); !s.ok()) return s;  // the article's rows first
  if (Result<std::vector<Row>> begun = Query("BEGIN", {}); !begun.ok()) return begun.status();
  auto rolled_back = [&](Status status) {
    Query("ROLLBACK", {});
    return status;
  };
  Result<std::vector<Row>> inserted = Query(
      "INSERT INTO alerts (id, rule, article_id, created_at, alert) VALUES ($1, $2, $3, $4, $5) "
      "ON CONFLICT (id) DO NOTHING RETURNING seq",
      {id, rule, article_id, NowUtc(), json});
  if (!inserted.ok()) return rolled_back(inserted.status());
  const int64_t seq = inserted->empty() ? 0 : std::stoll(inserted->front()[0].value_or("0"));
  if (seq > 0)
    for (const std::string& url : webhooks) {
      Result<std::vector<Row>> queued = Query(
          "INSERT INTO webhook_outbox (alert_id, url, attempts, next_attempt_ms) VALUES ($1, $2, 0, $3)",
          {id, url, std::to_string(NowMs())});
      if (!queued.ok()) return rolled_back(queued.status());
    }
  if (Result<std::vector<Row>> committed = Query("COMMIT", {}); !committed.ok()) return rolled_back(committed.status());
  return seq;
}

Result<std::vector<StoredAlert>> Store::AlertsAfter(int64_t after, size_t limit) {
  Result<std::vector<Row>> rows =
      Query("SELECT seq, alert FROM alerts WHERE seq > $1 ORDER BY seq LIMIT $2", {std::to_string(after), std::to_string(limit)});
  if (!rows.ok()) return rows.status();
  std::vector<StoredAlert> alerts;
  for (const Row& row : rows.value()) alerts.push_back({std::stoll(row[0].value_or("0")), row[1].value_or("")});
  return alerts;
}

Result<std::vector<Store::Delivery>> Store::DueDeliveries(int64_t now_ms, size_t limit) {
  Result<std::vector<Row>> rows = Query(
      "SELECT o.alert_id, o.url, o.attempts, a.alert FROM webhook_outbox o JOIN alerts a ON a.id = o.alert_id "
      "WHERE o.delivered_at IS NULL AND o.next_attempt_ms <= $1 ORDER BY o.next_attempt_ms, a.seq LIMIT $2",
      {std::to_string(now_ms), std::to_string(limit)});
  if (!rows.ok()) return rows.status();
  std::vector<Delivery> due;
  for (const Row& row : rows.value())
    due.push_back({row[0].value_or(""), row[1].value_or(""), row[3].value_or(""), std::stoll(row[2].value_or("0"))});
  return due;
}

Result<std::optional<int64_t>> Store::NextDeliveryMs() {
  Result<std::vector<Row>> rows = Query("SELECT MIN(next_attempt_ms) FROM webhook_outbox WHERE delivered_at IS NULL", {});
  if (!rows.ok()) return rows.status();
  if (rows->empty() || !rows->front()[0]) return std::optional<int64_t>();
  return std::optional<int64_t>(std::stoll(*rows->front()[0]));
}

Status Store::Delivered(const Delivery& delivery) {
  return Query("UPDATE webhook_outbox SET delivered_at = $3, attempts = attempts + 1, last_error = NULL "
               "WHERE alert_id = $1 AND url = $2",
               {delivery.alert_id, delivery.url, NowUtc()})
      .status();
}

Status Store::DeliveryFailed(const Delivery& delivery, int64_t retry_at_ms, const std::string& error) {
  return Query("UPDATE webhook_outbox SET attempts = attempts + 1, next_attempt_ms = $3, last_error = $4 "
               "WHERE alert_id = $1 AND url = $2",
               {delivery.alert_id, delivery.url, std::to_string(retry_at_ms), error})
      .status();
}

Result<std::optional<std::string>> Store::WatchedFile(const std::string& sha256) {
  Result<std::vector<Row>> rows = Query("SELECT name FROM watched_files WHERE sha256 = $1", {sha256});
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return std::optional<std::string>();
  return std::optional<std::string>(rows->front()[0].value_or(""));
}

Status Store::PutWatchedFile(const std::string& sha256, const std::string& name, size_t articles, size_t problems) {
  if (Status s = Finish(); !s.ok()) return s;  // the file's articles first
  return Query("INSERT INTO watched_files (sha256, name, articles, problems, processed_at) VALUES ($1, $2, $3, $4, $5) "
               "ON CONFLICT (sha256) DO NOTHING",
               {sha256, name, std::to_string(articles), std::to_string(problems), NowUtc()})
      .status();
}

TypedValue TypedColumns(const Fact& fact) {
  TypedValue out;
  if (const auto* money = std::get_if<MoneyValue>(&fact.value)) {
    out.amount = money->amount.ToString();
    out.currency = money->currency;
  } else if (const auto* date = std::get_if<DateValue>(&fact.value)) {
    out.iso = date->iso.value_or("");
    out.grain = date->grain;
  } else if (const auto* country = std::get_if<CountryValue>(&fact.value)) {
    out.iso2 = country->iso2;
  } else if (const auto* site = std::get_if<SiteValue>(&fact.value)) {
    out.iso2 = site->country.value_or("");  // "every site with its country" is one query
  } else if (const auto* person = std::get_if<PersonValue>(&fact.value)) {
    out.role = person->role.value_or("");
  }
  out.name = NameOf(fact.value);
  return out;
}

DatabaseSink::DatabaseSink(std::unique_ptr<Store> store, const DatabaseOptions& options)
    : store_(std::move(store)), options_(options) {}
DatabaseSink::~DatabaseSink() = default;

Result<std::unique_ptr<DatabaseSink>> DatabaseSink::Open(const std::string& uri, const DatabaseOptions& options) {
  Result<std::unique_ptr<Store>> store = Store::Open(uri, {options.rules_version, std::max<size_t>(1, options.batch_articles)});
  if (!store.ok()) return store.status();
  return std::unique_ptr<DatabaseSink>(new DatabaseSink(std::move(store.value()), options));
}

Result<bool> DatabaseSink::IsCurrent(const std::string& article_id, const std::string& text_sha256) {
  Result<bool> current = store_->IsCurrent(article_id, text_sha256);
  if (!current.ok()) return current.status().At("database");
  return current;
}

namespace {
double SteadySeconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}
}  // namespace

Status DatabaseSink::Put(const Record& record, std::string_view /*rendered*/, const std::string& text_sha256) {
  const double now = SteadySeconds();
  if (batch_started_ < 0) batch_started_ = now;
  Status status = store_->Put(record, text_sha256);
  if (!status.ok()) return status.At("database");
  if (now - batch_started_ >= options_.commit_seconds) return Flush();
  return {};
}

Status DatabaseSink::Flush() {
  batch_started_ = -1;
  Status status = store_->Finish();
  return status.ok() ? status : status.At("database");
}

Status DatabaseSink::Finish() { return Flush(); }

Status DatabaseSink::PrintSummary(std::ostream& out) { return store_->PrintSummary(out); }

size_t DatabaseSink::committed() const { return store_->committed(); }

}  // namespace factwire
