#include "resolve/resolver.h"

#include <algorithm>
#include <limits>
#include <map>
#include <numeric>

#include "base/utf8.h"

namespace factwire {
namespace {
constexpr int kVetoPriority = std::numeric_limits<int>::max();

std::string_view SpanText(const Document& doc, const Candidate& c) {
  return std::string_view(doc.text).substr(c.begin, c.end - c.begin);
}

// Guard one_sense: the reason to veto `c`, or empty. The article uses the name in another
// sense when a blocking phrase contains one of its mentions; it supports the listed
// sense when a cue, or another name for the same key, appears anywhere.
std::string OneSenseVeto(const Document& doc, const std::vector<Candidate>& all, const Candidate& c) {
  const std::string_view name = SpanText(doc, c);
  bool other_sense = false;
  for (const Candidate& b : all) {
    if (!b.rule->block) continue;
    for (const Candidate& m : all)
      other_sense |= m.entry == c.entry && m.begin >= b.begin && m.end <= b.end;
    if (other_sense) break;
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

void Resolve(const Document& doc, const std::vector<Span>& sentences, const ArticleContext& article,
             const std::vector<Candidate>& candidates, std::vector<Fact>* facts,
             std::vector<Decision>* decisions) {
  facts->clear();
  decisions->assign(candidates.size(), {});
  std::vector<Contender> contenders;
  std::vector<size_t> contender_candidate;
  std::map<const GazetteerEntry*, std::string> one_sense_vetoes;
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
      // A vetoed hit still claims its span: "Jordan" in "Jordan Smith" is a name, so no
      // other rule may make a country of it either.
      d.verdict = Decision::Verdict::kVetoed;
      d.reason = std::move(veto);
      contenders.push_back({c.begin, c.end, kVetoPriority});
      contender_candidate.push_back(i);
      continue;
    }
    const size_t sentence = sentences.empty() ? 0 : SpanIndexOf(sentences, c.begin);
    if (!sentences.empty() && sentence != SpanIndexOf(sentences, c.end - 1)) {
      d.verdict = Decision::Verdict::kCrossesSentence;
      d.reason = "the span crosses a sentence boundary";
      continue;
    }
    if (!c.rule->block) {
      ValueContext context{article, doc.text};
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

  std::vector<int64_t> loser_of;
  const std::vector<size_t> winners = SelectFlat(contenders, &loser_of);
  for (size_t k = 0; k < contenders.size(); ++k) {
    if (loser_of[k] < 0) continue;
    const size_t winner_index = contender_candidate[static_cast<size_t>(loser_of[k])];
    const Candidate& winner = candidates[winner_index];
    const bool winner_vetoed = (*decisions)[winner_index].verdict == Decision::Verdict::kVetoed;
    Decision& d = (*decisions)[contender_candidate[k]];
    d.verdict = winner.rule->block || winner_vetoed ? Decision::Verdict::kBlocked : Decision::Verdict::kOverlapped;
    d.reason = "inside or across " + winner.rule->id + (winner_vetoed ? " (vetoed)" : "") + " [" +
               std::to_string(winner.begin) + "," + std::to_string(winner.end) + ")";
  }

  const std::string_view original = doc.original();
  CodePointCursor cursor(original);
  for (size_t k : winners) {
    const Candidate& c = candidates[contender_candidate[k]];
    Decision& d = (*decisions)[contender_candidate[k]];
    if (d.verdict == Decision::Verdict::kVetoed) continue;
    if (c.rule->block) {
      d.verdict = Decision::Verdict::kBlocker;
      d.reason = "a blocking rule: it only stops other facts here";
      continue;
    }
    const size_t begin = doc.map.ToOriginalBegin(c.begin);
    const size_t end = doc.map.ToOriginalEnd(c.end);
    Fact fact;
    fact.type = c.rule->type();
    fact.start = cursor.ToCodePoint(begin);
    fact.end = cursor.ToCodePoint(end);
    fact.text.assign(original.substr(begin, end - begin));
    fact.value = d.value;
    fact.rule = c.rule->id;
    facts->push_back(std::move(fact));
  }
  ResolveDateReferences(facts);
}

}  // namespace factwire
