// Stage link: mentions of one entity joined across an article.
//
// Input:  the normalised text, its tokens (Tokenise(text)) and the article's kept
//         mentions, sorted and disjoint.
// Output: the same mentions, with org short forms (a legal form left out, or the first
//         word of one longer org of the article) given the full name they stand for,
//         plus new mentions where a name the article has introduced recurs: a site or
//         org again or by the acronym defined after it ("Jülich Supercomputing Centre
//         (JSC)"), an org by its distinctive first word or without its legal form, a
//         person by the full name or surname ("Whitfield"). Linked mentions carry the
//         rule id "<type>/<lang>/<same-name|same-org|surname>" in the language of the
//         rules that found the first mention, or else `lang`, the article's language.
// Invariants: mentions stay sorted and disjoint; a new mention never overlaps one kept.
// Thread-safety: free functions over their arguments.
#ifndef FACTWIRE_LINK_LINKER_H_
#define FACTWIRE_LINK_LINKER_H_

#include <string_view>
#include <vector>

#include "resolve/facts.h"

namespace factwire {

void LinkMentions(std::string_view text, const std::vector<Token>& tokens, std::string_view lang,
                  std::vector<Mention>* mentions);

}  // namespace factwire

#endif  // FACTWIRE_LINK_LINKER_H_
