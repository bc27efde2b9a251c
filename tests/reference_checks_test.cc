// Reference checks: simple, obviously right implementations of the trickier resolution
// steps, compared with the real ones on many generated cases (as SelectFlat is in
// resolver_test.cc).
//   Date shifting: "a year earlier" counts from the date fact before it
//   (ResolveDateReferences), checked end to end on generated articles.
//   Mention linking: every recurrence of a name an article introduced becomes a mention
//   (LinkMentions), checked against a scan of the text for each name.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <map>
#include <optional>
#include <random>

#include "emit/emitter.h"
#include "link/linker.h"
#include "test_support.h"

namespace factwire {
namespace {

namespace ch = std::chrono;

// ---- date shifting ----

// A date as the reference keeps it: the fields its grain has.
struct RefDate {
  std::string grain;  // year, quarter, month, day
  int year = 0, quarter = 0, month = 0, day = 0;

  std::string Iso() const {
    char buffer[32];
    if (grain == "year") std::snprintf(buffer, sizeof buffer, "%04d", year);
    if (grain == "quarter") std::snprintf(buffer, sizeof buffer, "%04d-Q%d", year, quarter);
    if (grain == "month") std::snprintf(buffer, sizeof buffer, "%04d-%02d", year, month);
    if (grain == "day") std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02d", year, month, day);
    return buffer;
  }
};

int DaysIn(int year, int month) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

// `d` moved by `n` units; a unit finer than the date's grain leaves it as it is (it
// cannot be placed more precisely than the date it counts from).
RefDate Shifted(RefDate d, const std::string& unit, int n) {
  if (unit == "year" || unit == "decade") {
    d.year += n * (unit == "decade" ? 10 : 1);
  } else if (unit == "quarter" && d.grain == "quarter") {
    const int index = d.year * 4 + d.quarter - 1 + n;
    d.year = index / 4, d.quarter = index % 4 + 1;
  } else if (unit == "month" && (d.grain == "month" || d.grain == "day")) {
    const int index = d.year * 12 + d.month - 1 + n;
    d.year = index / 12, d.month = index % 12 + 1;
  } else if ((unit == "day" || unit == "week") && d.grain == "day") {
    for (int days = n * (unit == "week" ? 7 : 1); days != 0; days += days > 0 ? -1 : 1) {
      const int step = days > 0 ? 1 : -1;
      d.day += step;
      if (d.day > DaysIn(d.year, d.month)) d.day = 1, d.month = d.month % 12 + 1, d.year += d.month == 1;
      if (d.day < 1) d.year -= d.month == 1, d.month = (d.month + 10) % 12 + 1, d.day = DaysIn(d.year, d.month);
    }
  }
  if (d.grain == "day") d.day = std::min(d.day, DaysIn(d.year, d.month));  // 31 March a month earlier
  return d;
}

const char* const kMonths[] = {"January", "February", "March", "April", "May", "June",
                               "July", "August", "September", "October", "November", "December"};

// One generated date phrase: its text and what the reference says it means.
struct Phrase {
  std::string text;
  RefDate date;
};

Phrase AbsolutePhrase(std::mt19937& random) {
  RefDate d;
  d.year = 2000 + static_cast<int>(random() % 25);
  switch (random() % 4) {
    case 0: d.grain = "year"; return {std::to_string(d.year), d};
    case 1: d.grain = "quarter", d.quarter = 1 + static_cast<int>(random() % 4);
      return {"Q" + std::to_string(d.quarter) + " " + std::to_string(d.year), d};
    case 2: d.grain = "month", d.month = 1 + static_cast<int>(random() % 12);
      return {std::string(kMonths[d.month - 1]) + " " + std::to_string(d.year), d};
    default: d.grain = "day", d.month = 1 + static_cast<int>(random() % 12);
      // Month ends half the time: where shifting by months must clamp ("31 March", "29 February").
      d.day = random() % 2 ? DaysIn(d.year, d.month) - static_cast<int>(random() % 3)
                           : 1 + static_cast<int>(random() % static_cast<unsigned>(DaysIn(d.year, d.month)));
      return {std::to_string(d.day) + " " + kMonths[d.month - 1] + " " + std::to_string(d.year), d};
  }
}

Phrase RelativePhrase(std::mt19937& random, const RefDate& previous) {
  static const char* const kCounts[] = {"a", "two", "three"};
  static const char* const kUnits[] = {"day", "week", "month", "quarter", "year", "decade"};
  const int count = 1 + static_cast<int>(random() % 3);
  const std::string unit = kUnits[random() % 6];
  const bool earlier = random() % 2 == 0;
  const std::string text = std::string(kCounts[count - 1]) + " " + unit + (count > 1 ? "s" : "") + (earlier ? " earlier" : " later");
  return {text, Shifted(previous, unit, earlier ? -count : count)};
}

TEST(ReferenceCheckTest, DateShiftsCountFromTheDateBefore) {
  static const char* const kLeads[] = {"Sales were high in ", "Costs rose ", "The board met on ", "Profit fell in "};
  std::mt19937 random(20251205);
  int shifts = 0;
  for (int article = 0; article < 300; ++article) {
    std::string text;
    std::vector<Phrase> expected;
    for (int sentence = 0, n = 2 + static_cast<int>(random() % 5); sentence < n; ++sentence) {
      const Phrase phrase = expected.empty() || random() % 2 ? AbsolutePhrase(random) : RelativePhrase(random, expected.back().date);
      text += std::string(kLeads[random() % 4]) + phrase.text + (random() % 2 ? ". Workers were hired. " : ". ");
      shifts += phrase.text.ends_with("earlier") || phrase.text.ends_with("later");
      expected.push_back(phrase);
    }
    SCOPED_TRACE(text);
    const nlohmann::ordered_json record = ToJson(testing::ExtractText(text, "2025-03-14"));
    std::vector<const nlohmann::ordered_json*> dates;
    for (const auto& fact : record["facts"])
      if (fact["type"] == "date") dates.push_back(&fact);
    ASSERT_EQ(dates.size(), expected.size());
    for (size_t i = 0; i < dates.size(); ++i) {
      EXPECT_EQ((*dates[i])["text"], expected[i].text);
      EXPECT_EQ((*dates[i])["value"].value("iso", ""), expected[i].date.Iso()) << expected[i].text;
      EXPECT_EQ((*dates[i])["value"].value("grain", ""), expected[i].date.grain) << expected[i].text;
    }
  }
  EXPECT_GT(shifts, 300) << "too few shifted dates generated to check anything";
}

// ---- mention linking ----

// A name the generated article introduces, and the forms it may recur in.
struct Name {
  std::string type;          // site, org, person
  std::string text;          // as introduced
  std::string acronym;       // sites and orgs: "(JSC)" after the introduction, or empty
  std::string surname;       // persons: "Whitfield", "von der Leyen"
};

const Name kNames[] = {
    {"site", "Aurelia", "", ""},
    {"site", "Aurelia Campus", "AC", ""},
    {"site", "Jupiter Booster", "JB", ""},
    {"org", "Calder Microdevices", "CM", ""},
    {"org", "Nordlicht Energie", "", ""},
    {"org", "Jupiter Labs", "JL", ""},
    {"person", "Dana Whitfield", "", "Whitfield"},
    {"person", "Mary Ann Smith", "", "Smith"},
    {"person", "Ursula von der Leyen", "", "von der Leyen"},
    {"person", "Tom Whitfield", "", "Whitfield"},
};

const char* const kFiller[] = {"the", "plant", "opened", "said", "in", "and", "with", "new", "jobs", "of"};

// A name's value as the rules would build it for its type.
Value NameValue(const std::string& type, const std::string& name) {
  if (type == "site") return SiteValue{name, std::nullopt, std::nullopt};
  if (type == "org") return OrgValue{name};
  return PersonValue{name, std::nullopt};
}

// The surfaces a mention introduces, each with the mention it stands for: an acronym
// only where the text defines it right after the mention.
std::vector<std::pair<std::string, const Mention*>> SurfacesOf(const std::string& text, const Mention& m, const Name& name) {
  std::vector<std::pair<std::string, const Mention*>> out = {{name.text, &m}};
  if (!name.acronym.empty() && text.compare(m.end, name.acronym.size() + 3, " (" + name.acronym + ")") == 0)
    out.push_back({name.acronym, &m});
  if (!name.surname.empty()) out.push_back({name.surname, &m});
  if (!name.surname.empty() && std::islower(static_cast<unsigned char>(name.surname[0])))
    out.push_back({static_cast<char>(std::toupper(static_cast<unsigned char>(name.surname[0]))) + name.surname.substr(1), &m});
  return out;
}

bool IsWordChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || static_cast<unsigned char>(c) >= 0x80; }

// The reference: the introduced surfaces (a longer mention claims a surface first), then
// each place in the text, left to right, where one occurs as whole words and overlaps no
// mention: the longest surface that fits there becomes a mention.
std::vector<Mention> ReferenceLink(const std::string& text, const std::vector<Mention>& introduced,
                                   const std::vector<const Name*>& names) {
  std::map<std::string, const Mention*> surfaces;
  std::vector<size_t> order(introduced.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return introduced[a].end - introduced[a].begin > introduced[b].end - introduced[b].begin;
  });
  for (size_t i : order)
    for (const auto& [surface, mention] : SurfacesOf(text, introduced[i], *names[i])) surfaces.emplace(surface, mention);
  std::vector<Mention> out = introduced;
  for (Mention& m : out)  // an org mention named by its own text takes the org it stands for
    if (auto it = surfaces.find(text.substr(m.begin, m.end - m.begin)); m.type == "org" && it != surfaces.end() && it->second->type == "org")
      m.value = it->second->value;
  auto free = [&](size_t begin, size_t end) {
    for (const Mention& m : out)
      if (m.begin < end && begin < m.end) return false;
    return true;
  };
  for (size_t at = 0; at < text.size(); ++at) {
    if (at > 0 && IsWordChar(text[at - 1])) continue;
    const std::pair<const std::string, const Mention*>* best = nullptr;
    for (const auto& entry : surfaces) {
      const size_t end = at + entry.first.size();
      if (text.compare(at, entry.first.size(), entry.first) != 0 || (end < text.size() && IsWordChar(text[end]))) continue;
      if (free(at, end) && (!best || entry.first.size() > best->first.size())) best = &entry;
    }
    if (!best) continue;
    const Mention& source = *best->second;
    const std::string link = source.type == "site" ? "same-name" : source.type == "org" ? "same-org" : "surname";
    const Value value = source.type == "person" ? NameValue("person", std::string(NameOf(source.value))) : source.value;
    out.push_back({static_cast<uint32_t>(at), static_cast<uint32_t>(at + best->first.size()), source.type, value,
                   source.type + "/xx/" + link, nullptr});
  }
  std::sort(out.begin(), out.end(), [](const Mention& a, const Mention& b) { return a.begin < b.begin; });
  return out;
}

