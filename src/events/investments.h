// Stage events: investments, each a money fact joined with who pays it, who receives
// it and what it is for, as far as its own sentence says.
//
// Input:  the normalised text, its tokens, its sentences and the linked mentions.
// Output: one investment Relation per money mention that its sentence makes an
//         investment: `from` = `to` = the money mention, `funders` and `beneficiaries`
//         index `mentions`, the purpose as a normalised byte span (resolve/ maps it to
//         the original text). Cue words come from the money rule file's
//         `investment_cue` lexicon; without one, none are found.
// Invariants: a party never both funds and receives the same money.
// Thread-safety: free functions over their arguments.
#ifndef FACTWIRE_EVENTS_INVESTMENTS_H_
#define FACTWIRE_EVENTS_INVESTMENTS_H_

#include <string_view>
#include <vector>

#include "resolve/facts.h"
#include "segment/segmenter.h"

namespace factwire {

std::vector<Relation> FindInvestments(std::string_view text, const std::vector<Token>& tokens,
                                      const std::vector<Span>& sentences, const std::vector<Mention>& mentions);

}  // namespace factwire

#endif  // FACTWIRE_EVENTS_INVESTMENTS_H_
