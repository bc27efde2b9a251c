// The golden corpus: each corpus/**/NAME.txt has a hand-verified NAME.gold.json. The
// pipeline must reproduce every golden fact of every type it has rules for exactly; a
// difference fails with a fact-by-fact diff. Golden files are truth: fix the rules, not
// the gold. The corpus may be annotated ahead of the rules (a type whose rules are still
// to come): such facts are checked for their offsets and reported as not yet compared.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <tuple>
#include <random>

#include "base/utf8.h"
#include "read/reader.h"
#include "test_support.h"

namespace factwire {
namespace {
namespace fs = std::filesystem;

std::vector<std::string> GoldenFiles() {
  std::vector<std::string> out;
  for (const auto& item : fs::recursive_directory_iterator(testing::SourceDir() + "/corpus"))
    if (item.path().string().ends_with(".gold.json")) out.push_back(item.path().string());
  std::sort(out.begin(), out.end());
  return out;
}

Article ReadArticle(const std::string& path) {
  Article article;
  ReadInputs({path}, {}, [&](Result<Article> item) {
    ASSERT_TRUE(item.ok()) << item.status().message();
    article = std::move(item.value());
  });
  return article;
}

std::string Show(const nlohmann::json& fact) {
  return fact["type"].get<std::string>() + " '" + fact["text"].get<std::string>() + "' [" +
         std::to_string(fact["start"].get<size_t>()) + "," + std::to_string(fact["end"].get<size_t>()) + ") " +
         fact["value"].dump();
}

nlohmann::json AsJson(const Fact& fact) {
  return {{"type", fact.type}, {"start", fact.start}, {"end", fact.end}, {"text", fact.text}, {"value", fact.value}};
}

bool Overlap(const nlohmann::json& a, const nlohmann::json& b) {
  return a["start"].get<size_t>() < b["end"].get<size_t>() && b["start"].get<size_t>() < a["end"].get<size_t>();
}

class CorpusTest : public ::testing::TestWithParam<std::string> {};

TEST_P(CorpusTest, MatchesTheGoldenRecord) {
  const std::string gold_path = GetParam();
  const std::string text_path = gold_path.substr(0, gold_path.size() - std::string(".gold.json").size()) + ".txt";
  std::ifstream in(gold_path);
  const nlohmann::json gold = nlohmann::json::parse(in);
  const Article article = ReadArticle(text_path);
  ASSERT_EQ(gold["id"], article.id);
  ASSERT_FALSE(article.published.empty()) << text_path << ": corpus articles carry a publication date";

  // The gold itself must respect the invariant, or it is not truth.
  const std::u32string original = testing::Decode(article.text);
  for (const auto& fact : gold["facts"])
    ASSERT_EQ(original.substr(fact["start"], fact["end"].get<size_t>() - fact["start"].get<size_t>()),
              testing::Decode(fact["text"]))
        << gold_path << ": golden fact " << Show(fact) << " does not match the article text";

  // Relations name golden facts by their start offset; each must exist.
  std::set<size_t> starts;
  for (const auto& fact : gold["facts"]) starts.insert(fact["start"].get<size_t>());
  for (const auto& relation : gold.value("relations", nlohmann::json::array()))
    for (const char* end : {"from", "to", "money"})
      if (relation.contains(end)) {
        EXPECT_TRUE(starts.count(relation[end].get<size_t>())) << gold_path << ": relation " << relation.dump() << " names no fact";
      }

  const Record record = testing::NewExtractor()->Extract(article);
  testing::ExpectOffsetsHold(article.text, record);
  std::vector<nlohmann::json> got;
  for (const Fact& fact : record.facts) got.push_back(AsJson(fact));

  std::set<std::string> extracted_types;
  for (const auto& file : testing::ProjectRules().files()) extracted_types.insert(file->type);
  std::map<std::string, int> not_compared;
  std::string diff;
  std::vector<bool> used(got.size(), false);
  for (const auto& want : gold["facts"]) {
    if (!extracted_types.count(want["type"])) {
      ++not_compared[want["type"]];
      continue;
    }
    size_t exact = got.size();
    size_t overlapping = got.size();
    for (size_t i = 0; i < got.size(); ++i) {
      if (used[i] || got[i]["type"] != want["type"]) continue;
      if (got[i]["start"] == want["start"] && got[i]["end"] == want["end"]) exact = i;
      else if (Overlap(got[i], want) && overlapping == got.size()) overlapping = i;
    }
    if (exact < got.size()) {
      used[exact] = true;
      if (got[exact]["value"] != want["value"])
        diff += "  wrong value: " + Show(want) + "\n               got " + got[exact]["value"].dump() + "\n";
    } else if (overlapping < got.size()) {
      used[overlapping] = true;
      diff += "  wrong span:  " + Show(want) + "\n               got " + Show(got[overlapping]) + "\n";
    } else {
      diff += "  missing:     " + Show(want) + "\n";
    }
  }
  for (size_t i = 0; i < got.size(); ++i)
    if (!used[i]) diff += "  unexpected:  " + Show(got[i]) + " (rule " + record.facts[i].rule + ")\n";
  // Relations, as (type, from start, to start): those factwire extracts, between facts of
  // compared types.
  std::map<size_t, std::string> type_at;
  for (const auto& fact : gold["facts"]) type_at[fact["start"].get<size_t>()] = fact["type"];
  const auto& relation_types = RelationTypes();
  std::set<std::tuple<std::string, size_t, size_t>> want_relations;
  size_t relations_not_compared = 0;
  for (const auto& relation : gold.value("relations", nlohmann::json::array())) {
    const std::string type = relation["type"];
    const bool compared = std::find(relation_types.begin(), relation_types.end(), type) != relation_types.end() &&
                          relation.contains("from") && extracted_types.count(type_at[relation["from"].get<size_t>()]) &&
                          extracted_types.count(type_at[relation["to"].get<size_t>()]);
    if (!compared) {
      ++relations_not_compared;
      continue;
    }
    want_relations.insert({type, relation["from"].get<size_t>(), relation["to"].get<size_t>()});
  }
  std::set<std::tuple<std::string, size_t, size_t>> got_relations;
  for (const Relation& relation : record.relations)
    got_relations.insert({relation.type, record.facts[relation.from].start, record.facts[relation.to].start});
  for (const auto& [type, from, to] : want_relations)
    if (!got_relations.count({type, from, to}))
      diff += "  missing:     " + type + " from " + std::to_string(from) + " to " + std::to_string(to) + "\n";
  for (const auto& [type, from, to] : got_relations)
    if (!want_relations.count({type, from, to}))
      diff += "  unexpected:  " + type + " from " + std::to_string(from) + " to " + std::to_string(to) + "\n";

  EXPECT_TRUE(diff.empty()) << text_path << " differs from " << gold_path << ":\n" << diff;
  for (const auto& [type, count] : not_compared)
    std::cout << gold_path << ": " << count << " golden " << type << " facts not compared yet (no rules for " << type << ")\n";
  if (relations_not_compared > 0)
    std::cout << gold_path << ": " << relations_not_compared << " golden relations not compared yet (their type or an end has no rules)\n";
}

INSTANTIATE_TEST_SUITE_P(Golden, CorpusTest, ::testing::ValuesIn(GoldenFiles()),
                         [](const ::testing::TestParamInfo<std::string>& param) {
                           std::string name = fs::path(param.param).filename().string();
                           name = name.substr(0, name.find('.'));
                           for (char& c : name)
                             if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                           return name;
                         });

TEST(CorpusSizeTest, AtLeastTwelveArticlesWithGoldenRecords) { EXPECT_GE(GoldenFiles().size(), 12u); }

}  // namespace
}  // namespace factwire

