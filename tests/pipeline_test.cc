// The library interface (include/factwire/): Open, Extract from many threads, and Run
// with sources and sinks, as the CLI, the service and the Python module use it.
#include "factwire/pipeline.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>
#include <thread>

#include "factwire/io.h"
#include "emit/emitter.h"
#include "pipeline/extractor.h"
#include "test_support.h"

namespace factwire {
namespace {

Article MakeArticle(std::string id, std::string text) {
  Article article;
  article.id = std::move(id);
  article.source = "test:" + article.id;
  article.text = std::move(text);
  article.lang = "en";
  article.published = "2025-03-14";
  return article;
}

// A source of given items, some unreadable.
class ListSource : public Source {
 public:
  explicit ListSource(std::vector<Result<Article>> items) : items_(std::move(items)) {}
  void ForEach(const std::function<bool(Result<Article>)>& each) override {
    for (const Result<Article>& item : items_)
      if (!each(item)) return;
  }

 private:
  std::vector<Result<Article>> items_;
};

// A sink that keeps what it gets, holds the ids in `current` unchanged, and can fail.
class KeepingSink : public Sink {
 public:
  bool skips_unchanged() const override { return !current.empty(); }
  Result<bool> IsCurrent(const std::string& id, const std::string& sha) override {
    EXPECT_EQ(sha.size(), 64u) << "the text's SHA-256";
    return current.count(id) > 0;
  }
  Status Put(const Record& record, std::string_view, const std::string&) override {
    if (record.id == fail_at) return Status::IoError("disk full at " + record.id);
    ids.push_back(record.id);
    return {};
  }
  std::set<std::string> current;
  std::string fail_at;
  std::vector<std::string> ids;
};

const Pipeline& SharedPipeline() {
  static const std::unique_ptr<Pipeline> pipeline = [] {
    Result<std::unique_ptr<Pipeline>> opened = Pipeline::Open({testing::SourceDir() + "/rules", {}});
    EXPECT_TRUE(opened.ok()) << opened.status().message();
    return std::move(opened.value());
  }();
  return *pipeline;
}

std::string Jsonl(const Record& record) { return NewJsonlSink(nullptr)->Render(record); }

TEST(PipelineTest, ExtractGivesTheRecordTheExtractorGives) {
  const Article article = MakeArticle("a", "EuroHPC will invest €1.5bn in Spain by 2026.");
  const Record record = SharedPipeline().Extract(article);
  EXPECT_EQ(Jsonl(record), Jsonl(testing::NewExtractor()->Extract(article)));
  ASSERT_FALSE(record.facts.empty());
  testing::ExpectOffsetsHold(article.text, record);
}

TEST(PipelineTest, ExtractIsSafeFromManyThreadsAtOnce) {
  std::vector<Article> articles;
  for (int i = 0; i < 40; ++i)
    articles.push_back(MakeArticle(std::to_string(i), "Acme raised EUR " + std::to_string(i + 1) + "m in Germany."));
  std::vector<std::string> expected;
  for (const Article& article : articles) expected.push_back(Jsonl(SharedPipeline().Extract(article)));
  std::vector<std::string> got(articles.size());
  std::vector<std::thread> threads;
  for (size_t t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (size_t i = t; i < articles.size(); i += 4) got[i] = Jsonl(SharedPipeline().Extract(articles[i]));
    });
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(got, expected);
}

// Regression (issue 16): one 64 MB article took 6.8 GB. A long article is now done in
// windows; with paragraphs that stand alone, the record is the one the whole article
// gives, offsets (code points of the whole, across multi-byte text) and relation
// indexes included; without any break, windows still cut between characters.
TEST(PipelineTest, ALongArticleIsExtractedInWindowsAsAWhole) {
  std::string text;
  for (int i = 0; i < 60; ++i)
    text += "Zürich 🇨🇭: the European Commission gave €" + std::to_string(i + 1) +
            "m to Finland in March 2025 for the LUMI supercomputer in Kajaani.\n\n";
  Article article = MakeArticle("long", text);
  const Record whole = testing::NewExtractor({{}, size_t{1} << 30})->Extract(article);
  const Record windowed = testing::NewExtractor({{}, 1000})->Extract(article);
  ASSERT_GT(whole.facts.size(), 240u);
  ASSERT_GE(whole.relations.size(), 60u);
  EXPECT_EQ(RenderJsonl(windowed, {}), RenderJsonl(whole, {}));
  testing::ExpectOffsetsHold(text, windowed);

  std::string one_line;
  while (one_line.size() < 5000) one_line += "Zürich€5m🇨🇭";  // no space, no line break
  const Record cut = testing::NewExtractor({{}, 1000})->Extract(MakeArticle("line", one_line));
  testing::ExpectOffsetsHold(one_line, cut);
  EXPECT_TRUE(cut.warnings.empty());
}

// A sink that takes a long article's record in parts: keeps each, and the whole
// records of short articles.
class PartsSink : public Sink {
 public:
  bool takes_parts() const override { return true; }
  bool wants_text() const override { return true; }
  Status Put(const Record& record, std::string_view, const std::string&) override {
    records.push_back(record);
    return {};
  }
  Status PutPart(const Record& part, RecordPart place, const std::string&) override {
    if (parts.size() == fail_at_part) return Status::IoError("disk full at part " + std::to_string(fail_at_part));
    parts.push_back(part);
    places.push_back(place);
    return {};
  }
  std::vector<Record> records;
  std::vector<Record> parts;
  std::vector<RecordPart> places;
  size_t fail_at_part = SIZE_MAX;
};

// A sink that takes whole records, text included.
class WholeSink : public Sink {
 public:
  bool wants_text() const override { return true; }
  Status Put(const Record& record, std::string_view, const std::string&) override {
    records.push_back(record);
    return {};
  }
  std::vector<Record> records;
};

// Issue 19: four 20 MB articles on two threads peaked at 722 MB, each article's whole
// record held (and rendered) at once. Run now extracts a long article's windows on
// every thread and gives sinks that take parts its record window by window; the parts
// together, and what whole-record sinks get, are the record Extract gives, byte for
// byte in JSONL, with the articles around it in their places.
TEST(PipelineTest, RunGivesALongArticleInPartsThatMakeTheRecordExtractGives) {
  PipelineOptions windowed{testing::SourceDir() + "/rules", {}};
  windowed.window_bytes = 1000;
  Result<std::unique_ptr<Pipeline>> opened = Pipeline::Open(windowed);
  ASSERT_TRUE(opened.ok()) << opened.status().message();
  const Pipeline& pipeline = *opened.value();
  std::string text;
  for (int i = 0; i < 40; ++i)
    text += "Zürich 🇨🇭: the European Commission gave €" + std::to_string(i + 1) +
            "m to Finland last week for the LUMI supercomputer in Kajaani.\n\n";
  Article long_article = MakeArticle("long", text);
  long_article.lang = "";  // identified from the first window, which the rest then share
  long_article.published = "";  // relative dates: a warning about the whole article, once
  long_article.warnings = {"a warning from the reader"};
  const std::vector<Article> articles = {MakeArticle("a", "Acme raised EUR 300m in Germany."), long_article,
                                         MakeArticle("b", "Spain")};
  std::string expected_jsonl;
  std::string expected_pretty;
  for (const Article& article : articles) {
    expected_jsonl += Jsonl(pipeline.Extract(article));
    expected_pretty += RenderJsonl(pipeline.Extract(article), {/*pretty=*/true});
  }
  const Record whole = pipeline.Extract(long_article);
  ASSERT_GT(whole.facts.size(), 150u);
  ASSERT_GE(whole.relations.size(), 40u);
  ASSERT_EQ(whole.lang, "en");
  ASSERT_GE(whole.warnings.size(), 2u) << Jsonl(whole).substr(Jsonl(whole).find("\"warnings\""));

  for (int threads : {1, 2}) {
    SCOPED_TRACE(threads);
    ListSource source({articles[0], articles[1], articles[2]});
    std::ostringstream jsonl_out;
    std::ostringstream pretty_out;
    std::unique_ptr<Sink> jsonl = NewJsonlSink(&jsonl_out);
    std::unique_ptr<Sink> pretty = NewJsonlSink(&pretty_out, /*pretty=*/true);
    PartsSink parts;
    WholeSink whole_sink;
    SummarySink summary;
    RunOptions options;
    options.threads = threads;
    const RunStats stats = pipeline.Run(source, {jsonl.get(), pretty.get(), &parts, &whole_sink, &summary}, options);
    EXPECT_FALSE(stats.failed());
    EXPECT_EQ(stats.extracted, 3u);
    EXPECT_EQ(jsonl_out.str(), expected_jsonl);
    EXPECT_EQ(pretty_out.str(), expected_pretty);

    ASSERT_EQ(whole_sink.records.size(), 3u);
    EXPECT_EQ(Jsonl(whole_sink.records[1]), Jsonl(whole));
    EXPECT_EQ(whole_sink.records[1].text, text);
    EXPECT_EQ(whole_sink.records[1].sentences.size(), whole.sentences.size());

    ASSERT_EQ(parts.records.size(), 2u) << "the short articles come whole";
    ASSERT_GE(parts.parts.size(), 4u);
    EXPECT_EQ(parts.places.front(), RecordPart::kFirst);
    EXPECT_EQ(parts.places.back(), RecordPart::kLast);
    EXPECT_EQ(std::count(parts.places.begin(), parts.places.end(), RecordPart::kMiddle),
              static_cast<std::ptrdiff_t>(parts.places.size()) - 2);
    EXPECT_EQ(parts.parts[0].id, "long");
    Record joined = parts.parts[0];
    for (size_t i = 1; i < parts.parts.size(); ++i) {
      EXPECT_EQ(parts.parts[i].lang, "en");
      EXPECT_TRUE(parts.parts[i].id.empty()) << "metadata come with the first part";
      testing::ExpectOffsetsHold(text, parts.parts[i]);
      AppendPart(parts.parts[i], &joined);
    }
    EXPECT_EQ(Jsonl(joined), Jsonl(whole));
    EXPECT_EQ(joined.text, text);

    std::ostringstream printed;
    summary.Print(stats, printed);
    EXPECT_NE(printed.str().find("articles: 3 extracted, 0 failed"), std::string::npos) << printed.str();
  }
}

// A sink that fails on a part stops the run there, as on a whole record: the article
// is not counted as extracted, and the articles after it are not delivered.
TEST(PipelineTest, ASinkErrorOnAPartStopsTheRun) {
  PipelineOptions windowed{testing::SourceDir() + "/rules", {}};
  windowed.window_bytes = 1000;
  Result<std::unique_ptr<Pipeline>> opened = Pipeline::Open(windowed);
  ASSERT_TRUE(opened.ok()) << opened.status().message();
  std::string text;
  for (int i = 0; i < 80; ++i) text += "Acme raised EUR " + std::to_string(i + 1) + "m in Germany.\n\n";
  ASSERT_GT(text.size(), 2 * windowed.window_bytes);
  for (int threads : {1, 2}) {
    SCOPED_TRACE(threads);
    ListSource source({MakeArticle("a", "€5m"), MakeArticle("long", text), MakeArticle("b", "€6m")});
    PartsSink sink;
    sink.fail_at_part = 1;
    RunOptions options;
    options.threads = threads;
    const RunStats stats = opened.value()->Run(source, {&sink}, options);
    EXPECT_EQ(stats.extracted, 1u);
    ASSERT_EQ(sink.records.size(), 1u);
    EXPECT_EQ(sink.records[0].id, "a");
    EXPECT_EQ(sink.parts.size(), 1u);
    EXPECT_NE(stats.sink_status.message().find("disk full at part 1"), std::string::npos);
    EXPECT_TRUE(stats.failed());
  }
}

TEST(PipelineTest, OpenRejectsATypeWithoutRules) {
  Result<std::unique_ptr<Pipeline>> opened = Pipeline::Open({testing::SourceDir() + "/rules", {"money", "moneyy"}});
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.status().code(), Status::Code::kUsage);
  EXPECT_NE(opened.status().message().find("moneyy"), std::string::npos);
}

