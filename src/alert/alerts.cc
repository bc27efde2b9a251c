// Alert rules (include/factwire/alerts.h): loaded from YAML with file:line errors,
// evaluated on records. The country sets and reference rates are TSV data under
// rules/alerts/.
#include "factwire/alerts.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "base/digest.h"
#include "base/utf8.h"
#include "emit/value_json.h"
#include "match/matcher.h"

namespace factwire {
namespace {

constexpr const char* kFactTypes[] = {"money", "date", "country", "site", "programme", "org", "person"};
constexpr const char* kRelationTypes[] = {"investment", "located_in", "role_at"};
// Webhook delivery (a signed, retried outbox) is not built yet: a rule that asks for it
// is refused rather than left undelivered.
constexpr const char* kNotify[] = {"log", "webhook"};

template <size_t N>
bool OneOf(const std::string& word, const char* const (&words)[N]) {
  return std::find(std::begin(words), std::end(words), word) != std::end(words);
}

template <size_t N>
std::string ListOf(const char* const (&words)[N]) {
  std::string out;
  for (const char* word : words) out += (out.empty() ? "" : ", ") + std::string(word);
  return out;
}

// The data lines of a TSV file under the rule folder, with their line numbers;
// ReadRuleFile checks its size and UTF-8.
Result<std::vector<std::pair<int, std::vector<std::string>>>> ReadTsv(const std::string& rules_dir,
                                                                      const std::string& relative) {
  Result<std::string> content = ReadRuleFile(rules_dir, relative);
  if (!content.ok()) return content.status();
  std::vector<std::pair<int, std::vector<std::string>>> rows;
  std::stringstream in(content.value());
  int number = 0;
  for (std::string line; std::getline(in, line);) {
    ++number;
    if (line.empty() || line[0] == '#') continue;
    rows.push_back({number, SplitTabs(line)});
  }
  return rows;
}

using CountrySets = std::map<std::string, std::set<std::string>>;

Result<CountrySets> LoadCountrySets(const std::string& rules_dir) {
  const std::string path = rules_dir + "/alerts/country_sets.tsv";
  Result<std::vector<std::pair<int, std::vector<std::string>>>> rows = ReadTsv(rules_dir, "alerts/country_sets.tsv");
  if (!rows.ok()) return rows.status();
  CountrySets sets;
  for (const auto& [line, fields] : rows.value()) {
    const std::string where = path + ":" + std::to_string(line);
    if (fields.size() < 2) return Status::RuleError(where + ": expected a set name and its members");
    std::set<std::string>& members = sets[fields[0]];
    for (const std::string& member : SplitCommas(fields[1])) {
      if (auto earlier = sets.find(member); earlier != sets.end() && member != fields[0]) {
        members.insert(earlier->second.begin(), earlier->second.end());
      } else if (member.size() == 2 && std::isupper(static_cast<unsigned char>(member[0])) &&
                 std::isupper(static_cast<unsigned char>(member[1]))) {
        members.insert(member);
      } else {
        return Status::RuleError(where + ": '" + member + "' is neither an ISO country code nor a set above");
      }
    }
  }
  return sets;
}

// Units of each currency per euro, by period ("2024", "2024-05").
using Rates = std::map<std::string, std::map<std::string, double>>;

Result<Rates> LoadRates(const std::string& rules_dir) {
  const std::string path = rules_dir + "/alerts/rates.tsv";
  Result<std::vector<std::pair<int, std::vector<std::string>>>> rows = ReadTsv(rules_dir, "alerts/rates.tsv");
  if (!rows.ok()) return rows.status();
  Rates rates;
  for (const auto& [line, fields] : rows.value()) {
    const std::string where = path + ":" + std::to_string(line);
    if (fields.size() < 3) return Status::RuleError(where + ": expected currency, period and rate");
    const bool year = fields[1].size() == 4, month = fields[1].size() == 7 && fields[1][4] == '-';
    if (fields[0].size() != 3 || (!year && !month)) return Status::RuleError(where + ": expected a currency code and a period YYYY or YYYY-MM");
    char* end = nullptr;
    const double rate = std::strtod(fields[2].c_str(), &end);
    if (end == fields[2].c_str() || *end != '\0' || !(rate > 0)) return Status::RuleError(where + ": rate '" + fields[2] + "' is not a positive number");
    rates[fields[0]][fields[1]] = rate;
  }
  rates["EUR"]["0000"] = 1.0;
  return rates;
}

// Units of `currency` per euro at `date` (YYYY-MM-DD or empty): the month's rate, else
// the year's, else the latest listed; none for a currency without rates.
std::optional<double> RateAt(const Rates& rates, const std::string& currency, const std::string& date) {
  auto it = rates.find(currency);
  if (it == rates.end() || it->second.empty()) return std::nullopt;
  const std::map<std::string, double>& by_period = it->second;
  if (date.size() >= 7)
    if (auto month = by_period.find(date.substr(0, 7)); month != by_period.end()) return month->second;
  if (date.size() >= 4)
    if (auto year = by_period.find(date.substr(0, 4)); year != by_period.end()) return year->second;
  return by_period.rbegin()->second;
}

double ToDouble(const Decimal& d) { return static_cast<double>(d.units()) / std::pow(10.0, d.scale()); }

// One test on a field of a fact's value, as the record shows it.
struct FieldTest {
  std::string field;
  nlohmann::json expected;  // a string (compared ignoring ASCII case) or a number
};

struct Condition {
  std::string type;
  std::vector<FieldTest> fields;
  std::optional<double> at_least;
  std::optional<double> at_most;
  std::string currency;
  std::set<std::string> countries;  // `in`, as ISO codes; empty: no such test
};

struct AlertRule {
  std::string id;
  std::vector<Condition> conditions;
  std::vector<std::string> relations;
  bool per_sentence = false;
  std::vector<std::string> notify = {"log"};
};

bool SameValue(const nlohmann::json& actual, const nlohmann::json& expected) {
  if (expected.is_string() && actual.is_string())
    return AsciiLower(actual.get<std::string>()) == AsciiLower(expected.get<std::string>());
  if (expected.is_number() && actual.is_number()) return actual.get<double>() == expected.get<double>();
  return actual == expected;
}

}  // namespace

struct AlertRuleSet {
  std::vector<AlertRule> rules;
  Rates rates;

