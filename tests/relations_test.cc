// Relations between facts of one sentence: each case names the pair it expects.
#include <gtest/gtest.h>

#include "test_support.h"

namespace factwire {
namespace {

// "type: from text -> to text" for every relation of `text`.
std::vector<std::string> RelationsOf(const std::string& text) {
  const Record record = testing::ExtractText(text);
  std::vector<std::string> out;
  for (const Relation& r : record.relations)
    out.push_back(r.type + ": " + record.facts[r.from].text + " -> " + record.facts[r.to].text);
  return out;
}

struct Case {
  const char* text;
  std::vector<std::string> relations;
};

TEST(RelationsTest, LocatedInTiesSitesAndOrgsToCountries) {
  const Case cases[] = {
      // -- sites
      {"Sites such as BSC AIF in Spain, IT4LIA in Italy, and Pharos in Greece.",
       {"located_in: BSC AIF -> Spain", "located_in: IT4LIA -> Italy", "located_in: Pharos -> Greece"}},
      {"Finland's LUMI AIF will open.", {"located_in: LUMI AIF -> Finland"}},
      {"It built Aurelia, a planned exascale supercomputer for Italy.", {"located_in: Aurelia -> Italy"}},
      {"LUMI in Kajaani, Finland, is fast.", {"located_in: LUMI -> Finland"}},
      {"the JUPITER AI Factory (JAIF) in Germany", {"located_in: JUPITER AI Factory -> Germany"}},
      // -- organisations
      {"Dutch payments processor Noordpay grew.", {"located_in: Noordpay -> Dutch"}},
      {"Rheinfeld, the German chipmaker, agreed.", {"located_in: Rheinfeld -> German"}},
      {"It is supervised by FINMA in Switzerland.", {"located_in: FINMA -> Switzerland"}},
      {"Helvetia-Nord Energy Partners, a Swiss-Swedish investment manager, closed.",
       {"located_in: Helvetia-Nord Energy Partners -> Swiss", "located_in: Helvetia-Nord Energy Partners -> Swedish"}},
      // -- not ties
      {"Spain and BSC AIF are unrelated.", {}},
      {"It is atNorth's first in Denmark.", {}},
      {"Ferncliff Credit, a Jersey-registered firm that finances sofas sold in UK shops, lends.",
       {"located_in: Ferncliff Credit -> Jersey"}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.text);
    EXPECT_EQ(RelationsOf(c.text), c.relations);
  }
}

TEST(RelationsTest, RoleAtTiesPeopleToTheOrgTheirRoleNames) {
  const Case cases[] = {
      {"said Pat Gelsinger, chief executive of Intel.", {"role_at: Pat Gelsinger -> Intel"}},
      {"TSMC chief executive C.C. Wei broke ground.", {"role_at: C.C. Wei -> TSMC"}},
      {"Thomas Lippert, director of the Jülich Supercomputing Centre, said",
       {"role_at: Thomas Lippert -> Jülich Supercomputing Centre"}},
      // -- a role that names no org
      {"President Ursula von der Leyen spoke in Brussels.", {}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.text);
    EXPECT_EQ(RelationsOf(c.text), c.relations);
  }
}

}  // namespace
}  // namespace factwire
