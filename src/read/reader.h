// Stage 1, read: turns inputs into Articles, one at a time, in input order.
//
// Input:  paths given on the command line. A folder is read recursively (files ending in
//         .txt or .jsonl, in sorted order); a .jsonl file or "-" (stdin) holds one JSON
//         object per line with "text" and optionally "id", "title", "url", "published"
//         (YYYY-MM-DD) and "lang"; any other file is one article. A text file may start
//         with front matter ("---" lines around "key: value" pairs) giving the same
//         fields; its text is what follows the front matter.
// Output: for every article or unreadable item, one call of the sink with either an
//         Article or a Status naming the file (and line) and what is wrong. Reading goes
//         on after a bad item; nothing already read is lost.
// Identity: an article's id is the one it gives ("id", front matter), else its "url",
//         else its path relative to the folder named as input (a file named directly:
//         its file name; "<stdin>" for stdin), with ":LINE" for a JSONL line, which then
//         carries a warning. So ids do not depend on the working directory. Repeated ids
//         are not the reader's business: Pipeline::Run reports them.
// Invariants: memory is bounded by the largest single article (or JSONL line), never
//         the whole input; a text file larger than ReadOptions::max_article_bytes is
//         reported without being read, a longer JSONL line is read and then reported.
//         Invalid UTF-8 in a JSONL line is repaired (U+FFFD, with a warning) before parsing.
//         A file starting with a byte order mark is read in the encoding it names
//         (UTF-8, UTF-16 or UTF-32, decoded to UTF-8; offsets count the decoded text, the
//         mark left out). Anything a library throws on one item becomes that item's error.
// Thread-safety: ReadInputs is reentrant; the sink runs on the calling thread.
#ifndef FACTWIRE_READ_READER_H_
#define FACTWIRE_READ_READER_H_

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "factwire/io.h"
#include "factwire/record.h"
#include "factwire/status.h"

namespace factwire {

using ArticleSink = std::function<void(Result<Article>)>;

// Reads every input in order, calling `sink` once per article or failed item.
void ReadInputs(const std::vector<std::string>& inputs, const ReadOptions& options,
                const ArticleSink& sink);

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
