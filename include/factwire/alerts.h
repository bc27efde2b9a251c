// Alert rules: conditions on the facts of one record, written as data, raising an alert
// for each article (or sentence) where they all hold.
//
//   - id: big-eu-investment
//     when:
//       money: {at_least: 100000000, currency: EUR}   # converted at the article's date
//       country: {in: eu}                            # a named set, or a list of ISO codes
//       relation: investment                         # a matched fact takes part in one
//     within: sentence                               # optional; default: article
//     notify: [log]                                  # optional; default: [log] (webhooks: not yet)
//   - id: horizon-europe-award
//     when: {programme: {name: Horizon Europe}}
//
// A condition names a fact type and tests the fields of its value as the record shows
// them ({name: ...}, {iso2: ...}, {role: ...}; text compared without regard to ASCII
// case), with these words besides:
//   money:   at_least / at_most: the amount, converted to `currency` (required with
//            them) at the reference rate of the article's month, else its year, else
//            the latest; without bounds, `currency` is the money's own currency;
//   country: in: a set of rules/alerts/country_sets.tsv (eu, eea, g7, ...) or a list;
//   relation: investment, located_in or role_at (or a list): some fact a condition
//            matched takes part in a relation of that type.
// The rates are rules/alerts/rates.tsv (units of a currency per euro, by year or month,
// with their source); both files are data, editable without recompiling.
//
// Thread-safety: AlertRules is immutable once loaded; Evaluate is safe from many
// threads at once.
#ifndef FACTWIRE_INCLUDE_FACTWIRE_ALERTS_H_
#define FACTWIRE_INCLUDE_FACTWIRE_ALERTS_H_

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "factwire/record.h"
#include "factwire/status.h"

namespace factwire {

struct Alert {
  // Stable: the same rule, article and matched facts give the same id, so an article
  // processed twice raises no second alert for a store that keeps ids.
  std::string id;
  std::string rule;        // the alert rule's id
  std::string article_id;
  std::vector<size_t> facts;        // indexes into the record's facts, in text order
  std::vector<std::string> notify;  // where the rule wants it delivered: "log", "webhook"
};

class AlertRules {
 public:
  // Loads the rules of `path` and the sets and rates of `rules_dir`/alerts/; errors name
  // file:line and what is wrong (an unknown type, field word, set, currency, a
  // currency without bounds or bounds without one, a duplicate id).
  static Result<std::unique_ptr<AlertRules>> Load(const std::string& path, const std::string& rules_dir);
  ~AlertRules();
  AlertRules(const AlertRules&) = delete;  // holds the parsed rules, sets and rates; share one
  AlertRules& operator=(const AlertRules&) = delete;

  // The alerts `record` raises, rule by rule in file order. `within: sentence` rules
  // need Record::sentences (Pipeline::Extract fills them).
  std::vector<Alert> Evaluate(const Record& record) const;
  size_t size() const;
  // The ids of the rules whose notify names `channel` ("webhook"), in file order.
  std::vector<std::string> RulesNotifying(const std::string& channel) const;

 private:
  AlertRules();
  std::unique_ptr<struct AlertRuleSet> rules_;
};

// An alert as one JSON line, newline included: its id, rule, article, and each matched
// fact with its type, offsets, text, value and the sentence it stands in (when the
// record carries its text and sentences).
std::string AlertJsonLine(const Alert& alert, const Record& record);

}  // namespace factwire

#endif  // FACTWIRE_INCLUDE_FACTWIRE_ALERTS_H_
