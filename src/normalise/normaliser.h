// Stage 2, normalise: makes the text rules match against, and remembers the way back.
//
// Input:  an article's raw bytes (any bytes at all).
// Output: a Document with
//         - original(): the input if it is valid UTF-8, else a repaired copy in which each
//           invalid sequence is one U+FFFD (and a warning says how many and where);
//           all output offsets count code points of this text;
//         - text: NFKC of original(), with spaces, quotes and dashes unified to ASCII
//           ' ', '\'', '"', '-' and invisible format characters (soft hyphen, zero width
//           space, BOM) removed;
//         - map: normalised byte offset -> original byte offset.
// Invariants: text is valid UTF-8. The text is cut into segments that normalise
//         independently (ICU's hasBoundaryBefore); a normalised span whose ends fall on
//         segment boundaries maps back to exactly the original bytes it came from, and a
//         span cutting into a segment widens to the whole segment.
// Thread-safety: Normaliser is immutable after Create and safe to share.
#ifndef FACTWIRE_NORMALISE_NORMALISER_H_
#define FACTWIRE_NORMALISE_NORMALISER_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "factwire/status.h"

#include <unicode/uversion.h>
U_NAMESPACE_BEGIN
class Normalizer2;
U_NAMESPACE_END

namespace factwire {

// Normalised byte offsets -> original byte offsets. All-ASCII text needs no table.
class OffsetMap {
 public:
  void ResetIdentity();
  void Reset() { identity_ = false; origin_.clear(); }
  void Append(uint32_t original_offset, size_t normalised_bytes);
  void Finish(uint32_t original_size) { if (!identity_) origin_.push_back(original_size); }

  // Original offset of the segment that normalised byte `begin` belongs to.
  size_t ToOriginalBegin(size_t begin) const { return identity_ ? begin : origin_[begin]; }
  // Original offset just past the segment that normalised byte `end - 1` belongs to.
  size_t ToOriginalEnd(size_t end) const;

 private:
  bool identity_ = true;
  std::vector<uint32_t> origin_;  // one entry per normalised byte, plus the end
};

struct Document {
  std::string_view original() const { return repaired_ ? std::string_view(repaired_text_) : input_; }
  std::string text;
  OffsetMap map;
  std::vector<std::string> warnings;

 private:
  friend class Normaliser;
  std::string_view input_;
  std::string repaired_text_;
  bool repaired_ = false;
};

class Normaliser {
 public:
  // Folds compatibility forms (NFKC: ligatures, full-width) and unifies typographic
  // spaces, quotes and dashes to ASCII.
  static Result<Normaliser> Create();

  // Fills `doc` from `input`, which must outlive `doc` (original() may point into it).
  void Normalise(std::string_view input, Document* doc) const;

 private:
  explicit Normaliser(const icu::Normalizer2* nfkc) : nfkc_(nfkc) {}
  void NormaliseSegment(std::string_view segment, std::string* out) const;

  const icu::Normalizer2* nfkc_;  // owned by ICU, lives for the process
};

// The normalised form of a short string (a gazetteer name, a lexicon surface), so that
// names written with typographic quotes or ligatures match the normalised text.
std::string NormaliseForMatching(std::string_view text);

}  // namespace factwire

#endif  // FACTWIRE_NORMALISE_NORMALISER_H_
