#include <gtest/gtest.h>

#include <set>
#include <string>

#include "match/matcher.h"
#include "test_support.h"

namespace factwire {
namespace {

std::vector<std::string> TokenTexts(const std::string& text) {
  std::vector<std::string> out;
  for (const Token& t : Tokenise(text)) out.push_back(text.substr(t.begin, t.end - t.begin));
  return out;
}

TEST(TokeniseTest, WordsAndSingleSymbols) {
  EXPECT_EQ(TokenTexts("the U.S. and Spain's €1.5bn"),
            (std::vector<std::string>{"the", "U", ".", "S", ".", "and", "Spain", "'", "s", "€", "1", ".", "5bn"}));
  EXPECT_EQ(TokenTexts("Türkiye\u00A0São-Tomé"), (std::vector<std::string>{"Türkiye", "São", "-", "Tomé"}));
  EXPECT_TRUE(TokenTexts(" \n\t").empty());
}

struct Hit {
  std::string key;
  std::string text;
  bool operator==(const Hit&) const = default;
};

std::vector<Hit> Find(const Gazetteer& gazetteer, const std::string& text) {
  const std::vector<Token> tokens = Tokenise(text);
  std::vector<Hit> hits;
  gazetteer.FindAll(text, tokens, [&](const GazetteerEntry& entry, size_t first, size_t end) {
    hits.push_back({entry.key, text.substr(tokens[first].begin, tokens[end - 1].end - tokens[first].begin)});
  });
  return hits;
}

TEST(GazetteerTest, MatchesWholeTokenSequencesOnly) {
  Gazetteer gazetteer;
  gazetteer.Add("Guinea", "GN");
  gazetteer.Add("Papua New Guinea", "PG");
  gazetteer.Add("U.S.", "US");
  gazetteer.Add("Côte d\u2019Ivoire", "CI");  // stored normalised: matches the ASCII apostrophe
  EXPECT_EQ(Find(gazetteer, "Papua New Guinea and Guinea"),
            (std::vector<Hit>{{"PG", "Papua New Guinea"}, {"GN", "Guinea"}, {"GN", "Guinea"}}));
  EXPECT_EQ(Find(gazetteer, "Guineas GuineaX the U.S. market"), (std::vector<Hit>{{"US", "U.S."}}));
  EXPECT_EQ(Find(gazetteer, "from Côte d'Ivoire"), (std::vector<Hit>{{"CI", "Côte d'Ivoire"}}));
  EXPECT_TRUE(Find(gazetteer, "guinea pigs").empty()) << "case matters";
}

// A stem ("apport*") stands for longer words beginning so; the longest stem wins, and a
// word that is only the stem, or shorter than three bytes before the '*', matches none.
TEST(LexiconTest, FindStemTakesTheLongestStemOfALongerWord) {
  Lexicon lexicon;
  lexicon.Add({"apport*", "", {"give"}});
  lexicon.Add({"apporter*", "", {"receive"}});
  lexicon.Add({"ab*", "", {"give"}});
  const struct {
    const char* word;
    const char* tag;  // of the stem found; "" for none
  } cases[] = {
      {"apporte", "give"}, {"apporteront", "receive"}, {"apporter", "give"}, {"apport", ""}, {"abonne", ""}, {"rapport", ""},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.word);
    const LexiconEntry* entry = lexicon.FindStem(c.word);
    EXPECT_EQ(entry ? entry->tags[0] : "", c.tag);
  }
}

// The filter in front of the name maps may say "maybe" for a word never added, never
// "no" for one added in any ASCII case: checked against a plain set of the words, as
// the table grows from empty past several doublings.
TEST(WordFilterTest, NeverMissesAnAddedWordAndRarelyPassesAnother) {
  WordFilter filter;
  std::set<std::string> added;
  EXPECT_FALSE(filter.MayContain("Spain")) << "an empty filter holds nothing";
  for (int i = 0; i < 5000; ++i) {
    const std::string word = "Name" + std::to_string(i * 7);
    filter.Add(word);
    added.insert(word);
    ASSERT_TRUE(filter.MayContain(word)) << word;
  }
  size_t passed = 0;
  size_t absent = 0;
  for (int i = 0; i < 40000; ++i) {
    const std::string word = "name" + std::to_string(i);
    const std::string number = word.substr(4);
    if (added.count(std::string("Name").append(number)) > 0) {
      EXPECT_TRUE(filter.MayContain(word)) << word << " in another case";
      EXPECT_TRUE(filter.MayContain(std::string("NAME").append(number))) << word << " in capitals";
    } else {
      ++absent;
      passed += filter.MayContain(word);
    }
  }
  EXPECT_LT(static_cast<double>(passed) / static_cast<double>(absent), 0.02);
}

}  // namespace
}  // namespace factwire

namespace factwire {
namespace {

// What a gazetteer reads from a file (Lexicon::ReadEntries, no indexes) is what a
// lexicon loaded from it holds, entry for entry: the same normalised surfaces, a later
// line replacing an earlier one with the same surface in its place, and the same errors.
TEST(LexiconTest, ReadEntriesGivesTheEntriesAddSourceKeeps) {
  testing::TempRuleFolder folder;
  folder.Write("names.tsv",
               "# given names\n"
               "Ａｎｎａ\tAnna\tword\n"  // fullwidth: normalised like any surface
               "Jose\u0301\tJosé\n"      // a combining accent: composed
               "Mark\tMark\tword\n"
               "\n"
               "Anna\tAnna Maria\n"      // the same surface as line 2 once normalised
               "Zoe\n");
  const Result<std::vector<LexiconEntry>> read = Lexicon::ReadEntries("names.tsv", folder.dir());
  ASSERT_TRUE(read.ok()) << read.status().message();
  Lexicon lexicon;
  ASSERT_TRUE(lexicon.AddSource("names.tsv", folder.dir()).ok());
  ASSERT_EQ(read.value().size(), lexicon.entries().size());
  ASSERT_EQ(read.value().size(), 4u);
  for (size_t i = 0; i < read.value().size(); ++i) {
    EXPECT_EQ(read.value()[i].surface, lexicon.entries()[i].surface) << i;
    EXPECT_EQ(read.value()[i].value, lexicon.entries()[i].value) << i;
    EXPECT_EQ(read.value()[i].tags, lexicon.entries()[i].tags) << i;
  }
  EXPECT_EQ(read.value()[0].value, "Anna Maria") << "the later line wins, in the earlier one's place";

  const Result<std::vector<LexiconEntry>> icu = Lexicon::ReadEntries("icu:months", folder.dir());
  Lexicon months;
  ASSERT_TRUE(icu.ok() && months.AddSource("icu:months", folder.dir()).ok());
  EXPECT_EQ(icu.value().size(), months.entries().size());

  folder.Write("bad.tsv", "a\tb\tc\td\n");
  const Result<std::vector<LexiconEntry>> bad = Lexicon::ReadEntries("bad.tsv", folder.dir());
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(), lexicon.AddSource("bad.tsv", folder.dir()).message());
}

}  // namespace
}  // namespace factwire
