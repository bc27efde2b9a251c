// Precision audits: reservoir sampling of facts with their context.
#include "eval/sampler.h"

#include <algorithm>

#include "base/utf8.h"
#include "emit/value_json.h"

namespace factwire {
namespace {

constexpr size_t kContextCodePoints = 60;

// Byte offsets of code points `from` and `to` of `text` (clamped to its end).
std::pair<size_t, size_t> ByteRange(std::string_view text, size_t from, size_t to) {
  Utf8Cursor cursor(text);
  size_t code_point = 0;
  size_t begin = text.size();
  for (; !cursor.done() && code_point < to; ++code_point) {
    if (code_point == from) begin = cursor.offset();
    cursor.Next();
  }
  return {std::min(begin, cursor.offset()), cursor.offset()};
}

// The context on one line of its tab-separated row.
std::string OneLine(std::string text) {
  for (char& c : text)
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  return text;
}

std::string ContextOf(std::string_view text, const Fact& fact) {
  const size_t from = fact.start > kContextCodePoints ? fact.start - kContextCodePoints : 0;
  const auto [before_begin, start] = ByteRange(text, from, fact.start);
  const auto [unused, end] = ByteRange(text, fact.start, fact.end);
  const auto [after_begin, after_end] = ByteRange(text, fact.end, fact.end + kContextCodePoints);
  return OneLine(std::string(text.substr(before_begin, start - before_begin)) + "[[" +
                 std::string(text.substr(start, end - start)) + "]]" +
                 std::string(text.substr(after_begin, after_end - after_begin)));
}

}  // namespace

FactSampler::FactSampler(std::string type, size_t size, uint64_t seed)
    : type_(std::move(type)), size_(size), random_(seed) {}

void FactSampler::Add(const Article& article, const Record& record) {
  for (const Fact& fact : record.facts) {
    if (fact.type != type_) continue;
    const size_t order = seen_++;
    // Algorithm R: the i-th fact (from 0) replaces a random slot with probability size/(i+1).
    // The draw is a plain modulo of the engine's output, so it is the same everywhere.
    size_t slot = reservoir_.size();
    if (reservoir_.size() >= size_) {
      slot = static_cast<size_t>(random_() % (order + 1));
      if (slot >= size_) continue;
    }
    Drawn drawn{order, {record.id, fact, ContextOf(article.text, fact)}};
    if (slot == reservoir_.size()) reservoir_.push_back(std::move(drawn));
    else reservoir_[slot] = std::move(drawn);
  }
}

std::vector<SampledFact> FactSampler::Sample() const {
  std::vector<Drawn> drawn = reservoir_;
  std::sort(drawn.begin(), drawn.end(), [](const Drawn& a, const Drawn& b) { return a.order < b.order; });
  std::vector<SampledFact> out;
  for (Drawn& d : drawn) out.push_back(std::move(d.fact));
  return out;
}

std::string FormatSampledFact(const SampledFact& sampled) {
  const Fact& fact = sampled.fact;
  return sampled.article_id + "\t[" + std::to_string(fact.start) + "," + std::to_string(fact.end) + ")\t" + fact.rule +
         "\t" + JsonText(fact.value) + "\t" + sampled.context;
}

}  // namespace factwire
