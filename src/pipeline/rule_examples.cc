#include "pipeline/rule_examples.h"

#include "emit/value_json.h"
#include "events/investments.h"
#include "relate/relations.h"
#include "resolve/date_tense.h"

namespace factwire {
namespace {

std::string Describe(const Fact& fact) {
  return "'" + fact.text + "' " + JsonText(fact.value) + " (rule " + fact.rule + ")";
}

}  // namespace

ExampleOutcome CheckExample(const RuleFile& file, const Example& example, Extractor* extractor) {
  Article article;
  article.id = example.file + ":" + std::to_string(example.line);
  article.text = example.text;
  article.lang = file.lang;
  article.published = example.published;
  const Record record = extractor->Extract(article);
  ExampleOutcome outcome{false, ""};
  const std::string where = article.id + ": \"" + example.text + "\": ";
  std::vector<const Fact*> of_type;
  for (const Fact& fact : record.facts)
    if (fact.type == file.type) of_type.push_back(&fact);
  if (!example.positive) {
    outcome.passed = of_type.empty();
    if (!outcome.passed) outcome.message = where + "expected no " + file.type + " fact, got " + Describe(*of_type[0]);
    return outcome;
  }
  const Fact* found = nullptr;
  for (const Fact* fact : of_type)
    if (fact->text == example.match) found = fact;
  if (!found) {
    outcome.message = where + "expected " + file.type + " '" + example.match + "' " + example.value.dump() + ", got ";
    if (of_type.empty()) outcome.message += "no " + file.type + " fact";
    for (size_t i = 0; i < of_type.size(); ++i) outcome.message += (i ? "; " : "") + Describe(*of_type[i]);
    return outcome;
  }
  if (ToJson(found->value) != example.value) {
    outcome.message = where + "value of '" + example.match + "': expected " + example.value.dump() + ", got " + Describe(*found);
    return outcome;
  }
  if (!example.rule.empty() && found->rule != example.rule) {
    outcome.message = where + "expected rule " + example.rule + ", got " + Describe(*found);
    return outcome;
  }
  outcome.passed = true;
  return outcome;
}

ExampleOutcome CheckRelationExample(const RelationExample& example, std::string_view lang, Extractor* extractor) {
  Article article;
  article.id = example.file + ":" + std::to_string(example.line);
  article.text = example.text;
  article.lang = lang;
  const Record record = extractor->Extract(article);
  std::vector<std::string> got;
  for (const Relation& relation : record.relations)
    if (relation.type != "investment") got.push_back(RelationLine(record, relation));
  if (got == example.relations) return {true, ""};
  auto list = [](const std::vector<std::string>& lines) {
    std::string out;
    for (const std::string& line : lines) out += (out.empty() ? "" : "; ") + line;
    return "[" + out + "]";
  };
  return {false, article.id + ": \"" + example.text + "\": expected " + list(example.relations) + ", got " + list(got)};
}

std::vector<ExampleOutcome> CheckAllExamples(const RuleSet& rules, Extractor* extractor) {
  std::vector<ExampleOutcome> outcomes;
  for (const auto& file : rules.files())
    for (const auto& example : file->examples) outcomes.push_back(CheckExample(*file, example, extractor));
  for (const std::string& lang : rules.Languages())
    if (const RelationFrames* frames = rules.Relations(lang))
      for (const RelationExample& example : frames->examples)
        outcomes.push_back(CheckRelationExample(example, lang, extractor));
  return outcomes;
}

std::string RelationLine(const Record& record, const Relation& relation) {
  auto texts = [&](const std::vector<size_t>& facts) {
    std::string joined;
    for (size_t i : facts) joined += (joined.empty() ? "" : ", ") + record.facts[i].text;
    return joined;
  };
  if (relation.type == "investment")
    return "investment: " + record.facts[relation.from].text + "; funders " + texts(relation.funders) +
           "; beneficiaries " + texts(relation.beneficiaries) + "; purpose " + relation.purpose;
  return relation.type + ": " + record.facts[relation.from].text + " -> " + record.facts[relation.to].text;
}

std::vector<std::string> FeaturesOff(const RuleSet& rules) {
  std::vector<std::string> off;
  for (const std::string& lang : rules.Languages())
    for (const std::string& reason :
         {RelationsOffReason(rules, lang), InvestmentsOffReason(rules, lang), DateTenseOffReason(rules, lang)})
      if (!reason.empty()) off.push_back(reason);
  return off;
}

}  // namespace factwire
