// Stage 6, emit: writes one record per article.
//
// Input:  Records in input order (see pipeline/extractor.h for the Record).
// Output: JSONL, one line per record (or indented JSON with `pretty`), in the shape
//         DESIGN.md gives: id, source, published, lang, [title, url,] facts, relations,
//         warnings. Fact ids count from 1 in order of position.
// One writer makes the line; ToJson parses it back, so the shape is defined once.
// Thread-safety: ToJson and RenderJsonl are pure functions; a JsonlWriter belongs to one
//         thread.
#ifndef FACTWIRE_EMIT_EMITTER_H_
#define FACTWIRE_EMIT_EMITTER_H_

#include <nlohmann/json.hpp>
#include <ostream>

#include "pipeline/extractor.h"

namespace factwire {

nlohmann::ordered_json ToJson(const Record& record);

struct EmitterOptions {
  bool pretty = false;
};

// One record as its JSONL line, newline included; a pure function, so extraction
// threads can render while one thread writes.
std::string RenderJsonl(const Record& record, const EmitterOptions& options);

class JsonlWriter {
 public:
  JsonlWriter(std::ostream* out, const EmitterOptions& options) : out_(out), options_(options) {}
  void Write(const Record& record);
  void WriteRendered(std::string_view line) { out_->write(line.data(), static_cast<std::streamsize>(line.size())); }
  const EmitterOptions& options() const { return options_; }

 private:
  std::ostream* out_;
  EmitterOptions options_;
};

}  // namespace factwire

#endif  // FACTWIRE_EMIT_EMITTER_H_
