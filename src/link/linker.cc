// Mention linking: names an article has introduced are found again elsewhere in it.
#include "link/linker.h"

#include <algorithm>
#include <bitset>
#include <cctype>
#include <map>
#include <unordered_map>

namespace factwire {
namespace {

// `mentions` are sorted and disjoint, so only the last one starting before `end` can
// reach into [begin, end).
bool Overlaps(const std::vector<Mention>& mentions, uint32_t begin, uint32_t end) {
  auto after = std::lower_bound(mentions.begin(), mentions.end(), end,
                                [](const Mention& m, uint32_t e) { return m.begin < e; });
  return after != mentions.begin() && (after - 1)->end > begin;
}

std::string_view TextOf(std::string_view text, const Mention& m) { return text.substr(m.begin, m.end - m.begin); }

// Adds `found` (sorted, overlapping none of them) to the sorted `mentions`, in order: a
// merge, as both are sorted, moves each mention once.
void MergeByPosition(std::vector<Mention> found, std::vector<Mention>* mentions) {
  const auto old_size = static_cast<std::ptrdiff_t>(mentions->size());
  mentions->insert(mentions->end(), std::make_move_iterator(found.begin()), std::make_move_iterator(found.end()));
  std::inplace_merge(mentions->begin(), mentions->begin() + old_size, mentions->end(),
                     [](const Mention& a, const Mention& b) { return a.begin < b.begin; });
}

// The rule id of a mention linked to `m` ("site/de/same-name"): in the language of the
// rules that found `m`, else the article's.
std::string LinkRule(const Mention& m, std::string_view lang, std::string_view name) {
  return m.type + "/" + (m.file ? m.file->lang : std::string(lang)) + "/" + std::string(name);
}

// The acronym in brackets right after a mention ("... Centre (JSC)"), or empty.
std::string_view AcronymAfter(std::string_view text, const Mention& m) {
  const std::string_view after = text.substr(m.end);
  if (!after.starts_with(" (")) return {};
  const size_t close = after.find(')');
  if (close == std::string_view::npos) return {};
  const std::string_view acronym = after.substr(2, close - 2);
  const bool plausible = acronym.size() >= 2 && acronym.size() <= 10 &&
                         std::isupper(static_cast<unsigned char>(acronym[0])) && acronym.find(' ') == std::string_view::npos;
  return plausible ? acronym : std::string_view{};
}

// The surname of a full name: what follows the first name ("Ursula von der Leyen" ->
// "von der Leyen", "Dana Whitfield" -> "Whitfield"); empty for a single word.
std::string_view SurnameOf(std::string_view name) {
  const size_t space = name.find(' ');
  if (space == std::string_view::npos) return {};
  std::string_view rest = name.substr(space + 1);
  // A middle name is not a surname on its own: "Mary Ann Smith" -> "Smith"
  const size_t last = rest.rfind(' ');
  if (last != std::string_view::npos && std::isupper(static_cast<unsigned char>(rest[0])) &&
      rest.find(' ') == last)
    rest = rest.substr(last + 1);
  return rest;
}

// What a name found again stands for: the (type, value, rule) of the mention it links to.
struct Linked {
  std::string type;
  Value value;
  std::string rule;
};
// Surface -> what it links to; the first surface claimed keeps it.
using Names = std::map<std::string, Linked, std::less<>>;

// Gives `surface` to `linked` unless an earlier mention claimed it (looked up first: most
// names recur, and a map node is not built for nothing).
void Claim(std::string_view surface, const Linked& linked, Names* names) {
  if (names->find(surface) == names->end()) names->emplace(std::string(surface), linked);
}

// A site mentioned once with evidence ("Aurelia, a planned exascale supercomputer") is
// the same site wherever its name recurs, before or after, and so is the acronym defined
// after it ("the JUPITER AI Factory (JAIF)").
void AddSiteNames(std::string_view text, const Mention& m, std::string_view lang, Names* names) {
  const Linked linked{"site", m.value, LinkRule(m, lang, "same-name")};
  Claim(TextOf(text, m), linked, names);
  if (const std::string_view acronym = AcronymAfter(text, m); !acronym.empty()) Claim(acronym, linked, names);
}

// An org's same name, an acronym defined after it ("Jülich Supercomputing Centre (JSC)"),
// its distinctive first word when the rest is generic ("Calder" for "Calder
// Microdevices"), the name without its legal form ("Alpstein Data" for "Alpstein Data
// AG") and its head word ("the Facility"), as the org file's lexicons say.
void AddOrgNames(std::string_view text, const Mention& m, std::string_view lang, Names* names) {
  const Linked linked{"org", m.value, LinkRule(m, lang, "same-org")};
  const std::string_view name = TextOf(text, m);
  Claim(name, linked, names);
  if (const std::string_view acronym = AcronymAfter(text, m); !acronym.empty()) Claim(acronym, linked, names);
  const std::vector<Token> words = Tokenise(name);
  if (words.size() < 2 || !m.file) return;
  const std::string_view first_word = name.substr(0, name.find(' '));  // "Helvetia-Nord"
  auto generic = m.file->lexicons.find("generic_word");
  bool rest_generic = generic != m.file->lexicons.end();
  for (size_t k = 1; k < words.size() && rest_generic; ++k) {
    if (words[k].begin < first_word.size()) continue;  // within the first word ("Helvetia-Nord")
    rest_generic = generic->second.Find(name.substr(words[k].begin, words[k].end - words[k].begin)) != nullptr;
  }
  if (rest_generic) Claim(first_word, linked, names);
  if (words.size() < 3) return;
  // the legal form is what follows the last space: "Vesterhav Power A/S", "Noordkust Gas
  // B.V.", "Corvell Stores Inc." (the lexicon spells abbreviations without their point)
  const size_t last_space = name.rfind(' ');
  const std::string_view without_form = name.substr(0, last_space);
  std::string_view form = name.substr(last_space + 1);
  auto suffix = m.file->lexicons.find("suffix");
  const bool is_form = suffix != m.file->lexicons.end() &&
                       (suffix->second.Find(form) || (form.ends_with('.') && suffix->second.Find(form.substr(0, form.size() - 1))));
  if (without_form.find(' ') != std::string_view::npos && is_form) Claim(without_form, linked, names);
  const std::string_view last_word = name.substr(words.back().begin);
  auto head = m.file->lexicons.find("head");
  if (head != m.file->lexicons.end() && head->second.Find(last_word)) {
    Claim(last_word, linked, names);
    Claim(std::string(first_word) + " " + std::string(last_word), linked, names);
  }
}

// The full name again (a headline), and later "Whitfield" or sentence-initial "Von der
// Leyen": the person, with no role unless that mention gives one.
void AddPersonNames(std::string_view text, const Mention& m, std::string_view lang, Names* names) {
  const std::string_view name = TextOf(text, m);
  const Linked linked{"person", PersonValue{std::string(NameOf(m.value)), std::nullopt}, LinkRule(m, lang, "surname")};
  Claim(name, linked, names);
  const std::string_view surname = SurnameOf(name);
  if (surname.empty()) return;
  Claim(surname, linked, names);
  if (std::islower(static_cast<unsigned char>(surname[0]))) {
    std::string capitalised(surname);
    capitalised[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(capitalised[0])));
    Claim(capitalised, linked, names);
  }
}

// Every name the mentions introduce, longest mention first, so "Parloa GmbH" claims
// "Parloa" before a bare "Parloa" does.
Names NamesOf(std::string_view text, const std::vector<Mention>& mentions, std::string_view lang) {
  std::vector<size_t> by_length(mentions.size());
  for (size_t i = 0; i < by_length.size(); ++i) by_length[i] = i;
  std::stable_sort(by_length.begin(), by_length.end(), [&](size_t a, size_t b) {
    return mentions[a].end - mentions[a].begin > mentions[b].end - mentions[b].begin;
  });
  Names names;
  for (size_t i : by_length) {
    const Mention& m = mentions[i];
    if (m.type == "site") AddSiteNames(text, m, lang, &names);
    if (m.type == "org") AddOrgNames(text, m, lang, &names);
    if (m.type == "person") AddPersonNames(text, m, lang, &names);
  }
  return names;
}

// The new mentions where a name recurs in the text, sorted, overlapping neither
// `mentions` nor each other; at a token, the longest name starting there wins.
std::vector<Mention> FindRecurrences(std::string_view text, const std::vector<Token>& tokens, const Names& names,
                                     const std::vector<Mention>& mentions) {
  // Names by their first token, so one pass over the text's tokens finds them all.
  std::unordered_map<std::string_view, std::vector<std::pair<const Linked*, std::vector<std::string_view>>>> by_first;
  for (const auto& [surface, linked] : names) {
    std::vector<std::string_view> words;
    for (const Token& t : Tokenise(surface)) words.push_back(std::string_view(surface).substr(t.begin, t.end - t.begin));
    if (!words.empty()) by_first[words[0]].push_back({&linked, std::move(words)});
  }
  std::bitset<256> first_bytes;  // of the first tokens: most tokens need no lookup
  for (auto& [first, list] : by_first) {  // the longest name first: "Henna Virkkunen" before "Henna"
    std::stable_sort(list.begin(), list.end(), [](const auto& a, const auto& b) { return a.second.size() > b.second.size(); });
    first_bytes.set(static_cast<unsigned char>(first[0]));
  }
  auto word = [&](size_t i) { return text.substr(tokens[i].begin, tokens[i].end - tokens[i].begin); };
  std::vector<Mention> found;  // sorted: tokens are visited in order
  for (size_t i = 0; i < tokens.size(); ++i) {
    if (!first_bytes[static_cast<unsigned char>(text[tokens[i].begin])]) continue;
    auto candidates = by_first.find(word(i));
    if (candidates == by_first.end()) continue;
    for (const auto& [linked, words] : candidates->second) {
      if (i + words.size() > tokens.size()) continue;
      bool same = true;
      for (size_t k = 1; k < words.size() && same; ++k) same = word(i + k) == words[k];
      if (!same) continue;
      const uint32_t begin = tokens[i].begin;
      const uint32_t end = tokens[i + words.size() - 1].end;
      if (Overlaps(mentions, begin, end) || Overlaps(found, begin, end)) continue;
      found.push_back({begin, end, linked->type, linked->value, linked->rule});
      break;
    }
  }
  return found;
}

// A one-word org that a pattern found on its own ("consejera delegada de Nubia") is the
// longer org of the article whose name it begins ("Nubia Data Centers SL"), where
// exactly one org is named that way; it takes that org's name before names are made,
// so its recurrences link to the full name too.
void AdoptFullNamesOfFirstWords(std::string_view text, std::vector<Mention>* mentions) {
  for (Mention& m : *mentions) {
    const std::string_view word = TextOf(text, m);
    if (m.type != "org" || m.listed || NameOf(m.value) != word || word.find(' ') != std::string_view::npos) continue;
    const Value* full = nullptr;
    bool unique = true;
    for (const Mention& other : *mentions) {
      const std::string_view name = TextOf(text, other);
      if (other.type != "org" || !name.starts_with(word) || name.size() <= word.size() || name[word.size()] != ' ') continue;
      if (full && NameOf(*full) != NameOf(other.value)) unique = false;
      full = &other.value;
    }
    if (full && unique) m.value = *full;
  }
}

}  // namespace

