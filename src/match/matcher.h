// Stage 4, match: rule sets loaded from rules/ turn normalised text into candidates.
//
// Rules are data. rules/<type>/<lang>.yaml holds, for one fact type and language:
//   lexicons:   named TSV word lists (surface, value, tags) used by macros and values;
//   macros:     named regex fragments, used as {NAME}; rules/common/*.yaml holds shared
//               ones; a macro may be built from a lexicon
//               ({lexicon: NAME, tag: T, ends_word, starts_word, ignore_case: true});
//   rules:      regex rules (id, pattern, priority, not_followed_by, not_containing),
//               compiled to RE2;
//               a (?P<span>...) capture marks the fact within a longer match;
//   gazetteers: token-matched name lists (id, file or lexicon, priority, block);
//   examples:   positive texts with the expected fact, negative texts with none.
// rules/relation/<lang>.yaml holds a language's relation frames (relation_frames.h).
// Loading (rule_loader.cc) checks everything (unknown keys or macros, macro cycles,
// patterns RE2 rejects, missing files, duplicate ids) and reports file:line, the rule id
// and the fragment; matching (rule_set.cc) compiles a language on first use and runs it:
// one Vectorscan scan of the article (prefilter.h) finds the rules that may match on
// each line, and RE2 confirms them and takes their captures.
//
// Input:  normalised text (see normalise/) and the article's language.
// Output: Candidates: a span in normalised bytes, the rule that made it and its captures
//         or gazetteer entry. Candidates may overlap; resolve/ decides between them.
// Lifecycle (like RE2::Set): Load reads, checks and parses everything once (a broken
//         pattern is reported then, with its place); each language's patterns are
//         compiled on its first use (Prepare, or the first Match in it), exactly once
//         whichever thread gets there, so a run pays only for the languages it meets.
//         With a cache folder, a rule folder that has loaded clean before (the same files,
//         byte for byte, with the same options) is read a language at a time, on that
//         language's first use too: its errors were reported by the load that found none.
//         Otherwise a RuleSet is immutable, and Match is safe from many threads at once.
#ifndef FACTWIRE_MATCH_MATCHER_H_
#define FACTWIRE_MATCH_MATCHER_H_

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "factwire/status.h"
#include "match/relation_frames.h"

namespace re2 { class RE2; }
namespace YAML { class Node; }

namespace factwire {

struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};
template <typename V>
using StringMap = std::unordered_map<std::string, V, StringHash, std::equal_to<>>;

// A Bloom filter of words, ASCII case-insensitive: MayContain is false for a word never
// added (in any ASCII case), and rarely true for one. Most tokens of a text are in no
// word list, and this answers them from a small bit table instead of a hash-map probe.
class WordFilter {
 public:
  // The table grows with the words, about 16 bits per word (under 1% false positives).
  void Add(std::string_view word);
  bool MayContain(std::string_view word) const {
    if (bits_.empty()) return false;
    const uint64_t h = Hash(word);
    return Test(h) && Test(h >> 32);
  }

 private:
  static uint64_t Hash(std::string_view word);
  bool Test(uint64_t h) const {
    const uint64_t bit = h & (bits_.size() * 64 - 1);
    return bits_[bit >> 6] >> (bit & 63) & 1;
  }
  void Set(uint64_t h) {
    const uint64_t bit = h & (bits_.size() * 64 - 1);
    bits_[bit >> 6] |= uint64_t{1} << (bit & 63);
  }
  std::vector<uint64_t> hashes_;  // every word's, to fill a grown table
  std::vector<uint64_t> bits_;    // a power of two of 64-bit words
};

// The largest rule, macro or lexicon file loaded (16 MiB; today's largest is 170 KB): a
// runaway generated list is refused at once rather than filling memory.
constexpr size_t kMaxRuleFileBytes = size_t{16} << 20;

// The bytes of `relative` under `dir`, checked: a regular file, at most
// kMaxRuleFileBytes, valid UTF-8. Errors name the file (and line for bad UTF-8).
Result<std::string> ReadRuleFile(const std::string& dir, const std::string& relative);

