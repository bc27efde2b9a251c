#include "pipeline/rule_examples.h"

#include "emit/value_json.h"

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

std::vector<ExampleOutcome> CheckAllExamples(const RuleSet& rules, Extractor* extractor) {
  std::vector<ExampleOutcome> outcomes;
  for (const auto& file : rules.files())
    for (const auto& example : file->examples) outcomes.push_back(CheckExample(*file, example, extractor));
  return outcomes;
}

}  // namespace factwire
