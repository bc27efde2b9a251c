// What the rule loader (rule_loader.cc) and the matching runtime (rule_set.cc) share
// inside match/: the macro table of a load and a language's compiled state. Not part of
// any interface outside match/.
#ifndef FACTWIRE_MATCH_RULE_SET_INTERNAL_H_
#define FACTWIRE_MATCH_RULE_SET_INTERNAL_H_

#include <re2/re2.h>
#include <re2/set.h>

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "match/matcher.h"
#include "match/prefilter.h"

namespace factwire {

// Macro name -> its pattern and where it was defined ("common/macros.yaml:4").
struct MacroTable {
  struct Macro {
    std::string pattern;
    std::string where;
  };
  std::map<std::string, Macro, std::less<>> macros;
};

struct RuleSet::Language {
  std::string name;                // "en"
  std::vector<std::string> files;  // its rule files, relative to the folder, sorted
  bool has_facts = false;          // a fact rule file among them, not only relations
  // Read by Load, or on the language's first use (EnsureLoaded), once.
  std::once_flag load_once;
  bool loaded = false;
  Status load_status;
  std::vector<Rule*> rules;  // its rules, in file order
  // Compiled on the first use of the language (Prepare), once, whichever thread gets there.
  std::once_flag compile_once;
  Status compiled;                          // how compiling went
  std::vector<PendingRegex> pending;        // checked at Load, compiled by Prepare
  // Which pattern rules can fire, and on which lines: the prefilter, one scan of the
  // article for every rule it takes (all of them, as a rule), indexed like pattern_rules.
  std::unique_ptr<Prefilter> prefilter;
  std::vector<std::string> matcher_notes;  // rules the prefilter left to RE2, a cache rebuilt
  // For rules the prefilter does not take (or every rule, with it off): RE2::Sets of the
  // rules of one fact type, a
  // few rules each (kRulesPerSet in CompileLanguage). Patterns of one type move through
  // text together (dates at months and years, names at capitals); a single Set over all
  // types made a DFA whose states are the products of theirs, and on text it had not
  // seen it spent its time building them (0.5 MB/s, against tens of MB/s for the sets
  // per type).
  struct TypeSet {
    std::unique_ptr<RE2::Set> set;
    std::vector<size_t> rules;  // by index in `set`: index into pattern_rules
    bool compiled = false;      // false: the Set cannot say which rules fire, so all of them scan every line
  };
  std::vector<TypeSet> sets;
  std::vector<const Rule*> pattern_rules;   // in rule order, which candidates keep
  Gazetteer names;                          // every gazetteer rule's names, one index
};

struct RuleSet::LoadedFile {
  Status status;  // the first error met; what was loaded before it stays, for MergeFile
  std::unique_ptr<RuleFile> file;
  std::vector<std::unique_ptr<Rule>> rules;  // in the order they were read
  std::vector<int> id_lines;                 // per rule: the line of its id, to blame a duplicate
  std::set<std::string> ids;                 // this file's rule ids, so far
  std::vector<PendingRegex> pending;
  std::unique_ptr<RelationFrames> frames;    // a relation file's
};

// RE2 options for every pattern of a rule set: errors as values, the memory budget.
RE2::Options RegexOptions(const RuleSetOptions& options);

// Runs work(i) for i in [0, count) on every core: parsing at load, compiling at Prepare.
void ParallelFor(size_t count, const std::function<void(size_t)>& work);

}  // namespace factwire

#endif  // FACTWIRE_MATCH_RULE_SET_INTERNAL_H_
