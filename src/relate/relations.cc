// Relations between the facts of one sentence, as the language's relation frames
// (rules/relation/<lang>.yaml) describe them: located_in and role_at, and the site's
// country carried to every mention of the site.
#include "relate/relations.h"

#include "emit/value_json.h"

#include <algorithm>
#include <map>

namespace factwire {
namespace {

bool HasType(const std::vector<std::string>& types, const std::string& type) {
  for (const std::string& t : types)
    if (t == type) return true;
  return false;
}

// The frames of the language whose rules found the mentions (one language per article).
const RelationFrames* FramesOf(const std::vector<Mention>& mentions) {
  for (const Mention& m : mentions)
    if (m.file && m.file->relations) return m.file->relations;
  return nullptr;
}

// The fact types of one article as bits, so that pairing tests a frame's types with
// one AND instead of string compares. ValidateRule admits only the value builders'
// types (seven) for mentions, so an index stays far below 64.
class TypeBits {
 public:
  // The bit of a mention's type, given on first sight.
  uint64_t Add(const std::string& type) {
    auto it = std::find(types_.begin(), types_.end(), type);
    if (it == types_.end()) it = types_.insert(it, type);
    return uint64_t{1} << static_cast<size_t>(it - types_.begin());
  }
  // The bits of those of `types` that some mention has; a type no mention has needs none.
  uint64_t Of(const std::vector<std::string>& types) const {
    uint64_t bits = 0;
    for (size_t i = 0; i < types_.size(); ++i)
      if (HasType(types, types_[i])) bits |= uint64_t{1} << i;
    return bits;
  }

 private:
  std::vector<std::string> types_;
};

// The mentions of one article, the sentence each lies in, and the types as bits.
struct Pairing {
  std::string_view text;
  const std::vector<Mention>& mentions;
  std::vector<size_t> sentence_of;
  std::vector<uint32_t> sentence_begin;  // of each mention's sentence
  std::vector<uint64_t> type_of;         // of each mention (TypeBits)
  std::vector<uint64_t> from_types;      // of each frame
  std::vector<uint64_t> to_types;
  std::vector<std::string> relations;    // RelationsInOrder
  std::vector<size_t> relation_of;       // of each frame: its index in `relations`