// A word list from a TSV file ("surface<TAB>value<TAB>tag,tag"; '#' starts a comment)
// or from ICU's CLDR data, "icu:<list>[:<lang>]" (English by default):
//   country-names:         ISO 3166 alpha-2 -> name; country-names-by-name: the reverse;
//   currencies:            code, name, plural names, symbol -> ISO 4217 (tags before,
//                          after, name);
//   months, months-abbreviated: name -> "1".."12";
//   weekdays:              name -> ISO weekday "1" (Monday) .. "7", tagged full.
struct LexiconEntry {
  std::string surface;
  std::string value;
  std::vector<std::string> tags;
  uint64_t tag_bits = 0;  // set by Lexicon::Add: the TagBit of each of `tags`
};

class Lexicon {
 public:
  // Loads `source` (a path relative to `rules_dir`, or "icu:..."); later entries with
  // the same surface replace earlier ones, so several sources can be layered.
  Status AddSource(const std::string& source, const std::string& rules_dir);
  void Add(LexiconEntry entry);
  // The entries AddSource would add from `source` to an empty lexicon, in the same order
  // (surfaces normalised, a later line with a surface already read replacing it in its
  // place), without building the indexes that lookups need: for a gazetteer, which
  // indexes its names itself, that is most of the work.
  static Result<std::vector<LexiconEntry>> ReadEntries(const std::string& source, const std::string& rules_dir);
  // Exact surface first, then ASCII case-insensitively.
  const LexiconEntry* Find(std::string_view surface) const;
  // The entry of the longest stem that `word` extends, or nullptr. A stem is an entry
  // whose surface ends in '*' ("apport*"): it stands for every longer word beginning
  // with what precedes the '*' ("apportera", "apporteront"), three bytes or more.
  const LexiconEntry* FindStem(std::string_view word) const;
  // The most tokens (see Tokenise) of an entry whose first token is `token`, ASCII
  // case-insensitively; 0 when none starts so: a phrase starting with any other token
  // need not be looked up at all, and a longer one than that need not be tried.
  size_t LongestEntryStartingWith(std::string_view token) const;
  // The bit that stands for `tag` in every entry's tag_bits, or 0 when no entry has the
  // tag: code that tests tags on every word compares bits, not strings. A lexicon holds
  // at most kMaxTags distinct tags (AddSource refuses more).
  uint64_t TagBit(std::string_view tag) const;
  static constexpr size_t kMaxTags = 64;
  // A regex alternation of the surfaces carrying `tag` (all when empty), a surface before
  // every surface it starts (in any case with `ignore_case`, which the alternation then
  // matches in); with `ends_word` a surface ending in a letter or digit must end a word,
  // with `starts_word` one starting with a letter or digit must start one.
  std::string Alternation(std::string_view tag, bool ends_word, bool starts_word, bool ignore_case) const;
  const std::vector<LexiconEntry>& entries() const { return entries_; }

 private:
  std::vector<LexiconEntry> entries_;
  std::vector<std::string> tag_names_;  // a tag's bit is 1 << its index here
  bool too_many_tags_ = false;
  StringMap<size_t> by_surface_;
  StringMap<size_t> by_folded_surface_;
  StringMap<size_t> folded_first_tokens_;  // first token -> most tokens of its entries
  WordFilter surfaces_;                     // answer most lookups without the maps
  WordFilter first_tokens_;
  bool has_stems_ = false;                  // FindStem need not look
};

// A plain set of words, for asking of many tokens whether each is a common word of the
// language (rules/gazetteers/common_words.<lang>.txt, named under `word_sets:` in a rule
// file): one word a line, '#' comments. Unlike a Lexicon it keeps no values, tags or
// phrases, so a dictionary of 60,000 words loads in milliseconds.
class WordSet {
 public:
  // Loads `source` (a path relative to `rules_dir`); words are kept as the normaliser
  // leaves them, ASCII letters lower-cased.
  Status AddSource(const std::string& source, const std::string& rules_dir);
  // Whether `word`, its ASCII letters lower-cased, is in the set: "Harry" and "harry".
  bool Contains(std::string_view word) const;
  size_t size() const { return words_.size(); }

