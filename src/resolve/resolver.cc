#include "resolve/resolver.h"

#include <algorithm>
#include <map>
#include <numeric>

#include "base/utf8.h"
#include "events/investments.h"
#include "link/linker.h"
#include "relate/relations.h"

namespace factwire {
namespace {

// Spans that stop facts of their type (blocking rules, vetoed hits), searchable by
// overlap: per type, sorted by begin, with the furthest end reached so far.
class BlockerIndex {
 public:
  void Add(const Candidate& c, size_t index) { by_type_[c.rule->type()].push_back({c.begin, c.end, index}); }
  void Finish() {
    for (auto& [type, spans] : by_type_) {
      std::sort(spans.begin(), spans.end(), [](const Entry& a, const Entry& b) { return a.begin < b.begin; });
      for (size_t i = 0; i < spans.size(); ++i) {
        spans[i].furthest = i > 0 && spans[i - 1].end_of_furthest > spans[i].end ? spans[i - 1].furthest : i;
        spans[i].end_of_furthest = spans[spans[i].furthest].end;
      }
    }
  }
  // A blocker of c's type that covers c, or null. (A longer fact across a blocker still
  // wins: "New Guinea" does not stop "Papua New Guinea".)
  const Candidate* Covering(const Candidate& c, const std::vector<Candidate>& all) const {
    auto it = by_type_.find(c.rule->type());
    if (it == by_type_.end()) return nullptr;
    const auto& spans = it->second;
    auto after = std::upper_bound(spans.begin(), spans.end(), c.begin,
                                  [](uint32_t begin, const Entry& e) { return begin < e.begin; });
    if (after == spans.begin()) return nullptr;
    const Entry& last = *(after - 1);  // of the blockers starting at or before c, the one reaching furthest
    return last.end_of_furthest >= c.end ? &all[spans[last.furthest].candidate] : nullptr;
  }

