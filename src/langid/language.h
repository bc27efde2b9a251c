// Language identification, between normalise and match, for articles that do not say
// what language they are in.
//
// Input:  normalised (valid UTF-8) article text.
// Output: an ISO 639-1 code ("de") when Google's CLD2 (Debian's libcld2) is confident,
//         with the share of the text in that language; otherwise an empty code.
//         Short snippets ("EUR 300m") are rarely identified: callers fall back to
//         language-neutral rules and say so.
// Thread-safety: a pure function over CLD2's static tables; safe from many threads.
#ifndef FACTWIRE_LANGID_LANGUAGE_H_
#define FACTWIRE_LANGID_LANGUAGE_H_

#include <string>
#include <string_view>

namespace factwire {

struct LanguageGuess {
  std::string code;  // ISO 639-1, or empty when unknown
  int percent = 0;   // of the text's letters, in `code`
};

LanguageGuess IdentifyLanguage(std::string_view text);

}  // namespace factwire

#endif  // FACTWIRE_LANGID_LANGUAGE_H_
