// Mention linking: names an article has introduced are found again elsewhere in it.
#include "link/linker.h"

#include <algorithm>
#include <cctype>
#include <map>

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

void SortByPosition(std::vector<Mention>* mentions) {
  std::sort(mentions->begin(), mentions->end(), [](const Mention& a, const Mention& b) { return a.begin < b.begin; });
}

// The rule id of a mention linked to `m` ("site/de/same-name"): in the language of the
// rules that found `m`, else the article's.
std::string LinkRule(const Mention& m, std::string_view lang, std::string_view name) {
  return m.type + "/" + (m.file ? m.file->lang : std::string(lang)) + "/" + std::string(name);
}

}  // namespace

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

void LinkMentions(std::string_view text, const std::vector<Token>& tokens, std::string_view lang,
                  std::vector<Mention>* mentions) {
  // surface -> (type, value, rule) of names found again elsewhere in the article
  struct Linked {
    std::string type;
    Value value;
    std::string rule;
  };
  std::map<std::string, Linked, std::less<>> names;
  // Longest names first, so "Parloa GmbH" claims "Parloa" before a bare "Parloa" does.
  std::vector<size_t> by_length(mentions->size());
  for (size_t i = 0; i < by_length.size(); ++i) by_length[i] = i;
  std::stable_sort(by_length.begin(), by_length.end(), [&](size_t a, size_t b) {
    return (*mentions)[a].end - (*mentions)[a].begin > (*mentions)[b].end - (*mentions)[b].begin;
  });
  for (size_t i : by_length) {
    const Mention& m = (*mentions)[i];
    if (m.type == "site") {
      // A site mentioned once with evidence ("Aurelia, a planned exascale supercomputer")
      // is the same site wherever its name recurs, before or after.
      names.emplace(std::string(TextOf(text, m)), Linked{"site", m.value, LinkRule(m, lang, "same-name")});
      // "the JUPITER AI Factory (JAIF)": the acronym names the same site.
      if (const std::string_view acronym = AcronymAfter(text, m); !acronym.empty())
        names.emplace(std::string(acronym), Linked{"site", m.value, LinkRule(m, lang, "same-name")});
    }
    if (m.type == "org") {
      // The same name, an acronym defined after it ("Jülich Supercomputing Centre (JSC)"),
      // its distinctive first word when the rest is generic ("Calder" for "Calder
      // Microdevices"), and its head word ("the Facility").
      const std::string_view name = TextOf(text, m);
      names.emplace(std::string(name), Linked{"org", m.value, LinkRule(m, lang, "same-org")});
      if (const std::string_view acronym = AcronymAfter(text, m); !acronym.empty())
        names.emplace(std::string(acronym), Linked{"org", m.value, LinkRule(m, lang, "same-org")});
      const std::vector<Token> words = Tokenise(name);
      if (words.size() >= 2 && m.file) {
        auto generic = m.file->lexicons.find("generic_word");
        bool rest_generic = generic != m.file->lexicons.end();
        for (size_t k = 1; k < words.size() && rest_generic; ++k) {
          if (words[k].begin < name.find(' ')) continue;  // within the first word ("Helvetia-Nord")
          rest_generic = generic->second.Find(name.substr(words[k].begin, words[k].end - words[k].begin)) != nullptr;
        }
        const std::string_view first_word = name.substr(0, name.find(' '));  // "Helvetia-Nord"
        if (rest_generic) names.emplace(std::string(first_word), Linked{"org", m.value, LinkRule(m, lang, "same-org")});
        // "Alpstein Data" for "Alpstein Data AG": the name without its legal form.
        auto suffix = m.file->lexicons.find("suffix");
        const std::string_view last_word = name.substr(words.back().begin);
        if (words.size() >= 3 && name[words.back().begin - 1] == ' ' && suffix != m.file->lexicons.end() &&
            suffix->second.Find(last_word))
          names.emplace(std::string(name.substr(0, name.rfind(' ', words.back().begin))), Linked{"org", m.value, LinkRule(m, lang, "same-org")});
        auto head = m.file->lexicons.find("head");
        const std::string_view last = name.substr(words.back().begin);
        if (words.size() >= 3 && head != m.file->lexicons.end() && head->second.Find(last)) {
          names.emplace(std::string(last), Linked{"org", m.value, LinkRule(m, lang, "same-org")});
          names.emplace(std::string(name.substr(0, name.find(' '))) + " " + std::string(last), Linked{"org", m.value, LinkRule(m, lang, "same-org")});
        }
      }
    }
    if (m.type == "person") {
      // The full name again (a headline), and later "Whitfield" or sentence-initial
      // "Von der Leyen": the person, with no role unless that mention gives one.
      const std::string_view name = TextOf(text, m);
      const Value value = PersonValue{std::string(NameOf(m.value)), std::nullopt};
      names.emplace(std::string(name), Linked{"person", value, LinkRule(m, lang, "surname")});
      const std::string_view surname = SurnameOf(name);
      if (surname.empty()) continue;
      names.emplace(std::string(surname), Linked{"person", value, LinkRule(m, lang, "surname")});
      if (std::islower(static_cast<unsigned char>(surname[0]))) {
        std::string capitalised(surname);
        capitalised[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(capitalised[0])));
        names.emplace(std::move(capitalised), Linked{"person", value, LinkRule(m, lang, "surname")});
      }
    }
  }
  if (names.empty()) return;
  // A mention an org pattern found on its own ("Meridian Facility", "Parloa") takes the
  // full name of the org it is a short form of.
  for (Mention& m : *mentions) {
    if (m.type != "org" || NameOf(m.value) != TextOf(text, m)) continue;
    if (auto it = names.find(TextOf(text, m)); it != names.end() && it->second.type == "org") m.value = it->second.value;
  }
  // Names by their first token, so one pass over the text's tokens finds them all.
  std::map<std::string_view, std::vector<std::pair<const std::string*, std::vector<std::string_view>>>> by_first;
  for (const auto& [surface, linked] : names) {
    std::vector<std::string_view> words;
    for (const Token& t : Tokenise(surface)) words.push_back(std::string_view(surface).substr(t.begin, t.end - t.begin));
    if (!words.empty()) by_first[words[0]].push_back({&surface, std::move(words)});
  }
  for (auto& [first, list] : by_first)  // the longest name first: "Henna Virkkunen" before "Henna"
    std::stable_sort(list.begin(), list.end(), [](const auto& a, const auto& b) { return a.second.size() > b.second.size(); });
  auto word = [&](size_t i) { return text.substr(tokens[i].begin, tokens[i].end - tokens[i].begin); };
  std::vector<Mention> found;  // sorted: tokens are visited in order
  for (size_t i = 0; i < tokens.size(); ++i) {
    auto candidates = by_first.find(word(i));
    if (candidates == by_first.end()) continue;
    for (const auto& [surface, words] : candidates->second) {
      if (i + words.size() > tokens.size()) continue;
      bool same = true;
      for (size_t k = 1; k < words.size() && same; ++k) same = word(i + k) == words[k];
      if (!same) continue;
      const uint32_t begin = tokens[i].begin;
      const uint32_t end = tokens[i + words.size() - 1].end;
      if (Overlaps(*mentions, begin, end) || Overlaps(found, begin, end)) continue;
      const Linked& linked = names.find(*surface)->second;
      found.push_back({begin, end, linked.type, linked.value, linked.rule});
      break;
    }
  }
  mentions->insert(mentions->end(), found.begin(), found.end());
  SortByPosition(mentions);
}

}  // namespace factwire
