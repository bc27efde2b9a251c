// Reading inputs, and bad input of every kind: the bad item is reported with where it
// is and what is wrong, and everything else still comes through.
#include "read/byte_stream.h"
#include "read/reader.h"

#include "base/utf8.h"

#include <gtest/gtest.h>
#include <unicode/ucnv.h>

#include <filesystem>
#include <fstream>

#include "test_support.h"

namespace factwire {
namespace {
namespace fs = std::filesystem;

struct Collected {
  std::vector<Article> articles;
  std::vector<std::string> errors;
};

Collected Read(const std::vector<std::string>& inputs, ReadOptions options = {}) {
  Collected out;
  ReadInputs(inputs, options, [&](Result<Article> item) {
    if (item.ok()) out.articles.push_back(std::move(item.value()));
    else out.errors.push_back(item.status().message());
  });
  return out;
}

// `text` in `encoding`, after its byte order mark, as another program would write it.
std::string EncodeWithByteOrderMark(const std::string& text, const char* encoding) {
  const std::string with_mark = "\uFEFF" + text;
  UErrorCode status = U_ZERO_ERROR;
  std::string out(with_mark.size() * 4 + 8, '\0');
  const int32_t n = ucnv_convert(encoding, "UTF-8", out.data(), static_cast<int32_t>(out.size()), with_mark.data(),
                                 static_cast<int32_t>(with_mark.size()), &status);
  EXPECT_TRUE(U_SUCCESS(status)) << u_errorName(status);
  out.resize(static_cast<size_t>(n));
  return out;
}

class ReaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("factwire-reader-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string Write(const std::string& name, const std::string& content) {
    fs::create_directories((dir_ / name).parent_path());
    std::ofstream(dir_ / name, std::ios::binary) << content;
    return (dir_ / name).string();
  }
  fs::path dir_;
};

TEST_F(ReaderTest, TextFileWithFrontMatter) {
  const std::string path = Write("a.txt", "---\nid: seed\npublished: 2024-12-10\nlang: en\ntitle: T\n---\nBody €1.5bn.\n");
  const Collected got = Read({path});
  ASSERT_EQ(got.articles.size(), 1u);
  EXPECT_EQ(got.articles[0].id, "seed");
  EXPECT_EQ(got.articles[0].published, "2024-12-10");
  EXPECT_EQ(got.articles[0].title, "T");
  EXPECT_EQ(got.articles[0].text, "Body €1.5bn.\n") << "offsets count from the body";
  EXPECT_EQ(got.articles[0].source, path);
}

TEST_F(ReaderTest, PlainTextFileIsOneArticleNamedByItsFileName) {
  const std::string path = Write("plain.txt", "Acme raised EUR 300m in Germany.");
  ReadOptions options;
  options.default_published = "2025-03-14";
  options.default_lang = "en";
  const Collected got = Read({path}, options);
  ASSERT_EQ(got.articles.size(), 1u);
  EXPECT_EQ(got.articles[0].id, "plain.txt") << "a file named directly: its file name, wherever it is";
  EXPECT_EQ(got.articles[0].source, path);
  EXPECT_EQ(got.articles[0].published, "2025-03-14") << "--published fills what the input lacks";
  EXPECT_EQ(got.articles[0].lang, "en");
}

// Article identity (DESIGN.md): the input's id, else its URL, else its path relative to
// the folder named as input (a file named directly: its file name). The same files give
// the same ids by a relative or an absolute path, from any working directory.
TEST_F(ReaderTest, IdsComeFromTheInputThenTheUrlThenTheRelativePath) {
  Write("news/a.txt", "---\nid: given\n---\nText.");
  Write("news/b.txt", "---\nurl: https://example.org/b\n---\nText.");
  Write("news/sub/c.txt", "Text.");
  Write("news/d.jsonl", "{\"id\":\"j1\",\"text\":\"x\"}\n{\"url\":\"https://example.org/j2\",\"text\":\"x\"}\n"
                        "{\"text\":\"x\"}\n");
  const fs::path old_cwd = fs::current_path();
  std::vector<std::vector<std::string>> runs;
  for (const std::string& input : {(dir_ / "news").string(), std::string("news"), std::string("./news/")}) {
    fs::current_path(dir_);
    Collected got = Read({input});
    fs::current_path(old_cwd);
    ASSERT_TRUE(got.errors.empty()) << got.errors[0];
    std::vector<std::string> ids;
    for (const Article& article : got.articles) ids.push_back(article.id);
    runs.push_back(ids);
  }
  const std::vector<std::string> expected = {"given", "https://example.org/b", "j1", "https://example.org/j2",
                                             "d.jsonl:3", "sub/c.txt"};
  for (const auto& ids : runs) EXPECT_EQ(ids, expected);
}

TEST_F(ReaderTest, FilesNamedDirectlyAreKnownByTheirFileName) {
  const std::string text = Write("deep/folder/story.txt", "Text.");
  const std::string lines = Write("deep/lines.jsonl", "{\"text\":\"x\"}\n");
  const Collected got = Read({text, lines});
  ASSERT_EQ(got.articles.size(), 2u);
  EXPECT_EQ(got.articles[0].id, "story.txt");
  EXPECT_EQ(got.articles[1].id, "lines.jsonl:1");
}

TEST_F(ReaderTest, MalformedJsonlLineIsReportedWithItsLineNumberAndTheRestIsRead) {
  const std::string path = Write("in.jsonl",
                                 "{\"id\":\"a\",\"text\":\"one\"}\n"
                                 "{\"id\":\"b\",\"text\":\n"          // line 2: cut short
                                 "\n"                                  // blank lines are skipped
                                 "{\"id\":\"c\"}\n"                    // line 4: no text
                                 "[1,2]\n"                             // line 5: not an object
                                 "{\"id\":\"d\",\"text\":\"four\",\"published\":\"14/03/2025\"}\n");
  const Collected got = Read({path});
  ASSERT_EQ(got.articles.size(), 2u);
  EXPECT_EQ(got.articles[0].id, "a");
  EXPECT_EQ(got.articles[1].id, "d");
  ASSERT_EQ(got.articles[1].warnings.size(), 1u);
  EXPECT_NE(got.articles[1].warnings[0].find("not YYYY-MM-DD"), std::string::npos);
  ASSERT_EQ(got.errors.size(), 3u);
  EXPECT_NE(got.errors[0].find("in.jsonl:2: malformed JSON"), std::string::npos) << got.errors[0];
  EXPECT_NE(got.errors[1].find("in.jsonl:4: missing string field 'text'"), std::string::npos) << got.errors[1];
  EXPECT_NE(got.errors[2].find("in.jsonl:5: expected a JSON object"), std::string::npos) << got.errors[2];
}

// Regression (issue 16): a number no double or int64 holds, in any field, made the JSON
// library throw out_of_range; the reader caught only parse errors, and the run aborted
// with the records before it lost.
TEST_F(ReaderTest, NumberTooLargeForADoubleIsAMalformedLineNotAnAbort) {
  const std::string path = Write("numbers.jsonl", "{\"id\":\"a\",\"text\":\"one\"}\n"
                                                  "{\"id\":\"b\",\"x\":1e400,\"text\":\"two\"}\n"
                                                  "{\"id\":\"c\",\"n\":" + std::string(400, '9') + ",\"text\":\"three\"}\n"
                                                  "{\"id\":\"d\",\"text\":\"four\"}\n");
  const Collected got = Read({path});
  ASSERT_EQ(got.articles.size(), 2u);
  EXPECT_EQ(got.articles[0].id, "a");
  EXPECT_EQ(got.articles[1].id, "d");
  ASSERT_EQ(got.errors.size(), 2u);
  EXPECT_NE(got.errors[0].find("numbers.jsonl:2: malformed JSON"), std::string::npos) << got.errors[0];
  EXPECT_NE(got.errors[1].find("numbers.jsonl:3: malformed JSON"), std::string::npos) << got.errors[1];
}

// Regression (issue 16): UTF-16 text with a byte order mark was read as invalid UTF-8
// with NUL bytes and gave no facts. Each mark is decoded, the mark itself left out.
TEST_F(ReaderTest, ByteOrderMarksAreDecodedAndLeftOut) {
  const std::string text = "Zürich, 5 € 🇪🇸";  // two-byte, three-byte and four-byte UTF-8 (a surrogate pair in UTF-16)
  const struct {
    const char* name;
    std::string bytes;
    const char* note;  // the warning; "" for none
  } cases[] = {
      {"utf8.txt", "\xEF\xBB\xBF" + text, ""},
      {"utf16le.txt", EncodeWithByteOrderMark(text, "UTF-16LE"), "decoded from UTF-16LE (byte order mark)"},
      {"utf16be.txt", EncodeWithByteOrderMark(text, "UTF-16BE"), "decoded from UTF-16BE (byte order mark)"},
      {"utf32le.txt", EncodeWithByteOrderMark(text, "UTF-32LE"), "decoded from UTF-32LE (byte order mark)"},
      {"utf32be.txt", EncodeWithByteOrderMark(text, "UTF-32BE"), "decoded from UTF-32BE (byte order mark)"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const Collected got = Read({Write(c.name, c.bytes)});
    ASSERT_EQ(got.articles.size(), 1u);
    EXPECT_EQ(got.articles[0].text, text);
    EXPECT_EQ(got.articles[0].warnings, std::string(c.note).empty() ? std::vector<std::string>{}
                                                                    : std::vector<std::string>{c.note});
  }
  const Collected jsonl = Read({Write("utf16.jsonl", EncodeWithByteOrderMark("{\"id\":\"a\",\"text\":\"" + text + "\"}\n{\"id\":\"b\",\"text\":\"x\"}\n", "UTF-16LE"))});
  ASSERT_EQ(jsonl.articles.size(), 2u);
  EXPECT_EQ(jsonl.articles[0].text, text);
  const Collected broken = Read({Write("odd.txt", std::string("\xFF\xFE" "a\0b", 5))});  // half a UTF-16 unit at the end
  ASSERT_EQ(broken.errors.size(), 1u);
  EXPECT_NE(broken.errors[0].find("odd.txt: cannot be decoded as UTF-16LE, as its byte order mark says"), std::string::npos)
      << broken.errors[0];
}

// Regression: a JSONL line with invalid UTF-8 was reported as malformed JSON and lost.
TEST_F(ReaderTest, InvalidUtf8InAJsonlLineIsRepairedNotLost) {
  const Collected got = Read({Write("bad.jsonl", "{\"id\":\"a\",\"text\":\"EUR 5m \xff in Spain\"}\n")});
  ASSERT_TRUE(got.errors.empty()) << got.errors[0];
  ASSERT_EQ(got.articles.size(), 1u);
  EXPECT_EQ(got.articles[0].text, "EUR 5m \uFFFD in Spain");
  ASSERT_EQ(got.articles[0].warnings.size(), 1u);
  EXPECT_NE(got.articles[0].warnings[0].find("invalid UTF-8"), std::string::npos);
}

// Regression: Windows line ends hid the front matter, which became article text.
TEST_F(ReaderTest, FrontMatterWithWindowsLineEnds) {
  const Collected got = Read({Write("crlf.txt", "---\r\nid: w\r\npublished: 2025-03-14\r\n---\r\nBody.\r\n")});
  ASSERT_EQ(got.articles.size(), 1u);
  EXPECT_EQ(got.articles[0].id, "w");
  EXPECT_EQ(got.articles[0].published, "2025-03-14");
  EXPECT_EQ(got.articles[0].text, "Body.\r\n");
}

TEST(IsoDateTest, OnlyCalendarDates) {
  EXPECT_TRUE(IsIsoDate("2024-02-29"));
  EXPECT_FALSE(IsIsoDate("2025-02-29"));
  EXPECT_FALSE(IsIsoDate("2025-99-99"));
  EXPECT_FALSE(IsIsoDate("1234-56-7-"));
  EXPECT_FALSE(IsIsoDate("14/03/2025"));
}

TEST_F(ReaderTest, FolderIsReadRecursivelyInSortedOrder) {
  Write("b/z.txt", "z");
  Write("a.txt", "a");
  Write("b/items.jsonl", "{\"id\":\"j1\",\"text\":\"x\"}\n{\"id\":\"j2\",\"text\":\"y\"}\n");
  Write("b/notes.json", "{}");  // golden records and other files are not articles
  const Collected got = Read({dir_.string()});
  ASSERT_EQ(got.articles.size(), 4u);
  EXPECT_EQ(got.articles[0].text, "a");
  EXPECT_EQ(got.articles[1].id, "j1");
  EXPECT_EQ(got.articles[2].id, "j2");
  EXPECT_EQ(got.articles[3].text, "z");
}

TEST_F(ReaderTest, MissingInputAndOversizedArticleAreReported) {
  const std::string big = Write("big.txt", std::string(2000, 'x'));
  ReadOptions options;
  options.max_article_bytes = 1000;
  const Collected got = Read({(dir_ / "nope.txt").string(), big}, options);
  EXPECT_TRUE(got.articles.empty());
  ASSERT_EQ(got.errors.size(), 2u);
  EXPECT_NE(got.errors[0].find("no such file"), std::string::npos);
  EXPECT_NE(got.errors[1].find("2000 bytes, over the limit of 1000"), std::string::npos);
}

TEST_F(ReaderTest, UnclosedFrontMatterIsReported) {
  const Collected got = Read({Write("bad.txt", "---\nid: x\nno closing fence\n")});
  ASSERT_EQ(got.errors.size(), 1u);
  EXPECT_NE(got.errors[0].find("bad.txt: front matter has no closing"), std::string::npos) << got.errors[0];
}

// -- bad text reaches the pipeline and still yields a record

TEST(BadTextTest, InvalidUtf8KeepsFactsAndOffsetsWithAWarning) {
  const std::string text = "Caf\xE9 raised \xFF\xFE \xE2\x82\xAC" "5m in Spain.";  // a broken byte pair before €5m
  const Record record = testing::ExtractText(text);
  ASSERT_EQ(record.warnings.size(), 1u);
  EXPECT_NE(record.warnings[0].find("invalid UTF-8"), std::string::npos);
  ASSERT_EQ(record.facts.size(), 2u);
  EXPECT_EQ(record.facts[0].text, "€5m");
  EXPECT_EQ(record.facts[1].text, "Spain");
  // Offsets count the repaired text, where each bad sequence is one U+FFFD.
  testing::ExpectOffsetsHold(RepairUtf8(text).text, record);
}

TEST(BadTextTest, EmptyAndBinaryTextGiveWarningsNotFailures) {
  EXPECT_EQ(testing::ExtractText("").warnings, std::vector<std::string>{"empty text"});
  EXPECT_EQ(testing::ExtractText(" \n\t ").warnings, std::vector<std::string>{"empty text"});
  const Record binary = testing::ExtractText(std::string("\x00\x01\x02\x7F\x00 EUR 5m", 12) + std::string("\x89PNG\r\n\x1A\n"));
  EXPECT_NE(std::find(binary.warnings.begin(), binary.warnings.end(), "text contains NUL bytes: binary input?"),
            binary.warnings.end());
  ASSERT_EQ(binary.facts.size(), 1u);
  EXPECT_EQ(binary.facts[0].text, "EUR 5m");
}

TEST(BadTextTest, TwentyMegabyteSingleLineDocumentIsExtractedWhole) {
  const std::string unit = "Acme raised €1.5bn in Spain and £28 billion in the UK; 23 million users. ";
  std::string text;
  while (text.size() < (20u << 20)) text += unit;
  const Record record = testing::ExtractText(text);
  const size_t units = text.size() / unit.size();
  EXPECT_EQ(record.facts.size(), units * 4);
  EXPECT_TRUE(record.warnings.empty());
  ASSERT_FALSE(record.facts.empty());
  const Fact& last = record.facts.back();
  EXPECT_EQ(last.text, "UK");
  EXPECT_EQ(last.start, (units - 1) * testing::Decode(unit).size() + testing::Decode(unit).find(U"UK"));
}

}  // namespace
}  // namespace factwire

namespace factwire {
namespace {

// Issue 19: a 20 MB text file took 48 MB while it was read, its string doubling as it
// grew. Told where the stream ends (a file's size), Read makes room once; a wrong hint
// (a file that grew or shrank while read) changes nothing that is read.
TEST(ByteStreamTest, ReadMakesRoomOnceForTheBytesExpected) {
  const std::string bytes(3'000'000, 'x');
  for (uint64_t expected_end : {uint64_t{3'000'000}, uint64_t{1'000'000}, uint64_t{9'000'000}}) {
    SCOPED_TRACE(expected_end);
    ByteStream in(MemoryProducer(bytes));
    in.set_expected_end(expected_end);
    std::string out;
    Result<size_t> got = in.Read(bytes.size() + 1, &out);
    ASSERT_TRUE(got.ok());
    EXPECT_EQ(got.value(), bytes.size());
    EXPECT_EQ(out, bytes);
    if (expected_end == bytes.size()) {
      EXPECT_EQ(out.capacity(), bytes.size());
    }
  }
}

}  // namespace
}  // namespace factwire