TEST(PipelineTest, OpenNamesTheBrokenRuleFile) {
  Result<std::unique_ptr<Pipeline>> opened = Pipeline::Open({"/nonexistent/rules", {}});
  ASSERT_FALSE(opened.ok());
  EXPECT_NE(opened.status().message().find("/nonexistent/rules"), std::string::npos) << opened.status().message();
}

TEST(PipelineTest, RunDeliversInInputOrderAndReportsBadItemsAndRepeatedIds) {
  ListSource source({MakeArticle("one", "€5m"), Status::InvalidInput("in.jsonl:2: malformed JSON"),
                     MakeArticle("two", "Spain"), MakeArticle("one", "a second article named one"),
                     MakeArticle("three", "EUR 300m in Germany")});
  KeepingSink sink;
  std::vector<Problem> problems;
  size_t progress_calls = 0;
  RunOptions options;
  options.threads = 2;
  options.on_problem = [&](const Problem& p) { problems.push_back(p); };
  options.on_progress = [&](const RunStats& so_far) { EXPECT_EQ(so_far.extracted, ++progress_calls); };
  const RunStats stats = SharedPipeline().Run(source, {&sink}, options);
  EXPECT_EQ(sink.ids, (std::vector<std::string>{"one", "two", "three"}));
  EXPECT_EQ(stats.extracted, 3u);
  EXPECT_EQ(stats.unreadable, 1u);
  EXPECT_EQ(stats.duplicates, 1u);
  EXPECT_EQ(progress_calls, 3u);
  EXPECT_TRUE(stats.failed());
  ASSERT_EQ(problems.size(), 2u);
  EXPECT_EQ(problems[0].kind, Problem::Kind::kUnreadable);
  EXPECT_NE(problems[0].message.find("in.jsonl:2"), std::string::npos);
  EXPECT_EQ(problems[1].kind, Problem::Kind::kDuplicate);
  EXPECT_NE(problems[1].message.find("test:one"), std::string::npos) << "names where the second one came from";
}