  bool Holds(const Condition& c, const Fact& fact, const std::string& published) const;
};

bool AlertRuleSet::Holds(const Condition& c, const Fact& fact, const std::string& published) const {
  if (fact.type != c.type) return false;
  const nlohmann::json value = ToJson(fact.value);
  for (const FieldTest& test : c.fields) {
    auto it = value.find(test.field);
    if (it == value.end() || !SameValue(*it, test.expected)) return false;
  }
  if (!c.countries.empty()) {
    const auto* country = std::get_if<CountryValue>(&fact.value);
    if (!country || !c.countries.count(country->iso2)) return false;
  }
  if (!c.currency.empty()) {
    const auto* money = std::get_if<MoneyValue>(&fact.value);
    if (!money) return false;
    if (!c.at_least && !c.at_most) return money->currency == c.currency;
    const std::optional<double> from = RateAt(rates, money->currency, published);
    const std::optional<double> to = RateAt(rates, c.currency, published);
    if (!from || !to) return false;  // no rate: no comparison
    const double amount = ToDouble(money->amount) / *from * *to;
    if (c.at_least && amount < *c.at_least) return false;
    if (c.at_most && amount > *c.at_most) return false;
  }
  return true;
}

namespace {

std::string Where(const std::string& path, const YAML::Node& node) {
  return path + ":" + std::to_string(node.Mark().line + 1);
}

Result<double> Number(const std::string& path, const YAML::Node& node, const std::string& word) {
  try {
    const double number = node.as<double>();
    if (std::isfinite(number)) return number;
  } catch (const YAML::Exception&) {
  }
  return Status::RuleError(Where(path, node) + ": " + word + " wants a number");
}

// A scalar or a list of scalars, as a list: `in: eu` and `in: [eu, NO]`.
std::vector<std::string> Names(const YAML::Node& node) {
  std::vector<std::string> names;
  if (node.IsSequence())
    for (const auto& n : node) names.push_back(n.as<std::string>());
  else
    names.push_back(node.as<std::string>());
  return names;
}

Result<Condition> ParseCondition(const std::string& path, const std::string& type, const YAML::Node& node,
                                 const CountrySets& sets, const Rates& rates) {
  Condition c;
  c.type = type;
  if (!node.IsMap()) return Status::RuleError(Where(path, node) + ": the condition on " + type + " wants a map of fields");
  for (const auto& item : node) {
    const std::string key = item.first.as<std::string>();
    const YAML::Node& v = item.second;
    if (type == "money" && (key == "at_least" || key == "at_most")) {
      Result<double> n = Number(path, v, key);
      if (!n.ok()) return n.status();
      (key == "at_least" ? c.at_least : c.at_most) = n.value();
    } else if (type == "money" && key == "currency") {
      c.currency = v.as<std::string>();
      if (!rates.count(c.currency))
        return Status::RuleError(Where(path, v) + ": no reference rates for currency '" + c.currency + "' in rules/alerts/rates.tsv");
    } else if (type == "country" && key == "in") {
      for (const std::string& name : Names(v)) {
        if (auto set = sets.find(name); set != sets.end()) c.countries.insert(set->second.begin(), set->second.end());
        else if (name.size() == 2 && std::isupper(static_cast<unsigned char>(name[0]))) c.countries.insert(name);
        else return Status::RuleError(Where(path, v) + ": '" + name + "' is neither a set of rules/alerts/country_sets.tsv nor an ISO country code");
      }
    } else if (v.IsScalar()) {
      nlohmann::json expected = v.as<std::string>();
      try {
        if (v.Tag() != "!") expected = v.as<double>();  // a plain scalar that reads as a number
      } catch (const YAML::Exception&) {
      }
      c.fields.push_back({key, expected});
    } else {
      return Status::RuleError(Where(path, v) + ": field '" + key + "' wants a single value");
    }
  }
  if ((c.at_least || c.at_most) && c.currency.empty())
    return Status::RuleError(Where(path, node) + ": at_least and at_most need the currency to compare in");
  return c;
}

Result<AlertRule> ParseRule(const std::string& path, const YAML::Node& node, const CountrySets& sets, const Rates& rates) {
  if (!node.IsMap()) return Status::RuleError(Where(path, node) + ": an alert rule is a map with id and when");
  AlertRule rule;
  for (const auto& item : node) {
    const std::string key = item.first.as<std::string>();
    const YAML::Node& v = item.second;
    if (key == "id") {
      if (!v.IsScalar() || v.Scalar().empty()) return Status::RuleError(Where(path, item.first) + ": id wants a name");
      rule.id = v.Scalar();
    } else if (key == "within") {
      const std::string within = v.as<std::string>();
      if (within != "article" && within != "sentence") return Status::RuleError(Where(path, v) + ": within is article or sentence");
      rule.per_sentence = within == "sentence";
    } else if (key == "notify") {
      rule.notify.clear();
      for (const std::string& target : Names(v)) {
        if (!OneOf(target, kNotify)) return Status::RuleError(Where(path, v) + ": notify '" + target + "' is not one of " + ListOf(kNotify));
        rule.notify.push_back(target);
      }
    } else if (key == "when") {
      if (!v.IsMap() || v.size() == 0) return Status::RuleError(Where(path, v) + ": when wants a map of conditions");
      for (const auto& condition : v) {
        const std::string type = condition.first.as<std::string>();
        if (type == "relation") {
          for (const std::string& t : Names(condition.second)) {
            if (!OneOf(t, kRelationTypes)) return Status::RuleError(Where(path, condition.second) + ": relation '" + t + "' is not one of " + ListOf(kRelationTypes));
            rule.relations.push_back(t);
          }
          continue;
        }
        if (!OneOf(type, kFactTypes)) return Status::RuleError(Where(path, condition.first) + ": '" + type + "' is no fact type (" + ListOf(kFactTypes) + ") nor relation");
        Result<Condition> parsed = ParseCondition(path, type, condition.second, sets, rates);
        if (!parsed.ok()) return parsed.status();
        rule.conditions.push_back(std::move(parsed.value()));
      }
    } else {
      return Status::RuleError(Where(path, item.first) + ": unknown key '" + key + "' (id, when, within, notify)");
    }
  }
  if (rule.id.empty()) return Status::RuleError(Where(path, node) + ": the rule has no id");
  if (rule.conditions.empty()) return Status::RuleError(Where(path, node) + ": rule '" + rule.id + "' has no fact condition in when");
  return rule;
}

// Whether a relation of `type` takes in one of `facts`.
bool TakesPart(const Record& record, const std::string& type, const std::vector<size_t>& facts) {
  auto in = [&](size_t i) { return std::binary_search(facts.begin(), facts.end(), i); };
  for (const Relation& r : record.relations) {
    if (r.type != type) continue;
    if (in(r.from) || in(r.to) || std::any_of(r.funders.begin(), r.funders.end(), in) ||
        std::any_of(r.beneficiaries.begin(), r.beneficiaries.end(), in))
      return true;
  }
  return false;
}

std::string AlertId(const AlertRule& rule, const Record& record, const std::vector<size_t>& facts) {
  std::string key = rule.id + "\n" + record.id;
  for (size_t i : facts) {
    const Fact& f = record.facts[i];
    key += "\n" + f.type + ":" + std::to_string(f.start) + ":" + std::to_string(f.end);
  }
  return Sha256Hex(key).substr(0, 32);
}

// `text`'s code points [start, end).
std::string CodePointSlice(std::string_view text, size_t start, size_t end) {
  size_t cp = 0, from = text.size(), to = text.size();
  for (size_t i = 0; i <= text.size(); ++i) {
    if (i < text.size() && (static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) continue;
    if (cp == start && from == text.size()) from = i;
    if (cp == end) {
      to = i;
      break;
    }
    ++cp;
  }
  return std::string(text.substr(std::min(from, to), to - std::min(from, to)));
}

}  // namespace

AlertRules::AlertRules() : rules_(std::make_unique<AlertRuleSet>()) {}
AlertRules::~AlertRules() = default;

Result<std::unique_ptr<AlertRules>> AlertRules::Load(const std::string& path, const std::string& rules_dir) {
  Result<CountrySets> sets = LoadCountrySets(rules_dir);
  if (!sets.ok()) return sets.status();
  Result<Rates> rates = LoadRates(rules_dir);
  if (!rates.ok()) return rates.status();
  YAML::Node root;
  try {
    root = YAML::LoadFile(path);
  } catch (const YAML::BadFile&) {
    return Status::Usage(path + ": cannot read the alert rules");
  } catch (const YAML::Exception& e) {
    return Status::RuleError(path + ":" + std::to_string(e.mark.line + 1) + ": " + e.msg);
  }
  if (!root.IsSequence()) return Status::RuleError(path + ":1: alert rules are a list of rules (- id: ...)");
  std::unique_ptr<AlertRules> loaded(new AlertRules());
  loaded->rules_->rates = std::move(rates.value());
  std::set<std::string> ids;
  for (const YAML::Node& node : root) {
    Result<AlertRule> rule = [&]() -> Result<AlertRule> {
      try {
        return ParseRule(path, node, sets.value(), loaded->rules_->rates);
      } catch (const YAML::Exception& e) {  // a scalar where a list or map belongs, say
        return Status::RuleError(path + ":" + std::to_string(e.mark.line + 1) + ": " + e.msg);
      }
    }();
    if (!rule.ok()) return rule.status();
    if (!ids.insert(rule->id).second) return Status::RuleError(Where(path, node) + ": duplicate id '" + rule->id + "'");
    loaded->rules_->rules.push_back(std::move(rule.value()));
  }
  return loaded;
}

size_t AlertRules::size() const { return rules_->rules.size(); }

std::vector<std::string> AlertRules::RulesNotifying(const std::string& channel) const {
  std::vector<std::string> ids;
  for (const AlertRule& rule : rules_->rules)
    if (std::find(rule.notify.begin(), rule.notify.end(), channel) != rule.notify.end()) ids.push_back(rule.id);
  return ids;
}

std::vector<Alert> AlertRules::Evaluate(const Record& record) const {
  std::vector<Alert> alerts;
  const Record::Sentence whole{0, SIZE_MAX};
  for (const AlertRule& rule : rules_->rules) {
    const std::vector<Record::Sentence> scopes =
        rule.per_sentence ? record.sentences : std::vector<Record::Sentence>{whole};
    size_t first = 0;  // facts are sorted by start: each scope's come after the last's
    for (const Record::Sentence& scope : scopes) {
      while (first < record.facts.size() && record.facts[first].start < scope.start) ++first;
      std::vector<size_t> matched;
      bool all = true;
      for (const Condition& condition : rule.conditions) {
        bool any = false;
        for (size_t i = first; i < record.facts.size() && record.facts[i].start < scope.end; ++i) {
          if (!rules_->Holds(condition, record.facts[i], record.published)) continue;
          matched.push_back(i);
          any = true;
        }
        all &= any;
      }
      if (!all) continue;
      std::sort(matched.begin(), matched.end());
      matched.erase(std::unique(matched.begin(), matched.end()), matched.end());
      if (!std::all_of(rule.relations.begin(), rule.relations.end(),
                       [&](const std::string& type) { return TakesPart(record, type, matched); }))
        continue;
      alerts.push_back({AlertId(rule, record, matched), rule.id, record.id, matched, rule.notify});
    }
  }
  return alerts;
}

std::string AlertJsonLine(const Alert& alert, const Record& record) {
  // Offsets count code points of the text as normalise repaired it (one U+FFFD per
  // invalid sequence), so sentences are cut from that text.
  const std::string repaired = IsValidUtf8(record.text) ? std::string() : RepairUtf8(record.text).text;
  const std::string_view text = repaired.empty() ? std::string_view(record.text) : std::string_view(repaired);
  nlohmann::ordered_json facts = nlohmann::ordered_json::array();
  for (size_t i : alert.facts) {
    const Fact& f = record.facts[i];
    nlohmann::ordered_json fact = {{"type", f.type}, {"start", f.start}, {"end", f.end}, {"text", f.text},
                                   {"value", nlohmann::ordered_json::parse(JsonText(f.value))}};
    if (!record.text.empty()) {
      for (const Record::Sentence& s : record.sentences) {
        if (f.start < s.start || f.start >= s.end) continue;
        fact["sentence"] = CodePointSlice(text, s.start, s.end);
        break;
      }
    }
    facts.push_back(std::move(fact));
  }
  nlohmann::ordered_json line = {{"id", alert.id},          {"rule", alert.rule},  {"article", alert.article_id},
                                 {"title", record.title},   {"url", record.url},   {"published", record.published},
                                 {"facts", std::move(facts)}, {"notify", alert.notify}};
  return line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

}  // namespace factwire
