#include "resolve/resolver.h"

#include <algorithm>
#include <map>
#include <numeric>

#include "base/utf8.h"
#include "events/investments.h"
#include "link/linker.h"
#include "resolve/blockers.h"
#include "relate/relations.h"

namespace factwire {
namespace {

std::string_view SpanText(const Document& doc, const Candidate& c) {
  return std::string_view(doc.text).substr(c.begin, c.end - c.begin);
}

// Guard one_sense: the reason to veto `c`, or empty. The article uses the name in another
// sense when a blocking phrase contains one of its mentions; it supports the listed
// sense when a cue, or another name for the same key, appears anywhere.
std::string OneSenseVeto(const Document& doc, const std::vector<Candidate>& all, const Candidate& c) {
  const std::string_view name = SpanText(doc, c);
  std::vector<uint32_t> mention_begins;  // this entry's hits, sorted
  for (const Candidate& m : all)
    if (m.entry == c.entry) mention_begins.push_back(m.begin);
  std::sort(mention_begins.begin(), mention_begins.end());
  const uint32_t length = c.end - c.begin;
  bool other_sense = false;
  for (const Candidate& b : all) {
    if (!b.rule->block || b.end - b.begin < length) continue;
    // a hit of the entry starting inside the blocker and ending inside it too
    auto it = std::lower_bound(mention_begins.begin(), mention_begins.end(), b.begin);
    if (it != mention_begins.end() && *it + length <= b.end) {
      other_sense = true;
      break;
    }
  }
  if (!other_sense) return "";
  for (const Candidate& e : all) {
    if (!e.entry || e.rule->block || e.entry->key != c.entry->key) continue;
    if (e.rule->cue || SpanText(doc, e) != name) return "";
  }
  return "guard one_sense: the article uses '" + std::string(name) + "' in another sense and never this one";
}
}  // namespace

const char* VerdictName(Decision::Verdict verdict) {
  switch (verdict) {
    case Decision::Verdict::kKept: return "kept";
    case Decision::Verdict::kVetoed: return "vetoed";
    case Decision::Verdict::kCrossesSentence: return "crosses-sentence";
    case Decision::Verdict::kNoValue: return "no-value";
    case Decision::Verdict::kOverlapped: return "overlapped";
    case Decision::Verdict::kBlocked: return "blocked";
    case Decision::Verdict::kBlocker: return "blocker";
    case Decision::Verdict::kCue: return "cue";
    case Decision::Verdict::kDropped: return "dropped";
  }
  return "?";
}

std::vector<size_t> SelectFlat(const std::vector<Contender>& contenders, std::vector<int64_t>* loser_of,
                               const std::function<bool(size_t)>& may_win) {
  std::vector<size_t> order(contenders.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    const Contender& x = contenders[a];
    const Contender& y = contenders[b];
    if (x.end - x.begin != y.end - y.begin) return x.end - x.begin > y.end - y.begin;
    if (x.priority != y.priority) return x.priority > y.priority;
    if (x.begin != y.begin) return x.begin < y.begin;
    return a < b;
  });
  if (loser_of) loser_of->assign(contenders.size(), -1);
  std::map<uint32_t, size_t> taken;  // begin -> winner index; winners never overlap
  std::vector<size_t> winners;
  for (size_t index : order) {
    const Contender& c = contenders[index];
    // The only winners that can overlap [begin, end) are the last one starting before
    // `end` and, since winners are disjoint, nothing before it.
    auto it = taken.lower_bound(c.end);
    if (it != taken.begin()) {
      --it;
      if (contenders[it->second].end > c.begin) {
        if (loser_of) (*loser_of)[index] = static_cast<int64_t>(it->second);
        continue;
      }
    }
    if (may_win && !may_win(index)) continue;
    taken.emplace(c.begin, index);
    winners.push_back(index);
  }
  std::sort(winners.begin(), winners.end(), [&](size_t a, size_t b) {
    return contenders[a].begin < contenders[b].begin;
  });
  return winners;
}

std::string ValueContext::Original(std::string_view normalised) const {
  if (!doc || normalised.data() < doc->text.data() || normalised.data() > doc->text.data() + doc->text.size())
    return std::string(normalised);
  const auto begin = static_cast<size_t>(normalised.data() - doc->text.data());
  const size_t from = doc->map.ToOriginalBegin(begin);
  const size_t to = doc->map.ToOriginalEnd(begin + normalised.size());
  return std::string(doc->original().substr(from, to - from));
}