 private:
  std::vector<std::string> words_;  // sorted, unique
  WordFilter filter_;               // answers most misses without the search
};

// A word-or-symbol token of normalised text: a run of letters, digits and marks, or
// one other non-space character.
struct Token {
  uint32_t begin = 0;
  uint32_t end = 0;
};
std::vector<Token> Tokenise(std::string_view text);

// Guards veto a gazetteer hit from its context; they are named in the TSV's third column.
//   person_name: not next to a capitalised word ("Jordan Smith", "Michael Jordan");
//   one_sense:   not anywhere in an article that uses the name inside a blocking phrase
//                ("Atlanta, Georgia") and has no cue for the entry's key ("Tbilisi");
//   word:        the name is also a common word ("Mark", "Grant"): only after a
//                lower-case word or a comma, never opening a sentence or a headline.
// The tag `name` says the opposite of `word` and guards nothing.
enum class Guard { kNone, kPersonName, kOneSense, kCommonWord };

struct Rule;
struct MacroTable;  // rule_set.cc: macro name -> pattern

struct GazetteerEntry {
  std::vector<std::string> tokens;
  std::string key;  // what the entry stands for (an ISO code, a canonical name)
  Guard guard = Guard::kNone;
  const Rule* rule = nullptr;  // the gazetteer rule the name came from
};

// True for a token of two or more ASCII capitals ("SPAIN", "UK").
bool IsAllCaps(std::string_view token);
// ASCII case-insensitive equality.
bool EqualsIgnoringCase(std::string_view a, std::string_view b);

// Names matched over tokens with a hash on the first token: cost grows with the text,
// not with the number of names or of name lists (a language's lists share one index). Matching is case-sensitive ("turkey" is a bird), except
// that a token in capitals matches a name in any case ("SPAIN", "SOUTH KOREA'S"), from
// three letters on for the first token so that "US" in "LET US KNOW" stays a word.
class Gazetteer {
 public:
  void Add(std::string_view surface, std::string key, Guard guard = Guard::kNone, const Rule* rule = nullptr);
  // Room for about `entries` more, so that the indexes are not rehashed as they grow.
  void Reserve(size_t entries);
  size_t size() const { return entries_.size(); }
  bool empty() const { return entries_.empty(); }
  // Calls found(entry, first_token, end_token) for every entry matching at every token.
  template <typename Found>
  void FindAll(std::string_view text, const std::vector<Token>& tokens, Found found) const;

 private:
  std::deque<GazetteerEntry> entries_;  // a deque: candidates point at entries
  WordFilter first_tokens_;             // answers most tokens without the maps
  StringMap<std::vector<uint32_t>> by_first_token_;
  StringMap<std::vector<uint32_t>> by_upper_first_token_;
};

struct Example {
  std::string file;
  int line = 0;
  bool positive = true;
  std::string text;
  std::string match;       // positive: the fact's text (default: all of `text`)
  nlohmann::json value;    // positive: the fact's exact value
  std::string rule;        // positive, optional: the rule expected to make it
  std::string published;   // optional: the publication date relative dates resolve against
};

struct RuleFile {
  std::string path;  // relative to the rules folder, as in messages: "money/en.yaml"
  std::string type;
  std::string lang;
  // The language's number symbols from ICU, as the normaliser leaves them (a no-break
  // space becomes a space); rules see them as the macros {DECIMAL} and {GROUP}.
  std::string decimal_separator = ".";
  std::string grouping_separator = ",";
  StringMap<Lexicon> lexicons;
  StringMap<WordSet> word_sets;
  std::vector<Example> examples;
  // The relation frames of the file's language (rules/relation/<lang>.yaml), or null:
  // what relate/ reads for the mentions these rules found.
  const RelationFrames* relations = nullptr;
};

