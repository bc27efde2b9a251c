#include <gtest/gtest.h>

#include <unicode/locid.h>

#include "test_support.h"

namespace factwire {
namespace {

// Every ISO 3166-1 country ICU knows is found by its English name, as itself.
TEST(CountryTest, EveryIcuCountryNameResolvesToItsCode) {
  const auto& files = testing::ProjectRules().files();
  const RuleFile* country = nullptr;
  for (const auto& file : files)
    if (file->type == "country" && file->lang == "en") country = file.get();
  ASSERT_NE(country, nullptr);
  const Lexicon& names = country->lexicons.at("country_name");
  size_t checked = 0;
  for (const char* const* code = icu::Locale::getISOCountries(); *code; ++code) {
    const LexiconEntry* entry = names.Find(*code);
    ASSERT_NE(entry, nullptr) << *code;
    const Record record = testing::ExtractText("News from " + entry->value + " today.");
    bool found = false;
    for (const Fact& fact : record.facts)
      found |= fact.type == "country" && fact.text == entry->value && ToJson(fact.value)["iso2"] == *code;
    EXPECT_TRUE(found) << *code << " " << entry->value;
    ++checked;
  }
  EXPECT_GT(checked, 240u);
}

struct Case {
  const char* text;
  std::vector<std::string> iso2;  // the country facts expected, in order
};

TEST(CountryTest, TrapsAndAliases) {
  const Case cases[] = {
      // -- not countries
      {"Europe and the EU agreed; European ministers met in Paris.", {}},
      {"The governor of New Jersey visited Jersey.", {"JE"}},
      {"Exports to Papua New Guinea and Guinea rose.", {"PG", "GN"}},
      {"Jordan Smith flew to Jordan with Chad Miller, not to Chad.", {"JO", "TD"}},
      {"They ate turkey in Turkey.", {"TR"}},
      {"The Bank of Finland and Finnish banks agreed.", {"FI"}},
      {"It paid US$1.1bn to a U.S. fund.", {"US"}},
      // -- spans leave articles and possessives out
      {"the UK and the Netherlands; Spain's plan", {"GB", "NL", "ES"}},
      {"A Spain-based firm and a UK-listed one.", {"ES", "GB"}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.text);
    const Record record = testing::ExtractText(c.text);
    std::vector<std::string> got;
    for (const Fact& fact : record.facts)
      if (fact.type == "country") got.push_back(ToJson(fact.value)["iso2"]);
    EXPECT_EQ(got, c.iso2);
    testing::ExpectOffsetsHold(c.text, record);
  }
}

}  // namespace
}  // namespace factwire
