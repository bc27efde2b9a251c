// Investment events (README "relations"): a money fact joined with who pays it, who
// receives it and what it is for, as far as its own sentence says. The words that
// decide are data, read from the money rule file of the article's language:
//   investment_cue  (investment_cues.<lang>.tsv) tags each cue word with the frame it sets;
//   function_word   (function_words.<lang>.tsv) tags grammar words with their classes;
//   word_ending     (word_endings.<lang>.tsv, optional) tags endings with the form they mark.
// This file knows where the parties of each frame stand around the money, in terms of
// those frames and classes only.
#include "events/investments.h"

#include <unicode/uchar.h>

#include <algorithm>
#include <cctype>

#include "base/utf8.h"

namespace factwire {
namespace {

enum Frame : uint32_t {
  kGive = 1 << 0,
  kReceive = 1 << 1,
  kBuy = 1 << 2,
  kCost = 1 << 3,
  kBudget = 1 << 4,
  kNoun = 1 << 5,
  kLoan = 1 << 6,
  kNot = 1 << 7,
  kRate = 1 << 8,
  kAgent = 1 << 9,
  kPassive = 1 << 10,
  kClause = 1 << 11,
  kStop = 1 << 12,
  kApproval = 1 << 13,
  kFinal = 1 << 14,
  kSource = 1 << 15,
  kParticle = 1 << 16,
  kAnnounce = 1 << 17,
  kRound = 1 << 18,
};
constexpr uint32_t kVerbFrames = kGive | kReceive | kBuy | kCost | kBudget;

constexpr std::pair<std::string_view, uint32_t> kFrameTags[] = {
    {"give", kGive},     {"receive", kReceive}, {"buy", kBuy},         {"cost", kCost},   {"budget", kBudget},
    {"noun", kNoun},     {"loan", kLoan},       {"not", kNot},         {"rate", kRate},   {"agent", kAgent},
    {"passive", kPassive}, {"clause", kClause}, {"stop", kStop},       {"approval", kApproval},
    {"final", kFinal},   {"source", kSource},       {"particle", kParticle}, {"announce", kAnnounce},
    {"round", kRound}};

// Whether `word` starts with a lower-case letter of any script: "öffentliche", "équipement".
bool IsLowerCase(std::string_view word) { return !word.empty() && u_islower(Utf8Cursor(word).Next()); }

// Word classes of the function-word lexicon and forms of the word-ending lexicon; each
// tag is explained in rules/gazetteers/function_words.en.tsv and word_endings.en.tsv.
enum WordClass : uint32_t {
  kCoordinator = 1 << 0,
  kDefinite = 1 << 1,
  kIndefinite = 1 << 2,
  kPossessive = 1 << 3,
  kDemonstrative = 1 << 4,
  kGenitive = 1 << 5,
  kPreposition = 1 << 6,
  kPartitive = 1 << 7,
  kObjectMarker = 1 << 8,
  kBeneficiaryMarker = 1 << 9,
  kPurposeInfinitive = 1 << 10,
  kPurposeMarker = 1 << 11,
  kPeriodWord = 1 << 12,
  kRelative = 1 << 13,
  kInclusion = 1 << 14,
  kCopula = 1 << 15,
  kLocative = 1 << 16,
  kProgressive = 1 << 17,
  kParticiple = 1 << 18,
  kAdverb = 1 << 19,
  kChannel = 1 << 20,
  kPerfect = 1 << 21,
  kBareParticiple = 1 << 22,
  kLender = 1 << 23,
  kGiver = 1 << 24,
  kPartner = 1 << 25,
};
constexpr uint32_t kArticle = kDefinite | kIndefinite;
constexpr uint32_t kDeterminer = kArticle | kPossessive | kDemonstrative;

constexpr std::pair<std::string_view, uint32_t> kClassTags[] = {
    {"coordinator", kCoordinator},
    {"definite", kDefinite},
    {"indefinite", kIndefinite},
    {"possessive", kPossessive},
    {"demonstrative", kDemonstrative},
    {"genitive", kGenitive},
    {"preposition", kPreposition},
    {"partitive", kPartitive},
    {"object_marker", kObjectMarker},
    {"beneficiary_marker", kBeneficiaryMarker},
    {"purpose_infinitive", kPurposeInfinitive},
    {"purpose_marker", kPurposeMarker},
    {"period_word", kPeriodWord},
    {"relative", kRelative},
    {"inclusion", kInclusion},
    {"copula", kCopula},
    {"locative", kLocative},
    {"progressive", kProgressive},
    {"participle", kParticiple},
    {"adverb", kAdverb},
    {"channel", kChannel},
    {"perfect", kPerfect},
    {"bare_participle", kBareParticiple},
    {"lender", kLender},
    {"giver", kGiver},
    {"partner", kPartner}};

// One lexicon's tag bits read as this file's bits (`names`), looked up once per
// article so that each word costs a few ANDs, not string compares.
template <size_t N>
class TagReader {
 public:
  TagReader(const Lexicon* lexicon, const std::pair<std::string_view, uint32_t> (&names)[N]) {
    for (size_t k = 0; k < N; ++k) {
      lexicon_bits_[k] = lexicon ? lexicon->TagBit(names[k].first) : 0;
      bits_[k] = names[k].second;
    }
  }
  uint32_t operator()(const LexiconEntry& entry) const {
    uint32_t out = 0;
    for (size_t k = 0; k < N; ++k)
      if (entry.tag_bits & lexicon_bits_[k]) out |= bits_[k];
    return out;
  }

 private:
  uint64_t lexicon_bits_[N];
  uint32_t bits_[N];
};

const Lexicon* LexiconOf(const RuleFile& file, std::string_view name) {
  auto it = file.lexicons.find(name);
  return it != file.lexicons.end() && !it->second.entries().empty() ? &it->second : nullptr;
}

// The lexicons of one language that the reading below needs, with their tags as bits.
struct Grammar {
  explicit Grammar(const RuleFile& file)
      : cues(LexiconOf(file, "investment_cue")),
        words(LexiconOf(file, "function_word")),
        endings(LexiconOf(file, "word_ending")),
        lang(file.lang),
        frames_of(cues, kFrameTags),
        classes_of(words, kClassTags) {
    const TagReader ending_classes(endings, kClassTags);
    if (endings)
      for (const LexiconEntry& ending : endings->entries()) ending_forms.push_back({ending.surface, ending_classes(ending)});
  }
  const Lexicon* cues;
  const Lexicon* words;
  const Lexicon* endings;  // optional
  std::string_view lang;
  TagReader<std::size(kFrameTags)> frames_of;
  TagReader<std::size(kClassTags)> classes_of;
  std::vector<std::pair<std::string_view, uint32_t>> ending_forms;  // ending, the classes it marks
};

// Why `file`'s language has no investment events, or "" when it has them.
std::string OffReason(const RuleFile& file) {
  std::string missing;
  if (!LexiconOf(file, "investment_cue")) missing = "investment_cue";
  if (!LexiconOf(file, "function_word")) missing += std::string(missing.empty() ? "" : ", ") + "function_word";
  if (missing.empty()) return "";
  return "investment events are off for '" + file.lang + "': lexicons missing from " + file.path + ": " + missing;
}

// The classes of the word `word`: its function-word entry, matched exactly (at the start
// of a sentence also with a capital), and the forms its endings mark.
// `entry` is grammar.words->Find(word), which the caller may already have.
uint32_t ClassesOf(std::string_view word, const LexiconEntry* entry, bool sentence_start, const Grammar& grammar) {
  uint32_t classes = 0;
  if (entry && (sentence_start || entry->surface == word)) classes = grammar.classes_of(*entry);
  for (const auto& [ending, forms] : grammar.ending_forms)
    if (word.ends_with(ending)) classes |= forms;
  return classes;
}

// The types of the mentions that can pay or receive money.
bool IsPartyType(std::string_view type) {
  return type == "org" || type == "programme" || type == "site" || type == "country";
}

// A sentence as the investment rules see it: mentions as single elements, cue phrases
// of several words merged into one, every other token on its own.
struct Element {
  uint32_t begin = 0;
  uint32_t end = 0;
  int mention = -1;  // index into the article's mentions, or -1 for a word
  uint32_t frames = 0;
  uint32_t classes = 0;
};

class Sentence {
 public:
  Sentence(std::string_view text, std::vector<Element> elements, const std::vector<Mention>& mentions)
      : text_(text), elements_(std::move(elements)), mentions_(mentions) {}

