// Second-pass linking over one article's kept mentions: names the article has
// introduced are found again, and facts in one sentence are related.
#include <algorithm>
#include <cctype>
#include <map>

#include "match/matcher.h"
#include "resolve/resolver.h"

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

// " in western Denmark": the gap without a compass word before the country.
std::string_view WithoutCompass(std::string_view gap) {
  for (std::string_view compass : {"northern ", "southern ", "eastern ", "western ", "central "})
    if (gap.ends_with(compass)) return gap.substr(0, gap.size() - compass.size());
  return gap;
}

// " in ", " in the ", or a lower-case head noun or two before them (" supercomputer in ").
bool IsInGap(std::string_view gap) {
  // " (JAIF) in Germany": a bracketed acronym between the site and "in"
  if (gap.starts_with(" (")) {
    const size_t close = gap.find(')');
    if (close == std::string_view::npos || gap.find('(', 2) != std::string_view::npos) return false;
    gap.remove_prefix(close + 1);
  }
  // ", near Ølgod in western Denmark": a nearby town first
  if (gap.starts_with(", near ")) {
    const size_t in = gap.find(" in ", 7);
    if (in == std::string_view::npos) return false;
    gap.remove_prefix(in);
  }
  gap = WithoutCompass(gap);
  // " in Kajaani, Finland": a city between "in" and the country
  if (gap.ends_with(", ")) {
    const size_t in = gap.rfind(" in ");
    if (in == std::string_view::npos) return false;
    const std::string_view city = gap.substr(in + 4, gap.size() - in - 6);
    if (city.empty() || !std::isupper(static_cast<unsigned char>(city[0])) || city.find_first_of(",.;") != std::string_view::npos)
      return false;
    gap = gap.substr(0, in + 4);
  }
  if (gap.ends_with(" in the ")) gap.remove_suffix(4);
  if (!gap.ends_with(" in ")) return false;
  gap.remove_suffix(4);
  int words = 0;
  for (size_t i = 0; i < gap.size(); ++i) {
    if (gap[i] == ' ') {
      if (i + 1 >= gap.size() || !std::islower(static_cast<unsigned char>(gap[i + 1]))) return false;
      ++words;
    } else if (!std::isalpha(static_cast<unsigned char>(gap[i])) && gap[i] != '-') {
      return false;
    }
  }
  return words <= 2;
}

// A site mentioned once with evidence ("Aurelia, a planned exascale supercomputer") is the
// same site wherever its name recurs, before or after.
constexpr const char* kSameNameRule = "site/en/same-name";
constexpr const char* kSurnameRule = "person/en/surname";

}  // namespace

