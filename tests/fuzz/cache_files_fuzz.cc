// libFuzzer harness: the readers of cache files (base/cache_file.h) on any content. A
// cache file is outside input (another version, a full disk, a hand edit); whatever it
// holds, a load must work and give what it gives without a cache.
// The first byte picks the file: below 64, the rest is a whole prefilter database file,
// and Build must give a prefilter that scans as a freshly compiled one; from 64, the body
// of one with a valid header, so that the body parser is reached, and Build must also
// give every pattern a width; from 128, the rest
// is the body of a checked-patterns file, with a valid header so that the body parser is
// reached, and the load must give every rule the captures its pattern has.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "base/cache_file.h"
#include "match/matcher.h"
#include "match/prefilter.h"

namespace fs = std::filesystem;

namespace {

const fs::path kDir = fs::temp_directory_path() / ("factwire-cache-fuzz-" + std::to_string(::getpid()));

const std::vector<std::string> kPatterns = {"€ ?\\d+(?:m|bn)?", "\\b(?:March|April) \\d{4}\\b", "\\bFinland\\b"};
const std::string kText = "The Commission gave €5m to Finland in March 2025.";

std::set<std::pair<size_t, size_t>> Hits(const factwire::Prefilter& prefilter) {
  std::set<std::pair<size_t, size_t>> hits;
  if (!prefilter.Scan(kText, [&](size_t rule, size_t end) { hits.insert({rule, end}); })) std::abort();
  return hits;
}

std::vector<size_t> Widths(const factwire::Prefilter& prefilter) {
  std::vector<size_t> widths;
  for (size_t i = 0; i < kPatterns.size(); ++i) widths.push_back(prefilter.MaxWidth(i));
  return widths;
}

std::string PrefilterCacheFile() {
  std::vector<factwire::Prefilter::Rejected> rejected;
  factwire::Prefilter::Report report;
  (void)factwire::Prefilter::Build(kPatterns, {(kDir / "prefilter").string()}, &rejected, &report);
  return report.cache_file;
}

void PrefilterFile(const uint8_t* data, size_t size, bool body_only) {
  static const auto [expected, expected_widths] = [] {
    std::vector<factwire::Prefilter::Rejected> rejected;
    const std::unique_ptr<factwire::Prefilter> fresh = factwire::Prefilter::Build(kPatterns, {}, &rejected).value();
    return std::make_pair(Hits(*fresh), Widths(*fresh));
  }();
  static const std::string cache_file = PrefilterCacheFile();
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  if (body_only)
    factwire::WriteCacheFile(cache_file, "factwire prefilter 3", bytes);
  else
    std::ofstream(cache_file, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  std::vector<factwire::Prefilter::Rejected> rejected;
  factwire::Result<std::unique_ptr<factwire::Prefilter>> built =
      factwire::Prefilter::Build(kPatterns, {(kDir / "prefilter").string()}, &rejected);
  if (!built.ok() || Hits(*built.value()) != expected) std::abort();
  // A body is taken only with a database Vectorscan reads back, which no mutation makes:
  // the widths are the ones the patterns give.
  if (Widths(*built.value()) != expected_widths) std::abort();
}

std::map<std::string, std::map<std::string, int>> GroupsByRule(const factwire::RuleSet& rules) {
  std::map<std::string, std::map<std::string, int>> out;
  for (const auto& rule : rules.rules()) out[rule->id] = rule->groups;
  return out;
}

void CheckedPatternsBody(const uint8_t* data, size_t size) {
  static const fs::path rules = [] {
    const fs::path dir = kDir / "rules";
    fs::create_directories(dir / "common");
    fs::create_directories(dir / "money");
    std::ofstream(dir / "common/macros.yaml") << "macros:\n  NUMBER: '\\d+'\n";
    std::ofstream(dir / "money/en.yaml") << "type: money\nrules:\n"
                                            "  - id: money/en/a\n    pattern: '(?P<cur>€)(?P<num>{NUMBER})'\n"
                                            "  - id: money/en/b\n    pattern: '(?P<num>{NUMBER}) (?P<cur>EUR)'\n"
                                            "    not_followed_by: '\\d'\n";
    return dir;
  }();
  factwire::RuleSetOptions options;
  options.cache_dir = (kDir / "checked").string();
  static const auto expected = [&] { return GroupsByRule(*factwire::RuleSet::Load(rules.string(), {}).value()); }();
  static const std::string cache_file = [&] {
    (void)factwire::RuleSet::Load(rules.string(), options);
    for (const auto& entry : fs::directory_iterator(options.cache_dir))
      if (entry.path().extension() == ".re2check") return entry.path().string();
    std::abort();
  }();
  factwire::WriteCacheFile(cache_file, "factwire checked patterns 1",
                           std::string_view(reinterpret_cast<const char*>(data), size));
  factwire::Result<std::unique_ptr<factwire::RuleSet>> loaded = factwire::RuleSet::Load(rules.string(), options);
  if (!loaded.ok() || !loaded.value()->LoadAll().ok()) std::abort();  // marked clean: languages are read on use
  // A body that parses may only be the one the patterns give (or one a hand wrote with
  // other indexes: the checker cannot tell), never a crash or a lost rule.
  if (GroupsByRule(*loaded.value()).size() != expected.size()) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  if (data[0] < 128) PrefilterFile(data + 1, size - 1, /*body_only=*/data[0] >= 64);
  else CheckedPatternsBody(data + 1, size - 1);
  return 0;
}
