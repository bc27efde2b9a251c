#include "normalise/normaliser.h"

#include <gtest/gtest.h>

#include <random>

#include "base/utf8.h"

namespace factwire {
namespace {

Document Normalise(const std::string& input) {
  static const Result<Normaliser> normaliser = Normaliser::Create();
  Document doc;
  normaliser.value().Normalise(input, &doc);
  return doc;
}

struct Case {
  const char* name;
  std::string input;
  std::string normalised;
};

TEST(NormaliserTest, UnifiesSpacesQuotesDashesAndCompatibilityForms) {
  const Case cases[] = {
      // -- untouched
      {"ascii", "EUR 300m in Germany.", "EUR 300m in Germany."},
      {"euro sign", "€1.5bn", "€1.5bn"},
      {"letters with accents", "Türkiye, Côte", "Türkiye, Côte"},
      // -- spaces
      {"no-break space", "€1.5\u00A0billion", "€1.5 billion"},
      {"narrow no-break space", "1\u202F234", "1 234"},
      {"thin space", "a\u2009b", "a b"},
      // -- quotes and dashes
      {"curly apostrophe", "Spain\u2019s", "Spain's"},
      {"curly double quotes", "\u201CAI\u201D", "\"AI\""},
      {"en dash range", "€20\u201330m", "€20-30m"},
      {"em dash", "a\u2014b", "a-b"},
      {"minus sign", "\u22125", "-5"},
      // -- NFKC
      {"ligature", "\uFB01nance", "finance"},
      {"full-width digits", "\uFF11\uFF12", "12"},
      {"decomposed accent composes", "Tu\u0308rkiye", "Türkiye"},
      // -- invisible characters go
      {"soft hyphen", "super\u00ADcomputer", "supercomputer"},
      {"zero width space", "EU\u200BR", "EUR"},
      {"byte order mark", "\uFEFFtext", "text"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const Document doc = Normalise(c.input);
    EXPECT_EQ(doc.text, c.normalised);
    EXPECT_TRUE(doc.warnings.empty());
  }
}

TEST(NormaliserTest, InvalidUtf8IsRepairedWithAWarning) {
  const Document doc = Normalise("caf\xE9 \xFF ok");
  EXPECT_EQ(doc.original(), "caf\uFFFD \uFFFD ok");
  EXPECT_EQ(doc.text, "caf\uFFFD \uFFFD ok");
  ASSERT_EQ(doc.warnings.size(), 1u);
  EXPECT_NE(doc.warnings[0].find("2 sequence(s)"), std::string::npos) << doc.warnings[0];
  EXPECT_NE(doc.warnings[0].find("byte 3"), std::string::npos) << doc.warnings[0];
}

TEST(NormaliserTest, OffsetMapPointsBackToTheOriginalBytes) {
  const std::string input = "\uFB01 \u2019x\u2019 e\u0301!";  // "ﬁ ’x’ é!" with a decomposed é
  const Document doc = Normalise(input);
  ASSERT_EQ(doc.text, "fi 'x' \u00E9!");
  // "fi" came from the three bytes of the ligature: both halves map to all of it.
  EXPECT_EQ(doc.map.ToOriginalBegin(0), 0u);
  EXPECT_EQ(doc.map.ToOriginalEnd(1), 3u);  // a span ending inside "fi" widens to the ligature
  EXPECT_EQ(doc.map.ToOriginalEnd(2), 3u);
  // "x" sits between two three-byte quotes.
  const size_t x = doc.text.find('x');
  EXPECT_EQ(input.substr(doc.map.ToOriginalBegin(x), doc.map.ToOriginalEnd(x + 1) - doc.map.ToOriginalBegin(x)), "x");
  // "é" (two bytes) came from "e" + U+0301 (three bytes).
  const size_t e = doc.text.find("\u00E9");
  EXPECT_EQ(input.substr(doc.map.ToOriginalBegin(e), doc.map.ToOriginalEnd(e + 2) - doc.map.ToOriginalBegin(e)), "e\u0301");
  EXPECT_EQ(doc.map.ToOriginalEnd(doc.text.size()), input.size());
}

// Reference check on generated inputs: every span of the normalised text whose ends lie
// on segment boundaries maps back to original bytes that normalise to exactly that span.
TEST(NormaliserTest, OffsetMapAgreesWithNormalisingTheMappedBackSpanOnGeneratedText) {
  const std::vector<std::string> pieces = {
      "a", "Z", "7", " ", ".", "\n", "€", "£", "\u00A0", "\u202F", "\u2019", "\u201C", "\u2013",
      "\u2014", "\uFB01", "\uFF11", "e\u0301", "\u0301", "\u00AD", "\u200B", "😀", "\u1100\u1161",
      "\u00E9", "\u3000", "\xFF", "\xE2\x82", "ü", "\u2163"};
  std::mt19937 random(20261124);
  for (int round = 0; round < 400; ++round) {
    std::string input;
    const int length = 1 + static_cast<int>(random() % 24);
    for (int k = 0; k < length; ++k) input += pieces[random() % pieces.size()];
    const Document doc = Normalise(input);
    ASSERT_TRUE(IsValidUtf8(doc.text)) << input;
    // Boundaries: where the map moves on to a new original offset.
    std::vector<size_t> boundaries = {0};
    for (size_t b = 1; b < doc.text.size(); ++b)
      if (doc.map.ToOriginalBegin(b) != doc.map.ToOriginalBegin(b - 1)) boundaries.push_back(b);
    boundaries.push_back(doc.text.size());
    for (size_t i = 0; i < boundaries.size(); ++i) {
      for (size_t j = i + 1; j < boundaries.size(); ++j) {
        const size_t begin = doc.map.ToOriginalBegin(boundaries[i]);
        const size_t end = doc.map.ToOriginalEnd(boundaries[j]);
        ASSERT_LE(begin, end);
        const std::string original(doc.original().substr(begin, end - begin));
        EXPECT_EQ(Normalise(original).text, doc.text.substr(boundaries[i], boundaries[j] - boundaries[i]))
            << "input #" << round << " span [" << boundaries[i] << "," << boundaries[j] << ")";
      }
    }
  }
}

}  // namespace
}  // namespace factwire
