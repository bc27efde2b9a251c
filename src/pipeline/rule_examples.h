// Runs the examples each rule file carries, through the whole pipeline, so rules are
// tested as data (like Duckling's Corpus.hs). A positive example passes when the text
// yields a fact of the file's type whose text and value are exactly the expected ones
// (and, when named, made by the expected rule); a negative one passes when the text
// yields no fact of that type.
#ifndef FACTWIRE_PIPELINE_RULE_EXAMPLES_H_
#define FACTWIRE_PIPELINE_RULE_EXAMPLES_H_

#include <string>
#include <vector>

#include "factwire/pipeline.h"
#include "pipeline/extractor.h"

namespace factwire {

// ExampleOutcome: include/factwire/pipeline.h.
ExampleOutcome CheckExample(const RuleFile& file, const Example& example, Extractor* extractor);
// A relation file's example passes when its text, in `lang`, gives exactly the listed
// located_in and role_at relations (RelationLine), in order.
ExampleOutcome CheckRelationExample(const RelationExample& example, std::string_view lang, Extractor* extractor);
// Every fact rule file's examples, then every relation file's.
std::vector<ExampleOutcome> CheckAllExamples(const RuleSet& rules, Extractor* extractor);

// "located_in: LUMI -> Finland", "investment: €5m; funders A, B; beneficiaries C; purpose
// to build ...": a relation as examples and tests write it.
std::string RelationLine(const Record& record, const Relation& relation);

// What a language's data leaves off, one line per feature ("relations are off for
// 'und': ..."), for every language of `rules`.
std::vector<std::string> FeaturesOff(const RuleSet& rules);

}  // namespace factwire

#endif  // FACTWIRE_PIPELINE_RULE_EXAMPLES_H_
