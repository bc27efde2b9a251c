// Investment events (README "relations"): a money fact joined with who pays it, who
// receives it and what it is for, as far as its own sentence says. The words that
// decide are data: the money rule file's `investment_cue` lexicon
// (rules/gazetteers/investment_cues.en.tsv) tags each cue word with the frame it sets;
// this file knows where the parties of each frame stand around the money.
#include "events/investments.h"

#include <algorithm>
#include <cctype>

namespace factwire {
namespace {

enum Frame : uint16_t {
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
};
constexpr uint16_t kVerbFrames = kGive | kReceive | kBuy | kCost | kBudget;

uint16_t FramesOf(const LexiconEntry& entry) {
  static const std::pair<std::string_view, Frame> kNames[] = {
      {"give", kGive},   {"receive", kReceive}, {"buy", kBuy},     {"cost", kCost},       {"budget", kBudget},
      {"noun", kNoun},   {"loan", kLoan},       {"not", kNot},     {"rate", kRate},       {"agent", kAgent},
      {"passive", kPassive}, {"clause", kClause}, {"stop", kStop}, {"approval", kApproval}};
  uint16_t frames = 0;
  for (const std::string& tag : entry.tags)
    for (const auto& [name, frame] : kNames)
      if (tag == name) frames |= frame;
  return frames;
}

// A sentence as the investment rules see it: mentions as single elements, cue phrases
// of several words merged into one, every other token on its own.
struct Element {
  uint32_t begin = 0;
  uint32_t end = 0;
  int mention = -1;  // index into the article's mentions, or -1 for a word
  uint16_t frames = 0;
};

class Sentence {
 public:
  Sentence(std::string_view text, std::vector<Element> elements, const std::vector<Mention>& mentions)
      : text_(text), elements_(std::move(elements)), mentions_(mentions) {}

  size_t size() const { return elements_.size(); }
  const Element& operator[](size_t i) const { return elements_[i]; }
  std::string_view Word(size_t i) const { return text_.substr(elements_[i].begin, elements_[i].end - elements_[i].begin); }
  bool Is(size_t i, std::string_view word) const { return i < size() && elements_[i].mention < 0 && Word(i) == word; }
  bool Has(size_t i, uint16_t frames) const { return i < size() && elements_[i].mention < 0 && (elements_[i].frames & frames); }
  const Mention* MentionAt(size_t i) const {
    return i < size() && elements_[i].mention >= 0 ? &mentions_[static_cast<size_t>(elements_[i].mention)] : nullptr;
  }
  bool IsType(size_t i, std::string_view type) const { return MentionAt(i) && MentionAt(i)->type == type; }
  bool IsParty(size_t i) const {
    const Mention* m = MentionAt(i);
    return m && (m->type == "org" || m->type == "programme" || m->type == "site" || m->type == "country");
  }
  // "Finnish", "German": a country named by its adjective (README, countries)
  bool IsCountryAdjective(size_t i) const {
    return IsType(i, "country") && MentionAt(i)->rule.find("adjective") != std::string::npos;
  }
  bool IsPayer(size_t i) const { return IsType(i, "org") || IsType(i, "programme"); }
  bool IsPayee(size_t i) const { return IsType(i, "org") || IsType(i, "site") || IsType(i, "country"); }
  bool IsLowerWord(size_t i) const {
    return i < size() && elements_[i].mention < 0 && std::islower(static_cast<unsigned char>(Word(i)[0]));
  }
  bool IsPunctuation(size_t i) const {
    return i < size() && elements_[i].mention < 0 && Word(i).size() == 1 && std::ispunct(static_cast<unsigned char>(Word(i)[0]));
  }
  // "(EIB)" after a name: an acronym of it, not another party.
  bool InBrackets(size_t i) const { return i > 0 && Is(i - 1, "(") && Is(i + 1, ")"); }

