// Money and countries on the seed article and the issue's own examples. The rule files'
// examples (rule_examples_test) cover each form; these pin the article that started it.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "emit/emitter.h"
#include "test_support.h"

namespace factwire {
namespace {

std::string SeedText() {
  std::ifstream in(testing::SourceDir() + "/../shared/seed/000_f780682e5ef680e9.txt");
  if (!in) in.open(testing::SourceDir() + "/corpus/dev/eurohpc-ai-factories.txt");
  std::stringstream buffer;
  buffer << in.rdbuf();
  std::string text = buffer.str();
  if (text.rfind("---\n", 0) == 0) text = text.substr(text.find("\n---\n") + 5);
  return text;
}

TEST(SeedArticleTest, EveryEuroAmountIsOnePointFiveBillionAndThePoundAmountIsGbp) {
  const std::string text = SeedText();
  const Record record = testing::ExtractText(text);
  testing::ExpectOffsetsHold(text, record);
  std::vector<std::string> money;
  for (const Fact& fact : record.facts) {
    if (fact.type != "money") continue;
    money.push_back(fact.text);
    if (ToJson(fact.value)["currency"] == "EUR") {
      EXPECT_EQ(ToJson(fact.value)["amount"], 1500000000) << fact.text;
    }
  }
  EXPECT_EQ(money, (std::vector<std::string>{"€1.5bn", "€1.5 billion", "€1.5 billion", "£28 billion"}));
  for (const Fact& fact : record.facts)
    if (fact.text == "£28 billion") {
      EXPECT_EQ(ToJson(fact.value), (nlohmann::json{{"amount", 28000000000}, {"currency", "GBP"}}));
    }
  for (const Fact& fact : record.facts) EXPECT_EQ(fact.text.find("million users"), std::string::npos);
}

TEST(SeedArticleTest, CountriesComeOutWithIsoCodesAndEuropeDoesNot) {
  const Record record = testing::ExtractText(SeedText());
  std::set<std::string> codes;
  for (const Fact& fact : record.facts) {
    if (fact.type != "country") continue;
    codes.insert(ToJson(fact.value)["iso2"].get<std::string>());
    EXPECT_NE(fact.text, "Europe");
    EXPECT_NE(fact.text, "EU");
    EXPECT_NE(fact.text, "European");
  }
  EXPECT_EQ(codes, (std::set<std::string>{"ES", "IT", "FI", "LU", "SE", "DE", "GR", "GB", "ID"}));
}

TEST(MoneyTest, AmountAndCountryInOneSentence) {
  const Record record = testing::ExtractText("Acme raised EUR 300m in Germany.");
  ASSERT_EQ(record.facts.size(), 2u);
  EXPECT_EQ(record.facts[0].type, "money");
  EXPECT_EQ(record.facts[0].start, 12u);
  EXPECT_EQ(record.facts[0].end, 20u);
  EXPECT_EQ(ToJson(record.facts[0].value), (nlohmann::json{{"amount", 300000000}, {"currency", "EUR"}}));
  EXPECT_EQ(record.facts[0].rule, "money/en/symbol-number-magnitude");
  EXPECT_EQ(record.facts[1].type, "country");
  EXPECT_EQ(ToJson(record.facts[1].value), (nlohmann::json{{"iso2", "DE"}, {"name", "Germany"}}));
}

TEST(MoneyTest, AmountsNeverSpanTwoSentences) {
  const Record record = testing::ExtractText("It grew by 5.\nMillion euros were not spent.");
  for (const Fact& fact : record.facts) EXPECT_NE(fact.type, "money") << fact.text;
}

// Regression: amounts went through double ("EUR 1.15bn" was 1.15 * 1e9 rounded back, and
// "$1.234567891m" came out as 1234568 because it was within 1e-6 of an integer). Now
// the digits are multiplied exactly and the record prints every one of them.
TEST(MoneyTest, AmountsAreExactDecimals) {
  struct Case {
    const char* text;
    const char* match;
    const char* amount;  // as the record prints it
  };
  const Case cases[] = {
      {"It raised €1.15bn.", "€1.15bn", "1150000000"},
      {"It raised 1.1 billion euros.", "1.1 billion euros", "1100000000"},
      {"It raised $0.3m.", "$0.3m", "300000"},
      {"It raised half a billion dollars.", "half a billion dollars", "500000000"},
      {"It raised $1.234567891bn.", "$1.234567891bn", "1234567891"},
      {"It paid $1.234567891m.", "$1.234567891m", "1234567.891"},
      {"It paid $0.1234567 a share.", "$0.1234567", "0.1234567"},
      {"It paid $12345678.123456789 in all.", "$12345678.123456789", "12345678.123456789"},  // 17 digits: no double holds them
      {"It paid €2.50 each.", "€2.50", "2.5"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.text);
    const Record record = testing::ExtractText(c.text);
    ASSERT_EQ(record.facts.size(), 1u);
    ASSERT_EQ(record.facts[0].text, c.match);
    const auto* money = std::get_if<MoneyValue>(&record.facts[0].value);
    ASSERT_NE(money, nullptr);
    EXPECT_EQ(money->amount.ToString(), c.amount);
    const std::string line = RenderJsonl(record, {});
    EXPECT_NE(line.find(std::string("\"value\":{\"amount\":") + c.amount + ","), std::string::npos) << line;
  }
}

TEST(MoneyTest, ExtractionIsDeterministicAcrossExtractors) {
  const std::string text = SeedText();
  Article article;
  article.text = text;
  const Record a = testing::NewExtractor()->Extract(article);
  const Record b = testing::NewExtractor()->Extract(article);
  ASSERT_FALSE(a.facts.empty()) << "the seed text has facts: an empty record proves nothing";
  // The whole record as emitted: every fact's span, text, value and rule, and every relation.
  EXPECT_EQ(RenderJsonl(a, {}), RenderJsonl(b, {}));
}

}  // namespace
}  // namespace factwire
