// Precision audits: the sample is uniform, reproducible and carries the fact's context.
#include <gtest/gtest.h>

#include <map>

#include "eval/sampler.h"

namespace factwire {
namespace {

// An article "€0 €1 €2 ..." of `n` money facts and its record (offsets in code points).
std::pair<Article, Record> MoneyArticle(size_t n) {
  Article article;
  Record record;
  record.id = "a";
  size_t code_points = 0;
  for (size_t k = 0; k < n; ++k) {
    const std::string amount = "€" + std::to_string(k);
    const size_t length = 1 + std::to_string(k).size();
    if (k > 0) {
      article.text += " ";
      ++code_points;
    }
    record.facts.push_back({"money", code_points, code_points + length, amount, Value(), "money/xx/x"});
    article.text += amount;
    code_points += length;
  }
  return {article, record};
}

TEST(FactSamplerTest, SameSeedSameSampleInInputOrder) {
  const auto [article, record] = MoneyArticle(200);
  auto draw = [&](uint64_t seed) {
    FactSampler sampler("money", 10, seed);
    sampler.Add(article, record);
    std::vector<std::string> texts;
    for (const SampledFact& s : sampler.Sample()) texts.push_back(s.fact.text);
    return texts;
  };
  const std::vector<std::string> first = draw(7);
  EXPECT_EQ(first.size(), 10u);
  EXPECT_EQ(first, draw(7));
  EXPECT_NE(first, draw(8));
  for (size_t i = 1; i < first.size(); ++i)  // input order: "€K" by K
    EXPECT_LT(std::stoi(first[i - 1].substr(3)), std::stoi(first[i].substr(3)));
}

TEST(FactSamplerTest, OtherTypesAreNotOfferedAndFewFactsAreAllKept) {
  auto [article, record] = MoneyArticle(3);
  record.facts[1].type = "date";
  FactSampler sampler("money", 50, 1);
  sampler.Add(article, record);
  EXPECT_EQ(sampler.seen(), 2u);
  ASSERT_EQ(sampler.Sample().size(), 2u);
  EXPECT_EQ(sampler.Sample()[1].fact.text, "€2");
}

// Each of 20 facts should be drawn about 5 times in 20 samples of 5 from 400 seeds.
TEST(FactSamplerTest, EveryFactIsAboutEquallyLikely) {
  const auto [article, record] = MoneyArticle(20);
  std::map<std::string, int> drawn;
  for (uint64_t seed = 0; seed < 400; ++seed) {
    FactSampler sampler("money", 5, seed);
    sampler.Add(article, record);
    for (const SampledFact& s : sampler.Sample()) ++drawn[s.fact.text];
  }
  ASSERT_EQ(drawn.size(), 20u);
  for (const auto& [text, count] : drawn) {  // expected 100 each
    EXPECT_GT(count, 60) << text;
    EXPECT_LT(count, 140) << text;
  }
}

TEST(FactSamplerTest, ContextMarksTheFactInCodePoints) {
  Article article;
  article.text = "Die EIB gibt\n€5 Mio. für\tÜmlaut";
  Record record;
  record.id = "x";
  record.facts.push_back({"money", 13, 20, "€5 Mio.", Value(), "money/de/x"});
  FactSampler sampler("money", 1, 1);
  sampler.Add(article, record);
  ASSERT_EQ(sampler.Sample().size(), 1u);
  EXPECT_EQ(sampler.Sample()[0].context, "Die EIB gibt [[€5 Mio.]] für Ümlaut");
  EXPECT_NE(FormatSampledFact(sampler.Sample()[0]).find("x\t[13,20)\tmoney/de/x\t"), std::string::npos);
}

}  // namespace
}  // namespace factwire
