// Date values: a date candidate's captures become iso, grain and mod (README "Dates"),
// with the calendar arithmetic that relative and anchored dates need done on
// std::chrono's civil calendar.
#include <algorithm>
#include <cctype>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <optional>

#include "resolve/resolver.h"

namespace factwire {
namespace {

namespace ch = std::chrono;

enum DateCapture { kSpan, kYear, kYear2, kMonth, kMonth2, kDay, kDay2, kWeekday, kQuarter, kHalf, kDecade, kPos,
                   kMod, kRel, kUnit, kCount, kDeictic, kFiscal, kN1, kN2 };
constexpr std::string_view kDateCaptures[] = {"span", "year", "year2", "month", "month2", "day", "day2",
                                              "weekday", "quarter", "half", "decade", "pos", "mod", "rel",
                                              "unit", "count", "deictic", "fiscal", "n1", "n2"};

// A file may leave out the word lists it has no use for (the language-neutral rules
// know no month names): a missing one is empty.
const Lexicon& Lex(const Rule& rule, std::string_view name) {
  static const Lexicon kEmpty;
  auto it = rule.file->lexicons.find(name);
  return it == rule.file->lexicons.end() ? kEmpty : it->second;
}

std::optional<int> ToInt(std::string_view s) {
  int value = 0;
  auto [end, error] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (error != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return value;
}

// A lexicon value as a number ("March" -> 3), or the text itself as one ("11" -> 11).
std::optional<int> LookUpNumber(const Rule& rule, std::string_view lexicon, std::string_view text) {
  if (text.empty()) return std::nullopt;
  if (const LexiconEntry* entry = Lex(rule, lexicon).Find(text)) return ToInt(entry->value);
  return ToInt(text);
}

std::string LookUpWord(const Rule& rule, std::string_view lexicon, std::string_view text) {
  const LexiconEntry* entry = Lex(rule, lexicon).Find(text);
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

bool StartsWithAuxiliary(std::string_view text) {
  for (std::string_view verb : {"will ", "would ", "was ", "were ", "is ", "are ", "has ", "have ", "had ", "shall ",
                                "could ", "should ", "may ", "might ", "can ", "must "})
    if (text.substr(0, verb.size()) == verb) return true;
  return false;
}

// True when `text` holds an auxiliary, a relative pronoun or a common past or present
// verb form: a clause of its own.
bool HasVerb(std::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && !std::isalpha(static_cast<unsigned char>(text[i]))) ++i;
    size_t j = i;
    while (j < text.size() && std::isalpha(static_cast<unsigned char>(text[j]))) ++j;
    const std::string_view word = text.substr(i, j - i);
    if (StartsWithAuxiliary(std::string(word) + " ")) return true;
    for (std::string_view w : {"which", "who", "said", "says", "told", "announced", "added", "cut", "rose", "fell"})
      if (word == w) return true;
    if (word.size() > 3 && word.ends_with("ed")) return true;
    i = j;
  }
  return false;
}

// The clause of `sentence` around the candidate: tense is read there, so that in "told
// reporters on Monday that the deal will be signed" Monday stays in the past.
std::string_view ClauseAround(const Candidate& c, std::string_view sentence) {
  const std::string_view span = Capture(c, kSpan).empty() ? c.groups[0] : Capture(c, kSpan);
  if (sentence.empty() || span.data() < sentence.data() || span.data() > sentence.data() + sentence.size())
    return sentence;
  const size_t begin = static_cast<size_t>(span.data() - sentence.data());
  const size_t end = begin + span.size();
  size_t clause_begin = 0;
  size_t clause_end = sentence.size();
  for (std::string_view boundary : {" that ", "; ", ", ", " and ", " but ", " while ", " whereas ", " although ", " because "}) {
    // "and" joins clauses only before a verb ("appointed on Monday and will start"),
    // not in a list ("in October and November").
    auto is_boundary = [&](size_t at) {
      const std::string_view after = sentence.substr(at + boundary.size());
      if (boundary == " and ") return StartsWithAuxiliary(after);
      // A comma splits clauses only when a verb follows before the next comma ("the
      // budget, for 2028-2034, in July" is one clause).
      if (boundary == ", ") return HasVerb(after.substr(0, after.find_first_of(",;")));
      return true;
    };
    for (size_t before = sentence.rfind(boundary, begin); before != std::string_view::npos;
         before = before == 0 ? std::string_view::npos : sentence.rfind(boundary, before - 1)) {
      if (before + boundary.size() <= begin && is_boundary(before)) {
        clause_begin = std::max(clause_begin, before);
        break;
      }
    }
    for (size_t after = sentence.find(boundary, end); after != std::string_view::npos; after = sentence.find(boundary, after + 1)) {
      if (is_boundary(after)) {
        clause_end = std::min(clause_end, after);
        break;
      }
    }
  }
  return sentence.substr(clause_begin, clause_end - clause_begin);
}

bool IsWordChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }

// Words after "will" that show it is not the auxiliary ("political will at a summit").
bool FollowsAsNoun(std::string_view rest) {
  size_t start = 0;
  while (start < rest.size() && rest[start] == ' ') ++start;
  size_t end = start;
  while (end < rest.size() && IsWordChar(rest[end])) ++end;
  const std::string_view word = rest.substr(start, end - start);
  if (word.empty() || !std::islower(static_cast<unsigned char>(word[0]))) return true;
  for (std::string_view w : {"at", "of", "in", "on", "for", "and", "to", "the", "a", "an", "is", "was", "that"})
    if (word == w) return true;
  return false;
}

// True when a phrase of `lexicon` occurs in `text` as whole words (case-sensitive: the
// phrases are lower case, so "Will Marshall" is a name, not the future).
bool ContainsPhrase(const Rule& rule, std::string_view lexicon, std::string_view text) {
  for (const auto& entry : Lex(rule, lexicon).entries()) {
    const std::string& phrase = entry.surface;
    for (size_t at = text.find(phrase); at != std::string_view::npos; at = text.find(phrase, at + 1)) {
      // "'ll" is glued to its word ("board'll"); other phrases start a word.
      const bool starts = phrase[0] == '\'' || at == 0 || !IsWordChar(text[at - 1]);
      const size_t end = at + phrase.size();
      const bool ends = end == text.size() || !IsWordChar(text[end]);
      if (!starts || !ends) continue;
      const bool auxiliary = phrase == "will" || phrase == "shall" || phrase == "'ll";
      if (auxiliary && FollowsAsNoun(text.substr(end))) continue;
      return true;
    }
  }
  return false;
}

// Anchoring policy (README): look back from the publication date, unless the date's
// clause speaks of the future. A reporting verb before the date ("said on Monday it will
// cut jobs") keeps it in the past whatever follows.
bool SpeaksOfFuture(const Candidate& c, std::string_view sentence) {
  const std::string_view clause = ClauseAround(c, sentence);
  const std::string_view span = Capture(c, kSpan).empty() ? c.groups[0] : Capture(c, kSpan);
  if (span.data() >= clause.data() && span.data() <= clause.data() + clause.size()) {
    const std::string_view before = clause.substr(0, static_cast<size_t>(span.data() - clause.data()));
    if (ContainsPhrase(*c.rule, "reporting", before)) return false;
  }
  return ContainsPhrase(*c.rule, "future", clause);
}

// Deadlines ("by June", "until Friday") lie ahead.
bool IsDeadline(const Candidate& c) { return LookUpWord(*c.rule, "anchor", Capture(c, kMod)) == "by"; }

// A point or period in one unit of the calendar, for relative arithmetic.
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
  const std::string_view unit_text = Capture(c, kUnit);
  if (!counted && rel != "ending" && !unit_text.empty() && unit_text.back() == 's')  // "in the coming years"
    return Status::InvalidInput("'" + std::string(unit_text) + "' without a count is no date");
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
  const bool future = rel == "next" || (rel != "last" && (IsDeadline(c) || SpeaksOfFuture(c, context.sentence)));
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

Result<Period> Absolute(const Candidate& c, const ValueContext& context, const std::optional<ch::year_month_day>& published) {
  const Rule& rule = *c.rule;
  const std::optional<int> year = Year(Capture(c, kYear));
  std::optional<int> month = LookUpNumber(rule, "month", Capture(c, kMonth));
  std::optional<int> day = ParseDay(Capture(c, kDay));
  const std::optional<int> weekday = LookUpNumber(rule, "weekday", Capture(c, kWeekday));

  if (!Capture(c, kN1).empty()) {  // numeric: day first, unless US-dated or the numbers say otherwise
    const int n1 = ToInt(Capture(c, kN1)).value_or(0);
    const int n2 = ToInt(Capture(c, kN2)).value_or(0);
    const bool us = context.article.lang == "en-US" || context.article.lang == "en-us" || context.article.lang == "en_US";
    const bool month_first = n1 > 12 ? false : n2 > 12 ? true : us;
    month = month_first ? n1 : n2;
    day = month_first ? n2 : n1;
  }
  if (month && (*month < 1 || *month > 12)) return Status::InvalidInput("no month " + std::to_string(*month));
  if (day && year && month) {
    const ch::year_month_day ymd{ch::year{*year}, ch::month{static_cast<unsigned>(*month)}, ch::day{static_cast<unsigned>(*day)}};
    if (!ymd.ok()) return Status::InvalidInput("no such day " + std::to_string(*day) + "/" + std::to_string(*month));
  }

  // "the first quarter of next year": the year from a period word.
  std::optional<int> year_of = year;
  if (!year && !Capture(c, kRel).empty() && published) {
    const std::string rel = LookUpWord(rule, "relative", Capture(c, kRel));
    year_of = static_cast<int>(published->year()) + (rel == "next" ? 1 : rel == "last" || rel == "past" ? -1 : 0);
  }
  if (!Capture(c, kDecade).empty()) {
    const int start = ToInt(Capture(c, kDecade)).value_or(0);
    return Period{IsoYear(start) + "/" + IsoYear(start + 9), "decade", false};
  }
  if (!Capture(c, kQuarter).empty()) {
    // "the July-September quarter" names its quarter by its months.
    std::optional<int> quarter = Capture(c, kQuarter) == "quarter" && month ? std::optional<int>((*month - 1) / 3 + 1)
                                                                        : LookUpNumber(rule, "ordinal", Capture(c, kQuarter));
    if (!quarter || *quarter < 1 || *quarter > 4) return Status::InvalidInput("no quarter '" + std::string(Capture(c, kQuarter)) + "'");
    if (year_of) return Period{IsoQuarter(*year_of, *quarter), "quarter", !Capture(c, kFiscal).empty()};
    if (!published) return Period{"", "quarter", false};
    int y = static_cast<int>(published->year());
    const int current = QuarterOf(published->month());
    const bool future = IsDeadline(c) || SpeaksOfFuture(c, context.sentence);
    if (future && *quarter < current) ++y;
    if (!future && *quarter > current) --y;
    return Period{IsoQuarter(y, *quarter), "quarter", false};
  }
  if (!Capture(c, kHalf).empty()) {
    const std::optional<int> half = LookUpNumber(rule, "ordinal", Capture(c, kHalf));
    if (!half || *half < 1 || *half > 2) return Status::InvalidInput("no half '" + std::string(Capture(c, kHalf)) + "'");
    if (year_of) return Period{Format("%04d-H%d", *year_of, *half), "half", !Capture(c, kFiscal).empty()};
    if (!published) return Period{"", "half", false};
    int y = static_cast<int>(published->year());  // anchored like a quarter
    const int current = static_cast<unsigned>(published->month()) <= 6 ? 1 : 2;
    const bool future = IsDeadline(c) || SpeaksOfFuture(c, context.sentence);
    if (future && *half < current) ++y;
    if (!future && *half > current) --y;
    return Period{Format("%04d-H%d", y, *half), "half", false};
  }

  const std::optional<int> month2 = LookUpNumber(rule, "month", Capture(c, kMonth2));
  const std::optional<int> day2 = ParseDay(Capture(c, kDay2));
  if (month && month2 && year && !Capture(c, kYear2).empty()) {  // from January 2024 to March 2025
    const std::optional<int> year2 = Year(Capture(c, kYear2));
    if (!year2 || *year2 * 12 + *month2 <= *year * 12 + *month) return Status::InvalidInput("range end is not after its start");
    return Period{Format("%04d-%02d", *year, *month) + "/" + Format("%04d-%02d", *year2, *month2), "range", false};
  }
  if (day && month && day2 && month2) {  // from 30 November to 2 December [2025]
    Period first{"", "range", false};
    int y = 0;
    if (year) {
      y = *month2 < *month ? *year - 1 : *year;  // a year given at the end belongs to the end
    } else {
      first = Anchored(c, context, published, month, day, std::nullopt);
      if (first.iso.empty()) return Period{"", "range", false};
      y = ToInt(std::string_view(first.iso).substr(0, 4)).value_or(0);
    }
    const int y2 = *month2 < *month ? y + 1 : y;
    const std::string from = Format("%04d-%02d-%02d", y, *month, *day);
    const std::string to = Format("%04d-%02d-%02d", y2, *month2, *day2);
    if (!ValidIsoDay(from) || !ValidIsoDay(to)) return Status::InvalidInput("no such day in " + from + "/" + to);
    return Period{from + "/" + to, "range", false};
  }
  if (!Capture(c, kYear2).empty()) {  // 2021-2027, 2021-27, 2025/26
    std::optional<int> year2 = ToInt(Capture(c, kYear2));
    if (!year || !year2) return Status::InvalidInput("bad year range");
    const bool short_form = Capture(c, kYear2).size() == 2;
    if (short_form) *year2 += *year / 100 * 100;
    if (*year2 <= *year) return Status::InvalidInput("range end is not after its start");
    // "2025-26": consecutive years written short are a fiscal (or academic) year.
    return Period{IsoYear(*year) + "/" + IsoYear(*year2), "range", short_form && *year2 == *year + 1};
  }
  if (day && month) {
    if (day2 && *day2 <= *day) return Status::InvalidInput("range end is not after its start");
    if (!year) {
      Period first = Anchored(c, context, published, month, day, std::nullopt);
      if (!day2 || first.iso.empty()) return first;
      const std::string to = first.iso.substr(0, 8) + Format("%02d", *day2);
      if (!ValidIsoDay(to)) return Status::InvalidInput("no such day " + to);
      return Period{first.iso + "/" + to, "range", false};
    }
    std::string iso = Format("%04d-%02d-%02d", *year, *month, *day);
    if (day2) {
      const std::string to = Format("%04d-%02d-%02d", *year, *month, *day2);
      if (!ValidIsoDay(to)) return Status::InvalidInput("no such day " + to);
      return Period{iso + "/" + to, "range", false};
    }
    return Period{iso, "day", false};
  }
  if (month) {
    if (month2) {  // between March and June [2025]; a range wrapping the new year ends in the next
      int y = year ? (*month2 < *month ? *year - 1 : *year) : 0;
      if (!year) {
        const Period first = Anchored(c, context, published, month, std::nullopt, std::nullopt);
        if (first.iso.empty()) return Period{"", "range", false};
        y = ToInt(std::string_view(first.iso).substr(0, 4)).value_or(0);
      }
      const int y2 = *month2 < *month ? y + 1 : y;
      return Period{Format("%04d-%02d", y, *month) + "/" + Format("%04d-%02d", y2, *month2), "range", false};
    }
    if (!year) return Anchored(c, context, published, month, std::nullopt, std::nullopt);
    return Period{Format("%04d-%02d", *year, *month), "month", false};
  }
  if (weekday) return Anchored(c, context, published, std::nullopt, std::nullopt, weekday);
  if (year) return Period{IsoYear(*year), "year", !Capture(c, kFiscal).empty()};
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
