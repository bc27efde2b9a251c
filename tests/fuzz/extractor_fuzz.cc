// libFuzzer harness: the whole extractor on any text. The record, rendered as JSONL,
// must parse back, and every fact must satisfy original[start:end] == text in code
// points of the (repaired) original.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "base/utf8.h"
#include "emit/emitter.h"
#include "pipeline/extractor.h"

namespace {

std::u32string CodePoints(std::string_view utf8) {
  std::u32string out;
  for (factwire::Utf8Cursor cursor(utf8); !cursor.done();) out.push_back(static_cast<char32_t>(cursor.Next()));
  return out;
}

std::unique_ptr<factwire::RuleSet> rules;
std::unique_ptr<factwire::Extractor> extractor;

}  // namespace

// Before the fuzzing loop and its timeout: every language compiled up front, since a
// language's first article would otherwise carry its one-off compile (tens of seconds
// under ASan) and read as a timeout.
extern "C" int LLVMFuzzerInitialize(int*, char***) {
  rules = std::move(factwire::LoadRules(FACTWIRE_SOURCE_DIR "/rules").value());  // cache: $FACTWIRE_CACHE
  (void)rules->PrepareAll();
  extractor = std::move(factwire::Extractor::Create(*rules).value());
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  factwire::Article article;
  article.id = "fuzz";
  article.text.assign(reinterpret_cast<const char*>(data), size);
  article.lang = size > 0 && data[0] % 2 ? "en" : "";  // given, or identified
  article.published = "2025-03-14";
  const factwire::Record record = extractor->Extract(article);
  const nlohmann::json parsed = nlohmann::json::parse(factwire::RenderJsonl(record, {}));  // throws (crash) if not JSON
  if (parsed["facts"].size() != record.facts.size()) std::abort();
  const std::string original =
      factwire::IsValidUtf8(article.text) ? article.text : factwire::RepairUtf8(article.text).text;
  const std::u32string text = CodePoints(original);
  for (const factwire::Fact& fact : record.facts)
    if (fact.start > fact.end || fact.end > text.size() ||
        text.substr(fact.start, fact.end - fact.start) != CodePoints(fact.text))
      std::abort();
  return 0;
}
