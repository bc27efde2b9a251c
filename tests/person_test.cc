// People named without a cue word: a known given name runs on over its surname
// (rules/person/en.yaml, gazetteer `extend: surname`).
#include <gtest/gtest.h>

#include "test_support.h"

namespace factwire {
namespace {

std::vector<std::string> PeopleIn(const std::string& text) {
  std::vector<std::string> people;
  for (const Fact& fact : testing::ExtractText(text).facts)
    if (fact.type == "person") people.push_back(fact.text);
  return people;
}

TEST(PersonTest, GivenNameRunsOnOverTheSurname) {
  const struct {
    const char* text;
    std::vector<std::string> people;
  } cases[] = {
      {"Mary Barra appointed as chief of the carmaker", {"Mary Barra"}},
      {"it said Michael R. Golden would testify", {"Michael R. Golden"}},
      {"the speech of Ursula von der Leyen was short", {"Ursula von der Leyen"}},
      {"the minister, Anna Maria Bernini, agreed", {"Anna Maria Bernini"}},
      {"we met Mary Ann van Dyke today", {"Mary Ann van Dyke"}},
      {"the talks with Mary O'Brien ended", {"Mary O'Brien"}},
      // a given name that is also a word only after a lower-case word or a comma
      {"the company named Mark Papermaster as its head", {"Mark Papermaster"}},
      {"Mark Your Calendar for the launch", {}},
      {"I read the report\nMark Your Calendar", {}},
      // not a person: no surname, a longer capitalised run, after a hyphen, an org word
      {"Mary said nothing", {}},
      {"the Leonardo Improved Supercomputing Architecture opened", {}},
      {"two Rolls-Royce Trent engines", {}},
      {"shares of Morgan Stanley Bank fell", {}},
      {"shares in Morgan Stanley fell", {}},
      {"the losses of Garuda Indonesia Flight 200", {}},
      // before a score, a player ("IsScore")
      {"Jannik Sinner beat Carlos Alcaraz 7-6 7-5 on Sunday", {"Jannik Sinner", "Carlos Alcaraz"}},
      // a reporting verb makes no person alone
      {"the deal, said American Express, is done", {}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.text);
    EXPECT_EQ(PeopleIn(c.text), c.people);
  }
}

}  // namespace
}  // namespace factwire
