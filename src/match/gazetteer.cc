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

uint64_t WordFilter::Hash(std::string_view word) {
  uint64_t h = 0xcbf29ce484222325u;  // FNV-1a over the ASCII-folded bytes, then mixed
  for (char c : word) {
    h ^= static_cast<unsigned char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    h *= 0x100000001b3u;
  }
  h ^= h >> 29;
  h *= 0xbf58476d1ce4e5b9u;
  return h ^ (h >> 32);
}

void WordFilter::Add(std::string_view word) {
  hashes_.push_back(Hash(word));
  if (bits_.size() * 64 >= hashes_.size() * 16) {
    Set(hashes_.back());
    Set(hashes_.back() >> 32);
    return;
  }
  bits_.assign(std::max<size_t>(8, bits_.size() * 2), 0);
  while (bits_.size() * 64 < hashes_.size() * 16) bits_.resize(bits_.size() * 2);
  for (uint64_t h : hashes_) {
    Set(h);
    Set(h >> 32);
  }
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

void Gazetteer::Reserve(size_t entries) {
  by_first_token_.reserve(by_first_token_.size() + entries);
  by_upper_first_token_.reserve(by_upper_first_token_.size() + entries);
}

void Gazetteer::Add(std::string_view name, std::string key, Guard guard, const Rule* rule) {
  GazetteerEntry entry{{}, std::move(key), guard, rule};
  const std::string surface = NormaliseForMatching(name);
  for (const Token& token : Tokenise(surface))
    entry.tokens.push_back(surface.substr(token.begin, token.end - token.begin));
  if (entry.tokens.empty()) return;
  first_tokens_.Add(entry.tokens[0]);
  const auto index = static_cast<uint32_t>(entries_.size());
  by_first_token_[entry.tokens[0]].push_back(index);
  std::string upper = entry.tokens[0];
  for (char& c : upper)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  if (upper != entry.tokens[0]) by_upper_first_token_[upper].push_back(index);
  entries_.push_back(std::move(entry));
}

}  // namespace factwire
