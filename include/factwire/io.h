// The sources and sinks factwire ships: files, folders and stdin in; JSONL, databases
// and a run summary out. Each is a Source or Sink of factwire/pipeline.h, so a caller can
// mix them with its own.
#ifndef FACTWIRE_INCLUDE_FACTWIRE_IO_H_
#define FACTWIRE_INCLUDE_FACTWIRE_IO_H_

#include <cstddef>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "factwire/pipeline.h"

namespace factwire {

struct ReadOptions {
  std::string default_published;  // YYYY-MM-DD for articles without a publication date
  std::string default_lang;       // for articles without a language
  size_t max_article_bytes = 64u << 20;  // larger articles are reported and skipped
};

// Files, folders (read recursively: *.txt and *.jsonl, in sorted order), .jsonl files,
// and "-" for JSONL on stdin. An article's id: the input's own (JSONL "id", front
// matter), else its URL, else its path relative to the folder named in `inputs` (a
// file named directly: its file name), with ":LINE" for a JSONL line.
std::unique_ptr<Source> NewPathSource(std::vector<std::string> inputs, const ReadOptions& options = {});

// JSONL, one line per record (indented JSON with `pretty`), written to `out`, which
// must outlive the sink. Lines are rendered on the worker threads.
std::unique_ptr<Sink> NewJsonlSink(std::ostream* out, bool pretty = false);

// Counts what a run found: facts per type and relation, the most mentioned countries,
// the largest amounts. Memory stays bounded however many records it sees.
class SummarySink : public Sink {
 public:
  SummarySink();
  ~SummarySink() override;
  SummarySink(const SummarySink&) = delete;  // holds the counts of one run
  SummarySink& operator=(const SummarySink&) = delete;
  Status Put(const Record& record, std::string_view rendered, const std::string& text_sha256) override;
  // The counts, with the failures of `stats`.
  void Print(const RunStats& stats, std::ostream& out) const;

 private:
  std::unique_ptr<class RunSummary> counts_;
};

struct DatabaseOptions {
  // The fingerprint stored with each article (Pipeline::rules_version()): an article
  // stored by other rules is extracted again.
  std::string rules_version;
  size_t batch_articles = 100;  // articles per transaction
};

// SQLite ("sqlite:PATH", or a path ending in .db, .sqlite or .sqlite3) or PostgreSQL
// ("postgresql://..."). Re-running an article replaces its rows; an article stored
// unchanged by the same rules is skipped (skips_unchanged). Errors name the database.
class DatabaseSink : public Sink {
 public:
  static Result<std::unique_ptr<DatabaseSink>> Open(const std::string& uri, const DatabaseOptions& options);
  ~DatabaseSink() override;
  DatabaseSink(const DatabaseSink&) = delete;  // owns a connection and an open transaction
  DatabaseSink& operator=(const DatabaseSink&) = delete;

  bool skips_unchanged() const override { return true; }
  Result<bool> IsCurrent(const std::string& article_id, const std::string& text_sha256) override;
  Status Put(const Record& record, std::string_view rendered, const std::string& text_sha256) override;
  Status Finish() override;
  // What the database holds, read back from it.
  Status PrintSummary(std::ostream& out);
  // Articles committed to the database by this sink: after an error, the records Put
  // took in the batch that failed are not among them.
  size_t committed() const;

 private:
  explicit DatabaseSink(std::unique_ptr<class Store> store);
  std::unique_ptr<class Store> store_;
};

}  // namespace factwire

#endif  // FACTWIRE_INCLUDE_FACTWIRE_IO_H_
