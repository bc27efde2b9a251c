// The SQLite back end: one file, no set-up. WAL journal, so a killed run loses at most
// its open batch, never part of an article.
#include <sqlite3.h>

#include <chrono>
#include <ctime>
#include <ostream>

#include "emit/value_json.h"
#include "store/store.h"

namespace factwire {
namespace {

// A prepared statement, finalised with its owner.
class Statement {
 public:
  Statement() = default;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement() { sqlite3_finalize(statement_); }
  Status Prepare(sqlite3* db, const char* sql) {
    if (sqlite3_prepare_v2(db, sql, -1, &statement_, nullptr) != SQLITE_OK)
      return Status::IoError(std::string("sqlite: ") + sqlite3_errmsg(db));
    return {};
  }
  sqlite3_stmt* get() { return statement_; }
  void Text(int i, const std::string& value) {
    if (value.empty()) sqlite3_bind_null(statement_, i);
    else sqlite3_bind_text(statement_, i, value.data(), static_cast<int>(value.size()), SQLITE_TRANSIENT);
  }
  void Int(int i, int64_t value) { sqlite3_bind_int64(statement_, i, value); }

 private:
  sqlite3_stmt* statement_ = nullptr;
};

class SqliteStore : public Store {
 public:
  explicit SqliteStore(StoreOptions options) : options_(std::move(options)) {}
  ~SqliteStore() override {
    if (in_batch_) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    statements_.reset();
    sqlite3_close(db_);
  }

  Status Open(const std::string& path) {
    if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) != SQLITE_OK)
      return Status::IoError("sqlite: cannot open '" + path + "': " + sqlite3_errmsg(db_));
    sqlite3_busy_timeout(db_, 10000);
    if (Status s = Exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"); !s.ok()) return s;
    if (Status s = Migrate(); !s.ok()) return s;
    statements_ = std::make_unique<Statements>();
    for (auto [statement, sql] : {
             std::pair{&statements_->current, "SELECT 1 FROM articles WHERE id = ?1 AND text_sha256 = ?2 AND rules_version = ?3"},
             std::pair{&statements_->remove, "DELETE FROM articles WHERE id = ?1"},
             std::pair{&statements_->article,
                       "INSERT INTO articles (id, source, url, title, published, lang, text_sha256, rules_version, "
                       "processed_at, text) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"},
             std::pair{&statements_->fact,
                       "INSERT INTO facts (article_id, fact_id, type, start, \"end\", text, rule, amount, currency, iso, "
                       "grain, iso2, name, role, value) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, "
                       "?14, ?15)"},
             std::pair{&statements_->relation,
                       "INSERT INTO relations (article_id, relation_id, type, from_fact, to_fact, purpose, rule) VALUES "
                       "(?1, ?2, ?3, ?4, ?5, ?6, ?7)"},
             std::pair{&statements_->party,
                       "INSERT INTO relation_parties (article_id, relation_id, role, fact_id) VALUES (?1, ?2, ?3, ?4)"},
         })
      if (Status s = statement->Prepare(db_, sql); !s.ok()) return s;
    return {};
  }

  Result<bool> IsCurrent(const std::string& id, const std::string& text_sha256) override {
    Statement& q = statements_->current;
    sqlite3_reset(q.get());
    q.Text(1, id);
    q.Text(2, text_sha256);
    q.Text(3, options_.rules_version);
    const int step = sqlite3_step(q.get());
    if (step != SQLITE_ROW && step != SQLITE_DONE) return Error();
    return step == SQLITE_ROW;
  }

