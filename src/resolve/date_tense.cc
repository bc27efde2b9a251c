// Tense of a date's clause, read with the word lists of the date's language (see
// date_tense.h). The clause is cut at punctuation and at the language's clause words;
// tense is then read inside it only, so that in "told reporters on Monday that the deal
// will be signed" Monday stays in the past.
#include "resolve/date_tense.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <vector>

namespace factwire {
namespace {

constexpr std::string_view kFuture = "future";
constexpr std::string_view kReporting = "reporting";
constexpr std::string_view kClauseWords = "clause_word";

bool HasTag(const LexiconEntry& entry, std::string_view tag) {
  return std::find(entry.tags.begin(), entry.tags.end(), tag) != entry.tags.end();
}

// Whether `word` is, with exactly this spelling, a clause word with `tag`: "Will" at the
// start of a name is no auxiliary.
bool IsClauseWord(const Rule& rule, std::string_view word, std::string_view tag) {
  const LexiconEntry* entry = RuleLexicon(rule, kClauseWords).Find(word);
  return entry && entry->surface == word && HasTag(*entry, tag);
}

// True when `text` starts with an auxiliary followed by a space ("will be signed").
bool StartsWithAuxiliary(const Rule& rule, std::string_view text) {
  const size_t space = text.find(' ');
  return space != std::string_view::npos && IsClauseWord(rule, text.substr(0, space), "auxiliary");
}

// Letters for word splitting: ASCII ones and every byte of a multi-byte UTF-8 letter
// ("était", "würde").
bool IsLetter(char c) { return std::isalpha(static_cast<unsigned char>(c)) || static_cast<unsigned char>(c) >= 0x80; }

// A past participle or past form by its ending ("-ed" in words of four letters or
// more): the language's suffixes and the shortest word each applies to.
struct ParticipleSuffix {
  std::string_view suffix;
  size_t shortest = 0;
};

std::vector<ParticipleSuffix> ParticipleSuffixes(const Rule& rule) {
  std::vector<ParticipleSuffix> out;
  for (const LexiconEntry& entry : RuleLexicon(rule, kClauseWords).entries())
    if (HasTag(entry, "participle_suffix"))
      out.push_back({std::string_view(entry.surface).substr(entry.surface[0] == '-' ? 1 : 0),
                     static_cast<size_t>(std::max(0, std::atoi(entry.value.c_str())))});
  return out;
}

// True when `text` holds an auxiliary, a relative pronoun or a finite verb form: a
// clause of its own.
bool HasVerb(const Rule& rule, std::string_view text) {
  const Lexicon& clause_words = RuleLexicon(rule, kClauseWords);
  const std::vector<ParticipleSuffix> suffixes = ParticipleSuffixes(rule);
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && !IsLetter(text[i])) ++i;
    size_t j = i;
    while (j < text.size() && IsLetter(text[j])) ++j;
    const std::string_view word = text.substr(i, j - i);
    i = j;
    if (word.empty()) continue;
    // with exactly this spelling: "Will" at the start of a name is no auxiliary
    const LexiconEntry* entry = clause_words.Find(word);
    if (entry && entry->surface == word &&
        (HasTag(*entry, "auxiliary") || HasTag(*entry, "relative_pronoun") || HasTag(*entry, "finite_verb")))
      return true;
    for (const ParticipleSuffix& s : suffixes)
      if (word.size() >= s.shortest && word.ends_with(s.suffix)) return true;
  }
  return false;
}

// Where a clause may end, and what must follow for it to end there.
struct Boundary {
  enum class When { kAlways, kBeforeAuxiliary, kBeforeVerb };
  std::string text;
  When when = When::kAlways;
};

std::vector<Boundary> BoundariesOf(const Rule& rule) {
  // A comma splits clauses only when a verb follows before the next comma ("the budget,
  // for 2028-2034, in July" is one clause).
  std::vector<Boundary> boundaries = {{"; ", Boundary::When::kAlways}, {", ", Boundary::When::kBeforeVerb}};
  for (const LexiconEntry& entry : RuleLexicon(rule, kClauseWords).entries()) {
    // A coordinator joins clauses only before a verb ("appointed on Monday and will
    // start"), not in a list ("in October and November").
    if (HasTag(entry, "clause_opener")) boundaries.push_back({" " + entry.surface + " ", Boundary::When::kAlways});
    else if (HasTag(entry, "coordinator")) boundaries.push_back({" " + entry.surface + " ", Boundary::When::kBeforeAuxiliary});
  }
  return boundaries;
}

// The candidate's text as matched: its (?P<span>...) part when that took part, else the
// whole match.
std::string_view SpanOf(const Candidate& c) {
  const size_t span = static_cast<size_t>(c.rule->span_group);
  return span > 0 && span < c.groups.size() && !c.groups[span].empty() ? c.groups[span] : c.groups[0];
}

