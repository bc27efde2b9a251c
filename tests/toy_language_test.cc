// A new language is a folder of data: Portuguese rules written to a temporary folder
// (common macros, money, country, org and relation files, and their word lists) are
// loaded and extract a Portuguese article, relations included, with no rebuild.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "emit/emitter.h"
#include "pipeline/extractor.h"
#include "relate/relations.h"
#include "test_support.h"

namespace factwire {
namespace {
namespace fs = std::filesystem;

const char* const kToyFiles[][2] = {
    {"gazetteers/currencies.pt.tsv", "euros\tEUR\tafter\n"},
    {"gazetteers/magnitudes.pt.tsv", "milhões\t1000000\tword\n"},
    {"gazetteers/country_names.pt.tsv", "PT\tPortugal\nES\tEspanha\n"},
    {"money/pt.yaml",
     "lexicons:\n"
     "  currency: gazetteers/currencies.pt.tsv\n"
     "  magnitude: gazetteers/magnitudes.pt.tsv\n"
     "macros:\n"
     "  CUR: {lexicon: currency, ends_word: true}\n"
     "  MAG: {lexicon: magnitude, ends_word: true}\n"
     "rules:\n"
     "  - id: money/pt/number-magnitude-currency\n"
     "    pattern: '(?P<num>{LOCAL_NUMBER}) (?P<mag>{MAG}) de (?P<cur>{CUR})'\n"},
    {"country/pt.yaml",
     "lexicons:\n"
     "  country_name: gazetteers/country_names.pt.tsv\n"
     "gazetteers:\n"
     "  - id: country/pt/name\n"
     "    lexicon: country_name\n"
     "    match: value\n"},
    {"org/pt.yaml",
     "rules:\n"
     "  - id: org/pt/legal-form\n"
     "    pattern: '\\b(?P<span>{UPPER}{LOWER}+(?: {UPPER}{LOWER}+)* (?:SA|Lda))\\b'\n"},
    {"relation/pt.yaml",
     "frames:\n"
     "  - id: relation/pt/com-sede-em\n"
     "    # \"a Lusitânia Dados SA, com sede em Portugal\"\n"
     "    relation: located_in\n"
     "    from: [site, org]\n"
     "    to: country\n"
     "    gap: ',? com sede em '\n"},
};

class ToyRules : public factwire::testing::TempRuleFolder {
 public:
  ToyRules() {
    fs::create_directories(fs::path(dir()) / "common");
    fs::copy_file(fs::path(testing::SourceDir()) / "rules/common/macros.yaml", fs::path(dir()) / "common/macros.yaml");
    for (const auto& [path, content] : kToyFiles) Write(path, content);
  }
};

TEST(ToyLanguageTest, APortugueseRulesFolderExtractsFactsAndRelations) {
  ToyRules toy;
  Result<std::unique_ptr<RuleSet>> rules = LoadRules(toy.dir());
  ASSERT_TRUE(rules.ok()) << rules.status().message();
  EXPECT_EQ(RelationsOffReason(*rules.value(), "pt"), "");
  Result<std::unique_ptr<Extractor>> extractor = Extractor::Create(*rules.value());
  ASSERT_TRUE(extractor.ok()) << extractor.status().message();
  Article article;
  article.id = "toy";
  article.lang = "pt";
  article.text = "A Lusitânia Dados SA, com sede em Portugal, vai investir 1.250 milhões de euros em Espanha.";
  const Record record = extractor.value()->Extract(article);
  EXPECT_EQ(record.lang, "pt");
  EXPECT_TRUE(record.warnings.empty()) << record.warnings.front();

  const nlohmann::ordered_json json = ToJson(record);
  std::vector<std::string> facts;
  for (const auto& fact : json["facts"]) facts.push_back(fact["type"].get<std::string>() + " " + fact["value"].dump() + " " + fact["rule"].get<std::string>());
  EXPECT_EQ(facts, (std::vector<std::string>{
                       R"(org {"name":"Lusitânia Dados SA"} org/pt/legal-form)",
                       R"(country {"iso2":"PT","name":"Portugal"} country/pt/name)",
                       R"(money {"amount":1250000000,"currency":"EUR"} money/pt/number-magnitude-currency)",
                       R"(country {"iso2":"ES","name":"Espanha"} country/pt/name)",
                   }));
  ASSERT_EQ(record.relations.size(), 1u);  // Espanha is where the money goes, not the seat
  const Relation& located = record.relations[0];
  EXPECT_EQ(located.type, "located_in");
  EXPECT_EQ(record.facts[located.from].text, "Lusitânia Dados SA");
  EXPECT_EQ(record.facts[located.to].text, "Portugal");
  EXPECT_EQ(located.rule, "relation/pt/com-sede-em");
}

TEST(ToyLanguageTest, WithoutARelationFileALanguageHasNoRelations) {
  EXPECT_NE(RelationsOffReason(testing::ProjectRules(), "pt"), "");
}

}  // namespace
}  // namespace factwire