 private:
  struct Entry {
    uint32_t begin;
    uint32_t end;
    size_t candidate;
    size_t furthest = 0;
    uint32_t end_of_furthest = 0;
  };
  std::map<std::string, std::vector<Entry>, std::less<>> by_type_;
};

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

std::vector<size_t> SelectFlat(const std::vector<Contender>& contenders, std::vector<int64_t>* loser_of) {
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

void Resolve(const Document& doc, const std::vector<Span>& sentences, const ArticleContext& article,
             const std::vector<Candidate>& candidates, std::vector<Fact>* facts,
             std::vector<Relation>* relations, std::vector<Decision>* decisions) {
  facts->clear();
  relations->clear();
  decisions->assign(candidates.size(), {});
  std::vector<Contender> contenders;
  std::vector<size_t> contender_candidate;
  std::map<const GazetteerEntry*, std::string> one_sense_vetoes;
  BlockerIndex blockers;
  for (size_t i = 0; i < candidates.size(); ++i) {
    const Candidate& c = candidates[i];
    Decision& d = (*decisions)[i];
    d.candidate = i;
    if (!c.drop.empty()) {
      d.verdict = Decision::Verdict::kDropped;
      d.reason = std::string(c.drop);
      continue;
    }
    if (c.rule->cue) {
      d.verdict = Decision::Verdict::kCue;
      d.reason = "a cue: evidence for guards only";
      continue;
    }
    std::string veto(c.veto);
    if (veto.empty() && c.entry && c.entry->guard == Guard::kOneSense) {
      auto cached = one_sense_vetoes.find(c.entry);
      if (cached == one_sense_vetoes.end())
        cached = one_sense_vetoes.emplace(c.entry, OneSenseVeto(doc, candidates, c)).first;
      veto = cached->second;
    }
    if (!veto.empty()) {
      // A vetoed hit still claims its span for its type: "Jordan" in "Jordan Smith" is a
      // name, so no other rule may make a country of it either.
      d.verdict = Decision::Verdict::kVetoed;
      d.reason = std::move(veto);
      blockers.Add(c, i);
      continue;
    }
    const size_t sentence = sentences.empty() ? 0 : SpanIndexOf(sentences, c.begin);
    if (!sentences.empty() && sentence != SpanIndexOf(sentences, c.end - 1)) {
      d.verdict = Decision::Verdict::kCrossesSentence;
      d.reason = "the span crosses a sentence boundary";
      continue;
    }
    if (c.rule->block) {
      d.verdict = Decision::Verdict::kBlocker;
      d.reason = "a blocking rule: it only stops other " + c.rule->type() + " facts here";
      blockers.Add(c, i);
      continue;
    }
    {
      ValueContext context{article, doc.text, &doc};
      if (!sentences.empty())
        context.sentence = std::string_view(doc.text).substr(sentences[sentence].begin,
                                                             sentences[sentence].end - sentences[sentence].begin);
      Result<nlohmann::json> value = BuildValue(c, context);
      if (!value.ok()) {
        d.verdict = Decision::Verdict::kNoValue;
        d.reason = value.status().message();
        continue;
      }
      d.value = std::move(value.value());
    }
    contenders.push_back({c.begin, c.end, c.rule->priority});
    contender_candidate.push_back(i);
  }
  // Blockers and vetoes stop the facts of their own type inside them: "Horizon 2020" is
  // not a date, but still a programme.
  blockers.Finish();
  {
    std::vector<Contender> unblocked;
    std::vector<size_t> unblocked_candidate;
    for (size_t k = 0; k < contenders.size(); ++k) {
      const Candidate& c = candidates[contender_candidate[k]];
      if (const Candidate* by = blockers.Covering(c, candidates)) {
        Decision& d = (*decisions)[contender_candidate[k]];
        d.verdict = Decision::Verdict::kBlocked;
        d.reason = "inside " + by->rule->id + ((*decisions)[static_cast<size_t>(by - candidates.data())].verdict ==
                                                                 Decision::Verdict::kVetoed
                                                             ? " (vetoed)"
                                                             : "") +
                   " [" + std::to_string(by->begin) + "," + std::to_string(by->end) + ")";
        continue;
      }
      unblocked.push_back(contenders[k]);
      unblocked_candidate.push_back(contender_candidate[k]);
    }
    contenders = std::move(unblocked);
    contender_candidate = std::move(unblocked_candidate);
  }

  std::vector<int64_t> loser_of;
  const std::vector<size_t> winners = SelectFlat(contenders, &loser_of);
  for (size_t k = 0; k < contenders.size(); ++k) {
    if (loser_of[k] < 0) continue;
    const Candidate& winner = candidates[contender_candidate[static_cast<size_t>(loser_of[k])]];
    Decision& d = (*decisions)[contender_candidate[k]];
    d.verdict = Decision::Verdict::kOverlapped;
    d.reason = "inside or across " + winner.rule->id + " [" + std::to_string(winner.begin) + "," +
               std::to_string(winner.end) + ")";
  }

  std::vector<Mention> mentions;
  for (size_t k : winners) {
    const Candidate& c = candidates[contender_candidate[k]];
    mentions.push_back({c.begin, c.end, c.rule->type(), (*decisions)[contender_candidate[k]].value, c.rule->id, c.rule->file});
  }
  const std::vector<Token> tokens = Tokenise(doc.text);
  // The primary language ("en" of "en-US") names the rules, as in rules/<type>/<lang>.yaml.
  LinkMentions(doc.text, tokens, article.lang.substr(0, article.lang.find_first_of("-_")), &mentions);
  *relations = FindRelations(doc.text, sentences, &mentions);
  std::vector<Relation> investments = FindInvestments(doc.text, tokens, sentences, mentions);
  for (Relation& r : investments) {
    if (r.purpose_end > r.purpose_begin) {
      const size_t begin = doc.map.ToOriginalBegin(r.purpose_begin);
      r.purpose.assign(doc.original().substr(begin, doc.map.ToOriginalEnd(r.purpose_end) - begin));
    }
    relations->push_back(std::move(r));
  }

  const std::string_view original = doc.original();
  CodePointCursor cursor(original);
  for (Mention& m : mentions) {
    const size_t begin = doc.map.ToOriginalBegin(m.begin);
    const size_t end = doc.map.ToOriginalEnd(m.end);
    Fact fact;
    fact.type = std::move(m.type);
    fact.start = cursor.ToCodePoint(begin);
    fact.end = cursor.ToCodePoint(end);
    fact.text.assign(original.substr(begin, end - begin));
    fact.value = std::move(m.value);
    fact.rule = std::move(m.rule);
    facts->push_back(std::move(fact));
  }
  ResolveDateReferences(facts);
}

}  // namespace factwire
