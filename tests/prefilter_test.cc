// The Vectorscan prefilter: every match end RE2 would find is reported, patterns it
// cannot take are named and left to RE2, and its cache is used only when it checks out.
#include "match/prefilter.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <random>
#include <set>
#include <sstream>

#include "base/cache_file.h"
#include "match/matcher.h"
#include "test_support.h"

namespace factwire {
namespace {

using testing::SourceDir;
using testing::ReadFile;
using testing::TempRuleFolder;

std::set<std::pair<size_t, size_t>> Hits(const Prefilter& prefilter, std::string_view text) {
  std::set<std::pair<size_t, size_t>> hits;
  EXPECT_TRUE(prefilter.Scan(text, [&](size_t pattern, size_t end) { hits.insert({pattern, end}); }));
  return hits;
}

std::unique_ptr<Prefilter> BuildOrFail(const std::vector<std::string>& patterns, const PrefilterOptions& options = {},
                                       Prefilter::Report* report = nullptr) {
  std::vector<Prefilter::Rejected> rejected;
  Result<std::unique_ptr<Prefilter>> built = Prefilter::Build(patterns, options, &rejected, report);
  EXPECT_TRUE(built.ok()) << built.status().message();
  EXPECT_TRUE(rejected.empty());
  return built.ok() ? std::move(built.value()) : nullptr;
}

TEST(PrefilterTest, ReportsTheEndOfEveryMatchInRe2Syntax) {
  struct Case {
    std::string pattern, text;
    size_t end;  // one byte past a match RE2 finds
  };
  const std::vector<Case> cases = {
      {R"(\bAG\b)", "Infineon Technologies AG said", 24},
      {"(?i:émile)", "Prix ÉMILE Zola", 11},                    // case folding beyond ASCII
      {R"(\bX)", "éX", 3},                                       // ASCII \b, as RE2 reads it
      {R"((?P<span>\d+) mln dlrs)", "a 103 mln dlrs loss", 14},  // named groups
      {"^Paris", "line\nParis", 10},                             // '^' on a later line
  };
  for (size_t i = 0; i < cases.size(); ++i) {
    std::unique_ptr<Prefilter> prefilter = BuildOrFail({cases[i].pattern});
    ASSERT_NE(prefilter, nullptr);
    EXPECT_TRUE(Hits(*prefilter, cases[i].text).count({0, cases[i].end})) << cases[i].pattern;
  }
}

TEST(PrefilterTest, MaxWidthIsTheLongestMatchInBytesOrUnbounded) {
  struct Case {
    std::string pattern;
    size_t width;
  };
  const std::vector<Case> cases = {
      {R"(\bAG\b)", 2},
      {R"(\d{1,3} mln dlrs)", 12},
      {"(?i:émile)", 6},  // bytes, not characters
      {"(?:March|Sept(?:ember)?) \\d{4}", 14},
      {R"(\d+ dlrs)", Prefilter::kUnbounded},
      {"[A-Z][a-z]*", Prefilter::kUnbounded},
  };
  std::vector<std::string> patterns;
  for (const Case& c : cases) patterns.push_back(c.pattern);
  std::unique_ptr<Prefilter> prefilter = BuildOrFail(patterns);
  ASSERT_NE(prefilter, nullptr);
  for (size_t i = 0; i < cases.size(); ++i) EXPECT_EQ(prefilter->MaxWidth(i), cases[i].width) << cases[i].pattern;
}

TEST(PrefilterTest, APrefilterPatternHasNoWordBoundaryLeft) {
  struct Case {
    std::string pattern, compiled;
  };
  const std::vector<Case> cases = {
      {R"(\bcat\b)", "cat"},
      {R"(\Bcat\d\s)", R"(\Bcat\d\s)"},               // other escapes stay
      {R"(a\\b)", R"(a\\b)"},                          // a backslash, then "b"
      {R"([\b-]x\b)", R"([\b-]x)"},                    // inside a class it is no assertion
      {R"([]b]\b)", "[]b]"},                           // a ']' first in a class is literal
      {R"([^]b]\b)", "[^]b]"},
      {R"([[:alpha:]\]]\bx)", R"([[:alpha:]\]]x)"},  // a POSIX class does not end the class
      {R"(\Qa\b\E\b)", R"(\Qa\b\E\b)"},                // quoted text: kept whole
      {R"((?i:\beuro\b|€))", "(?i:euro|€)"},
      {R"(ab\b{2}\b?c)", R"(ab\b{2}\b?c)"},        // a quantified one stays: "ab{2}" is narrower
  };
  for (const Case& c : cases) EXPECT_EQ(PrefilterPattern(c.pattern), c.compiled) << c.pattern;
}

// Word boundaries are left out of what Vectorscan compiles, so the prefilter reports more
// than RE2 finds, never less.
TEST(PrefilterTest, WithoutWordBoundariesItReportsAWiderSet) {
  std::unique_ptr<Prefilter> prefilter = BuildOrFail({R"(\bcat\b)"});
  ASSERT_NE(prefilter, nullptr);
  EXPECT_TRUE(Hits(*prefilter, "a cat.").count({0, 5}));
  EXPECT_TRUE(Hits(*prefilter, "concatenate").count({0, 6}));
}

TEST(PrefilterTest, APatternVectorscanCannotTakeIsNamedAndTheRestStillScan) {
  std::vector<Prefilter::Rejected> rejected;
  // "x?" matches the empty string, which Vectorscan refuses to compile.
  Result<std::unique_ptr<Prefilter>> built = Prefilter::Build({"abc", "x?", "def"}, {}, &rejected);
  ASSERT_TRUE(built.ok()) << built.status().message();
  ASSERT_EQ(rejected.size(), 1u);
  EXPECT_EQ(rejected[0].pattern, 1u);
  EXPECT_NE(rejected[0].reason.find("empty"), std::string::npos) << rejected[0].reason;
  EXPECT_EQ(Hits(*built.value(), "abc def"), (std::set<std::pair<size_t, size_t>>{{0, 3}, {2, 7}}));
}

TEST(PrefilterTest, NoPatternItCanTakeIsAnError) {
  std::vector<Prefilter::Rejected> rejected;
  Result<std::unique_ptr<Prefilter>> built = Prefilter::Build({"x?"}, {}, &rejected);
  EXPECT_FALSE(built.ok());
}

TEST(PrefilterTest, ACompiledDatabaseIsCachedAndReadBack) {
  TempRuleFolder cache;
  Prefilter::Report first, second;
  std::unique_ptr<Prefilter> compiled = BuildOrFail({"mln dlrs", R"(\d+ cts)"}, {cache.dir()}, &first);
  EXPECT_FALSE(first.from_cache);
  ASSERT_TRUE(std::filesystem::exists(first.cache_file));
  std::unique_ptr<Prefilter> cached = BuildOrFail({"mln dlrs", R"(\d+ cts)"}, {cache.dir()}, &second);
  EXPECT_TRUE(second.from_cache);
  EXPECT_EQ(second.cache_file, first.cache_file);
  const std::string text = "5 mln dlrs, or 50 cts a share";
  EXPECT_EQ(Hits(*cached, text), Hits(*compiled, text));
  EXPECT_EQ(cached->MaxWidth(0), 8u);
  EXPECT_EQ(cached->MaxWidth(1), Prefilter::kUnbounded);
  // Other patterns are another file.
  Prefilter::Report other;
  BuildOrFail({"mln stg"}, {cache.dir()}, &other);
  EXPECT_FALSE(other.from_cache);
  EXPECT_NE(other.cache_file, first.cache_file);
}

TEST(PrefilterTest, ACacheFileThatDoesNotCheckOutIsCompiledAgainAndReplaced) {
  const std::vector<std::string> patterns = {"mln dlrs"};
  const std::vector<std::pair<std::string, std::function<void(std::string*)>>> damages = {
      {"a flipped byte", [](std::string* file) { (*file)[file->size() - 10] ^= 0x5A; }},
      {"cut short", [](std::string* file) { file->resize(file->size() / 2); }},
      {"a byte too many", [](std::string* file) { file->push_back('x'); }},
      {"empty", [](std::string* file) { file->clear(); }},
      {"another format", [](std::string* file) { (*file)[0] = 'F'; }},
      // Regression (issue 16, found by tools/fuzz prefilter_cache, now cache_files): a size field of
      // exabytes was allocated before it was checked, and the allocation aborted.
      {"a size of exabytes", [](std::string* file) {
         const size_t size_line = file->find('\n', file->find('\n') + 1) + 1;
         file->replace(size_line, file->find('\n', size_line) - size_line, "3333333333333333333");
       }},
  };
  for (const auto& [name, damage] : damages) {
    TempRuleFolder cache;
    Prefilter::Report report;
    BuildOrFail(patterns, {cache.dir()}, &report);
    std::string file = ReadFile(report.cache_file);
    damage(&file);
    std::ofstream(report.cache_file, std::ios::binary | std::ios::trunc) << file;

    Prefilter::Report rebuilt;
    std::unique_ptr<Prefilter> prefilter = BuildOrFail(patterns, {cache.dir()}, &rebuilt);
    EXPECT_FALSE(rebuilt.from_cache) << name;
    EXPECT_NE(rebuilt.cache_note.find(report.cache_file), std::string::npos) << name << ": " << rebuilt.cache_note;
    ASSERT_NE(prefilter, nullptr);
    EXPECT_EQ(Hits(*prefilter, "12 mln dlrs"), (std::set<std::pair<size_t, size_t>>{{0, 11}})) << name;
    Prefilter::Report again;
    BuildOrFail(patterns, {cache.dir()}, &again);
    EXPECT_TRUE(again.from_cache) << name << ": the rebuilt file replaced the damaged one";
  }
}

// A body whose digest checks out but whose widths line does not (a hand edit, another
// version's writer) is compiled again, never trusted: a short widths line would leave
// rules without a width.
TEST(PrefilterTest, ACacheBodyWithABadWidthsLineIsCompiledAgain) {
  const std::vector<std::string> patterns = {"mln dlrs", R"(\d+ cts)"};
  const std::vector<std::pair<std::string, std::string>> first_lines = {
      {"one width short", "widths 8"},      {"one width too many", "widths 8 - 3"},
      {"not a number", "widths 8 x"},       {"a negative width", "widths -8 -"},
      {"no widths line", "rejected 0 why"}, {"two widths lines", "widths 8 -\nwidths 8 -"},
  };
  for (const auto& [name, first_line] : first_lines) {
    TempRuleFolder cache;
    Prefilter::Report report;
    BuildOrFail(patterns, {cache.dir()}, &report);
    const CachedBody written = ReadCacheFile(report.cache_file, "factwire prefilter 3");
    ASSERT_TRUE(written.found()) << name;
    const std::string_view body = written.body();
    ASSERT_EQ(body.substr(0, body.find('\n')), "widths 8 -");
    WriteCacheFile(report.cache_file, "factwire prefilter 3", first_line + std::string(body.substr(body.find('\n'))));

    Prefilter::Report rebuilt;
    std::unique_ptr<Prefilter> prefilter = BuildOrFail(patterns, {cache.dir()}, &rebuilt);
    ASSERT_NE(prefilter, nullptr);
    EXPECT_FALSE(rebuilt.from_cache) << name;
    EXPECT_NE(rebuilt.cache_note.find("corrupt"), std::string::npos) << name << ": " << rebuilt.cache_note;
    EXPECT_EQ(prefilter->MaxWidth(0), 8u) << name;
    EXPECT_EQ(prefilter->MaxWidth(1), Prefilter::kUnbounded) << name;
  }
}

TEST(PrefilterTest, TheCacheKeepsTheNewestFilesOnly) {
  TempRuleFolder cache;
  const auto long_ago = std::filesystem::file_time_type::clock::now() - std::chrono::hours(24 * 365);
  for (int i = 0; i < 40; ++i) {
    const std::string stale = cache.dir() + "/stale-" + std::to_string(i) + ".hsdb";
    std::ofstream(stale) << "an old database";
    std::filesystem::last_write_time(stale, long_ago + std::chrono::minutes(i));
  }
  Prefilter::Report report;
  BuildOrFail({"mln dlrs"}, {cache.dir()}, &report);
  size_t files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(cache.dir())) files += entry.path().extension() == ".hsdb";
  EXPECT_EQ(files, 32u);
  EXPECT_TRUE(std::filesystem::exists(report.cache_file));
  EXPECT_FALSE(std::filesystem::exists(cache.dir() + "/stale-0.hsdb"));
  EXPECT_TRUE(std::filesystem::exists(cache.dir() + "/stale-39.hsdb"));
}

// The reference check: RuleSet::Match finds the same candidates with the prefilter as
// with RE2::Sets alone, on every corpus article and on shuffled text made of them.
std::vector<std::pair<std::string, std::string>> CorpusTexts() {
  std::vector<std::pair<std::string, std::string>> texts;  // (lang, text)
  for (const char* split : {"dev", "test"})
    for (const auto& entry : std::filesystem::directory_iterator(SourceDir() + "/corpus/" + split)) {
      if (entry.path().extension() != ".txt") continue;
      const std::string text = ReadFile(entry.path().string());
      const size_t lang_at = text.find("\nlang: ");
      if (lang_at == std::string::npos) continue;
      texts.emplace_back(text.substr(lang_at + 7, 2), text);
    }
  std::sort(texts.begin(), texts.end());
  return texts;
}

std::string Shuffled(const std::string& text, std::mt19937* random) {
  std::vector<std::string> words;
  std::istringstream in(text);
  for (std::string word; in >> word;) words.push_back(word);
  std::shuffle(words.begin(), words.end(), *random);
  std::string out;
  for (const std::string& word : words) out += word + ((*random)() % 15 == 0 ? "\n" : " ");
  return out;
}

std::vector<std::string> Described(const std::vector<Candidate>& candidates) {
  std::vector<std::string> out;
  for (const Candidate& c : candidates) {
    std::string line = c.rule->id + " [" + std::to_string(c.begin) + "," + std::to_string(c.end) + ")";
    for (std::string_view group : c.groups) line += " |" + std::string(group);
    out.push_back(line + " " + std::string(c.drop));
  }
  return out;
}

TEST(PrefilterTest, MatchFindsTheSameCandidatesAsRe2SetsAlone) {
  RuleSetOptions sets_only;
  sets_only.prefilter = false;
  Result<std::unique_ptr<RuleSet>> reference = RuleSet::Load(SourceDir() + "/rules", sets_only);
  ASSERT_TRUE(reference.ok()) << reference.status().message();
  const RuleSet& prefiltered = testing::ProjectRules();
  std::mt19937 random(20261205);
  size_t compared = 0;
  for (const auto& [lang, text] : CorpusTexts()) {
    for (const std::string& sample : {text, Shuffled(text, &random)}) {
      std::vector<Candidate> expected, actual;
      reference.value()->Match(sample, lang, &expected);
      prefiltered.Match(sample, lang, &actual);
      ASSERT_EQ(Described(actual), Described(expected)) << lang << ": " << sample.substr(0, 200);
      compared += expected.size();
    }
  }
  EXPECT_GT(compared, 5000u);  // the corpus has about 7,700
}

// RE2 starts reading a line where the first match of a rule of bounded width can start,
// not at the line's start; it finds the same matches, with '^' and \b read in context.
TEST(PrefilterTest, ABoundedRuleIsReadFromWhereItsMatchesCanStart) {
  TempRuleFolder rules;
  rules.Write("common/macros.yaml", ReadFile(SourceDir() + "/rules/common/macros.yaml"));
  rules.Write("money/xx.yaml",
              "rules:\n"
              "  - id: money/xx/mln\n    pattern: '\\b(?P<num>\\d{1,3}) mln dlrs\\b'\n"
              "  - id: money/xx/line-start\n    pattern: '(?m)^(?:Paris|Rome) \\d{1,2}'\n"
              "  - id: money/xx/any-length\n    pattern: '\\d+ cts'\n");
  RuleSetOptions sets_only;
  sets_only.prefilter = false;
  Result<std::unique_ptr<RuleSet>> prefiltered = RuleSet::Load(rules.dir());
  Result<std::unique_ptr<RuleSet>> reference = RuleSet::Load(rules.dir(), sets_only);
  ASSERT_TRUE(prefiltered.ok()) << prefiltered.status().message();
  ASSERT_TRUE(reference.ok()) << reference.status().message();
  const std::string padding(300, 'x');
  const std::string text = "Rome 5 " + padding + " 123 mln dlrs, 1234 mln dlrs and 15 cts\nParis 17 " + padding +
                           " Rome 8, 9 mln dlrs x999 mln dlrs " + std::string(80, '1') + " cts\nRome 12";
  std::vector<Candidate> expected, actual;
  reference.value()->Match(text, "xx", &expected);
  prefiltered.value()->Match(text, "xx", &actual);
  EXPECT_EQ(Described(actual), Described(expected));
  // Rome 5, Paris 17, Rome 12; 123 and 9 mln dlrs (not 1234 or x999: \b reads the byte
  // before); 15 cts and the 80-digit cts.
  EXPECT_EQ(expected.size(), 7u);
}

TEST(PrefilterTest, ARuleThePrefilterCannotTakeStillMatchesThroughRe2) {
  TempRuleFolder rules;
  rules.Write("common/macros.yaml", ReadFile(SourceDir() + "/rules/common/macros.yaml"));
  rules.Write("money/xx.yaml",
              "rules:\n"
              "  - id: money/xx/dollars\n    pattern: '\\d+ dollars'\n"
              "  - id: money/xx/maybe-empty\n    pattern: '(?:\\d+ euros)?'\n");
  Result<std::unique_ptr<RuleSet>> loaded = RuleSet::Load(rules.dir());
  ASSERT_TRUE(loaded.ok()) << loaded.status().message();
  std::vector<Candidate> candidates;
  loaded.value()->Match("5 dollars and 7 euros", "xx", &candidates);
  EXPECT_EQ(Described(candidates),
            (std::vector<std::string>{"money/xx/dollars [0,9) |5 dollars ", "money/xx/maybe-empty [14,21) |7 euros "}));
  const std::vector<std::string> notes = loaded.value()->MatcherNotes();
  ASSERT_EQ(notes.size(), 1u);
  EXPECT_NE(notes[0].find("money/xx/maybe-empty: RE2 alone"), std::string::npos) << notes[0];
}

}  // namespace
}  // namespace factwire
