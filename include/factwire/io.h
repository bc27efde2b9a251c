// The sources and sinks factwire ships: files, folders and stdin in; JSONL, databases
// and a run summary out. Each is a Source or Sink of factwire/pipeline.h, so a caller can
// mix them with its own.
#ifndef FACTWIRE_INCLUDE_FACTWIRE_IO_H_
#define FACTWIRE_INCLUDE_FACTWIRE_IO_H_

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "factwire/pipeline.h"

namespace factwire {

struct ShardPlan;

struct ReadOptions {
  std::string default_published;  // YYYY-MM-DD for articles without a publication date
  std::string default_lang;       // for articles without a language
  // Larger articles, JSONL lines and WARC records are reported and skipped, never held.
  size_t max_article_bytes = 64u << 20;
  // A blank JSONL line is an unreadable item ("blank line") instead of passed over, so
  // that each line has an outcome (RunOptions::error_records).
  bool blank_lines_are_items = false;
  // Where html/hints.tsv is read from, for HTML pages. Empty: the default rule folder
  // (PipelineOptions::rules_dir).
  std::string rules_dir;
  // Once set (by a signal handler, say), reading stops after the current item, also
  // while it waits on stdin.
  const std::atomic<bool>* stop = nullptr;
  // HTML pages are parsed on this many threads side by side (0: one per core; 1: on the
  // reading thread); articles still come out in input order.
  int threads = 0;
};

// What a PathSource read: for the progress line and the closing summary.
struct ReadCounts {
  // Articles per input format, wrappers first: "text", "jsonl", "html", "gzip/jsonl",
  // "warc.gz/html", "tar/gzip/html".
  std::map<std::string, size_t> articles_by_format;
  // Items passed over on purpose, per reason: "unsupported file", "WARC request record",
  // "HTTP status 404", "not HTML or text (image/png)".
  std::map<std::string, size_t> skipped;
  std::vector<std::string> unsupported_files;  // the first few, to name in the summary
  uint64_t bytes_read = 0;   // of the input files as stored (compressed bytes if compressed)
  uint64_t bytes_total = 0;  // of the files named, when known before reading; 0: unknown
};

// Files, folders (read recursively in sorted order), and "-" for stdin. Formats are
// recognised by content: text (front matter optional), JSONL, HTML (the main text),
// WARC (plain or .warc.gz), and gzip, bzip2, xz, zstd, tar and zip around any of them.
// A folder or archive is read for its supported files (by extension: .txt, .jsonl,
// .ndjson, .html, .htm, .warc, .gz, .bz2, .xz, .zst, .tar, .tgz, .zip, or none); the
// others are counted and named in ReadCounts. An article's id: the input's own (JSONL
// "id", front matter), else its URL (canonical link, WARC-Target-URI), else its path
// relative to the folder named in `inputs` (a file named directly: its file name; a
// compressed file: without the compression suffix; an archive member: the archive's
// name, "/" and the member's path), with ":LINE" for a JSONL line.
class PathSource : public Source {
 public:
  PathSource(std::vector<std::string> inputs, const ReadOptions& options);
  // Shard `shard` of `plan` (which must outlive the source), or every shard in turn
  // (kAllShards): its pieces, read as reading the planned inputs whole reads them, so
  // articles, ids and messages are the same. A file that changed since planning (size
  // or time) is an unreadable item.
  static constexpr size_t kAllShards = SIZE_MAX;
  PathSource(const ShardPlan& plan, size_t shard, const ReadOptions& options);
  PathSource(const PathSource&) = delete;  // holds the reading state of a run
  PathSource& operator=(const PathSource&) = delete;
  void ForEach(const std::function<bool(Result<Article>)>& each) override;
  void ForEach(const std::function<bool(Result<Article>)>& each, const std::function<void()>& idle) override;
  // Read on the thread that runs ForEach; read it there (RunOptions::on_progress is).
  const ReadCounts& counts() const { return counts_; }

