// Alert rules (include/factwire/alerts.h): load errors name file:line; conditions on
// typed values, EUR conversion at the article's date, named country sets, relations,
// sentence scope, stable ids; and one real article end to end.
#include "factwire/alerts.h"

#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdio>
#include <fstream>

#include "test_support.h"

namespace factwire {
namespace {

class AlertsTest : public ::testing::Test {
 protected:
  void TearDown() override {
    if (!path_.empty()) std::remove(path_.c_str());
  }
  // Writes `yaml` to a file of this test's own (ctest runs tests side by side) and
  // loads it with the project's sets and rates.
  Result<std::unique_ptr<AlertRules>> Load(const std::string& yaml) {
    path_ = ::testing::TempDir() + "alerts_test_" + ::testing::UnitTest::GetInstance()->current_test_info()->name() +
            "_" + std::to_string(::getpid()) + ".yaml";
    std::ofstream(path_) << yaml;
    return AlertRules::Load(path_, testing::SourceDir() + "/rules");
  }
  std::unique_ptr<AlertRules> MustLoad(const std::string& yaml) {
    Result<std::unique_ptr<AlertRules>> rules = Load(yaml);
    EXPECT_TRUE(rules.ok()) << rules.status().message();
    return rules.ok() ? std::move(rules.value()) : nullptr;
  }
  std::string path_;
};

Fact Money(size_t start, int64_t amount, const std::string& currency) {
  MoneyValue money;
  money.amount = Decimal::FromUnits(amount, 0).value();
  money.currency = currency;
  return {"money", start, start + 5, "money", money, "money/en/test"};
}

Fact Country(size_t start, const std::string& iso2) {
  return {"country", start, start + 5, iso2, CountryValue{iso2, iso2}, "country/en/test"};
}

Fact Programme(size_t start, const std::string& name) {
  return {"programme", start, start + 5, name, ProgrammeValue{name, std::nullopt}, "programme/en/test"};
}

Record RecordOf(std::vector<Fact> facts, const std::string& published = "2024-05-01") {
  Record record;
  record.id = "article-1";
  record.published = published;
  record.facts = std::move(facts);
  record.sentences = {{0, 100}, {100, 200}};
  return record;
}

constexpr const char* kBigEuInvestment = R"(- id: big-eu-investment
  when:
    money: {at_least: 100000000, currency: EUR}
    country: {in: eu}
)";

TEST_F(AlertsTest, MoneyIsConvertedToEurosAtTheArticlesDate) {
  std::unique_ptr<AlertRules> rules = MustLoad(kBigEuInvestment);
  ASSERT_TRUE(rules);
  struct Case {
    const char* name;
    Fact money;
    bool fires;
  };
  // ECB 2024 averages: USD 1.0824 and GBP 0.84662 per euro.
  const Case cases[] = {
      {"USD 110m is EUR 101.6m", Money(10, 110'000'000, "USD"), true},
      {"USD 105m is EUR 97.0m", Money(10, 105'000'000, "USD"), false},
      {"GBP 90m is EUR 106.3m", Money(10, 90'000'000, "GBP"), true},
      {"GBP 80m is EUR 94.5m", Money(10, 80'000'000, "GBP"), false},
      {"EUR 100m exactly", Money(10, 100'000'000, "EUR"), true},
      {"a currency without rates never compares", Money(10, 900'000'000'000, "XAF"), false},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(rules->Evaluate(RecordOf({c.money, Country(50, "ES")})).size(), c.fires ? 1u : 0u);
  }
}

TEST_F(AlertsTest, TheRateIsTheArticlesYearsElseTheLatest) {
  std::unique_ptr<AlertRules> rules = MustLoad(kBigEuInvestment);
  ASSERT_TRUE(rules);
  // USD 1.1827 per euro in 2021: USD 115m is EUR 97.2m then, EUR 106.2m at 2024's 1.0824.
  EXPECT_TRUE(rules->Evaluate(RecordOf({Money(10, 115'000'000, "USD"), Country(50, "FR")}, "2021-03-01")).empty());
  EXPECT_EQ(rules->Evaluate(RecordOf({Money(10, 115'000'000, "USD"), Country(50, "FR")}, "2030-01-01")).size(), 1u);
  EXPECT_EQ(rules->Evaluate(RecordOf({Money(10, 115'000'000, "USD"), Country(50, "FR")}, "")).size(), 1u);
}

TEST_F(AlertsTest, CountrySetsAndListsAndRelations) {
  std::unique_ptr<AlertRules> rules = MustLoad(R"(- id: eu-money
  when: {money: {currency: EUR}, country: {in: eu}}
- id: g7-or-norway
  when: {country: {in: [g7, NO]}}
- id: invested
  when: {money: {currency: EUR}, relation: investment}
)");
  ASSERT_TRUE(rules);
  Record record = RecordOf({Money(10, 5'000'000, "EUR"), Country(50, "NO")});
  std::vector<Alert> alerts = rules->Evaluate(record);
  ASSERT_EQ(alerts.size(), 1u) << "Norway is in no EU set, but in the list";
  EXPECT_EQ(alerts[0].rule, "g7-or-norway");
  record.facts.push_back(Country(60, "DE"));
  record.relations.push_back({"investment", 0, 0, "relation/en/test", {}, {2}, ""});
  alerts = rules->Evaluate(record);
  ASSERT_EQ(alerts.size(), 3u);
  EXPECT_EQ(alerts[0].rule, "eu-money");
  EXPECT_EQ(alerts[0].facts, (std::vector<size_t>{0, 2}));
  EXPECT_EQ(alerts[2].rule, "invested");
  EXPECT_EQ(alerts[2].notify, std::vector<std::string>{"log"});
}

TEST_F(AlertsTest, WithinSentenceNeedsEveryConditionInOneSentence) {
  std::unique_ptr<AlertRules> rules = MustLoad(R"(- id: per-sentence
  when: {money: {currency: EUR}, country: {iso2: es}}
  within: sentence
- id: per-article
  when: {money: {currency: EUR}, country: {iso2: ES}}
)");
  ASSERT_TRUE(rules);
  const std::vector<Alert> apart = rules->Evaluate(RecordOf({Money(10, 5, "EUR"), Country(150, "ES")}));
  ASSERT_EQ(apart.size(), 1u);
  EXPECT_EQ(apart[0].rule, "per-article");
  EXPECT_EQ(rules->Evaluate(RecordOf({Money(110, 5, "EUR"), Country(150, "ES")})).size(), 2u);
}

TEST_F(AlertsTest, FieldsCompareAsTheRecordShowsThemIgnoringCase) {
  std::unique_ptr<AlertRules> rules = MustLoad("- id: horizon\n  when: {programme: {name: horizon europe}}\n");
  ASSERT_TRUE(rules);
  EXPECT_EQ(rules->Evaluate(RecordOf({Programme(5, "Horizon Europe")})).size(), 1u);
  EXPECT_TRUE(rules->Evaluate(RecordOf({Programme(5, "Digital Europe")})).empty());
}

TEST_F(AlertsTest, IdsAreStableAndNameTheArticleAndFacts) {
  std::unique_ptr<AlertRules> rules = MustLoad(kBigEuInvestment);
  ASSERT_TRUE(rules);
  const Record record = RecordOf({Money(10, 500'000'000, "EUR"), Country(50, "ES")});
  const std::string id = rules->Evaluate(record).at(0).id;
  EXPECT_EQ(id.size(), 32u);
  EXPECT_EQ(rules->Evaluate(record).at(0).id, id) << "the same article twice: the same alert";
  Record other = record;
  other.id = "article-2";
  EXPECT_NE(rules->Evaluate(other).at(0).id, id);
}

TEST_F(AlertsTest, NotifyNamesTheChannelsEachAlertGoesTo) {
  std::unique_ptr<AlertRules> rules = MustLoad(std::string(kBigEuInvestment) +
                                               "- id: hooked\n  when: {country: {in: [ES]}}\n  notify: [webhook]\n");
  ASSERT_TRUE(rules);
  EXPECT_EQ(rules->RulesNotifying("webhook"), std::vector<std::string>{"hooked"});
  EXPECT_EQ(rules->RulesNotifying("log"), std::vector<std::string>{"big-eu-investment"}) << "log is the default";
  const std::vector<Alert> alerts = rules->Evaluate(RecordOf({Money(10, 500'000'000, "EUR"), Country(50, "ES")}));
  ASSERT_EQ(alerts.size(), 2u);
  EXPECT_EQ(alerts[0].notify, std::vector<std::string>{"log"});
  EXPECT_EQ(alerts[1].notify, std::vector<std::string>{"webhook"});
}

TEST_F(AlertsTest, BadRulesNameTheirFileAndLine) {
  struct Case {
    const char* name;
    const char* yaml;
    const char* error;  // after "PATH:"
  };
  const Case cases[] = {
      {"not a list", "id: x\n", "1: alert rules are a list"},
      {"unknown type", "- id: a\n  when:\n    moneys: {currency: EUR}\n", "3: 'moneys' is no fact type"},
      {"bounds without currency", "- id: a\n  when:\n    money: {at_least: 5}\n", "3: at_least and at_most need the currency"},
      {"unknown set", "- id: a\n  when:\n    country: {in: asean}\n", "3: 'asean' is neither a set"},
      {"unknown currency", "- id: a\n  when:\n    money:\n      currency: XYZ\n", "4: no reference rates for currency 'XYZ'"},
      {"a bound that is no number", "- id: a\n  when:\n    money: {at_least: lots, currency: EUR}\n", "3: at_least wants a number"},
      {"unknown relation", "- id: a\n  when:\n    money: {currency: EUR}\n    relation: owns\n", "4: relation 'owns'"},
      {"bad within", "- id: a\n  when: {money: {currency: EUR}}\n  within: paragraph\n", "3: within is article or sentence"},
      {"bad notify", "- id: a\n  when: {money: {currency: EUR}}\n  notify: [email]\n", "3: notify 'email'"},
      {"no id", "- when: {money: {currency: EUR}}\n", "1: the rule has no id"},
      {"an empty id", "- id:\n  when: {money: {currency: EUR}}\n", "1: id wants a name"},
      {"a bound that is not a number", "- id: a\n  when:\n    money: {at_least: .nan, currency: EUR}\n",
       "3: at_least wants a number"},
      {"no condition", "- id: a\n  when: {relation: investment}\n", "1: rule 'a' has no fact condition"},
      {"duplicate id", "- id: a\n  when: {money: {currency: EUR}}\n- id: a\n  when: {money: {currency: EUR}}\n",
       "3: duplicate id 'a'"},
      {"malformed YAML", "- id: a\n  when: {money: [\n", "3: "},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    Result<std::unique_ptr<AlertRules>> rules = Load(c.yaml);
    ASSERT_FALSE(rules.ok());
    EXPECT_NE(rules.status().message().find(path_ + ":" + c.error), std::string::npos) << rules.status().message();
  }
}

TEST_F(AlertsTest, ARealArticleRaisesItsAlertWithTheSentence) {
  std::unique_ptr<AlertRules> rules = MustLoad(R"(- id: big-eu-investment
  when:
    money: {at_least: 100000000, currency: EUR}
    country: {in: eu}
    relation: investment
  within: sentence
)");
  ASSERT_TRUE(rules);
  const std::string text = "Wind power grows. The EIB lends €500 million to Iberdrola for wind farms in Spain.";
  Record record = testing::ExtractText(text, "2024-05-01");
  record.text = text;
  ASSERT_EQ(record.sentences.size(), 2u);
  const std::vector<Alert> alerts = rules->Evaluate(record);
  ASSERT_EQ(alerts.size(), 1u);
  const nlohmann::json line = nlohmann::json::parse(AlertJsonLine(alerts[0], record));
  EXPECT_EQ(line["rule"], "big-eu-investment");
  EXPECT_EQ(line["article"], "test");
  ASSERT_EQ(line["facts"].size(), 2u);
  EXPECT_EQ(line["facts"][0]["text"], "€500 million");
  EXPECT_EQ(line["facts"][1]["value"]["iso2"], "ES");
  EXPECT_EQ(line["facts"][0]["sentence"], "The EIB lends €500 million to Iberdrola for wind farms in Spain.");
}

TEST_F(AlertsTest, SentencesAreCutFromTheRepairedTextWhenTheInputIsNotUtf8) {
  std::unique_ptr<AlertRules> rules = MustLoad("- id: eu-money\n  when: {money: {currency: EUR}, country: {in: eu}}\n");
  ASSERT_TRUE(rules);
  // A windows-1252 pound sign and NBSP sent as if UTF-8: each becomes one U+FFFD.
  const std::string text = "Price \xa3\xa0" "5. The EIB lends €500 million to Iberdrola in Spain.";
  Record record = testing::ExtractText(text, "2024-05-01");
  record.text = text;
  const std::vector<Alert> alerts = rules->Evaluate(record);
  ASSERT_EQ(alerts.size(), 1u);
  const nlohmann::json line = nlohmann::json::parse(AlertJsonLine(alerts[0], record));
  EXPECT_EQ(line["facts"][0]["text"], "€500 million");
  EXPECT_EQ(line["facts"][0]["sentence"], "The EIB lends €500 million to Iberdrola in Spain.");
}

}  // namespace
}  // namespace factwire
