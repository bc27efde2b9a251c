// Relations between the facts of one sentence: located_in and role_at, and the
// site's country carried to every mention of the site.
#include "relate/relations.h"

#include <algorithm>
#include <cctype>
#include <map>

namespace factwire {
namespace {

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

// " " ("the Finnish LUMI"), or up to three lower-case words ending in a descriptor of the
// mention's rule file ("Dutch payments processor Noordpay").
bool IsDescriptorGap(std::string_view gap, const Mention& named) {
  if (gap == " ") return true;
  if (gap.size() < 3 || gap.front() != ' ' || gap.back() != ' ') return false;
  const std::string_view words = gap.substr(1, gap.size() - 2);
  if (std::count(words.begin(), words.end(), ' ') > 2 ||
      !std::all_of(words.begin(), words.end(), [](char c) { return std::islower(static_cast<unsigned char>(c)) || c == ' ' || c == '-'; }))
    return false;
  if (!named.file) return false;
  auto descriptor = named.file->lexicons.find("descriptor");
  const std::string_view last = words.substr(words.rfind(' ') == std::string_view::npos ? 0 : words.rfind(' ') + 1);
  return descriptor != named.file->lexicons.end() && descriptor->second.Find(last) != nullptr;
}

// ", a Swiss-" before the second adjective of "Swiss-Swedish".
bool IsHyphenedAdjectiveGap(std::string_view gap) {
  for (std::string_view lead : {", a ", ", an ", ", the "})
    if (gap.starts_with(lead) && gap.size() > lead.size() + 1 && gap.back() == '-') {
      const std::string_view word = gap.substr(lead.size(), gap.size() - lead.size() - 1);
      return std::isupper(static_cast<unsigned char>(word[0])) && word.find(' ') == std::string_view::npos;
    }
  return false;
}

// ", which is headquartered in ", ", based in ", "'s headquarters and research staff in ".
bool IsBasedInGap(std::string_view gap) {
  for (std::string_view form : {", headquartered in ", ", which is headquartered in ", ", based in ", " headquartered in "})
    if (gap == form) return true;
  if (!gap.starts_with("'s ") || !gap.ends_with(" in ")) return false;
  const std::string_view middle = gap.substr(3, gap.size() - 7);
  return (middle.starts_with("headquarters") || middle.starts_with("head office") || middle.starts_with("base")) &&
         std::all_of(middle.begin(), middle.end(), [](char c) { return std::islower(static_cast<unsigned char>(c)) || c == ' '; });
}

// "'s other national centres are the ": the country's list that follows.
bool IsPossessiveListGap(std::string_view gap) {
  if (!gap.starts_with("'s ")) return false;
  for (std::string_view verb : {" are the ", " are ", " include the ", " include ", " includes the "})
    if (gap.ends_with(verb)) {
      const std::string_view middle = gap.substr(3, gap.size() - 3 - verb.size());
      return std::all_of(middle.begin(), middle.end(), [](char c) { return std::islower(static_cast<unsigned char>(c)) || c == ' '; });
    }
  return false;
}

// Between a person and an org, an apposition naming the role: ", chief executive of ",
// ", director of the ", ", who leads the ", or ", the " before the org's possessive
// ("Chad Miller, the Facility's chief investment officer").
bool IsRoleOfGap(std::string_view gap, std::string_view after_org) {
  if (!gap.starts_with(", ") || gap.size() > 90 || gap.find_first_of(",.;()\"", 2) != std::string_view::npos) return false;
  if (gap == ", the ") return after_org.starts_with("'s ");
  for (std::string_view verb : {", who leads the ", ", who heads the ", ", who runs the ", ", who chairs the "})
    if (gap == verb) return true;
  // "... of ", "... of the ", "... of the industry association ", "... at "
  for (std::string_view preposition : {" of ", " at "}) {
    const size_t at = gap.rfind(preposition);
    if (at == std::string_view::npos) continue;
    std::string_view rest = gap.substr(at + preposition.size());
    if (rest.starts_with("the ")) rest.remove_prefix(4);
    if (std::all_of(rest.begin(), rest.end(), [](char c) { return std::islower(static_cast<unsigned char>(c)) || c == ' '; }) &&
        std::count(rest.begin(), rest.end(), ' ') <= 3)
      return true;
  }
  return false;
}

// Between an org and a person, a title of one to four words: " chief executive ".
bool IsTitleGap(std::string_view gap) {
  if (gap.size() < 3 || gap.front() != ' ' || gap.back() != ' ') return false;
  const std::string_view words = gap.substr(1, gap.size() - 2);
  return std::count(words.begin(), words.end(), ' ') <= 3 &&
         std::all_of(words.begin(), words.end(), [](char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == ' ' || c == '-'; });
}

}  // namespace

const std::vector<std::string>& RelationTypes() {
  static const std::vector<std::string> kTypes = {"located_in", "role_at", "investment"};
  return kTypes;
}

std::vector<Relation> FindRelations(std::string_view text, const std::vector<Span>& sentences,
                                    std::vector<Mention>* mentions) {
  std::vector<Relation> relations;
  // Sentence of each mention; mentions are sorted, so one sentence's are contiguous.
  std::vector<size_t> sentence_of(mentions->size(), 0);
  if (!sentences.empty())
    for (size_t i = 0; i < mentions->size(); ++i) sentence_of[i] = SpanIndexOf(sentences, (*mentions)[i].begin);
  auto same_sentence = [&](const Mention& a, const Mention& b) {
    return sentence_of[static_cast<size_t>(&a - mentions->data())] == sentence_of[static_cast<size_t>(&b - mentions->data())];
  };
  // A site (or an org) and the country the sentence puts it in.
  for (size_t i = 0; i < mentions->size(); ++i) {
    const Mention& site = (*mentions)[i];
    if (site.type != "site" && site.type != "org") continue;
    size_t first = i;
    while (first > 0 && sentence_of[first - 1] == sentence_of[i]) --first;
    for (size_t j = first; j < mentions->size() && sentence_of[j] == sentence_of[i]; ++j) {
      const Mention& country = (*mentions)[j];
      if (country.type != "country") continue;
      const char* rule = nullptr;
      if (country.begin >= site.end) {
        const std::string_view gap = text.substr(site.end, country.begin - site.end);
        // "BSC AIF in Spain", "the Alps supercomputer in Switzerland"; "Aurelia, a planned
        // exascale supercomputer for Italy"
        if (IsInGap(gap)) rule = "relation/en/site-in-country";
        else if (site.type == "site" && (gap.rfind(", a ", 0) == 0 || gap.rfind(", an ", 0) == 0) && gap.size() < 70 &&
                 gap.find_first_of(",.;", 1) == std::string_view::npos &&
                 (WithoutCompass(gap).ends_with(" for ") || WithoutCompass(gap).ends_with(" in ") ||
                  gap.ends_with(" in the ")))
          rule = "relation/en/site-apposition-country";
        // "Alice Recoque, the French exascale machine", "Ferncliff Credit, a Jersey-based
        // lender", "Helvetia-Nord, a Swiss-Swedish manager"
        else if (gap == ", the " || gap == ", a " || gap == ", an " || IsHyphenedAdjectiveGap(gap))
          rule = "relation/en/apposition-country";
        // "atNorth, which is headquartered in Iceland"; "Qoravi's headquarters and research
        // staff in Israel"
        else if (IsBasedInGap(gap))
          rule = "relation/en/based-in-country";
        // "Vestforbrænding, Denmark's largest waste-to-energy company"
        else if (gap == ", " && text.substr(country.end).starts_with("'s "))
          rule = "relation/en/apposition-possessive";
      } else if (country.end <= site.begin) {
        const std::string_view gap = text.substr(country.end, site.begin - country.end);
        if (gap == "'s ") rule = "relation/en/country-possessive";  // "Spain's BSC AIF"
        else if (country.rule.find("adjective") != std::string::npos && IsDescriptorGap(gap, site))
          rule = "relation/en/adjective-descriptor";  // "the Finnish LUMI", "Dutch payments processor Noordpay"
        else if (IsPossessiveListGap(gap))
          rule = "relation/en/country-possessive-list";  // "Germany's other national centres are the X"
      }
      if (rule) relations.push_back({"located_in", i, j, rule});  // "a Swiss-Swedish manager": two
    }
  }
  // A person and the org their role names.
  for (size_t i = 0; i < mentions->size(); ++i) {
    const Mention& person = (*mentions)[i];
    if (person.type != "person") continue;
    // "Pat Gelsinger, chief executive of Intel": the first org after the person
    for (size_t j = i + 1; j < mentions->size(); ++j) {
      const Mention& org = (*mentions)[j];
      if (!same_sentence(person, org)) break;
      if (org.type != "org") continue;
      if (IsRoleOfGap(text.substr(person.end, org.begin - person.end), text.substr(org.end)))
        relations.push_back({"role_at", i, j, "relation/en/role-of-org"});
      break;
    }
    // "TSMC chief executive C.C. Wei": the org just before the title
    for (size_t j = i; j-- > 0;) {
      const Mention& org = (*mentions)[j];
      if (!same_sentence(person, org)) break;
      if (org.type != "org") continue;
      if (const auto* p = std::get_if<PersonValue>(&person.value); p && p->role && IsTitleGap(text.substr(org.end, person.begin - org.end)))
        relations.push_back({"role_at", i, j, "relation/en/org-title-person"});
      break;
    }
  }

  // "Germany's other national centres are the X and the Y": Y is in the list too.
  for (size_t r = 0; r < relations.size(); ++r) {
    if (relations[r].rule != "relation/en/country-possessive-list") continue;
    const size_t next = relations[r].from + 1;
    if (next >= mentions->size()) continue;
    const Mention& a = (*mentions)[relations[r].from];
    const Mention& b = (*mentions)[next];
    const std::string_view gap = text.substr(a.end, b.begin > a.end ? b.begin - a.end : 0);
    if (b.type == a.type && (gap == " and the " || gap == " and " || gap == ", the " || gap == ", ") && same_sentence(a, b))
      relations.push_back({"located_in", next, relations[r].to, "relation/en/country-possessive-list"});
  }
  // The site's country, on every mention of it.
  std::map<std::string, std::string> country_of;
  for (const Relation& r : relations)
    if (r.type == "located_in" && (*mentions)[r.from].type == "site")
      if (const auto* country = std::get_if<CountryValue>(&(*mentions)[r.to].value))
        country_of.emplace(std::string(NameOf((*mentions)[r.from].value)), country->iso2);
  for (Mention& m : *mentions)
    if (m.type == "site")
      if (auto it = country_of.find(std::string(NameOf(m.value))); it != country_of.end())
        if (auto* site = std::get_if<SiteValue>(&m.value)) site->country = it->second;
  return relations;
}

}  // namespace factwire
