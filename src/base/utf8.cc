#include "base/utf8.h"

#include <unicode/utf8.h>

namespace factwire {

bool IsValidUtf8(std::string_view text) {
  const auto* s = reinterpret_cast<const uint8_t*>(text.data());
  const int32_t length = static_cast<int32_t>(text.size());
  int32_t i = 0;
  while (i < length) {
    if (s[i] < 0x80) {  // ASCII fast path
      ++i;
      continue;
    }
    UChar32 c;
    U8_NEXT(s, i, length, c);
    if (c < 0) return false;
  }
  return true;
}

Utf8Repair RepairUtf8(std::string_view text) {
  Utf8Repair out;
  out.text.reserve(text.size() + 16);
  const auto* s = reinterpret_cast<const uint8_t*>(text.data());
  const int32_t length = static_cast<int32_t>(text.size());
  int32_t i = 0;
  while (i < length) {
    const int32_t start = i;
    UChar32 c;
    U8_NEXT(s, i, length, c);
    if (c < 0) {
      if (out.invalid_count++ == 0) out.first_invalid_byte = static_cast<size_t>(start);
      out.text += "\xEF\xBF\xBD";
    } else {
      out.text.append(text.data() + start, static_cast<size_t>(i - start));
    }
  }
  return out;
}

size_t CountCodePoints(std::string_view text) {
  size_t count = 0;
  for (char ch : text) count += (static_cast<uint8_t>(ch) & 0xC0) != 0x80;
  return count;
}

size_t CodePointCursor::ToCodePoint(size_t byte_offset) {
  if (byte_offset < byte_) {  // not monotonic: restart rather than give a wrong answer
    byte_ = 0;
    code_points_ = 0;
  }
  code_points_ += CountCodePoints(text_.substr(byte_, byte_offset - byte_));
  byte_ = byte_offset;
  return code_points_;
}

}  // namespace factwire
