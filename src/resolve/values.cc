// Value builders: one per fact type, turning a candidate's captures or gazetteer entry
// into the value shape DESIGN.md gives for that type.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <functional>

#include "resolve/resolver.h"

namespace factwire {
namespace {

using Json = nlohmann::json;

const Lexicon* FindLexicon(const Rule& rule, std::string_view name) {
  auto it = rule.file->lexicons.find(name);
  return it == rule.file->lexicons.end() ? nullptr : &it->second;
}

// A decimal number held exactly: digits / 10^scale.
struct Decimal {
  int64_t digits = 0;
  int scale = 0;
};

// "1,500.25" -> {150025, 2} with decimal separator "."; "1.500,25" and "1 500,25" the
// same with ",". Other separators group digits and are dropped. An apostrophe groups
// Swiss numbers, whose decimal point is '.' whatever the language ("1'234.56").
bool ParseDecimal(std::string_view s, std::string_view decimal, Decimal* out) {
  if (s.find('\'') != std::string_view::npos) decimal = ".";
  Decimal d;
  bool seen_point = false;
  bool seen_digit = false;
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (!seen_point && s.substr(i).starts_with(decimal)) {
      seen_point = true;
      i += decimal.size() - 1;
      continue;
    }
    if (c == ',' || c == ' ' || c == '.' || c == '\'') continue;
    if (c < '0' || c > '9') return false;
    if (d.digits > (INT64_MAX - 9) / 10) return false;
    d.digits = d.digits * 10 + (c - '0');
    d.scale += seen_point;
    seen_digit = true;
  }
  *out = d;
  return seen_digit;
}

// digits / 10^scale * multiplier, as an integer when it is one.
Json Scale(const Decimal& d, double multiplier) {
  const double value = static_cast<double>(d.digits) / std::pow(10.0, d.scale) * multiplier;
  const double rounded = std::round(value);
  if (std::fabs(value - rounded) < 1e-6 * std::max(1.0, std::fabs(value)) && std::fabs(rounded) < 9e15)
    return static_cast<int64_t>(rounded);
  return std::round(value * 1e6) / 1e6;
}

// "'<what>'<rest>", built by appending (concatenation trips a GCC 12 -Wrestrict false positive).
Status Rejected(std::string_view what, std::string_view rest) {
  std::string message = "'";
  message.append(what).append("'").append(rest);
  return Status::InvalidInput(std::move(message));
}

bool HasTag(const LexiconEntry& entry, std::string_view tag) {
  return std::find(entry.tags.begin(), entry.tags.end(), tag) != entry.tags.end();
}

// "2021" or "1999": a plain four-digit number that reads as a year.
bool LooksLikeYear(std::string_view number) {
  return number.size() == 4 && (number.substr(0, 2) == "19" || number.substr(0, 2) == "20") &&
         std::all_of(number.begin(), number.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool ParseNumber(std::string_view s, double* out) {
  auto [end, error] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return error == std::errc() && end == s.data() + s.size();
}

// Number words: "two", "twenty-five", "half a", "a hundred" (sums, with "hundred" scaling).
// Words of `joiners` ("and" in "two hundred and fifty"), spelt exactly so, count nothing.
Result<double> NumberFromWords(const Lexicon& words, const Lexicon* joiners, std::string_view phrase) {
  double value = 0;
  if (const LexiconEntry* whole = words.Find(phrase); whole && ParseNumber(whole->value, &value)) return value;
  double total = 0;
  size_t start = 0;
  while (start < phrase.size()) {
    size_t stop = phrase.find_first_of(" -", start);
    if (stop == std::string_view::npos) stop = phrase.size();
    const std::string_view word = phrase.substr(start, stop - start);
    start = stop + 1;
    if (word.empty()) continue;
    if (const LexiconEntry* joiner = joiners ? joiners->Find(word) : nullptr; joiner && joiner->surface == word) continue;
    const LexiconEntry* entry = words.Find(word);
    double v = 0;
    if (!entry || !ParseNumber(entry->value, &v)) return Status::InvalidInput("unknown number word '" + std::string(word) + "'");
    if (v >= 100 && total > 0) total *= v;
    else total += v;
  }
  return total;
}

// ---- money ----

constexpr std::string_view kMoneyGroups[] = {"approx", "cur", "num", "mag", "numw", "num2", "mag2", "numw2"};
// Lexicon each capture needs ("" for every rule).
constexpr std::pair<std::string_view, std::string_view> kMoneyLexicons[] = {
    {"", "currency"}, {"mag", "magnitude"}, {"mag2", "magnitude"}, {"approx", "qualifier"},
    {"numw", "number_word"}, {"numw2", "number_word"}};

Status ValidateMoney(const Rule& rule) {
  if (rule.kind != Rule::Kind::kPattern) return Status::RuleError("money rules are patterns (they need captures)");
  for (const auto& [name, index] : rule.groups)
    if (std::find(std::begin(kMoneyGroups), std::end(kMoneyGroups), name) == std::end(kMoneyGroups))
      return Status::RuleError("capture (?P<" + name + ">) means nothing to money values (known: approx, cur, num, mag, numw, num2, mag2, numw2)");
  if (!rule.groups.count("cur")) return Status::RuleError("a money rule needs a (?P<cur>...) capture");
  if (!rule.groups.count("num") && !rule.groups.count("numw"))
    return Status::RuleError("a money rule needs a (?P<num>...) or (?P<numw>...) capture");
  // The word lists the captures need: a file may leave out what its rules never capture.
  for (auto [group, lexicon] : kMoneyLexicons)
    if (!FindLexicon(rule, lexicon) && (group.empty() || rule.groups.count(std::string(group))))
      return Status::RuleError("money rules with (?P<" + std::string(group.empty() ? "cur" : group) +
                               ">) need a lexicon named '" + std::string(lexicon) + "'");
  return {};
}

Result<double> Multiplier(const Rule& rule, std::string_view magnitude) {
  if (magnitude.empty()) return 1.0;
  const LexiconEntry* entry = FindLexicon(rule, "magnitude")->Find(magnitude);
  double value = 0;
  if (!entry || !ParseNumber(entry->value, &value))
    return Status::InvalidInput("no multiplier for magnitude '" + std::string(magnitude) + "'");
  return value;
}

Result<Json> AmountFromWords(const Rule& rule, std::string_view words, double multiplier) {
  Result<double> number = NumberFromWords(*FindLexicon(rule, "number_word"), FindLexicon(rule, "number_joiner"), words);
  if (!number.ok()) return number.status();
  return Scale({static_cast<int64_t>(std::llround(number.value() * 1e6)), 6}, multiplier);
}

Result<Json> AmountFromDigits(const Rule& rule, std::string_view digits, double multiplier) {
  Decimal number;
  if (!ParseDecimal(digits, rule.file->decimal_separator, &number)) return Status::InvalidInput("bad number '" + std::string(digits) + "'");
  return Scale(number, multiplier);
}

Result<Json> BuildMoney(const Candidate& c, const ValueContext& /*context*/) {
  const Rule& rule = *c.rule;
  const std::string_view cur = c.Group("cur");
  const LexiconEntry* currency = FindLexicon(rule, "currency")->Find(cur);
  if (!currency || currency->value.size() != 3)
    return Status::InvalidInput("unknown currency '" + std::string(cur) + "'");
  std::string_view mag = c.Group("mag");
  const std::string_view mag2 = c.Group("mag2");
  const bool range = !c.Group("num2").empty() || !c.Group("numw2").empty();
  // "€500m to 2030", "€2m - 40%": a magnitude on the first number only means the second
  // is something else. "€20-30 million": the first number shares the second's magnitude.
  if (range && !mag.empty() && mag2.empty()) return Status::InvalidInput("the upper bound has no magnitude");
  if (range && LooksLikeYear(c.Group("num2")) && !LooksLikeYear(c.Group("num")))  // "from €2 to 2030 levels"
    return Rejected(c.Group("num2"), " reads as a year, not an upper bound");
  if (mag.empty()) mag = mag2;
  // "In 2020 dollars were scarce": a bare year before a currency word is not an amount.
  if (mag.empty() && c.Group("numw").empty() && LooksLikeYear(c.Group("num")) && cur.data() > c.Group("num").data())
    return Rejected(c.Group("num"), " reads as a year");
  if (mag.empty() && HasTag(*currency, "needs_magnitude"))  // "lost 20 pounds": weight
    return Rejected(cur, " is money only after a magnitude");
  Result<double> multiplier = Multiplier(rule, mag);
  if (!multiplier.ok()) return multiplier.status();

  Result<Json> amount = c.Group("numw").empty() ? AmountFromDigits(rule, c.Group("num"), multiplier.value())
                                                 : AmountFromWords(rule, c.Group("numw"), multiplier.value());
  if (!amount.ok()) return amount.status();
  Json value = {{"amount", amount.value()}, {"currency", currency->value}};

  if (range) {
    Result<double> upper_multiplier = Multiplier(rule, mag2.empty() ? mag : mag2);
    if (!upper_multiplier.ok()) return upper_multiplier.status();
    Result<Json> max = c.Group("numw2").empty() ? AmountFromDigits(rule, c.Group("num2"), upper_multiplier.value())
                                                : AmountFromWords(rule, c.Group("numw2"), upper_multiplier.value());
    if (!max.ok()) return max.status();
    if (max.value().get<double>() <= amount.value().get<double>())
      return Status::InvalidInput("range upper bound is not above the lower one");
    value["min"] = amount.value();
    value["max"] = max.value();
  }
  if (!c.Group("approx").empty()) {
    const LexiconEntry* qualifier = FindLexicon(rule, "qualifier")->Find(c.Group("approx"));
    if (!qualifier) return Status::InvalidInput("unknown qualifier '" + std::string(c.Group("approx")) + "'");
    value["approx"] = qualifier->value;
  }
  return value;
}

// ---- country ----

Status ValidateCountry(const Rule& rule) {
  if (rule.kind != Rule::Kind::kGazetteer && !rule.block)
    return Status::RuleError("country facts come from gazetteers (iso2 keys); a pattern rule can only block");
  if (!FindLexicon(rule, "country_name")) return Status::RuleError("country rules need a lexicon named 'country_name'");
  return {};
}

Result<Json> BuildCountry(const Candidate& c, const ValueContext& /*context*/) {
  const std::string& iso2 = c.entry->key;
  const LexiconEntry* name = FindLexicon(*c.rule, "country_name")->Find(iso2);
  if (iso2.size() != 2 || !name) return Status::InvalidInput("unknown country code '" + iso2 + "'");
  return Json{{"iso2", iso2}, {"name", name->value}};
}

}  // namespace

const ValueBuilder kMoneyValues{"money", ValidateMoney, BuildMoney};
const ValueBuilder kCountryValues{"country", ValidateCountry, BuildCountry};

namespace {

const ValueBuilder* const kBuilders[] = {&kMoneyValues, &kCountryValues,   &kDateValues,  &kSiteValues,
                                         &kProgrammeValues, &kOrgValues, &kPersonValues};

const ValueBuilder* BuilderFor(std::string_view type) {
  for (const ValueBuilder* builder : kBuilders)
    if (builder->type == type) return builder;
  return nullptr;
}

}  // namespace

Status ValidateRules(const RuleSet& rules) {
  for (const auto& rule : rules.rules()) {
    const ValueBuilder* builder = BuilderFor(rule->type());
    if (!builder) return Status::RuleError(rule->file->path + ": no value builder for fact type '" + rule->type() + "'");
    if (rule->block) continue;  // builds no value, so needs no captures (rule_set_test BlockRulesNeedNoCaptures)
    if (Status s = builder->validate(*rule); !s.ok())
      return Status::RuleError(rule->where() + ": rule " + rule->id + ": " + s.message());
  }
  return {};
}

Result<Json> BuildValue(const Candidate& candidate, const ValueContext& context) {
  return BuilderFor(candidate.rule->type())->build(candidate, context);
}

}  // namespace factwire
