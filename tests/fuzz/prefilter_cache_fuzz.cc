// libFuzzer harness: the prefilter's cache reader on any file content. A cache file is
// outside input (another version, a full disk, a hand edit); whatever it holds, Build
// must give a working prefilter, from the file only when it checks out, and scanning
// must report what a freshly compiled one reports.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "match/prefilter.h"

namespace fs = std::filesystem;

namespace {

const std::vector<std::string> kPatterns = {"€ ?\\d+(?:m|bn)?", "\\b(?:March|April) \\d{4}\\b", "\\bFinland\\b"};
const std::string kText = "The Commission gave €5m to Finland in March 2025.";

std::set<std::pair<size_t, size_t>> Hits(const factwire::Prefilter& prefilter) {
  std::set<std::pair<size_t, size_t>> hits;
  if (!prefilter.Scan(kText, [&](size_t rule, size_t end) { hits.insert({rule, end}); })) std::abort();
  return hits;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const fs::path dir = fs::temp_directory_path() / ("factwire-cache-fuzz-" + std::to_string(::getpid()));
  static const auto expected = [] {
    std::vector<factwire::Prefilter::Rejected> rejected;
    return Hits(*factwire::Prefilter::Build(kPatterns, {}, &rejected).value());
  }();
  static const std::string cache_file = [] {
    std::vector<factwire::Prefilter::Rejected> rejected;
    factwire::Prefilter::Report report;
    (void)factwire::Prefilter::Build(kPatterns, {dir.string()}, &rejected, &report);
    return report.cache_file;
  }();
  std::ofstream(cache_file, std::ios::binary).write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  std::vector<factwire::Prefilter::Rejected> rejected;
  factwire::Result<std::unique_ptr<factwire::Prefilter>> built = factwire::Prefilter::Build(kPatterns, {dir.string()}, &rejected);
  if (!built.ok() || Hits(*built.value()) != expected) std::abort();
  return 0;
}
