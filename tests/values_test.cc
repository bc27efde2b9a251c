// Typed values: exact decimal arithmetic, and each value type's JSON (the record bytes).
#include <gtest/gtest.h>

#include "emit/value_json.h"

namespace factwire {
namespace {

Decimal D(const char* text) {
  const std::optional<Decimal> d = Decimal::Parse(text);
  EXPECT_TRUE(d.has_value()) << text;
  return d.value_or(Decimal());
}

TEST(DecimalTest, ParsesAndPrintsExactly) {
  struct Case {
    const char* text;
    const char* printed;  // nullptr: not a number
  };
  const Case cases[] = {
      {"0", "0"},         {"1150000000", "1150000000"}, {"1.15", "1.15"},   {"1.50", "1.5"},  {"2.000", "2"},
      {"0.05", "0.05"},   {"-0.5", "-0.5"},             {"007", "7"},       {"", nullptr},    {".5", nullptr},
      {"5.", nullptr},    {"1.2.3", nullptr},           {"1,5", nullptr},   {"1e9", nullptr}, {"-", nullptr},
      {"99999999999999999999", nullptr},  // more than an int64 holds
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.text);
    const std::optional<Decimal> d = Decimal::Parse(c.text);
    ASSERT_EQ(d.has_value(), c.printed != nullptr);
    if (d) {
      EXPECT_EQ(d->ToString(), c.printed);
    }
  }
}

TEST(DecimalTest, ArithmeticIsExactOrFails) {
  EXPECT_EQ(D("0.1").Plus(D("0.2")), D("0.3")) << "no binary floating point";
  EXPECT_EQ(D("1.15").Times(D("1000000000")), D("1150000000"));
  EXPECT_EQ(D("0.5").Times(D("1000000000"))->ToString(), "500000000");
  EXPECT_EQ(D("1.234567891").Times(D("1000000"))->ToString(), "1234567.891");
  EXPECT_EQ(D("2.5").Plus(D("-2.5"))->ToString(), "0");
  EXPECT_FALSE(D("9223372036854775807").Plus(D("1")).has_value());
  EXPECT_FALSE(D("10000000000").Times(D("1000000000000")).has_value());
  EXPECT_FALSE(Decimal::FromUnits(1, 19).has_value());
}

TEST(DecimalTest, OrdersByValueWhateverTheScale) {
  EXPECT_LT(D("0.3"), D("1"));
  EXPECT_LT(D("-2"), D("-1.5"));
  EXPECT_EQ(D("1.10"), D("1.1"));
  EXPECT_GT(D("1.000000000000000001"), D("1"));
  // One side cannot be widened to the other's scale: its size decides.
  EXPECT_GT(D("9223372036854775807"), D("0.5"));
  EXPECT_LT(D("-9223372036854775807"), D("0.5"));
}

// Each value type: its JSON tree, and the compact text the record carries, which must be
// that tree's dump() byte for byte (fields in name order).
TEST(ValueJsonTest, EachTypeHasItsJson) {
  struct Case {
    const char* name;
    Value value;
    const char* json;
  };
  const Case cases[] = {
      {"none", Value(), "null"},
      {"money", MoneyValue{D("1150000000"), std::nullopt, std::nullopt, "EUR", std::nullopt},
       R"({"amount":1150000000,"currency":"EUR"})"},
      {"money range, approx", MoneyValue{D("20000000"), D("20000000"), D("30000000"), "EUR", "about"},
       R"({"amount":20000000,"approx":"about","currency":"EUR","max":30000000,"min":20000000})"},
      {"money fraction", MoneyValue{D("1234567.891"), std::nullopt, std::nullopt, "USD", std::nullopt},
       R"({"amount":1234567.891,"currency":"USD"})"},
      {"date", DateValue{"2025-Q1", "quarter", "end", true, std::nullopt},
       R"({"fiscal":true,"grain":"quarter","iso":"2025-Q1","mod":"end"})"},
      {"date unresolved", DateValue{std::nullopt, "day", std::nullopt, false, std::nullopt}, R"({"grain":"day"})"},
      {"date before its back-reference is resolved", DateValue{"2024", "year", std::nullopt, false, DateShift{"year", -1}},
       R"({"grain":"year","iso":"2024","shift_from_previous":{"by":-1,"unit":"year"}})"},
      {"country", CountryValue{"DE", "Germany"}, R"({"iso2":"DE","name":"Germany"})"},
      {"site", SiteValue{"LUMI", "supercomputer", "FI"}, R"({"country":"FI","kind":"supercomputer","name":"LUMI"})"},
      {"site, name only", SiteValue{"Aurelia", std::nullopt, std::nullopt}, R"({"name":"Aurelia"})"},
      {"programme", ProgrammeValue{"Digital Europe Programme", "funding"},
       R"({"kind":"funding","name":"Digital Europe Programme"})"},
      {"org", OrgValue{"EuroHPC \"JU\""}, R"({"name":"EuroHPC \"JU\""})"},
      {"person", PersonValue{"Dana Whitfield", "chief executive"}, R"({"name":"Dana Whitfield","role":"chief executive"})"},
      {"not UTF-8 is replaced", PersonValue{"Z\xfcrich", std::nullopt}, "{\"name\":\"Z\xEF\xBF\xBDrich\"}"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(JsonText(c.value), c.json);
    EXPECT_EQ(ToJson(c.value).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), c.json);
    // HasField agrees with the JSON on every field the shapes know, present or not.
    for (const char* key : {"amount", "approx", "currency", "max", "min", "fiscal", "grain", "iso", "mod", "iso2",
                            "name", "country", "kind", "role", "shift_from_previous"})
      EXPECT_EQ(HasField(c.value, key), ToJson(c.value).contains(key)) << key;
  }
}

TEST(ValueJsonTest, AppendJsonKeepsDigitsADoubleWouldLose) {
  const Value money = MoneyValue{D("12345678.123456789"), std::nullopt, std::nullopt, "USD", std::nullopt};
  EXPECT_EQ(JsonText(money), R"({"amount":12345678.123456789,"currency":"USD"})");
  EXPECT_TRUE(ToJson(money)["amount"].is_number_float()) << "the tree holds the nearest double";
}

TEST(ValueTest, NameOfNamedValues) {
  EXPECT_EQ(NameOf(CountryValue{"DE", "Germany"}), "Germany");
  EXPECT_EQ(NameOf(PersonValue{"Dana Whitfield", std::nullopt}), "Dana Whitfield");
  EXPECT_EQ(NameOf(MoneyValue{}), "");
  EXPECT_EQ(NameOf(Value()), "");
}

}  // namespace
}  // namespace factwire