// The clause of `sentence` around the candidate.
std::string_view ClauseAround(const Candidate& c, std::string_view sentence) {
  const std::string_view span = SpanOf(c);
  if (sentence.empty() || span.data() < sentence.data() || span.data() > sentence.data() + sentence.size())
    return sentence;
  const size_t begin = static_cast<size_t>(span.data() - sentence.data());
  const size_t end = begin + span.size();
  size_t clause_begin = 0;
  size_t clause_end = sentence.size();
  for (const Boundary& boundary : BoundariesOf(*c.rule)) {
    auto is_boundary = [&](size_t at) {
      const std::string_view after = sentence.substr(at + boundary.text.size());
      switch (boundary.when) {
        case Boundary::When::kAlways: return true;
        case Boundary::When::kBeforeAuxiliary: return StartsWithAuxiliary(*c.rule, after);
        case Boundary::When::kBeforeVerb: return HasVerb(*c.rule, after.substr(0, after.find_first_of(",;")));
      }
      return true;
    };
    // The nearest boundary before the span: found forwards (string_view::rfind compares
    // at every position), tried from the last.
    std::vector<size_t> before;
    for (size_t at = sentence.find(boundary.text); at != std::string_view::npos && at + boundary.text.size() <= begin;
         at = sentence.find(boundary.text, at + 1))
      before.push_back(at);
    for (auto at = before.rbegin(); at != before.rend(); ++at) {
      if (is_boundary(*at)) {
        clause_begin = std::max(clause_begin, *at);
        break;
      }
    }
    for (size_t after = sentence.find(boundary.text, end); after != std::string_view::npos;
         after = sentence.find(boundary.text, after + 1)) {
      if (is_boundary(after)) {
        clause_end = std::min(clause_end, after);
        break;
      }
    }
  }
  return sentence.substr(clause_begin, clause_end - clause_begin);
}

bool IsWordChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }

// Whether the word after a modal shows the modal is the noun ("political will at a
// summit"): a capitalised word or none, or one the language lists as after_noun.
bool FollowsAsNoun(const Rule& rule, std::string_view rest) {
  size_t start = 0;
  while (start < rest.size() && rest[start] == ' ') ++start;
  size_t end = start;
  while (end < rest.size() && IsWordChar(rest[end])) ++end;
  const std::string_view word = rest.substr(start, end - start);
  if (word.empty() || !std::islower(static_cast<unsigned char>(word[0]))) return true;
  return IsClauseWord(rule, word, "after_noun");
}

// True when a phrase of `lexicon` occurs in `text` as whole words (case-sensitive: the
// phrases are lower case, so "Will Marshall" is a name, not the future). Only where a
// token opens some entry (the lexicon's first-token index) are the entries compared.
bool ContainsPhrase(const Rule& rule, std::string_view lexicon_name, std::string_view text) {
  const Lexicon& lexicon = RuleLexicon(rule, lexicon_name);
  for (const Token& token : Tokenise(text)) {
    if (lexicon.LongestEntryStartingWith(text.substr(token.begin, token.end - token.begin)) == 0) continue;
    for (const auto& entry : lexicon.entries()) {
      const std::string& phrase = entry.surface;
      if (text.compare(token.begin, phrase.size(), phrase) != 0) continue;
      // A clitic ("'ll") is glued to its word ("board'll"); other phrases start a word.
      const bool starts = phrase[0] == '\'' || token.begin == 0 || !IsWordChar(text[token.begin - 1]);
      const size_t end = token.begin + phrase.size();
      const bool ends = end == text.size() || !IsWordChar(text[end]);
      if (!starts || !ends) continue;
      if (HasTag(entry, "modal") && FollowsAsNoun(rule, text.substr(end))) continue;
      return true;
    }
  }
  return false;
}

}  // namespace

const Lexicon& RuleLexicon(const Rule& rule, std::string_view name) {
  static const Lexicon kEmpty;
  auto it = rule.file->lexicons.find(name);
  return it == rule.file->lexicons.end() ? kEmpty : it->second;
}

bool SpeaksOfFuture(const Candidate& c, std::string_view sentence) {
  const std::string_view clause = ClauseAround(c, sentence);
  const std::string_view span = SpanOf(c);
  if (span.data() >= clause.data() && span.data() <= clause.data() + clause.size()) {
    const std::string_view before = clause.substr(0, static_cast<size_t>(span.data() - clause.data()));
    if (ContainsPhrase(*c.rule, kReporting, before)) return false;
  }
  return ContainsPhrase(*c.rule, kFuture, clause);
}

std::string DateTenseOffReason(const RuleSet& rules, std::string_view lang) {
  const std::string what = "date tense for '" + std::string(lang) + "' is off: ";
  for (const auto& file : rules.files()) {
    if (file->type != "date" || file->lang != lang) continue;
    std::string missing;
    for (std::string_view name : {kFuture, kReporting, kClauseWords})
      if (!file->lexicons.count(name)) missing += (missing.empty() ? "'" : ", '") + std::string(name) + "'";
    return missing.empty() ? "" : what + file->path + ": no lexicon " + missing;
  }
  return what + "no date rules";
}

}  // namespace factwire