  size_t size() const { return elements_.size(); }
  const Element& operator[](size_t i) const { return elements_[i]; }
  std::string_view Word(size_t i) const { return text_.substr(elements_[i].begin, elements_[i].end - elements_[i].begin); }
  // Whether element `i` is the punctuation mark `mark`.
  bool Is(size_t i, char mark) const {
    return i < size() && elements_[i].mention < 0 && Word(i).size() == 1 && Word(i)[0] == mark;
  }
  // Whether element `i` is a word of one of the word classes `classes`.
  bool IsA(size_t i, uint32_t classes) const {
    return i < size() && elements_[i].mention < 0 && (elements_[i].classes & classes);
  }
  bool Has(size_t i, uint32_t frames) const { return i < size() && elements_[i].mention < 0 && (elements_[i].frames & frames); }
  // A verb cue that may end the clause after the money; a separable verb's particle
  // only where it does: "sagte ... eine Bürgschaft über 600 Mio. Euro zu.", not "für bis
  // zu fünf KI-Gigafabriken".
  bool IsFinalCue(size_t i) const {
    return Has(i, kFinal) && (!Has(i, kParticle) || i + 1 == size() || IsPunctuation(i + 1));
  }
  const Mention* MentionAt(size_t i) const {
    return i < size() && elements_[i].mention >= 0 ? &mentions_[static_cast<size_t>(elements_[i].mention)] : nullptr;
  }
  bool IsType(size_t i, std::string_view type) const { return MentionAt(i) && MentionAt(i)->type == type; }
  bool IsParty(size_t i) const { return MentionAt(i) && IsPartyType(MentionAt(i)->type); }
  // "Finnish", "German": a country named by its adjective (README, countries)
  bool IsCountryAdjective(size_t i) const {
    return IsType(i, "country") && MentionAt(i)->rule.find("adjective") != std::string::npos;
  }
  // "Dänemarks staatlicher Investitionsfonds EIFO", "Taiwan's TSMC": a country that
  // names where the next party is from, the words between naming no verb or clause.
  bool IsCountryOfNextParty(size_t i) const {
    if (!IsType(i, "country")) return false;
    for (size_t k = i + 1; k < size() && k <= i + 4; ++k) {
      if (IsParty(k)) return true;
      if (MentionAt(k) || IsPunctuationBreak(k) || elements_[k].frames ||
          IsA(k, kPreposition | kCoordinator | kCopula | kRelative))
        return false;
    }
    return false;
  }
  bool IsPayer(size_t i) const { return IsType(i, "org") || IsType(i, "programme"); }
  bool IsPayee(size_t i) const { return IsType(i, "org") || IsType(i, "site") || IsType(i, "country"); }
  bool IsLowerWord(size_t i) const { return i < size() && elements_[i].mention < 0 && IsLowerCase(Word(i)); }
  bool IsPunctuation(size_t i) const {
    return i < size() && elements_[i].mention < 0 && Word(i).size() == 1 && std::ispunct(static_cast<unsigned char>(Word(i)[0]));
  }
  // Punctuation that ends a phrase: not the apostrophe of an elision ("par l'Union").
  bool IsPunctuationBreak(size_t i) const { return IsPunctuation(i) && !Is(i, '\''); }
  // A quotation mark of any script: "„KI-Werkstatt Mittelstand“", "« NOVA »".
  bool IsQuote(size_t i) const {
    return i < size() && elements_[i].mention < 0 && u_hasBinaryProperty(Utf8Cursor(Word(i)).Next(), UCHAR_QUOTATION_MARK);
  }
  // "(EIB)" after a name: an acronym of it, not another party.
  bool InBrackets(size_t i) const { return i > 0 && Is(i - 1, '(') && Is(i + 1, ')'); }
  // "EIB's": the apostrophe and the genitive clitic after a name.
  bool IsGenitive(size_t i) const { return Is(i, '\'') && IsA(i + 1, kGenitive); }

  // Where the clause holding element `i` begins: after a semicolon, or at a comma
  // before a clause word (", while", ", and", ", with"), which then opens the clause.
  size_t ClauseBegin(size_t i) const {
    for (size_t k = i; k-- > 0;) {
      if (Is(k, ';') || Is(k, ':')) return k + 1;
      if (Has(k, kClause) && k > 0 && Is(k - 1, ',')) return k;
    }
    return 0;
  }
  size_t ClauseEnd(size_t i) const {
    for (size_t k = i + 1; k < size(); ++k) {
      if (Is(k, ';') || Is(k, ':')) return k;
      if (Is(k, ',') && Has(k + 1, kClause)) return k;
    }
    return size();
  }

