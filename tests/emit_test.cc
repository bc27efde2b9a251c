// The JSONL line a record becomes: written piece by piece, it must still be exactly the
// JSON of the record, whatever its strings hold.
#include <gtest/gtest.h>

#include "emit/emitter.h"

namespace factwire {
namespace {

Record TrickyRecord() {
  Record record;
  record.id = "a \"quoted\" id\\with\nnewline\tand\x01control";
  record.source = "corpus/dev/x.txt";
  record.lang = "en";  // published stays empty: null
  record.title = "Zürich — €1.5bn";
  record.url = "https://example.com/\xff";  // not UTF-8: replaced, not dropped
  Fact money;
  money.type = "money";
  money.start = 3;
  money.end = 10;
  money.text = "€1.5bn";
  money.value = MoneyValue{*Decimal::Parse("1500000000"), std::nullopt, std::nullopt, "EUR", "about"};
  money.rule = "money/en/symbol-number-magnitude";
  Fact country = money;
  country.type = "country";
  country.text = "Spain";
  country.value = CountryValue{"ES", "Spain"};
  country.rule = "country/en/name";
  record.facts = {money, country};
  Relation investment;
  investment.type = "investment";
  investment.from = investment.to = 0;
  investment.funders = {1};
  investment.purpose = "for \"AI\" sites";
  investment.rule = "relation/en/investment-give";
  Relation located;
  located.type = "located_in";
  located.from = 0;
  located.to = 1;
  located.rule = "relation/en/located-in";
  record.relations = {investment, located};
  record.warnings = {"line 3: odd", "second"};
  return record;
}

TEST(EmitTest, TheLineIsTheRecordsJson) {
  const std::string line = RenderJsonl(TrickyRecord(), {});
  ASSERT_FALSE(line.empty());
  EXPECT_EQ(line.back(), '\n');
  EXPECT_EQ(line.find('\n'), line.size() - 1) << "one line per record";
  const nlohmann::ordered_json json = nlohmann::ordered_json::parse(line);

  // -- fields in DESIGN.md's order
  std::vector<std::string> keys;
  for (const auto& item : json.items()) keys.push_back(item.key());
  EXPECT_EQ(keys, (std::vector<std::string>{"id", "source", "published", "lang", "title", "url", "facts", "relations", "warnings"}));
  // -- strings survive escaping; text that is not UTF-8 is replaced
  EXPECT_EQ(json["id"], TrickyRecord().id);
  EXPECT_TRUE(json["published"].is_null());
  EXPECT_EQ(json["title"], "Zürich — €1.5bn");
  EXPECT_EQ(json["url"], "https://example.com/\xEF\xBF\xBD");
  // -- facts count from 1 and carry their values whole
  ASSERT_EQ(json["facts"].size(), 2u);
  EXPECT_EQ(json["facts"][0]["id"], 1);
  EXPECT_EQ(json["facts"][1]["id"], 2);
  EXPECT_EQ(json["facts"][0]["value"], nlohmann::ordered_json(ToJson(TrickyRecord().facts[0].value)));
  EXPECT_EQ(json["facts"][1]["value"], nlohmann::ordered_json::parse(R"({"iso2":"ES","name":"Spain"})"));
  EXPECT_EQ(json["facts"][0]["start"], 3);
  EXPECT_EQ(json["facts"][0]["text"], "€1.5bn");
  // -- relations name facts by id
  EXPECT_EQ(json["relations"][0]["money"], 1);
  EXPECT_EQ(json["relations"][0]["funders"], nlohmann::ordered_json::array({2}));
  EXPECT_EQ(json["relations"][0]["beneficiaries"], nlohmann::ordered_json::array());
  EXPECT_EQ(json["relations"][0]["purpose"], "for \"AI\" sites");
  EXPECT_EQ(json["relations"][1], nlohmann::ordered_json::parse(
                                      R"({"type":"located_in","from":1,"to":2,"rule":"relation/en/located-in"})"));
  EXPECT_EQ(json["warnings"], nlohmann::ordered_json::array({"line 3: odd", "second"}));
}

TEST(EmitTest, PrettyAndToJsonSayTheSameAsTheLine) {
  const Record record = TrickyRecord();
  const auto line = nlohmann::ordered_json::parse(RenderJsonl(record, {}));
  EXPECT_EQ(nlohmann::ordered_json::parse(RenderJsonl(record, {.pretty = true})), line);
  EXPECT_EQ(ToJson(record), line);
}

TEST(EmitTest, AnEmptyRecordHasEmptyLists) {
  Record record;
  record.id = "empty";
  EXPECT_EQ(RenderJsonl(record, {}),
            "{\"id\":\"empty\",\"source\":\"\",\"published\":null,\"lang\":null,\"facts\":[],\"relations\":[],\"warnings\":[]}\n");
}

// Regression: the summary kept every money fact of the run to show the five largest, so
// memory grew with the input (133 MB after 200 MB of articles, 55 MB after 20).
TEST(RunSummaryTest, KeepsOnlyTheLargestAmounts) {
  RunSummary summary;
  for (int article = 0; article < 1000; ++article) {
    Record record;
    record.id = std::to_string(article).insert(0, 1, 'a');
    Fact money;
    money.type = "money";
    money.text = std::string("€").append(std::to_string(article % 97));
    money.value = MoneyValue{*Decimal::FromUnits(article % 97, 0), std::nullopt, std::nullopt, "EUR", std::nullopt};
    record.facts = {money, money};
    summary.Add(record);
  }
  // 96 is the largest amount; equal amounts rank by their text, greatest first, as when
  // the summary sorted every amount it had kept.
  EXPECT_EQ(summary.Largest(), (std::vector<std::string>{"€96  (a969)", "€96  (a969)", "€96  (a96)", "€96  (a96)",
                                                         "€96  (a872)"}));
  EXPECT_EQ(summary.articles(), 1000u);
}

// The fast path for plain text and nlohmann's escaping must write the same bytes: checked
// against nlohmann's dump on strings at each edge of "plain".
TEST(EmitTest, AppendJsonStringWritesWhatNlohmannWrites) {
  const std::string cases[] = {"", "Spain", "a \"quote\"", "back\\slash", "tab\there", std::string("nul\0byte", 8),
                               "\x1f unit separator", "\x7f delete", " ~ edges", "Zürich €1.5bn 🇪🇸", "bad \xff byte",
                               "cut \xe2\x82"};
  for (const std::string& s : cases) {
    SCOPED_TRACE(s);
    std::string out = "x";
    AppendJsonString(s, &out);
    EXPECT_EQ(out, std::string("x").append(nlohmann::json(s).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)));
  }
}

}  // namespace
}  // namespace factwire
