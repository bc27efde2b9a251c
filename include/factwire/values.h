// The value of a fact, one C++ type per fact type (DESIGN.md gives each one's fields).
//
// Values are built by the value builders of resolve/ and read as typed fields by the
// stages after it; JSON appears only at the edges (emit, store, explain), through
// ToJson and AppendJson in emit/value_json.h, whose bytes are the record format.
//
// Money never passes through binary floating point: amounts are Decimal, whose
// arithmetic is exact or fails ("EUR 1.15bn" is exactly 1150000000).
//
// Thread-safety: plain values; copy freely.
#ifndef FACTWIRE_INCLUDE_FACTWIRE_VALUES_H_
#define FACTWIRE_INCLUDE_FACTWIRE_VALUES_H_

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace factwire {

// An exact decimal number, units / 10^scale, kept normalised (no trailing zero digit
// after the point), so that equal numbers have equal fields. Holds up to 18
// significant digits; an operation whose exact result does not fit fails (nullopt)
// rather than rounding.
class Decimal {
 public:
  Decimal() = default;  // zero

  // units / 10^scale; scale in [0, 18]. Returns nullopt for a scale out of range.
  static std::optional<Decimal> FromUnits(int64_t units, int scale);
  // "1150000000", "1.15", "-0.5", "0.25": an optional '-', digits, at most one '.'
  // with digits on both sides. Anything else (grouping, exponents, spaces) is nullopt.
  static std::optional<Decimal> Parse(std::string_view text);

  int64_t units() const { return units_; }
  int scale() const { return scale_; }
  bool IsInteger() const { return scale_ == 0; }

  // The exact sum and product, or nullopt when they do not fit.
  std::optional<Decimal> Plus(const Decimal& other) const;
  std::optional<Decimal> Times(const Decimal& other) const;

  // The shortest exact decimal form: "1150000000", "1.25", "-0.0001".
  std::string ToString() const;

  friend bool operator==(const Decimal& a, const Decimal& b) = default;
  friend std::strong_ordering operator<=>(const Decimal& a, const Decimal& b);

 private:
  Decimal(int64_t units, int scale) : units_(units), scale_(scale) {}
  int64_t units_ = 0;
  int scale_ = 0;
};

// money: {"amount", "currency", optional "min"/"max" for a range, optional "approx"}.
struct MoneyValue {
  Decimal amount;                  // a range's lower bound
  std::optional<Decimal> min;      // set with max for a range ("€20-30m"): min == amount
  std::optional<Decimal> max;
  std::string currency;            // ISO 4217 code
  std::optional<std::string> approx;  // the qualifier's meaning ("about", "nearly")
  friend bool operator==(const MoneyValue&, const MoneyValue&) = default;
};

// "This many units from the date before this one in the text" ("a year earlier": year,
// -1). ResolveDateReferences applies and clears it; records never carry it.
struct DateShift {
  std::string unit;  // day, week, month, quarter, year or decade
  int by = 0;
  friend bool operator==(const DateShift&, const DateShift&) = default;
};

// date: {"iso" (absent when unresolved: no publication date), "grain", optional "mod",
// "fiscal": true when fiscal}.
struct DateValue {
  std::optional<std::string> iso;  // "2025-03-14", "2025-Q1", "2024/2025", ...
  std::string grain;               // day, week, month, quarter, half, year, decade, range
  std::optional<std::string> mod;  // "by", "start", "end", ...
  bool fiscal = false;
  std::optional<DateShift> shift_from_previous;
  friend bool operator==(const DateValue&, const DateValue&) = default;
};

struct CountryValue {
  std::string iso2;  // ISO 3166-1 alpha-2
  std::string name;  // English short name
  friend bool operator==(const CountryValue&, const CountryValue&) = default;
};

struct SiteValue {
  std::string name;
  std::optional<std::string> kind;     // "supercomputer", "data centre", ...
  std::optional<std::string> country;  // iso2, from the gazetteer or a located_in relation
  friend bool operator==(const SiteValue&, const SiteValue&) = default;
};

struct ProgrammeValue {
  std::string name;
  std::optional<std::string> kind;
  friend bool operator==(const ProgrammeValue&, const ProgrammeValue&) = default;
};

struct OrgValue {
  std::string name;
  friend bool operator==(const OrgValue&, const OrgValue&) = default;
};

struct PersonValue {
  std::string name;
  std::optional<std::string> role;  // without its owner: "chief executive"
  friend bool operator==(const PersonValue&, const PersonValue&) = default;
};

// A fact's value; std::monostate where none was built (a dropped candidate).
using Value = std::variant<std::monostate, MoneyValue, DateValue, CountryValue, SiteValue, ProgrammeValue, OrgValue,
                           PersonValue>;

// The name a country, site, programme, org or person value carries; empty for others.
std::string_view NameOf(const Value& value);

}  // namespace factwire

#endif  // FACTWIRE_INCLUDE_FACTWIRE_VALUES_H_
