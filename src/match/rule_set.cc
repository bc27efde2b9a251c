// The matching runtime: a language's patterns compiled once on first use (RE2::Sets of
// a few rules of one fact type, and the rules they pick), then candidates for a text;
// the guards of gazetteer hits and given names run on over their surnames. Loading is in
// rule_loader.cc.
#include <re2/re2.h>
#include <re2/set.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <functional>
#include <thread>
#include <tuple>
#include <unordered_map>
#include <unicode/uchar.h>

#include "base/utf8.h"
#include "match/matcher.h"
#include "match/rule_set_internal.h"

namespace factwire {

Rule::~Rule() = default;
RuleSet::~RuleSet() = default;

RE2::Options RegexOptions(const RuleSetOptions& options) {
  RE2::Options re_options;
  re_options.set_log_errors(false);
  re_options.set_max_mem(options.max_regex_memory);
  return re_options;
}

// Runs work(i) for i in [0, count) on every core.
void ParallelFor(size_t count, const std::function<void(size_t)>& work) {
  std::atomic<size_t> next{0};
  auto loop = [&] {
    for (size_t i; (i = next.fetch_add(1)) < count;) work(i);
  };
  const size_t threads = std::min<size_t>(count, std::max(1u, std::thread::hardware_concurrency()));
  std::vector<std::thread> helpers;
  for (size_t t = 1; t < threads; ++t) helpers.emplace_back(loop);
  loop();
  for (std::thread& helper : helpers) helper.join();
}

namespace {

bool IsCapitalisedWord(std::string_view text, const Token& token) {
  Utf8Cursor cursor(text.substr(0, token.end), token.begin);
  return u_isupper(cursor.Next()) && cursor.offset() < token.end;
}

// True when token `i` starts a sentence: first in the text, after . ! ? : or a quote,
// or first on its line.
bool StartsSentence(std::string_view text, const std::vector<Token>& tokens, size_t i) {
  if (i == 0) return true;
  const Token& previous = tokens[i - 1];
  if (text.substr(previous.end, tokens[i].begin - previous.end).find('\n') != std::string_view::npos) return true;
  const char p = text[previous.begin];
  return previous.end - previous.begin == 1 && (p == '.' || p == '!' || p == '?' || p == ':' || p == '"');
}

// True when token `i` stands in a headline: a line of four or more words, four in five
// of them capitalised ("Jordan Signs Gas Deal With Israel").
bool InTitleCaseLine(std::string_view text, const std::vector<Token>& tokens, size_t i, size_t line_begin) {
  size_t line_end = text.find('\n', tokens[i].end);
  if (line_end == std::string_view::npos) line_end = text.size();
  size_t words = 0;
  size_t capitalised = 0;
  auto k = std::lower_bound(tokens.begin(), tokens.end(), line_begin,
                            [](const Token& t, size_t offset) { return t.begin < offset; });
  for (; k != tokens.end() && k->end <= line_end; ++k) {
    const auto c = static_cast<unsigned char>(text[k->begin]);
    if (!std::isalpha(c)) continue;
    ++words;
    capitalised += std::isupper(c) != 0;
  }
  return words >= 4 && capitalised * 10 >= words * 8;
}

// Guard kPersonName: "Jordan Smith", "Chad Miller" and "Michael Jordan" are people.
// `headline_lines` caches InTitleCaseLine per line start, so a long line full of hits
// is scanned once.
// Line starts of a text, found once, so a line is found by binary search.
struct LineIndex {
  explicit LineIndex(std::string_view text) {
    for (size_t i = text.find('\n'); i != std::string_view::npos; i = text.find('\n', i + 1)) starts.push_back(i + 1);
  }
  size_t LineStart(size_t offset) const {
    auto it = std::upper_bound(starts.begin(), starts.end(), offset);
    return it == starts.begin() ? 0 : *(it - 1);
  }
  std::vector<size_t> starts;
};

bool LooksLikePersonName(std::string_view text, const std::vector<Token>& tokens, size_t first, size_t end,
                         const LineIndex& lines, std::unordered_map<size_t, bool>* headline_lines) {
  const size_t line = lines.LineStart(tokens[first].begin);
  auto cached = headline_lines->find(line);
  if (cached == headline_lines->end()) cached = headline_lines->emplace(line, InTitleCaseLine(text, tokens, first, line)).first;
  if (cached->second) return false;  // everything is capitalised there
  if (end < tokens.size() && IsCapitalisedWord(text, tokens[end]) &&
      !StartsSentence(text, tokens, end))
    return true;
  return first > 0 && IsCapitalisedWord(text, tokens[first - 1]) && !StartsSentence(text, tokens, first - 1);
}



// Whether token `i` follows token i - 1 after exactly one space: a name's words do.
bool AfterSpace(std::string_view text, const std::vector<Token>& tokens, size_t i) {
  return i > 0 && i < tokens.size() && tokens[i].begin == tokens[i - 1].end + 1 && text[tokens[i - 1].end] == ' ';
}
bool Adjacent(const std::vector<Token>& tokens, size_t i) {
  return i > 0 && i < tokens.size() && tokens[i].begin == tokens[i - 1].end;
}
bool IsMark(std::string_view text, const Token& token, char mark) {
  return token.end == token.begin + 1 && text[token.begin] == mark;
}

std::string_view TextOf(std::string_view text, const Token& token) {
  return text.substr(token.begin, token.end - token.begin);
}

// A capitalised word of letters, not all capitals, that may be part of a name: "Barra",
// "McCain", "Đỗ"; not "OS" ("Mac OS").
bool IsNameWord(std::string_view text, const Token& token) {
  const std::string_view word = TextOf(text, token);
  if (word.size() < 2 || !IsCapitalisedWord(text, token)) return false;
  bool lower = false;
  for (Utf8Cursor cursor(word); !cursor.done();) {
    const UChar32 c = cursor.Next();
    if (u_isdigit(c)) return false;
    lower |= u_islower(c) != 0;
  }
  return lower;
}

// A token of one capital letter: "R" of "R.", "O" of "O'Brien".
bool IsCapitalLetter(std::string_view text, const Token& token) {
  Utf8Cursor cursor(TextOf(text, token));
  return u_isupper(cursor.Next()) && cursor.done();
}

// Where the name word at token `i` ends: past its hyphenated parts ("Perez-Guerra") and
// an initial's apostrophe ("O'Brien"); 0 when no name word stands there.
size_t NameWordEnd(std::string_view text, const std::vector<Token>& tokens, size_t i) {
  if (i + 2 < tokens.size() && IsCapitalLetter(text, tokens[i]) && IsMark(text, tokens[i + 1], '\'') &&
      Adjacent(tokens, i + 1) && Adjacent(tokens, i + 2))
    i += 2;  // "O'Brien"
  if (i >= tokens.size() || !IsNameWord(text, tokens[i])) return 0;
  ++i;
  while (i + 1 < tokens.size() && IsMark(text, tokens[i], '-') && Adjacent(tokens, i) && Adjacent(tokens, i + 1) &&
         IsNameWord(text, tokens[i + 1]))
    i += 2;
  return i;
}

// Whether tokens i, i + 1 are a middle initial: "R." in "Michael R. Golden".
bool IsMiddleInitial(std::string_view text, const std::vector<Token>& tokens, size_t i) {
  return i + 1 < tokens.size() && IsCapitalLetter(text, tokens[i]) && IsMark(text, tokens[i + 1], '.') &&
         Adjacent(tokens, i + 1);
}

// Whether the word before a given name makes it no person's (the file's
// `not_before_given_name` lexicon: "the Ford Taurus").
bool AfterNonNameWord(std::string_view text, const std::vector<Token>& tokens, size_t first, const RuleFile& file) {
  auto words = file.lexicons.find("not_before_given_name");
  return words != file.lexicons.end() && AfterSpace(text, tokens, first) && words->second.Find(TextOf(text, tokens[first - 1]));
}

// Past the lower-case name particles from token `i` on (the file's `name_particle`
// lexicon: "von der", "da").
size_t PastParticles(std::string_view text, const std::vector<Token>& tokens, size_t i, const RuleFile& file) {
  auto particles = file.lexicons.find("name_particle");
  while (particles != file.lexicons.end() && AfterSpace(text, tokens, i) && particles->second.Find(TextOf(text, tokens[i])))
    ++i;
  return i;
}

bool StartsWithDigit(std::string_view text, const Token& token) {
  return std::isdigit(static_cast<unsigned char>(text[token.begin])) != 0;
}

// A score or a result at token i: "7-6", "4-1" ("Carlos Alcaraz 7-6 7-5" is a player,
// "Garuda Indonesia Flight 200" no person).
bool IsScore(std::string_view text, const std::vector<Token>& tokens, size_t i) {
  return i + 2 < tokens.size() && IsMark(text, tokens[i + 1], '-') && Adjacent(tokens, i + 1) &&
         Adjacent(tokens, i + 2) && StartsWithDigit(text, tokens[i + 2]);
}

// For a given name at tokens [first, end): the token after the surname that completes
// it, or 0. Between them may stand a middle initial ("R.") or a middle name, and
// particles ("Ursula von der Leyen", "Mary Ann van Dyke"). A name that goes on
// capitalised is a longer run, no person ("Leonardo Improved Supercomputing
// Architecture"), and so is one after a hyphen ("Rolls-Royce Trent") or before a number
// ("Garuda Indonesia Flight 200").
size_t SurnameEnd(std::string_view text, const std::vector<Token>& tokens, size_t first, size_t end,
                  const RuleFile& file) {
  if (first > 0 && IsMark(text, tokens[first - 1], '-') && Adjacent(tokens, first)) return 0;
  if (AfterNonNameWord(text, tokens, first, file)) return 0;
  size_t i = end;
  const bool initial = AfterSpace(text, tokens, i) && IsMiddleInitial(text, tokens, i);
  if (initial) i += 2;
  i = PastParticles(text, tokens, i, file);
  size_t next = AfterSpace(text, tokens, i) ? NameWordEnd(text, tokens, i) : 0;
  if (next == 0) return 0;
  if (!initial) {  // a middle name before the surname: "Anna Maria Bernini"
    const size_t after = PastParticles(text, tokens, next, file);
    if (const size_t surname = AfterSpace(text, tokens, after) ? NameWordEnd(text, tokens, after) : 0) next = surname;
  }
  const bool runs_on = AfterSpace(text, tokens, next) && NameWordEnd(text, tokens, next) != 0;
  const bool number_after = AfterSpace(text, tokens, next) && StartsWithDigit(text, tokens[next]) && !IsScore(text, tokens, next);
  return runs_on || number_after ? 0 : next;
}

// Guard kCommonWord: "Mark" is a name after a lower-case word or a comma on its line
// ("named Mark Papermaster"), not opening a sentence, a line or a headline ("Mark Your
// Calendar").
bool AfterLowerCaseWordOrComma(std::string_view text, const std::vector<Token>& tokens, size_t first) {
  if (!AfterSpace(text, tokens, first)) return false;
  const Token& previous = tokens[first - 1];
  if (IsMark(text, previous, ',')) return true;
  return u_islower(Utf8Cursor(TextOf(text, previous)).Next()) != 0;
}

// Whether token `i` stands on a line that ends without a sentence's closing mark: a
// headline or title ("Ford Taurus to be revived"), where any word may be capitalised.
bool InHeadline(std::string_view text, const LineIndex& lines, size_t i, const std::vector<Token>& tokens) {
  const size_t begin = lines.LineStart(tokens[i].begin);
  std::string_view line = text.substr(begin, text.find('\n', tokens[i].end) - begin);
  while (!line.empty() && (line.back() == ' ' || line.back() == '\t' || line.back() == '\r')) line.remove_suffix(1);
  for (std::string_view close : {".", "!", "?", ":", ";", "\"", "'", ")", "”", "’", "»"})
    if (line.ends_with(close)) return false;
  return true;
}

// Whether no capitalised word of tokens [first, end) (the rest of a name after its given
// name) is a common word of the file's `common_word` word set; false without one.
bool NoCommonWordAfter(std::string_view text, const std::vector<Token>& tokens, size_t first, size_t end,
                       const RuleFile& file) {
  auto common = file.word_sets.find("common_word");
  if (common == file.word_sets.end()) return false;
  for (size_t i = first; i < end; ++i)
    if (IsNameWord(text, tokens[i]) && common->second.Contains(TextOf(text, tokens[i]))) return false;
  return true;
}

}  // namespace

Status RuleSet::Prepare(std::string_view lang) const {
  auto found = languages_.find(lang);
  if (found == languages_.end()) return {};
  Language& language = *found->second;
  if (Status s = EnsureLoaded(language); !s.ok()) return s;
  std::call_once(language.compile_once, [&] { language.compiled = CompileLanguage(&language); });
  return language.compiled;
}

Status RuleSet::CompileLanguage(Language* language) const {
  const RE2::Options re_options = RegexOptions(options_);
  for (const Rule* rule : language->rules)
    if (rule->kind == Rule::Kind::kPattern) language->pattern_rules.push_back(rule);
  // The prefilter is read from its cache (or compiled) beside RE2's compiles, as one more
  // task; should RE2 drop a rule (rare), it is built again without that rule.
  std::vector<bool> prefiltered(language->pattern_rules.size(), false);
  std::vector<PendingRegex>& pending = language->pending;
  std::vector<std::unique_ptr<RE2>> compiled(pending.size());
  ParallelFor(pending.size() + 1, [&](size_t i) {
    if (i == 0) {
      if (options_.prefilter) BuildPrefilter(language, &prefiltered);
      return;
    }
    compiled[i - 1] = std::make_unique<RE2>(pending[i - 1].pattern, re_options);
  });
  // A pattern was parsed at load, so it fails here only as a program too large for
  // max_regex_memory: that rule is dropped, the language runs without it.
  std::set<const Rule*> dropped;
  std::string dropped_messages;
  for (size_t i = 0; i < pending.size(); ++i) {
    Rule* r = pending[i].rule;
    if (!compiled[i]->ok()) {
      dropped.insert(r);
      dropped_messages += std::string(dropped_messages.empty() ? "" : "; ") + r->file->path + ":" +
                          std::to_string(pending[i].line) + ": rule " + r->id + " dropped: RE2 cannot compile " +
                          RulePartName(pending[i].part) + ": " + compiled[i]->error();
      continue;
    }
    switch (pending[i].part) {
      case RulePart::kPattern: r->regex = std::move(compiled[i]); break;
      case RulePart::kNotFollowedBy: r->not_followed_by = std::move(compiled[i]); break;
      case RulePart::kNotContaining: r->not_containing = std::move(compiled[i]); break;
    }
  }
  pending.clear();
  if (!dropped.empty()) {
    std::erase_if(language->pattern_rules, [&](const Rule* rule) { return dropped.count(rule) > 0; });
    language->prefilter.reset();
    language->matcher_notes.clear();  // the prefilter's, said again
    prefiltered.assign(language->pattern_rules.size(), false);
    if (options_.prefilter) BuildPrefilter(language, &prefiltered);
  }
  // The rest: one RE2::Set per type and run of kRulesPerSet rules. A Set's DFA grows
  // faster than its patterns, so a few small Sets scan a paragraph in fewer instructions
  // than one large one (callgrind, 2 MB of novel English: 8 rules per Set 6.46 G, 4
  // 6.53 G, 12 6.50 G, a Set per type 6.79 G; one Set for every type runs out of DFA memory).
  constexpr size_t kRulesPerSet = 8;
  std::map<std::pair<std::string_view, size_t>, size_t> set_of;  // (type, run) -> index in sets
  std::map<std::string_view, size_t> rules_of_type;
  for (size_t index = 0; index < language->pattern_rules.size(); ++index) {
    if (prefiltered[index]) continue;
    const Rule* rule = language->pattern_rules[index];
    const size_t run = rules_of_type[rule->type()]++ / kRulesPerSet;
    auto [it, added] = set_of.emplace(std::make_pair(rule->type(), run), language->sets.size());
    if (added) language->sets.push_back({std::make_unique<RE2::Set>(re_options, RE2::UNANCHORED), {}});
    Language::TypeSet& type_set = language->sets[it->second];
    std::string error;
    if (type_set.set->Add(rule->pattern, &error) < 0) {  // RE2 alone took it: should not happen
      dropped_messages += std::string(dropped_messages.empty() ? "" : "; ") + rule->where() + ": rule " + rule->id +
                          " dropped: RE2::Set rejects the pattern: " + error;
      continue;
    }
    type_set.rules.push_back(index);
  }
  ParallelFor(language->sets.size(), [&](size_t i) { language->sets[i].compiled = language->sets[i].set->Compile(); });
  for (const Language::TypeSet& type_set : language->sets)
    if (!type_set.compiled)
      language->matcher_notes.push_back(type_set.rules.empty() ? "an empty RE2::Set" :
                                        language->pattern_rules[type_set.rules.front()]->where() +
                                        ": an RE2::Set failed to compile (out of memory?): its " +
                                        std::to_string(type_set.rules.size()) + " rules scan every line");
  if (!dropped_messages.empty()) return Status::RuleError(dropped_messages);
  return {};
}

void RuleSet::BuildPrefilter(Language* language, std::vector<bool>* prefiltered) const {
  std::vector<std::string> patterns;
  for (const Rule* rule : language->pattern_rules) patterns.push_back(rule->pattern);
  std::vector<Prefilter::Rejected> rejected;
  Prefilter::Report report;
  Result<std::unique_ptr<Prefilter>> built = Prefilter::Build(patterns, {options_.cache_dir}, &rejected, &report);
  const std::string& lang = language->pattern_rules.empty() ? std::string() : language->pattern_rules.front()->file->lang;
  if (!built.ok()) {  // RE2::Sets do it all, as with the prefilter off
    language->matcher_notes.push_back(lang + ": no prefilter, RE2 alone: " + built.status().message());
    return;
  }
  language->prefilter = std::move(built.value());
  prefiltered->assign(patterns.size(), true);
  for (const Prefilter::Rejected& entry : rejected) {
    (*prefiltered)[entry.pattern] = false;
    const Rule& rule = *language->pattern_rules[entry.pattern];
    language->matcher_notes.push_back(rule.where() + ": rule " + rule.id + ": RE2 alone (the prefilter cannot take it: " +
                                      entry.reason + ")");
  }
  if (!report.cache_note.empty()) language->matcher_notes.push_back(lang + ": prefilter cache " + report.cache_note);
}

std::vector<std::string> RuleSet::MatcherNotes() const {
  std::vector<std::string> notes;
  {
    std::lock_guard<std::mutex> lock(merge_mutex_);  // a language read on first use may add to them
    notes = load_notes_;
  }
  for (const auto& [lang, language] : languages_) notes.insert(notes.end(), language->matcher_notes.begin(), language->matcher_notes.end());
  return notes;
}

Status RuleSet::PrepareAll() const {
  for (const auto& [lang, language] : languages_)
    if (Status s = Prepare(lang); !s.ok()) return s;
  return {};
}

Status RuleSet::LoadAll() const {
  for (const auto& [lang, language] : languages_)
    if (Status s = EnsureLoaded(*language); !s.ok()) return s;
  return {};
}

bool RuleSet::HasLanguage(std::string_view lang) const {
  auto found = languages_.find(lang);
  return found != languages_.end() && found->second->has_facts;
}

std::vector<std::string> RuleSet::Languages() const {
  std::vector<std::string> out;
  for (const auto& [lang, language] : languages_)
    if (language->has_facts) out.push_back(lang);
  return out;
}

bool RuleSet::HasType(std::string_view type) const { return types_.find(type) != types_.end(); }

const std::vector<std::string>& RuleSet::Abbreviations(std::string_view lang) const {
  static const std::vector<std::string> kNone;
  auto it = abbreviations_.find(lang);
  return it == abbreviations_.end() ? kNone : it->second;
}


namespace {

// Appends every match of `rule` within text[begin, end) (the whole text is the context
// for \b and the like) as a candidate. A block rule without a span builds no value, so
// it takes only its match: RE2 then skips the submatch search, most of a match's cost.
void MatchRule(std::string_view text, size_t begin, size_t end, const Rule& rule,
               std::vector<re2::StringPiece>* groups, std::vector<Candidate>* out) {
  const bool match_only = rule.block && rule.span_group == 0;
  groups->assign(match_only ? 1 : static_cast<size_t>(rule.regex->NumberOfCapturingGroups()) + 1, {});
  size_t position = begin;
  while (position <= end &&
         rule.regex->Match(text, position, end, RE2::UNANCHORED, groups->data(), static_cast<int>(groups->size()))) {
    const size_t match_begin = static_cast<size_t>((*groups)[0].data() - text.data());
    const size_t match_end = match_begin + (*groups)[0].size();
    if (match_end == match_begin) {  // an empty match says nothing; step past it
      position = match_begin + 1;
      continue;
    }
    Candidate candidate;
    candidate.begin = static_cast<uint32_t>(match_begin);
    candidate.end = static_cast<uint32_t>(match_end);
    if (rule.span_group > 0 && (*groups)[static_cast<size_t>(rule.span_group)].data() != nullptr) {
      // The fact is the (?P<span>...) part; the rest of the match is context ("by").
      const re2::StringPiece& span = (*groups)[static_cast<size_t>(rule.span_group)];
      candidate.begin = static_cast<uint32_t>(span.data() - text.data());
      candidate.end = static_cast<uint32_t>(candidate.begin + span.size());
    }
    candidate.rule = &rule;
    candidate.groups.reserve(groups->size());
    for (const auto& g : *groups) candidate.groups.emplace_back(g.data(), g.size());
    if (rule.not_followed_by && rule.not_followed_by->Match(text, match_end, text.size(), RE2::ANCHOR_START, nullptr, 0))
      candidate.drop = "not_followed_by matched after the match";
    else if (rule.not_containing &&
             rule.not_containing->Match(text, candidate.begin, candidate.end, RE2::UNANCHORED, nullptr, 0))
      candidate.drop = "not_containing matched inside the fact";
    out->push_back(std::move(candidate));
    position = match_end;
  }
}

// Where RuleSet::Match cuts the text into lines: line breaks end sentences, so no fact
// crosses one, and a rule found in one paragraph then scans that paragraph, not the
// whole text. Each line but the first starts at its line break, for rules that look at
// what precedes.
std::vector<size_t> LineStarts(std::string_view text) {
  std::vector<size_t> starts = {0};
  for (size_t at = text.find('\n', 1); at != std::string_view::npos; at = text.find('\n', at + 1)) starts.push_back(at);
  return starts;
}

// The line holding byte `offset`.
uint32_t LineOf(const std::vector<size_t>& lines, size_t offset) {
  return static_cast<uint32_t>(std::upper_bound(lines.begin(), lines.end(), offset) - lines.begin() - 1);
}

}  // namespace

// Appends each (line, rule) where a pattern rule may match, once, sorted: rule order
// within a line is the order candidates are made in. The prefilter also says where the
// last match can end, so RE2 need not read the rest of the line, and, for a rule whose
// matches are at most so long, where the first can start, so RE2 need not read the line
// before that either.
void RuleSet::FindFiringRules(const Language& language, std::string_view text, const std::vector<size_t>& lines,
                              std::vector<Firing>* fired) const {
  auto line_end = [&](uint32_t line) { return line + 1 < lines.size() ? lines[line + 1] : text.size(); };
  if (language.prefilter) {
    const Prefilter& prefilter = *language.prefilter;
    const bool scanned = prefilter.Scan(text, [&](size_t rule, size_t end) {
      if (end == 0) return;
      const uint32_t line = LineOf(lines, end - 1);
      const size_t width = prefilter.MaxWidth(rule);
      const size_t begin = width == Prefilter::kUnbounded || end - lines[line] <= width ? lines[line] : end - width;
      fired->push_back({line, static_cast<uint32_t>(rule), begin, end});
    });
    if (!scanned)  // nothing lost: every rule the prefilter holds scans every line
      for (uint32_t line = 0; line < lines.size(); ++line)
        for (uint32_t rule = 0; rule < language.pattern_rules.size(); ++rule)
          fired->push_back({line, rule, lines[line], line_end(line)});
  }
  std::vector<int> in_set;
  for (uint32_t line = 0; line < lines.size() && !language.sets.empty(); ++line) {
    const std::string_view piece = text.substr(lines[line], line_end(line) - lines[line]);
    for (const Language::TypeSet& type_set : language.sets) {
      in_set.clear();
      RE2::Set::ErrorInfo error{};
      if (type_set.compiled && type_set.set->Match(piece, &in_set, &error)) {
        for (int index : in_set) {
          const auto rule = static_cast<uint32_t>(type_set.rules[static_cast<size_t>(index)]);
          fired->push_back({line, rule, lines[line], line_end(line)});
        }
      } else if (!type_set.compiled || error.kind != RE2::Set::kNoError) {
        // The Set did not compile, or its DFA ran out of memory (RE2 checks at Compile
        // that it can run, so this is a last resort): it cannot say which rules fire,
        // so all of them scan the line, slower but with nothing lost.
        for (size_t index : type_set.rules)
          fired->push_back({line, static_cast<uint32_t>(index), lines[line], line_end(line)});
      }
    }
  }
  // By line and rule, the furthest end first; then one per line and rule, reading from
  // the earliest begin to the furthest end.
  std::sort(fired->begin(), fired->end(), [](const Firing& a, const Firing& b) {
    return std::tie(a.line, a.rule, b.end) < std::tie(b.line, b.rule, a.end);
  });
  size_t kept = 0;
  for (const Firing& firing : *fired) {
    Firing* last = kept > 0 ? &(*fired)[kept - 1] : nullptr;
    if (last && last->line == firing.line && last->rule == firing.rule)
      last->begin = std::min(last->begin, firing.begin);
    else
      (*fired)[kept++] = firing;
  }
  fired->resize(kept);
}

void RuleSet::Match(std::string_view text, std::string_view lang, std::vector<Candidate>* out,
                    std::vector<Token>* tokens_out) const {
  std::vector<Token> own_tokens;
  std::vector<Token>& tokens = tokens_out ? *tokens_out : own_tokens;
  tokens.clear();
  if (tokens_out) tokens = Tokenise(text);
  auto found = languages_.find(lang);
  if (found == languages_.end()) return;
  Language& language = *found->second;
  if (!EnsureLoaded(language).ok()) return;  // a language that could not be read matches nothing
  Prepare(lang);  // whatever else it reports (a rule dropped), the rules that compiled run
  std::vector<Firing> fired;
  const std::vector<size_t> line_starts = LineStarts(text);
  FindFiringRules(language, text, line_starts, &fired);
  std::vector<re2::StringPiece> groups;
  // RE2 reads the whole text as context (\b, not_followed_by) but searches only
  // [begin, end) of each firing: every match lies there. Starting after the line's start
  // finds the same matches: none starts before `begin`, and where one starts, which it
  // is does not depend on where the search began.
  for (const Firing& firing : fired)
    MatchRule(text, firing.begin, firing.end, *language.pattern_rules[firing.rule], &groups, out);

  if (!language.names.empty()) {
    if (!tokens_out) tokens = Tokenise(text);
    std::unordered_map<size_t, bool> headline_lines;
    const LineIndex lines(text);
    language.names.FindAll(text, tokens, [&](const GazetteerEntry& entry, size_t first, size_t end) {
      Candidate candidate;
      candidate.begin = tokens[first].begin;
      candidate.end = tokens[end - 1].end;
      candidate.rule = entry.rule;
      candidate.entry = &entry;
      if (entry.guard == Guard::kPersonName && LooksLikePersonName(text, tokens, first, end, lines, &headline_lines))
        candidate.veto = "guard person_name: next to a capitalised name";
      // A common word out of place ("Mark Your Calendar") and a given name that no
      // surname completes are no candidates at all: most of a text's are such. Opening
      // a sentence, a given name that is also a word is a name only before a surname
      // that is no common word ("Harry Kane scored", not "Bill Payments rose").
      const bool word_out_of_place = entry.guard == Guard::kCommonWord && !AfterLowerCaseWordOrComma(text, tokens, first);
      if (word_out_of_place && !entry.rule->extends_to_surname) return;
      if (entry.rule->extends_to_surname) {
        const size_t name_end = SurnameEnd(text, tokens, first, end, *entry.rule->file);
        if (name_end == 0) return;
        if (word_out_of_place &&
            (!NoCommonWordAfter(text, tokens, end, name_end, *entry.rule->file) || InHeadline(text, lines, first, tokens)))
          return;
        candidate.end = tokens[name_end - 1].end;
      }
      out->push_back(std::move(candidate));
    });
  }
}

}  // namespace factwire
