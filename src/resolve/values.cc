// Value builders: one per fact type, turning a candidate's captures or gazetteer entry
// into the value shape DESIGN.md gives for that type.
#include <algorithm>
#include <cctype>
#include <charconv>
#include <optional>

#include "resolve/resolver.h"

namespace factwire {
namespace {

const Lexicon* FindLexicon(const Rule& rule, std::string_view name) {
  auto it = rule.file->lexicons.find(name);
  return it == rule.file->lexicons.end() ? nullptr : &it->second;
}

// "1,500.25" -> 1500.25 with decimal separator "."; "1.500,25" and "1 500,25" the same
// with ",". Other separators group digits and are dropped. An apostrophe groups Swiss
// numbers, whose decimal point is '.' whatever the language ("1'234.56").
std::optional<Decimal> ParseDecimal(std::string_view s, std::string_view decimal) {
  if (s.find('\'') != std::string_view::npos) decimal = ".";
  int64_t digits = 0;
  int scale = 0;
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
    if (c < '0' || c > '9') return std::nullopt;
    if (digits > (INT64_MAX - 9) / 10) return std::nullopt;
    digits = digits * 10 + (c - '0');
    scale += seen_point;
    seen_digit = true;
  }
  if (!seen_digit) return std::nullopt;
  return Decimal::FromUnits(digits, scale);
}

// A lexicon value as a number ("bn" -> 1000000000, "half a" -> 0.5).
std::optional<Decimal> NumberOf(const LexiconEntry* entry) {
  return entry ? Decimal::Parse(entry->value) : std::nullopt;
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

// Number words: "two", "twenty-five", "half a", "a hundred" (sums, with "hundred" scaling).
// Words of `joiners` ("and" in "two hundred and fifty"), spelt exactly so, count nothing.
Result<Decimal> NumberFromWords(const Lexicon& words, const Lexicon* joiners, std::string_view phrase) {
  if (const std::optional<Decimal> whole = NumberOf(words.Find(phrase))) return *whole;
  const Decimal hundred = *Decimal::FromUnits(100, 0);
  Decimal total;
  size_t start = 0;
  while (start < phrase.size()) {
    size_t stop = phrase.find_first_of(" -", start);
    if (stop == std::string_view::npos) stop = phrase.size();
    const std::string_view word = phrase.substr(start, stop - start);
    start = stop + 1;
    if (word.empty()) continue;
    if (const LexiconEntry* joiner = joiners ? joiners->Find(word) : nullptr; joiner && joiner->surface == word) continue;
    const std::optional<Decimal> v = NumberOf(words.Find(word));
    if (!v) return Status::InvalidInput("unknown number word '" + std::string(word) + "'");
    const std::optional<Decimal> next = *v >= hundred && total > Decimal() ? total.Times(*v) : total.Plus(*v);
    if (!next) return Status::InvalidInput("number too large '" + std::string(phrase) + "'");
    total = *next;
  }
  return total;
}

// ---- money ----

enum MoneyCapture { kApprox, kCur, kNum, kMag, kNumw, kNum2, kMag2, kNumw2 };
constexpr std::string_view kMoneyCaptures[] = {"approx", "cur", "num", "mag", "numw", "num2", "mag2", "numw2"};
// Lexicon each capture needs (kCur: every rule).
constexpr std::pair<MoneyCapture, std::string_view> kMoneyLexicons[] = {
    {kCur, "currency"}, {kMag, "magnitude"}, {kMag2, "magnitude"}, {kApprox, "qualifier"},
    {kNumw, "number_word"}, {kNumw2, "number_word"}};

Status ValidateMoney(const Rule& rule) {
  if (rule.kind != Rule::Kind::kPattern) return Status::RuleError("money rules are patterns (they need captures)");
  if (!HasCapture(rule, kCur)) return Status::RuleError("a money rule needs a (?P<cur>...) capture");
  if (!HasCapture(rule, kNum) && !HasCapture(rule, kNumw))
    return Status::RuleError("a money rule needs a (?P<num>...) or (?P<numw>...) capture");
  // The word lists the captures need: a file may leave out what its rules never capture.
  for (auto [capture, lexicon] : kMoneyLexicons)
    if (HasCapture(rule, capture) && !FindLexicon(rule, lexicon))
      return Status::RuleError("money rules with (?P<" + std::string(kMoneyCaptures[capture]) +
                               ">) need a lexicon named '" + std::string(lexicon) + "'");
  return {};
}

// What one written unit is worth in the currency's main unit: the magnitude's
// multiplier, and a hundredth for a currency word tagged `hundredth` ("50 cts", "20p").
Result<Decimal> Multiplier(const Rule& rule, std::string_view magnitude, const LexiconEntry& currency) {
  std::optional<Decimal> value = Decimal::FromUnits(1, 0);
  if (!magnitude.empty()) value = NumberOf(FindLexicon(rule, "magnitude")->Find(magnitude));
  if (!value) return Status::InvalidInput("no multiplier for magnitude '" + std::string(magnitude) + "'");
  if (HasTag(currency, "hundredth")) value = value->Times(*Decimal::FromUnits(1, 2));
  if (!value) return Status::InvalidInput("too large a multiplier '" + std::string(magnitude) + "'");
  return *value;
}

// The number written in `digits` or, when that is empty, in number `words`.
Result<Decimal> Number(const Rule& rule, std::string_view digits, std::string_view words) {
  if (!words.empty()) return NumberFromWords(*FindLexicon(rule, "number_word"), FindLexicon(rule, "number_joiner"), words);
  if (std::optional<Decimal> parsed = ParseDecimal(digits, rule.file->decimal_separator)) return *parsed;
  return Status::InvalidInput("bad number '" + std::string(digits) + "'");
}

Result<Decimal> Amount(const Rule& rule, std::string_view digits, std::string_view words, const Decimal& multiplier) {
  Result<Decimal> number = Number(rule, digits, words);
  if (!number.ok()) return number.status();
  const std::optional<Decimal> amount = number.value().Times(multiplier);
  if (!amount) return Rejected(words.empty() ? digits : words, " is too large an amount");
  return *amount;
}

// Why the captures of `c` are no amount of money ("In 2020 dollars", "lost 20 pounds"),
// or ok. `mag` is the magnitude of the first number once a range has lent it its own.
Status CheckMoneyShape(const Candidate& c, const LexiconEntry& currency, std::string_view mag, bool range) {
  const std::string_view mag2 = Capture(c, kMag2);
  // "€500m to 2030", "€2m - 40%": a magnitude on the first number only means the second
  // is something else.
  if (range && !Capture(c, kMag).empty() && mag2.empty()) return Status::InvalidInput("the upper bound has no magnitude");
  if (range && LooksLikeYear(Capture(c, kNum2)) && !LooksLikeYear(Capture(c, kNum)))  // "from €2 to 2030 levels"
    return Rejected(Capture(c, kNum2), " reads as a year, not an upper bound");
  // "In 2020 dollars were scarce": a bare year before a currency word is not an amount.
  if (mag.empty() && Capture(c, kNumw).empty() && LooksLikeYear(Capture(c, kNum)) &&
      Capture(c, kCur).data() > Capture(c, kNum).data())
    return Rejected(Capture(c, kNum), " reads as a year");
  if (mag.empty() && HasTag(currency, "needs_magnitude"))  // "lost 20 pounds": weight
    return Rejected(Capture(c, kCur), " is money only after a magnitude");
  return {};
}

// The place a wire story's dateline opens with ("WELLINGTON, June 18 - "): an upper-case
// run before a comma at the start of one of the article's first lines; empty when none.
std::string_view DatelinePlace(std::string_view text) {
  constexpr size_t kLinesLooked = 5;
  size_t line = 0;
  for (size_t n = 0; n < kLinesLooked && line < text.size(); ++n) {
    size_t end = line;
    while (end < text.size() && (std::isupper(static_cast<unsigned char>(text[end])) || text[end] == ' ' || text[end] == '.'))
      ++end;
    if (end - line >= 3 && end < text.size() && text[end] == ',') return text.substr(line, end - line);
    const size_t next = text.find('\n', line);
    if (next == std::string_view::npos) break;
    line = next + 1;
  }
  return {};
}

// The currency a currency word tagged `local` ("dlrs", "cts") stands for: wire copy from
// Wellington or Sydney writes its own dollar bare and the US one as "U.S. dlrs", so a
// dateline place in the lexicon dateline_currency names it. Otherwise the word's own.
std::string_view CurrencyOf(const LexiconEntry& currency, const Rule& rule, const ValueContext& context) {
  const Lexicon* datelines = FindLexicon(rule, "dateline_currency");
  if (!datelines || !context.doc || !HasTag(currency, "local")) return currency.value;
  const std::string_view place = DatelinePlace(context.doc->text);
  const LexiconEntry* local = place.empty() ? nullptr : datelines->Find(place);
  return local ? std::string_view(local->value) : std::string_view(currency.value);
}

Result<Value> BuildMoney(const Candidate& c, const ValueContext& context) {
  const Rule& rule = *c.rule;
  const std::string_view cur = Capture(c, kCur);
  const LexiconEntry* currency = FindLexicon(rule, "currency")->Find(cur);
  if (!currency || currency->value.size() != 3)
    return Status::InvalidInput("unknown currency '" + std::string(cur) + "'");
  const std::string_view mag2 = Capture(c, kMag2);
  const bool range = !Capture(c, kNum2).empty() || !Capture(c, kNumw2).empty();
  // "€20-30 million": the first number shares the second's magnitude.
  const std::string_view mag = Capture(c, kMag).empty() ? mag2 : Capture(c, kMag);
  if (Status s = CheckMoneyShape(c, *currency, mag, range); !s.ok()) return s;
  Result<Decimal> multiplier = Multiplier(rule, mag, *currency);
  if (!multiplier.ok()) return multiplier.status();
  Result<Decimal> amount = Amount(rule, Capture(c, kNum), Capture(c, kNumw), multiplier.value());
  if (!amount.ok()) return amount.status();
  MoneyValue value{amount.value(), std::nullopt, std::nullopt, std::string(CurrencyOf(*currency, rule, context)),
                   std::nullopt};

  if (range) {
    Result<Decimal> upper_multiplier = Multiplier(rule, mag2.empty() ? mag : mag2, *currency);
    if (!upper_multiplier.ok()) return upper_multiplier.status();
    Result<Decimal> max = Amount(rule, Capture(c, kNum2), Capture(c, kNumw2), upper_multiplier.value());
    if (!max.ok()) return max.status();
    if (max.value() <= amount.value()) return Status::InvalidInput("range upper bound is not above the lower one");
    value.min = amount.value();
    value.max = max.value();
  }
  if (const std::string_view approx = Capture(c, kApprox); !approx.empty()) {
    const LexiconEntry* qualifier = FindLexicon(rule, "qualifier")->Find(approx);
    if (!qualifier) return Status::InvalidInput("unknown qualifier '" + std::string(approx) + "'");
    value.approx = qualifier->value;
  }
  return Value(std::move(value));
}

// ---- country ----

Status ValidateCountry(const Rule& rule) {
  if (rule.kind != Rule::Kind::kGazetteer && !rule.block)
    return Status::RuleError("country facts come from gazetteers (iso2 keys); a pattern rule can only block");
  if (!FindLexicon(rule, "country_name")) return Status::RuleError("country rules need a lexicon named 'country_name'");
  return {};
}

Result<Value> BuildCountry(const Candidate& c, const ValueContext& /*context*/) {
  const std::string& iso2 = c.entry->key;
  const LexiconEntry* name = FindLexicon(*c.rule, "country_name")->Find(iso2);
  if (iso2.size() != 2 || !name) return Status::InvalidInput("unknown country code '" + iso2 + "'");
  return Value(CountryValue{iso2, name->value});
}

}  // namespace

const ValueBuilder kMoneyValues{"money", kMoneyCaptures, ValidateMoney, BuildMoney};
const ValueBuilder kCountryValues{"country", {}, ValidateCountry, BuildCountry};

namespace {

const ValueBuilder* const kBuilders[] = {&kMoneyValues, &kCountryValues,   &kDateValues,  &kSiteValues,
                                         &kProgrammeValues, &kOrgValues, &kPersonValues};

const ValueBuilder* BuilderFor(std::string_view type) {
  for (const ValueBuilder* builder : kBuilders)
    if (builder->type == type) return builder;
  return nullptr;
}

// Checks that `builder` knows every capture of `rule` and fixes the rule's slots.
Status ResolveSlots(const ValueBuilder& builder, Rule* rule) {
  std::string known;
  for (std::string_view name : builder.captures) known.append(known.empty() ? "" : ", ").append(name);
  rule->value_slots.assign(builder.captures.size(), -1);
  for (const auto& [name, index] : rule->groups) {
    auto slot = std::find(builder.captures.begin(), builder.captures.end(), name);
    if (slot == builder.captures.end())
      return Status::RuleError("capture (?P<" + name + ">) means nothing to " + std::string(builder.type) +
                               " values (known: " + known + ")");
    rule->value_slots[static_cast<size_t>(slot - builder.captures.begin())] = index;
  }
  return {};
}

}  // namespace

Status ValidateRule(Rule* rule) {
  const ValueBuilder* builder = BuilderFor(rule->type());
  if (!builder) return Status::RuleError(rule->file->path + ": no value builder for fact type '" + rule->type() + "'");
  if (rule->block) return {};  // builds no value, so needs no captures (rule_set_test BlockRulesNeedNoCaptures)
  Status s = rule->kind == Rule::Kind::kPattern ? ResolveSlots(*builder, rule) : Status();
  if (s.ok() && builder->validate) s = builder->validate(*rule);
  if (!s.ok()) return Status::RuleError(rule->where() + ": rule " + rule->id + ": " + s.message());
  return {};
}

Result<Value> BuildValue(const Candidate& candidate, const ValueContext& context) {
  return BuilderFor(candidate.rule->type())->build(candidate, context);
}

}  // namespace factwire
