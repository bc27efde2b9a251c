// The scorer of `factwire eval`, against cases computed by hand.
#include <gtest/gtest.h>

#include <fstream>

#include "eval/evaluator.h"

namespace factwire {
namespace {

EvalFact F(const char* type, size_t start, size_t end, nlohmann::json value = nullptr) {
  return {type, start, end, std::move(value)};
}

TEST(MatchFactsTest, PairsOneToOne) {
  struct Case {
    const char* name;
    std::vector<EvalFact> gold, system;
    bool strict;
    std::vector<MatchPair> pairs;
  };
  const Case cases[] = {
      // -- strict: identical spans only, each fact used once
      {"identical", {F("money", 0, 5)}, {F("money", 0, 5)}, true, {{0, 0}}},
      {"overlap is not strict", {F("money", 0, 5)}, {F("money", 0, 6)}, true, {}},
      {"a duplicate system fact matches once", {F("money", 0, 5)}, {F("money", 0, 5), F("money", 0, 5)}, true, {{0, 0}}},
      {"types must agree", {F("money", 0, 5)}, {F("country", 0, 5)}, false, {}},
      // -- relaxed: overlapping spans, strict partners first
      {"overlap", {F("org", 10, 20)}, {F("org", 15, 25)}, false, {{0, 0}}},
      {"touching is not overlapping", {F("org", 10, 20)}, {F("org", 20, 25)}, false, {}},
      {"the identical span wins over an earlier overlap", {F("org", 0, 10)}, {F("org", 2, 8), F("org", 0, 10)}, false,
       {{0, 1}}},
      // Greedy in order would give A the first overlap [5,15) and leave B alone; the
      // largest matching pairs A with [0,6) and B with [5,15).
      {"maximum matching", {F("org", 0, 10), F("org", 10, 20)}, {F("org", 5, 15), F("org", 0, 6)}, false,
       {{0, 1}, {1, 0}}},
      {"one system fact spanning two gold ones counts once", {F("date", 0, 4), F("date", 5, 9)}, {F("date", 0, 9)},
       false, {{0, 0}}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(MatchFacts(c.gold, c.system, c.strict), c.pairs);
  }
}

TEST(ValuesAgreeTest, ToleranceAndKeysPerType) {
  struct Case {
    const char* type;
    nlohmann::json gold, system;
    bool agree;
  };
  const Case cases[] = {
      // -- money: amount within 0.5%, same currency
      {"money", {{"amount", 1000}, {"currency", "EUR"}}, {{"amount", 1004}, {"currency", "EUR"}}, true},
      {"money", {{"amount", 1000}, {"currency", "EUR"}}, {{"amount", 995}, {"currency", "EUR"}}, true},
      {"money", {{"amount", 1000}, {"currency", "EUR"}}, {{"amount", 1006}, {"currency", "EUR"}}, false},
      {"money", {{"amount", 1000}, {"currency", "EUR"}}, {{"amount", 1000}, {"currency", "USD"}}, false},
      {"money", {{"amount", 1000}, {"currency", "EUR"}}, {{"currency", "EUR"}}, false},
      // -- dates: the same iso, whatever the grain says
      {"date", {{"iso", "2025-Q3"}, {"grain", "quarter"}}, {{"iso", "2025-Q3"}}, true},
      {"date", {{"iso", "2025-Q3"}}, {{"iso", "2025-09"}}, false},
      // -- countries: the same iso2
      {"country", {{"iso2", "DE"}, {"name", "Germany"}}, {{"iso2", "DE"}, {"name", "German"}}, true},
      {"country", {{"iso2", "DE"}}, {{"iso2", "AT"}}, false},
      // -- names: equal ignoring case
      {"org", {{"name", "EuroHPC Joint Undertaking"}}, {{"name", "EUROHPC joint undertaking"}}, true},
      {"site", {{"name", "LUMI"}, {"kind", "supercomputer"}}, {{"name", "LUMI-AI"}}, false},
      {"person", {{"name", "Henna Virkkunen"}}, "Henna Virkkunen", false},  // not an object
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(std::string(c.type) + " " + c.gold.dump() + " vs " + c.system.dump());
    EXPECT_EQ(ValuesAgree(c.type, c.gold, c.system), c.agree);
  }
}

TEST(EvaluatorTest, CountsScoresAndErrorsOfOneDocument) {
  EvalDocument gold;
  gold.id = "a";
  gold.text = "EuroHPC will invest €1.5bn in Spain and Italy in 2025.";
  gold.facts = {F("org", 0, 7, {{"name", "EuroHPC"}}), F("money", 20, 26, {{"amount", 1.5e9}, {"currency", "EUR"}}),
                F("country", 30, 35, {{"iso2", "ES"}}), F("country", 40, 45, {{"iso2", "IT"}}),
                F("date", 49, 53, {{"iso", "2025"}})};
  gold.relations = {{"investment", 20, 20, {0}, {30, 40}, ""}};
  EvalDocument system;
  system.id = "a";
  system.facts = {F("org", 0, 7, {{"name", "eurohpc"}}),                                 // strict, value right
                  F("money", 19, 26, {{"amount", 1.5e9}, {"currency", "USD"}}),           // relaxed, value wrong
                  F("country", 30, 35, {{"iso2", "ES"}}),                                 // strict
                  F("date", 49, 53),                                                      // strict, no value
                  F("person", 0, 7)};                                                     // a false hit
  system.relations = {{"investment", 19, 19, {0}, {30}, ""}};  // money span differs: no match
  Evaluator evaluator(EvalOptions{{}, 10});
  evaluator.Add(gold, &system);
  const EvalReport& report = evaluator.report();

  // Overall: 5 gold, 5 system; strict 3 (org, country, date), relaxed 4 (+ money).
  EXPECT_EQ(report.overall.gold, 5u);
  EXPECT_EQ(report.overall.system, 5u);
  EXPECT_EQ(report.overall.strict, 3u);
  EXPECT_EQ(report.overall.relaxed, 4u);
  EXPECT_DOUBLE_EQ(Score::Precision(report.overall.strict, report.overall.system), 0.6);
  EXPECT_DOUBLE_EQ(Score::F1(report.overall.relaxed, report.overall.gold, report.overall.system), 0.8);
  // Values are compared where both sides have one: org (right), money (wrong), country (right).
  EXPECT_EQ(report.overall.value_checked, 3u);
  EXPECT_EQ(report.overall.value_correct, 2u);
  EXPECT_EQ(report.facts.at("country").gold, 2u);
  EXPECT_EQ(report.facts.at("country").strict, 1u);
  EXPECT_EQ(report.facts.at("person").system, 1u);
  EXPECT_EQ(report.relations.at("investment").gold, 1u);
  EXPECT_EQ(report.relations.at("investment").system, 1u);
  EXPECT_EQ(report.relations.at("investment").strict, 0u);

  std::multiset<std::string> kinds;
  for (const EvalError& e : report.errors) kinds.insert(e.type + " " + e.kind);
  EXPECT_EQ(kinds, (std::multiset<std::string>{"money wrong span", "money wrong value", "country missed",
                                                "person false hit", "investment missed", "investment false hit"}));
  // Errors show the fact in its context.
  for (const EvalError& e : report.errors) {
    if (e.type != "country") continue;
    EXPECT_NE(e.detail.find("[[Italy]]"), std::string::npos) << e.detail;
  }
}

TEST(EvaluatorTest, TypesFilterAndErrorLimit) {
  EvalDocument gold;
  gold.id = "b";
  gold.facts = {F("money", 0, 3), F("money", 5, 8), F("country", 10, 15)};
  Evaluator evaluator(EvalOptions{{"money"}, 1});
  evaluator.Add(gold, nullptr);  // no system record: everything missed
  const EvalReport& report = evaluator.report();
  EXPECT_EQ(report.facts.count("country"), 0u);
  EXPECT_EQ(report.overall.gold, 2u);
  EXPECT_EQ(report.missing_documents, std::vector<std::string>{"b"});
  EXPECT_EQ(report.errors.size(), 1u);  // two misses, one listed
}

TEST(DocumentFromRecordTest, RelationsNameFactsByStartOffset) {
  const nlohmann::json record = nlohmann::json::parse(R"({
    "id": "r", "facts": [
      {"id": 1, "type": "org", "start": 0, "end": 7},
      {"id": 2, "type": "money", "start": 20, "end": 26},
      {"id": 3, "type": "country", "start": 30, "end": 35}],
    "relations": [
      {"type": "located_in", "from": 1, "to": 3},
      {"type": "investment", "money": 2, "funders": [1], "beneficiaries": [3], "purpose": "for X"}]})");
  Result<EvalDocument> doc = DocumentFromRecord(record);
  ASSERT_TRUE(doc.ok()) << doc.status().message();
  ASSERT_EQ(doc.value().relations.size(), 2u);
  EXPECT_EQ(doc.value().relations[0].from, 0u);
  EXPECT_EQ(doc.value().relations[0].to, 30u);
  EXPECT_EQ(doc.value().relations[1].from, 20u);
  EXPECT_EQ(doc.value().relations[1].funders, std::vector<size_t>{0});
  EXPECT_EQ(doc.value().relations[1].beneficiaries, std::vector<size_t>{30});
  EXPECT_EQ(doc.value().relations[1].purpose, "for X");

  // Bad shapes are errors, not crashes.
  EXPECT_FALSE(DocumentFromRecord(nlohmann::json::parse(R"({"facts": []})")).ok());
  EXPECT_FALSE(DocumentFromRecord(nlohmann::json::parse(R"({"id": "x", "facts": [{"type": "org"}]})")).ok());
  EXPECT_FALSE(DocumentFromRecord(nlohmann::json::parse(
                   R"({"id": "x", "facts": [], "relations": [{"type": "located_in", "from": 1, "to": 2}]})"))
                   .ok());
}

// MEANTIME's shape (../shared/data/README): facts under `gold`, a date's value a bare
// TIMEX3 string, the entity an org stands for in `entity`.
TEST(ReadGoldTest, ReadsGoldListsInMeantimeShape) {
  const std::string path = ::testing::TempDir() + "/meantime_shape.jsonl";
  {
    std::ofstream out(path);
    out << R"({"id": "m1", "lang": "en", "text": "Boeing, March 1, 2008", "gold": [)"
        << R"({"type": "org", "start": 0, "end": 6, "text": "Boeing", "entity": "Boeing Co"},)"
        << R"({"type": "date", "start": 8, "end": 21, "text": "March 1, 2008", "value": "2008-03-01"}]})" << "\n";
  }
  Result<std::vector<EvalDocument>> docs = ReadGold(path);
  ASSERT_TRUE(docs.ok()) << docs.status().message();
  ASSERT_EQ(docs.value().size(), 1u);
  const EvalDocument& doc = docs.value()[0];
  EXPECT_EQ(doc.lang, "en");
  ASSERT_EQ(doc.facts.size(), 2u);
  EXPECT_EQ(doc.facts[0].value, nlohmann::json({{"name", "Boeing Co"}}));
  EXPECT_EQ(doc.facts[1].value, nlohmann::json({{"iso", "2008-03-01"}}));
  EXPECT_EQ(doc.facts[1].start, 8u);
}

// A `gold` list of the wrong shape is an error naming the file and line, not a crash;
// odd values are kept as they are, and simply fail to agree.
TEST(ReadGoldTest, BadGoldListsNameTheLine) {
  const std::string path = ::testing::TempDir() + "/meantime_bad.jsonl";
  {
    std::ofstream out(path);
    out << R"({"id": "ok", "text": "2008", "gold": [{"type": "date", "start": 0, "end": 4, "value": 5, "entity": 7}]})" << "\n";
    out << R"({"id": "bad", "text": "x", "gold": "not a list"})" << "\n";
  }
  Result<std::vector<EvalDocument>> docs = ReadGold(path);
  ASSERT_FALSE(docs.ok());
  EXPECT_NE(docs.status().message().find(path + ":2"), std::string::npos) << docs.status().message();
  {
    std::ofstream out(path);
    out << R"({"id": "ok", "text": "2008", "gold": [{"type": "date", "start": 0, "end": 4, "value": 5, "entity": 7}]})" << "\n";
  }
  docs = ReadGold(path);
  ASSERT_TRUE(docs.ok()) << docs.status().message();
  EXPECT_EQ(docs.value()[0].facts[0].value, nlohmann::json(5));
}

}  // namespace
}  // namespace factwire
