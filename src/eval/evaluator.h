// Evaluation: scores a system's facts and relations against hand-verified gold.
//
// Input:  golden documents (a corpus folder of NAME.txt + NAME.gold.json, or a JSONL of
//         articles with `facts` and optional `relations`) and system records for the
//         same ids (factwire's record shape; facts need only type, start and end).
// Output: per fact type and overall, gold and system counts, precision/recall/F1 under
//         strict (identical span) and relaxed (overlapping span) one-to-one matching,
//         and value accuracy on matched pairs; the same for relations; the errors.
// Invariants: a gold fact matches at most one system fact of its type and vice versa;
//         the matching is of maximum size, strict pairs first.
// Thread-safety: Evaluator is not synchronised; use one per thread. Free functions are
//         pure.
#ifndef FACTWIRE_EVAL_EVALUATOR_H_
#define FACTWIRE_EVAL_EVALUATOR_H_

#include <cstddef>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "factwire/status.h"

namespace factwire {

struct EvalFact {
  std::string type;
  size_t start = 0;  // code points
  size_t end = 0;
  nlohmann::json value;  // null when the system gives none
};

// A relation with its ends named by the start offsets of their facts.
struct EvalRelation {
  std::string type;
  size_t from = 0;  // located_in, role_at; the money fact of an investment
  size_t to = 0;
  std::vector<size_t> funders;  // investment only, sorted
  std::vector<size_t> beneficiaries;
  std::string purpose;
};

struct EvalDocument {
  std::string id;
  std::string lang;  // as the article gives it ("de", "en-GB"), or empty
  std::string text;  // the original text, for error context (may be empty)
  std::vector<EvalFact> facts;
  std::vector<EvalRelation> relations;
};

// Reads golden documents: a folder of NAME.gold.json (with NAME.txt beside it) and, with
// `subfolders`, the folders below it; or a JSONL of {"id", "text", "facts", "relations"}.
// Errors name the file (and line).
Result<std::vector<EvalDocument>> ReadGold(const std::string& path, bool subfolders = true);
// One factwire record (or any JSON of that shape) as a document: relations name facts
// by id there, and become start offsets here.
Result<EvalDocument> DocumentFromRecord(const nlohmann::json& record);

struct Score {
  size_t gold = 0;
  size_t system = 0;
  size_t strict = 0;         // pairs with identical spans
  size_t relaxed = 0;        // pairs with overlapping spans (strict ones included)
  size_t value_checked = 0;  // relaxed pairs where both sides have a value
  size_t value_correct = 0;

  static double Precision(size_t matched, size_t system) { return system ? double(matched) / double(system) : 0; }
  static double Recall(size_t matched, size_t gold) { return gold ? double(matched) / double(gold) : 0; }
  static double F1(size_t matched, size_t gold, size_t system);
  void Add(const Score& other);
};

// A pair of fact indexes (gold, system).
using MatchPair = std::pair<size_t, size_t>;
// The largest one-to-one matching of facts of the same type, identical spans first, then
// (unless `strict`) overlapping ones.
std::vector<MatchPair> MatchFacts(const std::vector<EvalFact>& gold, const std::vector<EvalFact>& system, bool strict);
// Whether two values of `type` agree: money within 0.5% in the same currency, dates the
// same iso, countries the same iso2, names equal ignoring case.
bool ValuesAgree(std::string_view type, const nlohmann::json& gold, const nlohmann::json& system);

struct EvalOptions {
  std::set<std::string> types;  // fact and relation types to score; empty: all
  size_t max_errors = 0;        // errors to keep per type
};

struct EvalError {
  std::string document;
  std::string type;
  std::string kind;  // missed, false hit, wrong span, wrong value
  std::string detail;
};

struct EvalReport {
  size_t documents = 0;
  std::vector<std::string> missing_documents;  // gold ids the system has no record for
  std::map<std::string, Score> facts;          // by fact type
  Score overall;
  std::map<std::string, Score> relations;  // by relation type (strict = matched)
  std::vector<EvalError> errors;

  std::string Table() const;
  nlohmann::json ToJson() const;
};

// Accumulates documents. Not copyable: it holds the running report.
class Evaluator {
 public:
  explicit Evaluator(EvalOptions options = {}) : options_(std::move(options)) {}
  Evaluator(const Evaluator&) = delete;
  Evaluator& operator=(const Evaluator&) = delete;

  // Scores one document; `system` null when the system has no record for it.
  void Add(const EvalDocument& gold, const EvalDocument* system);
  const EvalReport& report() const { return report_; }

 private:
  bool Wanted(const std::string& type) const { return options_.types.empty() || options_.types.count(type); }
  void AddError(const EvalDocument& gold, const std::string& type, std::string kind, std::string detail);

  EvalOptions options_;
  EvalReport report_;
  std::map<std::string, size_t> errors_per_type_;
};

}  // namespace factwire

#endif  // FACTWIRE_EVAL_EVALUATOR_H_