  bool SameSentence(size_t a, size_t b) const { return sentence_of[a] == sentence_of[b]; }
  std::string_view Between(size_t a, size_t b) const {  // a before b
    const uint32_t begin = mentions[a].end;
    return text.substr(begin, mentions[b].begin > begin ? mentions[b].begin - begin : 0);
  }
  // Whether no mention of frame `f`'s `to` types lies between from and to.
  bool Nearest(size_t f, size_t from, size_t to) const {
    for (size_t k = std::min(from, to) + 1; k < std::max(from, to); ++k)
      if (type_of[k] & to_types[f]) return false;
    return true;
  }
};

// The relations in the order of the file's first frame of each, then by `from`, then `to`.
std::vector<std::string> RelationsInOrder(const RelationFrames& frames) {
  std::vector<std::string> order;
  for (const RelationFrame& frame : frames.frames)
    if (!HasType(order, frame.relation)) order.push_back(frame.relation);
  return order;
}

Pairing PairingOf(std::string_view text, const std::vector<Span>& sentences, const std::vector<Mention>& mentions,
                  const RelationFrames& frames) {
  Pairing p{text, mentions, std::vector<size_t>(mentions.size(), 0), std::vector<uint32_t>(mentions.size(), 0), {}, {}, {}, {}, {}};
  TypeBits bits;
  for (size_t i = 0; i < mentions.size(); ++i) {
    p.type_of.push_back(bits.Add(mentions[i].type));
    if (sentences.empty()) continue;
    p.sentence_of[i] = SpanIndexOf(sentences, mentions[i].begin);
    p.sentence_begin[i] = std::min(sentences[p.sentence_of[i]].begin, mentions[i].begin);
  }
  p.relations = RelationsInOrder(frames);
  const std::vector<std::string>& relations = p.relations;
  for (const RelationFrame& frame : frames.frames) {
    p.from_types.push_back(bits.Of(frame.from_types));
    p.to_types.push_back(bits.Of(frame.to_types));
    p.relation_of.push_back(static_cast<size_t>(std::find(relations.begin(), relations.end(), frame.relation) - relations.begin()));
  }
  return p;
}

// Whether frame `f` ties mention `from` to mention `to`.
bool Fits(const RelationFrames& frames, size_t f, const Pairing& p, size_t from, size_t to) {
  const RelationFrame& frame = frames.frames[f];
  const Mention& a = p.mentions[from];
  const Mention& b = p.mentions[to];
  if (!(p.type_of[from] & p.from_types[f]) || !(p.type_of[to] & p.to_types[f])) return false;
  if (frame.from_first ? b.begin < a.end : a.begin < b.end) return false;
  if (frame.nearest && !p.Nearest(f, from, to)) return false;
  // A field of the value's record shape ("role" of a person), as the frame names it.
  if (!frame.from_has.empty() && !HasField(a.value, frame.from_has)) return false;
  const size_t first = frame.from_first ? from : to;
  const size_t second = frame.from_first ? to : from;
  const uint32_t sentence = p.sentence_begin[first];
  // The gap first: it refuses most pairs, usually without running its regex.
  return frame.MatchesGap(p.Between(first, second)) && frame.MatchesToRule(b.rule) &&
         frame.MatchesAfter(p.text.substr(p.mentions[second].end)) &&
         frame.MatchesBefore(p.text.substr(sentence, p.mentions[first].begin - sentence));
}

// Whether some frame of `relation` may start at mention `from`: most mentions start
// none, and need no pairing at all.
bool MayStart(const Pairing& p, size_t relation, size_t from) {
  for (size_t f = 0; f < p.relation_of.size(); ++f)
    if ((p.type_of[from] & p.from_types[f]) && p.relation_of[f] == relation) return true;
  return false;
}

// The first frame of `relation` (an index in RelationsInOrder) that ties `from` to `to`, or null.
const RelationFrame* FrameFor(const RelationFrames& frames, size_t relation, const Pairing& p, size_t from, size_t to) {
  for (size_t f = 0; f < frames.frames.size(); ++f)
    if (p.relation_of[f] == relation && Fits(frames, f, p, from, to)) return &frames.frames[f];
  return nullptr;
}

// "Germany's other national centres are the X and the Y": Y is in the list too.
void ContinueLists(const Pairing& p, std::vector<Relation>* relations, std::vector<const RelationFrame*>* frame_of) {
  for (size_t r = 0; r < relations->size(); ++r) {
    const RelationFrame* frame = (*frame_of)[r];
    if (!frame->HasListContinuation()) continue;
    const size_t from = (*relations)[r].from;
    const size_t next = from + 1;
    if (next >= p.mentions.size() || p.mentions[next].type != p.mentions[from].type || !p.SameSentence(from, next)) continue;
    if (!frame->ContinuesList(p.Between(from, next))) continue;
    relations->push_back({frame->relation, next, (*relations)[r].to, frame->id});
    frame_of->push_back(frame);
  }
}

// The site's country, on every mention of it.
void CarrySiteCountries(const std::vector<Relation>& relations, std::vector<Mention>* mentions) {
  std::map<std::string, std::string> country_of;
  for (const Relation& r : relations)
    if (r.type == "located_in" && (*mentions)[r.from].type == "site")
      if (const auto* country = std::get_if<CountryValue>(&(*mentions)[r.to].value))
        country_of.emplace(std::string(NameOf((*mentions)[r.from].value)), country->iso2);
  for (Mention& m : *mentions)
    if (auto* site = std::get_if<SiteValue>(&m.value))
      if (auto it = country_of.find(std::string(NameOf(m.value))); it != country_of.end()) site->country = it->second;
}

}  // namespace

std::string RelationsOffReason(const RuleSet& rules, std::string_view lang) {
  if (rules.Relations(lang)) return "";
  return "no relation frames for '" + std::string(lang) + "' (rules/relation/" + std::string(lang) +
         ".yaml): located_in and role_at are off";
}

std::vector<Relation> FindRelations(std::string_view text, const std::vector<Span>& sentences,
                                    std::vector<Mention>* mentions) {
  std::vector<Relation> relations;
  const RelationFrames* frames = FramesOf(*mentions);
  if (!frames) return relations;
  const Pairing p = PairingOf(text, sentences, *mentions, *frames);
  std::vector<const RelationFrame*> frame_of;  // by relation
  for (size_t relation = 0; relation < p.relations.size(); ++relation) {
    for (size_t i = 0; i < mentions->size(); ++i) {
      if (!MayStart(p, relation, i)) continue;
      size_t j = i;  // mentions are sorted, so one sentence's are contiguous
      while (j > 0 && p.SameSentence(j - 1, i)) --j;
      for (; j < mentions->size() && p.SameSentence(j, i); ++j) {
        if (j == i) continue;
        if (const RelationFrame* frame = FrameFor(*frames, relation, p, i, j)) {
          relations.push_back({p.relations[relation], i, j, frame->id});
          frame_of.push_back(frame);
        }
      }
    }
  }
  ContinueLists(p, &relations, &frame_of);
  CarrySiteCountries(relations, mentions);
  return relations;
}

}  // namespace factwire