TEST(PipelineTest, RunSkipsWhatASinkHoldsUnchangedUnlessForced) {
  for (bool force : {false, true}) {
    ListSource source({MakeArticle("a", "€5m"), MakeArticle("b", "€6m"), MakeArticle("c", "€7m")});
    KeepingSink sink;
    sink.current = {"b"};
    RunOptions options;
    options.force = force;
    const RunStats stats = SharedPipeline().Run(source, {&sink}, options);
    const std::vector<std::string> expected = force ? std::vector<std::string>{"a", "b", "c"} : std::vector<std::string>{"a", "c"};
    EXPECT_EQ(sink.ids, expected);
    EXPECT_EQ(stats.unchanged, force ? 0u : 1u);
    EXPECT_FALSE(stats.failed());
  }
}

TEST(PipelineTest, ASinkErrorStopsTheRunAndTheCountsSayWhatWasDelivered) {
  ListSource source({MakeArticle("a", "€5m"), MakeArticle("b", "€6m"), MakeArticle("c", "€7m")});
  KeepingSink sink;
  sink.fail_at = "b";
  const RunStats stats = SharedPipeline().Run(source, {&sink}, {});
  EXPECT_EQ(sink.ids, std::vector<std::string>{"a"});
  EXPECT_FALSE(stats.sink_status.ok());
  EXPECT_NE(stats.sink_status.message().find("disk full at b"), std::string::npos);
  EXPECT_TRUE(stats.failed());
}

