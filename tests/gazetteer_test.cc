#include <gtest/gtest.h>
#include <re2/re2.h>

#include <algorithm>
#include <random>
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

Lexicon LexiconOf(const std::vector<std::string>& surfaces) {
  Lexicon lexicon;
  for (const std::string& surface : surfaces) lexicon.Add({surface, surface, {}});
  return lexicon;
}

// The first match of `pattern` in `text`, or "" for none.
std::string FirstMatch(const std::string& pattern, const std::string& text) {
  const RE2 regex(pattern);
  EXPECT_TRUE(regex.ok()) << pattern;
  re2::StringPiece match;
  return regex.Match(text, 0, text.size(), RE2::UNANCHORED, &match, 1) ? std::string(match) : "";
}

TEST(LexiconAlternationTest, OfTwoSurfacesMatchingAtOnePlaceTheLongerWins) {
  struct Case {
    std::vector<std::string> surfaces;
    bool ends_word;
    bool ignore_case;
    std::string text;
    std::string match;
  };
  const std::vector<Case> cases = {
      {{"pound", "pounds", "pounds sterling"}, true, false, "100 pounds sterling", "pounds sterling"},
      {{"pounds sterling", "pounds", "pound"}, true, false, "100 pounds each", "pounds"},
      {{"EUR", "euros"}, false, true, "5 EUROS", "EUROS"},
      {{"EUR", "euros"}, true, true, "5 EURO", ""},  // "EUR" must end a word
      {{"$", "US$", "U"}, false, false, "US$5", "US$"},
      {{"dlr", "dlrs", "Australian dlr", "Australian dlrs"}, true, true, "10 australian DLRS", "australian DLRS"},
      {{"É", "éa", "ab"}, false, true, "xÉAb", "ÉA"},
  };
  for (const Case& c : cases) {
    const std::string pattern = LexiconOf(c.surfaces).Alternation("", c.ends_word, false, c.ignore_case);
    EXPECT_EQ(FirstMatch(pattern, c.text), c.match) << c.text << " with " << pattern;
  }
}

// The alternation before surfaces were put in trie order: longest first. Every match of
// random texts must be the same with both orders, in either case mode.
std::string LongestFirstAlternation(std::vector<std::string> surfaces, bool ends_word, bool ignore_case) {
  std::stable_sort(surfaces.begin(), surfaces.end(), [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
  std::string out;
  for (const std::string& surface : surfaces)
    out += (out.empty() ? "" : "|") + RE2::QuoteMeta(surface) + (ends_word && std::isalnum(static_cast<unsigned char>(surface.back())) ? "\\b" : "");
  return (ignore_case ? "(?i:(?:" : "(?:") + out + (ignore_case ? "))" : ")");
}

std::vector<std::pair<size_t, std::string>> AllMatches(const RE2& regex, const std::string& text) {
  std::vector<std::pair<size_t, std::string>> out;
  re2::StringPiece match;
  for (size_t at = 0; at <= text.size() && regex.Match(text, at, text.size(), RE2::UNANCHORED, &match, 1);) {
    const size_t begin = static_cast<size_t>(match.data() - text.data());
    out.emplace_back(begin, std::string(match));
    at = match.empty() ? begin + 1 : begin + match.size();
  }
  return out;
}

TEST(LexiconAlternationTest, MatchesAsTheLongestFirstReferenceDoes) {
  const std::vector<std::string> pieces = {"a", "A", "b", "B", "é", "É", " ", "$"};
  std::mt19937 random(19);
  auto draw = [&](size_t min, size_t max) {
    std::string s;
    for (size_t n = std::uniform_int_distribution<size_t>(min, max)(random); n > 0; --n)
      s += pieces[std::uniform_int_distribution<size_t>(0, pieces.size() - 1)(random)];
    return s;
  };
  for (int round = 0; round < 300; ++round) {
    std::set<std::string> unique;
    while (unique.size() < 12) unique.insert(draw(1, 4));
    const std::vector<std::string> surfaces(unique.begin(), unique.end());
    const bool ends_word = round % 2 == 0;
    const bool ignore_case = round % 4 < 2;
    const RE2 trie_order(LexiconOf(surfaces).Alternation("", ends_word, false, ignore_case));
    const RE2 reference(LongestFirstAlternation(surfaces, ends_word, ignore_case));
    ASSERT_TRUE(trie_order.ok() && reference.ok());
    for (int t = 0; t < 20; ++t) {
      const std::string text = draw(10, 30);
      ASSERT_EQ(AllMatches(trie_order, text), AllMatches(reference, text)) << text << " with " << trie_order.pattern();
    }
  }
}

TEST(LexiconAlternationTest, SurfacesWithACommonStartMakeASmallerProgram) {
  std::vector<std::string> surfaces;
  for (const char* stem : {"Australian ", "Canadian ", "Hong Kong ", "New Zealand "})
    for (const char* unit : {"dollars", "dlrs", "dollar", "dlr", "cents"}) surfaces.push_back(std::string(stem) + unit);
  const RE2 trie_order(LexiconOf(surfaces).Alternation("", true, false, true));
  const RE2 reference(LongestFirstAlternation(surfaces, true, true));
  EXPECT_LT(trie_order.ProgramSize() * 3, reference.ProgramSize() * 2);
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
