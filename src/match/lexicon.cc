#include <re2/re2.h>
#include <unicode/dtfmtsym.h>
#include <unicode/locid.h>
#include <unicode/ucurr.h>
#include <unicode/unistr.h>
#include <unicode/uenum.h>
#include <unicode/ustring.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <functional>

#include "base/utf8.h"
#include "match/matcher.h"
#include "normalise/normaliser.h"

namespace factwire {
namespace {

bool IsAscii(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

bool HasAsciiUpper(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

// Looks `key` up folded; most keys are lower case already, and are their own folded form.
template <typename Map>
auto FindFolded(const Map& map, std::string_view key) {
  return HasAsciiUpper(key) ? map.find(AsciiLower(key)) : map.find(key);
}

std::string ToUtf8(const icu::UnicodeString& s) {
  std::string out;
  s.toUTF8String(out);
  return out;
}

// ISO 3166-1 alpha-2 codes with their names in `display` from ICU's CLDR data.
void AddIcuCountryNames(const icu::Locale& display, Lexicon* lexicon) {
  for (const char* const* code = icu::Locale::getISOCountries(); *code != nullptr; ++code) {
    icu::UnicodeString name;
    icu::Locale("", *code).getDisplayCountry(display, name);
    lexicon->Add({*code, ToUtf8(name), {}});
  }
}

// Currencies in use, by ISO code, long name, plural names ("euros", "dollari
// statunitensi") and symbol in `display`. Codes and symbols may stand before or after the
// number; names after it. Names are lower-cased as well: CLDR capitalises some
// ("Euro") that running text writes in lower case and vice versa.
Status AddIcuCurrencies(const icu::Locale& display, Lexicon* lexicon) {
  UErrorCode status = U_ZERO_ERROR;
  UEnumeration* codes = ucurr_openISOCurrencies(UCURR_COMMON | UCURR_NON_DEPRECATED, &status);
  if (U_FAILURE(status)) return Status::RuleError(std::string("ICU has no currency list: ") + u_errorName(status));
  const char* locale = display.getName();
  while (const char* code = uenum_next(codes, nullptr, &status)) {
    if (U_FAILURE(status)) break;
    UChar iso[4];
    u_charsToUChars(code, iso, 4);
    auto add = [&](const UChar* text, int32_t length, std::vector<std::string> tags) {
      if (!text || length <= 0) return;
      const std::string surface = ToUtf8(icu::UnicodeString(text, length));
      if (surface == code) return;
      lexicon->Add({surface, code, tags});
      icu::UnicodeString lower(text, length);
      lower.toLower(display);
      if (const std::string folded = ToUtf8(lower); folded != surface) lexicon->Add({folded, code, tags});
    };
    lexicon->Add({code, code, {"before", "after"}});
    UBool is_choice = false;
    int32_t length = 0;
    UErrorCode name_status = U_ZERO_ERROR;
    const UChar* name = ucurr_getName(iso, locale, UCURR_LONG_NAME, &is_choice, &length, &name_status);
    if (U_SUCCESS(name_status)) add(name, length, {"after", "name"});
    for (const char* count : {"one", "other", "many"}) {
      name_status = U_ZERO_ERROR;
      const UChar* plural = ucurr_getPluralName(iso, locale, &is_choice, count, &length, &name_status);
      if (U_SUCCESS(name_status)) add(plural, length, {"after", "name"});
    }
    name_status = U_ZERO_ERROR;
    const UChar* symbol = ucurr_getName(iso, locale, UCURR_SYMBOL_NAME, &is_choice, &length, &name_status);
    if (U_SUCCESS(name_status)) add(symbol, length, {"before", "after"});
  }
  uenum_close(codes);
  return {};
}

// Month names (value "1".."12") or weekday names (ISO: Monday "1" .. Sunday "7", tagged
// full) in `display`, in their formatting and stand-alone forms; abbreviated forms only
// when asked, since some are words ("mar" is the sea in Spanish).
Status AddIcuCalendarNames(const icu::Locale& display, bool weekdays, bool abbreviated, Lexicon* lexicon) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::DateFormatSymbols symbols(display, status);
  if (U_FAILURE(status)) return Status::RuleError(std::string("ICU has no calendar names: ") + u_errorName(status));
  const auto width = abbreviated ? icu::DateFormatSymbols::ABBREVIATED : icu::DateFormatSymbols::WIDE;
  for (const auto context : {icu::DateFormatSymbols::FORMAT, icu::DateFormatSymbols::STANDALONE}) {
    int32_t count = 0;
    const icu::UnicodeString* names =
        weekdays ? symbols.getWeekdays(count, context, width) : symbols.getMonths(count, context, width);
    for (int32_t i = 0; i < count; ++i) {
      if (names[i].isEmpty()) continue;  // getWeekdays leaves index 0 empty
      // ICU counts weekdays from Sunday (1); ISO from Monday.
      const int value = weekdays ? (i == 1 ? 7 : i - 1) : i + 1;
      const std::vector<std::string> tags = weekdays && !abbreviated ? std::vector<std::string>{"full"} : std::vector<std::string>{};
      lexicon->Add({ToUtf8(names[i]), std::to_string(value), tags});
    }
  }
  return {};
}

// "icu:<list>" or "icu:<list>:<lang>"; the language defaults to English.
Status AddIcuSource(std::string_view source, Lexicon* lexicon) {
  std::string_view list = source.substr(4);
  std::string lang = "en";
  if (const size_t colon = list.find(':'); colon != std::string_view::npos) {
    lang = std::string(list.substr(colon + 1));
    list = list.substr(0, colon);
  }
  const icu::Locale display(lang.c_str());
  if (display.isBogus() || lang.empty()) return Status::RuleError("bad ICU language '" + lang + "'");
  if (list == "country-names") {
    AddIcuCountryNames(display, lexicon);
    return {};
  }
  if (list == "country-names-by-name") {  // the same, keyed by name: for macros
    Lexicon by_code;
    AddIcuCountryNames(display, &by_code);
    for (const auto& entry : by_code.entries()) lexicon->Add({entry.value, entry.surface, {}});
    return {};
  }
  if (list == "currencies") return AddIcuCurrencies(display, lexicon);
  if (list == "months") return AddIcuCalendarNames(display, false, false, lexicon);
  if (list == "months-abbreviated") return AddIcuCalendarNames(display, false, true, lexicon);
  if (list == "weekdays") return AddIcuCalendarNames(display, true, false, lexicon);
  return Status::RuleError("unknown ICU source '" + std::string(source) +
                           "' (known: country-names, country-names-by-name, currencies, months, "
                           "months-abbreviated, weekdays; each may end in :<lang>)");
}

}  // namespace

Result<std::string> ReadRuleFile(const std::string& dir, const std::string& relative) {
  const std::string path = dir + "/" + relative;
  std::error_code error;
  const auto status = std::filesystem::status(path, error);
  if (error || !std::filesystem::exists(status)) return Status::RuleError(relative + ": no such file");
  if (!std::filesystem::is_regular_file(status)) return Status::RuleError(relative + ": not a regular file");
  const auto size = std::filesystem::file_size(path, error);
  if (error) return Status::RuleError(relative + ": cannot read: " + error.message());
  if (size > kMaxRuleFileBytes)
    return Status::RuleError(relative + ": " + std::to_string(size) + " bytes, over the limit of " +
                             std::to_string(kMaxRuleFileBytes) + " for a rule file (kMaxRuleFileBytes)");
  std::ifstream in(path, std::ios::binary);
  std::string bytes(size, '\0');
  if (!in.read(bytes.data(), static_cast<std::streamsize>(size))) return Status::RuleError(relative + ": cannot read");
  if (!IsValidUtf8(bytes)) {
    const size_t bad = RepairUtf8(bytes).first_invalid_byte;
    const size_t line = 1 + static_cast<size_t>(std::count(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(bad), '\n'));
    return Status::RuleError(relative + ":" + std::to_string(line) + ": invalid UTF-8 at byte " + std::to_string(bad));
  }
  return bytes;
}

namespace {

// Calls line(text, number) for each line of the rule file `source` that is neither blank
// nor a '#' comment (a '\r' before the line break dropped), stopping at the first failure.
Status ForEachDataLine(const std::string& source, const std::string& rules_dir,
                       const std::function<Status(std::string_view text, int number)>& line) {
  Result<std::string> bytes = ReadRuleFile(rules_dir, source);
  if (!bytes.ok()) return bytes.status();
  std::string_view rest = bytes.value();
  for (int number = 1; !rest.empty(); ++number) {
    const size_t newline = rest.find('\n');
    std::string_view text = rest.substr(0, newline);
    rest.remove_prefix(newline == std::string_view::npos ? rest.size() : newline + 1);
    if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
    if (text.empty() || text[0] == '#') continue;
    if (Status s = line(text, number); !s.ok()) return s;
  }
  return {};
}

// Calls add(entry) for each "surface<TAB>value<TAB>tags" line of the TSV file `source`,
// stopping at the first bad line or failed add.
Status ForEachLexiconLine(const std::string& source, const std::string& rules_dir,
                          const std::function<Status(LexiconEntry, int line)>& add) {
  return ForEachDataLine(source, rules_dir, [&](std::string_view line, int number) -> Status {
    std::vector<std::string> fields = SplitTabs(line);
    if (fields[0].empty() || fields.size() > 3)
      return Status::RuleError(source + ":" + std::to_string(number) +
                               ": expected 'surface<TAB>value<TAB>tags', got '" + std::string(line) + "'");
    LexiconEntry entry{fields[0], fields.size() > 1 ? fields[1] : "", {}};
    if (fields.size() > 2) entry.tags = SplitCommas(fields[2]);
    return add(std::move(entry), number);
  });
}

}  // namespace

Status Lexicon::AddSource(const std::string& source, const std::string& rules_dir) {
  if (source.rfind("icu:", 0) == 0) return AddIcuSource(source, this);
  return ForEachLexiconLine(source, rules_dir, [&](LexiconEntry entry, int line) -> Status {
    Add(std::move(entry));
    if (too_many_tags_)
      return Status::RuleError(source + ":" + std::to_string(line) + ": more than " + std::to_string(kMaxTags) +
                               " distinct tags in one lexicon");
    return {};
  });
}

Result<std::vector<LexiconEntry>> Lexicon::ReadEntries(const std::string& source, const std::string& rules_dir) {
  if (source.rfind("icu:", 0) == 0) {  // a few hundred entries at most: the whole lexicon
    Lexicon lexicon;
    if (Status s = lexicon.AddSource(source, rules_dir); !s.ok()) return s;
    return std::move(lexicon.entries_);
  }
  std::vector<LexiconEntry> entries;
  StringMap<size_t> by_surface;
  Status read = ForEachLexiconLine(source, rules_dir, [&](LexiconEntry entry, int) -> Status {
    entry.surface = NormaliseForMatching(entry.surface);
    auto [it, added] = by_surface.emplace(entry.surface, entries.size());
    if (added) entries.push_back(std::move(entry));
    else entries[it->second] = std::move(entry);
    return {};
  });
  if (!read.ok()) return read;
  return entries;
}

Status WordSet::AddSource(const std::string& source, const std::string& rules_dir) {
  Status read = ForEachDataLine(source, rules_dir, [&](std::string_view line, int number) -> Status {
    if (line.find_first_of(" \t") != std::string_view::npos)
      return Status::RuleError(source + ":" + std::to_string(number) + ": expected one word, got '" + std::string(line) + "'");
    words_.push_back(AsciiLower(IsAscii(line) ? std::string(line) : NormaliseForMatching(line)));
    return {};
  });
  if (!read.ok()) return read;
  // Generated lists come sorted; sorting again costs more than checking.
  if (!std::is_sorted(words_.begin(), words_.end())) std::sort(words_.begin(), words_.end());
  words_.erase(std::unique(words_.begin(), words_.end()), words_.end());
  for (const std::string& word : words_) filter_.Add(word);
  return {};
}

bool WordSet::Contains(std::string_view word) const {
  if (!filter_.MayContain(word)) return false;
  if (HasAsciiUpper(word)) return std::binary_search(words_.begin(), words_.end(), AsciiLower(word));
  return std::binary_search(words_.begin(), words_.end(), word, std::less<>());
}

uint64_t Lexicon::TagBit(std::string_view tag) const {
  const auto it = std::find(tag_names_.begin(), tag_names_.end(), tag);
  return it == tag_names_.end() ? 0 : uint64_t{1} << static_cast<size_t>(it - tag_names_.begin());
}

void Lexicon::Add(LexiconEntry entry) {
  entry.surface = NormaliseForMatching(entry.surface);
  entry.tag_bits = 0;
  for (const std::string& tag : entry.tags) {
    if (!TagBit(tag)) {
      if (tag_names_.size() == kMaxTags) {
        too_many_tags_ = true;
        continue;
      }
      tag_names_.push_back(tag);
    }
    entry.tag_bits |= TagBit(tag);
  }
  auto it = by_surface_.find(entry.surface);
  if (it != by_surface_.end()) {
    entries_[it->second] = std::move(entry);
    return;
  }
  const size_t index = entries_.size();
  has_stems_ |= entry.surface.ends_with('*');
  by_surface_.emplace(entry.surface, index);
  surfaces_.Add(entry.surface);
  const std::string folded = AsciiLower(entry.surface);
  by_folded_surface_.emplace(folded, index);  // first one wins
  if (const std::vector<Token> tokens = Tokenise(folded); !tokens.empty()) {
    const std::string_view first = std::string_view(folded).substr(tokens[0].begin, tokens[0].end - tokens[0].begin);
    first_tokens_.Add(first);
    size_t& most = folded_first_tokens_[std::string(first)];
    most = std::max(most, tokens.size());
  }
  entries_.push_back(std::move(entry));
}

size_t Lexicon::LongestEntryStartingWith(std::string_view token) const {
  if (!first_tokens_.MayContain(token)) return 0;
  auto it = FindFolded(folded_first_tokens_, token);
  return it == folded_first_tokens_.end() ? 0 : it->second;
}

const LexiconEntry* Lexicon::Find(std::string_view surface) const {
  if (!surfaces_.MayContain(surface)) return nullptr;
  if (auto it = by_surface_.find(surface); it != by_surface_.end()) return &entries_[it->second];
  if (auto it = FindFolded(by_folded_surface_, surface); it != by_folded_surface_.end())
    return &entries_[it->second];
  return nullptr;
}

const LexiconEntry* Lexicon::FindStem(std::string_view word) const {
  if (!has_stems_ || word.size() < 4) return nullptr;  // a stem of three bytes or more, and more after it
  std::string stem;
  for (size_t n = word.size() - 1; n >= 3; --n) {
    stem.assign(word.substr(0, n)).push_back('*');
    if (const LexiconEntry* entry = Find(stem)) return entry;
  }
  return nullptr;
}

namespace {

// ICU's (full) case folding: "Euro" and "EURO" fold alike. Where RE2's (?i), which folds
// one code point at a time, matches one surface as the start of another, their foldings
// start alike too.
std::string CaseFolded(std::string_view s) {
  std::string out;
  icu::UnicodeString::fromUTF8(icu::StringPiece(s.data(), static_cast<int32_t>(s.size()))).foldCase().toUTF8String(out);
  return out;
}

// The order of an alternation's surfaces. RE2 alternation is leftmost-first: of two
// surfaces that match at one place, one (as matched) starts the other, and the longer
// must come first ("pounds sterling" before "pounds"). Byte order in which a string comes
// after every string it starts gives that, as longest-first did, and it also puts
// surfaces with a common start next to each other, which RE2 factors into a trie: a
// program a fraction of the size, whose DFA states and captures cost less.
bool BeforeInAlternation(std::string_view a, std::string_view b) {
  const size_t common = std::min(a.size(), b.size());
  if (const int order = a.substr(0, common).compare(b.substr(0, common)); order != 0) return order < 0;
  return a.size() > b.size();
}

}  // namespace

std::string Lexicon::Alternation(std::string_view tag, bool ends_word, bool starts_word, bool ignore_case) const {
  struct Surface {
    std::string_view text;
    std::string order_key;  // under ignore_case, case-folded: "EUR" starts "euros"
  };
  std::vector<Surface> surfaces;
  for (const auto& entry : entries_)
    if (tag.empty() || std::find(entry.tags.begin(), entry.tags.end(), tag) != entry.tags.end())
      surfaces.push_back({entry.surface, ignore_case ? CaseFolded(entry.surface) : entry.surface});
  std::stable_sort(surfaces.begin(), surfaces.end(),
                   [](const Surface& a, const Surface& b) { return BeforeInAlternation(a.order_key, b.order_key); });
  std::string out = ignore_case ? "(?i:(?:" : "(?:";
  for (size_t i = 0; i < surfaces.size(); ++i) {
    const std::string_view surface = surfaces[i].text;
    if (i > 0) out += '|';
    // Words end (and start) at word boundaries: "euro" is not in "Europe", "m" is not
    // in "metres", "some" is not in "handsome".
    if (starts_word && std::isalnum(static_cast<unsigned char>(surface.front()))) out += "\\b";
    out += RE2::QuoteMeta(surface);
    if (ends_word && std::isalnum(static_cast<unsigned char>(surface.back()))) out += "\\b";
  }
  return out + (ignore_case ? "))" : ")");
}

}  // namespace factwire
