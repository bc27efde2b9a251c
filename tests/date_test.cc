// Dates against a publication date: the issue's own cases, the policies the README
// states, and what happens without a publication date.
#include <gtest/gtest.h>

#include "test_support.h"

namespace factwire {
namespace {

// The value of the one date fact whose text is `match`.
nlohmann::json DateOf(const std::string& text, const std::string& match, const std::string& published,
                      const std::string& lang = "en") {
  static std::unique_ptr<Extractor> extractor = testing::NewExtractor();
  Article article;
  article.text = text;
  article.published = published;
  article.lang = lang;
  const Record record = extractor->Extract(article);
  testing::ExpectOffsetsHold(text, record);
  for (const Fact& fact : record.facts)
    if (fact.type == "date" && fact.text == match) return ToJson(fact.value);
  ADD_FAILURE() << "no date '" << match << "' in: " << text;
  return nullptr;
}

TEST(DateTest, RelativeDatesResolveAgainstThePublicationDate) {
  const std::string friday = "2025-03-14";
  struct Case {
    const char* text;
    const char* match;
    const char* iso;
    const char* grain;
  };
  const Case cases[] = {
      {"Profit fell last year.", "last year", "2024", "year"},
      {"Profit rises next month.", "next month", "2025-04", "month"},
      {"The results for Q3 2025 are due.", "Q3 2025", "2025-Q3", "quarter"},
      {"The 2021-2027 budget.", "2021-2027", "2021/2027", "range"},
      // Weekday policy: back by default, forward when the sentence speaks of the future.
      {"The minister said on Tuesday that talks failed.", "Tuesday", "2025-03-11", "day"},
      {"Ministers will vote on Tuesday.", "Tuesday", "2025-03-18", "day"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.text);
    const nlohmann::json value = DateOf(c.text, c.match, friday);
    EXPECT_EQ(value.value("iso", ""), c.iso);
    EXPECT_EQ(value.value("grain", ""), c.grain);
  }
}

TEST(DateTest, NumericDatesAreDayFirstUnlessTheArticleIsUsDated) {
  EXPECT_EQ(DateOf("Due 03/11/2026.", "03/11/2026", "")["iso"], "2026-11-03");
  EXPECT_EQ(DateOf("Due 03/11/2026.", "03/11/2026", "", "en-US")["iso"], "2026-03-11");
  // The numbers rule out one order: 24 cannot be a month, whatever the article.
  EXPECT_EQ(DateOf("Due 11/24/2026.", "11/24/2026", "")["iso"], "2026-11-24");
  EXPECT_EQ(DateOf("Due 24/11/2026.", "24/11/2026", "", "en-US")["iso"], "2026-11-24");
}

TEST(DateTest, WithoutAPublicationDateRelativeDatesKeepNoIsoAndWarnOnce) {
  const Record record = testing::ExtractText("Profit fell last year and will rise next month; on Tuesday it met.");
  size_t dates = 0;
  for (const Fact& fact : record.facts) {
    if (fact.type != "date") continue;
    ++dates;
    EXPECT_FALSE(ToJson(fact.value).contains("iso")) << fact.text;
    EXPECT_TRUE(ToJson(fact.value).contains("grain")) << fact.text;
  }
  EXPECT_EQ(dates, 3u);
  ASSERT_EQ(record.warnings.size(), 1u);
  EXPECT_NE(record.warnings[0].find("3 relative date(s)"), std::string::npos) << record.warnings[0];
  // Absolute dates need no publication date and cause no warning.
  EXPECT_TRUE(testing::ExtractText("It opened in March 2025.").warnings.empty());
}

TEST(DateTest, SeedArticleByTwentyTwentySix) {
  const Record record = testing::ExtractText(
      "with an aim to double EuroHPC's computing capacity by 2026. This substantial enhancement");
  std::vector<const Fact*> dates;
  for (const Fact& fact : record.facts)
    if (fact.type == "date") dates.push_back(&fact);
  ASSERT_EQ(dates.size(), 1u);
  EXPECT_EQ(dates[0]->text, "2026");
  EXPECT_EQ(ToJson(dates[0]->value), (nlohmann::json{{"iso", "2026"}, {"grain", "year"}, {"mod", "by"}}));
}

TEST(DateTest, MoneyStaysMoneyBesideAYear) {
  const Record record = testing::ExtractText("It will spend €2bn in 2025 and paid €2026 in fees.");
  std::vector<std::string> got;
  for (const Fact& fact : record.facts) got.push_back(fact.type + ":" + fact.text);
  EXPECT_EQ(got, (std::vector<std::string>{"money:€2bn", "date:2025", "money:€2026"}));
}

// Calendar edges the arithmetic must get right.
TEST(DateTest, CalendarEdges) {
  EXPECT_EQ(DateOf("It rose last month.", "last month", "2025-01-31")["iso"], "2024-12");
  EXPECT_EQ(DateOf("It rises in one month.", "in one month", "2025-01-31")["iso"], "2025-02");
  EXPECT_EQ(DateOf("It rose last week.", "last week", "2025-01-01")["iso"], "2024-12-23/2024-12-29");
  EXPECT_EQ(DateOf("It rose last quarter.", "last quarter", "2025-01-15")["iso"], "2024-Q4");
  EXPECT_EQ(DateOf("It opened yesterday.", "yesterday", "2024-03-01")["iso"], "2024-02-29");
  EXPECT_EQ(DateOf("It met on Sunday.", "Sunday", "2025-03-16")["iso"], "2025-03-16");
}

}  // namespace
}  // namespace factwire