// A gazetteer rule's names as loaded: surface, key, guard.
struct GazetteerName {
  std::string surface;
  std::string key;
  Guard guard = Guard::kNone;
};

// The regexes of a pattern rule, as messages name them.
enum class RulePart { kPattern, kNotFollowedBy, kNotContaining };
const char* RulePartName(RulePart part);

struct Rule {
  enum class Kind { kPattern, kGazetteer };
  std::string id;
  Kind kind = Kind::kPattern;
  int priority = 0;
  bool block = false;   // matches only to stop other facts here ("New Jersey")
  bool cue = false;     // matches only as evidence for guards ("Tbilisi" -> GE)
  // kGazetteer with `extend: surname`: a hit is a given name, and the fact runs on over
  // a middle initial or name, name particles and the surname that follow it ("Mary
  // Barra", "Michael R. Golden", "Ursula von der Leyen"); a hit that no surname follows,
  // or that a longer capitalised run goes on from, is no fact.
  bool extends_to_surname = false;
  // Whether a fact of this rule takes its value from the list (a gazetteer's key), not
  // from the text.
  bool values_from_list() const { return kind == Kind::kGazetteer && !extends_to_surname; }
  const RuleFile* file = nullptr;
  int line = 0;
  std::string pattern;                 // kPattern: after macro expansion
  std::unique_ptr<re2::RE2> regex;     // kPattern
  std::unique_ptr<re2::RE2> not_followed_by;  // kPattern, optional: RE2 has no lookahead
  std::unique_ptr<re2::RE2> not_containing;   // kPattern, optional: nor negative classes of words
  std::map<std::string, int> groups;   // kPattern: capture name -> index
  int span_group = 0;                  // kPattern: index of (?P<span>...), the fact's part of a match
  std::vector<int> value_slots;        // kPattern: group index per value-builder slot, -1 if absent (ValidateRule)
  std::vector<GazetteerName> names;    // kGazetteer

  const std::string& type() const { return file->type; }
  std::string where() const { return file->path + ":" + std::to_string(line); }
  ~Rule();
};

struct Candidate {
  uint32_t begin = 0;  // normalised bytes
  uint32_t end = 0;
  const Rule* rule = nullptr;
  std::vector<std::string_view> groups;       // kPattern: capture i, empty if unmatched; only 0 for a block rule without a span
  const GazetteerEntry* entry = nullptr;      // kGazetteer
  std::string_view veto;   // a guard rejected the hit; it still claims its span
  std::string_view drop;   // the rule's own context check rejected it; it claims nothing
};

struct RuleSetOptions {
  // Per compiled pattern and per RE2::Set: the program and the DFA cache RE2 builds as
  // it goes. A full cache is dropped and rebuilt, so memory stays bounded on endless
  // novel text; 16 MB leaves the largest Set (German) room to compile.
  int64_t max_regex_memory = 16 << 20;
  // Find the rules that may fire with one Vectorscan scan per article (match/prefilter.h)
  // and RE2 only to confirm them; off, RE2::Sets alone do it (slower; the reference the
  // prefilter is tested against).
  bool prefilter = true;
  // Read the examples each rule file carries (what check-rules runs). Off, a load does
  // not parse them: they are half of the rules' YAML and a sixth of a load.
  bool examples = true;
  // Where compiled prefilter databases, checked patterns and the marks of rule folders
  // that loaded clean are kept between runs (base/cache_file.h); empty: none, everything
  // is made, and every language read, at every load.
  std::string cache_dir;
  // Checks each rule once its language is read (the value builders', ValidateRule in
  // resolve/); an error fails the load like a broken pattern. Empty: no check.
  std::function<Status(Rule* rule)> check_rule;
};

