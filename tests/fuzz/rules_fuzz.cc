// libFuzzer harness: the rule loader on mutated rule files. The input is a rule file's
// YAML, then a NUL byte, then a TSV lexicon; they are written into a rules folder that
// also holds the project's common macros and lexicons (linked), as <type>/en.yaml (the
// type read from its "type:" line) and fuzz/list.tsv. Loading gives rules or an error,
// never a crash; loaded rules compile and match a sentence.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <regex>
#include <string>

#include "match/matcher.h"

namespace fs = std::filesystem;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const fs::path dir = [] {
    const fs::path d = fs::temp_directory_path() / ("factwire-rules-fuzz-" + std::to_string(::getpid()));
    fs::create_directories(d / "fuzz");
    fs::create_directory_symlink(FACTWIRE_SOURCE_DIR "/rules/common", d / "common");
    fs::create_directory_symlink(FACTWIRE_SOURCE_DIR "/rules/gazetteers", d / "gazetteers");
    return d;
  }();
  const std::string input(reinterpret_cast<const char*>(data), size);
  const size_t nul = input.find('\0');
  const std::string yaml = input.substr(0, nul);
  const std::string tsv = nul == std::string::npos ? "" : input.substr(nul + 1);
  std::smatch type;
  static const std::regex kType("^type: ([a-z]{1,20})$", std::regex::multiline);
  const std::string folder = std::regex_search(yaml, type, kType) ? type[1].str() : "money";
  for (const auto& entry : fs::directory_iterator(dir))  // the previous input's rule file
    if (entry.is_directory() && !entry.is_symlink() && entry.path().filename() != "fuzz") fs::remove_all(entry.path());
  fs::create_directories(dir / folder);
  std::ofstream(dir / folder / "en.yaml", std::ios::binary) << yaml;
  std::ofstream(dir / "fuzz" / "list.tsv", std::ios::binary) << tsv;
  factwire::RuleSetOptions options;
  options.max_regex_memory = 1 << 20;  // keeps each input fast
  factwire::Result<std::unique_ptr<factwire::RuleSet>> rules = factwire::RuleSet::Load(dir.string(), options);
  if (!rules.ok()) return 0;
  (void)rules.value()->Prepare("en");
  std::vector<factwire::Candidate> candidates;
  rules.value()->Match("The European Commission gave €5m to Finland on 14 March 2025.", "en", &candidates);
  return 0;
}
