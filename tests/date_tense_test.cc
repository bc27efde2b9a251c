// Date tense as data: the words that put a date's clause in the future, keep it in the
// past or cut a sentence into clauses come from the language's date rule file, and a
// language without them reads every date as past (DateTenseOffReason says so).
#include "resolve/date_tense.h"

#include <gtest/gtest.h>


#include "emit/emitter.h"
#include "test_support.h"

namespace factwire {
namespace {

TEST(DateTenseTest, SaysWhichListALanguageLacks) {
  struct Case {
    const char* lang;
    const char* reason_part;  // empty: tense reading is on
  };
  const Case cases[] = {
      {"en", ""},
      {"und", "date/und.yaml: no lexicon 'future', 'reporting', 'clause_word'"},
      {"pt", "date tense for 'pt' is off: no date rules"},
  };
  for (const Case& c : cases) {
    const std::string reason = DateTenseOffReason(testing::ProjectRules(), c.lang);
    if (std::string(c.reason_part).empty()) EXPECT_EQ(reason, "") << c.lang;
    else EXPECT_NE(reason.find(c.reason_part), std::string::npos) << c.lang << ": " << reason;
  }
}

// A toy language "xx" in a temporary rules folder: weekdays, and tense lists only when
// `with_lists`.
class ToyLanguage : public factwire::testing::TempRuleFolder {
 public:
  explicit ToyLanguage(bool with_lists) {
    Write("common/macros.yaml", "macros:\n  X: 'x'\n");
    Write("gazetteers/weekdays.tsv", "Tuesday\t2\tfull\n");
    Write("gazetteers/future.tsv", "will\t\tmodal\n");
    Write("gazetteers/reporting.tsv", "said\n");
    Write("gazetteers/clause.tsv", "will\t\tauxiliary\nthat\t\tclause_opener,after_noun\nand\t\tcoordinator\nat\t\tafter_noun\n");
    std::string lists = with_lists ? "  future: gazetteers/future.tsv\n  reporting: gazetteers/reporting.tsv\n  clause_word: gazetteers/clause.tsv\n" : "";
    Write("date/xx.yaml", "type: date\nlang: xx\nlexicons:\n  weekday: gazetteers/weekdays.tsv\n" + lists +
                              "rules:\n  - id: date/xx/weekday\n    pattern: '(?P<span>(?P<weekday>Tuesday))'\n");
  }
};

TEST(DateTenseTest, TheLanguagesListsDecideTheTense) {
  struct Case {
    const char* text;
    const char* with_lists;     // iso of Tuesday, published Friday 2025-03-14
    const char* without_lists;  // every date looks back
  };
  const Case cases[] = {
      {"Ministers will vote on Tuesday.", "2025-03-18", "2025-03-11"},
      {"The minister said on Tuesday that ministers will vote.", "2025-03-11", "2025-03-11"},
      {"Ministers met on Tuesday and will vote.", "2025-03-11", "2025-03-11"},
      {"It showed political will at Tuesday's vote.", "2025-03-11", "2025-03-11"},
  };
  for (const bool with_lists : {true, false}) {
    ToyLanguage language(with_lists);
    Result<std::unique_ptr<RuleSet>> rules = LoadRules(language.dir());
    ASSERT_TRUE(rules.ok()) << rules.status().message();
    EXPECT_EQ(DateTenseOffReason(*rules.value(), "xx").empty(), with_lists) << DateTenseOffReason(*rules.value(), "xx");
    Result<std::unique_ptr<Extractor>> extractor = Extractor::Create(*rules.value(), {});
    ASSERT_TRUE(extractor.ok()) << extractor.status().message();
    for (const Case& c : cases) {
      Article article;
      article.text = c.text;
      article.lang = "xx";
      article.published = "2025-03-14";
      const nlohmann::ordered_json record = ToJson(extractor.value()->Extract(article));
      ASSERT_EQ(record["facts"].size(), 1u) << c.text;
      EXPECT_EQ(record["facts"][0]["value"]["iso"], with_lists ? c.with_lists : c.without_lists) << c.text << " lists: " << with_lists;
    }
  }
}

}  // namespace
}  // namespace factwire
