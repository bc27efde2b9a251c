// Stage 6, emit: one record per article as JSON, and the counts of a run.
//
// Input:  Records (include/factwire/record.h).
// Output: JSONL, one line per record (or indented JSON with `pretty`), in the shape
//         DESIGN.md gives: id, source, published, lang, [title, url,] facts, relations,
//         warnings. Fact ids count from 1 in order of position. The JSONL and summary
//         sinks of include/factwire/io.h are built on these.
// One writer makes the line; ToJson parses it back, so the shape is defined once.
// Thread-safety: ToJson and RenderJsonl are pure functions; a RunSummary belongs to one
//         thread.
#ifndef FACTWIRE_EMIT_EMITTER_H_
#define FACTWIRE_EMIT_EMITTER_H_

#include <map>
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <vector>

#include "emit/value_json.h"  // ToJson of a fact's value
#include "factwire/record.h"
#include "factwire/values.h"

namespace factwire {

nlohmann::ordered_json ToJson(const Record& record);

struct EmitterOptions {
  bool pretty = false;
};

// One record as its JSONL line, newline included; a pure function, so extraction
// threads can render while one thread writes.
std::string RenderJsonl(const Record& record, const EmitterOptions& options);

// What `factwire text` prints for an article, one line: id, source, url, title,
// published, lang and text, the text whose code points fact offsets count (invalid UTF-8
// replaced by U+FFFD as normalise replaces it).
std::string RenderArticleJsonl(const Article& article);

// What a run found, for `extract --summary`: facts per type and relation, the most
// mentioned countries and the largest amounts. Holds counts and the few largest amounts
// only, so memory stays bounded however many records it sees.
class RunSummary {
 public:
  static constexpr size_t kLargestShown = 5;
  // A record; or the next part of one (Sink::PutPart), named by `article_id` (its first
  // part's id), the article counted with its last part (articles()).
  void Add(const Record& record) { Add(record, record.id, /*article_ends=*/true); }
  void Add(const Record& part, const std::string& article_id, bool article_ends);
  size_t articles() const { return articles_; }
  // The largest money amounts so far, largest first, as "text  (article id)".
  std::vector<std::string> Largest() const;
  // The counts, after "articles: `extracted` extracted, `failed` failed".
  void Print(size_t extracted, size_t failed, std::ostream& out) const;

 private:
  size_t articles_ = 0;
  std::map<std::string, int> per_type_;
  std::map<std::string, int> per_country_;
  std::map<std::string, int> per_relation_;
  std::vector<std::pair<Decimal, std::string>> largest_;  // at most kLargestShown
};

}  // namespace factwire

#endif  // FACTWIRE_EMIT_EMITTER_H_