const std::vector<std::string>& RelationTypes() {
  static const std::vector<std::string> kTypes = {"located_in"};
  return kTypes;
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

void LinkMentions(std::string_view text, std::vector<Mention>* mentions) {
  // surface -> (type, value, rule) of names found again elsewhere in the article
  struct Linked {
    std::string type;
    nlohmann::json value;
    const char* rule;
  };
  std::map<std::string, Linked, std::less<>> names;
  for (size_t i = 0; i < mentions->size(); ++i) {
    const Mention& m = (*mentions)[i];
    if (m.type == "site") {
      names.emplace(std::string(TextOf(text, m)), Linked{"site", m.value, kSameNameRule});
      // "the JUPITER AI Factory (JAIF)": the acronym names the same site.
      const std::string_view after = text.substr(m.end);
      if (after.starts_with(" (")) {
        const size_t close = after.find(')');
        const std::string_view acronym = after.substr(2, close == std::string_view::npos ? 0 : close - 2);
        if (acronym.size() >= 2 && acronym.size() <= 10 && std::isupper(static_cast<unsigned char>(acronym[0])) &&
            acronym.find(' ') == std::string_view::npos)
          names.emplace(std::string(acronym), Linked{"site", m.value, kSameNameRule});
      }
    }
    if (m.type == "person") {
      // The full name again (a headline), and later "Whitfield" or sentence-initial
      // "Von der Leyen": the person, with no role unless that mention gives one.
      const std::string_view name = TextOf(text, m);
      const nlohmann::json value = {{"name", m.value.value("name", "")}};
      names.emplace(std::string(name), Linked{"person", value, kSurnameRule});
      const std::string_view surname = SurnameOf(name);
      if (surname.empty()) continue;
      names.emplace(std::string(surname), Linked{"person", value, kSurnameRule});
      if (std::islower(static_cast<unsigned char>(surname[0]))) {
        std::string capitalised(surname);
        capitalised[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(capitalised[0])));
        names.emplace(std::move(capitalised), Linked{"person", value, kSurnameRule});
      }
    }
  }
  if (names.empty()) return;
  // Names by their first token, so one pass over the text's tokens finds them all.
  std::map<std::string_view, std::vector<std::pair<const std::string*, std::vector<std::string_view>>>> by_first;
  for (const auto& [surface, linked] : names) {
    std::vector<std::string_view> words;
    for (const Token& t : Tokenise(surface)) words.push_back(std::string_view(surface).substr(t.begin, t.end - t.begin));
    if (!words.empty()) by_first[words[0]].push_back({&surface, std::move(words)});
  }
  for (auto& [first, list] : by_first)  // the longest name first: "Henna Virkkunen" before "Henna"
    std::stable_sort(list.begin(), list.end(), [](const auto& a, const auto& b) { return a.second.size() > b.second.size(); });
  const std::vector<Token> tokens = Tokenise(text);
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

std::vector<Relation> FindRelations(std::string_view text, const std::vector<Span>& sentences,
                                    std::vector<Mention>* mentions) {
  std::vector<Relation> relations;
  auto same_sentence = [&](const Mention& a, const Mention& b) {
    return sentences.empty() || SpanIndexOf(sentences, a.begin) == SpanIndexOf(sentences, b.begin);
  };
  // A site and the country the sentence puts it in.
  for (size_t i = 0; i < mentions->size(); ++i) {
    const Mention& site = (*mentions)[i];
    if (site.type != "site") continue;
    for (size_t j = 0; j < mentions->size(); ++j) {
      const Mention& country = (*mentions)[j];
      if (country.type != "country" || !same_sentence(site, country)) continue;
      const char* rule = nullptr;
      if (country.begin >= site.end) {
        const std::string_view gap = text.substr(site.end, country.begin - site.end);
        // "BSC AIF in Spain", "the Alps supercomputer in Switzerland"; "Aurelia, a planned
        // exascale supercomputer for Italy"
        if (IsInGap(gap)) rule = "relation/en/site-in-country";
        else if ((gap.rfind(", a ", 0) == 0 || gap.rfind(", an ", 0) == 0) && gap.size() < 70 &&
                 gap.find_first_of(",.;", 1) == std::string_view::npos &&
                 (WithoutCompass(gap).ends_with(" for ") || WithoutCompass(gap).ends_with(" in ") ||
                  gap.ends_with(" in the ")))
          rule = "relation/en/site-apposition-country";
        // "Alice Recoque, the French exascale machine"
        else if ((gap == ", the " || gap == ", a " || gap == ", an ") && country.rule.find("adjective") != std::string::npos)
          rule = "relation/en/site-apposition-adjective";
      } else if (country.end <= site.begin) {
        const std::string_view gap = text.substr(country.end, site.begin - country.end);
        if (gap == "'s ") rule = "relation/en/country-possessive-site";  // "Spain's BSC AIF"
        else if (gap == " " && country.rule.find("adjective") != std::string::npos)
          rule = "relation/en/adjective-site";  // "the Finnish LUMI"
      }
      if (rule) {
        relations.push_back({"located_in", i, j, rule});
        break;  // the nearest tie is enough
      }
    }
  }
  // The site's country, on every mention of it.
  std::map<std::string, std::string> country_of;
  for (const Relation& r : relations)
    if (r.type == "located_in" && (*mentions)[r.from].type == "site")
      country_of.emplace((*mentions)[r.from].value.value("name", ""), (*mentions)[r.to].value.value("iso2", ""));
  for (Mention& m : *mentions)
    if (m.type == "site")
      if (auto it = country_of.find(m.value.value("name", "")); it != country_of.end()) m.value["country"] = it->second;
  return relations;
}

}  // namespace factwire
