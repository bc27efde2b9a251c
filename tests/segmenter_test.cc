#include "segment/segmenter.h"

#include <gtest/gtest.h>

#include "test_support.h"

namespace factwire {
namespace {

std::vector<std::string> Split(const std::string& text) {
  SegmenterOptions options;
  options.abbreviations = testing::ProjectRules().Abbreviations("en");
  Result<std::unique_ptr<Segmenter>> segmenter = Segmenter::Create(options);
  EXPECT_TRUE(segmenter.ok());
  std::vector<std::string> out;
  uint32_t expected_begin = 0;
  for (const Span& span : segmenter.value()->Sentences(text)) {
    EXPECT_EQ(span.begin, expected_begin) << "spans must tile the text";
    expected_begin = span.end;
    out.push_back(text.substr(span.begin, span.end - span.begin));
  }
  EXPECT_EQ(expected_begin, text.size());
  return out;
}

TEST(SegmenterTest, AbbreviationsDoNotEndSentences) {
  const std::vector<std::string> sentences =
      Split("Mr. Smith met Dr. Jones on Nov. 3 in the U.S. capital. No. 10 said e.g. this. Then left.");
  ASSERT_EQ(sentences.size(), 3u);
  EXPECT_EQ(sentences[0], "Mr. Smith met Dr. Jones on Nov. 3 in the U.S. capital. ");
  EXPECT_EQ(sentences[1], "No. 10 said e.g. this. ");
  EXPECT_EQ(sentences[2], "Then left.");
}

TEST(SegmenterTest, LineBreaksEndHeadlinesAndParagraphs) {
  const std::vector<std::string> sentences = Split("Europe Invests €1.5bn in AI\n\nThe plan is set. It runs");
  ASSERT_EQ(sentences.size(), 4u);
  EXPECT_EQ(sentences[0], "Europe Invests €1.5bn in AI\n");
  EXPECT_EQ(sentences[3], "It runs");
}

TEST(SegmenterTest, EmptyTextIsOneEmptySpan) {
  EXPECT_EQ(Split("").size(), 1u);
}

TEST(SegmenterTest, SpanIndexOfFindsTheContainingSpan) {
  const std::vector<Span> spans = {{0, 5}, {5, 9}, {9, 20}};
  EXPECT_EQ(SpanIndexOf(spans, 0), 0u);
  EXPECT_EQ(SpanIndexOf(spans, 4), 0u);
  EXPECT_EQ(SpanIndexOf(spans, 5), 1u);
  EXPECT_EQ(SpanIndexOf(spans, 19), 2u);
}

}  // namespace
}  // namespace factwire
