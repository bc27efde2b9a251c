#include <re2/re2.h>
#include <unicode/locid.h>

#include <algorithm>
#include <cctype>
#include <fstream>

#include "match/matcher.h"
#include "normalise/normaliser.h"

namespace factwire {
namespace {

std::string FoldAscii(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

std::vector<std::string> SplitTabs(const std::string& line) {
  std::vector<std::string> fields;
  size_t start = 0;
  for (size_t tab; (tab = line.find('\t', start)) != std::string::npos; start = tab + 1)
    fields.push_back(line.substr(start, tab - start));
  fields.push_back(line.substr(start));
  return fields;
}

std::vector<std::string> SplitCommas(const std::string& s) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (start <= s.size()) {
    size_t comma = s.find(',', start);
    if (comma == std::string::npos) comma = s.size();
    if (comma > start) parts.push_back(s.substr(start, comma - start));
    start = comma + 1;
  }
  return parts;
}

// ISO 3166-1 alpha-2 codes with their English names from ICU's CLDR data.
void AddIcuCountryNames(Lexicon* lexicon) {
  for (const char* const* code = icu::Locale::getISOCountries(); *code != nullptr; ++code) {
    icu::UnicodeString name;
    icu::Locale("", *code).getDisplayCountry(icu::Locale::getEnglish(), name);
    std::string utf8;
    name.toUTF8String(utf8);
    lexicon->Add({*code, utf8, {}});
  }
}

}  // namespace

Status Lexicon::AddSource(const std::string& source, const std::string& rules_dir) {
  if (source == "icu:country-names") {
    AddIcuCountryNames(this);
    return {};
  }
  if (source == "icu:country-names-by-name") {  // the same, keyed by name: for macros
    Lexicon by_code;
    AddIcuCountryNames(&by_code);
    for (const auto& entry : by_code.entries()) Add({entry.value, entry.surface, {}});
    return {};
  }
  if (source.rfind("icu:", 0) == 0) return Status::RuleError("unknown ICU source '" + source + "'");
  const std::string path = rules_dir + "/" + source;
  std::ifstream in(path);
  if (!in) return Status::RuleError("cannot open lexicon '" + source + "'");
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> fields = SplitTabs(line);
    if (fields[0].empty() || fields.size() > 3)
      return Status::RuleError(source + ":" + std::to_string(number) +
                               ": expected 'surface<TAB>value<TAB>tags', got '" + line + "'");
    LexiconEntry entry{fields[0], fields.size() > 1 ? fields[1] : "", {}};
    if (fields.size() > 2) entry.tags = SplitCommas(fields[2]);
    Add(std::move(entry));
  }
  return {};
}

void Lexicon::Add(LexiconEntry entry) {
  entry.surface = NormaliseForMatching(entry.surface);
  auto it = by_surface_.find(entry.surface);
  if (it != by_surface_.end()) {
    entries_[it->second] = std::move(entry);
    return;
  }
  const size_t index = entries_.size();
  by_surface_.emplace(entry.surface, index);
  by_folded_surface_.emplace(FoldAscii(entry.surface), index);  // first one wins
  entries_.push_back(std::move(entry));
}

const LexiconEntry* Lexicon::Find(std::string_view surface) const {
  if (auto it = by_surface_.find(surface); it != by_surface_.end()) return &entries_[it->second];
  if (auto it = by_folded_surface_.find(FoldAscii(surface)); it != by_folded_surface_.end())
    return &entries_[it->second];
  return nullptr;
}

std::string Lexicon::Alternation(std::string_view tag, bool ends_word, bool starts_word) const {
  std::vector<std::string_view> surfaces;
  for (const auto& entry : entries_)
    if (tag.empty() || std::find(entry.tags.begin(), entry.tags.end(), tag) != entry.tags.end())
      surfaces.push_back(entry.surface);
  // Longest first: RE2 alternation is leftmost-first, and "US$" must beat "$".
  std::stable_sort(surfaces.begin(), surfaces.end(),
                   [](std::string_view a, std::string_view b) { return a.size() > b.size(); });
  std::string out = "(?:";
  for (size_t i = 0; i < surfaces.size(); ++i) {
    if (i > 0) out += '|';
    // Words end (and start) at word boundaries: "euro" is not in "Europe", "m" is not
    // in "metres", "some" is not in "handsome".
    if (starts_word && std::isalnum(static_cast<unsigned char>(surfaces[i].front()))) out += "\\b";
    out += RE2::QuoteMeta(surfaces[i]);
    if (ends_word && std::isalnum(static_cast<unsigned char>(surfaces[i].back()))) out += "\\b";
  }
  return out + ")";
}

}  // namespace factwire
