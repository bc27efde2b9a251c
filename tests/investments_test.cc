// Investment events: which languages have them, and what they find in each language.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "events/investments.h"
#include "pipeline/extractor.h"
#include "test_support.h"

namespace factwire {
namespace {
namespace fs = std::filesystem;

// A rule folder with a money file for "xx" whose lexicons section is `lexicons`.
class ToyRules {
 public:
  explicit ToyRules(const std::string& lexicons)
      : dir_(fs::temp_directory_path() / ("factwire-investments-" + std::to_string(::getpid()))) {
    fs::remove_all(dir_);
    Write("common/macros.yaml", "macros:\n  NUMBER: '\\d+'\n");
    Write("gazetteers/currencies.tsv", "€\tEUR\tbefore\n");
    Write("gazetteers/words.tsv", "and\t\tcoordinator\n");
    Write("money/xx.yaml", "type: money\nlexicons:\n  currency: gazetteers/currencies.tsv\n" + lexicons +
                               "rules:\n  - id: money/xx/x\n    pattern: '(?P<cur>€)(?P<num>{NUMBER})'\n");
  }
  ~ToyRules() { fs::remove_all(dir_); }
  Result<std::unique_ptr<RuleSet>> Load() const { return LoadRules(dir_.string()); }

 private:
  void Write(const std::string& path, const std::string& content) {
    fs::create_directories((dir_ / path).parent_path());
    std::ofstream(dir_ / path) << content;
  }
  fs::path dir_;
};

TEST(InvestmentsTest, OffReasonNamesTheMissingLexicon) {
  const struct {
    std::string lexicons;
    std::string lang;
    std::string reason;  // a part of the reason; "" when investments are on
  } cases[] = {
      {"  investment_cue: gazetteers/words.tsv\n  function_word: gazetteers/words.tsv\n", "xx", ""},
      {"  investment_cue: gazetteers/words.tsv\n", "xx", "money/xx.yaml has no function_word lexicon"},
      {"  function_word: gazetteers/words.tsv\n", "xx", "money/xx.yaml has no investment_cue lexicon"},
      {"", "xx", "no investment_cue and function_word lexicon"},
      {"  investment_cue: gazetteers/words.tsv\n  function_word: gazetteers/words.tsv\n", "yy", "'yy': it has no money rules"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.lexicons + c.lang);
    const ToyRules toy(c.lexicons);
    Result<std::unique_ptr<RuleSet>> rules = toy.Load();
    ASSERT_TRUE(rules.ok()) << rules.status().message();
    const std::string reason = InvestmentsOffReason(*rules.value(), c.lang);
    if (c.reason.empty()) EXPECT_EQ(reason, "");
    else EXPECT_NE(reason.find(c.reason), std::string::npos) << reason;
  }
}

TEST(InvestmentsTest, EveryProjectLanguageHasThem) {
  for (const char* lang : {"en"}) EXPECT_EQ(InvestmentsOffReason(testing::ProjectRules(), lang), "") << lang;
}

}  // namespace
}  // namespace factwire
