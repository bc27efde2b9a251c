// Stage 1, read: turns inputs into Articles, one at a time, in input order.
//
// Input:  paths given on the command line and "-" (stdin). Each file, archive member and
//         stdin is recognised by its content (magic bytes and structure; the extension
//         only where content cannot tell): gzip, bzip2, xz and zstd around any input, tar
//         and zip archives (read/archive.h), WARC plain or gzipped per record
//         (read/warc.h), HTML (read/html.h: main text and metadata, any charset via
//         read/charset.h), JSONL (one object per line with "text" and optionally "id",
//         "title", "url", "published" (YYYY-MM-DD) and "lang"; stdin is JSONL unless it
//         holds another format), else text, which may start with front matter ("---"
//         lines around "key: value" pairs) giving the same fields. A folder is read
//         recursively in sorted order, for the files whose extension names a supported
//         format (or none); the others are counted as unsupported, never passed silently.
// Output: for every article or unreadable item, one call of the sink with either an
//         Article or a Status naming the file (and line, or the record's byte offset)
//         and what is wrong. Reading goes on after a bad item; nothing already read is
//         lost. ReadCounts says what was read per format and what was skipped and why.
// Identity: an article's id is the one it gives ("id", front matter), else its URL
//         (canonical link, WARC-Target-URI), else its path relative to the folder named
//         as input (a file named directly: its file name; "<stdin>" for stdin), with
//         ":LINE" for a JSONL line, which then carries a warning. So ids do not depend on
//         the working directory. Repeated ids are Pipeline::Run's business.
// Invariants: memory is bounded by the largest single article (or JSONL line, or WARC
//         record) up to ReadOptions::max_article_bytes, never the whole input: longer
//         ones are reported and skipped without being held. Invalid UTF-8 in a JSONL line
//         is repaired (U+FFFD, with a warning) before parsing. A file starting with a byte
//         order mark is read in the encoding it names (offsets count the decoded text).
//         For HTML the article's text is the extracted main text. Anything a library
//         throws on one item becomes that item's error.
// Thread-safety: ReadInputs is reentrant; the sink runs on the calling thread.
#ifndef FACTWIRE_READ_READER_H_
#define FACTWIRE_READ_READER_H_

#include <sys/stat.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "factwire/io.h"
#include "factwire/record.h"
#include "factwire/status.h"

namespace factwire {

using ArticleSink = std::function<void(Result<Article>)>;

// A file to read: its path, the name ids fall back on, and whether it was named as an
// input itself (then content that is not text is an error, not passed over).
struct InputFile {
  std::string path;
  std::string id_name;
  bool named = false;
};

// The files `input` (a file or folder) names, in reading order: a folder's supported
// files recursively in sorted order (the others into *unsupported). Fails for a missing
// input or a folder that cannot be listed, after listing what it could.
Status ListInput(const std::string& input, std::vector<InputFile>* files, std::vector<std::string>* unsupported);

// How reading sees the file at `fd` (named `id_name`), for cutting it into shards.
Result<FileLayout> SniffFileLayout(int fd, const std::string& id_name);

// st_mtim in nanoseconds, as a shard plan keeps it.
int64_t ModifiedNanoseconds(const struct stat& status);

// Whether the file open at `fd` is `file` as planned (size and modification time); says
// how it changed, and to plan again, when not.
Status CheckPlannedFile(const PlannedFile& file, int fd);

// Reads shard `shard` of `plan` (PathSource::kAllShards: all) as ReadInputs reads whole inputs.
void ReadShard(const ShardPlan& plan, size_t shard, const ReadOptions& options, const ArticleSink& sink,
               ReadCounts* counts = nullptr);

// Reads every input in order, calling `sink` once per article or failed item, and
// counting into `counts` if given. `idle` runs while stdin keeps the reader waiting.
void ReadInputs(const std::vector<std::string>& inputs, const ReadOptions& options, const ArticleSink& sink,
                ReadCounts* counts = nullptr, const std::function<void()>& idle = nullptr);

// Parses one JSONL line into an Article; `where` ("file:line") prefixes any error. An
// object with neither "id" nor "url" gives an article with an empty id: the caller names it.
Result<Article> ParseJsonLine(const std::string& line, const std::string& where,
                              const ReadOptions& options);

// `bytes` without its byte order mark, and in UTF-8 when the mark names UTF-16 or UTF-32
// (`note` then says so); bytes without a mark are returned as they are.
Result<std::string> DecodeByteOrderMark(std::string bytes, std::string* note);

// True for a real calendar date written YYYY-MM-DD ("2025-02-30" is not one).
bool IsIsoDate(std::string_view text);

// Splits optional front matter off a text file's content into `article`.
Status ParseFrontMatter(std::string content, Article* article);

}  // namespace factwire

#endif  // FACTWIRE_READ_READER_H_
