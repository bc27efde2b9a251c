// Stage 3, segment: cuts normalised text into sentences, so that a match or a relation
// never straddles two of them.
//
// Input:  normalised UTF-8 text (ICU reads it in place through UText: no UTF-16 copy).
// Output: sentence spans as normalised byte offsets. The spans tile the text: each
//         starts where the previous ended, the first at 0, the last at text.size().
//         Line breaks end sentences, so headlines and paragraphs stand alone. No break
//         follows a listed abbreviation ("Mr.", "Nov.", "U.S.", "e.g.") or initials
//         ("C.C. Wei"), unless a line break does.
// Thread-safety: a Segmenter holds an ICU break iterator and is NOT safe to share; give
//         each thread its own (Create per thread is cheap next to loading rules).
#ifndef FACTWIRE_SEGMENT_SEGMENTER_H_
#define FACTWIRE_SEGMENT_SEGMENTER_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "factwire/status.h"

#include <unicode/uversion.h>
U_NAMESPACE_BEGIN
class BreakIterator;
U_NAMESPACE_END

namespace factwire {

struct Span {
  uint32_t begin = 0;
  uint32_t end = 0;
};

struct SegmenterOptions {
  std::string locale = "en";
  std::vector<std::string> abbreviations;  // words ending in '.' that end no sentence
};

class Segmenter {
 public:
  static Result<std::unique_ptr<Segmenter>> Create(const SegmenterOptions& options);
  ~Segmenter();
  // Owns an ICU iterator with per-text state: copying would share it. Create another.
  Segmenter(const Segmenter&) = delete;
  Segmenter& operator=(const Segmenter&) = delete;

  std::vector<Span> Sentences(std::string_view text);

 private:
  Segmenter(std::unique_ptr<icu::BreakIterator> iterator, std::unordered_set<std::string> abbreviations);
  bool EndsWithAbbreviation(std::string_view text, uint32_t end) const;

  std::unique_ptr<icu::BreakIterator> iterator_;
  // Checked here rather than with ICU's FilteredBreakIterator, which (ICU 72) still
  // breaks after multi-period abbreviations such as "U.S." before a capitalised word.
  std::unordered_set<std::string> abbreviations_;
};

// Index of the span in `spans` (which tile a text) that contains byte `offset`.
size_t SpanIndexOf(const std::vector<Span>& spans, uint32_t offset);

}  // namespace factwire

#endif  // FACTWIRE_SEGMENT_SEGMENTER_H_
