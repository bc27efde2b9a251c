#include "match/relation_frames.h"

#include <re2/re2.h>

namespace factwire {

RelationFrame::RelationFrame() = default;
RelationFrame::RelationFrame(RelationFrame&&) noexcept = default;
RelationFrame::~RelationFrame() = default;

void RelationFrame::ComputeGapRange() {
  // 10 bytes of range: the literal start most gaps have (", the ", "'s ").
  has_gap_range = gap->PossibleMatchRange(&gap_min, &gap_max, 10);
}

bool RelationFrame::MatchesGap(std::string_view text) const {
  if (max_gap != 0 && text.size() > max_gap) return false;
  if (has_gap_range && (text < gap_min || text > gap_max)) return false;
  return RE2::FullMatch(text, *gap);
}

bool RelationFrame::MatchesAfter(std::string_view text) const {
  return !after || RE2::PartialMatch(text, *after);
}

bool RelationFrame::MatchesBefore(std::string_view text) const {
  return !before || RE2::PartialMatch(text, *before);
}

bool RelationFrame::MatchesToRule(std::string_view rule) const { return !to_rule || RE2::PartialMatch(rule, *to_rule); }

bool RelationFrame::ContinuesList(std::string_view text) const { return list && RE2::FullMatch(text, *list); }

}  // namespace factwire
