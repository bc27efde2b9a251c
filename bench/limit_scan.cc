// The "limit" line of tools/bench: one RE2::Set of every pattern rule a language runs
// (its own and the language-neutral ones) scanning each article's text once, with no
// captures, no gazetteers and nothing after matching: what RE2 alone costs, so the ratio
// of factwire's throughput to this one's, on the same input in the same run, is how far
// the pipeline is from its matcher. RE2 builds its DFA as it meets new text, so the
// first scan (what one process over unseen text pays) is reported apart from the warm
// ones (the median of RUNS more scans, default 3): the warm figure is the limit. A
// second line gives the same for the Vectorscan prefilter database of those patterns
// (match/prefilter.h; $FACTWIRE_CACHE holds compiled ones), which is what factwire scans
// with before RE2 confirms a hit.
//   limit_scan RULES_DIR LANG INPUT.jsonl [RUNS]
#include <re2/re2.h>
#include <re2/set.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "match/matcher.h"
#include "match/prefilter.h"

namespace {

int Fail(const std::string& message) {
  std::fprintf(stderr, "limit_scan: %s\n", message.c_str());
  return 1;
}

// Seconds of each of `runs` passes of `scan` over every text.
template <typename Scan>
std::vector<double> Time(const std::vector<std::string>& texts, int runs, Scan scan) {
  std::vector<double> seconds;
  for (int run = 0; run < runs; ++run) {
    const auto start = std::chrono::steady_clock::now();
    for (const std::string& text : texts) scan(text);
    seconds.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  return seconds;
}

// "WHAT, X MB in S s warm: R MB/s (first scan: F MB/s; N hits)".
void Print(const std::string& what, size_t bytes, std::vector<double> seconds, size_t hits) {
  const double mb = static_cast<double>(bytes) / 1e6;
  const double first = seconds.front();
  std::sort(seconds.begin() + 1, seconds.end());
  const double warm = seconds[1 + (seconds.size() - 1) / 2];
  std::printf("%s, %.1f MB in %.3f s warm: %.2f MB/s (first scan: %.2f MB/s; %zu hits)\n", what.c_str(), mb, warm,
              mb / warm, mb / first, hits);
}

std::vector<std::string> Texts(const std::string& path) {
  std::vector<std::string> texts;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) {
    const nlohmann::json object = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (object.is_object() && object.contains("text") && object["text"].is_string())
      texts.push_back(object["text"].get<std::string>());
  }
  return texts;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) return Fail("usage: limit_scan RULES_DIR LANG INPUT.jsonl [RUNS]");
  const std::string lang = argv[2];
  const int runs = 1 + (argc > 4 ? std::max(1, std::atoi(argv[4])) : 3);  // the first is cold
  factwire::Result<std::unique_ptr<factwire::RuleSet>> rules = factwire::RuleSet::Load(argv[1]);
  if (!rules.ok()) return Fail(rules.status().message());
  RE2::Options options;
  options.set_max_mem(int64_t{1} << 30);  // room for the DFA: the limit is speed, not memory
  options.set_log_errors(false);
  RE2::Set set(options, RE2::UNANCHORED);
  std::vector<std::string> patterns;
  for (const auto& rule : rules.value()->rules()) {
    if (rule->kind != factwire::Rule::Kind::kPattern) continue;
    if (rule->file->lang != lang && rule->file->lang != "und") continue;
    if (set.Add(rule->pattern, nullptr) >= 0) patterns.push_back(rule->pattern);
  }
  if (patterns.empty() || !set.Compile()) return Fail("no patterns for '" + lang + "', or the set did not compile");
  const std::vector<std::string> texts = Texts(argv[3]);
  size_t bytes = 0;
  for (const std::string& text : texts) bytes += text.size();
  const std::string count = std::to_string(patterns.size()) + " patterns (" + lang + ")";

  std::vector<int> matched;
  size_t hits = 0;
  std::vector<double> seconds = Time(texts, runs, [&](const std::string& text) {
    matched.clear();
    if (set.Match(text, &matched)) hits += matched.size();
  });
  Print("limit: RE2::Set of " + count, bytes, seconds, hits / runs);

  factwire::PrefilterOptions prefilter_options;
  if (const char* cache = std::getenv("FACTWIRE_CACHE")) prefilter_options.cache_dir = cache;
  std::vector<factwire::Prefilter::Rejected> rejected;
  factwire::Result<std::unique_ptr<factwire::Prefilter>> prefilter =
      factwire::Prefilter::Build(patterns, prefilter_options, &rejected);
  if (!prefilter.ok()) return Fail(prefilter.status().message());
  hits = 0;
  seconds = Time(texts, runs, [&](const std::string& text) {
    prefilter.value()->Scan(text, [&](size_t, size_t) { ++hits; });
  });
  Print("prefilter: Vectorscan database of " + std::to_string(patterns.size() - rejected.size()) + " of the " + count,
        bytes, seconds, hits / runs);
  return 0;
}
