// Tense of a date's clause: whether "on Tuesday" looks back from the publication date or
// ahead (README "Dates", anchoring policy).
//
// Every word this reads comes from the date rule file of the candidate's language:
//   future:      phrases that put a clause in the future (future_markers.<lang>.tsv);
//                tag `modal` marks one that is also a noun ("political will"), checked
//                against the word after it;
//   reporting:   past reporting verbs: a date after one stays in the past
//                (reporting_verbs.<lang>.tsv);
//   clause_word: the words that split a sentence into clauses (clause_words.<lang>.tsv),
//                by tag: auxiliary, relative_pronoun, finite_verb, participle_suffix
//                (surface "-ed", value the shortest word it applies to), clause_opener,
//                coordinator (a boundary only before an auxiliary) and after_noun (a
//                word that shows a modal before it is the noun).
// A missing list switches its part off for that language: no `future` list, and no
// date of that language is read as future; DateTenseOffReason says which.
// Thread-safety: free functions over const data; safe to call concurrently.
#ifndef FACTWIRE_RESOLVE_DATE_TENSE_H_
#define FACTWIRE_RESOLVE_DATE_TENSE_H_

#include <string>
#include <string_view>
#include <vector>

#include "match/matcher.h"

namespace factwire {

// The file's lexicon `name`; a file may leave out the lists it has no use for (the
// language-neutral rules know no month names): a missing one is empty.
const Lexicon& RuleLexicon(const Rule& rule, std::string_view name);

// The text a sentence lies in, and Tokenise(text) when the caller has it (null: each
// piece read is tokenised on its own).
struct TextTokens {
  std::string_view text;
  const std::vector<Token>* tokens = nullptr;
};

// True when the clause of `sentence` holding the candidate speaks of the future and no
// reporting verb comes before the date in it ("said on Monday it will cut jobs").
bool SpeaksOfFuture(const Candidate& candidate, std::string_view sentence, const TextTokens& text);

// Empty when the date rules of `lang` carry every list tense reading needs; otherwise
// what is off and why ("date tense for 'pt' is off: date/pt.yaml: no lexicon 'future'").
std::string DateTenseOffReason(const RuleSet& rules, std::string_view lang);

}  // namespace factwire

#endif  // FACTWIRE_RESOLVE_DATE_TENSE_H_
