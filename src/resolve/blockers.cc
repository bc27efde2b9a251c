#include "resolve/blockers.h"

#include <algorithm>

namespace factwire {

void BlockerIndex::Add(std::string_view type, uint32_t begin, uint32_t end, size_t id) {
  auto it = by_type_.find(type);
  if (it == by_type_.end()) it = by_type_.emplace(std::string(type), std::vector<Entry>()).first;
  it->second.push_back({begin, end, id});
}

void BlockerIndex::Finish() {
  for (auto& [type, spans] : by_type_) {
    std::sort(spans.begin(), spans.end(), [](const Entry& a, const Entry& b) { return a.begin < b.begin; });
    for (size_t i = 0; i < spans.size(); ++i) {
      spans[i].furthest = i > 0 && spans[i - 1].end_of_furthest > spans[i].end ? spans[i - 1].furthest : i;
      spans[i].end_of_furthest = spans[spans[i].furthest].end;
    }
  }
}

std::optional<size_t> BlockerIndex::Covering(std::string_view type, uint32_t begin, uint32_t end) const {
  auto it = by_type_.find(type);
  if (it == by_type_.end()) return std::nullopt;
  const std::vector<Entry>& spans = it->second;
  auto after = std::upper_bound(spans.begin(), spans.end(), begin,
                                [](uint32_t b, const Entry& e) { return b < e.begin; });
  if (after == spans.begin()) return std::nullopt;
  const Entry& last = *(after - 1);  // of the blockers starting at or before `begin`, the one reaching furthest
  if (last.end_of_furthest < end) return std::nullopt;
  return spans[last.furthest].id;
}

}  // namespace factwire
