// The PostgreSQL back end: each batch is one transaction that deletes the batch's
// articles (their facts go with them) and bulk-loads the new rows with COPY.
#include <libpq-fe.h>

#include <chrono>
#include <cstdlib>
#include <ctime>
#include <ostream>

#include "emit/value_json.h"
#include "store/store.h"

namespace factwire {
namespace {

// One field of COPY's text format: an empty value as NULL (\N), and backslash, tab and line ends escaped.
void CopyField(std::string* row, const std::string& value) {
  if (!row->empty() && row->back() != '\n') row->push_back('\t');
  if (value.empty()) {
    row->append("\\N");
    return;
  }
  for (char c : value) {
    if (c == '\\') row->append("\\\\");
    else if (c == '\t') row->append("\\t");
    else if (c == '\n') row->append("\\n");
    else if (c == '\r') row->append("\\r");
    else if (c == '\0') row->append("\xEF\xBF\xBD");  // PostgreSQL text holds no NUL: U+FFFD, one code point for one
    else row->push_back(c);
  }
}

class PostgresStore : public Store {
 public:
  explicit PostgresStore(StoreOptions options) : options_(std::move(options)) {}
  ~PostgresStore() override { PQfinish(connection_); }

  Status Open(const std::string& uri) {
    connection_ = PQconnectdb(uri.c_str());
    if (PQstatus(connection_) != CONNECTION_OK) return Error("cannot connect");
    PQsetNoticeProcessor(connection_, [](void*, const char*) {}, nullptr);  // "table exists" chatter
    return Migrate();
  }

  Result<bool> IsCurrent(const std::string& id, const std::string& text_sha256) override {
    const char* values[] = {id.c_str(), text_sha256.c_str(), options_.rules_version.c_str()};
    PGresult* result = PQexecParams(connection_,
                                    "SELECT 1 FROM articles WHERE id = $1 AND text_sha256 = $2 AND rules_version = $3",
                                    3, nullptr, values, nullptr, nullptr, 0);
    const bool ok = PQresultStatus(result) == PGRES_TUPLES_OK;
    const bool found = ok && PQntuples(result) > 0;
    PQclear(result);
    if (!ok) return Error("query failed");
    // Articles of the open batch are not in the database yet.
    for (const auto& [record, sha] : batch_)
      if (record.id == id) return sha == text_sha256;
    return found;
  }

  Status Put(const Record& record, const std::string& text_sha256) override {
    batch_.push_back({record, text_sha256});
    if (batch_.size() >= options_.batch_articles) return Finish();
    return {};
  }

  Result<std::vector<Row>> Query(const std::string& sql, const std::vector<std::string>& parameters) override {
    std::vector<const char*> values;
    for (const std::string& parameter : parameters) values.push_back(parameter.c_str());
    PGresult* result = PQexecParams(connection_, sql.c_str(), static_cast<int>(values.size()), nullptr, values.data(),
                                    nullptr, nullptr, 0);
    const ExecStatusType status = PQresultStatus(result);
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
      PQclear(result);
      return Error(std::string("'").append(sql.substr(0, 40)).append("' failed"));
    }
    std::vector<Row> rows(static_cast<size_t>(PQntuples(result)));
    for (int r = 0; r < PQntuples(result); ++r)
      for (int column = 0; column < PQnfields(result); ++column)
        rows[r].push_back(PQgetisnull(result, r, column) ? std::nullopt
                                                          : std::optional<std::string>(PQgetvalue(result, r, column)));
    PQclear(result);
    return rows;
  }