namespace {

// Candidates still in the contest for a place in the output, with their spans.
struct Contest {
  std::vector<Contender> contenders;
  std::vector<size_t> candidate;  // per contender, its index among the candidates
};

// What one Resolve call works with while it decides.
struct Resolution {
  const Document& doc;
  const std::vector<Span>& sentences;
  const ArticleContext& article;
  const std::vector<Candidate>& candidates;
  std::vector<Decision>& decisions;
  std::map<const GazetteerEntry*, std::string> one_sense_vetoes;  // per gazetteer entry
  BlockerIndex blockers;
};

// A decision's reason, written only for explain, the one reader of reasons: most
// candidates lose, and a reason for each would be a string for each.
template <typename Reason>
std::string Why(const Resolution& r, Reason&& reason) {
  return r.article.keep_decision_values ? std::string(reason()) : std::string();
}

// Why candidate `i` is vetoed (its guard, or one_sense over the article), or empty.
std::string VetoOf(Resolution& r, size_t i) {
  const Candidate& c = r.candidates[i];
  if (!c.veto.empty() || !c.entry || c.entry->guard != Guard::kOneSense) return std::string(c.veto);
  auto cached = r.one_sense_vetoes.find(c.entry);
  if (cached == r.one_sense_vetoes.end())
    cached = r.one_sense_vetoes.emplace(c.entry, OneSenseVeto(r.doc, r.candidates, c)).first;
  return cached->second;
}

// The verdict on candidate `i` before its value is built: false when it is out of the
// contest (dropped, a cue, vetoed, across sentences, a blocker), with `d` saying why.
bool Admit(Resolution& r, size_t i, size_t sentence, Decision* d) {
  const Candidate& c = r.candidates[i];
  if (!c.drop.empty()) {
    *d = {i, Decision::Verdict::kDropped, Why(r, [&] { return c.drop; }), {}};
    return false;
  }
  if (c.rule->cue) {
    *d = {i, Decision::Verdict::kCue, Why(r, [] { return "a cue: evidence for guards only"; }), {}};
    return false;
  }
  if (std::string veto = VetoOf(r, i); !veto.empty()) {
    // A vetoed hit still claims its span for its type: "Jordan" in "Jordan Smith" is a
    // name, so no other rule may make a country of it either.
    *d = {i, Decision::Verdict::kVetoed, Why(r, [&] { return std::move(veto); }), {}};
    r.blockers.Add(c.rule->type(), c.begin, c.end, i);
    return false;
  }
  if (!r.sentences.empty() && sentence != SpanIndexOf(r.sentences, c.end - 1)) {
    *d = {i, Decision::Verdict::kCrossesSentence, Why(r, [] { return "the span crosses a sentence boundary"; }), {}};
    return false;
  }
  if (c.rule->block) {
    *d = {i, Decision::Verdict::kBlocker,
          Why(r, [&] { return "a blocking rule: it only stops other " + c.rule->type() + " facts here"; }), {}};
    r.blockers.Add(c.rule->type(), c.begin, c.end, i);
    return false;
  }
  return true;
}

// Builds the value of candidate `i` into `d`; false (kNoValue) when there is none.
bool Build(const Resolution& r, size_t i, size_t sentence, Decision* d) {
  ValueContext context{r.article, r.doc.text, &r.doc};
  if (!r.sentences.empty())
    context.sentence = std::string_view(r.doc.text).substr(r.sentences[sentence].begin,
                                                           r.sentences[sentence].end - r.sentences[sentence].begin);
  Result<Value> value = BuildValue(r.candidates[i], context);
  if (!value.ok()) {
    *d = {i, Decision::Verdict::kNoValue, value.status().message(), {}};
    return false;
  }
  *d = {i, Decision::Verdict::kKept, "", std::move(value.value())};
  return true;
}

size_t SentenceOf(const Resolution& r, const Candidate& c) {
  return r.sentences.empty() ? 0 : SpanIndexOf(r.sentences, c.begin);
}

// Every candidate's first verdict; those admitted enter the contest. For explain, which
// shows every candidate's value, values are built here and only those with one enter;
// otherwise a value is built only for a contender that could win (SelectWinners).
Contest Enter(Resolution& r) {
  Contest contest;
  for (size_t i = 0; i < r.candidates.size(); ++i) {
    const Candidate& c = r.candidates[i];
    const size_t sentence = SentenceOf(r, c);
    if (!Admit(r, i, sentence, &r.decisions[i])) continue;
    if (r.article.keep_decision_values && !Build(r, i, sentence, &r.decisions[i])) continue;
    contest.contenders.push_back({c.begin, c.end, c.rule->priority});
    contest.candidate.push_back(i);
  }
  r.blockers.Finish();
  return contest;
}

// "[begin,end)" of a candidate, for reasons.
// Why a candidate lost to `other`: "inside or across money/en/x [3,9)", with `note`
// after the rule id, built in one string (there is a reason per losing candidate).
std::string ReasonAgainst(std::string_view what, const Candidate& other, std::string_view note = "") {
  std::string reason;
  reason.reserve(what.size() + other.rule->id.size() + note.size() + 24);
  reason.append(what).append(" ").append(other.rule->id).append(note).append(" [");
  reason.append(std::to_string(other.begin)).append(",").append(std::to_string(other.end)).append(")");
  return reason;
}

// Blockers and vetoes stop the facts of their own type inside them: "Horizon 2020" is
// not a date, but still a programme.
Contest DropBlocked(Resolution& r, const Contest& contest) {
  Contest unblocked;
  for (size_t k = 0; k < contest.contenders.size(); ++k) {
    const size_t i = contest.candidate[k];
    const Candidate& c = r.candidates[i];
    if (const std::optional<size_t> by = r.blockers.Covering(c.rule->type(), c.begin, c.end)) {
      const Candidate& blocker = r.candidates[*by];
      const bool vetoed = r.decisions[*by].verdict == Decision::Verdict::kVetoed;
      r.decisions[i].verdict = Decision::Verdict::kBlocked;  // the value built stays, for explain
      r.decisions[i].reason = Why(r, [&] { return ReasonAgainst("inside", blocker, vetoed ? " (vetoed)" : ""); });
      continue;
    }
    unblocked.contenders.push_back(contest.contenders[k]);
    unblocked.candidate.push_back(i);
  }
  return unblocked;
}

// The winners of the contest as mentions, in text order; the losers' decisions name the
// winner that displaced them.
std::vector<Mention> SelectWinners(Resolution& r, Contest& contest) {
  std::vector<int64_t> loser_of;
  // A contender without a value is out (kNoValue); Enter built the values for explain.
  auto has_value = [&](size_t k) {
    const size_t i = contest.candidate[k];
    return r.article.keep_decision_values || Build(r, i, SentenceOf(r, r.candidates[i]), &r.decisions[i]);
  };
  const std::vector<size_t> winners = SelectFlat(contest.contenders, &loser_of, has_value);
  for (size_t k = 0; k < contest.contenders.size(); ++k) {
    if (loser_of[k] < 0) continue;
    const Candidate& winner = r.candidates[contest.candidate[static_cast<size_t>(loser_of[k])]];
    Decision& d = r.decisions[contest.candidate[k]];
    d.verdict = Decision::Verdict::kOverlapped;
    d.reason = Why(r, [&] { return ReasonAgainst("inside or across", winner); });
  }
  std::vector<Mention> mentions;
  mentions.reserve(winners.size());
  for (size_t k : winners) {
    const Candidate& c = r.candidates[contest.candidate[k]];
    Value& built = r.decisions[contest.candidate[k]].value;
    Value value = r.article.keep_decision_values ? built : std::move(built);
    mentions.push_back({c.begin, c.end, c.rule->type(), std::move(value), c.rule->id, c.rule->file,
                        c.rule->values_from_list()});
  }
  return mentions;
}

// Links the mentions and finds the relations between them (investments' purposes in
// original text).
std::vector<Relation> Relate(const Resolution& r, std::vector<Mention>* mentions) {
  const std::vector<Token> own_tokens = r.article.tokens ? std::vector<Token>() : Tokenise(r.doc.text);
  const std::vector<Token>& tokens = r.article.tokens ? *r.article.tokens : own_tokens;
  // The primary language ("en" of "en-US") names the rules, as in rules/<type>/<lang>.yaml.
  LinkMentions(r.doc.text, tokens, r.article.lang.substr(0, r.article.lang.find_first_of("-_")), mentions);
  std::vector<Relation> relations = FindRelations(r.doc.text, r.sentences, mentions);
  for (InvestmentEvent& event : FindInvestments(r.doc.text, tokens, r.sentences, *mentions)) {
    if (event.purpose_end > event.purpose_begin) {
      const size_t begin = r.doc.map.ToOriginalBegin(event.purpose_begin);
      event.relation.purpose.assign(r.doc.original().substr(begin, r.doc.map.ToOriginalEnd(event.purpose_end) - begin));
    }
    relations.push_back(std::move(event.relation));
  }
  return relations;
}

// The mentions as facts, in code points of the original text.
std::vector<Fact> ToFacts(const Document& doc, std::vector<Mention>* mentions) {
  std::vector<Fact> facts;
  facts.reserve(mentions->size());
  const std::string_view original = doc.original();
  CodePointCursor cursor(original);
  for (Mention& m : *mentions) {
    const size_t begin = doc.map.ToOriginalBegin(m.begin);
    const size_t end = doc.map.ToOriginalEnd(m.end);
    facts.push_back({std::move(m.type), cursor.ToCodePoint(begin), cursor.ToCodePoint(end),
                     std::string(original.substr(begin, end - begin)), std::move(m.value), std::move(m.rule)});
  }
  return facts;
}

}  // namespace

void Resolve(const Document& doc, const std::vector<Span>& sentences, const ArticleContext& article,
             const std::vector<Candidate>& candidates, std::vector<Fact>* facts,
             std::vector<Relation>* relations, std::vector<Decision>* decisions) {
  decisions->assign(candidates.size(), {});
  Resolution r{doc, sentences, article, candidates, *decisions, {}, {}};
  Contest contest = Enter(r);
  contest = DropBlocked(r, contest);
  std::vector<Mention> mentions = SelectWinners(r, contest);
  *relations = Relate(r, &mentions);
  *facts = ToFacts(doc, &mentions);
  ResolveDateReferences(facts);
}

}  // namespace factwire
