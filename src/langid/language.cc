#include "langid/language.h"

#include <cstdio>  // CLD2's header uses FILE without including it
#include <cld2/public/compact_lang_det.h>
#include <cld2/public/encodings.h>

#include <climits>

namespace factwire {

LanguageGuess IdentifyLanguage(std::string_view text) {
  // CLD2 samples a prefix of long texts anyway; bounding the length keeps int lengths safe.
  const int length = static_cast<int>(std::min<size_t>(text.size(), 1 << 20));
  CLD2::Language top3[3];
  int percent3[3];
  int text_bytes = 0;
  bool reliable = false;
  const CLD2::Language language =
      CLD2::ExtDetectLanguageSummary(text.data(), length, /*is_plain_text=*/true, top3, percent3, &text_bytes, &reliable);
  if (!reliable || language == CLD2::UNKNOWN_LANGUAGE) return {};
  return {CLD2::LanguageCode(language), percent3[0]};
}

}  // namespace factwire
