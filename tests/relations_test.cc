// Relations between facts of one sentence: each case names the pair it expects.
#include <gtest/gtest.h>

#include "relate/relations.h"
#include "pipeline/rule_examples.h"
#include "test_support.h"

namespace factwire {
namespace {

// The project's extractor on `text` in language `lang`.
Record ExtractIn(const std::string& text, const std::string& lang) {
  static std::unique_ptr<Extractor> extractor = testing::NewExtractor();
  Article article;
  article.id = "test";
  article.text = text;
  article.lang = lang;
  return extractor->Extract(article);
}

// "type: from text -> to text" for every relation of `text`; for an investment
// "investment: money text; funders A, B; beneficiaries C; purpose P".
std::vector<std::string> RelationsOf(const std::string& text, const std::string& lang = "en") {
  const Record record = ExtractIn(text, lang);
  std::vector<std::string> out;
  for (const Relation& r : record.relations) out.push_back(RelationLine(record, r));
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

struct LanguageCase {
  const char* lang;
  const char* text;
  std::vector<std::string> relations;  // located_in and role_at
  const char* rule;                    // of the first relation, when there is one
};

TEST(RelationsTest, EachLanguageHasItsOwnFrames) {
  const LanguageCase cases[] = {
      {"de", "Der schwedische Konkurrent Northvolt meldete Insolvenz an.", {"located_in: Northvolt -> schwedische"},
       "relation/de/adjective-name"},
      {"de", "„Wir bauen“, sagte Mikko Rautio, Vorstandschef der Kaamos Data Oy.", {"role_at: Mikko Rautio -> Kaamos Data Oy"},
       "relation/de/role-of-org"},
      {"de", "Der US-Konzern Intel baut in Magdeburg.", {"located_in: Intel -> US"}, "relation/de/country-compound-name"},
      {"de", "Die in Schweden ansässige Northvolt AB meldete Insolvenz an.", {"located_in: Northvolt AB -> Schweden"},
       "relation/de/based-in-country-name"},
      {"de", "Der Supercomputer LUMI im finnischen Kajaani läuft.", {"located_in: LUMI -> finnischen"},
       "relation/de/name-in-adjective-place"},
      {"de", "Northvolt, ein schwedischer Batteriehersteller, ist insolvent.", {"located_in: Northvolt -> schwedischer"},
       "relation/de/name-apposition-adjective"},
      {"de", "Die Mistral AI SAS (Frankreich) wächst.", {"located_in: Mistral AI SAS -> Frankreich"},
       "relation/de/country-in-brackets"},
      {"de", "Der Supercomputer JUPITER in Jülich, Deutschland, läuft.", {"located_in: JUPITER -> Deutschland"},
       "relation/de/in-country"},
      {"de", "Der französische KI-Entwickler Mistral AI wächst.", {"located_in: Mistral AI -> französische"},
       "relation/de/adjective-name"},
      {"de", "Der Vorstandschef von Siemens, Roland Busch, sprach gestern.", {"role_at: Roland Busch -> Siemens"},
       "relation/de/org-role-person"},
      {"de", "Siemens-Chef Roland Busch sprach gestern.", {"role_at: Roland Busch -> Siemens"}, "relation/de/org-title-person"},
      {"de", "Northvolt, ein Partner der französischen Regierung, wartet.", {}, ""},
      {"fr", "Le fonds a racheté l’américain Equinix.", {"located_in: Equinix -> américain"}, "relation/fr/adjective-name"},
      {"fr", "« C’est un début », a dit Hélène Morvan, directrice générale de Numérion SA.",
       {"role_at: Hélène Morvan -> Numérion SA"}, "relation/fr/role-of-org"},
      {"es", "La Comisión eligió AI2F en Francia y SLAIF en Eslovenia.",
       {"located_in: AI2F -> Francia", "located_in: SLAIF -> Eslovenia"}, "relation/es/in-country"},
      {"es", "El superordenador MareNostrum 5, en Barcelona, España, funciona.", {"located_in: MareNostrum 5 -> España"},
       "relation/es/place-then-country"},
      {"es", "Mistral AI SAS (Francia) crece.", {"located_in: Mistral AI SAS -> Francia"}, "relation/es/country-in-brackets"},
      {"es", "La compañía francesa de semiconductores Soitec SA crece.", {"located_in: Soitec SA -> francesa"},
       "relation/es/adjective-name"},
      {"es", "La filial española de la Hexagon SAS crece.", {}, ""},
      {"es", "Lo dijo Irene Lasheras, directora de Semicondes Ibérica SL.", {"role_at: Irene Lasheras -> Semicondes Ibérica SL"},
       "relation/es/role-of-org"},
      {"es", "Según Marta Ortega, presidenta de Inditex, la demanda crece.", {"role_at: Marta Ortega -> Inditex"},
       "relation/es/role-of-org"},
      {"es", "Lo anunció Marc Murtra, el consejero delegado de Indra.", {"role_at: Marc Murtra -> Indra"},
       "relation/es/role-of-org"},
      {"es", "La directora general de Iberdrola España, Elena Sánchez, firmó.", {"role_at: Elena Sánchez -> Iberdrola"},
       "relation/es/org-role-person"},
      {"fr", "« C’est un début », a dit Aiman Ezzat, le directeur général de Capgemini.", {"role_at: Aiman Ezzat -> Capgemini"},
       "relation/fr/role-of-org"},
      {"fr", "Le directeur général de Capgemini France, Aiman Ezzat, a parlé.", {"role_at: Aiman Ezzat -> Capgemini"},
       "relation/fr/org-role-person"},
      {"fr", "La PDG d'Orano, Claude Imauven, a signé.", {"role_at: Claude Imauven -> Orano"}, "relation/fr/org-role-person"},
      {"it", "Lo ha detto Claudio Descalzi, l'amministratore delegato di Eni.", {"role_at: Claudio Descalzi -> Eni"},
       "relation/it/role-of-org"},
      {"it", "La direttrice generale di Enel Italia, Elena Marchetti, ha firmato.", {"role_at: Elena Marchetti -> Enel"},
       "relation/it/org-role-person"},
      {"it", "«Cresciamo», ha detto Elena Marchetti, portavoce di Siliqua.", {"role_at: Elena Marchetti -> Siliqua"},
       "relation/it/role-of-org"},
      {"fr", "Northvolt AB, basé à Skellefteå, en Suède, a fait faillite.", {"located_in: Northvolt AB -> Suède"},
       "relation/fr/in-country"},
      {"fr", "Mistral AI SAS (France) grandit.", {"located_in: Mistral AI SAS -> France"}, "relation/fr/country-in-brackets"},
      {"fr", "Voltaïa SAS, start-up française, grandit.", {"located_in: Voltaïa SAS -> française"},
       "relation/fr/name-apposition-adjective"},
      {"it", "Il supercomputer Leonardo, a Bologna, in Italia, funziona.", {"located_in: Leonardo -> Italia"},
       "relation/it/in-country"},
      {"it", "La società francese di semiconduttori Soitec SA cresce.", {"located_in: Soitec SA -> francese"},
       "relation/it/adjective-name"},
      {"it", "Il prestito è sottoscritto dal fondo danese Nordkap Capital.", {"located_in: Nordkap Capital -> danese"},
       "relation/it/adjective-name"},
      // -- not ties: a country beside a name, a role without its org
      {"de", "Frankreich und Northvolt verhandeln.", {}, ""},
      {"fr", "La France et Equinix n’ont rien signé.", {}, ""},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(std::string(c.lang) + ": " + c.text);
    std::vector<std::string> got;
    for (const std::string& r : RelationsOf(c.text, c.lang))
      if (!r.starts_with("investment")) got.push_back(r);
    EXPECT_EQ(got, c.relations);
    const Record record = ExtractIn(c.text, c.lang);
    if (!c.relations.empty() && !record.relations.empty()) {
      EXPECT_EQ(record.relations.front().rule, c.rule);
    }
  }
}

// Every relation file's examples, run as tests in their language.
TEST(RelationsTest, RelationFileExamplesHold) {
  static std::unique_ptr<Extractor> extractor = testing::NewExtractor();
  size_t examples = 0;
  for (const std::string lang : {"en", "de", "fr", "es", "it"}) {
    const RelationFrames* frames = testing::ProjectRules().Relations(lang);
    ASSERT_NE(frames, nullptr) << lang;
    for (const RelationExample& example : frames->examples) {
      const ExampleOutcome outcome = CheckRelationExample(example, lang, extractor.get());
      EXPECT_TRUE(outcome.passed) << outcome.message;
      ++examples;
    }
  }
  EXPECT_GE(examples, 10u);
}

TEST(RelationsTest, ALanguageWithoutFramesHasRelationsOffAndSaysWhy) {
  for (const std::string lang : {"en", "de", "fr", "es", "it"})
    EXPECT_EQ(RelationsOffReason(testing::ProjectRules(), lang), "") << lang;
  const std::string reason = RelationsOffReason(testing::ProjectRules(), "und");
  EXPECT_NE(reason.find("rules/relation/und.yaml"), std::string::npos) << reason;
  EXPECT_NE(reason.find("off"), std::string::npos) << reason;
}

TEST(RelationsTest, InvestmentsJoinMoneyWithFundersBeneficiariesAndPurpose) {
  const Case cases[] = {
      // -- the funder as subject of a paying verb, or after "by", "from", "led by", "under"
      {"The announcement of a €1.5 billion plan by the European High Performance Computing Joint Undertaking "
       "(EuroHPC) to establish the first AI Factories in Europe sets the stage.",
       {"investment: €1.5 billion; funders European High Performance Computing Joint Undertaking; beneficiaries ; "
        "purpose to establish the first AI Factories in Europe"}},
      {"The €1.5 billion investment is backed by EU funding, including the Digital Europe Program and Horizon Europe.",
       {"investment: €1.5 billion; funders Digital Europe Program, Horizon Europe; beneficiaries ; purpose "}},
      {"Intel had planned to invest about €30 billion in Fab 29, a plant near Magdeburg.",
       {"investment: about €30 billion; funders Intel; beneficiaries Fab 29; purpose "}},
      {"Parloa, a Berlin-based start-up, raised $66 million in a Series B led by Altimeter Capital in 2024.",
       {"investment: $66 million; funders Altimeter Capital; beneficiaries Parloa; purpose "}},
      {"In March, Intel was promised up to $8.5 billion in grants under the CHIPS and Science Act for plants in four "
       "US states.",
       {"investment: up to $8.5 billion; funders CHIPS and Science Act; beneficiaries Intel; purpose for plants in four "
        "US states"}},
      // -- the receiver: subject of raise/secure/receive, or after "to", "for", "in", "of"
      {"Singapore's Tidewell has raised US$60 million in a Series C round.",
       {"investment: US$60 million; funders ; beneficiaries Tidewell; purpose "}},
      {"Papua New Guinea will receive US$310 million to rebuild about 1,200 km of roads in the Highlands, matched by "
       "150 million kina from the national budget.",
       {"investment: US$310 million; funders ; beneficiaries Papua New Guinea; purpose to rebuild about 1,200 km of "
        "roads in the Highlands"}},
      {"The Commission cleared €5 billion of German state aid for chipmaker ESMC in August.",
       {"investment: €5 billion; funders ; beneficiaries ESMC; purpose "}},
      {"German chipmaker Rheinfeld agrees $4.6bn takeover of Israeli power-chip designer Qoravi",
       {"investment: $4.6bn; funders Rheinfeld; beneficiaries Qoravi; purpose "}},
      {"Advanced Micro Devices Inc agreed last year to buy Finland's Silo AI Oy for $665 million.",
       {"investment: $665 million; funders Advanced Micro Devices Inc; beneficiaries Silo AI Oy; purpose "}},
      // -- a programme's own budget, and names beside the money
      {"Horizon Europe, the main research programme, has a budget of €95.5 billion.",
       {"investment: €95.5 billion; funders Horizon Europe; beneficiaries ; purpose "}},
      {"The Meridian Development Finance Facility approved $1.9 billion for water, energy and transport projects in "
       "Jordan, Chad and Côte d’Ivoire, the largest round yet.",
       {"investment: $1.9 billion; funders Meridian Development Finance Facility; beneficiaries Jordan, Chad, Côte "
        "d’Ivoire; purpose for water, energy and transport projects in Jordan, Chad and Côte d’Ivoire"}},
      // -- not investments: revenue, valuations, prices, rates, nobody named
      {"Calder Microdevices said revenue rose 38% to $4.12 billion.", {}},
      {"Parloa is valued at more than $1 billion.", {}},
      {"EirGrid's auction secured 1.1 gigawatts at a cost of €318m.", {}},
      {"Redclay Digital has agreed to pay the county about $450 thousand a year.", {}},
      {"Sweden is putting in SEK 500 million, Norway has pledged NOK 200 million.", {}},
      {"Outside the EU, Britain has committed £1bn over ten years to its own strategy.", {}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.text);
    std::vector<std::string> investments;
    for (const std::string& r : RelationsOf(c.text))
      if (r.starts_with("investment")) investments.push_back(r);
    EXPECT_EQ(investments, c.relations);
  }
}

}  // namespace
}  // namespace factwire
