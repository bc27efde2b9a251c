// UTF-8 helpers shared by the stages: validation with repair, and conversion between
// byte offsets and code point offsets.
//
// Offsets in factwire's output are code points of the original text. Inside the
// pipeline everything works on UTF-8 bytes (what RE2 and ICU's UTF-8 APIs use), and a
// byte offset becomes a code point offset only when a fact is emitted.
#ifndef FACTWIRE_BASE_UTF8_H_
#define FACTWIRE_BASE_UTF8_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace factwire {

// Walks UTF-8 one code point at a time. An invalid sequence decodes as a negative value
// and is stepped over as ICU's U8_NEXT defines it.
class Utf8Cursor {
 public:
  explicit Utf8Cursor(std::string_view text, size_t offset = 0) : text_(text), offset_(offset) {}
  bool done() const { return offset_ >= text_.size(); }
  size_t offset() const { return offset_; }
  // Decodes the code point at offset() and moves past it; inline for ASCII, which is
  // most of the bytes of most articles.
  int32_t Next() {
    const auto byte = static_cast<unsigned char>(text_[offset_]);
    if (byte < 0x80) {
      ++offset_;
      return byte;
    }
    return NextMultiByte();
  }
  // The code point at offset(), without moving.
  int32_t Peek() const { return Utf8Cursor(*this).Next(); }

 private:
  int32_t NextMultiByte();
  std::string_view text_;
  size_t offset_;
};

struct Utf8Repair {
  std::string text;         // the input with every invalid sequence replaced by U+FFFD
  size_t invalid_count = 0; // how many sequences were replaced
  size_t first_invalid_byte = 0;  // byte offset in the input of the first one
};

// True when `text` is well-formed UTF-8 (no surrogates, no overlongs).
bool IsValidUtf8(std::string_view text);

// Replaces each maximal invalid subsequence (as ICU's U8_NEXT defines it) by U+FFFD.
Utf8Repair RepairUtf8(std::string_view text);

// `text` with ASCII A-Z made a-z; other bytes (all of UTF-8's multi-byte ones) as they are.
std::string AsciiLower(std::string_view text);

// A line's tab-separated fields, empty ones kept ("a\t\tb": three fields).
std::vector<std::string> SplitTabs(std::string_view line);
// The non-empty comma-separated parts of `text` ("a,,b": two parts).
std::vector<std::string> SplitCommas(std::string_view text);

// Number of code points in `text`, which must be valid UTF-8.
size_t CountCodePoints(std::string_view text);

// Converts increasing byte offsets of one valid UTF-8 text to code point offsets in a
// single forward pass: call with non-decreasing offsets.
class CodePointCursor {
 public:
  explicit CodePointCursor(std::string_view text) : text_(text) {}
  size_t ToCodePoint(size_t byte_offset);

 private:
  std::string_view text_;
  size_t byte_ = 0;
  size_t code_points_ = 0;
};

}  // namespace factwire

#endif  // FACTWIRE_BASE_UTF8_H_
