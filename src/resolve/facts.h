// The data the stages after match share: a Fact (what a record holds), a Relation
// between facts, and a Mention (a kept candidate on its way to becoming a fact, in
// normalised bytes, which link/, relate/ and events/ read and extend).
//
// Thread-safety: plain values.
#ifndef FACTWIRE_RESOLVE_FACTS_H_
#define FACTWIRE_RESOLVE_FACTS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "factwire/values.h"
#include "match/matcher.h"

namespace factwire {

struct Fact {
  std::string type;
  size_t start = 0;  // code points of the original text
  size_t end = 0;
  std::string text;
  Value value;
  std::string rule;
};

// A link between facts of one article (README "relations"), by index into its facts.
// located_in and role_at link `from` to `to`; an investment names its money fact in
// `from` (and `to`) and lists its funders, beneficiaries and purpose.
struct Relation {
  std::string type;  // located_in, role_at, investment
  size_t from = 0;
  size_t to = 0;
  std::string rule;
  std::vector<size_t> funders;        // investment only
  std::vector<size_t> beneficiaries;  // investment only
  std::string purpose;                // investment only: original text, or empty
  uint32_t purpose_begin = 0;         // the purpose in normalised bytes, until Resolve maps it
  uint32_t purpose_end = 0;
};

// The relation types factwire extracts so far.
const std::vector<std::string>& RelationTypes();

// A kept candidate on its way to becoming a fact (normalised byte span).
struct Mention {
  uint32_t begin = 0;
  uint32_t end = 0;
  std::string type;
  Value value;
  std::string rule;
  const RuleFile* file = nullptr;  // the rule file of the type, for its lexicons
};

}  // namespace factwire

#endif  // FACTWIRE_RESOLVE_FACTS_H_
