// Languages: the same announcement in five languages gives the same normalised facts,
// and articles that do not say their language get the one CLD2 identifies.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "langid/language.h"
#include "test_support.h"

namespace factwire {
namespace {

// ---- one funding announcement, translated

struct Translation {
  const char* lang;
  const char* text;
};

const Translation kAnnouncement[] = {
    {"en",
     "Brussels, 12 March 2025 – The European Commission will invest €1.5 billion in seven new AI Factories in "
     "Finland, Germany, Spain and Italy, which are to start operating by the end of 2026. The money comes from the "
     "Digital Europe Programme and Horizon Europe. Last year the EU spent about €500 million on the Finnish "
     "supercomputer LUMI."},
    {"de",
     "Brüssel, 12. März 2025 – Die Europäische Kommission investiert 1,5 Milliarden Euro in sieben neue KI-Fabriken "
     "in Finnland, Deutschland, Spanien und Italien, die bis Ende 2026 in Betrieb gehen sollen. Das Geld stammt aus "
     "dem Programm Digitales Europa und aus Horizont Europa. Im vergangenen Jahr gab die EU rund 500 Millionen Euro "
     "für den finnischen Supercomputer LUMI aus."},
    {"fr",
     "Bruxelles, 12 mars 2025 – La Commission européenne investira 1,5 milliard d'euros dans sept nouvelles usines "
     "d'IA en Finlande, en Allemagne, en Espagne et en Italie, qui doivent entrer en service d'ici fin 2026. L'argent "
     "provient du programme pour une Europe numérique et d'Horizon Europe. L'an dernier, l'UE a consacré environ 500 "
     "millions d'euros au supercalculateur finlandais LUMI."},
    {"es",
     "Bruselas, 12 de marzo de 2025 – La Comisión Europea invertirá 1.500 millones de euros en siete nuevas fábricas "
     "de IA en Finlandia, Alemania, España e Italia, que deberán estar operativas para finales de 2026. El dinero "
     "procede del programa Europa Digital y de Horizonte Europa. El año pasado, la UE destinó unos 500 millones de "
     "euros al superordenador finlandés LUMI."},
    {"it",
     "Bruxelles, 12 marzo 2025 – La Commissione europea investirà 1,5 miliardi di euro in sette nuove fabbriche di "
     "IA in Finlandia, Germania, Spagna e Italia, che dovranno entrare in funzione entro la fine del 2026. Il denaro "
     "proviene dal programma Europa digitale e da Orizzonte Europa. L'anno scorso l'UE ha speso circa 500 milioni "
     "di euro per il supercomputer finlandese LUMI."},
};

// The facts the issue asks to agree across languages, as sorted lines of normalised
// values: money (amount, currency, approx), countries, dates and programme names.
std::vector<std::string> NormalisedFacts(const Record& record) {
  std::vector<std::string> lines;
  for (const Fact& fact : record.facts) {
    if (const auto* money = std::get_if<MoneyValue>(&fact.value))
      lines.push_back("money " + money->amount.ToString() + " " + money->currency + " " + money->approx.value_or(""));
    else if (const auto* country = std::get_if<CountryValue>(&fact.value))
      lines.push_back("country " + country->iso2 + " " + country->name);
    else if (const auto* date = std::get_if<DateValue>(&fact.value))
      lines.push_back("date " + date->iso.value_or("") + " " + date->grain + " " + date->mod.value_or(""));
    else if (const auto* programme = std::get_if<ProgrammeValue>(&fact.value))
      lines.push_back("programme " + programme->name);
  }
  std::sort(lines.begin(), lines.end());
  return lines;
}

TEST(LanguagesTest, OneAnnouncementGivesTheSameFactsInEveryLanguage) {
  const std::vector<std::string> expected = {
      "country DE Germany", "country ES Spain", "country FI Finland", "country FI Finland", "country IT Italy",
      "date 2024 year ",    "date 2025-03-12 day ", "date 2026 year by",
      "money 1500000000 EUR ", "money 500000000 EUR about",
      "programme Digital Europe Programme", "programme Horizon Europe",
  };
  std::unique_ptr<Extractor> extractor = testing::NewExtractor();
  for (const Translation& translation : kAnnouncement) {
    Article article;
    article.id = std::string("announcement-") + translation.lang;
    article.text = translation.text;
    article.lang = translation.lang;
    article.published = "2025-03-12";
    const Record record = extractor->Extract(article);
    testing::ExpectOffsetsHold(article.text, record);
    EXPECT_EQ(NormalisedFacts(record), expected) << translation.lang << ": " << translation.text;
  }
}

// The same articles without a language: CLD2 names it, and the facts are the same.
TEST(LanguagesTest, AnArticleWithoutALanguageIsIdentified) {
  std::unique_ptr<Extractor> extractor = testing::NewExtractor();
  for (const Translation& translation : kAnnouncement) {
    EXPECT_EQ(IdentifyLanguage(translation.text).code, translation.lang) << translation.text;
    Article article;
    article.id = "unlabelled";
    article.text = translation.text;
    article.published = "2025-03-12";
    const Record record = extractor->Extract(article);
    EXPECT_EQ(record.lang, translation.lang);
    EXPECT_TRUE(record.warnings.empty()) << record.warnings.front();
    EXPECT_FALSE(record.facts.empty());
  }
}

// ---- linking, in every language

// Regression: a company named with its legal form once ("Alpstein Data AG") was missed
// when later mentioned without it.
TEST(LanguagesTest, AShortMentionWithoutTheLegalFormIsTheSameOrg) {
  struct Case {
    const char* lang;
    const char* text;
    const char* short_form;
    const char* name;
  };
  const Case cases[] = {
      {"de", "Die Alpstein Data AG baut ein Rechenzentrum in Wien. Später erhielt Alpstein Data einen Kredit.",
       "Alpstein Data", "Alpstein Data AG"},
      {"en", "Kaamos Data Oy opened a data centre in Finland. Later, Kaamos Data raised money.", "Kaamos Data",
       "Kaamos Data Oy"},
  };
  std::unique_ptr<Extractor> extractor = testing::NewExtractor();
  for (const Case& c : cases) {
    Article article;
    article.id = "short";
    article.lang = c.lang;
    article.text = c.text;
    const Record record = extractor->Extract(article);
    const auto short_mention = std::find_if(record.facts.begin(), record.facts.end(),
                                            [&](const Fact& f) { return f.text == c.short_form; });
    ASSERT_NE(short_mention, record.facts.end()) << c.text;
    EXPECT_EQ(short_mention->type, "org");
    EXPECT_EQ(NameOf(short_mention->value), c.name);
    EXPECT_EQ(short_mention->rule, std::string("org/") + c.lang + "/same-org");
  }
}

// ---- identification limits

TEST(LanguagesTest, TooShortOrUnknownTextsAreNotIdentified) {
  EXPECT_EQ(IdentifyLanguage("EUR 300 000").code, "");
  EXPECT_EQ(IdentifyLanguage("").code, "");
  EXPECT_EQ(IdentifyLanguage("1234 5678 9012").code, "");
}

TEST(LanguagesTest, AnUnsupportedLanguageGetsTheNeutralRulesAndAWarning) {
  std::unique_ptr<Extractor> extractor = testing::NewExtractor();
  Article article;
  article.id = "nl";
  article.lang = "nl";
  article.text = "De Nederlandse regering trekt EUR 300 000 uit voor onderzoek op 2025-06-01.";
  const Record record = extractor->Extract(article);
  EXPECT_EQ(record.lang, "nl");
  ASSERT_EQ(record.warnings.size(), 1u);
  EXPECT_EQ(record.warnings[0], "no rules for language 'nl': language-neutral rules only");
  ASSERT_EQ(record.facts.size(), 2u);
  EXPECT_EQ(record.facts[0].rule, "money/und/symbol-number");
  EXPECT_EQ(record.facts[1].rule, "date/und/iso");
}

}  // namespace
}  // namespace factwire
