// Stage relate: relations between the facts of one sentence.
//
// Input:  the normalised text, its sentences, and the linked mentions (sorted, disjoint).
// Output: located_in (a site or org and the country the sentence puts it in) and role_at
//         (a person and the org their role names), `from`/`to` indexing `mentions`, as
//         the relation frames of the mentions' language describe them (rule id
//         "relation/<lang>/<frame>"); and the site's country written into the value of
//         every mention of that site. A language without frames has no relations.
// Invariants: both ends of a relation are in one sentence; mentions keep their order.
// Thread-safety: free functions over their arguments.
#ifndef FACTWIRE_RELATE_RELATIONS_H_
#define FACTWIRE_RELATE_RELATIONS_H_

#include <string>
#include <string_view>
#include <vector>

#include "resolve/facts.h"
#include "segment/segmenter.h"

namespace factwire {

// Why `lang` has no located_in and role_at relations (no rules/relation/<lang>.yaml), or
// empty when it has them: for check-rules and record warnings.
std::string RelationsOffReason(const RuleSet& rules, std::string_view lang);

std::vector<Relation> FindRelations(std::string_view text, const std::vector<Span>& sentences,
                                    std::vector<Mention>* mentions);

}  // namespace factwire

#endif  // FACTWIRE_RELATE_RELATIONS_H_
