// The golden corpus: each corpus/**/NAME.txt has a hand-verified NAME.gold.json, and
// every golden record must be consistent with its article. On corpus/dev, the part rules
// are tuned on, the pipeline must reproduce every golden fact, located_in and role_at
// exactly (corpus/dev/news, general news written later, is held to floors instead); a difference fails with a fact-by-fact diff. Investment events are scored
// over all of corpus/dev against a floor (InvestmentTest). corpus/test is held out: only
// `factwire eval` scores it (ACCURACY.md). Golden files are truth: fix the rules, not
// the gold.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <tuple>
#include <random>

#include "base/utf8.h"
#include "eval/evaluator.h"
#include "read/reader.h"
#include "test_support.h"

namespace factwire {
namespace {
namespace fs = std::filesystem;

Article ReadArticle(const std::string& path) {
  Article article;
  ReadInputs({path}, {}, [&](Result<Article> item) {
    ASSERT_TRUE(item.ok()) << item.status().message();
    article = std::move(item.value());
  });
  return article;
}

std::string TextPathOf(const std::string& gold_path) {
  return gold_path.substr(0, gold_path.size() - std::string(".gold.json").size()) + ".txt";
}

// Golden files under corpus/PART ("dev", "test"), or all of corpus/ for an empty part;
// with `lang`, only those whose article is in that language; with `top_level`, not those
// in subfolders (the general news of corpus/PART/news, scored against floors instead).
std::vector<std::string> GoldenFiles(const std::string& part = "", const std::string& lang = "", bool top_level = false) {
  std::vector<std::string> out;
  for (auto it = fs::recursive_directory_iterator(testing::SourceDir() + "/corpus/" + part);
       it != fs::recursive_directory_iterator(); ++it) {
    const std::string path = it->path().string();
    if (!path.ends_with(".gold.json") || (top_level && it.depth() > 0)) continue;
    if (!lang.empty() && ReadArticle(TextPathOf(path)).lang != lang) continue;
    out.push_back(path);
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string Show(const nlohmann::json& fact) {
  return fact["type"].get<std::string>() + " '" + fact["text"].get<std::string>() + "' [" +
         std::to_string(fact["start"].get<size_t>()) + "," + std::to_string(fact["end"].get<size_t>()) + ") " +
         fact["value"].dump();
}

nlohmann::json AsJson(const Fact& fact) {
  return {{"type", fact.type}, {"start", fact.start}, {"end", fact.end}, {"text", fact.text}, {"value", ToJson(fact.value)}};
}

bool Overlap(const nlohmann::json& a, const nlohmann::json& b) {
  return a["start"].get<size_t>() < b["end"].get<size_t>() && b["start"].get<size_t>() < a["end"].get<size_t>();
}

nlohmann::json ReadGold(const std::string& gold_path) {
  std::ifstream in(gold_path);
  return nlohmann::json::parse(in);
}

class GoldTest : public ::testing::TestWithParam<std::string> {};

// The gold itself must respect the invariant and name only its own facts, or it is not
// truth.
TEST_P(GoldTest, IsConsistentWithItsArticle) {
  const std::string gold_path = GetParam();
  const nlohmann::json gold = ReadGold(gold_path);
  const Article article = ReadArticle(TextPathOf(gold_path));
  ASSERT_EQ(gold["id"], article.id);
  ASSERT_FALSE(article.published.empty()) << gold_path << ": corpus articles carry a publication date";
  const std::u32string original = testing::Decode(article.text);
  std::map<size_t, std::string> type_at;
  for (const auto& fact : gold["facts"]) {
    ASSERT_EQ(original.substr(fact["start"], fact["end"].get<size_t>() - fact["start"].get<size_t>()),
              testing::Decode(fact["text"]))
        << gold_path << ": golden fact " << Show(fact) << " does not match the article text";
    type_at[fact["start"].get<size_t>()] = fact["type"];
  }
  auto names = [&](const nlohmann::json& relation, const nlohmann::json& start, std::set<std::string> types) {
    const auto it = type_at.find(start.get<size_t>());
    EXPECT_TRUE(it != type_at.end() && types.count(it->second))
        << gold_path << ": relation " << relation.dump() << " names no fact of type " << *types.begin() << "... at " << start;
  };
  for (const auto& relation : gold.value("relations", nlohmann::json::array())) {
    const std::string type = relation["type"];
    if (type == "investment") {
      names(relation, relation["money"], {"money"});
      for (const auto& funder : relation["funders"]) names(relation, funder, {"org", "programme"});
      for (const auto& beneficiary : relation["beneficiaries"]) names(relation, beneficiary, {"org", "site", "country"});
      if (relation.contains("purpose")) {
        EXPECT_NE(article.text.find(relation["purpose"].get<std::string>()), std::string::npos)
            << gold_path << ": purpose not in the article: " << relation.dump();
      }
    } else {
      names(relation, relation["from"], {"site", "org", "person"});
      names(relation, relation["to"], {"country", "org"});
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Golden, GoldTest, ::testing::ValuesIn(GoldenFiles()),
                         [](const ::testing::TestParamInfo<std::string>& param) {
                           std::string name = fs::path(param.param).parent_path().filename().string() + "_" +
                                              fs::path(param.param).filename().string();
                           name = name.substr(0, name.find('.'));
                           for (char& c : name)
                             if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                           return name;
                         });

class CorpusTest : public ::testing::TestWithParam<std::string> {};

TEST_P(CorpusTest, MatchesTheGoldenRecord) {
  const std::string gold_path = GetParam();
  const std::string text_path = TextPathOf(gold_path);
  const nlohmann::json gold = ReadGold(gold_path);
  const Article article = ReadArticle(text_path);

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
  // The relation types factwire extracts; gold may hold others it does not (yet).
  const std::vector<std::string> relation_types = {"located_in", "role_at", "investment"};
  std::set<std::tuple<std::string, size_t, size_t>> want_relations;
  size_t relations_not_compared = 0;
  for (const auto& relation : gold.value("relations", nlohmann::json::array())) {
    const std::string type = relation["type"];
    if (type == "investment") continue;  // scored corpus-wide below
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
    if (relation.type != "investment")
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

INSTANTIATE_TEST_SUITE_P(Golden, CorpusTest, ::testing::ValuesIn(GoldenFiles("dev", "en", true)),
                         [](const ::testing::TestParamInfo<std::string>& param) {
                           std::string name = fs::path(param.param).filename().string();
                           name = name.substr(0, name.find('.'));
                           for (char& c : name)
                             if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                           return name;
                         });

// An investment as a comparable line: its money, funders and beneficiaries by start
// offset, and its purpose.
std::string InvestmentLine(size_t money, std::vector<size_t> funders, std::vector<size_t> beneficiaries,
                           const std::string& purpose) {
  std::sort(funders.begin(), funders.end());
  std::sort(beneficiaries.begin(), beneficiaries.end());
  std::string line = "money@" + std::to_string(money) + " funders@[";
  for (size_t f : funders) line += std::to_string(f) + " ";
  line += "] beneficiaries@[";
  for (size_t b : beneficiaries) line += std::to_string(b) + " ";
  return line + "] purpose '" + purpose + "'";
}

// Investment events need reading a sentence's structure, and the rules get most but not
// all of corpus/dev right. They are scored exactly (money, every party and the purpose
// must agree) over the whole dev corpus, and must not fall below the floor measured when
// the rules were written; every difference is printed.
TEST(InvestmentTest, DevCorpusScoresAtLeastTheFloor) {
  constexpr double kPrecisionFloor = 0.90;  // measured 0.94 (76 of 81)
  constexpr double kRecallFloor = 0.82;     // measured 0.86 (76 of 88)
  std::unique_ptr<Extractor> extractor = testing::NewExtractor();
  size_t want_total = 0, got_total = 0, matched = 0;
  for (const std::string& gold_path : GoldenFiles("dev", "en", true)) {
    const nlohmann::json gold = ReadGold(gold_path);
    const Record record = extractor->Extract(ReadArticle(TextPathOf(gold_path)));
    std::multiset<std::string> want, got;
    for (const auto& r : gold["relations"])
      if (r["type"] == "investment")
        want.insert(InvestmentLine(r["money"], r["funders"], r["beneficiaries"], r.value("purpose", "")));
    auto starts = [&](const std::vector<size_t>& facts) {
      std::vector<size_t> out;
      for (size_t i : facts) out.push_back(record.facts[i].start);
      return out;
    };
    for (const Relation& r : record.relations)
      if (r.type == "investment")
        got.insert(InvestmentLine(record.facts[r.from].start, starts(r.funders), starts(r.beneficiaries), r.purpose));
    want_total += want.size();
    got_total += got.size();
    for (const std::string& line : got) {
      if (auto it = want.find(line); it != want.end()) {
        ++matched;
        want.erase(it);
      } else {
        std::cout << gold_path << ": unexpected investment " << line << "\n";
      }
    }
    for (const std::string& line : want) std::cout << gold_path << ": missing investment " << line << "\n";
  }
  const double precision = got_total ? static_cast<double>(matched) / static_cast<double>(got_total) : 0;
  const double recall = want_total ? static_cast<double>(matched) / static_cast<double>(want_total) : 0;
  std::cout << "investments: " << matched << " exact of " << got_total << " extracted and " << want_total
            << " golden; precision " << precision << ", recall " << recall << "\n";
  EXPECT_GE(precision, kPrecisionFloor);
  EXPECT_GE(recall, kRecallFloor);
}

TEST(CorpusSizeTest, AtLeastTwelveArticlesWithGoldenRecords) { EXPECT_GE(GoldenFiles("dev").size(), 12u); }

TEST(CorpusSizeTest, AtLeastFiveArticlesPerLanguageInDevAndTest) {
  for (const char* lang : {"de", "fr", "es", "it"}) {
    EXPECT_GE(GoldenFiles("", lang).size(), 5u) << lang;
    EXPECT_GE(GoldenFiles("dev", lang).size(), 2u) << lang;
    EXPECT_GE(GoldenFiles("test", lang).size(), 2u) << lang;
  }
}

// German, French, Spanish and Italian dev articles are scored per fact type (strict span
// and value agreement, as `factwire eval` does) against floors set a little under what
// the rules reached when written; the eval table and every error are printed. English
// dev is held to exact equality above.
struct LanguageFloor {
  const char* lang;
  std::map<std::string, double> min_f1;  // strict F1 per fact type
  const char* folder = "corpus/dev";     // its articles, subfolders included
  const char* name = lang;               // of the test
};

void PrintTo(const LanguageFloor& floor, std::ostream* out) { *out << floor.name; }

class LanguageTest : public ::testing::TestWithParam<LanguageFloor> {};

TEST_P(LanguageTest, DevArticlesScoreAtLeastTheFloors) {
  const LanguageFloor& floor = GetParam();
  std::unique_ptr<Extractor> extractor = testing::NewExtractor();
  const std::string folder = testing::SourceDir() + "/" + floor.folder;
  Result<std::vector<EvalDocument>> gold = factwire::ReadGold(folder);
  ASSERT_TRUE(gold.ok()) << gold.status().message();
  EvalOptions options;
  options.max_errors = 1000;
  Evaluator evaluator(options);
  for (const EvalDocument& doc : gold.value()) {
    if (doc.lang != floor.lang) continue;
    const Record record = extractor->Extract(ReadArticle(folder + "/" + doc.id + ".txt"));
    nlohmann::json facts = nlohmann::json::array();
    for (const Fact& fact : record.facts)
      facts.push_back({{"type", fact.type}, {"start", fact.start}, {"end", fact.end}, {"value", ToJson(fact.value)}});
    Result<EvalDocument> system = DocumentFromRecord({{"id", doc.id}, {"facts", facts}});
    ASSERT_TRUE(system.ok()) << system.status().message();
    evaluator.Add(doc, &system.value());
  }
  const EvalReport& report = evaluator.report();
  std::cout << floor.name << " " << floor.folder << ":\n" << report.Table();
  for (const EvalError& error : report.errors)
    std::cout << "  " << error.document << " " << error.type << " " << error.kind << ": " << error.detail << "\n";
  for (const auto& [type, min_f1] : floor.min_f1) {
    const Score& score = report.facts.count(type) ? report.facts.at(type) : Score{};
    EXPECT_GE(Score::F1(score.strict, score.gold, score.system), min_f1) << floor.lang << " " << type;
  }
}

// Measured on corpus/dev when the rules were written (de org 0.91, es money 0.93, it org
// 0.99, everything else 1.00); the floors leave room for a new dev article, not for a
// regression.
std::map<std::string, double> Floors(double org, double money, double programme) {
  return {{"country", 0.95}, {"date", 0.95}, {"money", money}, {"org", org},
          {"person", 0.90}, {"programme", programme}, {"site", 0.90}};
}

INSTANTIATE_TEST_SUITE_P(Dev, LanguageTest,
                         ::testing::Values(LanguageFloor{"de", Floors(0.88, 0.95, 0.95)},
                                           LanguageFloor{"fr", Floors(0.95, 0.95, 0.90)},
                                           LanguageFloor{"es", Floors(0.95, 0.90, 0.90)},
                                           LanguageFloor{"it", Floors(0.95, 0.95, 0.90)}),
                         [](const ::testing::TestParamInfo<LanguageFloor>& param) { return std::string(param.param.name); });

// General news nobody tuned the rules on when it was written (issue 15): wire copy, UK
// and US business, politics, sports, science. Floors a little under what the rules score
// there, so a change that loses what they find fails.
INSTANTIATE_TEST_SUITE_P(News, LanguageTest,
                         ::testing::Values(LanguageFloor{"en", {{"country", 0.95}, {"date", 0.95}, {"money", 0.96}, {"org", 0.86}, {"person", 0.93}}, "corpus/dev/news", "en_news"}),
                         [](const ::testing::TestParamInfo<LanguageFloor>& param) { return std::string(param.param.name); });

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
