#include "base/utf8.h"

#include <unicode/utf8.h>

namespace factwire {

int32_t Utf8Cursor::NextMultiByte() {
  const auto* s = reinterpret_cast<const uint8_t*>(text_.data());
  auto i = static_cast<int32_t>(offset_);
  UChar32 c;
  U8_NEXT(s, i, static_cast<int32_t>(text_.size()), c);
  offset_ = static_cast<size_t>(i);
  return c;
}

bool IsValidUtf8(std::string_view text) {
  for (Utf8Cursor cursor(text); !cursor.done();)
    if (cursor.Next() < 0) return false;
  return true;
}

Utf8Repair RepairUtf8(std::string_view text) {
  Utf8Repair out;
  out.text.reserve(text.size() + 16);
  for (Utf8Cursor cursor(text); !cursor.done();) {
    const size_t start = cursor.offset();
    if (cursor.Next() < 0) {
      if (out.invalid_count++ == 0) out.first_invalid_byte = start;
      out.text += "\xEF\xBF\xBD";
    } else {
      out.text.append(text.substr(start, cursor.offset() - start));
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

std::vector<std::string> SplitTabs(std::string_view line) {
  std::vector<std::string> fields;
  size_t start = 0;
  for (size_t tab; (tab = line.find('\t', start)) != std::string_view::npos; start = tab + 1)
    fields.emplace_back(line.substr(start, tab - start));
  fields.emplace_back(line.substr(start));
  return fields;
}

std::vector<std::string> SplitCommas(std::string_view text) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (start <= text.size()) {
    size_t comma = text.find(',', start);
    if (comma == std::string_view::npos) comma = text.size();
    if (comma > start) parts.emplace_back(text.substr(start, comma - start));
    start = comma + 1;
  }
  return parts;
}

std::string AsciiLower(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

}  // namespace factwire