  Status Put(const Record& record, const std::string& text_sha256) override {
    if (!in_batch_) {
      if (Status s = Exec("BEGIN IMMEDIATE"); !s.ok()) return s;
      in_batch_ = true;
    }
    if (Status s = Run(statements_->remove, {record.id}); !s.ok()) return s;  // facts go with it (cascade)
    Statement& a = statements_->article;
    sqlite3_reset(a.get());
    a.Text(1, record.id);
    a.Text(2, record.source);
    a.Text(3, record.url);
    a.Text(4, record.title);
    a.Text(5, record.published);
    a.Text(6, record.lang);
    a.Text(7, text_sha256);
    a.Text(8, options_.rules_version);
    a.Text(9, NowUtc());
    a.Text(10, record.text);
    if (sqlite3_step(a.get()) != SQLITE_DONE) return Error();
    for (size_t i = 0; i < record.facts.size(); ++i) {
      const Fact& fact = record.facts[i];
      const TypedValue typed = TypedColumns(fact);
      Statement& f = statements_->fact;
      sqlite3_reset(f.get());
      f.Text(1, record.id);
      f.Int(2, static_cast<int64_t>(i + 1));
      f.Text(3, fact.type);
      f.Int(4, static_cast<int64_t>(fact.start));
      f.Int(5, static_cast<int64_t>(fact.end));
      f.Text(6, fact.text);
      f.Text(7, fact.rule);
      f.Text(8, typed.amount);  // the column's REAL affinity reads the digits
      f.Text(9, typed.currency);
      f.Text(10, typed.iso);
      f.Text(11, typed.grain);
      f.Text(12, typed.iso2);
      f.Text(13, typed.name);
      f.Text(14, typed.role);
      f.Text(15, JsonText(fact.value));
      if (sqlite3_step(f.get()) != SQLITE_DONE) return Error();
    }
    for (size_t i = 0; i < record.relations.size(); ++i) {
      const Relation& relation = record.relations[i];
      const bool investment = relation.type == "investment";
      Statement& r = statements_->relation;
      sqlite3_reset(r.get());
      r.Text(1, record.id);
      r.Int(2, static_cast<int64_t>(i + 1));
      r.Text(3, relation.type);
      r.Int(4, static_cast<int64_t>(relation.from + 1));
      if (investment) sqlite3_bind_null(r.get(), 5);
      else r.Int(5, static_cast<int64_t>(relation.to + 1));
      r.Text(6, relation.purpose);
      r.Text(7, relation.rule);
      if (sqlite3_step(r.get()) != SQLITE_DONE) return Error();
      for (const auto& [role, parties] : {std::pair{"funder", &relation.funders}, std::pair{"beneficiary", &relation.beneficiaries}})
        for (size_t fact : *parties) {
          Statement& p = statements_->party;
          sqlite3_reset(p.get());
          p.Text(1, record.id);
          p.Int(2, static_cast<int64_t>(i + 1));
          p.Text(3, role);
          p.Int(4, static_cast<int64_t>(fact + 1));
          if (sqlite3_step(p.get()) != SQLITE_DONE) return Error();
        }
    }
    if (++batched_ >= options_.batch_articles) return Finish();
    return {};
  }

  Status PrintSummary(std::ostream& out) override {
    if (Status s = Finish(); !s.ok()) return s;
    auto query = [&](const char* sql, auto&& row) -> Status {
      Statement q;
      if (Status s = q.Prepare(db_, sql); !s.ok()) return s;
      int step;
      while ((step = sqlite3_step(q.get())) == SQLITE_ROW) row(q.get());
      return step == SQLITE_DONE ? Status() : Error();
    };
    auto text = [](sqlite3_stmt* q, int column) {
      const unsigned char* value = sqlite3_column_text(q, column);
      return value ? std::string(reinterpret_cast<const char*>(value)) : std::string("-");
    };
    Status s = query("SELECT COUNT(*) FROM articles", [&](sqlite3_stmt* q) {
      out << "database: " << sqlite3_column_int64(q, 0) << " articles\n";
    });
    if (s.ok())
      s = query("SELECT type, COUNT(*) FROM facts GROUP BY type ORDER BY type", [&](sqlite3_stmt* q) {
        out << "  " << text(q, 0) << ": " << sqlite3_column_int64(q, 1) << " facts\n";
      });
    if (s.ok())
      s = query("SELECT type, COUNT(*) FROM relations GROUP BY type ORDER BY type", [&](sqlite3_stmt* q) {
        out << "  " << text(q, 0) << ": " << sqlite3_column_int64(q, 1) << " relations\n";
      });
    if (s.ok()) {
      out << "largest amounts (in their own currency), with the article's most mentioned country:\n";
      s = query(R"sql(
        SELECT f.text, f.currency, f.article_id,
               (SELECT c.name FROM facts c WHERE c.article_id = f.article_id AND c.type = 'country'
                GROUP BY c.iso2 ORDER BY COUNT(*) DESC, MIN(c.start) LIMIT 1)
        FROM facts f WHERE f.type = 'money' ORDER BY f.amount DESC LIMIT 5)sql",
                [&](sqlite3_stmt* q) {
                  out << "  " << text(q, 0) << "  (" << text(q, 2) << ", " << text(q, 3) << ")\n";
                });
    }
    return s;
  }

