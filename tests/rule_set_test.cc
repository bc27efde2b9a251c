// Loading rule files: what a broken one says. Each case writes a small rule folder,
// loads it, and checks that the error names the file and line, the rule and the
// offending fragment.
#include <gtest/gtest.h>

#include <bit>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <thread>

#include "base/cache_file.h"

#include "match/matcher.h"
#include "pipeline/extractor.h"
#include "resolve/resolver.h"
#include "test_support.h"

namespace factwire {
namespace {

// The minimal shared files every rule folder of these tests needs.
class RuleFolder : public factwire::testing::TempRuleFolder {
 public:
  RuleFolder() {
    Write("common/macros.yaml", "macros:\n  NUMBER: '\\d+'\n");
    Write("gazetteers/currencies.tsv", "€\tEUR\tbefore\n");
  }
};

// A minimal money file; `rule` is spliced in as the only rule.
std::string MoneyFile(const std::string& rule) {
  return "type: money\n"
         "lexicons:\n"
         "  currency: gazetteers/currencies.tsv\n"
         "  magnitude: gazetteers/currencies.tsv\n"
         "  qualifier: gazetteers/currencies.tsv\n"
         "  number_word: gazetteers/currencies.tsv\n"
         "rules:\n" + rule;
}

// What a candidate captured in the group named `name` of its rule, or empty.
std::string_view GroupOf(const Candidate& c, const std::string& name) {
  auto it = c.rule->groups.find(name);
  return it == c.rule->groups.end() ? std::string_view() : c.groups.at(static_cast<size_t>(it->second));
}

struct BrokenCase {
  const char* name;
  std::string file;            // the broken file's content
  std::vector<std::string> message_parts;  // each must appear in the error
};

// Loading `folder` fails with a rule error naming every part of `message_parts`.
void ExpectLoadFails(RuleFolder& folder, const std::vector<std::string>& message_parts) {
  Result<std::unique_ptr<RuleSet>> rules = folder.Load();
  ASSERT_FALSE(rules.ok());
  EXPECT_EQ(rules.status().code(), Status::Code::kRuleError);
  for (const auto& part : message_parts)
    EXPECT_NE(rules.status().message().find(part), std::string::npos)
        << "'" << part << "' not in: " << rules.status().message();
}

TEST(RuleSetTest, BrokenRuleFilesSayWhereAndWhat) {
  const BrokenCase cases[] = {
      {"unknown macro",
       MoneyFile("  - id: money/en/x\n    pattern: '(?P<cur>€)(?P<num>{NUMBR})'\n"),
       {"money/en.yaml:9:", "money/en/x", "unknown macro {NUMBR}", "(?P<num>{NUMBR})"}},
      {"macro that is not a class, inside a class",
       "macros:\n  WORD: 'ab|cd'\n" + MoneyFile("  - id: money/en/x\n    pattern: '(?P<cur>€)(?P<num>[{WORD}\\d]+)'\n"),
       {"money/en.yaml:11:", "money/en/x", "macro {WORD} is used inside [...] but is not a character class"}},
      {"macro cycle",
       "macros:\n  A: 'x{B}'\n  B: 'y{A}'\n" + MoneyFile("  - id: money/en/x\n    pattern: '(?P<cur>€)(?P<num>{A})'\n"),
       {"money/en.yaml:2:", "macro A", "macro cycle A -> B -> A"}},
      {"lookahead RE2 rejects",
       MoneyFile("  - id: money/en/look\n    pattern: '(?P<cur>€)(?P<num>\\d+)(?=bn)'\n"),
       {"money/en.yaml:9:", "money/en/look", "RE2 rejects the pattern", "(?="}},
      {"bad YAML",
       MoneyFile("  - id: money/en/x\n    pattern: [unclosed\n"),
       {"money/en.yaml:", "bad YAML"}},
      {"misspelt key",
       MoneyFile("  - id: money/en/x\n    patern: '€'\n"),
       {"money/en.yaml:9:", "unknown key 'patern'"}},
      {"duplicate id",
       MoneyFile("  - id: money/en/x\n    pattern: '(?P<cur>€)(?P<num>\\d+)'\n"
                 "  - id: money/en/x\n    pattern: '(?P<cur>€)(?P<num>\\d+)'\n"),
       {"money/en.yaml:10:", "duplicate rule id 'money/en/x'"}},
      {"capture the value builder does not know",
       MoneyFile("  - id: money/en/x\n    pattern: '(?P<cur>€)(?P<amount>\\d+)'\n"),
       {"money/en.yaml:8:", "money/en/x", "(?P<amount>)", "known: approx, cur, num"}},
      {"a capture the value builder needs is missing",
       MoneyFile("  - id: money/en/x\n    pattern: '(?P<num>\\d+) ?EUR'\n"),
       {"money/en.yaml:8:", "money/en/x", "needs a (?P<cur>...) capture"}},
      {"missing lexicon file",
       "type: money\nlexicons:\n  currency: gazetteers/nope.tsv\n",
       {"money/en.yaml:3:", "lexicon 'currency': gazetteers/nope.tsv: no such file"}},
      {"a lexicon macro whose tag no entry carries",
       MoneyFile("  - id: money/en/x\n    pattern: '(?P<cur>{CUR})(?P<num>\\d+)'\n") +
           "macros:\n  CUR: {lexicon: currency, tag: after, ignore_case: true}\n",
       {"money/en.yaml:", "macro CUR: lexicon 'currency' has no entry tagged 'after'"}},
      {"missing word list",
       "type: money\nword_sets:\n  common_word: gazetteers/nope.txt\n",
       {"money/en.yaml:3:", "word set 'common_word': gazetteers/nope.txt: no such file"}},
      {"type that does not match the folder",
       "type: moneys\n",
       {"money/en.yaml:1:", "type 'moneys' does not match"}},
      // regression: a value of the wrong shape made yaml-cpp throw out of Load
      {"a mapping where a string belongs",
       "type: money\nlexicons:\n  currency: {oops: 1}\n",
       {"money/en.yaml:3:"}},
      {"a broken not_containing",
       MoneyFile("  - id: money/en/x\n    pattern: '(?P<cur>€)(?P<num>\\d+)'\n    not_containing: '(a'\n"),
       {"money/en.yaml:", "rule money/en/x", "not_containing"}},
      {"a mapping as a rule's not_followed_by",
       MoneyFile("  - id: money/en/x\n    pattern: '(?P<cur>€)(?P<num>\\d+)'\n    not_followed_by: {a: 1}\n"),
       {"money/en.yaml:10:"}},
      {"a word as a rule's priority",
       MoneyFile("  - id: money/en/x\n    pattern: '(?P<cur>€)(?P<num>\\d+)'\n    priority: high\n"),
       {"money/en.yaml:10:"}},
      {"example whose match is not in its text",
       MoneyFile("  - id: money/en/x\n    pattern: '(?P<cur>€)(?P<num>\\d+)'\n") +
           "examples:\n  positive:\n    - {text: 'paid €5', match: '€6', value: {amount: 6, currency: EUR}}\n",
       {"money/en.yaml:12:", "'€6' is not in its text"}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    RuleFolder folder;
    folder.Write("money/en.yaml", c.file);
    ExpectLoadFails(folder, c.message_parts);
  }
}

// Files load in parallel and merge in file order, so the error reported is the one a
// file-by-file load meets first, whichever file a thread finished first.
TEST(RuleSetTest, ErrorsAcrossFilesAreReportedInFileOrder) {
  {
    SCOPED_TRACE("an id taken by an earlier file, ahead of a later error in the same file");
    RuleFolder folder;
    folder.Write("money/en.yaml", MoneyFile("  - id: money/x\n    pattern: '(?P<cur>€)(?P<num>\\d+)'\n"));
    folder.Write("money/fr.yaml", MoneyFile("  - id: money/x\n    pattern: '(?P<cur>€)(?P<num>\\d+)'\n"
                                            "  - id: money/fr/y\n    patern: '€'\n"));
    ExpectLoadFails(folder, {"money/fr.yaml:8:", "duplicate rule id 'money/x'"});
  }
  {
    SCOPED_TRACE("two broken files: the first in sorted order is named");
    RuleFolder folder;
    folder.Write("date/en.yaml", "type: date\nrules: [unclosed\n");
    folder.Write("money/en.yaml", "type: moneys\n");
    ExpectLoadFails(folder, {"date/en.yaml:", "bad YAML"});
    EXPECT_EQ(folder.Load().status().message().find("money/en.yaml"), std::string::npos);
  }
}

// Patterns that parsed at an earlier load are not parsed again: their captures come
// from a cache file named by all the patterns, used only when it checks out; a changed
// pattern names another file, so a broken one is still reported.
TEST(RuleSetTest, CheckedPatternsComeFromTheCacheOnlyWhenItChecksOut) {
  RuleFolder folder;
  folder.Write("money/en.yaml", MoneyFile("  - id: money/en/x\n    pattern: '(?P<cur>€)(?P<num>\\d+)'\n"));
  testing::TempRuleFolder cache;
  RuleSetOptions options;
  options.cache_dir = cache.dir();
  auto load = [&]() {
    Result<std::unique_ptr<RuleSet>> rules = RuleSet::Load(folder.dir(), options);
    EXPECT_TRUE(rules.ok()) << rules.status().message();
    EXPECT_TRUE(rules.value()->PrepareAll().ok());  // after the first load, languages are read here
    return std::move(rules.value());
  };
  auto groups = [](const RuleSet& rules) { return rules.rules().front()->groups; };
  const std::map<std::string, int> parsed = {{"cur", 1}, {"num", 2}};
  EXPECT_EQ(groups(*load()), parsed);
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(cache.dir()))
    if (entry.path().extension() == ".re2check") files.push_back(entry.path().string());
  ASSERT_EQ(files.size(), 1u);
  const std::string file = files.front();

  // The captures are read from the file: one written with others is believed.
  constexpr std::string_view kMagic = "factwire checked patterns 1";
  ASSERT_EQ(ReadCacheFile(file, kMagic).body(), "cur 1 num 2\n");
  WriteCacheFile(file, kMagic, "cur 2 num 1\n");
  EXPECT_EQ(groups(*load()), (std::map<std::string, int>{{"cur", 2}, {"num", 1}}));

  const std::vector<std::pair<std::string, std::string>> damaged = {
      {"a line too few", ""}, {"a line too many", "cur 1 num 2\n\n"}, {"an index that is no number", "cur x\n"},
      {"a name twice", "cur 1 cur 2\n"}};
  for (const auto& [name, body] : damaged) {
    SCOPED_TRACE(name);
    WriteCacheFile(file, kMagic, body);
    std::unique_ptr<RuleSet> rules = load();
    EXPECT_EQ(groups(*rules), parsed);
    ASSERT_EQ(rules->MatcherNotes().size(), 1u);
    EXPECT_NE(rules->MatcherNotes().front().find("checked patterns: corrupt"), std::string::npos);
    EXPECT_EQ(ReadCacheFile(file, kMagic).body(), "cur 1 num 2\n") << "made again";
  }
  {
    SCOPED_TRACE("a flipped byte");
    std::string bytes = testing::ReadFile(file);
    bytes[bytes.size() - 2] ^= 0x01;
    std::ofstream(file, std::ios::binary | std::ios::trunc) << bytes;
    std::unique_ptr<RuleSet> rules = load();
    EXPECT_EQ(groups(*rules), parsed);
    ASSERT_EQ(rules->MatcherNotes().size(), 1u);
    EXPECT_NE(rules->MatcherNotes().front().find(file), std::string::npos);
  }

  folder.Write("money/en.yaml", MoneyFile("  - id: money/en/x\n    pattern: '(?P<cur>€)(?P<num>\\d+'\n"));
  Result<std::unique_ptr<RuleSet>> broken = RuleSet::Load(folder.dir(), options);
  ASSERT_FALSE(broken.ok());
  EXPECT_NE(broken.status().message().find("money/en.yaml:9: rule money/en/x: RE2 rejects the pattern"), std::string::npos)
      << broken.status().message();
}

// A pipeline loads its rules without the examples (RuleSetOptions::examples off): their
// YAML is not even parsed, and everything else is as a full load gives it.
TEST(RuleSetTest, ALoadWithoutExamplesGivesTheSameRules) {
  RuleSetOptions with, without;
  without.examples = false;
  Result<std::unique_ptr<RuleSet>> full = RuleSet::Load(testing::SourceDir() + "/rules", with);
  Result<std::unique_ptr<RuleSet>> lean = RuleSet::Load(testing::SourceDir() + "/rules", without);
  ASSERT_TRUE(full.ok() && lean.ok());
  ASSERT_EQ(full.value()->rules().size(), lean.value()->rules().size());
  for (size_t i = 0; i < full.value()->rules().size(); ++i) {
    const Rule& a = *full.value()->rules()[i];
    const Rule& b = *lean.value()->rules()[i];
    EXPECT_EQ(a.id, b.id);
    EXPECT_EQ(a.where(), b.where()) << "line numbers stay";
    EXPECT_EQ(a.pattern, b.pattern) << a.id;
    EXPECT_EQ(a.names.size(), b.names.size()) << a.id;
  }
  size_t examples = 0;
  for (const auto& file : full.value()->files()) examples += file->examples.size();
  EXPECT_GT(examples, 1000u);
  for (const auto& file : lean.value()->files()) {
    EXPECT_TRUE(file->examples.empty()) << file->path << ": its examples were parsed";
    if (file->relations) {
      EXPECT_TRUE(file->relations->examples.empty()) << file->path;
    }
  }
}

TEST(RuleSetTest, ALoadWithoutExamplesSkipsTheirBlockAndKeepsLineNumbers) {
  RuleSetOptions without;
  without.examples = false;
  const std::string rule = "  - id: money/en/x\n    pattern: '(?P<cur>€)(?P<num>\\d+)'\n";
  {
    SCOPED_TRACE("broken examples before a broken gazetteer: only the gazetteer is read");
    RuleFolder folder;
    folder.Write("money/en.yaml", MoneyFile(rule) +
                                      "examples:\n  positive:\n  # a comment\n    - {text: [unclosed\n"
                                      "gazetteers:\n  - id: money/en/g\n    file: gazetteers/nope.tsv\n");
    Result<std::unique_ptr<RuleSet>> lean = RuleSet::Load(folder.dir(), without);
    ASSERT_FALSE(lean.ok());
    EXPECT_NE(lean.status().message().find("money/en.yaml:16:"), std::string::npos) << lean.status().message();
    EXPECT_NE(lean.status().message().find("gazetteer money/en/g"), std::string::npos) << lean.status().message();
    ExpectLoadFails(folder, {"money/en.yaml:15:", "bad YAML"});  // a full load parses the examples
  }
  {
    SCOPED_TRACE("a flow collection the cut would split: the whole file is parsed");
    RuleFolder folder;
    folder.Write("money/en.yaml", MoneyFile(rule) +
                                      "examples: {positive: [\n{text: 'paid €5', match: '€5', value: {amount: 5, currency: EUR}}]}\n");
    Result<std::unique_ptr<RuleSet>> lean = RuleSet::Load(folder.dir(), without);
    ASSERT_TRUE(lean.ok()) << lean.status().message();
    EXPECT_EQ(lean.value()->rules().size(), 1u);
  }
}

// Regressions (issue 16): a rule file that is a folder made the stream throw and the
// run abort; a lexicon of millions of lines filled memory for minutes; a TSV with
// invalid UTF-8 was taken silently. Each is now a rule error naming the file.
TEST(RuleSetTest, RuleFilesThatAreNoFilesTooLargeOrNotUtf8AreRefused) {
  {
    RuleFolder folder;
    std::filesystem::create_directories(folder.dir() + "/money/en.yaml");
    ExpectLoadFails(folder, {"money/en.yaml: not a regular file"});
  }
  {
    RuleFolder folder;
    folder.Write("money/en.yaml", "type: money\nlexicons:\n  currency: gazetteers/folder.tsv\n");
    std::filesystem::create_directories(folder.dir() + "/gazetteers/folder.tsv");
    ExpectLoadFails(folder, {"money/en.yaml:3:", "gazetteers/folder.tsv: not a regular file"});
  }
  {
    RuleFolder folder;
    folder.Write("money/en.yaml", "type: money\nlexicons:\n  currency: gazetteers/huge.tsv\n");
    std::string huge;
    for (size_t i = 0; huge.size() <= kMaxRuleFileBytes; ++i) huge += "Name" + std::to_string(i) + "\tX\n";
    folder.Write("gazetteers/huge.tsv", huge);
    ExpectLoadFails(folder, {"gazetteers/huge.tsv: " + std::to_string(huge.size()) + " bytes, over the limit",
                             "kMaxRuleFileBytes"});
  }
  {
    RuleFolder folder;
    folder.Write("money/en.yaml", "type: money\nlexicons:\n  currency: gazetteers/bad.tsv\n");
    folder.Write("gazetteers/bad.tsv", "€\tEUR\nBad\xff\tXXX\n");
    ExpectLoadFails(folder, {"gazetteers/bad.tsv:2: invalid UTF-8 at byte 11"});
  }
  {
    RuleFolder folder;
    folder.Write("money/en.yaml", MoneyFile("  - id: money/en/x\n    pattern: '(?P<cur>€)\xc3(?P<num>\\d+)'\n"));
    ExpectLoadFails(folder, {"money/en.yaml:9: invalid UTF-8"});
  }
}

// A relation file with one frame; `frame` is spliced in after its id (line 5 on).
std::string RelationFile(const std::string& frame) {
  return "type: relation\n"
         "macros:\n"
         "  IN: ' in '\n"
         "frames:\n"
         "  - id: relation/en/in\n" + frame;
}

TEST(RuleSetTest, BrokenRelationFilesSayWhereAndWhat) {
  const std::string good = "    relation: located_in\n    from: site\n    to: country\n    gap: '{IN}'\n";
  const BrokenCase cases[] = {
      {"misspelt key", RelationFile(good + "    aftre: 'x'\n"), {"relation/en.yaml:10:", "unknown key 'aftre' in a frame"}},
      {"unknown macro", RelationFile("    relation: located_in\n    from: site\n    to: country\n    gap: '{INN}'\n"),
       {"relation/en.yaml:9:", "frame relation/en/in", "unknown macro {INN}"}},
      {"gap RE2 rejects", RelationFile("    relation: located_in\n    from: site\n    to: country\n    gap: ' (?=in) '\n"),
       {"relation/en.yaml:9:", "frame relation/en/in: gap: RE2 rejects it"}},
      {"unknown relation", RelationFile("    relation: near\n    from: site\n    to: country\n    gap: ' '\n"),
       {"relation/en.yaml:6:", "relation must be located_in or role_at"}},
      {"missing gap", RelationFile("    relation: located_in\n    from: site\n    to: country\n"),
       {"relation/en.yaml:5:", "needs 'gap'"}},
      {"bad order", RelationFile(good + "    order: after\n"), {"relation/en.yaml:10:", "order must be from-to or to-from"}},
      {"another language's id", "type: relation\nframes:\n  - id: relation/de/in\n" + good,
       {"relation/en.yaml:3:", "must start with relation/en/"}},
      {"forms of one id with two relations",
       RelationFile(good) + "  - id: relation/en/in\n    relation: role_at\n    from: person\n    to: org\n    gap: ' '\n",
       {"relation/en.yaml:10:", "its forms must share one relation"}},
      {"fact rules in a relation file", RelationFile(good) + "rules: []\n", {"relation/en.yaml:10:", "unknown key 'rules'"}},
      {"example without relations", RelationFile(good) + "examples:\n  positive:\n    - {text: 'X in Spain'}\n",
       {"relation/en.yaml:12:", "needs a list of relations"}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    RuleFolder folder;
    folder.Write("money/en.yaml", MoneyFile("  - id: money/en/x\n    pattern: '(?P<cur>€)(?P<num>\\d+)'\n"));
    folder.Write("relation/en.yaml", c.file);
    ExpectLoadFails(folder, c.message_parts);
  }
}

TEST(RuleSetTest, RelationFramesAreCompiledAtLoadForTheirLanguage) {
  RuleFolder folder;
  folder.Write("money/en.yaml", MoneyFile("  - id: money/en/x\n    pattern: '(?P<cur>€)(?P<num>\\d+)'\n"));
  folder.Write("relation/en.yaml", RelationFile("    relation: located_in\n    from: [site, org]\n    to: country\n"
                                                "    gap: '{IN}'\n    after: ','\n    before: 'the '\n"));
  Result<std::unique_ptr<RuleSet>> rules = folder.Load();
  ASSERT_TRUE(rules.ok()) << rules.status().message();
  EXPECT_EQ(rules.value()->Relations("de"), nullptr);
  const RelationFrames* frames = rules.value()->Relations("en");
  ASSERT_NE(frames, nullptr);
  ASSERT_EQ(frames->frames.size(), 1u);
  const RelationFrame& frame = frames->frames[0];
  EXPECT_EQ(frame.id, "relation/en/in");
  EXPECT_EQ(frame.from_types, (std::vector<std::string>{"site", "org"}));
  EXPECT_TRUE(frame.MatchesGap(" in "));
  EXPECT_FALSE(frame.MatchesGap(" in the "));  // the gap matches in full
  EXPECT_TRUE(frame.MatchesAfter(", it said"));
  EXPECT_FALSE(frame.MatchesAfter(" said,"));  // after: at the start only
  EXPECT_TRUE(frame.MatchesBefore("It is the "));
  EXPECT_FALSE(frame.MatchesBefore("the site "));  // before: at the end only
  for (const auto& file : rules.value()->files()) EXPECT_EQ(file->relations, frames) << file->path;
}

// A macro that is one character class joins a class it is used in ("[{DIGIT}.]"), so
// rules can share letter ranges like {UPPER} inside their own classes.
TEST(RuleSetTest, AClassMacroJoinsTheClassItIsUsedIn) {
  RuleFolder folder;
  folder.Write("money/en.yaml", "macros:\n  DIGIT: '[0-9]'\n" +
                                    MoneyFile("  - id: money/en/x\n    pattern: '(?P<cur>€)(?P<num>{DIGIT}[{DIGIT}.]*)(?:[^{DIGIT}]|$)'\n"));
  Result<std::unique_ptr<RuleSet>> rules = folder.Load();
  ASSERT_TRUE(rules.ok()) << rules.status().message();
  std::vector<Candidate> candidates;
  rules.value()->Match("paid €5.25 and €x", "en", &candidates);
  ASSERT_EQ(candidates.size(), 1u);
  EXPECT_EQ(GroupOf(candidates[0], "num"), "5.25");
}

TEST(RuleSetTest, AGoodFileLoadsAndMatches) {
  RuleFolder folder;
  folder.Write("money/en.yaml", MoneyFile("  - id: money/en/x\n    pattern: '(?P<cur>{CUR})(?P<num>{NUMBER})'\n") +
                                    "macros:\n  CUR: {lexicon: currency, tag: before}\n");
  Result<std::unique_ptr<RuleSet>> rules = folder.Load();
  ASSERT_TRUE(rules.ok()) << rules.status().message();
  std::vector<Candidate> candidates;
  rules.value()->Match("paid €5 and €60", "en", &candidates);
  ASSERT_EQ(candidates.size(), 2u);
  EXPECT_EQ(GroupOf(candidates[1], "num"), "60");
  EXPECT_EQ(GroupOf(candidates[1], "cur"), "€");
  EXPECT_EQ(candidates[1].rule->id, "money/en/x");
  candidates.clear();
  rules.value()->Match("paid €5", "fr", &candidates);
  EXPECT_TRUE(candidates.empty()) << "no rules for French";
  // Patterns are matched line by line: offsets stay those of the whole text.
  candidates.clear();
  rules.value()->Match("paid €5\n\nand €60\n€7", "en", &candidates);
  ASSERT_EQ(candidates.size(), 3u);
  EXPECT_EQ(candidates[1].begin, 15u);  // bytes: "€" is three
  EXPECT_EQ(GroupOf(candidates[1], "num"), "60");
  EXPECT_EQ(candidates[2].begin, 21u);
}

// Load parses every pattern; a language's patterns are compiled on its first use. One
// that parses but outgrows the memory budget is reported then, with its place, and
// dropped alone. Regression (issue 16): it used to silence every pattern rule of its
// language (money, dates and organisations gone).
TEST(RuleSetTest, ALanguageCompilesOnFirstUseAndDropsOnlyTheRuleThatCannot) {
  RuleFolder folder;
  folder.Write("money/en.yaml", MoneyFile("  - id: money/en/x\n    pattern: '(?P<cur>€)(?P<num>\\d+)'\n"));
  folder.Write("money/de.yaml", MoneyFile("  - id: money/de/huge\n    pattern: '(?P<cur>€)(?P<num>\\d{1,900}x{1,900})'\n"
                                          "  - id: money/de/small\n    pattern: '(?P<cur>€)(?P<num>\\d+)'\n"));
  RuleSetOptions options;
  options.max_regex_memory = 40 << 10;
  Result<std::unique_ptr<RuleSet>> rules = RuleSet::Load(folder.dir(), options);
  ASSERT_TRUE(rules.ok()) << rules.status().message();
  EXPECT_TRUE(rules.value()->Prepare("en").ok());
  const Status de = rules.value()->Prepare("de");
  EXPECT_EQ(de.code(), Status::Code::kRuleError);
  EXPECT_NE(de.message().find("money/de.yaml:9: rule money/de/huge dropped: RE2 cannot compile the pattern"),
            std::string::npos)
      << de.message();
  EXPECT_EQ(rules.value()->PrepareAll().message(), de.message());
  for (const char* lang : {"de", "en"}) {
    SCOPED_TRACE(lang);
    std::vector<Candidate> candidates;
    rules.value()->Match("paid €5", lang, &candidates);
    ASSERT_EQ(candidates.size(), 1u);
    EXPECT_EQ(candidates[0].rule->id, std::string("money/") + lang + (lang == std::string("de") ? "/small" : "/x"));
  }
}

// A folder with a language per file, each with one money rule of its own currency sign.
class ThreeLanguages : public RuleFolder {
 public:
  ThreeLanguages() {
    Write("gazetteers/currencies.tsv", "€\tEUR\tbefore\n£\tGBP\tbefore\n$\tUSD\tbefore\n");
    for (const auto& [lang, sign] : kSigns) WriteLanguage(lang, sign);
  }
  void WriteLanguage(const std::string& lang, const std::string& sign, const std::string& extra = "") const {
    Write("money/" + lang + ".yaml",
          MoneyFile("  - id: money/" + lang + "/x\n    pattern: '(?P<cur>" + sign + ")(?P<num>\\d+)'\n" + extra));
  }
  // A load that keeps its cache, the clean mark included, in a folder of this test's.
  Result<std::unique_ptr<RuleSet>> LoadCached(std::function<Status(Rule*)> check_rule = nullptr) const {
    RuleSetOptions options;
    options.cache_dir = cache_.dir();
    options.check_rule = std::move(check_rule);
    return RuleSet::Load(dir(), options);
  }
  static inline const std::vector<std::pair<std::string, std::string>> kSigns = {{"de", "€"}, {"en", "£"}, {"fr", "\\$"}};

 private:
  testing::TempRuleFolder cache_;
};

std::vector<std::string> FilePaths(const RuleSet& rules) {
  std::vector<std::string> paths;
  for (const auto& file : rules.files()) paths.push_back(file->path);
  return paths;
}

// The first load of a folder reads every language, and marks it clean in the cache;
// the next reads a language only when it is first used, and matches as the first did.
TEST(RuleSetTest, AFolderThatLoadedCleanIsReadALanguageAtATimeOnFirstUse) {
  ThreeLanguages folder;
  Result<std::unique_ptr<RuleSet>> first = folder.LoadCached();
  ASSERT_TRUE(first.ok()) << first.status().message();
  EXPECT_EQ(FilePaths(*first.value()), (std::vector<std::string>{"money/de.yaml", "money/en.yaml", "money/fr.yaml"}));

  Result<std::unique_ptr<RuleSet>> later = folder.LoadCached();
  ASSERT_TRUE(later.ok()) << later.status().message();
  RuleSet& rules = *later.value();
  EXPECT_TRUE(rules.files().empty()) << "nothing read yet";
  EXPECT_EQ(rules.Languages(), (std::vector<std::string>{"de", "en", "fr"}));
  EXPECT_TRUE(rules.HasType("money"));
  EXPECT_EQ(rules.version(), first.value()->version());
  std::vector<Candidate> candidates;
  rules.Match("paid £5 or €6", "en", &candidates);
  ASSERT_EQ(candidates.size(), 1u);
  EXPECT_EQ(candidates[0].rule->id, "money/en/x");
  EXPECT_EQ(GroupOf(candidates[0], "num"), "5");
  EXPECT_EQ(FilePaths(rules), std::vector<std::string>{"money/en.yaml"});
  ASSERT_TRUE(rules.PrepareAll().ok());
  EXPECT_EQ(rules.files().size(), 3u);
}

// A folder is read whole at load until it has loaded clean: a broken file in a language
// no article uses is still reported then, every time, and once fixed, the changed
// folder is read whole again (its digest names another mark).
TEST(RuleSetTest, AFolderIsReadWholeAtLoadUntilItLoadsClean) {
  ThreeLanguages folder;
  ASSERT_TRUE(folder.LoadCached().ok());
  folder.WriteLanguage("fr", "\\$", "  - id: money/fr/y\n    pattern: '(?P<cur>\\$)(?P<num>{NUMBR})'\n");
  for (int attempt = 0; attempt < 2; ++attempt) {
    Result<std::unique_ptr<RuleSet>> broken = folder.LoadCached();
    ASSERT_FALSE(broken.ok());
    for (const char* part : {"money/fr.yaml:11:", "unknown macro {NUMBR}"})
      EXPECT_NE(broken.status().message().find(part), std::string::npos) << broken.status().message();
  }
  folder.WriteLanguage("fr", "\\$", "  - id: money/fr/y\n    pattern: '(?P<cur>\\$)(?P<num>{NUMBER})'\n");
  Result<std::unique_ptr<RuleSet>> fixed = folder.LoadCached();
  ASSERT_TRUE(fixed.ok()) << fixed.status().message();
  EXPECT_EQ(fixed.value()->rules().size(), 4u) << "the fixed folder is new: read whole";
}

// Once the folder has changed after the start, no language is read any more: each
// reports the change on every Prepare and matches nothing, while a language read before
// the change runs on.
TEST(RuleSetTest, ALanguageFirstUsedAfterTheFolderChangedIsNotReadAndMatchesNothing) {
  ThreeLanguages folder;
  ASSERT_TRUE(folder.LoadCached().ok());
  Result<std::unique_ptr<RuleSet>> rules = folder.LoadCached();
  ASSERT_TRUE(rules.ok()) << rules.status().message();
  ASSERT_TRUE(rules.value()->Prepare("en").ok());
  folder.Write("money/de.yaml", "rules: [\n");
  for (const char* lang : {"de", "de", "fr"}) {
    const Status status = rules.value()->Prepare(lang);
    EXPECT_EQ(status.code(), Status::Code::kRuleError) << lang;
    EXPECT_NE(status.message().find("the rule folder changed after the start, so the rules for '" + std::string(lang)),
              std::string::npos)
        << status.message();
  }
  std::vector<Candidate> candidates;
  rules.value()->Match("paid €5 or $6", "de", &candidates);
  rules.value()->Match("paid €5 or $6", "fr", &candidates);
  EXPECT_TRUE(candidates.empty());
  rules.value()->Match("paid £5", "en", &candidates);
  EXPECT_EQ(candidates.size(), 1u);
  EXPECT_EQ(FilePaths(*rules.value()), std::vector<std::string>{"money/en.yaml"});
}

// A language whose read fails on first use (here a rule check that refuses it) leaves
// nothing behind: it matches nothing and says why every time, and the languages read
// after it load and match as if it had never been tried.
TEST(RuleSetTest, ALanguageWhoseReadFailsLeavesNothingBehind) {
  ThreeLanguages folder;
  ASSERT_TRUE(folder.LoadCached([](Rule*) { return Status(); }).ok());
  Result<std::unique_ptr<RuleSet>> rules = folder.LoadCached([](Rule* rule) {
    return rule->file->lang == "de" ? Status::RuleError(rule->where() + ": refused") : Status();
  });
  ASSERT_TRUE(rules.ok()) << rules.status().message();
  for (int attempt = 0; attempt < 2; ++attempt)
    EXPECT_EQ(rules.value()->Prepare("de").message(), "money/de.yaml:8: refused");
  std::vector<Candidate> candidates;
  rules.value()->Match("paid €5", "de", &candidates);
  EXPECT_TRUE(candidates.empty());
  EXPECT_TRUE(rules.value()->files().empty());
  EXPECT_TRUE(rules.value()->rules().empty());
  rules.value()->Match("paid $6", "fr", &candidates);
  ASSERT_EQ(candidates.size(), 1u);
  EXPECT_EQ(candidates[0].rule->id, "money/fr/x");
  EXPECT_EQ(FilePaths(*rules.value()), std::vector<std::string>{"money/fr.yaml"});
}

// Threads meeting languages for the first time at once each read theirs once, and get
// what a set read whole at load gives.
TEST(RuleSetTest, ThreadsReadingLanguagesOnFirstUseAtOnceMatchAsAWholeLoad) {
  ThreeLanguages folder;
  Result<std::unique_ptr<RuleSet>> whole = folder.LoadCached();
  ASSERT_TRUE(whole.ok());
  Result<std::unique_ptr<RuleSet>> lazy = folder.LoadCached();
  ASSERT_TRUE(lazy.ok());
  ASSERT_TRUE(lazy.value()->files().empty());
  const std::string text = "€1 £2 $3 €4";
  auto ids = [&](const RuleSet& rules, const std::string& lang) {
    std::vector<Candidate> candidates;
    rules.Match(text, lang, &candidates);
    std::string out;
    for (const Candidate& c : candidates) out += c.rule->id + "@" + std::to_string(c.begin) + " ";
    return out;
  };
  std::vector<std::string> got(12);
  std::vector<std::thread> threads;
  for (size_t t = 0; t < got.size(); ++t)
    threads.emplace_back([&, t] { got[t] = ids(*lazy.value(), ThreeLanguages::kSigns[t % 3].first); });
  for (std::thread& thread : threads) thread.join();
  for (size_t t = 0; t < got.size(); ++t) {
    const std::string& lang = ThreeLanguages::kSigns[t % 3].first;
    EXPECT_EQ(got[t], ids(*whole.value(), lang)) << lang;
    EXPECT_FALSE(got[t].empty()) << lang;
  }
  EXPECT_EQ(lazy.value()->files().size(), 3u);
}

// A small max_regex_memory makes RE2 drop and rebuild its DFA caches as they fill (how
// memory stays bounded on endless text): slower, but whatever budget lets the rules
// compile, the candidates are those of a roomy one.
TEST(RuleSetTest, ASmallRegexBudgetLosesNoMatch) {
  RuleFolder folder;
  folder.Write("money/en.yaml", MoneyFile("  - id: money/en/euro\n    pattern: '(?P<cur>€)(?P<num>\\d+(?:[.,]\\d+)*)'\n"
                                          "  - id: money/en/dollar\n    pattern: '(?P<cur>\\$)(?P<num>\\d+(?:[.,]\\d+)*)'\n"
                                          "  - id: money/en/code\n    pattern: '(?P<num>\\d+(?:[.,]\\d+)*) (?P<cur>EUR|USD|GBP|CHF)'\n"));
  const std::string text = "It paid €5,000.25 and $12 for 300 EUR.\nThen 7 CHF, €9 and $1.5 again: 42 GBP.";
  auto positions = [&](const RuleSetOptions& options) {
    std::vector<std::pair<uint32_t, uint32_t>> out;
    Result<std::unique_ptr<RuleSet>> rules = RuleSet::Load(folder.dir(), options);
    if (!rules.ok() || !rules.value()->Prepare("en").ok()) return out;
    std::vector<Candidate> candidates;
    rules.value()->Match(text, "en", &candidates);
    for (const Candidate& c : candidates) out.emplace_back(c.begin, c.end);
    return out;
  };
  const auto expected = positions({});
  ASSERT_EQ(expected.size(), 7u);
  int compiled_budgets = 0;
  for (int64_t budget = 1 << 10; budget < (256 << 10); budget += budget / 8) {
    RuleSetOptions small;
    small.max_regex_memory = budget;
    const auto got = positions(small);
    if (got.empty()) continue;  // too small to compile at all: Prepare says so
    ++compiled_budgets;
    EXPECT_EQ(got, expected) << "budget " << budget;
  }
  EXPECT_GT(compiled_budgets, 0);
}

// Regression: \p{L} was read as a use of a macro named L.
TEST(RuleSetTest, UnicodeClassesAreNotMacros) {
  RuleFolder folder;
  folder.Write("money/en.yaml", MoneyFile("  - id: money/en/x\n    pattern: '(?P<cur>€)(?P<num>\\d+) \\p{L}+'\n"));
  Result<std::unique_ptr<RuleSet>> rules = folder.Load();
  ASSERT_TRUE(rules.ok()) << rules.status().message();
  std::vector<Candidate> candidates;
  rules.value()->Match("€5 Ünter", "en", &candidates);
  ASSERT_EQ(candidates.size(), 1u);
  EXPECT_EQ(candidates[0].end, 11u);
}

// ---- vocabulary from ICU's CLDR data ("icu:<list>:<lang>")

struct IcuCase {
  const char* source;
  const char* surface;
  const char* value;  // nullptr: the surface must not be there
};

TEST(LexiconTest, IcuSourcesGiveEachLanguagesWords) {
  const IcuCase cases[] = {
      // -- country names, keyed by ISO 3166 code
      {"icu:country-names", "DE", "Germany"},
      {"icu:country-names:de", "ES", "Spanien"},
      {"icu:country-names:fr", "DE", "Allemagne"},
      {"icu:country-names-by-name:it", "Germania", "DE"},
      {"icu:country-names-by-name:es", "Alemania", "DE"},
      // -- currencies: codes, symbols, names and plurals, lower-cased too
      {"icu:currencies:fr", "euros", "EUR"},
      {"icu:currencies:fr", "€", "EUR"},
      {"icu:currencies:es", "dólares estadounidenses", "USD"},
      {"icu:currencies:it", "franchi svizzeri", "CHF"},
      {"icu:currencies:de", "Euro", "EUR"},
      {"icu:currencies:de", "CHF", "CHF"},
      // -- months and weekdays (ISO: Monday 1 .. Sunday 7)
      {"icu:months:de", "März", "3"},
      {"icu:months:fr", "février", "2"},
      {"icu:months:es", "noviembre", "11"},
      {"icu:months:it", "dicembre", "12"},
      {"icu:months:es", "mar", nullptr},  // abbreviations only on request: the sea
      {"icu:months-abbreviated:de", "Jan.", "1"},
      {"icu:weekdays:it", "lunedì", "1"},
      {"icu:weekdays:fr", "dimanche", "7"},
  };
  for (const IcuCase& c : cases) {
    Lexicon lexicon;
    ASSERT_TRUE(lexicon.AddSource(c.source, ".").ok()) << c.source;
    const LexiconEntry* entry = lexicon.Find(c.surface);
    if (!c.value) {
      EXPECT_EQ(entry, nullptr) << c.source << ": " << c.surface;
      continue;
    }
    ASSERT_NE(entry, nullptr) << c.source << ": " << c.surface;
    EXPECT_EQ(entry->value, c.value) << c.source << ": " << c.surface;
  }
}

// The filter phrase lookups go through first: a phrase can be an entry only if its first
// token starts one, whatever the case.
TEST(LexiconTest, KnowsWhichTokensStartAnEntryAndHowLongTheLongestIs) {
  Lexicon lexicon;
  lexicon.Add({"co-funded by", "give", {}});
  lexicon.Add({"co", "give", {}});
  lexicon.Add({"Invests", "give", {}});
  const std::pair<const char*, size_t> cases[] = {{"co", 4},     {"CO", 4},    {"invests", 1}, {"INVESTS", 1}, {"funded", 0},
                                                  {"-", 0},      {"by", 0},    {"invest", 0},  {"", 0}};
  for (const auto& [token, most] : cases) EXPECT_EQ(lexicon.LongestEntryStartingWith(token), most) << token;
}

TEST(LexiconTest, EachTagIsOneBitOfItsEntries) {
  Lexicon lexicon;
  lexicon.Add({"the", "", {"definite", "article"}});
  lexicon.Add({"of", "", {"preposition"}});
  lexicon.Add({"and", "", {}});
  const uint64_t definite = lexicon.TagBit("definite");
  const uint64_t article = lexicon.TagBit("article");
  const uint64_t preposition = lexicon.TagBit("preposition");
  EXPECT_EQ(lexicon.TagBit("coordinator"), 0u) << "no entry has it";
  for (uint64_t bit : {definite, article, preposition}) EXPECT_EQ(std::popcount(bit), 1);
  EXPECT_EQ(definite | article | preposition, definite ^ article ^ preposition) << "distinct bits";
  EXPECT_EQ(lexicon.Find("the")->tag_bits, definite | article);
  EXPECT_EQ(lexicon.Find("of")->tag_bits, preposition);
  EXPECT_EQ(lexicon.Find("and")->tag_bits, 0u);
  lexicon.Add({"the", "", {"preposition"}});  // a later source's entry replaces the earlier one
  EXPECT_EQ(lexicon.Find("the")->tag_bits, preposition);
}

TEST(LexiconTest, MoreTagsThanBitsIsARuleErrorNamingTheLine) {
  factwire::testing::TempRuleFolder folder;
  std::string tsv;
  for (size_t i = 0; i <= Lexicon::kMaxTags; ++i) tsv += "word" + std::to_string(i) + "\tx\ttag" + std::to_string(i) + "\n";
  folder.Write("gazetteers/tags.tsv", tsv);
  Lexicon lexicon;
  const Status status = lexicon.AddSource("gazetteers/tags.tsv", folder.dir());
  EXPECT_EQ(status.code(), Status::Code::kRuleError);
  EXPECT_NE(status.message().find("gazetteers/tags.tsv:65: more than 64 distinct tags"), std::string::npos)
      << status.message();
}

TEST(WordSetTest, HoldsEachWordOfItsListWhateverTheCaseOfTheQuery) {
  factwire::testing::TempRuleFolder folder;
  folder.Write("gazetteers/words.txt", "# common words\nbill\nyour\r\ncafé\n\nAbout\n");
  WordSet words;
  ASSERT_TRUE(words.AddSource("gazetteers/words.txt", folder.dir()).ok());
  EXPECT_EQ(words.size(), 4u);
  for (const char* word : {"bill", "Bill", "YOUR", "café", "about"}) EXPECT_TRUE(words.Contains(word)) << word;
  for (const char* word : {"kane", "Kane", "bil", "bills", "", "# common words"}) EXPECT_FALSE(words.Contains(word)) << word;
}

TEST(WordSetTest, ALineOfMoreThanOneWordIsARuleErrorNamingTheLine) {
  factwire::testing::TempRuleFolder folder;
  folder.Write("gazetteers/words.txt", "bill\nmark\tword\n");
  WordSet words;
  const Status status = words.AddSource("gazetteers/words.txt", folder.dir());
  EXPECT_EQ(status.code(), Status::Code::kRuleError);
  EXPECT_NE(status.message().find("gazetteers/words.txt:2: expected one word"), std::string::npos) << status.message();
}

TEST(LexiconTest, UnknownIcuSourceIsARuleError) {
  Lexicon lexicon;
  const Status status = lexicon.AddSource("icu:planets:de", ".");
  EXPECT_EQ(status.code(), Status::Code::kRuleError);
  EXPECT_NE(status.message().find("unknown ICU source 'icu:planets:de'"), std::string::npos) << status.message();
}

// Each file's {DECIMAL} and {GROUP} come from ICU for its language, and money values
// read numbers with them: "1.500,5" is 1500.5 in German, "1 234,56" in French.
TEST(RuleSetTest, NumberSymbolsComeFromTheFilesLanguage) {
  RuleFolder folder;
  folder.Write("common/macros.yaml", R"(macros:
  LOCAL_NUMBER: '\d{1,3}(?:{GROUP}\d{3})+(?:{DECIMAL}\d+)?|\d{1,3}(?:''\d{3})+(?:\.\d+)?|\d+(?:{DECIMAL}\d+)?'
)");
  const std::string rule = "  - id: money/LANG/x\n    pattern: '(?P<num>{LOCAL_NUMBER}) ?(?P<cur>€)'\n";
  for (const char* lang : {"de", "fr", "en"}) {
    std::string text = MoneyFile(rule);
    text.replace(text.find("LANG"), 4, lang);
    folder.Write(std::string("money/") + lang + ".yaml", text);
  }
  Result<std::unique_ptr<RuleSet>> rules = folder.Load();
  ASSERT_TRUE(rules.ok()) << rules.status().message();
  struct Case {
    const char* lang;
    const char* text;
    const char* amount;
  };
  for (const Case& c : {Case{"de", "1.500,5 €", "1500.5"}, Case{"fr", "1 234,56 €", "1234.56"}, Case{"en", "1,500.5 €", "1500.5"},
                        Case{"de", "1'234.5 €", "1234.5"}}) {
    std::vector<Candidate> candidates;
    rules.value()->Match(c.text, c.lang, &candidates);
    ASSERT_EQ(candidates.size(), 1u) << c.lang << ": " << c.text;
    Result<Value> value = BuildValue(candidates[0], ValueContext{});
    ASSERT_TRUE(value.ok()) << value.status().message();
    ASSERT_TRUE(std::holds_alternative<MoneyValue>(value.value()));
    EXPECT_EQ(std::get<MoneyValue>(value.value()).amount.ToString(), c.amount) << c.lang << ": " << c.text;
  }
}

// Two rules matching the same span: the file's priority decides which one's fact is
// kept, whatever order the rules come in.
TEST(RuleSetTest, TheHigherPriorityRuleWinsTheSameSpan) {
  for (const auto& [first, second] : {std::pair{5, 10}, std::pair{10, 5}}) {
    RuleFolder folder;
    folder.Write("money/en.yaml",
                 MoneyFile("  - id: money/en/a\n    pattern: '(?P<cur>€)(?P<num>\\d+)'\n    priority: " + std::to_string(first) +
                           "\n  - id: money/en/b\n    pattern: '(?P<cur>€)(?P<num>\\d+)'\n    priority: " +
                           std::to_string(second) + "\n"));
    Result<std::unique_ptr<RuleSet>> rules = folder.Load();
    ASSERT_TRUE(rules.ok()) << rules.status().message();
    Result<std::unique_ptr<Extractor>> extractor = Extractor::Create(*rules.value(), {});
    ASSERT_TRUE(extractor.ok()) << extractor.status().message();
    Article article;
    article.text = "paid €5";
    article.lang = "en";
    const Record record = extractor.value()->Extract(article);
    ASSERT_EQ(record.facts.size(), 1u);
    EXPECT_EQ(record.facts[0].rule, first > second ? "money/en/a" : "money/en/b") << first << " vs " << second;
  }
}

// not_followed_by looks after the match, not_containing inside the fact: each drops the
// candidate and says why.
TEST(RuleSetTest, NotFollowedByAndNotContainingDropWithTheirReason) {
  RuleFolder folder;
  folder.Write("money/en.yaml",
               MoneyFile("  - id: money/en/x\n    pattern: '(?P<cur>€)(?P<num>\\d+)'\n"
                         "    not_followed_by: ' each'\n    not_containing: '99'\n"));
  Result<std::unique_ptr<RuleSet>> rules = folder.Load();
  ASSERT_TRUE(rules.ok()) << rules.status().message();
  const std::pair<const char*, const char*> cases[] = {
      {"paid €5 in all", ""},
      {"paid €5 each", "not_followed_by matched after the match"},
      {"paid €1990 in all", "not_containing matched inside the fact"},
  };
  for (const auto& [text, drop] : cases) {
    std::vector<Candidate> candidates;
    rules.value()->Match(text, "en", &candidates);
    ASSERT_EQ(candidates.size(), 1u) << text;
    EXPECT_EQ(candidates[0].drop, drop) << text;
  }
  std::vector<Candidate> candidates;
  rules.value()->Match("paid €5 99", "en", &candidates);  // after the fact, not inside it
  ASSERT_EQ(candidates.size(), 1u);
  EXPECT_EQ(candidates[0].drop, "");
}

// Block rules carry no captures: the value builders' checks do not apply to them
// (ValidateRule skips them), while the same rule as a fact rule is refused.
TEST(RuleSetTest, BlockRulesNeedNoCaptures) {
  RuleFolder folder;
  folder.Write("money/en.yaml", MoneyFile("  - id: money/en/not-money\n    pattern: 'AB\\d+'\n    block: true\n"));
  Result<std::unique_ptr<RuleSet>> rules = folder.Load();
  ASSERT_TRUE(rules.ok()) << rules.status().message();
  RuleFolder unblocked;
  unblocked.Write("money/en.yaml", MoneyFile("  - id: money/en/not-money\n    pattern: 'AB\\d+'\n"));
  Result<std::unique_ptr<RuleSet>> refused = unblocked.Load();
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("needs a (?P<cur>...) capture"), std::string::npos) << refused.status().message();
}

TEST(RuleSetTest, TheProjectRulesLoad) {
  Result<std::unique_ptr<RuleSet>> rules = LoadRules(DefaultRulesDir());
  ASSERT_TRUE(rules.ok()) << rules.status().message();
  EXPECT_TRUE(rules.value()->HasLanguage("en"));
  EXPECT_TRUE(rules.value()->HasLanguage("und")) << "language-neutral rules";
  EXPECT_FALSE(rules.value()->Abbreviations("en").empty());
}

}  // namespace
}  // namespace factwire
