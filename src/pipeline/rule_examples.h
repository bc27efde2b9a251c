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
std::vector<ExampleOutcome> CheckAllExamples(const RuleSet& rules, Extractor* extractor);

}  // namespace factwire

#endif  // FACTWIRE_PIPELINE_RULE_EXAMPLES_H_
