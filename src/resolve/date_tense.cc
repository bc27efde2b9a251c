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

// A word where a clause may end, and what must follow for it to end there: a clause
// opener always ends it; a coordinator only before an auxiliary ("appointed on Monday
// and will start"), not in a list ("in October and November").
struct ClauseBoundaryWord {
  std::string_view surface;
  bool before_auxiliary_only = false;
};

// The clause_word lexicon of a date's language, sorted by use.
struct ClauseWords {
  const Lexicon* lexicon = nullptr;
  std::vector<ClauseBoundaryWord> boundaries;
  std::vector<ParticipleSuffix> suffixes;
};

ClauseWords ClauseWordsOf(const Rule& rule) {
  ClauseWords words;
  words.lexicon = &RuleLexicon(rule, kClauseWords);
  for (const LexiconEntry& entry : words.lexicon->entries()) {
    if (HasTag(entry, "clause_opener")) words.boundaries.push_back({entry.surface, false});
    else if (HasTag(entry, "coordinator")) words.boundaries.push_back({entry.surface, true});
    if (HasTag(entry, "participle_suffix"))
      words.suffixes.push_back({std::string_view(entry.surface).substr(entry.surface[0] == '-' ? 1 : 0),
                                static_cast<size_t>(std::max(0, std::atoi(entry.value.c_str())))});
  }
  return words;
}

// True when `text` holds an auxiliary, a relative pronoun or a finite verb form: a
// clause of its own.
bool HasVerb(const ClauseWords& words, std::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && !IsLetter(text[i])) ++i;
    size_t j = i;
    while (j < text.size() && IsLetter(text[j])) ++j;
    const std::string_view word = text.substr(i, j - i);
    i = j;
    if (word.empty()) continue;
    // with exactly this spelling: "Will" at the start of a name is no auxiliary
    const LexiconEntry* entry = words.lexicon->Find(word);
    if (entry && entry->surface == word &&
        (HasTag(*entry, "auxiliary") || HasTag(*entry, "relative_pronoun") || HasTag(*entry, "finite_verb")))
      return true;
    for (const ParticipleSuffix& s : words.suffixes)
      if (word.size() >= s.shortest && word.ends_with(s.suffix)) return true;
  }
  return false;
}

// The length of the clause boundary that starts at byte `at` of `sentence` and ends
// within `limit`, or 0 when none does: "; "; ", " when a verb follows before the next
// comma ("the budget, for 2028-2034, in July" is one clause); or a boundary word
// between spaces.
size_t BoundaryAt(const Rule& rule, const ClauseWords& words, std::string_view sentence, size_t at, size_t limit) {
  const char c = sentence[at];
  if ((c == ';' || c == ',') && at + 2 <= limit && sentence[at + 1] == ' ') {
    if (c == ';') return 2;
    const std::string_view after = sentence.substr(at + 2);
    return HasVerb(words, after.substr(0, after.find_first_of(",;"))) ? 2 : 0;
  }
  if (c != ' ') return 0;
  for (const ClauseBoundaryWord& word : words.boundaries) {
    const size_t length = word.surface.size() + 2;
    if (at + length > limit || sentence[at + length - 1] != ' ' ||
        sentence.compare(at + 1, word.surface.size(), word.surface) != 0)
      continue;
    if (!word.before_auxiliary_only || StartsWithAuxiliary(rule, sentence.substr(at + length))) return length;
  }
  return 0;
}

// The candidate's text as matched: its (?P<span>...) part when that took part, else the
// whole match.
std::string_view SpanOf(const Candidate& c) {
  const size_t span = static_cast<size_t>(c.rule->span_group);
  return span > 0 && span < c.groups.size() && !c.groups[span].empty() ? c.groups[span] : c.groups[0];
}