  Status Finish() override {
    if (batch_.empty()) return {};
    const std::string now = NowUtc();
    std::string ids = "{";
    std::string articles, facts, relations, parties;
    for (const auto& [record, sha] : batch_) {
      // Appends, not "lit" + string: g++ 12 warns falsely (-Wrestrict) on the latter.
      ids.append(ids.size() > 1 ? "," : "").append("\"").append(Escaped(record.id)).append("\"");
      for (const std::string* field : std::initializer_list<const std::string*>{&record.id, &record.source, &record.url, &record.title, &record.published,
                                       &record.lang, &sha, &options_.rules_version, &now, &record.text})
        CopyField(&articles, *field);
      articles.push_back('\n');
      for (size_t i = 0; i < record.facts.size(); ++i) {
        const Fact& fact = record.facts[i];
        const TypedValue typed = TypedColumns(fact);
        CopyField(&facts, record.id);
        for (const std::string& field : {std::to_string(i + 1), fact.type, std::to_string(fact.start),
                                         std::to_string(fact.end), fact.text, fact.rule,
                                         typed.amount, typed.currency,
                                         typed.iso, typed.grain, typed.iso2, typed.name, typed.role, JsonText(fact.value)})
          CopyField(&facts, field);
        facts.push_back('\n');
      }
      for (size_t i = 0; i < record.relations.size(); ++i) {
        const Relation& r = record.relations[i];
        const bool investment = r.type == "investment";
        for (const std::string& field : {record.id, std::to_string(i + 1), r.type, std::to_string(r.from + 1),
                                         investment ? std::string() : std::to_string(r.to + 1), r.purpose, r.rule})
          CopyField(&relations, field);
        relations.push_back('\n');
        for (const auto& [role, list] : {std::pair{"funder", &r.funders}, std::pair{"beneficiary", &r.beneficiaries}})
          for (size_t fact : *list) {
            for (const std::string& field : {record.id, std::to_string(i + 1), std::string(role), std::to_string(fact + 1)})
              CopyField(&parties, field);
            parties.push_back('\n');
          }
      }
    }
    ids += "}";
    const size_t batched = batch_.size();
    batch_.clear();
    if (Status s = Exec("BEGIN"); !s.ok()) return s;
    const char* values[] = {ids.c_str()};
    PGresult* result = PQexecParams(connection_, "DELETE FROM articles WHERE id = ANY($1::text[])", 1, nullptr, values,
                                    nullptr, nullptr, 0);
    const bool deleted = PQresultStatus(result) == PGRES_COMMAND_OK;
    PQclear(result);
    if (!deleted) return Abort(Error("delete failed"));
    for (const auto& [table, rows] :
         {std::pair{"articles (id, source, url, title, published, lang, text_sha256, rules_version, processed_at, text)", &articles},
          std::pair{"facts (article_id, fact_id, type, start, \"end\", text, rule, amount, currency, iso, grain, iso2, "
                    "name, role, value)",
                    &facts},
          std::pair{"relations (article_id, relation_id, type, from_fact, to_fact, purpose, rule)", &relations},
          std::pair{"relation_parties (article_id, relation_id, role, fact_id)", &parties}})
      if (Status s = Copy(table, *rows); !s.ok()) return Abort(s);
    Status committed = Exec("COMMIT");
    if (committed.ok()) committed_ += batched;
    return committed;
  }

  Status PrintSummary(std::ostream& out) override {
    if (Status s = Finish(); !s.ok()) return s;
    auto query = [&](const char* sql, auto&& row) -> Status {
      PGresult* result = PQexec(connection_, sql);
      if (PQresultStatus(result) != PGRES_TUPLES_OK) {
        PQclear(result);
        return Error("query failed");
      }
      for (int i = 0; i < PQntuples(result); ++i) row(result, i);
      PQclear(result);
      return {};
    };
    auto text = [](PGresult* r, int row, int column) {
      return PQgetisnull(r, row, column) ? std::string("-") : std::string(PQgetvalue(r, row, column));
    };
    Status s = query("SELECT COUNT(*) FROM articles",
                     [&](PGresult* r, int i) { out << "database: " << text(r, i, 0) << " articles\n"; });
    if (s.ok())
      s = query("SELECT type, COUNT(*) FROM facts GROUP BY type ORDER BY type",
                [&](PGresult* r, int i) { out << "  " << text(r, i, 0) << ": " << text(r, i, 1) << " facts\n"; });
    if (s.ok())
      s = query("SELECT type, COUNT(*) FROM relations GROUP BY type ORDER BY type",
                [&](PGresult* r, int i) { out << "  " << text(r, i, 0) << ": " << text(r, i, 1) << " relations\n"; });
    if (s.ok()) {
      out << "largest amounts (in their own currency), with the article's most mentioned country:\n";
      s = query(R"sql(
        SELECT f.text, f.article_id,
               (SELECT MIN(c.name) FROM facts c WHERE c.article_id = f.article_id AND c.type = 'country'
                GROUP BY c.iso2 ORDER BY COUNT(*) DESC, MIN(c.start) LIMIT 1)
        FROM facts f WHERE f.type = 'money' ORDER BY f.amount DESC NULLS LAST LIMIT 5)sql",
                [&](PGresult* r, int i) {
                  out << "  " << text(r, i, 0) << "  (" << text(r, i, 1) << ", " << text(r, i, 2) << ")\n";
                });
    }
    return s;
  }