 private:
  std::string_view text_;
  std::vector<Element> elements_;
  const std::vector<Mention>& mentions_;
};

// The entry of `lexicon` for the longest phrase of up to four tokens ("aide d’État") at token
// `t` and crossing no mention, and its length in tokens; {nullptr, 0} if none.
std::pair<const LexiconEntry*, size_t> LongestPhrase(const Lexicon& lexicon, std::string_view text,
                                                     const std::vector<Token>& tokens, size_t t, size_t last,
                                                     const std::vector<Mention>& mentions, size_t mention) {
  const size_t most = lexicon.LongestEntryStartingWith(text.substr(tokens[t].begin, tokens[t].end - tokens[t].begin));
  for (size_t n = std::min({size_t{4}, most, last - t}); n >= 1; --n) {
    const bool crosses_mention = mention < mentions.size() && mentions[mention].begin < tokens[t + n - 1].end;
    if (crosses_mention) continue;
    if (const LexiconEntry* entry = lexicon.Find(text.substr(tokens[t].begin, tokens[t + n - 1].end - tokens[t].begin)))
      return {entry, n};
  }
  return {nullptr, 0};
}

// The sentence's elements: mentions, cue phrases and function-word phrases of several
// words ("en faveur de") matched longest first, cues before function words of the same length.
std::vector<Element> Elements(std::string_view text, const std::vector<Token>& tokens, size_t first, size_t last,
                              const std::vector<Mention>& mentions, size_t mention, const Grammar& grammar) {
  std::vector<Element> out;
  for (size_t t = first; t < last;) {
    while (mention < mentions.size() && mentions[mention].end <= tokens[t].begin) ++mention;
    if (mention < mentions.size() && mentions[mention].begin <= tokens[t].begin) {
      out.push_back({mentions[mention].begin, mentions[mention].end, static_cast<int>(mention), 0, 0});
      while (t < last && tokens[t].begin < mentions[mention].end) ++t;
      continue;
    }
    Element word{tokens[t].begin, tokens[t].end, -1, 0, 0};
    auto [cue, length] = LongestPhrase(*grammar.cues, text, tokens, t, last, mentions, mention);
    // a longer function-word phrase wins: "con la participación de" over the cue "con"
    auto [phrase, n] = LongestPhrase(*grammar.words, text, tokens, t, last, mentions, mention);
    if (n > 1 && n > length) {
      cue = nullptr;
      length = n;
    }
    if (!cue && length == 0 && IsLowerCase(text.substr(word.begin, word.end - word.begin)))
      cue = grammar.cues->FindStem(text.substr(word.begin, word.end - word.begin));  // "apporteront"
    if (cue) word.frames = grammar.frames_of(*cue);
    length = std::max<size_t>(length, 1);
    word.end = tokens[t + length - 1].end;
    const std::string_view surface = text.substr(word.begin, word.end - word.begin);
    // The phrase lookup found this very span's entry, or showed there is none.
    const LexiconEntry* entry = n == length ? phrase : n == 0 && length == 1 ? nullptr : grammar.words->Find(surface);
    word.classes = ClassesOf(surface, entry, out.empty(), grammar);
    out.push_back(word);
    t += length;
  }
  return out;
}

struct Investment {
  std::vector<size_t> funders;  // element indexes
  std::vector<size_t> beneficiaries;
  uint32_t purpose_begin = 0;  // normalised bytes; empty when none
  uint32_t purpose_end = 0;
  // What made it an investment: a verb's frame ("give", "receive", "buy", "cost",
  // "budget"), a funder after an agent cue ("agent"), a relative clause whose subject
  // pays ("relative"), names beside the money ("adjacent"), an amount in brackets
  // after an investment's ("equivalent"), or an investment noun ("noun"). The rule id
  // ends with it.
  const char* frame = "noun";
};

void AddUnique(std::vector<size_t>* list, size_t element) {
  if (std::find(list->begin(), list->end(), element) == list->end()) list->push_back(element);
}

// Lower-case words that may stand between a preposition and its party: not another
// preposition ("for stake in Australian ..." names no party of the money's).
bool IsDescriptiveWord(const Sentence& s, size_t i) {
  return s.IsLowerWord(i) && !(s[i].frames & ~kNoun) && !s.IsA(i, kPreposition | kCoordinator);
}

// The party after a preposition: "to Rapidus", "for Irish grids" (the country), "of
// Israeli power-chip designer Qoravi" (the org after the adjective). An article, a
// possessive, quotation marks and up to three descriptive words may stand between; after
// a determiner, a capitalised word is a noun too ("für einen Elektrolyseur der ...").
size_t PartyAfter(const Sentence& s, size_t i) {
  size_t words = 0;
  size_t adjective = SIZE_MAX;  // a country adjective seen on the way
  bool determined = false;      // a determiner opened the phrase
  for (size_t k = i; k < s.size() && k < i + 8; ++k) {
    if (s.IsParty(k) && !s.IsType(k, "country")) return k;
    if (s.IsType(k, "country")) {
      if (adjective != SIZE_MAX || !s.IsCountryAdjective(k)) return k;
      adjective = k;
      continue;
    }
    if (s.IsA(k, kDefinite | kPossessive | kGenitive) || s.Is(k, '\'') || s.Is(k, '-') || s.IsQuote(k)) {
      determined |= s.IsA(k, kDeterminer);
      continue;
    }
    const bool noun = determined && !s.MentionAt(k) && !s.IsPunctuation(k) && !s.IsA(k, kPreposition | kCoordinator);
    if (!(IsDescriptiveWord(s, k) || noun) || ++words > 3) break;
    determined |= s.IsA(k, kDeterminer);
  }
  return adjective;
}

// Parties joined to the one at `i` by a coordinator, a comma or both: "Toyota and Sony";
// forward, also where the coordinator repeats a preposition ("par Bpifrance et par le
// fonds allemand Rheinkapital GmbH", "aus dem X und aus Y").
// A party after a comma alone joins only when a coordinator closes the list ("X, Y
// and Z"), not in "pay €6.3 billion to Poland, the Commission said".
template <typename Accept>
void WithCoordinated(const Sentence& s, size_t i, int step, Accept accept, std::vector<size_t>* out) {
  AddUnique(out, i);
  std::vector<size_t> pending;  // joined by commas so far
  for (size_t k = i;;) {
    size_t next = k + static_cast<size_t>(step);
    if (s.InBrackets(next + static_cast<size_t>(step))) next += 3 * static_cast<size_t>(step);  // "EuroHPC (JU) and"
    if (!(s.IsA(next, kCoordinator) || s.Is(next, ','))) return;
    bool coordinated = s.IsA(next, kCoordinator);
    next += static_cast<size_t>(step);
    if (s.IsA(next, kCoordinator)) {
      // "del PERTE VEC, y Voltaria negocia": a comma and a coordinator after a single
      // party open another clause, not a list
      if (k == i && !coordinated) return;
      coordinated = true;
      next += static_cast<size_t>(step);
    }
    if (step > 0 && (s.Has(next, kAgent | kSource) || s.IsA(next, kPreposition))) next = PartyAfter(s, next + 1);
    else if (s.IsA(next, kDefinite)) next += static_cast<size_t>(step);
    if (next >= s.size() || !accept(next)) return;
    pending.push_back(next);
    if (coordinated) {
      for (size_t p : pending) AddUnique(out, p);
      pending.clear();
    }
    k = next;
  }
}

// Whether the purpose marker at `k` opens a purpose: an infinitive before a verb
// ("to rebuild"), or a preposition before what is no named party or period ("for
// water projects", not "for ESMC" or "for fiscal 2025"; "for its Fab 21 complex" is one).
bool OpensPurpose(const Sentence& s, size_t k) {
  if (s.IsA(k, kPurposeInfinitive)) {
    const bool verb = s.IsLowerWord(k + 1) && !s.Has(k + 1, kNot | kRate | kAgent | kStop) && !s.IsParty(k + 2) &&
                      !s.IsA(k + 1, kDeterminer | kCopula);
    if (verb) return true;
  }
  if (s.IsA(k, kPurposeMarker)) {
    const size_t party = s.IsA(k + 1, kPossessive) ? SIZE_MAX : PartyAfter(s, k + 1);
    const bool named = party != SIZE_MAX && !s.IsType(party, "country");
    return !named && !s.IsType(k + 1, "date") && !s.IsA(k + 1, kPeriodWord);
  }
  return false;
}

// Where the purpose that opens at `start` ends: at the end of the sentence or clause,
// or at a comma unless it goes on with a list ("for water, energy and transport
// projects in Jordan, Chad, Papua New Guinea and Côte d’Ivoire").
size_t PurposeEnd(const Sentence& s, size_t start) {
  size_t stop = start + 1;
  for (; stop < s.size(); ++stop) {
    if (s.Is(stop, '.') || s.Is(stop, ';') || s.Is(stop, ':') || s.Is(stop, '(') || s.Is(stop, ')') ||
        s.Is(stop, '"') || s.IsType(stop, "money") || s.Has(stop, kStop) || s.IsFinalCue(stop))
      break;
    if (s.Is(stop, ',') && stop + 1 < s.size() && s[stop].end == s[stop + 1].begin) continue;  // "1,200 km"
    if (s.Is(stop, ',')) {
      size_t next = stop + 1;
      while (next < s.size() && !s.Is(next, ',') && !s.Is(next, '.') && !s.Is(next, ';')) ++next;
      bool has_and = false, all_names = true, has_money = false;
      for (size_t k = stop + 1; k < next; ++k) {
        has_and |= s.IsA(k, kCoordinator) && k > stop + 1;
        all_names &= s.MentionAt(k) != nullptr || s.IsA(k, kCoordinator);
        has_money |= s.IsType(k, "money");
      }
      const bool opens_clause = s.Has(stop + 1, kClause | kStop) || s.IsA(stop + 1, kArticle | kPurposeInfinitive);
      if (opens_clause || has_money || !(has_and || all_names)) break;
    }
  }
  while (stop > start + 1 && s.IsPunctuation(stop - 1)) --stop;
  return stop;
}

// The purpose phrase after the money as element indexes [begin, end), or {0, 0}.
std::pair<size_t, size_t> PurposeOf(const Sentence& s, size_t money) {
  const size_t end = s.ClauseEnd(money);
  for (size_t k = money + 1; k < end && k < money + 16; ++k) {
    if (s.IsType(k, "money")) return {0, 0};
    if (s.Is(k, '(')) {  // "(about €183m)"
      while (k < end && !s.Is(k, ')')) ++k;
      continue;
    }
    // ", mostly to install": an adverb may follow a comma; another comma ends the search
    if (s.Is(k, ',') && !(s.IsLowerWord(k + 1) && s.IsA(k + 1, kAdverb) && s.IsA(k + 2, kPurposeInfinitive)))
      return {0, 0};
    if (OpensPurpose(s, k)) return {k, PurposeEnd(s, k)};
  }
  return {0, 0};
}

// Whether element `k`, a give or buy cue, stands for a passive: "was offered", and after a
// comma "…, supported by" (but not "is paying"); a clause-final cue anywhere after a
// passive auxiliary ("wurde mit 400 Millionen Euro gefördert"); a bare participle.
bool IsPassive(const Sentence& s, size_t k, size_t clause_begin) {
  if (s.Has(k, kAgent)) return true;  // a verb joined with its agent marker: "financed by"
  if (s.IsA(k, kProgressive)) return false;
  if (s.Has(k, kFinal))
    for (size_t i = clause_begin; i < k; ++i)
      if (s.Has(i, kPassive)) return true;
  if (s.Has(k - 1, kPassive) || (s.Is(k - 1, ',') && s.IsA(k, kParticiple))) return true;
  // "una linea pilota finanziata con 45 milioni": a participle without a perfect
  // auxiliary, where the language's participle differs from its simple past
  return s.IsA(k, kBareParticiple) && !s.IsA(k - 1, kPerfect) && !(k >= 2 && s.IsA(k - 2, kPerfect));
}

// The party a relative clause hangs on, for a relative pronoun at `comma` + 1: "the PM
// E-DRIVE scheme, which", "The Digital Europe Programme (DIGITAL), which"; SIZE_MAX if none.
size_t AntecedentOf(const Sentence& s, size_t comma) {
  if (comma == 0) return SIZE_MAX;
  size_t a = comma - 1;
  if (s.Is(a, ')'))
    while (a > 0 && !s.Is(a, '(')) --a;
  if (s.Is(a, '(') && a > 0) --a;
  if (s.IsLowerWord(a) && a > 0) --a;  // a head noun: "scheme"
  return s.IsParty(a) ? a : SIZE_MAX;
}

// Whether the party at `p` follows a lender preposition: "con el BEI", "mit der EIB".
bool AfterLender(const Sentence& s, size_t p) {
  for (size_t j = p; j-- > 0 && p - j <= 2;)
    if (s.IsA(j, kLender)) return PartyAfter(s, j + 1) == p;
  return false;
}

// Whether elements [begin, end) are an apposition: no verb among them (", the biggest
// recipient is TSMC," is a clause).
bool IsApposition(const Sentence& s, size_t begin, size_t end) {
  for (size_t k = begin; k < end; ++k)
    if (s.IsA(k, kCopula) || s.Has(k, kVerbFrames)) return false;
  return true;
}

// The subject of the verb at `cue`, scanning back to `clause_begin`: the nearest party,
// past country adjectives ("Rheinfeld, the German maker, has agreed") and relative
// clauses ("The United Kingdom, which stayed out of Digital Europe, has set aside").
// When the verb is inside a relative clause, its antecedent ("Tidewell has applied for a
// licence, which requires": none). SIZE_MAX when the subject is not a party.
size_t SubjectOf(const Sentence& s, size_t cue, size_t clause_begin) {
  for (size_t k = cue; k-- > clause_begin && cue - k <= 30;) {
    if (s.IsA(k, kRelative) && k > 0 && s.Is(k - 1, ',')) return AntecedentOf(s, k - 1);
    // skip back over ", which ... ," and an apposition ", the cloud arm of US retailer
    // Amazon," when the verb follows it
    if (s.Is(k, ',')) {
      size_t previous = k;
      while (previous-- > clause_begin && !s.Is(previous, ',')) {
      }
      if (previous != SIZE_MAX && previous >= clause_begin &&
          (s.IsA(previous + 1, kRelative) || (s.IsA(previous + 1, kArticle) && IsApposition(s, previous + 1, k))))
        k = previous;
      continue;
    }
    if (!s.IsParty(k) || s.InBrackets(k) || s.IsType(k - 1, "money") || AfterLender(s, k)) continue;
    if (s.IsCountryAdjective(k)) continue;  // "Rheinfeld, the German maker of drives, ..."
    if (s.IsType(k, "country") && s.IsA(k - 1, kIndefinite)) continue;  // "Tidewell, a Singapore start-up"
    return k;
  }
  return SIZE_MAX;
}

// What the words around the money at `m` say.
struct Reading {
  size_t cue = SIZE_MAX;  // the verb cue before the money, if any
  uint32_t frame = 0;     // one of kVerbFrames, or 0
  bool noun = false;      // an investment noun near the money
  bool approval = false;  // the subject approves it (state aid) and pays nothing
  bool loan_before = false;  // a loan noun just before the money
  bool passive = false;      // the verb cue is passive: its agent pays
  bool modifier = false;     // a bare participle after a noun: the noun, not a subject, gets it
  bool loan = false;         // a loan noun makes the subject the borrower
};

// The nearest verb cue before the money ("cost" right after an amount is a noun: "the
// €240 million cost of Leonardo") and investment nouns just before it. False when the
// words say the money is no investment.
bool ReadBefore(const Sentence& s, size_t m, size_t clause_begin, Reading* r) {
  bool money_between = false;  // another amount between the cue and this one
  for (size_t k = m; k-- > clause_begin;) {
    // "... that it hopes will draw in €250 billion": a cue before the relative
    // pronoun belongs to another verb
    if (s.IsA(k, kRelative)) break;
    money_between |= s.IsType(k, "money");
    if (s.Has(k, kNot) && m - k <= 4) return false;  // "revenue rose to", "valuing it at"
    r->noun |= s.Has(k, kNoun) && m - k <= 4;       // "a new round of funding calls worth"
    r->approval |= s.Has(k, kApproval) && m - k <= 4;  // "staatliche Beihilfen von 740 Millionen Euro"
    r->loan_before |= s.Has(k, kLoan) && m - k == 2 && s.IsA(m - 1, kPartitive);  // "ein Darlehen von 900 Mio. €"
    const bool verb = s.Has(k, kVerbFrames) && !s.Has(k, kParticle) && !s.IsType(k - 1, "money") &&
                      (!s.Has(k, kCost) || s.IsParty(k - 1));  // "JUPITER cost", not "a cost of"
    if (verb) {
      // "a total envelope of €7.6bn, a small slice of the €1.2 trillion budget"
      if (!(s.Has(k, kBudget) && !s.Has(k, kGive | kReceive) && money_between)) r->cue = k;
      r->approval |= s.Has(k, kApproval);  // "genehmigte ... Beihilfen"
      break;
    }
  }
  return true;
}

// Whether the give verb at `cue` has the loan at `m` as its object, so that its subject
// lends ("provided a €500 million loan to Enel"), not borrows ("pay with cash and a
// €2.5bn bridge loan").
bool Lends(const Sentence& s, size_t cue, size_t m, uint32_t verb, bool passive) {
  if (!(verb & kGive) || passive) return false;
  if (cue > m) return true;  // a clause-final verb's object: "hat X ein Darlehen über 300 Mio. Euro gewährt"
  for (size_t k = cue + 1; k < m; ++k)
    if (s.IsA(k, kPreposition) || s.Has(k, kClause) || s.IsPunctuation(k)) return false;
  return true;
}

// A verb cue that ends the clause after the money, where the language puts it there
// ("hat 20 Milliarden Euro reserviert", "steuert 230 Millionen Euro bei"), when
// none stands before it.
void ReadFinalCue(const Sentence& s, size_t m, size_t clause_end, Reading* r) {
  if (r->cue != SIZE_MAX) return;
  for (size_t k = m + 1; k < clause_end; ++k) {
    if (s.Is(k, '(')) {  // "über 2,1 Milliarden Kronen (rund 280 Mio. €) zugesagt"
      while (k + 1 < clause_end && !s.Is(k, ')')) ++k;
      continue;
    }
    if (s.IsType(k, "money")) return;
    if (s.IsFinalCue(k) && s.Has(k, kVerbFrames)) {
      r->cue = k;
      r->approval |= s.Has(k, kApproval);  // "hat Staatshilfen von 1,1 Mrd. Euro genehmigt"
      return;
    }
  }
}

// The nouns right after the money ("a €2.5bn bridge loan", "$4.6bn takeover") and the
// frame they and the verb cue set. False when a noun says it is no investment.
bool ReadAfter(const Sentence& s, size_t m, size_t clause_begin, size_t clause_end, Reading* r) {
  bool loan = false, bought = false, round = false;
  for (size_t k = m + 1; k < clause_end && k <= m + 4; ++k) {
    if (s.IsType(k, "country")) continue;  // "€5 billion of German state aid"
    if (s.IsPunctuation(k) || s.MentionAt(k) || (s.IsA(k, kPreposition) && !s.IsA(k, kPartitive))) break;
    if (s.Has(k, kNot)) return false;  // "a €2bn market", "a $240 million charge"
    r->noun |= s.Has(k, kNoun | kBuy | kCost | kGive);
    loan |= s.Has(k, kLoan);
    round |= s.Has(k, kRound);
    r->approval |= s.Has(k, kApproval);
    bought |= s.Has(k, kBuy);
  }
  const uint32_t verb = r->cue != SIZE_MAX ? s[r->cue].frames & kVerbFrames : 0;
  const bool passive = verb & (kGive | kBuy) && IsPassive(s, r->cue, clause_begin);
  // "announced a €28m Series A round": who announces a funding round raised it
  const bool lends = Lends(s, r->cue, m, verb, passive) && !(round && s.Has(r->cue, kAnnounce));
  if ((loan && !lends) || (r->loan_before && !verb)) {
    r->frame = kReceive;  // "a €2.5bn bridge loan": the subject borrowed it, unless it lent it
    r->loan = true;
  } else if (r->cue != SIZE_MAX) {
    // "was offered", ", supported by", "was acquired by": the subject receives
    r->passive = passive;
    r->modifier = passive && s.IsA(r->cue, kBareParticiple) && s.IsLowerWord(r->cue - 1) && !s.Has(r->cue - 1, kPassive);
    if (passive) r->frame = kReceive;
    else r->frame = verb & kReceive ? kReceive : verb & kBuy ? kBuy : verb & kCost ? kCost : verb & kGive ? kGive : kBudget;
  } else if (bought) {
    r->frame = kBuy;  // "Rheinfeld agrees $4.6bn takeover of Qoravi"
  }
  return true;
}

// The subject pays (give, buy, a programme's budget) or receives (receive, cost).
// Someone who approves state aid does not pay it.
// The parties of the clause before the money at `m` that no agent or source cue
// introduces: the subject and objects of a clause-final verb ("Die EIB hat der Helion
// Energy GmbH ein Darlehen über 300 Millionen Euro gewährt").
std::vector<size_t> BareParties(const Sentence& s, size_t m, size_t clause_begin) {
  std::vector<size_t> out;
  for (size_t k = clause_begin; k < m; ++k) {
    if (s.Has(k, kAgent | kSource)) k = PartyAfter(s, k + 1);  // skip the party it introduces
    else if (s.IsParty(k) && !s.InBrackets(k) && !s.IsCountryAdjective(k) && !s.IsCountryOfNextParty(k)) out.push_back(k);
    if (k == SIZE_MAX) break;
  }
  return out;
}

// The subject of a clause-final verb cue is the first bare party of the clause, its
// object the next one.
size_t FinalSubject(const Sentence& s, size_t m, size_t clause_begin, const Reading& r, Investment* out) {
  const std::vector<size_t> parties = BareParties(s, m, clause_begin);
  if (parties.empty()) return SIZE_MAX;
  if (parties.size() > 1 && r.frame == kGive && s.IsPayee(parties[1])) AddUnique(&out->beneficiaries, parties[1]);
  return parties[0];
}

void AddSubject(const Sentence& s, size_t m, size_t clause_begin, const Reading& r, Investment* out) {
  if (!r.frame || r.approval || r.modifier) return;
  size_t subject = r.cue != SIZE_MAX && r.cue > m ? FinalSubject(s, m, clause_begin, r, out)
                                                  : SubjectOf(s, r.cue != SIZE_MAX ? r.cue : m, clause_begin);
  // "Die Kommission hat im Rahmen ihrer Initiative InvestAI ... reserviert": a source
  // named before the money is not the subject
  while (subject != SIZE_MAX && std::find(out->funders.begin(), out->funders.end(), subject) != out->funders.end())
    subject = SubjectOf(s, subject, clause_begin);
  // "Tidewell has applied ..., and has set aside": a clause that goes on with the verb
  // shares the sentence's subject.
  if (subject == SIZE_MAX && s.IsA(clause_begin, kCoordinator) && s.IsParty(0)) subject = 0;
  // "Für den Bau investiert die Helion GmbH 300 Millionen Euro", "destinará el Gobierno
  // de Aragón": with no party before the verb, a party behind an article right after it
  // is the subject, and the next party its object
  if (subject == SIZE_MAX && r.cue < m && s.IsA(r.cue + 1, kDefinite) && s.IsParty(r.cue + 2)) {
    const std::vector<size_t> parties = BareParties(s, m, clause_begin);
    if (!parties.empty() && parties[0] == r.cue + 2) subject = FinalSubject(s, m, clause_begin, r, out);
  }
  if (subject == SIZE_MAX) return;
  if (r.frame == kReceive || r.frame == kCost) {
    if (s.IsPayee(subject)) WithCoordinated(s, subject, -1, [&](size_t i) { return s.IsPayee(i); }, &out->beneficiaries);
  } else if (r.frame == kBudget) {
    // a programme's budget, or an org's where a budget noun says so ("EuroHPC has a
    // budget of"; not "Noordpay has €1.1bn in net cash")
    if (s.IsType(subject, "programme") || (s.IsPayer(subject) && s.Has(r.cue, kNoun))) AddUnique(&out->funders, subject);
  } else if (s.IsPayer(subject)) {
    WithCoordinated(s, subject, -1, [&](size_t i) { return s.IsPayer(i); }, &out->funders);
  }
}

// The object between the cue and the money: "give Intel €9.9 billion", "buy Finland's
// Silo AI Oy for $665 million".
void AddObject(const Sentence& s, size_t m, const Reading& r, Investment* out) {
  if (r.cue == SIZE_MAX || r.cue > m || (r.frame != kGive && r.frame != kBuy)) return;
  for (size_t k = r.cue + 1; k < m && k <= r.cue + 6; ++k) {
    if (s.Is(k, '\'') || s.Is(k, '%')) continue;  // "buy Finland's Silo AI Oy", "compró el 40 % de Nubia"
    if (s.IsA(k, kPartner)) {  // "investiert gemeinsam mit der Rhein Invest AG": pays along
      k = PartyAfter(s, k + 1);
      if (k >= m) break;
      if (s.IsPayer(k)) AddUnique(&out->funders, k);
      continue;
    }
    if (s.IsType(k, "money") || s.IsPunctuation(k)) break;
    if (!s.IsParty(k)) continue;
    if (s.IsType(k, "country") && (s.Is(k + 1, '\'') || s.IsParty(k + 1) || s.IsCountryAdjective(k))) continue;
    if (s.IsPayee(k)) AddUnique(&out->beneficiaries, k);
    break;
  }
}

// A loan's lender after a lender preposition anywhere in its clause: "Mit der EIB
// verhandelt Lausitz Compute über ein Darlehen", "negocia con el BEI un préstamo".
void AddLender(const Sentence& s, size_t clause_begin, size_t clause_end, const Reading& r, Investment* out) {
  if (!r.loan) return;
  for (size_t k = clause_begin; k < clause_end; ++k) {
    if (!s.IsA(k, kLender)) continue;
    const size_t party = PartyAfter(s, k + 1);
    if (party < clause_end && s.IsPayer(party)) AddUnique(&out->funders, party);
  }
}

// The payers coordinated from `p` on; when an inclusion follows ("backed by EU funding,
// including the Digital Europe Program and Horizon Europe"), the sources it names
// instead; when a channel follows ("da EuroHPC attraverso il programma Europa digitale"),
// the sources it names as well.
std::vector<size_t> FundersFrom(const Sentence& s, size_t p) {
  auto payer = [&](size_t i) { return s.IsPayer(i); };
  std::vector<size_t> funders;
  WithCoordinated(s, p, 1, payer, &funders);
  for (size_t i = funders.back() + 1; i < s.size() && i <= funders.back() + 4; ++i) {
    if (!s.IsA(i, kInclusion | kChannel)) continue;
    const size_t named = s.IsA(i, kChannel) ? PartyAfter(s, i + 1) : s.IsA(i + 1, kDefinite) ? i + 2 : i + 1;
    if (named < s.size() && s.IsPayer(named)) {
      if (s.IsA(i, kInclusion)) funders.clear();
      WithCoordinated(s, named, 1, payer, &funders);
    }
    break;
  }
  return funders;
}

// Right after the money a receiving verb got, who gave it: "a reçu 45 millions d’euros
// de Bpifrance", "contará con una inversión de 300 millones de euros de Tajo Capital".
void AddGiver(const Sentence& s, size_t m, const Reading& r, Investment* out) {
  if (r.frame != kReceive || !s.IsA(m + 1, kGiver)) return;
  const size_t party = PartyAfter(s, m + 2);
  if (party < s.size() && s.IsPayer(party))
    for (size_t f : FundersFrom(s, party)) AddUnique(&out->funders, f);
}

// Between a passive or receiving verb and the money: its agent ("was acquired by Siemens
// AG for €300 million", "wird von der EIB mit 300 Millionen Euro finanziert", "erhält von
// der EIB eine Förderung von 45 Millionen Euro").
void AddPassiveAgent(const Sentence& s, size_t m, size_t clause_begin, const Reading& r, Investment* out) {
  if (!(r.passive || r.frame == kReceive) || r.cue == SIZE_MAX || s.Has(r.cue, kApproval)) return;
  // a clause-final verb's agent stands anywhere before the money
  for (size_t k = r.cue < m ? r.cue : clause_begin; k < m; ++k) {
    if (s.IsType(k, "money")) return;  // the agent of an earlier amount
    if (!s.Has(k, kAgent)) continue;
    const size_t party = PartyAfter(s, k + 1);
    if (party < m && s.IsPayer(party)) AddUnique(&out->funders, party);
    return;
  }
}

// After the money: the funder behind an agent cue ("by", "from", "led by", "under"); in
// a relative clause only after a paying verb ("the US$52.7bn that Washington set aside
// under the CHIPS Act", not "la iniciativa de 200.000 millones que la presidenta de la
// Comisión presentó").
bool AddAgent(const Sentence& s, size_t m, size_t clause_end, Investment* out) {
  bool relative = false;
  size_t paying_verb = SIZE_MAX;  // the last give verb on the way
  for (size_t k = m + 1; k < clause_end && k <= m + 16; ++k) {
    if (s.IsType(k, "money")) break;
    if (s.Is(k, ',') && s.IsA(k + 1, kArticle)) break;  // an apposition: "a Eviden, la divisione del gruppo Atos"
    if (s.IsA(k, kRelative)) relative = true;
    if (s.Has(k, kVerbFrames)) relative = false;
    if (s.Has(k, kGive)) paying_verb = k;
    if (!s.Has(k, kAgent) || relative) continue;
    if (s.Has(k - 1, kApproval)) break;  // "autorizzati dalla Commissione": who approves pays nothing
    for (size_t p = k + 1; p < s.size() && p <= k + 6; ++p) {
      if (s.IsPayer(p) && !s.InBrackets(p)) {
        for (size_t f : FundersFrom(s, p)) AddUnique(&out->funders, f);
        out->frame = "agent";
        // "est financé par", "sera financé à parts égales par"
        return paying_verb != SIZE_MAX && k - paying_verb <= 4;
      }
      if (s.IsPunctuationBreak(p) || s.Has(p, kAgent) || s.IsType(p, "money")) break;
    }
    break;
  }
  return false;
}

// After the money and the nouns it counts, a relative clause whose subject pays it: "el
// paquete de 800.000 millones de euros que la UE financió", "die 5 Mrd. Euro, die der
// Bund bereitstellt", "a €730 million plant that ST announced".
// Whether it found one.
bool AddRelativeSubject(const Sentence& s, size_t m, Investment* out) {
  size_t k = m + 1;
  // the nouns the money counts: "a €730 million SiC substrate plant that ST announced"
  for (size_t nouns = 0; nouns < 4 && k < s.size() && !s.MentionAt(k) && !s.IsPunctuation(k) &&
                         !s.IsA(k, kRelative | kPreposition | kCoordinator);
       ++nouns)
    ++k;
  if (s.Is(k, ',')) ++k;
  if (!s.IsA(k, kRelative)) return false;
  size_t party = k + 1;
  while (s.IsA(party, kArticle) || s.Is(party, '\'')) ++party;
  if (!s.IsPayer(party)) return false;
  for (size_t verb = party + 1; verb < s.size() && verb <= party + 4; ++verb) {
    if (s.IsPunctuationBreak(verb) || s.MentionAt(verb)) return false;
    if (s.Has(verb, kGive) && !s.Has(verb, kAgent)) {
      AddUnique(&out->funders, party);
      out->frame = "relative";
      return true;
    }
  }
  return false;
}

// Before the money: the funder behind a source cue, where the language puts the
// source first ("Aus dem IPCEI stehen Voltaris bis zu 287 Mio. € zu", "Under the IPCEI
// Hy2Infra, Germany will grant"); not when another amount comes first, whose agent it
// may be, nor past a relative pronoun, which opens another verb's clause.
void AddSourceBefore(const Sentence& s, size_t m, size_t clause_begin, Investment* out) {
  size_t first = m;
  while (first > clause_begin && !s.IsA(first - 1, kRelative)) {
    if (s.IsType(--first, "money")) return;
  }
  for (size_t k = first; k < m; ++k) {
    if (!s.Has(k, kSource)) continue;
    for (size_t p = k + 1; p < m && p <= k + 6; ++p) {
      if (s.IsPayer(p) && !s.InBrackets(p)) {
        for (size_t f : FundersFrom(s, p)) AddUnique(&out->funders, f);
        return;
      }
      if (s.IsPunctuationBreak(p) || s.Has(p, kAgent) || s.IsParty(p)) break;
    }
  }
}

// After the money: what it goes to ("€30 billion in Fab 29", "the €240 million cost of
// Leonardo"), unless the subject received it; a programme there pays ("€1.3bn round of
// Digital Europe calls").
void AddBeneficiaryAfter(const Sentence& s, size_t m, size_t clause_end, const Reading& r, Investment* out) {
  if (r.frame == kReceive) return;
  for (size_t k = m + 1, words = 0; k < clause_end && k <= m + 9; ++k) {
    if (s.Is(k, '(')) {  // "(about €183m)"
      while (k < clause_end && !s.Is(k, ')')) ++k;
      continue;
    }
    if (s.Is(k, ')')) continue;
    // "per costruire la gigafactory Valbasento": what the money builds, not who gets it
    if (s.IsA(k, kPurposeInfinitive) && OpensPurpose(s, k) && !s.IsA(k, kPurposeMarker)) return;
    if (s.IsA(k, kBeneficiaryMarker) || (s.IsA(k, kObjectMarker) && s.Has(k - 1, kCost | kBuy | kNoun))) {
      const size_t party = PartyAfter(s, k + 1);
      if (party != SIZE_MAX && s.IsPayee(party)) {
        WithCoordinated(s, party, 1, [&](size_t i) { return s.IsPayee(i); }, &out->beneficiaries);
        return;
      }
      if (party != SIZE_MAX && s.IsType(party, "programme")) {  // "round of Digital Europe calls"
        AddUnique(&out->funders, party);
        return;
      }
      if (s.IsA(k, kPurposeMarker | kPurposeInfinitive)) return;
      continue;
    }
    if (s.IsCountryAdjective(k)) continue;  // "€5 billion of German state aid for ESMC"
    // "... and close a plant in Portugal": another verb's object
    if (s.IsA(k, kCoordinator) && s.Has(k + 1, kVerbFrames | kStop)) return;
    if (s.MentionAt(k) || s.IsPunctuation(k) || s.Has(k, kAgent | kStop) ||
        (s.Has(k, kClause) && !s.IsA(k, kCoordinator)) || ++words > 6)
      return;
  }
}

// Names right beside the money: "EIB's €70bn TechEU", "$6.1bn in CHIPS Act grants",
// "TechEU, a €70 billion programme", "MareNostrum 5, is a €202 million system". Whether
// it found one.
bool AddAdjacent(const Sentence& s, size_t m, Investment* out) {
  bool adjacent = false;
  if (m >= 3 && s.IsGenitive(m - 2) && s.IsPayer(m - 3)) {
    AddUnique(&out->funders, m - 3);
    adjacent = true;
  }
  // "€70bn TechEU", "$6.1bn in CHIPS Act grants", "€2bn of Horizon Europe funding"
  const size_t programme = s.IsA(m + 1, kPartitive | kLocative) && s.Has(m + 3, kNoun) ? m + 2 : m + 1;
  if (s.IsType(programme, "programme")) {
    AddUnique(&out->funders, programme);
    adjacent = true;
  }
  for (size_t k = m, skipped = 0; k-- > 0 && skipped < 5;) {
    if (s.IsType(k, "programme") || s.IsType(k, "site")) {
      if (skipped > 0 && s.IsA(m - 1, kIndefinite | kPartitive)) {
        AddUnique(s.IsType(k, "programme") ? &out->funders : &out->beneficiaries, k);
        adjacent = true;
      }
      break;
    }
    // "InvestAI, la iniciativa de 200.000 millones de euros"
    if (!(s.IsA(k, kArticle | kCopula | kPartitive) || s.Is(k, ',') || IsDescriptiveWord(s, k))) break;
    ++skipped;
  }
  return adjacent;
}

// The purpose after the money; the places it names after a locative preposition are
// beneficiaries ("for projects in Jordan, Chad and ...").
void AddPurpose(const Sentence& s, size_t m, Investment* out) {
  const auto [begin, end] = PurposeOf(s, m);
  if (end <= begin) return;
  out->purpose_begin = s[begin].begin;
  out->purpose_end = s[end - 1].end;
  for (size_t k = begin + 1; k < end; ++k)
    if (s.IsType(k, "country") && !s.IsCountryAdjective(k) && s.IsA(k - 1, kLocative))
      WithCoordinated(s, k, 1, [&](size_t i) { return s.IsType(i, "country"); }, &out->beneficiaries);
}

// The investment around the money at element `m`, if the sentence makes it one.
bool FindInvestment(const Sentence& s, size_t m, Investment* out) {
  // An amount per period or unit is a rate, not an investment: "$450 thousand a year"
  if (s.Has(m + 1, kRate)) return false;
  // "at a cost of €318m", "a combined cost of": a price paid, not an investment
  if (m >= 2 && s.IsA(m - 1, kObjectMarker) && s.Has(m - 2, kCost)) return false;
  const size_t clause_begin = s.ClauseBegin(m);
  const size_t clause_end = s.ClauseEnd(m);
  Reading reading;
  if (!ReadBefore(s, m, clause_begin, &reading)) return false;
  ReadFinalCue(s, m, clause_end, &reading);
  if (!ReadAfter(s, m, clause_begin, clause_end, &reading)) return false;

  AddSourceBefore(s, m, clause_begin, out);
  const bool sourced = !out->funders.empty();
  AddSubject(s, m, clause_begin, reading, out);
  AddObject(s, m, reading, out);
  // "Aus dem Programm Digitales Europa stehen ... zur Verfügung, weitere Mittel kommen
  // aus Horizont Europa": with the source named first, a later one is another amount's
  // "The €2 billion plant, funded by Siemens AG": a paying verb with its agent
  const bool paid_by = !sourced && AddAgent(s, m, clause_end, out);
  const bool paid_in_relative = AddRelativeSubject(s, m, out);
  AddPassiveAgent(s, m, clause_begin, reading, out);
  AddLender(s, clause_begin, clause_end, reading, out);
  AddGiver(s, m, reading, out);
  AddBeneficiaryAfter(s, m, clause_end, reading, out);
  const bool found_before = !out->funders.empty() || !out->beneficiaries.empty();
  const bool adjacent = AddAdjacent(s, m, out);
  if (adjacent && !found_before) out->frame = "adjacent";
  // "In Chad, ..., the Facility will lend €220m": the country that opens the sentence.
  if (reading.frame == kGive && s.IsA(0, kLocative) && s.IsType(1, "country") && s.Is(2, ','))
    AddUnique(&out->beneficiaries, 1);
  AddPurpose(s, m, out);

  if (reading.frame == 0 && !reading.noun && !adjacent && !paid_by && !paid_in_relative) return false;
  // A party can't both pay and receive the same money.
  for (size_t f : out->funders)
    out->beneficiaries.erase(std::remove(out->beneficiaries.begin(), out->beneficiaries.end(), f), out->beneficiaries.end());
  static constexpr std::pair<uint32_t, const char*> kFrameNames[] = {
      {kGive, "give"}, {kReceive, "receive"}, {kBuy, "buy"}, {kCost, "cost"}, {kBudget, "budget"}};
  for (const auto& [bit, name] : kFrameNames)
    if (reading.frame == bit) out->frame = name;
  return !out->funders.empty() || !out->beneficiaries.empty();
}

// The event for the investment around the money at element `e`.
InvestmentEvent ToEvent(const Sentence& sentence, size_t e, const Investment& investment, std::string_view lang) {
  auto to_mentions = [&](const std::vector<size_t>& elements) {
    std::vector<size_t> out;
    for (size_t k : elements) out.push_back(static_cast<size_t>(sentence[k].mention));
    std::sort(out.begin(), out.end());
    return out;
  };
  Relation relation;
  relation.type = "investment";
  relation.from = static_cast<size_t>(sentence[e].mention);
  relation.to = relation.from;
  relation.funders = to_mentions(investment.funders);
  relation.beneficiaries = to_mentions(investment.beneficiaries);
  relation.rule = "relation/" + std::string(lang) + "/investment-" + investment.frame;
  return {std::move(relation), investment.purpose_begin, investment.purpose_end};
}

// "NOK 6.8 billion (about $675 million)": the amount in brackets right after an
// investment's money is the same money in another currency.
bool IsEquivalent(const Sentence& s, size_t m, size_t last_found) {
  return last_found != SIZE_MAX && m == last_found + 2 && s.Is(m - 1, '(') && s.Is(m + 1, ')');
}

// The investment `of` again, for the equivalent amount at mention `money`.
InvestmentEvent Equivalent(const InvestmentEvent& of, int money, std::string_view lang) {
  InvestmentEvent event = of;
  event.relation.from = event.relation.to = static_cast<size_t>(money);
  event.relation.rule = "relation/" + std::string(lang) + "/investment-equivalent";
  return event;
}

}  // namespace

std::string InvestmentsOffReason(const RuleSet& rules, std::string_view lang) {
  if (const RuleFile* file = rules.File("money", lang)) return OffReason(*file);
  return "investment events are off for '" + std::string(lang) + "': it has no money rules";
}

std::vector<InvestmentEvent> FindInvestments(std::string_view text, const std::vector<Token>& tokens,
                                             const std::vector<Span>& sentences, const std::vector<Mention>& mentions) {
  std::vector<InvestmentEvent> events;
  const auto money = std::find_if(mentions.begin(), mentions.end(), [](const Mention& m) { return m.type == "money"; });
  if (money == mentions.end() || !money->file || !OffReason(*money->file).empty()) return events;
  const Grammar grammar(*money->file);
  auto token_at = [&](uint32_t offset) {
    return static_cast<size_t>(std::lower_bound(tokens.begin(), tokens.end(), offset,
                                                [](const Token& t, uint32_t o) { return t.begin < o; }) -
                               tokens.begin());
  };
  size_t first_mention = 0;
  for (const Span& span : sentences) {
    while (first_mention < mentions.size() && mentions[first_mention].end <= span.begin) ++first_mention;
    // An investment needs its money and a party (a funder or a beneficiary) in the sentence.
    bool has_money = false;
    bool has_party = false;
    for (size_t i = first_mention; i < mentions.size() && mentions[i].begin < span.end; ++i) {
      has_money |= mentions[i].type == "money";
      has_party |= IsPartyType(mentions[i].type);
    }
    if (!has_money || !has_party) continue;
    const Sentence sentence(
        text, Elements(text, tokens, token_at(span.begin), token_at(span.end), mentions, first_mention, grammar), mentions);
    size_t last_found = SIZE_MAX;  // the element of the sentence's last investment money
    for (size_t e = 0; e < sentence.size(); ++e) {
      if (!sentence.IsType(e, "money")) continue;
      Investment investment;
      if (IsEquivalent(sentence, e, last_found)) {
        events.push_back(Equivalent(events.back(), sentence[e].mention, grammar.lang));
        last_found = e;
      } else if (FindInvestment(sentence, e, &investment)) {
        events.push_back(ToEvent(sentence, e, investment, grammar.lang));
        last_found = e;
      }
    }
  }
  return events;
}

}  // namespace factwire