// The clause of `sentence` around the candidate: from the nearest boundary before the
// span (the boundary included) to the nearest one after it, each found by walking out
// from the span.
std::string_view ClauseAround(const Candidate& c, std::string_view sentence) {
  const std::string_view span = SpanOf(c);
  if (sentence.empty() || span.data() < sentence.data() || span.data() > sentence.data() + sentence.size())
    return sentence;
  const size_t begin = static_cast<size_t>(span.data() - sentence.data());
  const size_t end = begin + span.size();
  const ClauseWords words = ClauseWordsOf(*c.rule);
  size_t clause_begin = 0;
  for (size_t at = begin; at-- > 0;) {
    if (BoundaryAt(*c.rule, words, sentence, at, begin) > 0) {
      clause_begin = at;
      break;
    }
  }
  size_t clause_end = sentence.size();
  for (size_t at = end; at < sentence.size(); ++at) {
    if (BoundaryAt(*c.rule, words, sentence, at, sentence.size()) > 0) {
      clause_end = at;
      break;
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

// Calls `each` with the tokens of `piece` (a part of `text`), in offsets of `piece`,
// until it returns true: those of Tokenise(text) that lie in it, cut at its ends, when
// the caller has them, else Tokenise(piece). Whether `each` returned true.
template <typename Each>
bool AnyToken(std::string_view piece, const TextTokens& text, Each each) {
  const bool inside = text.tokens && piece.data() >= text.text.data() &&
                      piece.data() + piece.size() <= text.text.data() + text.text.size();
  if (!inside) {
    for (const Token& token : Tokenise(piece))
      if (each(token)) return true;
    return false;
  }
  const auto begin = static_cast<uint32_t>(piece.data() - text.text.data());
  const auto end = static_cast<uint32_t>(begin + piece.size());
  const std::vector<Token>& all = *text.tokens;
  auto it = std::lower_bound(all.begin(), all.end(), begin, [](const Token& t, uint32_t at) { return t.end <= at; });
  for (; it != all.end() && it->begin < end; ++it)
    if (each(Token{std::max(it->begin, begin) - begin, std::min(it->end, end) - begin})) return true;
  return false;
}

// True when a phrase of `lexicon` occurs in `piece` as whole words (case-sensitive: the
// phrases are lower case, so "Will Marshall" is a name, not the future). Only where a
// token opens some entry (the lexicon's first-token index) are the entries compared.
bool ContainsPhrase(const Rule& rule, std::string_view lexicon_name, std::string_view piece, const TextTokens& text) {
  const Lexicon& lexicon = RuleLexicon(rule, lexicon_name);
  return AnyToken(piece, text, [&](const Token& token) {
    if (lexicon.LongestEntryStartingWith(piece.substr(token.begin, token.end - token.begin)) == 0) return false;
    for (const auto& entry : lexicon.entries()) {
      const std::string& phrase = entry.surface;
      if (piece.compare(token.begin, phrase.size(), phrase) != 0) continue;
      // A clitic ("'ll") is glued to its word ("board'll"); other phrases start a word.
      const bool starts = phrase[0] == '\'' || token.begin == 0 || !IsWordChar(piece[token.begin - 1]);
      const size_t end = token.begin + phrase.size();
      const bool ends = end == piece.size() || !IsWordChar(piece[end]);
      if (!starts || !ends) continue;
      if (HasTag(entry, "modal") && FollowsAsNoun(rule, piece.substr(end))) continue;
      return true;
    }
    return false;
  });
}

}  // namespace

const Lexicon& RuleLexicon(const Rule& rule, std::string_view name) {
  static const Lexicon kEmpty;
  auto it = rule.file->lexicons.find(name);
  return it == rule.file->lexicons.end() ? kEmpty : it->second;
}

bool SpeaksOfFuture(const Candidate& c, std::string_view sentence, const TextTokens& text) {
  // Most sentences hold no future phrase at all; a clause holds one only where its
  // sentence does (a clause starts and ends at a space or punctuation).
  if (!ContainsPhrase(*c.rule, kFuture, sentence, text)) return false;
  const std::string_view clause = ClauseAround(c, sentence);
  const std::string_view span = SpanOf(c);
  if (span.data() >= clause.data() && span.data() <= clause.data() + clause.size()) {
    const std::string_view before = clause.substr(0, static_cast<size_t>(span.data() - clause.data()));
    if (ContainsPhrase(*c.rule, kReporting, before, text)) return false;
  }
  return ContainsPhrase(*c.rule, kFuture, clause, text);
}

std::string DateTenseOffReason(const RuleSet& rules, std::string_view lang) {
  const std::string what = "date tense for '" + std::string(lang) + "' is off: ";
  const RuleFile* file = rules.File("date", lang);
  if (!file) return what + "no date rules";
  std::string missing;
  for (std::string_view name : {kFuture, kReporting, kClauseWords})
    if (!file->lexicons.count(name)) missing += (missing.empty() ? "'" : ", '") + std::string(name) + "'";
  return missing.empty() ? "" : what + file->path + ": no lexicon " + missing;
}

}  // namespace factwire
