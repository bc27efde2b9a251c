// Investment events: which languages have them, and what they find in each language.
#include <gtest/gtest.h>


#include "events/investments.h"
#include "pipeline/extractor.h"
#include "test_support.h"

namespace factwire {
namespace {

// A rule folder with a money file for "xx" whose lexicons section is `lexicons`.
class ToyRules : public factwire::testing::TempRuleFolder {
 public:
  explicit ToyRules(const std::string& lexicons) {
    Write("common/macros.yaml", "macros:\n  NUMBER: '\\d+'\n");
    Write("gazetteers/currencies.tsv", "€\tEUR\tbefore\n");
    Write("gazetteers/words.tsv", "and\t\tcoordinator\n");
    Write("money/xx.yaml", "type: money\nlexicons:\n  currency: gazetteers/currencies.tsv\n" + lexicons +
                               "rules:\n  - id: money/xx/x\n    pattern: '(?P<cur>€)(?P<num>{NUMBER})'\n");
  }
};

// Regression (found by tools/fuzz, extractor harness): a purpose whose sentence ends in
// a comma read the element after the last one (a heap overflow under ASan; garbage
// otherwise). The purpose now ends at the comma; ./tools/test --sanitize checks the read.
TEST(InvestmentsTest, APurposeEndingTheTextWithACommaStaysInTheSentence) {
  const Record record =
      testing::ExtractText("The Meridian Facility approved $1.9bn for water projects in Jordan,", "2026-06-10");
  ASSERT_EQ(record.relations.size(), 1u);
  EXPECT_EQ(record.relations[0].type, "investment");
  EXPECT_EQ(record.relations[0].purpose.find(','), std::string::npos) << record.relations[0].purpose;
}

TEST(InvestmentsTest, OffReasonNamesTheMissingLexicon) {
  const struct {
    std::string lexicons;
    std::string lang;
    std::string reason;  // a part of the reason; "" when investments are on
  } cases[] = {
      {"  investment_cue: gazetteers/words.tsv\n  function_word: gazetteers/words.tsv\n", "xx", ""},
      {"  investment_cue: gazetteers/words.tsv\n", "xx", "lexicons missing from money/xx.yaml: function_word"},
      {"  function_word: gazetteers/words.tsv\n", "xx", "lexicons missing from money/xx.yaml: investment_cue"},
      {"", "xx", "lexicons missing from money/xx.yaml: investment_cue, function_word"},
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
  for (const char* lang : {"en", "de", "fr", "es", "it"})
    EXPECT_EQ(InvestmentsOffReason(testing::ProjectRules(), lang), "") << lang;
}

// "money; funders A, B; beneficiaries C; rule" for every investment of `text` in `lang`.
std::vector<std::string> InvestmentsOf(const std::string& text, const std::string& lang) {
  static const std::unique_ptr<Extractor> extractor = testing::NewExtractor();
  Article article;
  article.id = "test";
  article.text = text;
  article.lang = lang;
  const Record record = extractor->Extract(article);
  auto texts = [&](const std::vector<size_t>& facts) {
    std::string joined;
    for (size_t i : facts) joined += (joined.empty() ? "" : ", ") + record.facts[i].text;
    return joined;
  };
  std::vector<std::string> out;
  for (const Relation& r : record.relations)
    if (r.type == "investment")
      out.push_back(record.facts[r.from].text + "; funders " + texts(r.funders) + "; beneficiaries " +
                    texts(r.beneficiaries) + "; " + r.rule);
  return out;
}

struct LanguageCase {
  const char* lang;
  const char* text;
  std::vector<std::string> investments;
};

// How each language writes funding news: who pays and who receives, whatever the word
// order, and rule ids that name the article's language.
TEST(InvestmentsTest, EachLanguageReadsWhoPaysAndWhoReceives) {
  const LanguageCase cases[] = {
      // -- English: a lent loan, a passive purchase, a verb joined with its agent, a source first
      {"en", "The EIB provided a €500 million loan to Enel SpA for grid upgrades.",
       {"€500 million; funders EIB; beneficiaries Enel SpA; relation/en/investment-give"}},
      {"en", "Quantix BV was acquired by Siemens AG for €300 million.",
       {"€300 million; funders Siemens AG; beneficiaries Quantix BV; relation/en/investment-receive"}},
      {"en", "Under the IPCEI Hy2Infra, Germany will grant €4.6 billion to 24 projects.",
       {"€4.6 billion; funders IPCEI; beneficiaries ; relation/en/investment-give"}},
      {"en", "The €2 billion plant, funded by Siemens AG and Enel SpA, will open in 2027.",
       {"€2 billion; funders Siemens AG, Enel SpA; beneficiaries ; relation/en/investment-agent"}},
      {"en", "The EU will pay €6.3 billion to Poland, the Commission said.",
       {"€6.3 billion; funders EU; beneficiaries Poland; relation/en/investment-give"}},
      {"en", "Fluxa Ltd completed a £40 million Series B led by Balderton Capital.",
       {"£40 million; funders Balderton Capital; beneficiaries Fluxa Ltd; relation/en/investment-receive"}},
      {"en", "Quantix BV reported revenue of €300 million.", {}},
      // a lender after "with", more funders after "with participation from", ", and" opening a clause
      {"en", "Helion Energy Ltd signed a €300 million loan with the European Investment Bank.",
       {"€300 million; funders European Investment Bank; beneficiaries Helion Energy Ltd; relation/en/investment-receive"}},
      {"en", "Helion Energy Ltd raised €40 million in a round led by Balderton Capital, with participation from Index Ventures.",
       {"€40 million; funders Balderton Capital, Index Ventures; beneficiaries Helion Energy Ltd; "
        "relation/en/investment-receive"}},
      {"en", "Helion Energy Ltd raised €40 million from Balderton Capital, and Index Ventures plans to invest later.",
       {"€40 million; funders Balderton Capital; beneficiaries Helion Energy Ltd; relation/en/investment-receive"}},
      // a lead investor leads the round: it pays, what follows "in" receives
      {"en", "Balderton Capital led a €40 million Series B in Helion Energy Ltd.",
       {"€40 million; funders Balderton Capital; beneficiaries Helion Energy Ltd; relation/en/investment-give"}},
      // the amount in brackets after the money is the same investment in another currency
      {"en", "Siemens AG agreed to buy Quantix BV for NOK 6.8 billion (about $675 million) in cash.",
       {"NOK 6.8 billion; funders Siemens AG; beneficiaries Quantix BV; relation/en/investment-buy",
        "about $675 million; funders Siemens AG; beneficiaries Quantix BV; relation/en/investment-equivalent"}},
      // the subject stands before an apposition, not inside it; a clause between commas is none
      {"en", "Helion Energy Ltd, the cloud arm of US retailer Quantix BV, will invest €300 million in Spain.",
       {"€300 million; funders Helion Energy Ltd; beneficiaries Spain; relation/en/investment-give"}},
      {"en", "Besides Rapidus, the biggest recipient is Helion Energy Ltd, whose plant was promised €300 million.",
       {"€300 million; funders ; beneficiaries Helion Energy Ltd; relation/en/investment-receive"}},
      // an org's budget where a budget noun says so; a programme in the nouns the money
      // counts; a funding round its announcer raised; a relative clause after those nouns
      {"en", "EuroHPC has a budget of close to €7 billion for 2021-2027.",
       {"close to €7 billion; funders EuroHPC; beneficiaries ; relation/en/investment-budget"}},
      {"en", "Noordpay NV has about €1.1bn in net cash.", {}},
      {"en", "Helion Energy Ltd wins up to $6.1bn in CHIPS Act grants.",
       {"up to $6.1bn; funders CHIPS Act; beneficiaries Helion Energy Ltd; relation/en/investment-receive"}},
      {"en", "Helion Energy Ltd today announced a €28 million Series A round led by Tagus Capital Partners.",
       {"€28 million; funders Tagus Capital Partners; beneficiaries Helion Energy Ltd; relation/en/investment-receive"}},
      {"en", "The campus builds on a €730 million substrate plant that Helion Energy Ltd announced in 2022.",
       {"€730 million; funders Helion Energy Ltd; beneficiaries ; relation/en/investment-relative"}},
      // -- German: the verb or its particle at the end of the clause, the source first
      {"de", "Die Europäische Investitionsbank fördert die Helion Energy GmbH mit 45 Millionen Euro.",
       {"45 Millionen Euro; funders Europäische Investitionsbank; beneficiaries Helion Energy GmbH; "
        "relation/de/investment-give"}},
      {"de", "Die Europäische Investitionsbank stellt der Helion Energy GmbH 45 Millionen Euro bereit.",
       {"45 Millionen Euro; funders Europäische Investitionsbank; beneficiaries Helion Energy GmbH; "
        "relation/de/investment-give"}},
      {"de", "Die Helion Energy GmbH wird mit 45 Millionen Euro aus dem Programm Digitales Europa gefördert.",
       {"45 Millionen Euro; funders Programm Digitales Europa; beneficiaries Helion Energy GmbH; "
        "relation/de/investment-receive"}},
      {"de", "Die Europäische Investitionsbank hat der Helion Energy GmbH ein Darlehen über 300 Millionen Euro gewährt.",
       {"300 Millionen Euro; funders Europäische Investitionsbank; beneficiaries Helion Energy GmbH; "
        "relation/de/investment-give"}},
      {"de", "Das Projekt wird von der Europäischen Investitionsbank mit 300 Millionen Euro finanziert.",
       {"300 Millionen Euro; funders Europäischen Investitionsbank; beneficiaries ; relation/de/investment-receive"}},
      {"de", "Der Umsatz der Helion Energy GmbH stieg auf 300 Millionen Euro.", {}},
      // a clause-final verb past a bracketed amount; a country naming where the funder is from
      {"de", "Dänemarks staatlicher Investitionsfonds EIFO hat der Vesterhav Power A/S ein Darlehen über 2,1 Milliarden "
             "dänische Kronen (rund 280 Mio. €) zugesagt.",
       {"2,1 Milliarden dänische Kronen; funders EIFO; beneficiaries Vesterhav Power A/S; relation/de/investment-give",
        "rund 280 Mio. €; funders EIFO; beneficiaries Vesterhav Power A/S; relation/de/investment-equivalent"}},
      // who approves state aid at the end of the clause pays nothing
      {"de", "Die Europäische Kommission hat Staatshilfen von bis zu 1,1 Mrd. Euro für die Ems Hydrogen GmbH genehmigt.",
       {"bis zu 1,1 Mrd. Euro; funders ; beneficiaries Ems Hydrogen GmbH; relation/de/investment-give"}},
      // separable verbs ("sagt ... zu"), lenders after "mit" and "bei", the source after the money
      {"de", "Im Juli sagte die Europäische Investitionsbank eine Bürgschaft über 600 Mio. Euro zu.",
       {"600 Mio. Euro; funders Europäische Investitionsbank; beneficiaries ; relation/de/investment-give"}},
      {"de", "Die Europäische Investitionsbank sagt der Helion Energy GmbH 45 Millionen Euro zu.",
       {"45 Millionen Euro; funders Europäische Investitionsbank; beneficiaries Helion Energy GmbH; "
        "relation/de/investment-give"}},
      {"de", "Mit der Europäischen Investitionsbank verhandelt die Helion Energy GmbH über ein Darlehen von 300 Millionen Euro.",
       {"300 Millionen Euro; funders Europäischen Investitionsbank; beneficiaries Helion Energy GmbH; "
        "relation/de/investment-receive"}},
      {"de", "Die Helion Energy GmbH nimmt bei der Europäischen Investitionsbank einen Kredit über 300 Millionen Euro auf.",
       {"300 Millionen Euro; funders Europäischen Investitionsbank; beneficiaries Helion Energy GmbH; "
        "relation/de/investment-receive"}},
      {"de", "Die Helion Energy GmbH erhält von der Europäischen Investitionsbank eine Förderung von 45 Millionen Euro.",
       {"45 Millionen Euro; funders Europäischen Investitionsbank; beneficiaries Helion Energy GmbH; "
        "relation/de/investment-receive"}},
      {"de", "Für den Bau der Fabrik investiert die Helion Energy GmbH 300 Millionen Euro.",
       {"300 Millionen Euro; funders Helion Energy GmbH; beneficiaries ; relation/de/investment-give"}},
      {"de", "Im Juli gewährte die Europäische Investitionsbank der Helion Energy GmbH 45 Millionen Euro.",
       {"45 Millionen Euro; funders Europäische Investitionsbank; beneficiaries Helion Energy GmbH; "
        "relation/de/investment-give"}},
      {"de", "Die Isar Capital GmbH investiert gemeinsam mit der Rhein Invest AG 40 Millionen Euro in die Helion Energy GmbH.",
       {"40 Millionen Euro; funders Isar Capital GmbH, Rhein Invest AG; beneficiaries Helion Energy GmbH; "
        "relation/de/investment-give"}},
      {"de", "Weitere 350 Mio. € sollen aus dem Programm Digitales Europa und aus Horizont Europa kommen.",
       {"350 Mio. €; funders Programm Digitales Europa, Horizont Europa; beneficiaries ; relation/de/investment-give"}},
      {"de", "Die Helion Energy GmbH sammelt 40 Millionen Euro von der Isar Capital GmbH unter Beteiligung der Rhein Invest AG ein.",
       {"40 Millionen Euro; funders Isar Capital GmbH, Rhein Invest AG; beneficiaries Helion Energy GmbH; "
        "relation/de/investment-receive"}},
      // -- French
      {"fr", "La Banque européenne d’investissement accorde un prêt de 300 millions d’euros à Iberdrola SA.",
       {"300 millions d’euros; funders Banque européenne d’investissement; beneficiaries Iberdrola SA; "
        "relation/fr/investment-give"}},
      // a verb form no entry names, read by its stem ("apport*"); an agent a few words
      // after its verb, past an elided article
      {"fr", "La BEI apporterait 70 millions d’euros à HyFos SAS.",
       {"70 millions d’euros; funders BEI; beneficiaries HyFos SAS; relation/fr/investment-give"}},
      {"fr", "Le projet, de 380 millions d’euros, sera financé à parts égales par l’Union européenne.",
       {"380 millions d’euros; funders Union européenne; beneficiaries ; relation/fr/investment-agent"}},
      // a relative clause after the money names who pays; a stake bought
      {"es", "Es el paquete de 800.000 millones de euros que la UE financió con deuda conjunta.",
       {"800.000 millones de euros; funders UE; beneficiaries ; relation/es/investment-relative"}},
      {"es", "Redwood Peak Capital compró el 40 % de Nubia Data Centers SL por 1.100 millones de dólares.",
       {"1.100 millones de dólares; funders Redwood Peak Capital; beneficiaries Nubia Data Centers SL; "
        "relation/es/investment-buy"}},
      {"fr", "Bpifrance investit 20 millions d’euros dans Helion Energy SAS.",
       {"20 millions d’euros; funders Bpifrance; beneficiaries Helion Energy SAS; relation/fr/investment-give"}},
      {"fr", "La Commission européenne a autorisé une aide d’État de 500 millions d’euros en faveur de Helion Energy SAS.",
       {"500 millions d’euros; funders ; beneficiaries Helion Energy SAS; relation/fr/investment-noun"}},
      {"fr", "Le chiffre d’affaires de Helion Energy SAS atteint 300 millions d’euros.", {}},
      {"fr", "Helion Energy SAS a signé avec la Banque européenne d’investissement un prêt de 300 millions d’euros.",
       {"300 millions d’euros; funders Banque européenne d’investissement; beneficiaries Helion Energy SAS; "
        "relation/fr/investment-receive"}},
      {"fr", "Helion Energy SAS a levé 40 millions d’euros auprès de Seine Capital SAS, avec la participation de Bpifrance.",
       {"40 millions d’euros; funders Seine Capital SAS, Bpifrance; beneficiaries Helion Energy SAS; "
        "relation/fr/investment-receive"}},
      {"fr", "Helion Energy SAS a reçu 45 millions d’euros de Bpifrance dans le cadre de France 2030.",
       {"45 millions d’euros; funders Bpifrance; beneficiaries Helion Energy SAS; relation/fr/investment-receive"}},
      {"fr", "Le projet, d’un montant de 300 millions d’euros, est financé par la Banque européenne d’investissement et Bpifrance.",
       {"300 millions d’euros; funders Banque européenne d’investissement, Bpifrance; beneficiaries ; "
        "relation/fr/investment-agent"}},
      {"fr", "Ces 350 millions d’euros proviendront du programme Horizon Europe.",
       {"350 millions d’euros; funders Horizon Europe; beneficiaries ; relation/fr/investment-agent"}},
      // -- Spanish
      {"es", "Helion Energy SL recibirá 45 millones de euros del Banco Europeo de Inversiones.",
       {"45 millones de euros; funders Banco Europeo de Inversiones; beneficiaries Helion Energy SL; "
        "relation/es/investment-receive"}},
      {"es", "El proyecto está financiado por el Banco Europeo de Inversiones con 300 millones de euros.",
       {"300 millones de euros; funders Banco Europeo de Inversiones; beneficiaries ; relation/es/investment-receive"}},
      {"es", "Los ingresos de Helion Energy SL alcanzaron 300 millones de euros.", {}},
      {"es", "Helion Energy SL ha recibido 45 millones de euros de Seaya Ventures y de Tajo Capital SL.",
       {"45 millones de euros; funders Seaya Ventures, Tajo Capital SL; beneficiaries Helion Energy SL; "
        "relation/es/investment-receive"}},
      {"es", "Helion Energy SL contará con una inversión de 300 millones de euros de Tajo Capital SL.",
       {"300 millones de euros; funders Tajo Capital SL; beneficiaries Helion Energy SL; relation/es/investment-receive"}},
      {"es", "Seaya Ventures lidera una ronda de 40 millones de euros en Helion Energy SL.",
       {"40 millones de euros; funders Seaya Ventures; beneficiaries Helion Energy SL; relation/es/investment-give"}},
      {"es", "Helion Energy SL negocia con el Banco Europeo de Inversiones un préstamo de 300 millones de euros.",
       {"300 millones de euros; funders Banco Europeo de Inversiones; beneficiaries Helion Energy SL; "
        "relation/es/investment-receive"}},
      {"es", "Helion Energy SL ha cerrado una ronda de 40 millones de euros liderada por Tajo Capital SL, con la "
             "participación de Seaya Ventures.",
       {"40 millones de euros; funders Tajo Capital SL, Seaya Ventures; beneficiaries Helion Energy SL; "
        "relation/es/investment-receive"}},
      {"es", "Helion Energy SL recibirá 45 millones de euros del PERTE Chip, y Semicondes negocia con el Banco Europeo "
             "de Inversiones un préstamo.",
       {"45 millones de euros; funders PERTE Chip; beneficiaries Helion Energy SL; relation/es/investment-receive"}},
      // -- Italian
      {"it", "Il Ministero dell'Economia stanzia 45 milioni di euro per Helion Energy SpA.",
       {"45 milioni di euro; funders Ministero dell'Economia; beneficiaries Helion Energy SpA; "
        "relation/it/investment-give"}},
      {"it", "La Banca europea per gli investimenti concede un prestito di 300 milioni di euro a Enel SpA.",
       {"300 milioni di euro; funders Banca europea per gli investimenti; beneficiaries Enel SpA; "
        "relation/it/investment-give"}},
      {"it", "Enel SpA partecipa a un progetto pilota finanziato con 45 milioni di euro dalla Banca europea per gli "
             "investimenti.",
       {"45 milioni di euro; funders Banca europea per gli investimenti; beneficiaries ; relation/it/investment-receive"}},
      {"it", "Enel SpA ha finanziato con 45 milioni di euro il progetto.",
       {"45 milioni di euro; funders Enel SpA; beneficiaries ; relation/it/investment-give"}},
      {"it", "Il fatturato di Helion Energy SpA è salito a 300 milioni di euro.", {}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(std::string(c.lang) + ": " + c.text);
    EXPECT_EQ(InvestmentsOf(c.text, c.lang), c.investments);
  }
}

}  // namespace
}  // namespace factwire
