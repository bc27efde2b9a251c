// Mention linking: a name found again carries a rule id in the real language.
#include <gtest/gtest.h>

#include "link/linker.h"

namespace factwire {
namespace {

struct LinkCase {
  const char* article_lang;
  const char* file_lang;  // of the rules that found the first mention; null: none
  const char* rule;       // expected of the linked mention
};

TEST(LinkerTest, LinkedRuleIdsCarryTheRealLanguage) {
  const std::string text = "Kaamos Data Oy baut. Kaamos Data Oy wächst.";
  const LinkCase cases[] = {
      {"de", nullptr, "org/de/same-org"},  // no rule file: the article's language, never "en"
      {"pt", nullptr, "org/pt/same-org"},
      {"de", "fr", "org/fr/same-org"},     // the language of the rules that found it
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(std::string(c.article_lang) + " " + (c.file_lang ? c.file_lang : "-"));
    RuleFile file;
    if (c.file_lang) file.lang = c.file_lang;
    std::vector<Mention> mentions = {{0, 14, "org", Value(OrgValue{"Kaamos Data Oy"}), "org/x/legal-form", c.file_lang ? &file : nullptr}};
    LinkMentions(text, Tokenise(text), c.article_lang, &mentions);
    ASSERT_EQ(mentions.size(), 2u);
    EXPECT_EQ(mentions[1].begin, 21u);
    EXPECT_EQ(mentions[1].rule, c.rule);
  }
}

}  // namespace
}  // namespace factwire