class RuleSet {
 public:
  static Result<std::unique_ptr<RuleSet>> Load(const std::string& dir, const RuleSetOptions& options = {});
  ~RuleSet();
  // Owns compiled regexes that threads share by reference; a copy would be a second,
  // separately compiled rule set. Load another instead.
  RuleSet(const RuleSet&) = delete;
  RuleSet& operator=(const RuleSet&) = delete;

  // Compiles the patterns of `lang` if that has not happened yet. A rule whose program
  // is over max_regex_memory is dropped and the language runs without it: the Status
  // names each such rule (file:line and id), and is returned on every call.
  Status Prepare(std::string_view lang) const;
  Status PrepareAll() const;  // every language: what check-rules does
  // Reads every language not read yet, without compiling: then files() and rules() hold
  // them all. The first error, as Prepare would report it.
  Status LoadAll() const;
  // After Prepare: what a compiled language's matcher says of itself (a rule the
  // prefilter cannot take and RE2 alone matches, a cache file found corrupt), by language,
  // after what the load said (a corrupt cache file of checked patterns).
  std::vector<std::string> MatcherNotes() const;
  // Appends every candidate for `text` in language `lang` to `out`.
  // With `tokens`, also gives Tokenise(text), which gazetteers need and later stages share.
  void Match(std::string_view text, std::string_view lang, std::vector<Candidate>* out,
             std::vector<Token>* tokens = nullptr) const;

  // Whether the folder has fact rule files (not only relations) for `lang`.
  bool HasLanguage(std::string_view lang) const;
  // Every language with fact rule files, "und" included, in sorted order.
  std::vector<std::string> Languages() const;
  // Whether the folder has rule files of fact type `type` ("money").
  bool HasType(std::string_view type) const;
  // The rule files and rules read so far: every language's after a Load that found no
  // clean mark, or after LoadAll. Not while another thread may read a language (Prepare, Match).
  const std::vector<std::unique_ptr<RuleFile>>& files() const { return files_; }
  const std::vector<std::unique_ptr<Rule>>& rules() const { return rules_; }
  // The rule file of fact type `type` in `lang` (read now if its language was not yet),
  // or null when there is none or its language cannot be read.
  const RuleFile* File(std::string_view type, std::string_view lang) const;
  // A fingerprint of the rule folder as Load found it: every file's path and bytes.
  const std::string& version() const { return version_; }
  // Words ending in '.' after which no sentence ends, per language.
  const std::vector<std::string>& Abbreviations(std::string_view lang) const;
  const std::string& dir() const { return dir_; }
  // The relation frames of `lang`, or null when it has no relation file.
  const RelationFrames* Relations(std::string_view lang) const;

 private:
  struct Language;
  RuleSet();
  Status LoadCommon();
  // Reads the files of `languages`, merges them in file order (under merge_mutex_, as
  // another thread may be reading another language) and checks and parses their rules.
  // Called by Load for every language, or by EnsureLoaded for one, once.
  Status LoadLanguages(const std::vector<Language*>& languages);
  Status EnsureLoaded(Language& language) const;
  // Compile-time parts of Prepare; pattern_rules are known, compiled regexes in place.
  void BuildPrefilter(Language* language, std::vector<bool>* prefiltered) const;
  // A pattern rule that may match on a line, with no match there starting before `begin`
  // or ending after `end`.
  struct Firing {
    uint32_t line = 0;
    uint32_t rule = 0;  // index into the language's pattern rules
    size_t begin = 0;
    size_t end = 0;
  };
  void FindFiringRules(const Language& language, std::string_view text, const std::vector<size_t>& lines,
                       std::vector<Firing>* fired) const;
  // What one rule file yields (rule_set_internal.h). Files load in parallel, each into
  // its own LoadedFile, and are merged in file order (MergeFile), so a load reports the
  // same first error as one that reads the files one by one.
  struct LoadedFile;
  // LoadLanguages' merge and checks, under merge_mutex_.
  Status MergeLoaded(std::vector<LoadedFile>* loaded, size_t first_file, size_t first_rule);
  // Undoes a read that failed: its languages hold no rules, match nothing and say why
  // (load_status); the languages read after it start from what was read before it.
  void Forget(const std::vector<Language*>& languages, size_t first_file, size_t first_rule,
              const std::set<std::string>& ids_before);
  LoadedFile LoadFile(const std::string& relative_path, const struct MacroTable& common_macros) const;
  Status LoadFileInto(const std::string& relative_path, const MacroTable& common_macros, LoadedFile* out) const;
  Status MergeFile(LoadedFile* loaded);
  Status LoadFactRules(const YAML::Node& root, const MacroTable& macros, LoadedFile* out) const;
  Result<Rule*> AddRule(const YAML::Node& node, Rule::Kind kind, LoadedFile* out) const;
  Status LoadPatternRule(const YAML::Node& node, const MacroTable& macros, LoadedFile* out) const;
  Status LoadGazetteer(const YAML::Node& node, LoadedFile* out) const;
  Status LoadFrames(const YAML::Node& root, const MacroTable& macros, LoadedFile* out) const;
  // Parses every pending pattern (spread over the cores), reads its captures and indexes
  // the gazetteers of the rules from rules_[first_rule] on; compiling waits for Prepare.
  Status Compile(size_t first_rule);
  Status CompileLanguage(Language* language) const;