void LinkMentions(std::string_view text, const std::vector<Token>& tokens, std::string_view lang,
                  std::vector<Mention>* mentions) {
  AdoptFullNamesOfFirstWords(text, mentions);
  const Names names = NamesOf(text, *mentions, lang);
  if (names.empty()) return;
  // A mention an org pattern found on its own ("Meridian Facility", "Parloa") takes the
  // full name of the org it is a short form of.
  for (Mention& m : *mentions) {
    if (m.type != "org" || NameOf(m.value) != TextOf(text, m)) continue;
    if (auto it = names.find(TextOf(text, m)); it != names.end() && it->second.type == "org") m.value = it->second.value;
  }
  std::vector<Mention> found = FindRecurrences(text, tokens, names, *mentions);
  // An acronym defined where the name recurs ("... aid for STMicroelectronics (ST)", the
  // org found later as "chief executive of STMicroelectronics") names it too.
  Names acronyms;
  for (const Mention& m : found)
    if (const std::string_view acronym = AcronymAfter(text, m); !acronym.empty() && !names.contains(acronym))
      acronyms.emplace(std::string(acronym), Linked{m.type, m.value, m.rule});
  MergeByPosition(std::move(found), mentions);
  if (acronyms.empty()) return;
  MergeByPosition(FindRecurrences(text, tokens, acronyms, *mentions), mentions);
}

}  // namespace factwire
