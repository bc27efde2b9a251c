// Shared by the test suites: the project's rules, loaded once, and an extractor on them.
#ifndef FACTWIRE_TESTS_TEST_SUPPORT_H_
#define FACTWIRE_TESTS_TEST_SUPPORT_H_

#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "emit/value_json.h"
#include "pipeline/extractor.h"

namespace factwire::testing {

inline std::string SourceDir() { return FACTWIRE_SOURCE_DIR; }

inline const RuleSet& ProjectRules() {
  static const std::unique_ptr<RuleSet> rules = [] {
    Result<std::unique_ptr<RuleSet>> loaded = LoadRules(SourceDir() + "/rules");
    const Status all = loaded.ok() ? loaded.value()->LoadAll() : loaded.status();  // tests read files()
    if (!all.ok()) {
      ADD_FAILURE() << all.message();
      std::abort();
    }
    return std::move(loaded.value());
  }();
  return *rules;
}

inline std::unique_ptr<Extractor> NewExtractor(const ExtractorOptions& options = {}) {
  Result<std::unique_ptr<Extractor>> extractor = Extractor::Create(ProjectRules(), options);
  EXPECT_TRUE(extractor.ok()) << extractor.status().message();
  return std::move(extractor.value());
}

inline Record ExtractText(const std::string& text, const std::string& published = "") {
  static std::unique_ptr<Extractor> extractor = NewExtractor();
  Article article;
  article.id = "test";
  article.text = text;
  article.published = published;
  article.lang = "en";
  return extractor->Extract(article);
}

// Code points of valid UTF-8, decoded independently of the code under test.
inline std::u32string Decode(const std::string& utf8) {
  std::u32string out;
  for (size_t i = 0; i < utf8.size();) {
    const unsigned char b = static_cast<unsigned char>(utf8[i]);
    const int n = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
    char32_t c = n == 1 ? b : b & (0x7F >> n);
    for (int k = 1; k < n && i + k < utf8.size(); ++k) c = (c << 6) | (static_cast<unsigned char>(utf8[i + k]) & 0x3F);
    out.push_back(c);
    i += static_cast<size_t>(n);
  }
  return out;
}

// The sacred invariant: original[start:end] == text, in code points.
inline void ExpectOffsetsHold(const std::string& original, const Record& record) {
  const std::u32string text = Decode(original);
  for (const Fact& fact : record.facts) {
    ASSERT_LE(fact.start, fact.end) << record.id << ": " << fact.text;
    ASSERT_LE(fact.end, text.size()) << record.id << ": " << fact.text;
    EXPECT_EQ(text.substr(fact.start, fact.end - fact.start), Decode(fact.text))
        << record.id << ": fact '" << fact.text << "' at [" << fact.start << "," << fact.end << ")";
  }
}

// A rules folder written by a test in a fresh temporary directory, removed at the end:
// rule files and lists as data, loaded with no rebuild. Not copyable: it owns the folder.
// The bytes of the file at `path` (empty if it cannot be read).
inline std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

class TempRuleFolder {
 public:
  TempRuleFolder()
      : dir_(std::filesystem::temp_directory_path() /
             ("factwire-rules-" + std::to_string(::getpid()) + "-" + std::to_string(counter_++))) {
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  ~TempRuleFolder() { std::filesystem::remove_all(dir_); }
  TempRuleFolder(const TempRuleFolder&) = delete;
  TempRuleFolder& operator=(const TempRuleFolder&) = delete;

  void Write(const std::string& path, const std::string& content) const {
    std::filesystem::create_directories((dir_ / path).parent_path());
    std::ofstream(dir_ / path) << content;
  }
  Result<std::unique_ptr<RuleSet>> Load() const { return LoadRules(dir_.string()); }
  std::string dir() const { return dir_.string(); }

 private:
  static inline int counter_ = 0;
  std::filesystem::path dir_;
};

}  // namespace factwire::testing

#endif  // FACTWIRE_TESTS_TEST_SUPPORT_H_