 private:
  // An element of a text[] literal: backslash and double quote escaped.
  static std::string Escaped(const std::string& value) {
    std::string out;
    for (char c : value) {
      if (c == '\\' || c == '"') out.push_back('\\');
      out.push_back(c);
    }
    return out;
  }

  Status Error(const std::string& what) {
    std::string message = PQerrorMessage(connection_);
    while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
    return Status::IoError("postgresql: " + what + ": " + message);
  }
  Status Abort(Status status) {
    PGresult* result = PQexec(connection_, "ROLLBACK");
    PQclear(result);
    return status;
  }
  Status Exec(const std::string& sql) {
    PGresult* result = PQexec(connection_, sql.c_str());
    const ExecStatusType status = PQresultStatus(result);
    PQclear(result);
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) return Error(std::string("'").append(sql.substr(0, 40)).append("' failed"));
    return {};
  }
  Status Copy(const std::string& table, const std::string& rows) {
    PGresult* result = PQexec(connection_, ("COPY " + table + " FROM STDIN").c_str());
    const bool ready = PQresultStatus(result) == PGRES_COPY_IN;
    PQclear(result);
    if (!ready) return Error("COPY " + table.substr(0, table.find(' ')) + " failed");
    if (PQputCopyData(connection_, rows.data(), static_cast<int>(rows.size())) != 1 || PQputCopyEnd(connection_, nullptr) != 1)
      return Error("COPY failed");
    bool ok = true;
    while ((result = PQgetResult(connection_)) != nullptr) {
      ok &= PQresultStatus(result) == PGRES_COMMAND_OK;
      PQclear(result);
    }
    return ok ? Status() : Error("COPY " + table.substr(0, table.find(' ')) + " failed");
  }
  Status Migrate() {
    // One migrator at a time: concurrent first runs must not both create the schema.
    if (Status s = Exec("SELECT pg_advisory_lock(4242)"); !s.ok()) return s;
    Status status = Exec("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
    int version = 0;
    if (status.ok()) {
      PGresult* result = PQexec(connection_, "SELECT COALESCE(MAX(version), 0) FROM schema_version");
      if (PQresultStatus(result) == PGRES_TUPLES_OK) version = std::atoi(PQgetvalue(result, 0, 0));
      else status = Error("reading the schema version failed");
      PQclear(result);
    }
    const auto newest = static_cast<int>(SchemaVersion());
    if (status.ok() && version > newest)
      status = Status::IoError("postgresql: the database has schema version " + std::to_string(version) +
                               ", newer than this factwire knows (" + std::to_string(newest) + ")");
    for (; status.ok() && version < newest; ++version) {
      status = Exec("BEGIN;" + Migration(static_cast<size_t>(version),
                                   {"TIMESTAMPTZ", "DOUBLE PRECISION", "JSONB", "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"}) +
                    "INSERT INTO schema_version (version) VALUES (" +
                    std::to_string(version + 1) + "); COMMIT;");
      if (!status.ok()) Abort(status);
    }
    Exec("SELECT pg_advisory_unlock(4242)");
    return status;
  }

  StoreOptions options_;
  PGconn* connection_ = nullptr;
  std::vector<std::pair<Record, std::string>> batch_;  // records and text hashes not yet sent
};

}  // namespace

Result<std::unique_ptr<Store>> OpenPostgresStore(const std::string& uri, const StoreOptions& options) {
  auto store = std::make_unique<PostgresStore>(options);
  if (Status s = store->Open(uri); !s.ok()) return s;
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace factwire
