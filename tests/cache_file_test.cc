// The files of derived data kept between runs (base/cache_file.h): a body comes back
// only as it was written; anything else is reported and not used.
#include "base/cache_file.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <functional>

#include "test_support.h"

namespace factwire {
namespace {

constexpr std::string_view kMagic = "factwire test cache 1";

TEST(CacheFileTest, ABodyComesBackAsWritten) {
  testing::TempRuleFolder dir;
  const std::string path = CachePath(dir.dir() + "/sub", "key", "bin");
  EXPECT_EQ(path, dir.dir() + "/sub/key.bin");
  EXPECT_FALSE(ReadCacheFile(path, kMagic).found());
  EXPECT_EQ(ReadCacheFile(path, kMagic).note(), "") << "a file not written yet is no damage";
  const std::string body = std::string("line\n\0binary\xff", 13);
  WriteCacheFile(path, kMagic, body);
  const CachedBody read = ReadCacheFile(path, kMagic);
  EXPECT_TRUE(read.found());
  EXPECT_EQ(read.body(), body);
  EXPECT_EQ(read.note(), "");
  EXPECT_FALSE(ReadCacheFile(path, "factwire test cache 2").found()) << "another format";
}

TEST(CacheFileTest, AFileThatDoesNotCheckOutIsNotUsed) {
  const std::vector<std::pair<std::string, std::function<void(std::string*)>>> damages = {
      {"a flipped byte in the body", [](std::string* file) { file->back() ^= 0x20; }},
      {"cut short", [](std::string* file) { file->resize(file->size() - 3); }},
      {"a byte too many", [](std::string* file) { file->push_back('x'); }},
      {"empty", [](std::string* file) { file->clear(); }},
      {"no size", [](std::string* file) { file->resize(file->find('\n', file->find('\n') + 1) + 1); }},
      {"a size of exabytes", [](std::string* file) {
         const size_t size_line = file->find('\n', file->find('\n') + 1) + 1;
         file->replace(size_line, file->find('\n', size_line) - size_line, "3333333333333333333");
       }},
      {"a size that is no number", [](std::string* file) {
         const size_t size_line = file->find('\n', file->find('\n') + 1) + 1;
         file->replace(size_line, file->find('\n', size_line) - size_line, "-1");
       }},
  };
  for (const auto& [name, damage] : damages) {
    SCOPED_TRACE(name);
    testing::TempRuleFolder dir;
    const std::string path = CachePath(dir.dir(), "key", "bin");
    WriteCacheFile(path, kMagic, "some derived data");
    std::string file = testing::ReadFile(path);
    damage(&file);
    std::ofstream(path, std::ios::binary | std::ios::trunc) << file;
    const CachedBody read = ReadCacheFile(path, kMagic);
    EXPECT_FALSE(read.found());
    EXPECT_EQ(read.body(), "");
    EXPECT_NE(read.note().find(path), std::string::npos) << read.note();
  }
}

TEST(CacheFileTest, AFolderKeepsTheNewestFilesOfEachKind) {
  testing::TempRuleFolder dir;
  for (size_t i = 0; i < kCacheFilesKept + 5; ++i) {
    WriteCacheFile(CachePath(dir.dir(), "old" + std::to_string(i), "bin"), kMagic, "x");
    std::filesystem::last_write_time(CachePath(dir.dir(), "old" + std::to_string(i), "bin"),
                                     std::filesystem::file_time_type::clock::now() - std::chrono::hours(100 - i));
  }
  WriteCacheFile(CachePath(dir.dir(), "other", "txt"), kMagic, "x");
  WriteCacheFile(CachePath(dir.dir(), "new", "bin"), kMagic, "x");
  size_t bins = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir.dir())) bins += entry.path().extension() == ".bin";
  EXPECT_EQ(bins, kCacheFilesKept);
  EXPECT_TRUE(ReadCacheFile(CachePath(dir.dir(), "new", "bin"), kMagic).found());
  EXPECT_TRUE(ReadCacheFile(CachePath(dir.dir(), "other", "txt"), kMagic).found()) << "another kind is not counted";
  EXPECT_FALSE(std::filesystem::exists(CachePath(dir.dir(), "old0", "bin")));
}

}  // namespace
}  // namespace factwire
