// Stage 5, resolve: decides which candidates become facts and what they mean, then runs
// the stages that read the kept mentions: link/, relate/ and events/.
//
// Input:  the Document (normalised text, offset map, sentences) and the candidates
//         of match/.
// Output: facts sorted by position, each with code point offsets into the original
//         text, the original text of its span, a typed value and its rule id; the
//         relations link/relate/events find between them (an investment's purpose as
//         original text); plus one Decision per candidate saying why it was kept or
//         dropped (what `factwire explain` prints).
// Rules of resolution, in order: a candidate its rule's context check rejected, that
//         crosses a sentence boundary or whose value cannot be built is dropped; then
//         spans are made flat: the longest wins, then the higher rule priority, then the
//         earlier start. Blocking rules and candidates a guard vetoed emit nothing and
//         stop the facts of their own type inside them ("New Jersey" blocks the country
//         Jersey, not an org). Last, "a year earlier" counts from the date before it.
//         A value is built only for a candidate that could win at its turn, unless
//         explain asks for every candidate's (ArticleContext::keep_decision_values).
// Invariants: facts never overlap; original().substr(start, end) == text, in code
//         points, for every fact.
// Thread-safety: free functions over their arguments; safe to call concurrently.
#ifndef FACTWIRE_RESOLVE_RESOLVER_H_
#define FACTWIRE_RESOLVE_RESOLVER_H_

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "factwire/status.h"
#include "match/matcher.h"
#include "normalise/normaliser.h"
#include "resolve/facts.h"
#include "segment/segmenter.h"

namespace factwire {

struct Decision {
  enum class Verdict { kKept, kVetoed, kCrossesSentence, kNoValue, kOverlapped, kBlocked, kBlocker, kCue, kDropped };
  size_t candidate = 0;  // index into the candidates given to Resolve
  Verdict verdict = Verdict::kKept;
  std::string reason;
  Value value;  // the value built, when one was (a winner's moves to its fact unless kept)
};
const char* VerdictName(Decision::Verdict verdict);

// A span competing for a place in the flat output.
struct Contender {
  uint32_t begin = 0;
  uint32_t end = 0;
  int priority = 0;
};
// Indexes of the contenders that win: longest first, then higher priority, then earlier
// start; a contender overlapping one already chosen loses. `loser_of[i]` is set to the
// index of the winner that displaced contender i (or -1). When its turn comes, a
// contender that overlaps nothing chosen is asked `may_win(i)` (when given): false puts it
// out, neither winning nor displacing anyone, as if it had never competed. So costly
// checks run only for contenders that could win.
std::vector<size_t> SelectFlat(const std::vector<Contender>& contenders, std::vector<int64_t>* loser_of = nullptr,
                               const std::function<bool(size_t)>& may_win = nullptr);

// What resolution knows of the article besides its text.
struct ArticleContext {
  std::string_view published;  // YYYY-MM-DD, or empty: relative dates then get no iso
  std::string_view lang;       // "en", "en-US" (which orders numeric dates month first)
  // Tokenise(text), when the caller has it (match made it): not made twice. Null: made here.
  const std::vector<Token>* tokens = nullptr;
  // Whether every decision keeps the value built and its reason (explain shows them
  // all); false: a winner's value moves on to its fact instead of being copied, and no
  // reasons are written.
  bool keep_decision_values = true;
};

// What a value builder may use besides the candidate itself.
struct ValueContext {
  ArticleContext article;
  std::string_view sentence;      // the normalised sentence holding the candidate
  const Document* doc = nullptr;  // for names and roles read off the text

  // The original text behind a piece of the normalised text (a capture), so that names
  // keep their typography ("the Facility’s water team").
  std::string Original(std::string_view normalised) const;
};

// Checks that the rule's type has a value builder and that the rule gives the builder
// what it needs (capture names, lexicons), and fixes its capture slots
// (Rule::value_slots): RuleSetOptions::check_rule, run on each rule as it is read,
// before any BuildValue.
Status ValidateRule(Rule* rule);

// Builds the normalised value of one candidate, or says why it cannot.
Result<Value> BuildValue(const Candidate& candidate, const ValueContext& context);

// A fact type's value builder: checks a rule once at load time, then builds values.
// `captures` names the captures it reads; slot i is captures[i], and a rule's capture
// names are resolved to slots once, so building reads captures by index.
struct ValueBuilder {
  std::string_view type;
  std::span<const std::string_view> captures;
  Status (*validate)(const Rule& rule);  // null: nothing to check beyond the captures
  Result<Value> (*build)(const Candidate& candidate, const ValueContext& context);
};
// What candidate `c` captured in its builder's slot `slot`: empty when the rule has no
// such capture or it took no part in the match.
inline std::string_view Capture(const Candidate& c, size_t slot) {
  const std::vector<int>& slots = c.rule->value_slots;
  if (slot >= slots.size() || slots[slot] < 0 || static_cast<size_t>(slots[slot]) >= c.groups.size()) return {};
  return c.groups[static_cast<size_t>(slots[slot])];
}
// Whether `rule` has the capture of its builder's slot `slot`.
inline bool HasCapture(const Rule& rule, size_t slot) { return slot < rule.value_slots.size() && rule.value_slots[slot] >= 0; }
// One per fact type, each defined beside its code (values.cc: money and country;
// dates.cc; entities.cc: site, programme, org and person); values.cc lists them.
extern const ValueBuilder kMoneyValues, kCountryValues, kDateValues, kSiteValues, kProgrammeValues, kOrgValues,
    kPersonValues;

// Second pass over the facts of an article, in text order: "a year earlier" counts from
// the date fact before it ("S$11.2m for 2023, S$19m a year earlier" -> 2022) rather than
// from the publication date, which stays the fallback.
void ResolveDateReferences(std::vector<Fact>* facts);

void Resolve(const Document& doc, const std::vector<Span>& sentences, const ArticleContext& article,
             const std::vector<Candidate>& candidates, std::vector<Fact>* facts,
             std::vector<Relation>* relations, std::vector<Decision>* decisions);

}  // namespace factwire

#endif  // FACTWIRE_RESOLVE_RESOLVER_H_
