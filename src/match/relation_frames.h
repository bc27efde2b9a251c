// Relation frames: how a language writes that a site or org is in a country, or that a
// person holds a role at an org, as data (rules/relation/<lang>.yaml; see README).
//
// A frame joins two mentions of one sentence: `from` (a site, org or person) and `to`
// (a country or org), in a given order, when the text between them fully matches its
// gap pattern and its further conditions hold. relate/ reads the frames of the language
// whose rules found the mentions (RuleFile::relations); a language without a relation
// file has no relations.
//
// Lifecycle: built and compiled once by RuleSet::Load, immutable afterwards, shared by
// threads (the compiled patterns are RE2s, safe for concurrent matching).
#ifndef FACTWIRE_MATCH_RELATION_FRAMES_H_
#define FACTWIRE_MATCH_RELATION_FRAMES_H_

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace re2 { class RE2; }

namespace factwire {

struct RuleFile;

struct RelationFrame {
  std::string id;        // "relation/de/mit-sitz-in"; forms of one frame share it
  std::string relation;  // located_in, role_at
  std::vector<std::string> from_types;  // site, org, person
  std::vector<std::string> to_types;    // country, org
  bool from_first = true;    // order: from-to (else to-from)
  bool nearest = false;      // only the nearest `to` mention on that side is tried
  size_t max_gap = 0;        // bytes; 0: no limit
  std::string from_has;      // a field the from mention's value must have ("role")
  const RuleFile* file = nullptr;
  int line = 0;

  // Whether the text between the two mentions is this frame's gap (a full match).
  bool MatchesGap(std::string_view gap) const;
  // Whether the text after the later mention starts as `after` requires (none: true).
  bool MatchesAfter(std::string_view after) const;
  // Whether the sentence before the earlier mention ends as `before` requires (none: true).
  bool MatchesBefore(std::string_view before) const;
  // Whether the `to` mention's rule id matches `to_rule` (partially; none: true).
  bool MatchesToRule(std::string_view rule) const;
  // Whether `gap` joins the next mention to a list this frame found ("X and the Y").
  bool ContinuesList(std::string_view gap) const;
  bool HasListContinuation() const { return list != nullptr; }

  std::unique_ptr<re2::RE2> gap;
  // Every full match of `gap` lies in [gap_min, gap_max] (RE2::PossibleMatchRange), so
  // most gaps are refused by two string compares before the regex runs; set with the
  // loader once `gap` is compiled, by ComputeGapRange.
  std::string gap_min;
  std::string gap_max;
  bool has_gap_range = false;
  void ComputeGapRange();
  std::unique_ptr<re2::RE2> after;
  std::unique_ptr<re2::RE2> before;
  std::unique_ptr<re2::RE2> to_rule;
  std::unique_ptr<re2::RE2> list;

  RelationFrame();
  RelationFrame(RelationFrame&&) noexcept;
  ~RelationFrame();
};

// A text and the relations it must give ("located_in: LUMI -> Finland"); none for a
// negative example.
struct RelationExample {
  std::string file;
  int line = 0;
  std::string text;
  std::vector<std::string> relations;
};

// One language's frames, in file order: for a pair of mentions the first frame that
// fits wins.
struct RelationFrames {
  std::string lang;
  std::vector<RelationFrame> frames;
  std::vector<RelationExample> examples;
};

}  // namespace factwire

#endif  // FACTWIRE_MATCH_RELATION_FRAMES_H_