  // Where the clause holding element `i` begins: after a semicolon, or at a comma
  // before a clause word (", while", ", and", ", with"), which then opens the clause.
  size_t ClauseBegin(size_t i) const {
    for (size_t k = i; k-- > 0;) {
      if (Is(k, ";") || Is(k, ":")) return k + 1;
      if (Has(k, kClause) && k > 0 && Is(k - 1, ",")) return k;
    }
    return 0;
  }
  size_t ClauseEnd(size_t i) const {
    for (size_t k = i + 1; k < size(); ++k) {
      if (Is(k, ";") || Is(k, ":")) return k;
      if (Is(k, ",") && Has(k + 1, kClause)) return k;
    }
    return size();
  }

 private:
  std::string_view text_;
  std::vector<Element> elements_;
  const std::vector<Mention>& mentions_;
};

// The sentence's elements, cue phrases of up to three tokens matched longest first.
std::vector<Element> Elements(std::string_view text, const std::vector<Token>& tokens, size_t first, size_t last,
                              const std::vector<Mention>& mentions, size_t mention, const Lexicon& cues) {
  std::vector<Element> out;
  for (size_t t = first; t < last;) {
    while (mention < mentions.size() && mentions[mention].end <= tokens[t].begin) ++mention;
    if (mention < mentions.size() && mentions[mention].begin <= tokens[t].begin) {
      out.push_back({mentions[mention].begin, mentions[mention].end, static_cast<int>(mention), 0});
      while (t < last && tokens[t].begin < mentions[mention].end) ++t;
      continue;
    }
    Element word{tokens[t].begin, tokens[t].end, -1, 0};
    size_t length = 1;
    const bool may_start_cue = cues.HasEntryStartingWith(text.substr(tokens[t].begin, tokens[t].end - tokens[t].begin));
    for (size_t n = may_start_cue ? std::min<size_t>(3, last - t) : 0; n >= 1; --n) {
      const bool crosses_mention = mention < mentions.size() && mentions[mention].begin < tokens[t + n - 1].end;
      if (crosses_mention) continue;
      if (const LexiconEntry* cue = cues.Find(text.substr(tokens[t].begin, tokens[t + n - 1].end - tokens[t].begin))) {
        word.end = tokens[t + n - 1].end;
        word.frames = FramesOf(*cue);
        length = n;
        break;
      }
    }
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
  // "budget"), a funder after "by"/"from"/"under" ("agent"), names beside the money
  // ("adjacent"), or an investment noun ("noun"). The rule id ends with it.
  const char* frame = "noun";
};

void AddUnique(std::vector<size_t>* list, size_t element) {
  if (std::find(list->begin(), list->end(), element) == list->end()) list->push_back(element);
}

// Parties joined to the one at `i` by "and", ", " or ", and": "Toyota and Sony".
template <typename Accept>
void WithCoordinated(const Sentence& s, size_t i, int step, Accept accept, std::vector<size_t>* out) {
  AddUnique(out, i);
  for (size_t k = i;;) {
    size_t next = k + static_cast<size_t>(step);
    if (s.InBrackets(next + static_cast<size_t>(step))) next += 3 * static_cast<size_t>(step);  // "EuroHPC (JU) and"
    if (!(s.Is(next, "and") || s.Is(next, ","))) return;
    next += static_cast<size_t>(step);
    if (s.Is(next, "and")) next += static_cast<size_t>(step);
    if (s.Is(next, "the")) next += static_cast<size_t>(step);
    if (next >= s.size() || !accept(next)) return;
    AddUnique(out, next);
    k = next;
  }
}

// Lower-case words that may stand between a preposition and its party: not another
// preposition ("for stake in Australian ..." names no party of the money's).
bool IsDescriptiveWord(const Sentence& s, size_t i) {
  if (!s.IsLowerWord(i) || s[i].frames & ~kNoun) return false;
  for (std::string_view preposition : {"in", "of", "for", "to", "on", "at", "by", "from", "and", "or"})
    if (s.Is(i, preposition)) return false;
  return true;
}

// The party after a preposition: "to Rapidus", "for Irish grids" (the country), "of
// Israeli power-chip designer Qoravi" (the org after the adjective). "the", "its" and up
// to three lower-case words may stand between.
size_t PartyAfter(const Sentence& s, size_t i) {
  size_t words = 0;
  size_t adjective = SIZE_MAX;  // a country adjective seen on the way
  for (size_t k = i; k < s.size() && k < i + 8; ++k) {
    if (s.IsParty(k) && !s.IsType(k, "country")) return k;
    if (s.IsType(k, "country")) {
      if (adjective != SIZE_MAX || !s.IsCountryAdjective(k)) return k;
      adjective = k;
      continue;
    }
    if (s.Is(k, "the") || s.Is(k, "its") || s.Is(k, "'") || s.Is(k, "s") || s.Is(k, "-")) continue;
    if (!IsDescriptiveWord(s, k) || ++words > 3) break;
  }
  return adjective;
}

// The "to ..." or "for ..." phrase after the money, or {0, 0}.
std::pair<size_t, size_t> PurposeOf(const Sentence& s, size_t money) {
  const size_t end = s.ClauseEnd(money);
  size_t start = SIZE_MAX;
  for (size_t k = money + 1; k < end && k < money + 16; ++k) {
    if (s.MentionAt(k) && s.IsType(k, "money")) return {0, 0};
    if (s.Is(k, "(")) {  // "(about €183m)"
      while (k < end && !s.Is(k, ")")) ++k;
      continue;
    }
    // ", mostly to install": an adverb may follow a comma; another comma ends the search
    if (s.Is(k, ",") && !(s.IsLowerWord(k + 1) && s.Word(k + 1).ends_with("ly") && s.Is(k + 2, "to"))) return {0, 0};
    if (s.Is(k, "to")) {
      const bool verb = s.IsLowerWord(k + 1) && !s.Has(k + 1, kNot | kRate | kAgent | kStop) && !s.IsParty(k + 2) &&
                        !(s.Is(k + 1, "the") || s.Is(k + 1, "its") || s.Is(k + 1, "a") || s.Is(k + 1, "an") ||
                          s.Is(k + 1, "their") || s.Is(k + 1, "this") || s.Is(k + 1, "be"));
      if (verb) {
        start = k;
        break;
      }
    }
    if (s.Is(k, "for")) {
      // "for ESMC", "for chipmaker ESMC": a beneficiary, not a purpose ("for its Fab 21
      // complex" is one)
      const size_t party = s.Is(k + 1, "its") ? SIZE_MAX : PartyAfter(s, k + 1);
      const bool named = party != SIZE_MAX && !s.IsType(party, "country");
      if (!named && !s.IsType(k + 1, "date") && !s.Is(k + 1, "fiscal")) {
        start = k;
        break;
      }
    }
  }
  if (start == SIZE_MAX) return {0, 0};
  size_t stop = start + 1;
  for (; stop < s.size(); ++stop) {
    if (s.Is(stop, ".") || s.Is(stop, ";") || s.Is(stop, ":") || s.Is(stop, "(") || s.Is(stop, ")") ||
        s.Is(stop, "\"") || s.IsType(stop, "money") || s.Has(stop, kStop))
      break;
    if (s.Is(stop, ",") && s[stop].end == s[stop + 1].begin) continue;  // "1,200 km"
    if (s.Is(stop, ",")) {
      // A comma inside a list goes on: "for water, energy and transport projects in
      // Jordan, Chad, Papua New Guinea and Côte d’Ivoire".
      size_t next = stop + 1;
      while (next < s.size() && !s.Is(next, ",") && !s.Is(next, ".") && !s.Is(next, ";")) ++next;
      bool has_and = false, all_names = true, has_money = false;
      for (size_t k = stop + 1; k < next; ++k) {
        has_and |= s.Is(k, "and") && k > stop + 1;
        all_names &= s.MentionAt(k) != nullptr || s.Is(k, "and");
        has_money |= s.IsType(k, "money");
      }
      const bool opens_clause = s.Has(stop + 1, kClause | kStop) || s.Is(stop + 1, "the") || s.Is(stop + 1, "a") ||
                                s.Is(stop + 1, "to");
      if (opens_clause || has_money || !(has_and || all_names)) break;
    }
  }
  while (stop > start + 1 && s.IsPunctuation(stop - 1)) --stop;
  return {start, stop};
}

// Whether element `k`, a give cue, stands for a passive: "was offered", and after a
// comma "…, supported by" (but not "is paying").
bool IsPassive(const Sentence& s, size_t k) {
  if (s.Word(k).ends_with("ing")) return false;
  return s.Has(k - 1, kPassive) || (s.Is(k - 1, ",") && s.Word(k).ends_with("ed"));
}

// The party a relative clause hangs on, for ", which" at `comma` + 1: "the PM E-DRIVE
// scheme, which", "The Digital Europe Programme (DIGITAL), which"; SIZE_MAX if none.
size_t AntecedentOf(const Sentence& s, size_t comma) {
  if (comma == 0) return SIZE_MAX;
  size_t a = comma - 1;
  if (s.Is(a, ")"))
    while (a > 0 && !s.Is(a, "(")) --a;
  if (s.Is(a, "(") && a > 0) --a;
  if (s.IsLowerWord(a) && a > 0) --a;  // a head noun: "scheme"
  return s.IsParty(a) ? a : SIZE_MAX;
}

// The subject of the verb at `cue`, scanning back to `clause_begin`: the nearest party,
// past country adjectives ("Rheinfeld, the German maker, has agreed") and relative
// clauses ("The United Kingdom, which stayed out of Digital Europe, has set aside").
// When the verb is inside a relative clause, its antecedent ("Tidewell has applied for a
// licence, which requires": none). SIZE_MAX when the subject is not a party.
size_t SubjectOf(const Sentence& s, size_t cue, size_t clause_begin) {
  for (size_t k = cue; k-- > clause_begin && cue - k <= 30;) {
    if ((s.Is(k, "which") || s.Is(k, "who")) && k > 0 && s.Is(k - 1, ",")) return AntecedentOf(s, k - 1);
    if (s.Is(k, ",")) {  // skip back over ", which ... ," when the verb follows it
      size_t previous = k;
      while (previous-- > clause_begin && !s.Is(previous, ",")) {
      }
      if (previous != SIZE_MAX && previous >= clause_begin && (s.Is(previous + 1, "which") || s.Is(previous + 1, "who")))
        k = previous;
      continue;
    }
    if (!s.IsParty(k) || s.InBrackets(k) || s.IsType(k - 1, "money")) continue;
    if (s.IsCountryAdjective(k)) continue;  // "Rheinfeld, the German maker of drives, ..."
    if (s.IsType(k, "country") && (s.Is(k - 1, "a") || s.Is(k - 1, "an"))) continue;  // "Tidewell, a Singapore start-up"
    return k;
  }
  return SIZE_MAX;
}

// The investment around the money at element `m`, if the sentence makes it one.
bool FindInvestment(const Sentence& s, size_t m, Investment* out) {
  // An amount per period or unit is a rate, not an investment: "$450 thousand a year"
  if (s.Has(m + 1, kRate)) return false;
  const size_t clause_begin = s.ClauseBegin(m);
  const size_t clause_end = s.ClauseEnd(m);

  // What the words say: the nearest verb cue before the money ("cost" right after an
  // amount is a noun: "the €240 million cost of Leonardo"), nouns right after it.
  size_t cue = SIZE_MAX;
  bool noun = false, loan = false, approval = false, bought = false;
  // "at a cost of €318m", "a combined cost of": a price paid, not an investment
  if (m >= 2 && s.Is(m - 1, "of") && s.Has(m - 2, kCost)) return false;
  bool money_between = false;  // another amount between the cue and this one
  for (size_t k = m; k-- > clause_begin;) {
    // "... that it hopes will draw in €250 billion": a cue before the relative
    // pronoun belongs to another verb
    if (s.Is(k, "that") || s.Is(k, "which") || s.Is(k, "who")) break;
    money_between |= s.IsType(k, "money");
    if (s.Has(k, kNot) && m - k <= 4) return false;  // "revenue rose to", "valuing it at"
    noun |= s.Has(k, kNoun) && m - k <= 4;          // "a new round of funding calls worth"
    const bool verb = s.Has(k, kVerbFrames) && !s.IsType(k - 1, "money") &&
                      (!s.Has(k, kCost) || s.IsParty(k - 1));  // "JUPITER cost", not "a cost of"
    if (verb) {
      // "a total envelope of €7.6bn, a small slice of the €1.2 trillion budget"
      if (!(s.Has(k, kBudget) && !s.Has(k, kGive | kReceive) && money_between)) cue = k;
      break;
    }
  }
  for (size_t k = m + 1; k < clause_end && k <= m + 4; ++k) {
    if (s.IsType(k, "country")) continue;  // "€5 billion of German state aid"
    if (s.IsPunctuation(k) || s.MentionAt(k) || s.Is(k, "at") || s.Is(k, "in") || s.Is(k, "for") || s.Is(k, "to") ||
        s.Is(k, "into") || s.Is(k, "from") || s.Is(k, "by") || s.Is(k, "over"))
      break;
    if (s.Has(k, kNot)) return false;  // "a €2bn market", "a $240 million charge"
    noun |= s.Has(k, kNoun | kBuy | kCost | kGive);
    loan |= s.Has(k, kLoan);
    approval |= s.Has(k, kApproval);
    bought |= s.Has(k, kBuy);
  }
  uint16_t frame = 0;
  if (loan) frame = kReceive;  // "a €2.5bn bridge loan": the subject borrowed it
  else if (cue != SIZE_MAX) {
    frame = s[cue].frames & kVerbFrames;
    if (frame & kGive && IsPassive(s, cue)) frame = kReceive;  // "was offered", ", supported by"
    frame = frame & kReceive ? kReceive : frame & kBuy ? kBuy : frame & kCost ? kCost : frame & kGive ? kGive : kBudget;
  } else if (bought) {
    frame = kBuy;  // "Rheinfeld agrees $4.6bn takeover of Qoravi"
  }

  // The subject: who pays (give, buy, a programme's budget) or receives (receive, cost).
  // Someone who approves state aid does not pay it.
  const size_t verb = cue != SIZE_MAX ? cue : m;
  size_t subject = frame && !approval ? SubjectOf(s, verb, clause_begin) : SIZE_MAX;
  // "Tidewell has applied ..., and has set aside": a clause that goes on with the verb
  // shares the sentence's subject.
  if (subject == SIZE_MAX && frame && !approval && s.Is(clause_begin, "and") && s.IsParty(0)) subject = 0;
  if (subject != SIZE_MAX) {
    if (frame == kReceive || frame == kCost) {
      if (s.IsPayee(subject)) WithCoordinated(s, subject, -1, [&](size_t i) { return s.IsPayee(i); }, &out->beneficiaries);
    } else if (frame == kBudget) {
      if (s.IsType(subject, "programme")) AddUnique(&out->funders, subject);
    } else if (s.IsPayer(subject)) {
      WithCoordinated(s, subject, -1, [&](size_t i) { return s.IsPayer(i); }, &out->funders);
    }
  }
  // The object between the cue and the money: "give Intel €9.9 billion", "buy
  // Finland's Silo AI Oy for $665 million".
  if (cue != SIZE_MAX && (frame == kGive || frame == kBuy))
    for (size_t k = cue + 1; k < m && k <= cue + 6; ++k) {
      if (s.Is(k, "'")) continue;  // "buy Finland's Silo AI Oy"
      if (s.IsType(k, "money") || s.IsPunctuation(k)) break;
      if (!s.IsParty(k)) continue;
      if (s.IsType(k, "country") && (s.Is(k + 1, "'") || s.IsParty(k + 1) || s.IsCountryAdjective(k))) continue;
      if (s.IsPayee(k)) AddUnique(&out->beneficiaries, k);
      break;
    }

  // After the money: the funder behind "by", "from", "led by", "under", "between".
  for (size_t k = m + 1; k < clause_end && k <= m + 16; ++k) {
    if (s.IsType(k, "money")) break;
    if (!s.Has(k, kAgent)) continue;
    for (size_t p = k + 1; p < s.size() && p <= k + 6; ++p) {
      if (s.IsPayer(p) && !s.InBrackets(p)) {
        std::vector<size_t> funders;
        WithCoordinated(s, p, 1, [&](size_t i) { return s.IsPayer(i); }, &funders);
        // "backed by EU funding, including the Digital Europe Program and Horizon
        // Europe": the sources named after "including" are the funders
        for (size_t i = funders.back() + 1; i < s.size() && i <= funders.back() + 4; ++i) {
          if (!s.Is(i, "including")) continue;
          const size_t named = s.Is(i + 1, "the") ? i + 2 : i + 1;
          if (s.IsPayer(named)) {
            funders.clear();
            WithCoordinated(s, named, 1, [&](size_t j) { return s.IsPayer(j); }, &funders);
          }
          break;
        }
        for (size_t f : funders) AddUnique(&out->funders, f);
        out->frame = "agent";
        break;
      }
      if (s.IsPunctuation(p) || s.Has(p, kAgent) || s.IsType(p, "money")) break;
    }
    break;
  }

  // After the money: what it goes to ("€30 billion in Fab 29", "the €240 million cost
  // of Leonardo"), unless the subject received it; a programme there pays ("€1.3bn round
  // of Digital Europe calls").
  if (frame != kReceive)
    for (size_t k = m + 1, words = 0; k < clause_end && k <= m + 9; ++k) {
      if (s.Is(k, "(")) {  // "(about €183m)"
        while (k < clause_end && !s.Is(k, ")")) ++k;
        continue;
      }
      if (s.Is(k, ")")) continue;
      const bool preposition = s.Is(k, "to") || s.Is(k, "for") || s.Is(k, "in") || s.Is(k, "into") ||
                               s.Is(k, "on") || (s.Is(k, "of") && s.Has(k - 1, kCost | kBuy | kNoun));
      if (preposition) {
        const size_t party = PartyAfter(s, k + 1);
        if (party != SIZE_MAX && s.IsPayee(party)) {
          WithCoordinated(s, party, 1, [&](size_t i) { return s.IsPayee(i); }, &out->beneficiaries);
          break;
        }
        if (party != SIZE_MAX && s.IsType(party, "programme") && s.Is(k, "of")) {
          AddUnique(&out->funders, party);
          break;
        }
        if (s.Is(k, "for") || s.Is(k, "to")) break;
        continue;
      }
      if (s.IsCountryAdjective(k)) continue;  // "€5 billion of German state aid for ESMC"
      // "... and close a plant in Portugal": another verb's object
      if (s.Is(k, "and") && s.Has(k + 1, kVerbFrames | kStop)) break;
      if (s.MentionAt(k) || s.IsPunctuation(k) || s.Has(k, kAgent | kStop) || (s.Has(k, kClause) && !s.Is(k, "and")) ||
          ++words > 6)
        break;
    }

  // Names right beside the money: "EIB's €70bn TechEU", "TechEU, a €70 billion
  // programme", "MareNostrum 5, is a €202 million system".
  bool adjacent = false;
  const bool found_before = !out->funders.empty() || !out->beneficiaries.empty();
  if (m >= 3 && s.Is(m - 1, "s") && s.Is(m - 2, "'") && s.IsPayer(m - 3)) {
    AddUnique(&out->funders, m - 3);
    adjacent = true;
  }
  if (s.IsType(m + 1, "programme")) {
    AddUnique(&out->funders, m + 1);
    adjacent = true;
  }
  for (size_t k = m, skipped = 0; k-- > 0 && skipped < 4;) {
    if (s.IsType(k, "programme") || s.IsType(k, "site")) {
      if (skipped > 0 && s.Is(m - 1, "a")) {
        AddUnique(s.IsType(k, "programme") ? &out->funders : &out->beneficiaries, k);
        adjacent = true;
      }
      break;
    }
    if (!(s.Is(k, "a") || s.Is(k, "an") || s.Is(k, ",") || s.Is(k, "is") || s.Is(k, "was"))) break;
    ++skipped;
  }
  if (adjacent && !found_before) out->frame = "adjacent";
  // "In Chad, ..., the Facility will lend €220m": the country that opens the sentence.
  if (frame == kGive && s.Is(0, "In") && s.IsType(1, "country") && s.Is(2, ",")) AddUnique(&out->beneficiaries, 1);

  const auto [purpose_begin, purpose_end] = PurposeOf(s, m);
  if (purpose_end > purpose_begin) {
    out->purpose_begin = s[purpose_begin].begin;
    out->purpose_end = s[purpose_end - 1].end;
    // "for projects in Jordan, Chad and ...": the places named are beneficiaries
    for (size_t k = purpose_begin + 1; k < purpose_end; ++k)
      if (s.IsType(k, "country") && !s.IsCountryAdjective(k) && s.Is(k - 1, "in"))
        WithCoordinated(s, k, 1, [&](size_t i) { return s.IsType(i, "country"); }, &out->beneficiaries);
  }

  if (frame == 0 && !noun && !adjacent) return false;
  // A party can't both pay and receive the same money.
  for (size_t f : out->funders)
    out->beneficiaries.erase(std::remove(out->beneficiaries.begin(), out->beneficiaries.end(), f), out->beneficiaries.end());
  static constexpr std::pair<uint16_t, const char*> kFrameNames[] = {
      {kGive, "give"}, {kReceive, "receive"}, {kBuy, "buy"}, {kCost, "cost"}, {kBudget, "budget"}};
  for (const auto& [bit, name] : kFrameNames)
    if (frame == bit) out->frame = name;
  return !out->funders.empty() || !out->beneficiaries.empty();
}

}  // namespace

std::vector<Relation> FindInvestments(std::string_view text, const std::vector<Token>& tokens,
                                      const std::vector<Span>& sentences, const std::vector<Mention>& mentions) {
  std::vector<Relation> relations;
  const Lexicon* cues = nullptr;
  for (const Mention& m : mentions)
    if (m.type == "money" && m.file) {
      auto it = m.file->lexicons.find("investment_cue");
      if (it != m.file->lexicons.end()) cues = &it->second;
      break;
    }
  if (!cues || sentences.empty()) return relations;
  size_t first_mention = 0;
  for (const Span& span : sentences) {
    while (first_mention < mentions.size() && mentions[first_mention].end <= span.begin) ++first_mention;
    bool has_money = false;
    for (size_t i = first_mention; i < mentions.size() && mentions[i].begin < span.end && !has_money; ++i)
      has_money = mentions[i].type == "money";
    if (!has_money) continue;
    auto token_at = [&](uint32_t offset) {
      return static_cast<size_t>(std::lower_bound(tokens.begin(), tokens.end(), offset,
                                                  [](const Token& t, uint32_t o) { return t.begin < o; }) -
                                 tokens.begin());
    };
    const Sentence sentence(text, Elements(text, tokens, token_at(span.begin), token_at(span.end), mentions, first_mention, *cues),
                            mentions);
    for (size_t e = 0; e < sentence.size(); ++e) {
      if (!sentence.IsType(e, "money")) continue;
      Investment investment;
      if (!FindInvestment(sentence, e, &investment)) continue;
      Relation relation;
      relation.type = "investment";
      relation.from = static_cast<size_t>(sentence[e].mention);
      relation.to = relation.from;
      auto to_mentions = [&](const std::vector<size_t>& elements) {
        std::vector<size_t> out;
        for (size_t k : elements) out.push_back(static_cast<size_t>(sentence[k].mention));
        std::sort(out.begin(), out.end());
        return out;
      };
      relation.funders = to_mentions(investment.funders);
      relation.beneficiaries = to_mentions(investment.beneficiaries);
      relation.purpose_begin = investment.purpose_begin;
      relation.purpose_end = investment.purpose_end;
      relation.rule = std::string("relation/en/investment-") + investment.frame;
      relations.push_back(std::move(relation));
    }
  }
  return relations;
}

}  // namespace factwire