  RuleSetOptions options_;

  std::string dir_;
  std::string digest_;   // FolderSha256Hex of the folder at Load
  std::string version_;  // its first 16 hex digits
  std::unique_ptr<MacroTable> common_;  // rules/common/'s macros, for every file read
  std::set<std::string, std::less<>> types_;
  // Languages read later (EnsureLoaded) merge their files, rules and frames one at a time.
  mutable std::mutex merge_mutex_;
  std::set<std::string> ids_;  // every rule id merged, for duplicates across files
  std::vector<std::unique_ptr<RuleFile>> files_;
  std::vector<std::unique_ptr<Rule>> rules_;
  std::map<std::string, std::unique_ptr<Language>, std::less<>> languages_;
  std::map<std::string, std::vector<std::string>, std::less<>> abbreviations_;
  std::map<std::string, std::unique_ptr<RelationFrames>, std::less<>> relations_;
  // Patterns read by LoadFile, waiting for Compile, with the line to blame.
  struct PendingRegex {
    Rule* rule;
    RulePart part;
    std::string pattern;
    int line;
  };
  std::vector<PendingRegex> pending_;
  std::vector<std::string> load_notes_;  // a cache file found corrupt at load
};

// ---- implementation of the template ----

template <typename Found>
void Gazetteer::FindAll(std::string_view text, const std::vector<Token>& tokens, Found found) const {
  auto token_text = [&](size_t i) { return text.substr(tokens[i].begin, tokens[i].end - tokens[i].begin); };
  auto try_entries = [&](size_t i, const std::vector<uint32_t>& indexes, bool caps) {
    for (uint32_t index : indexes) {
      const GazetteerEntry& entry = entries_[index];
      const size_t n = entry.tokens.size();
      if (i + n > tokens.size()) continue;
      bool same = true;
      for (size_t k = 1; k < n && same; ++k) {
        const std::string_view t = token_text(i + k);
        same = t == entry.tokens[k] || (caps && IsAllCaps(t) && EqualsIgnoringCase(t, entry.tokens[k]));
      }
      if (same) found(entry, i, i + n);
    }
  };
  for (size_t i = 0; i < tokens.size(); ++i) {
    const std::string_view first = token_text(i);
    if (!first_tokens_.MayContain(first)) continue;
    if (auto it = by_first_token_.find(first); it != by_first_token_.end()) try_entries(i, it->second, false);
    if (first.size() >= 3 && IsAllCaps(first))
      if (auto it = by_upper_first_token_.find(first); it != by_upper_first_token_.end()) try_entries(i, it->second, true);
  }
}

}  // namespace factwire

#endif  // FACTWIRE_MATCH_MATCHER_H_
