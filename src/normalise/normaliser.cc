#include "normalise/normaliser.h"

#include <unicode/bytestream.h>
#include <unicode/normalizer2.h>
#include <unicode/utf8.h>

#include "base/utf8.h"

namespace factwire {
namespace {

// What a typographic character becomes; 0 keeps it, kDrop removes it.
constexpr UChar32 kDrop = -1;
UChar32 PunctuationReplacement(UChar32 c) {
  switch (c) {
    case 0x00A0: case 0x1680: case 0x2000: case 0x2001: case 0x2002: case 0x2003:
    case 0x2004: case 0x2005: case 0x2006: case 0x2007: case 0x2008: case 0x2009:
    case 0x200A: case 0x202F: case 0x205F: case 0x3000:
      return ' ';
    case 0x2018: case 0x2019: case 0x201A: case 0x201B: case 0x2032: case 0x02BC:
      return '\'';
    case 0x201C: case 0x201D: case 0x201E: case 0x201F: case 0x2033: case 0x00AB:
    case 0x00BB:
      return '"';
    case 0x2010: case 0x2011: case 0x2012: case 0x2013: case 0x2014: case 0x2015:
    case 0x2212: case 0xFE58: case 0xFE63: case 0xFF0D:
      return '-';
    case 0x00AD: case 0x200B: case 0xFEFF: case 0x2060:
      return kDrop;
    default:
      return 0;
  }
}

bool IsAscii(std::string_view s) {
  for (char c : s)
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  return true;
}

void AppendCodePoint(UChar32 c, std::string* out) {
  char buffer[4];
  int32_t length = 0;
  U8_APPEND_UNSAFE(buffer, length, c);  // replacements are ASCII; 4 bytes always suffice
  out->append(buffer, static_cast<size_t>(length));
}

}  // namespace

void OffsetMap::ResetIdentity() {
  identity_ = true;
  origin_.clear();
}

void OffsetMap::Append(uint32_t original_offset, size_t normalised_bytes) {
  origin_.insert(origin_.end(), normalised_bytes, original_offset);
}

size_t OffsetMap::ToOriginalEnd(size_t end) const {
  if (identity_ || end == 0) return identity_ ? end : origin_[0];
  const uint32_t last = origin_[end - 1];
  size_t b = end;
  while (origin_[b] == last) ++b;  // the final entry differs from every segment start
  return origin_[b];
}

Result<Normaliser> Normaliser::Create() {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfkc = icu::Normalizer2::getNFKCInstance(status);
  if (U_FAILURE(status)) return Status::IoError(std::string("ICU NFKC data: ") + u_errorName(status));
  return Normaliser(nfkc);
}

void Normaliser::NormaliseSegment(std::string_view segment, std::string* out) const {
  std::string folded;
  UErrorCode status = U_ZERO_ERROR;
  const icu::StringPiece piece(segment.data(), static_cast<int32_t>(segment.size()));
  if (!nfkc_->isNormalizedUTF8(piece, status) && U_SUCCESS(status)) {
    icu::StringByteSink<std::string> sink(&folded);
    nfkc_->normalizeUTF8(0, piece, sink, nullptr, status);
    if (U_SUCCESS(status)) segment = folded;
  }
  for (Utf8Cursor cursor(segment); !cursor.done();) {
    const size_t start = cursor.offset();
    const UChar32 replacement = PunctuationReplacement(cursor.Next());
    if (replacement == kDrop) continue;
    if (replacement != 0) {
      AppendCodePoint(replacement, out);
    } else {
      out->append(segment.substr(start, cursor.offset() - start));
    }
  }
}

void Normaliser::Normalise(std::string_view input, Document* doc) const {
  doc->input_ = input;
  doc->repaired_ = false;
  doc->repaired_text_.clear();
  doc->warnings.clear();
  if (!IsValidUtf8(input)) {
    Utf8Repair repair = RepairUtf8(input);
    doc->warnings.push_back("invalid UTF-8: " + std::to_string(repair.invalid_count) +
                            " sequence(s) replaced by U+FFFD, the first at byte " +
                            std::to_string(repair.first_invalid_byte));
    doc->repaired_text_ = std::move(repair.text);
    doc->repaired_ = true;
  }
  const std::string_view original = doc->original();
  doc->text.clear();
  if (IsAscii(original)) {  // nothing to fold: the common case for English news
    doc->text.assign(original);
    doc->map.ResetIdentity();
    return;
  }
  doc->text.reserve(original.size());
  doc->map.Reset();
  for (Utf8Cursor cursor(original); !cursor.done();) {
    // A segment runs from one code point with a normalisation boundary before it to the
    // next; segments normalise independently, so each maps back as a unit.
    const size_t start = cursor.offset();
    cursor.Next();
    while (!cursor.done() && static_cast<uint8_t>(original[cursor.offset()]) >= 0x80 &&  // ASCII starts a segment
           !nfkc_->hasBoundaryBefore(cursor.Peek()))
      cursor.Next();
    const size_t before = doc->text.size();
    const std::string_view segment = original.substr(start, cursor.offset() - start);
    if (segment.size() == 1) {
      doc->text.push_back(segment[0]);
    } else {
      NormaliseSegment(segment, &doc->text);
    }
    doc->map.Append(static_cast<uint32_t>(start), doc->text.size() - before);
  }
  doc->map.Finish(static_cast<uint32_t>(original.size()));
}

std::string NormaliseForMatching(std::string_view text) {
  if (IsAscii(text)) return std::string(text);  // as Normalise leaves it, without a Document per word
  static const Result<Normaliser> normaliser = Normaliser::Create();
  if (!normaliser.ok()) return std::string(text);
  Document doc;
  normaliser.value().Normalise(text, &doc);
  return std::move(doc.text);
}

}  // namespace factwire