TEST(PipelineTest, JsonlSinkWritesWhatTheCliWrites) {
  ListSource source({MakeArticle("a", "Acme raised EUR 300m in Germany."), MakeArticle("b", "Spain")});
  std::ostringstream out;
  std::unique_ptr<Sink> jsonl = NewJsonlSink(&out);
  SummarySink summary;
  const RunStats stats = SharedPipeline().Run(source, {jsonl.get(), &summary}, {});
  EXPECT_EQ(out.str(), Jsonl(SharedPipeline().Extract(MakeArticle("a", "Acme raised EUR 300m in Germany."))) +
                           Jsonl(SharedPipeline().Extract(MakeArticle("b", "Spain"))));
  std::ostringstream printed;
  summary.Print(stats, printed);
  EXPECT_NE(printed.str().find("articles: 2 extracted, 0 failed"), std::string::npos) << printed.str();
}

TEST(PipelineTest, ExplainShowsCandidatesVerdictsAndTheRecord) {
  const std::string explained = SharedPipeline().Explain(MakeArticle("x", "New Jersey got €5m."));
  EXPECT_NE(explained.find("kept\tmoney/en/"), std::string::npos) << explained;
  EXPECT_NE(explained.find("record:"), std::string::npos);
}

}  // namespace
}  // namespace factwire
