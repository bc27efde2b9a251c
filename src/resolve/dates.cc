// Date values: a date candidate's captures become iso, grain and mod (README "Dates"),
// with the calendar arithmetic that relative and anchored dates need done on
// std::chrono's civil calendar.
#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <optional>

#include "resolve/date_tense.h"
#include "resolve/resolver.h"

namespace factwire {
namespace {

// The article's text and its tokens (when match left them), for reading tense.
TextTokens TokensOf(const ValueContext& context) {
  return context.doc ? TextTokens{context.doc->text, context.article.tokens} : TextTokens{};
}

namespace ch = std::chrono;

enum DateCapture { kSpan, kYear, kYear2, kMonth, kMonth2, kDay, kDay2, kWeekday, kQuarter, kHalf, kDecade, kPos,
                   kMod, kRel, kUnit, kCount, kDeictic, kFiscal, kN1, kN2 };
constexpr std::string_view kDateCaptures[] = {"span", "year", "year2", "month", "month2", "day", "day2",
                                              "weekday", "quarter", "half", "decade", "pos", "mod", "rel",
                                              "unit", "count", "deictic", "fiscal", "n1", "n2"};

std::optional<int> ToInt(std::string_view s) {
  int value = 0;
  auto [end, error] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (error != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return value;
}

// A lexicon value as a number ("March" -> 3), or the text itself as one ("11" -> 11).
std::optional<int> LookUpNumber(const Rule& rule, std::string_view lexicon, std::string_view text) {
  if (text.empty()) return std::nullopt;
  if (const LexiconEntry* entry = RuleLexicon(rule, lexicon).Find(text)) return ToInt(entry->value);
  return ToInt(text);
}

std::string LookUpWord(const Rule& rule, std::string_view lexicon, std::string_view text) {
  const LexiconEntry* entry = RuleLexicon(rule, lexicon).Find(text);
  return entry ? entry->value : "";
}

// "2025" -> 2025, "25" -> 2025 (two-digit years are this century's).
std::optional<int> Year(std::string_view text) {
  std::optional<int> year = ToInt(text);
  if (year && text.size() == 2) *year += 2000;
  return year;
}

std::string Format(const char* pattern, int a, int b = 0, int c = 0) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, pattern, a, b, c);
  return buffer;
}

std::string IsoDay(ch::year_month_day d) {
  return Format("%04d-%02d-%02d", static_cast<int>(d.year()), static_cast<int>(static_cast<unsigned>(d.month())),
                static_cast<int>(static_cast<unsigned>(d.day())));
}
std::string IsoMonth(ch::year_month m) {
  return Format("%04d-%02d", static_cast<int>(m.year()), static_cast<int>(static_cast<unsigned>(m.month())));
}
std::string IsoYear(int year) { return Format("%04d", year); }
int QuarterOf(ch::month m) { return static_cast<int>((static_cast<unsigned>(m) - 1) / 3 + 1); }
std::string IsoQuarter(int year, int quarter) { return Format("%04d-Q%d", year, quarter); }

// Monday to Sunday around `d`, as an iso range.
std::string IsoWeek(ch::sys_days d) {
  const ch::weekday weekday{d};
  const ch::sys_days monday = d - ch::days{(weekday.iso_encoding() - 1)};
  return IsoDay(ch::year_month_day{monday}) + "/" + IsoDay(ch::year_month_day{monday + ch::days{6}});
}

bool ValidIsoDay(const std::string& iso) {
  const auto y = ToInt(std::string_view(iso).substr(0, 4));
  const auto m = ToInt(std::string_view(iso).substr(5, 2));
  const auto d = ToInt(std::string_view(iso).substr(8, 2));
  return y && m && d && ch::year_month_day{ch::year{*y}, ch::month{static_cast<unsigned>(*m)}, ch::day{static_cast<unsigned>(*d)}}.ok();
}

std::string LastDayOf(const std::string& iso) {
  const auto y = ToInt(std::string_view(iso).substr(0, 4)).value_or(2000);
  const auto m = ToInt(std::string_view(iso).substr(5, 2)).value_or(1);
  return IsoDay(ch::year_month_day{ch::year{y} / ch::month{static_cast<unsigned>(m)} / ch::last});
}

std::optional<ch::year_month_day> ParsePublished(std::string_view published) {
  if (published.size() != 10) return std::nullopt;
  auto y = ToInt(published.substr(0, 4));
  auto m = ToInt(published.substr(5, 2));
  auto d = ToInt(published.substr(8, 2));
  if (!y || !m || !d) return std::nullopt;
  ch::year_month_day ymd{ch::year{*y}, ch::month{static_cast<unsigned>(*m)}, ch::day{static_cast<unsigned>(*d)}};
  if (!ymd.ok()) return std::nullopt;
  return ymd;
}

// Deadlines ("by June", "until Friday") lie ahead: "by" is the `anchor` lexicon's value for
// them in every language (and the fact's mod).
bool IsDeadline(const Candidate& c) { return LookUpWord(*c.rule, "anchor", Capture(c, kMod)) == "by"; }

// A point or period in one unit of the calendar, for relative arithmetic. Its names are
// the value column of the `unit` lexicons: internal keys, the same in every language.
enum class Unit { kDay, kWeek, kMonth, kQuarter, kYear, kDecade };

std::optional<Unit> ParseUnit(std::string_view name) {
  if (name == "day") return Unit::kDay;
  if (name == "week") return Unit::kWeek;
  if (name == "month") return Unit::kMonth;
  if (name == "quarter") return Unit::kQuarter;
  if (name == "year") return Unit::kYear;
  if (name == "decade") return Unit::kDecade;
  return std::nullopt;
}

const char* GrainOf(Unit unit) {
  switch (unit) {
    case Unit::kDay: return "day";
    case Unit::kWeek: return "week";
    case Unit::kMonth: return "month";
    case Unit::kQuarter: return "quarter";
    case Unit::kYear: return "year";
    case Unit::kDecade: return "decade";
  }
  return "";
}

// `from` moved by `n` units (n may be negative).
ch::sys_days Shift(ch::sys_days from, Unit unit, int n) {
  const ch::year_month_day ymd{from};
  auto by_months = [&](int months) {
    ch::year_month_day shifted = ymd + ch::months{months};
    if (!shifted.ok()) shifted = ch::year_month_day{shifted.year() / shifted.month() / ch::last};  // 31 Jan + 1 month
    return ch::sys_days{shifted};
  };
  switch (unit) {
    case Unit::kDay: return from + ch::days{n};
    case Unit::kWeek: return from + ch::days{7 * n};
    case Unit::kMonth: return by_months(n);
    case Unit::kQuarter: return by_months(3 * n);
    case Unit::kYear: return by_months(12 * n);
    case Unit::kDecade: return by_months(120 * n);
  }
  return from;
}

// The period of `unit` holding day `d`, as iso (a decade is its ten years, 2020/2029).
std::string IsoAt(ch::sys_days d, Unit unit) {
  const ch::year_month_day ymd{d};
  const int year = static_cast<int>(ymd.year());
  switch (unit) {
    case Unit::kDay: return IsoDay(ymd);
    case Unit::kWeek: return IsoWeek(d);
    case Unit::kMonth: return IsoMonth(ymd.year() / ymd.month());
    case Unit::kQuarter: return IsoQuarter(year, QuarterOf(ymd.month()));
    case Unit::kYear: return IsoYear(year);
    case Unit::kDecade: return IsoYear(year - year % 10) + "/" + IsoYear(year - year % 10 + 9);
  }
  return "";
}

// One end of a counted range ("past five years" -> 2020/2025): days and weeks give days,
// decades give years, other units their own period.
std::string RangeBound(ch::sys_days d, Unit unit) {
  if (unit == Unit::kWeek || unit == Unit::kDay) return IsoDay(ch::year_month_day{d});
  if (unit == Unit::kDecade) return IsoYear(static_cast<int>(ch::year_month_day{d}.year()));
  return IsoAt(d, unit);
}

// "3", "3rd", "21st" -> the day number.
std::optional<int> ParseDay(std::string_view text) {
  size_t digits = 0;
  while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') ++digits;
  if (digits == 0) return std::nullopt;
  return ToInt(text.substr(0, digits));
}

// A date's place in the calendar, before BuildDate adds what its words say of it.
struct Period {
  std::string iso;  // empty: unresolved (no publication date)
  std::string grain;
  bool fiscal = false;
};

// Northern-hemisphere seasons by their first month: spring 3, summer 6, autumn 9, winter 12.
// The names are the value column of every language's `unit` lexicon (date_units.<lang>.tsv:
// "Frühling" -> spring), internal keys like the unit names "day" and "year" below, not
// words read from the text.
std::optional<int> SeasonStart(std::string_view name) {
  if (name == "spring") return 3;
  if (name == "summer") return 6;
  if (name == "autumn") return 9;
  if (name == "winter") return 12;
  return std::nullopt;
}

// "this spring", "last winter": three months as a range of months.
Period Season(int start_month, std::string_view rel, const std::optional<ch::year_month_day>& published) {
  Period value{"", "range", false};
  if (!published) return value;
  const ch::year_month now = published->year() / published->month();
  // The season of this year holds the publication month, or is the one starting this year.
  ch::year_month first = published->year() / ch::month{static_cast<unsigned>(start_month)};
  if (start_month == 12 && static_cast<unsigned>(published->month()) <= 2) first -= ch::years{1};
  if (rel == "last" && first + ch::months{2} >= now) first -= ch::years{1};
  if (rel == "next" && first <= now) first += ch::years{1};
  value.iso = IsoMonth(first) + "/" + IsoMonth(first + ch::months{2});
  return value;
}

// `rel` below is the value column of the `relative` lexicon (date_relative.<lang>.tsv):
// internal keys (this, last, next, past, ago, in, earlier, later, ending, within), the
// same in every language.
Result<Period> Relative(const Candidate& c, const std::optional<ch::year_month_day>& published) {
  const Rule& rule = *c.rule;
  const std::string unit_name = LookUpWord(rule, "unit", Capture(c, kUnit));
  if (const std::optional<int> season = SeasonStart(unit_name))
    return Season(*season, LookUpWord(rule, "relative", Capture(c, kRel)), published);
  const std::optional<Unit> unit = ParseUnit(unit_name);
  if (!unit) return Status::InvalidInput("unknown unit '" + std::string(Capture(c, kUnit)) + "'");
  std::string rel = LookUpWord(rule, "relative", Capture(c, kRel));
  if (Capture(c, kRel).empty()) rel = "this";  // "the end of the decade"
  if (rel.empty()) return Status::InvalidInput("unknown relative word '" + std::string(Capture(c, kRel)) + "'");
  const bool counted = !Capture(c, kCount).empty();
  // A plural unit needs a count: "in the coming years" is no date. The `unit` lexicon
  // tags plurals ("years", "Jahren", "mesi").
  const std::string_view unit_text = Capture(c, kUnit);
  const LexiconEntry* unit_entry = RuleLexicon(rule, "unit").Find(unit_text);
  const bool plural = unit_entry && std::find(unit_entry->tags.begin(), unit_entry->tags.end(), "plural") != unit_entry->tags.end();
  if (!counted && rel != "ending" && plural) return Status::InvalidInput("'" + std::string(unit_text) + "' without a count is no date");
  std::optional<int> count = 1;
  if (counted) {
    count = LookUpNumber(rule, "number_word", Capture(c, kCount));
    // "999 decades ago" is no date in the news; keep the calendar within years 1..9999.
    if (!count || *count <= 0 || *count > 100) return Status::InvalidInput("bad count '" + std::string(Capture(c, kCount)) + "'");
  }
  if (rel == "ending") {  // "the year to March 2025": twelve months up to that month
    const std::optional<int> month = LookUpNumber(rule, "month", Capture(c, kMonth));
    const std::optional<int> year = Year(Capture(c, kYear));
    if (!month || !year) return Status::InvalidInput("a period ending needs a month and a year");
    const ch::year_month last = ch::year{*year} / ch::month{static_cast<unsigned>(*month)};
    return Period{IsoMonth(last - ch::months{11}) + "/" + IsoMonth(last), "range", false};
  }
  // "past year" is the twelve months to now; "last year" the calendar year before.
  if (rel == "past" && !counted && *unit != Unit::kDecade) rel = "past-one";
  const bool range = rel == "past-one" || (counted && (rel == "last" || rel == "past" || rel == "next" || rel == "within")) ||
                     (*unit == Unit::kDecade && !counted && (rel == "last" || rel == "past" || rel == "next"));
  // A point a decade away is a year ("a decade ago" -> 2015), not a decade.
  const bool point = rel == "ago" || rel == "in" || rel == "earlier" || rel == "later";
  const char* point_grain = *unit == Unit::kDecade ? "year" : GrainOf(*unit);
  Period value{"", range ? (*unit == Unit::kDecade && !counted ? "decade" : "range") : point ? point_grain : GrainOf(*unit), false};
  if (!published) return value;
  const ch::sys_days now{*published};
  auto point_at = [&](int n) {
    const ch::sys_days d = Shift(now, *unit, n);
    return *unit == Unit::kDecade ? IsoYear(static_cast<int>(ch::year_month_day{d}.year())) : IsoAt(d, *unit);
  };
  if (rel == "past-one") rel = "past", count = 1;
  if (rel == "ago" || rel == "earlier") value.iso = point_at(-*count);  // "earlier": refined by ResolveDateReferences
  else if (rel == "in" || rel == "later") value.iso = point_at(*count);
  else if (rel == "this") value.iso = IsoAt(now, *unit);
  else if (range && *unit == Unit::kDecade && !counted)  // past / coming decade: ten years to or from now
    value.iso = rel != "next" ? IsoYear(static_cast<int>(published->year()) - 10) + "/" + IsoYear(static_cast<int>(published->year()))
                              : IsoYear(static_cast<int>(published->year())) + "/" + IsoYear(static_cast<int>(published->year()) + 10);
  else if (range && (rel == "last" || rel == "past")) value.iso = RangeBound(Shift(now, *unit, -*count), *unit) + "/" + RangeBound(now, *unit);
  else if (range) value.iso = RangeBound(now, *unit) + "/" + RangeBound(Shift(now, *unit, *count), *unit);
  else if (rel == "last") value.iso = IsoAt(Shift(now, *unit, -1), *unit);
  else if (rel == "next") value.iso = IsoAt(Shift(now, *unit, 1), *unit);
  else return Status::InvalidInput("relative word '" + rel + "' does not go with a unit here");
  return value;
}

// Weekdays, days and months written without a year, placed by the anchoring policy.
Period Anchored(const Candidate& c, const ValueContext& context, const std::optional<ch::year_month_day>& published,
                   std::optional<int> month, std::optional<int> day, std::optional<int> weekday) {
  const char* grain = day || weekday ? "day" : "month";
  Period value{"", grain, false};
  if (!published) return value;
  const std::string rel = LookUpWord(*c.rule, "relative", Capture(c, kRel));
  // A deadline ("by June", "until September") lies ahead, as does a future-tense clause.
  const bool future = rel == "next" || (rel != "last" && (IsDeadline(c) || SpeaksOfFuture(c, context.sentence, TokensOf(context))));
  const ch::sys_days now{*published};
  if (weekday) {
    const ch::weekday wanted{static_cast<unsigned>(*weekday % 7)};  // ISO 7 (Sunday) is 0 here
    ch::sys_days d = now;
    const int step = future ? 1 : -1;
    if (rel == "last" || rel == "next") d += ch::days{step};  // "last Tuesday" is never today
    while (ch::weekday{d} != wanted) d += ch::days{step};
    value.iso = IsoDay(ch::year_month_day{d});
    return value;
  }
  const int year = static_cast<int>(published->year());
  auto valid = [&](int y) {
    return !day || (ch::year{y} / ch::month{static_cast<unsigned>(*month)} / ch::day{static_cast<unsigned>(*day)}).ok();
  };
  auto place = [&](int y) {
    return day ? ch::sys_days{ch::year{y} / ch::month{static_cast<unsigned>(*month)} / ch::day{static_cast<unsigned>(*day)}}
               : ch::sys_days{ch::year{y} / ch::month{static_cast<unsigned>(*month)} / 1};
  };
  const ch::sys_days this_month_start = ch::sys_days{published->year() / published->month() / 1};
  int y = year;
  if (rel == "this") {  // "this March": the one in the year of publication
  } else if (rel == "last" && !day && place(y) >= this_month_start) {
    --y;  // "last March", said in March, is a year ago
  } else if (rel == "next" && !day && place(y) <= this_month_start) {
    ++y;
  } else if (future && (day ? place(y) < now : place(y) < this_month_start)) {
    ++y;
  } else if (!future && (day ? place(y) > now : place(y) > this_month_start)) {
    --y;
  }
  for (int step = future ? 1 : -1, tries = 0; !valid(y) && tries < 8; ++tries) y += step;  // 29 February
  if (!valid(y)) return value;
  value.iso = day ? IsoDay(ch::year_month_day{place(y)}) : IsoMonth(ch::year{y} / ch::month{static_cast<unsigned>(*month)});
  return value;
}

// The calendar fields an absolute date's captures name, looked up once.
struct DateFields {
  std::optional<int> year, month, day, weekday, month2, day2;
};

// "03/04/2025": day first, unless US-dated or the numbers say otherwise.
void ReadNumericDate(const Candidate& c, const ValueContext& context, DateFields* f) {
  const int n1 = ToInt(Capture(c, kN1)).value_or(0);
  const int n2 = ToInt(Capture(c, kN2)).value_or(0);
  const bool us = context.article.lang == "en-US" || context.article.lang == "en-us" || context.article.lang == "en_US";
  const bool month_first = n1 > 12 ? false : n2 > 12 ? true : us;
  f->month = month_first ? n1 : n2;
  f->day = month_first ? n2 : n1;
}

Result<DateFields> ReadFields(const Candidate& c, const ValueContext& context) {
  const Rule& rule = *c.rule;
  DateFields f;
  f.year = Year(Capture(c, kYear));
  f.month = LookUpNumber(rule, "month", Capture(c, kMonth));
  f.day = ParseDay(Capture(c, kDay));
  f.weekday = LookUpNumber(rule, "weekday", Capture(c, kWeekday));
  f.month2 = LookUpNumber(rule, "month", Capture(c, kMonth2));
  f.day2 = ParseDay(Capture(c, kDay2));
  if (!Capture(c, kN1).empty()) ReadNumericDate(c, context, &f);
  if (f.month && (*f.month < 1 || *f.month > 12)) return Status::InvalidInput("no month " + std::to_string(*f.month));
  if (f.day && f.year && f.month) {
    const ch::year_month_day ymd{ch::year{*f.year}, ch::month{static_cast<unsigned>(*f.month)}, ch::day{static_cast<unsigned>(*f.day)}};
    if (!ymd.ok()) return Status::InvalidInput("no such day " + std::to_string(*f.day) + "/" + std::to_string(*f.month));
  }
  return f;
}

// The year of a period ("the first quarter of next year"): the written one, else the one
// its period word names.
std::optional<int> YearOfPeriod(const Candidate& c, std::optional<int> year, const std::optional<ch::year_month_day>& published) {
  if (year || Capture(c, kRel).empty() || !published) return year;
  const std::string rel = LookUpWord(*c.rule, "relative", Capture(c, kRel));
  return static_cast<int>(published->year()) + (rel == "next" ? 1 : rel == "last" || rel == "past" ? -1 : 0);
}

// The year of part `index` of a year split in parts (quarters, halves) written without
// one, `current` being the part of the publication date: anchored like a weekday.
int AnchoredPartYear(const Candidate& c, const ValueContext& context, const ch::year_month_day& published, int index, int current) {
  int y = static_cast<int>(published.year());
  const bool future = IsDeadline(c) || SpeaksOfFuture(c, context.sentence, TokensOf(context));
  if (future && index < current) ++y;
  if (!future && index > current) --y;
  return y;
}

Result<Period> QuarterDate(const Candidate& c, const ValueContext& context, const std::optional<ch::year_month_day>& published,
                              const DateFields& f) {
  // "the July-September quarter" names its quarter by its months, not by an ordinal.
  std::optional<int> quarter = LookUpNumber(*c.rule, "ordinal", Capture(c, kQuarter));
  if (!quarter && f.month) quarter = (*f.month - 1) / 3 + 1;
  if (!quarter || *quarter < 1 || *quarter > 4) return Status::InvalidInput("no quarter '" + std::string(Capture(c, kQuarter)) + "'");
  if (const std::optional<int> year = YearOfPeriod(c, f.year, published))
    return Period{IsoQuarter(*year, *quarter), "quarter", !Capture(c, kFiscal).empty()};
  if (!published) return Period{"", "quarter", false};
  return Period{IsoQuarter(AnchoredPartYear(c, context, *published, *quarter, QuarterOf(published->month())), *quarter), "quarter", false};
}

Result<Period> HalfDate(const Candidate& c, const ValueContext& context, const std::optional<ch::year_month_day>& published,
                           const DateFields& f) {
  const std::optional<int> half = LookUpNumber(*c.rule, "ordinal", Capture(c, kHalf));
  if (!half || *half < 1 || *half > 2) return Status::InvalidInput("no half '" + std::string(Capture(c, kHalf)) + "'");
  if (const std::optional<int> year = YearOfPeriod(c, f.year, published))
    return Period{Format("%04d-H%d", *year, *half), "half", !Capture(c, kFiscal).empty()};
  if (!published) return Period{"", "half", false};
  const int current = static_cast<unsigned>(published->month()) <= 6 ? 1 : 2;
  return Period{Format("%04d-H%d", AnchoredPartYear(c, context, *published, *half, current), *half), "half", false};
}

// "from January 2024 to March 2025"
Result<Period> MonthYearRange(const Candidate& c, const DateFields& f) {
  const std::optional<int> year2 = Year(Capture(c, kYear2));
  if (!year2 || *year2 * 12 + *f.month2 <= *f.year * 12 + *f.month) return Status::InvalidInput("range end is not after its start");
  return Period{Format("%04d-%02d", *f.year, *f.month) + "/" + Format("%04d-%02d", *year2, *f.month2), "range", false};
}

// The year of the start of a range of months or days without a year, anchored like
// the first of them alone; nullopt when it cannot be (no publication date).
std::optional<int> AnchoredRangeStart(const Candidate& c, const ValueContext& context, const std::optional<ch::year_month_day>& published,
                                      const DateFields& f, std::optional<int> day) {
  const Period first = Anchored(c, context, published, f.month, day, std::nullopt);
  if (first.iso.empty()) return std::nullopt;
  return ToInt(std::string_view(first.iso).substr(0, 4)).value_or(0);
}

// "from 30 November to 2 December [2025]": a year given at the end belongs to the end.
Result<Period> DayMonthRange(const Candidate& c, const ValueContext& context, const std::optional<ch::year_month_day>& published,
                                const DateFields& f) {
  const std::optional<int> y = f.year ? std::optional<int>(*f.month2 < *f.month ? *f.year - 1 : *f.year)
                                      : AnchoredRangeStart(c, context, published, f, f.day);
  if (!y) return Period{"", "range", false};
  const int y2 = *f.month2 < *f.month ? *y + 1 : *y;
  const std::string from = Format("%04d-%02d-%02d", *y, *f.month, *f.day);
  const std::string to = Format("%04d-%02d-%02d", y2, *f.month2, *f.day2);
  if (!ValidIsoDay(from) || !ValidIsoDay(to)) return Status::InvalidInput("no such day in " + from + "/" + to);
  return Period{from + "/" + to, "range", false};
}

// "2021-2027", "2021-27", "2025/26"
Result<Period> YearRange(const Candidate& c, const DateFields& f) {
  std::optional<int> year2 = ToInt(Capture(c, kYear2));
  if (!f.year || !year2) return Status::InvalidInput("bad year range");
  const bool short_form = Capture(c, kYear2).size() == 2;
  if (short_form) *year2 += *f.year / 100 * 100;
  if (*year2 <= *f.year) return Status::InvalidInput("range end is not after its start");
  // "2025-26": consecutive years written short are a fiscal (or academic) year.
  return Period{IsoYear(*f.year) + "/" + IsoYear(*year2), "range", short_form && *year2 == *f.year + 1};
}

// "3 March [2025]", "3-5 March [2025]"
Result<Period> DayDate(const Candidate& c, const ValueContext& context, const std::optional<ch::year_month_day>& published,
                          const DateFields& f) {
  if (f.day2 && *f.day2 <= *f.day) return Status::InvalidInput("range end is not after its start");
  if (!f.year) {
    Period first = Anchored(c, context, published, f.month, f.day, std::nullopt);
    if (!f.day2 || first.iso.empty()) return first;
    const std::string to = first.iso.substr(0, 8) + Format("%02d", *f.day2);
    if (!ValidIsoDay(to)) return Status::InvalidInput("no such day " + to);
    return Period{first.iso + "/" + to, "range", false};
  }
  std::string iso = Format("%04d-%02d-%02d", *f.year, *f.month, *f.day);
  if (!f.day2) return Period{iso, "day", false};
  const std::string to = Format("%04d-%02d-%02d", *f.year, *f.month, *f.day2);
  if (!ValidIsoDay(to)) return Status::InvalidInput("no such day " + to);
  return Period{iso + "/" + to, "range", false};
}

// "March [2025]", "between March and June [2025]" (a range wrapping the new year ends in
// the next).
Period MonthDate(const Candidate& c, const ValueContext& context, const std::optional<ch::year_month_day>& published,
                    const DateFields& f) {
  if (!f.month2) {
    if (!f.year) return Anchored(c, context, published, f.month, std::nullopt, std::nullopt);
    return Period{Format("%04d-%02d", *f.year, *f.month), "month", false};
  }
  const std::optional<int> y = f.year ? std::optional<int>(*f.month2 < *f.month ? *f.year - 1 : *f.year)
                                      : AnchoredRangeStart(c, context, published, f, std::nullopt);
  if (!y) return Period{"", "range", false};
  const int y2 = *f.month2 < *f.month ? *y + 1 : *y;
  return Period{Format("%04d-%02d", *y, *f.month) + "/" + Format("%04d-%02d", y2, *f.month2), "range", false};
}

Result<Period> Absolute(const Candidate& c, const ValueContext& context, const std::optional<ch::year_month_day>& published) {
  const Result<DateFields> fields = ReadFields(c, context);
  if (!fields.ok()) return fields.status();
  const DateFields& f = fields.value();
  if (!Capture(c, kDecade).empty()) {
    // "1980", or a short form the `decade` lexicon reads ("80" -> 1980)
    const int start = LookUpNumber(*c.rule, "decade", Capture(c, kDecade)).value_or(0);
    return Period{IsoYear(start) + "/" + IsoYear(start + 9), "decade", false};
  }
  if (!Capture(c, kQuarter).empty()) return QuarterDate(c, context, published, f);
  if (!Capture(c, kHalf).empty()) return HalfDate(c, context, published, f);
  if (f.month && f.month2 && f.year && !Capture(c, kYear2).empty()) return MonthYearRange(c, f);
  if (f.day && f.month && f.day2 && f.month2) return DayMonthRange(c, context, published, f);
  if (!Capture(c, kYear2).empty()) return YearRange(c, f);
  if (f.day && f.month) return DayDate(c, context, published, f);
  if (f.month) return MonthDate(c, context, published, f);
  if (f.weekday) return Anchored(c, context, published, std::nullopt, std::nullopt, f.weekday);
  if (f.year) return Period{IsoYear(*f.year), "year", !Capture(c, kFiscal).empty()};
  return Status::InvalidInput("no date in the captures");
}

Status ValidateDate(const Rule& rule) {
  if (rule.kind != Rule::Kind::kPattern) return Status::RuleError("date rules are patterns");
  return {};
}

Result<Value> BuildDate(const Candidate& c, const ValueContext& context) {
  const Rule& rule = *c.rule;
  const std::optional<ch::year_month_day> published = ParsePublished(context.article.published);
  Result<Period> date = [&]() -> Result<Period> {
    if (!Capture(c, kDeictic).empty()) {  // today, yesterday, tomorrow: a day offset
      const std::optional<int> offset = LookUpNumber(rule, "relative", Capture(c, kDeictic));
      if (!offset) return Status::InvalidInput("unknown day word '" + std::string(Capture(c, kDeictic)) + "'");
      if (!published) return Period{"", "day", false};
      return Period{IsoDay(ch::year_month_day{ch::sys_days{*published} + ch::days{*offset}}), "day", false};
    }
    if (!Capture(c, kUnit).empty()) return Relative(c, published);
    return Absolute(c, context, published);
  }();
  if (!date.ok()) return date.status();
  DateValue value;
  if (!date.value().iso.empty()) value.iso = std::move(date.value().iso);
  value.grain = std::move(date.value().grain);
  // A preposition's relation wins over a position in the period ("by the end of 2025").
  std::string mod = !Capture(c, kMod).empty() ? LookUpWord(rule, "anchor", Capture(c, kMod))
                                              : LookUpWord(rule, "position", Capture(c, kPos));
  if (!mod.empty()) value.mod = std::move(mod);
  value.fiscal = date.value().fiscal || !Capture(c, kFiscal).empty();
  const std::string rel = LookUpWord(rule, "relative", Capture(c, kRel));
  if (rel == "earlier" || rel == "later") {  // "a year earlier": from the date before it
    const std::optional<int> count = LookUpNumber(rule, "number_word", Capture(c, kCount));
    value.shift_from_previous = DateShift{LookUpWord(rule, "unit", Capture(c, kUnit)), (rel == "earlier" ? -1 : 1) * count.value_or(1)};
  }
  return Value(std::move(value));
}

// `iso` moved by `n` units, part by part ("2024-04/2025-03" by -1 year ->
// "2023-04/2024-03"); empty when a part has no field of that unit.
std::string ShiftIso(const std::string& iso, const std::string& unit, int n) {
  std::string out;
  size_t start = 0;
  while (start <= iso.size()) {
    size_t slash = iso.find('/', start);
    if (slash == std::string::npos) slash = iso.size();
    const std::string part = iso.substr(start, slash - start);
    const std::optional<int> year = ToInt(std::string_view(part).substr(0, 4));
    if (!year || part.size() < 4) return "";
    std::string shifted;
    if (unit == "year" || unit == "decade") {
      shifted = IsoYear(*year + n * (unit == "decade" ? 10 : 1)) + part.substr(4);
    } else if (unit == "month" && part.size() >= 7 && part[4] == '-' && part[5] != 'Q' && part[5] != 'H') {
      const ch::year_month ym = ch::year{*year} / ch::month{static_cast<unsigned>(ToInt(part.substr(5, 2)).value_or(1))} + ch::months{n};
      shifted = IsoMonth(ym) + part.substr(7);
    } else if ((unit == "day" || unit == "week") && part.size() == 10) {
      const ch::year_month_day d{ch::year{*year}, ch::month{static_cast<unsigned>(ToInt(part.substr(5, 2)).value_or(1))},
                                 ch::day{static_cast<unsigned>(ToInt(part.substr(8, 2)).value_or(1))}};
      shifted = IsoDay(ch::year_month_day{ch::sys_days{d} + ch::days{n * (unit == "week" ? 7 : 1)}});
    } else if (unit == "quarter" && part.size() == 7 && part[5] == 'Q') {
      const int index = *year * 4 + (part[6] - '1') + n;
      shifted = IsoQuarter(index / 4, index % 4 + 1);
    } else {
      return "";
    }
    // 31 March a month earlier is 28 February, not 31 February; 29 February a year later is 28.
    if (shifted.size() == 10 && !ValidIsoDay(shifted)) shifted = LastDayOf(shifted);
    out += (out.empty() ? "" : "/") + shifted;
    start = slash + 1;
  }
  return out;
}

}  // namespace

const ValueBuilder kDateValues{"date", kDateCaptures, ValidateDate, BuildDate};

void ResolveDateReferences(std::vector<Fact>* facts) {
  const DateValue* previous = nullptr;  // the last date with an iso, in text order
  for (Fact& fact : *facts) {
    DateValue* date = std::get_if<DateValue>(&fact.value);
    if (!date) continue;
    if (const std::optional<DateShift> shift = std::exchange(date->shift_from_previous, std::nullopt); shift && previous) {
      // A shift finer than the reference ("two months later" after "2019") cannot be
      // placed more precisely than the reference itself.
      const std::string shifted = ShiftIso(*previous->iso, shift->unit, shift->by);
      date->iso = shifted.empty() ? *previous->iso : shifted;
      date->grain = previous->grain;
    }
    if (date->iso) previous = date;
  }
}

}  // namespace factwire