namespace factwire {
namespace {

// The offsets invariant on every corpus article, as written and disturbed with what real
// feeds contain: typographic spaces, quotes and dashes, invisible characters, ligatures,
// decomposed accents and bytes that are not UTF-8. Whatever the normaliser folds, every
// fact must still point at exactly its text in the original.
TEST(OffsetsTest, EveryFactOfEveryArticleSurvivesTypographicNoise) {
  const std::vector<std::pair<std::string, std::string>> noise = {
      {" ", "\u00A0"}, {" ", "\u202F"}, {"'", "\u2019"}, {"-", "\u2013"}, {"e", "e\u0301"},
      {"fi", "\uFB01"}, {"a", "a\u00AD"}, {"o", "o\u200B"}, {"1", "\uFF11"}, {".", ".\xFF"}};
  std::mt19937 random(42);
  std::unique_ptr<Extractor> extractor = testing::NewExtractor();
  size_t facts = 0;
  for (const auto& gold : GoldenFiles()) {
    const std::string path = gold.substr(0, gold.size() - std::string(".gold.json").size()) + ".txt";
    Article article = ReadArticle(path);
    for (int round = 0; round < 4; ++round) {
      if (round > 0) {  // replace about one in five occurrences of each pattern
        for (const auto& [from, to] : noise) {
          std::string out;
          size_t at = 0;
          for (size_t hit; (hit = article.text.find(from, at)) != std::string::npos; at = hit + from.size())
            out.append(article.text, at, hit - at).append(random() % 5 == 0 ? to : from);
          article.text = out + article.text.substr(at);
        }
      }
      const Record record = extractor->Extract(article);
      const std::string original = IsValidUtf8(article.text) ? article.text : RepairUtf8(article.text).text;
      testing::ExpectOffsetsHold(original, record);
      facts += record.facts.size();
    }
  }
  EXPECT_GT(facts, 1000u);
}

}  // namespace
}  // namespace factwire
