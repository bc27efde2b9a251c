// Precision audits: a reproducible random sample of the facts of one type, each with the
// text around it, for a person to judge right or wrong (`factwire sample`).
//
// Input:  articles and the records factwire made of them, in input order.
// Output: at most `size` facts of `type`, drawn uniformly from all of them (reservoir
//         sampling), listed in input order. The same inputs, type, size and seed give
//         the same sample on every machine (std::mt19937_64 and a draw of our own, not
//         a distribution whose results the standard leaves to the library).
// Invariants: a sampled fact's context is the original text around original[start:end]
//         in code points, with the fact's text marked [[...]].
// Thread-safety: not synchronised; one sampler per run.
#ifndef FACTWIRE_EVAL_SAMPLER_H_
#define FACTWIRE_EVAL_SAMPLER_H_

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "factwire/record.h"

namespace factwire {

struct SampledFact {
  std::string article_id;
  Fact fact;
  std::string context;  // "... before [[text]] after ...", on one line
};

class FactSampler {
 public:
  FactSampler(std::string type, size_t size, uint64_t seed);

  // Offers every fact of the sampled type in `record`, made from `article`.
  void Add(const Article& article, const Record& record);
  // How many facts of the type were offered.
  size_t seen() const { return seen_; }
  // The sample, in input order.
  std::vector<SampledFact> Sample() const;

 private:
  struct Drawn {
    size_t order;  // position among the facts seen
    SampledFact fact;
  };
  std::string type_;
  size_t size_;
  std::mt19937_64 random_;
  size_t seen_ = 0;
  std::vector<Drawn> reservoir_;
};

// One line per sampled fact: the article id, the span, the rule, the value and the context.
std::string FormatSampledFact(const SampledFact& sampled);

}  // namespace factwire

#endif  // FACTWIRE_EVAL_SAMPLER_H_
