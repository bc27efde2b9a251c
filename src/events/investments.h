// Stage events: investments, each a money fact joined with who pays it, who receives
// it and what it is for, as far as its own sentence says.
//
// Input:  the normalised text, its tokens, its sentences and the linked mentions.
// Output: one investment Relation per money mention that its sentence makes an
//         investment: `from` = `to` = the money mention, `funders` and `beneficiaries`
//         index `mentions`, the purpose as a normalised byte span (resolve/ maps it to
//         the original text). Every word that decides is data in the money rule file
//         of the article's language: `investment_cue` (cue words tagged with frames),
//         `function_word` (grammar words tagged with word classes) and, optional,
//         `word_ending` (endings tagged with the forms they mark). Without the first
//         two, none are found; InvestmentsOffReason says so.
// Invariants: a party never both funds and receives the same money.
// Thread-safety: free functions over their arguments.
#ifndef FACTWIRE_EVENTS_INVESTMENTS_H_
#define FACTWIRE_EVENTS_INVESTMENTS_H_

#include <string>
#include <string_view>
#include <vector>

#include "resolve/facts.h"
#include "segment/segmenter.h"

namespace factwire {

// Why `lang` has no investment events (its money rule file lacks a lexicon they need),
// or "" when it has them.
std::string InvestmentsOffReason(const RuleSet& rules, std::string_view lang);

// An investment and its purpose as a span of the normalised text (empty when none),
// which resolve/ turns into the original text of Relation::purpose.
struct InvestmentEvent {
  Relation relation;
  uint32_t purpose_begin = 0;
  uint32_t purpose_end = 0;
};

std::vector<InvestmentEvent> FindInvestments(std::string_view text, const std::vector<Token>& tokens,
                                             const std::vector<Span>& sentences, const std::vector<Mention>& mentions);

}  // namespace factwire

#endif  // FACTWIRE_EVENTS_INVESTMENTS_H_
