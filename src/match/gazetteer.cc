#include <unicode/uchar.h>

#include "base/utf8.h"
#include "match/matcher.h"
#include "normalise/normaliser.h"

namespace factwire {
namespace {

bool IsWordCodePoint(UChar32 c) {
  if (c < 0x80) return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  return u_isalnum(c) || (U_GET_GC_MASK(c) & U_GC_M_MASK) != 0;
}

}  // namespace

bool IsAllCaps(std::string_view token) {
  if (token.size() < 2) return false;
  for (char c : token)
    if (c < 'A' || c > 'Z') return false;
  return true;
}

bool EqualsIgnoringCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i];
    char y = b[i];
    if (x >= 'a' && x <= 'z') x = static_cast<char>(x - 'a' + 'A');
    if (y >= 'a' && y <= 'z') y = static_cast<char>(y - 'a' + 'A');
    if (x != y) return false;
  }
  return true;
}

std::vector<Token> Tokenise(std::string_view text) {
  std::vector<Token> tokens;
  tokens.reserve(text.size() / 5);
  for (Utf8Cursor cursor(text); !cursor.done();) {
    const auto start = static_cast<uint32_t>(cursor.offset());
    const UChar32 c = cursor.Next();
    if (c < 0x80 ? c == ' ' || (c >= '\t' && c <= '\r') : u_isUWhiteSpace(c)) continue;
    if (IsWordCodePoint(c))
      while (!cursor.done() && IsWordCodePoint(cursor.Peek())) cursor.Next();
    tokens.push_back({start, static_cast<uint32_t>(cursor.offset())});
  }
  return tokens;
}

void Gazetteer::Add(std::string_view name, std::string key, Guard guard, const Rule* rule) {
  GazetteerEntry entry{{}, std::move(key), guard, rule};
  const std::string surface = NormaliseForMatching(name);
  for (const Token& token : Tokenise(surface))
    entry.tokens.push_back(surface.substr(token.begin, token.end - token.begin));
  if (entry.tokens.empty()) return;
  const auto index = static_cast<uint32_t>(entries_.size());
  by_first_token_[entry.tokens[0]].push_back(index);
  std::string upper = entry.tokens[0];
  for (char& c : upper)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  if (upper != entry.tokens[0]) by_upper_first_token_[upper].push_back(index);
  entries_.push_back(std::move(entry));
}

}  // namespace factwire
