// Every rule file's own examples, one test per file: a rule author sees the file, line,
// example and rule id of each failure.
#include <gtest/gtest.h>

#include "pipeline/rule_examples.h"
#include "test_support.h"

namespace factwire {
namespace {

class RuleExamplesTest : public ::testing::TestWithParam<std::string> {};

TEST_P(RuleExamplesTest, AllExamplesPass) {
  const RuleFile* file = nullptr;
  for (const auto& f : testing::ProjectRules().files())
    if (f->path == GetParam()) file = f.get();
  ASSERT_NE(file, nullptr);
  EXPECT_FALSE(file->examples.empty()) << file->path << " carries no examples";
  size_t positive = 0;
  size_t negative = 0;
  static std::unique_ptr<Extractor> extractor = testing::NewExtractor();
  for (const auto& example : file->examples) {
    (example.positive ? positive : negative) += 1;
    const ExampleOutcome outcome = CheckExample(*file, example, extractor.get());
    EXPECT_TRUE(outcome.passed) << outcome.message;
  }
  EXPECT_GT(positive, 0u);
  EXPECT_GT(negative, 0u);
}

// Fact rule files; relation files' examples are relations, run in relations_test.cc.
std::vector<std::string> RuleFilePaths() {
  std::vector<std::string> paths;
  for (const auto& file : testing::ProjectRules().files())
    if (file->type != "relation") paths.push_back(file->path);
  return paths;
}

INSTANTIATE_TEST_SUITE_P(RuleFiles, RuleExamplesTest, ::testing::ValuesIn(RuleFilePaths()),
                         [](const ::testing::TestParamInfo<std::string>& param) {
                           std::string name = param.param;
                           for (char& c : name)
                             if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                           return name;
                         });

}  // namespace
}  // namespace factwire
