// Mention linking: a name found again carries a rule id in the real language.
#include <gtest/gtest.h>

#include "link/linker.h"
#include "test_support.h"

namespace factwire {
namespace {

struct LinkCase {
  const char* article_lang;
  const char* file_lang;  // of the rules that found the first mention; null: none
  const char* rule;       // expected of the linked mention
};

TEST(LinkerTest, LinkedRuleIdsCarryTheRealLanguage) {
  const std::string text = "Kaamos Data Oy baut. Kaamos Data Oy wächst.";
  const LinkCase cases[] = {
      {"de", nullptr, "org/de/same-org"},  // no rule file: the article's language, never "en"
      {"pt", nullptr, "org/pt/same-org"},
      {"de", "fr", "org/fr/same-org"},     // the language of the rules that found it
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(std::string(c.article_lang) + " " + (c.file_lang ? c.file_lang : "-"));
    RuleFile file;
    if (c.file_lang) file.lang = c.file_lang;
    std::vector<Mention> mentions = {{0, 14, "org", Value(OrgValue{"Kaamos Data Oy"}), "org/x/legal-form", c.file_lang ? &file : nullptr}};
    LinkMentions(text, Tokenise(text), c.article_lang, &mentions);
    ASSERT_EQ(mentions.size(), 2u);
    EXPECT_EQ(mentions[1].begin, 21u);
    EXPECT_EQ(mentions[1].rule, c.rule);
  }
}

struct ShortFormCase {
  const char* name;
  const char* text;
  std::vector<std::string> orgs;  // in text order; the last is the one-word mention
  bool listed;                    // the one-word mention came from a gazetteer
  const char* expected;           // the name the one-word mention ends with
};

TEST(LinkerTest, OneWordOrgTakesTheOneLongerNameItBegins) {
  const ShortFormCase cases[] = {
      {"unique longer name", "Nubia Data Centers SL baut. Die Chefin von Nubia", {"Nubia Data Centers SL", "Nubia"}, false,
       "Nubia Data Centers SL"},
      {"two longer names: ambiguous", "Apple Corps und Apple Computer streiten. Apple",
       {"Apple Corps", "Apple Computer", "Apple"}, false, "Apple"},
      {"a listed name keeps the list's", "Apple Computer baut. Apple", {"Apple Computer", "Apple"}, true, "Apple"},
      {"a different first word", "Nubia Data Centers SL baut. Nubian", {"Nubia Data Centers SL", "Nubian"}, false,
       "Nubian"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const std::string text = c.text;
    std::vector<Mention> mentions;
    size_t from = 0;
    for (const std::string& org : c.orgs) {
      const size_t begin = text.find(org, from);
      ASSERT_NE(begin, std::string::npos) << org;
      from = begin + org.size();
      const bool listed = c.listed && &org == &c.orgs.back();
      mentions.push_back({static_cast<uint32_t>(begin), static_cast<uint32_t>(from), "org", Value(OrgValue{org}),
                          "org/x/name", nullptr, listed});
    }
    LinkMentions(text, Tokenise(text), "de", &mentions);
    ASSERT_EQ(mentions.size(), c.orgs.size());
    EXPECT_EQ(NameOf(mentions.back().value), c.expected);
  }
}

// A legal form of several tokens ("A/S", "B.V.") is what follows the last space.
TEST(LinkerTest, NameWithoutItsLegalFormRecurs) {
  // "Corvell Stores Inc.": a legal form written with its point
  for (const std::string name : {"Vesterhav Power A/S", "Noordkust Gas B.V.", "Helion Energy GmbH", "Corvell Stores Inc."}) {
    SCOPED_TRACE(name);
    const std::string short_form = name.substr(0, name.rfind(' '));
    const Record record = testing::ExtractText("We met " + name + " in May. Later " + short_form + " said no.");
    std::vector<std::string> orgs;
    for (const Fact& f : record.facts)
      if (f.type == "org") orgs.push_back(f.text + " -> " + std::string(NameOf(f.value)));
    EXPECT_EQ(orgs, (std::vector<std::string>{name + " -> " + name, short_form + " -> " + name}));
  }
}

// An acronym defined where the name recurs, not where it was found, names the org too.
TEST(LinkerTest, AcronymDefinedAtARecurrenceLinks) {
  const Record record = testing::ExtractText(
      "Aid went to Quorvane Systems (QSY) in May. Later QSY hired staff. Ana Ruiz, chief executive of Quorvane "
      "Systems, said so.");
  std::vector<std::string> orgs;
  for (const Fact& f : record.facts)
    if (f.type == "org") orgs.push_back(f.text + " -> " + std::string(NameOf(f.value)));
  EXPECT_EQ(orgs, (std::vector<std::string>{"Quorvane Systems -> Quorvane Systems", "QSY -> Quorvane Systems",
                                             "QSY -> Quorvane Systems", "Quorvane Systems -> Quorvane Systems"}));
}

}  // namespace
}  // namespace factwire