std::string Describe(const std::string& text, const std::vector<Mention>& mentions) {
  std::string out;
  for (const Mention& m : mentions)
    out += text.substr(m.begin, m.end - m.begin) + " [" + std::to_string(m.begin) + "," + std::to_string(m.end) + ") " + m.type +
           " " + ToJson(m.value).dump() + " " + m.rule + "\n";
  return out;
}

TEST(ReferenceCheckTest, LinkedMentionsAreEveryRecurrenceOfAnIntroducedName) {
  RuleFile file;  // no lexicons: no generic-word or legal-form short forms
  file.lang = "xx";
  std::mt19937 random(14);
  size_t links = 0;
  for (int article = 0; article < 500; ++article) {
    std::string text;
    std::vector<Mention> introduced;
    std::vector<const Name*> names;
    for (int piece = 0, n = 8 + static_cast<int>(random() % 20); piece < n; ++piece) {
      if (!text.empty()) text += ' ';
      const Name& name = kNames[random() % std::size(kNames)];
      switch (random() % 4) {
        case 0: {  // introduced: a mention the rules found
          const uint32_t begin = static_cast<uint32_t>(text.size());
          text += name.text;
          introduced.push_back({begin, static_cast<uint32_t>(text.size()), name.type, NameValue(name.type, name.text),
                                name.type + "/xx/rule", &file});
          names.push_back(&name);
          if (!name.acronym.empty() && random() % 2) text += " (" + name.acronym + ")";
          break;
        }
        case 1: text += random() % 2 || name.surname.empty() ? (name.acronym.empty() || random() % 2 ? name.text : name.acronym) : name.surname; break;
        default: text += kFiller[random() % std::size(kFiller)];
      }
    }
    SCOPED_TRACE(text);
    const std::vector<Mention> expected = ReferenceLink(text, introduced, names);
    std::vector<Mention> linked = introduced;
    LinkMentions(text, Tokenise(text), "xx", &linked);
    ASSERT_EQ(Describe(text, linked), Describe(text, expected));
    links += linked.size() - introduced.size();
  }
  EXPECT_GT(links, 1000u) << "too few recurrences generated to check anything";
}

}  // namespace
}  // namespace factwire