 private:
  std::vector<std::string> inputs_;
  const ShardPlan* plan_ = nullptr;
  size_t shard_ = 0;
  ReadOptions options_;
  ReadCounts counts_;
};

std::unique_ptr<PathSource> NewPathSource(std::vector<std::string> inputs, const ReadOptions& options = {});

// How a file can be cut between shards: where its items start.
enum class FileLayout {
  kWhole,      // not cut (text, HTML, archives, compressed files other than .warc.gz)
  kJsonLines,  // at line starts
  kWarc,       // at record starts
  kWarcGzip,   // at gzip member starts, each member beginning a record
};

// One input file of a shard plan, as it was when planned.
struct PlannedFile {
  std::string path;           // as named or found when planning: records' "source" and messages
  std::string absolute_path;  // what is opened, so a task may run in any folder
  std::string id_name;  // what ids fall back on, as reading the named input gives it
  bool named = false;   // named as an input itself, not found in a folder
  FileLayout layout = FileLayout::kWhole;
  uint64_t size = 0;
  int64_t mtime_ns = 0;  // modification time: with the size, tells a changed file
};

// Bytes [begin, end) of one planned file, starting at an item.
struct InputPiece {
  size_t file = 0;  // index into ShardPlan::files
  uint64_t begin = 0;
  uint64_t end = 0;
  uint64_t first_line = 1;  // kJsonLines: the number of the line at `begin`
};

// The inputs of one run cut into shards of roughly equal bytes, each a list of pieces
// in input order; together the shards hold every byte once. A single item (a file that
// cannot be cut, a long record) is never split, so a shard can be larger than its
// share, or empty.
struct ShardPlan {
  std::vector<std::string> inputs;  // as named when planning
  std::vector<PlannedFile> files;
  std::vector<std::vector<InputPiece>> shards;
  std::vector<std::string> unsupported_files;  // found in folders and passed over, as extract passes them
  uint64_t total_bytes = 0;
  uint64_t ShardBytes(size_t shard) const;  // PathSource::kAllShards: every shard's
  // Whether every file can be read and is as it was when planned (size and modification
  // time); names the first that is not.
  Status CheckFiles() const;
};

// Plans `shards` (1 to 1,000,000) shards over regular files and folders (not stdin or
// pipes). The same inputs, unchanged, always give the same plan. Reads JSONL and WARC
// files once through up to their last cut (line numbers, record headers, a .warc.gz's
// members decompressed); a damaged record or member ends the cutting of its file. Fails,
// naming the input, for a missing or unreadable one, or a path that is not UTF-8.
Result<ShardPlan> PlanShards(const std::vector<std::string>& inputs, size_t shards);
// The plan as a JSON manifest, and back; `name` (the manifest's path) names it in errors.
std::string ShardPlanJson(const ShardPlan& plan);
Result<ShardPlan> ParseShardPlan(std::string_view json, const std::string& name);
// The manifest at `path`, read and parsed.
Result<ShardPlan> LoadShardPlan(const std::string& path);

// One article from bytes held in memory, read as PathSource reads a file of that format:
// for a caller that receives articles whole, such as the service. Open loads what
// reading needs once (the HTML hints are rule data); the reader is then immutable and
// Read is safe from many threads at once.
class ArticleReader {
 public:
  enum class Format {
    kJson,  // one object as a JSONL line holds it: "text", optionally "id", "title",
            // "url", "published" (YYYY-MM-DD) and "lang"
    kText,  // the text as it is (a byte order mark is read; no front matter)
    kHtml,  // a page: its main text and metadata, in the charset the page declares
  };
  static Result<std::unique_ptr<ArticleReader>> Open(const ReadOptions& options = {});
  ~ArticleReader();
  ArticleReader(const ArticleReader&) = delete;  // holds the loaded HTML reader
  ArticleReader& operator=(const ArticleReader&) = delete;

  // The article in `bytes`; `name` names it in messages. `charset` is the one the
  // transport declares (an HTTP Content-Type) for text and HTML; empty: the content's
  // own (a byte order mark, the page's meta charset), else UTF-8. Fails, saying why,
  // for bytes over ReadOptions::max_article_bytes, malformed JSON or JSON without
  // "text", an unknown charset, and binary content. The article keeps the id it gives
  // (JSON "id", else its URL), else none; ReadOptions' default date and language fill
  // what it lacks.
  Result<Article> Read(std::string bytes, Format format, const std::string& name,
                       const std::string& charset = "") const;

 private:
  ArticleReader(const ReadOptions& options, std::unique_ptr<class HtmlReader> html);
  ReadOptions options_;
  std::unique_ptr<class HtmlReader> html_;
};

// JSONL, one line per record (indented JSON with `pretty`), written to `out`, which
// must outlive the sink; with RunOptions::error_records, {"id": ID or null, "error":
// MESSAGE} in place of an item that gave no record. Lines are rendered on the worker threads; Flush (while the input
// is quiet) pushes them out, so a pipe sees each record as soon as it is done.
std::unique_ptr<Sink> NewJsonlSink(std::ostream* out, bool pretty = false);
// A record as the JSONL sink writes it: one line of JSON, newline included.
std::string RecordJsonLine(const Record& record);

// Counts what a run found: facts per type and relation, the most mentioned countries,
// the largest amounts. Memory stays bounded however many records it sees.
class SummarySink : public Sink {
 public:
  SummarySink();
  ~SummarySink() override;
  SummarySink(const SummarySink&) = delete;  // holds the counts of one run
  SummarySink& operator=(const SummarySink&) = delete;
  Status Put(const Record& record, std::string_view rendered, const std::string& text_sha256) override;
  bool takes_parts() const override { return true; }
  Status PutPart(const Record& part, RecordPart place, const std::string& text_sha256) override;
  // The counts, with the failures of `stats`.
  void Print(const RunStats& stats, std::ostream& out) const;

 private:
  std::unique_ptr<class RunSummary> counts_;
  std::string part_article_id_;  // of the long article whose parts are coming
};

struct DatabaseOptions {
  // The fingerprint stored with each article (Pipeline::rules_version()): an article
  // stored by other rules is extracted again.
  std::string rules_version;
  size_t batch_articles = 100;  // articles per transaction
  // A batch also commits once it is this old when the next record arrives, and whenever
  // the input is quiet (Sink::Flush), so a trickle of articles reaches the database at once.
  double commit_seconds = 1.0;
  bool store_text = true;  // the article's text in articles.text, so SQL can show a fact in its sentence
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
  bool wants_text() const override { return options_.store_text; }
  Result<bool> IsCurrent(const std::string& article_id, const std::string& text_sha256) override;
  Status Put(const Record& record, std::string_view rendered, const std::string& text_sha256) override;
  Status Flush() override;
  Status Finish() override;
  // What the database holds, read back from it.
  Status PrintSummary(std::ostream& out);
  // Articles committed to the database by this sink: after an error, the records Put
  // took in the batch that failed are not among them.
  size_t committed() const;

 private:
  DatabaseSink(std::unique_ptr<class Store> store, const DatabaseOptions& options);
  std::unique_ptr<class Store> store_;
  DatabaseOptions options_;
  double batch_started_ = -1;  // steady-clock seconds of the open batch's first record; -1: none
};

}  // namespace factwire

#endif  // FACTWIRE_INCLUDE_FACTWIRE_IO_H_