  Result<std::vector<Row>> Query(const std::string& sql, const std::vector<std::string>& parameters) override {
    std::string native = sql;  // $N is SQLite's ?N
    for (size_t at = 0; (at = native.find('$', at)) != std::string::npos;) native[at] = '?';
    Statement q;
    if (Status s = q.Prepare(db_, native.c_str()); !s.ok()) return s;
    for (size_t i = 0; i < parameters.size(); ++i)
      sqlite3_bind_text(q.get(), static_cast<int>(i + 1), parameters[i].data(), static_cast<int>(parameters[i].size()),
                        SQLITE_TRANSIENT);
    std::vector<Row> rows;
    int step;
    while ((step = sqlite3_step(q.get())) == SQLITE_ROW) {
      Row& row = rows.emplace_back();
      for (int column = 0; column < sqlite3_column_count(q.get()); ++column) {
        const unsigned char* value = sqlite3_column_text(q.get(), column);
        row.push_back(value ? std::optional<std::string>(reinterpret_cast<const char*>(value)) : std::nullopt);
      }
    }
    if (step != SQLITE_DONE) return Error();
    return rows;
  }

  Status Finish() override {
    if (!in_batch_) return {};
    in_batch_ = false;
    const size_t articles = batched_;
    batched_ = 0;
    Status s = Exec("COMMIT");
    if (s.ok()) committed_ += articles;
    return s;
  }

 private:
  struct Statements {
    Statement current, remove, article, fact, relation, party;
  };

  Status Error() { return Status::IoError(std::string("sqlite: ") + sqlite3_errmsg(db_)); }

  Status Exec(const std::string& sql) {
    char* message = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
      Status status = Status::IoError(std::string("sqlite: ") + (message ? message : "error"));
      sqlite3_free(message);
      return status;
    }
    return {};
  }

  Status Run(Statement& statement, std::initializer_list<std::string> values) {
    sqlite3_reset(statement.get());
    int i = 0;
    for (const std::string& value : values) statement.Text(++i, value);
    return sqlite3_step(statement.get()) == SQLITE_DONE ? Status() : Error();
  }

  // Brings the schema to the newest version, each step in its own transaction.
  Status Migrate() {
    if (Status s = Exec("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)"); !s.ok()) return s;
    int64_t version = 0;
    {
      Statement q;
      if (Status s = q.Prepare(db_, "SELECT COALESCE(MAX(version), 0) FROM schema_version"); !s.ok()) return s;
      if (sqlite3_step(q.get()) == SQLITE_ROW) version = sqlite3_column_int64(q.get(), 0);
    }
    const auto newest = static_cast<int64_t>(SchemaVersion());
    if (version > newest)
      return Status::IoError("sqlite: the database has schema version " + std::to_string(version) +
                             ", newer than this factwire knows (" + std::to_string(newest) + ")");
    for (; version < newest; ++version) {
      const std::string step = "BEGIN IMMEDIATE;" + Migration(static_cast<size_t>(version), {"TEXT", "REAL", "TEXT", "INTEGER PRIMARY KEY AUTOINCREMENT"}) +
                               "INSERT INTO schema_version (version) VALUES (" + std::to_string(version + 1) + "); COMMIT;";
      if (Status s = Exec(step); !s.ok()) {
        Exec("ROLLBACK");
        return s;
      }
    }
    return {};
  }

  StoreOptions options_;
  sqlite3* db_ = nullptr;
  std::unique_ptr<Statements> statements_;
  bool in_batch_ = false;
  size_t batched_ = 0;
};

}  // namespace

Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path, const StoreOptions& options) {
  auto store = std::make_unique<SqliteStore>(options);
  if (Status s = store->Open(path); !s.ok()) return s;
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace factwire
