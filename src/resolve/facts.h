// The data the stages after match share: a Mention (a kept candidate on its way to
// becoming a Fact of include/factwire/record.h, in normalised bytes), which link/,
// relate/ and events/ read and extend.
//
// Thread-safety: plain values.
#ifndef FACTWIRE_RESOLVE_FACTS_H_
#define FACTWIRE_RESOLVE_FACTS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "factwire/record.h"
#include "factwire/values.h"
#include "match/matcher.h"

namespace factwire {

// A kept candidate on its way to becoming a fact (normalised byte span).
struct Mention {
  uint32_t begin = 0;
  uint32_t end = 0;
  std::string type;
  Value value;
  std::string rule;
  const RuleFile* file = nullptr;  // the rule file of the type, for its lexicons
  bool listed = false;  // its value is a gazetteer's, not read off the text (Rule::values_from_list)
};

}  // namespace factwire

#endif  // FACTWIRE_RESOLVE_FACTS_H_
