// Values of named facts: sites, programmes, organisations and people.
//
// A gazetteer entry's key holds the canonical form as "name|field|field" (sites:
// name|kind|country, programmes: name|kind, orgs: name). A pattern rule captures
// (?P<name>) (default: the whole span), (?P<kind>) looked up in the file's `kind`
// lexicon, and for people (?P<role>).
#include <algorithm>
#include <cctype>

#include "resolve/resolver.h"

namespace factwire {
namespace {

// Slots of the named types' captures: sites and programmes capture a kind, people a role.
enum NamedCapture { kSpan, kName, kKind, kRole = kKind };
constexpr std::string_view kSiteCaptures[] = {"span", "name", "kind"};
constexpr std::string_view kOrgCaptures[] = {"span", "name"};
constexpr std::string_view kPersonCaptures[] = {"span", "name", "role"};

std::vector<std::string> SplitBars(const std::string& key) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (true) {
    const size_t bar = key.find('|', start);
    parts.push_back(key.substr(start, bar == std::string::npos ? std::string::npos : bar - start));
    if (bar == std::string::npos) return parts;
    start = bar + 1;
  }
}

// Runs of spaces and line breaks in a name become one space.
std::string CleanName(std::string_view text) {
  std::string out;
  for (char c : text) {
    const bool space = c == ' ' || c == '\n' || c == '\t' || c == '\r';
    if (space && (out.empty() || out.back() == ' ')) continue;
    out += space ? ' ' : c;
  }
  while (!out.empty() && (out.back() == ' ' || out.back() == ',')) out.pop_back();
  return out;
}

// `text` in the file's lexicon `name`, or null (a file may leave the lexicon out).
const LexiconEntry* LookUp(const Rule& rule, std::string_view name, std::string_view text) {
  auto lexicon = rule.file->lexicons.find(name);
  return text.empty() || lexicon == rule.file->lexicons.end() ? nullptr : lexicon->second.Find(text);
}

// Like LookUp, with the spelling exactly as listed.
bool Listed(const Rule& rule, std::string_view name, std::string_view text) {
  const LexiconEntry* entry = LookUp(rule, name, text);
  return entry && entry->surface == text;
}

// The kind a (?P<kind>) capture names, looked up in the `kind` lexicon.
std::optional<std::string> KindOf(const Candidate& c) {
  const LexiconEntry* entry = LookUp(*c.rule, "kind", Capture(c, kKind));
  return entry && !entry->value.empty() ? std::optional<std::string>(entry->value) : std::nullopt;
}

// A gazetteer key's field, absent when empty ("Aurelia||DE" has no kind).
std::optional<std::string> FieldOf(const std::vector<std::string>& parts, size_t i) {
  return i < parts.size() && !parts[i].empty() ? std::optional<std::string>(parts[i]) : std::nullopt;
}

// Sites and programmes: a (?P<kind>) capture needs the lexicon that names kinds.
Status ValidateKind(const Rule& rule) {
  if (HasCapture(rule, kKind) && !rule.file->lexicons.count("kind"))
    return Status::RuleError("a (?P<kind>) capture needs a lexicon named 'kind'");
  return {};
}

// The name as the article writes it (original typography).
std::string NameOf(const Candidate& c, const ValueContext& context) {
  std::string_view name = Capture(c, kName);
  if (name.empty()) name = Capture(c, kSpan);
  if (name.empty() && !c.groups.empty()) name = c.groups[0];
  if (name.empty() && context.doc) name = std::string_view(context.doc->text).substr(c.begin, c.end - c.begin);
  return CleanName(context.Original(name));
}

Result<Value> BuildSite(const Candidate& c, const ValueContext& context) {
  if (c.entry) {
    const std::vector<std::string> parts = SplitBars(c.entry->key);
    return Value(SiteValue{parts[0], FieldOf(parts, 1), FieldOf(parts, 2)});
  }
  return Value(SiteValue{NameOf(c, context), KindOf(c), std::nullopt});
}

Result<Value> BuildProgramme(const Candidate& c, const ValueContext& context) {
  if (c.entry) {
    const std::vector<std::string> parts = SplitBars(c.entry->key);
    return Value(ProgrammeValue{parts[0], FieldOf(parts, 1)});
  }
  std::string name = NameOf(c, context);
  // The last word in its canonical spelling, from the file's `spelling` lexicon (British
  // in English: "Digital Europe Program" -> "...Programme").
  if (const size_t space = name.rfind(' '); space != std::string::npos && space > 0) {
    const std::string_view last = std::string_view(name).substr(space + 1);
    if (Listed(*c.rule, "spelling", last)) name = name.substr(0, space + 1) + LookUp(*c.rule, "spelling", last)->value;
  }
  return Value(ProgrammeValue{std::move(name), KindOf(c)});
}

Result<Value> BuildOrg(const Candidate& c, const ValueContext& context) {
  if (c.entry) return Value(OrgValue{SplitBars(c.entry->key)[0]});
  return Value(OrgValue{NameOf(c, context)});
}

// A role without its owner: "chief executive of Intel" -> "chief executive" (Intel is a
// fact of its own), "director of the BSC since 2004" -> "director". The words that
// introduce an owner are the file's `owner_preposition` lexicon ("of" in English). A
// lower-case phrase stays ("chair of the board of directors").
std::string RoleWithoutOwner(const Rule& rule, std::string role) {
  for (size_t at = role.find(' '); at != std::string::npos; at = role.find(' ', at + 1)) {
    const size_t next = std::min(role.find(' ', at + 1), role.size());
    if (next == role.size() || !Listed(rule, "owner_preposition", std::string_view(role).substr(at + 1, next - at - 1)))
      continue;
    // The words up to the next preposition: a name among them ("Intel", "atNorth", "the
    // industry association Danish ...") is the owner; all lower case ("the board") is the role.
    size_t word = next + 1;
    while (word < role.size()) {
      const size_t space = std::min(role.find(' ', word), role.size());
      const std::string_view w = std::string_view(role).substr(word, space - word);
      if (Listed(rule, "owner_preposition", w)) break;
      if (std::any_of(w.begin(), w.end(), [](char ch) { return std::isupper(static_cast<unsigned char>(ch)); }))
        return role.substr(0, at);
      word = space + 1;
    }
  }
  return role;
}

Result<Value> BuildPerson(const Candidate& c, const ValueContext& context) {
  PersonValue value{c.entry && c.rule->values_from_list() ? c.entry->key : NameOf(c, context), std::nullopt};
  if (std::string role = RoleWithoutOwner(*c.rule, CleanName(context.Original(Capture(c, kRole)))); !role.empty())
    value.role = std::move(role);
  return Value(std::move(value));
}

}  // namespace

const ValueBuilder kSiteValues{"site", kSiteCaptures, ValidateKind, BuildSite};
const ValueBuilder kProgrammeValues{"programme", kSiteCaptures, ValidateKind, BuildProgramme};
const ValueBuilder kOrgValues{"org", kOrgCaptures, nullptr, BuildOrg};
const ValueBuilder kPersonValues{"person", kPersonCaptures, nullptr, BuildPerson};

}  // namespace factwire
