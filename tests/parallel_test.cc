// Parallel extraction: records come back in input order, match what one thread makes,
// and no more than the queue's worth of articles is ever in flight.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <stdexcept>

#include "emit/emitter.h"
#include "pipeline/parallel.h"
#include "test_support.h"

namespace factwire {
namespace {

// Articles of very different lengths, so that workers finish out of order.
std::vector<Article> MixedArticles(size_t count) {
  std::vector<Article> articles;
  for (size_t i = 0; i < count; ++i) {
    Article article;
    article.id = "a";  // appended, not "a" + ...: that trips a gcc 12 -Wrestrict false positive
    article.id += std::to_string(i);
    article.lang = "en";
    article.published = "2025-03-14";
    const size_t repeats = 1 + (i * 7919) % 40;
    for (size_t k = 0; k < repeats; ++k)
      article.text += "The European Commission gave €" + std::to_string(i + 1) + "m to Finland in March 2025. ";
    articles.push_back(std::move(article));
  }
  return articles;
}

std::string AsJsonl(const Record& record) { return RenderJsonl(record, {}); }

// What the sink receives for `articles`, submitted in order on `threads` threads.
std::vector<Extracted> ExtractAll(const ExtractorOptions& extractor_options, int threads,
                                  const std::vector<Article>& articles) {
  std::vector<Extracted> got;
  ParallelOptions options;
  options.threads = threads;
  auto pool = ParallelExtractor::Create(testing::ProjectRules(), extractor_options, options,
                                        [&](Extracted extracted) { got.push_back(std::move(extracted)); });
  EXPECT_TRUE(pool.ok()) << pool.status().message();
  if (!pool.ok()) return got;
  for (const Article& article : articles) pool.value()->Submit(article);
  pool.value()->Finish();
  return got;
}

TEST(ParallelTest, RecordsComeBackInInputOrderAsOneThreadMakesThem) {
  const std::vector<Article> articles = MixedArticles(120);
  std::vector<std::string> expected;
  std::unique_ptr<Extractor> single = testing::NewExtractor();
  for (const Article& article : articles) expected.push_back(AsJsonl(single->Extract(article)));

  for (int threads : {1, 2, 4}) {
    std::vector<std::string> got;
    std::vector<std::string> tags;
    size_t submitted = 0;
    size_t most_in_flight = 0;
    ParallelOptions options;
    options.threads = threads;
    options.queue_per_thread = 2;
    options.render = [](const Record& record) { return std::vector<std::string>{AsJsonl(record)}; };  // on the extracting threads
    auto pool = ParallelExtractor::Create(testing::ProjectRules(), {}, options, [&](Extracted extracted) {
      most_in_flight = std::max(most_in_flight, submitted - got.size());
      ASSERT_EQ(extracted.rendered.size(), 1u);
      EXPECT_EQ(extracted.rendered[0], AsJsonl(extracted.record));
      got.push_back(std::move(extracted.rendered[0]));
      tags.push_back(std::move(extracted.tag));
    });
    ASSERT_TRUE(pool.ok()) << pool.status().message();
    EXPECT_EQ(pool.value()->threads(), threads);
    for (const Article& article : articles) {
      ++submitted;
      pool.value()->Submit(article, "tag-" + article.id);
    }
    pool.value()->Finish();
    ASSERT_EQ(got.size(), expected.size()) << threads << " threads";
    for (size_t i = 0; i < got.size(); ++i) {
      EXPECT_EQ(got[i], expected[i]) << threads << " threads, article " << i;
      EXPECT_EQ(tags[i], "tag-" + articles[i].id);
    }
    EXPECT_LE(most_in_flight, static_cast<size_t>(2 * threads)) << "the queue bounds memory";
  }
}

// Large articles are held in flight by their bytes, not only their count: with room for
// 16 articles but bytes for about two, no more than two (and the one let through) wait.
TEST(ParallelTest, BytesInFlightAreBounded) {
  const std::vector<Article> articles = MixedArticles(40);
  size_t largest = 0;
  for (const Article& article : articles) largest = std::max(largest, article.text.size());
  ParallelOptions options;
  options.threads = 2;
  options.queue_per_thread = 8;
  options.max_in_flight_bytes = 2 * largest;
  size_t submitted_bytes = 0;
  size_t delivered_bytes = 0;
  size_t most_in_flight = 0;
  size_t delivered = 0;
  auto pool = ParallelExtractor::Create(testing::ProjectRules(), {}, options, [&](Extracted extracted) {
    most_in_flight = std::max(most_in_flight, submitted_bytes - delivered_bytes);
    delivered_bytes += extracted.text_bytes;
    ++delivered;
  });
  ASSERT_TRUE(pool.ok()) << pool.status().message();
  for (const Article& article : articles) {
    submitted_bytes += article.text.size();
    pool.value()->Submit(article);
  }
  pool.value()->Finish();
  EXPECT_EQ(delivered, articles.size());
  EXPECT_LE(most_in_flight, options.max_in_flight_bytes + largest);
}

// The defaults grow with the threads: 64 articles and 8 MB of text in flight per thread.
TEST(ParallelTest, DefaultBoundsAreSetPerThread) {
  for (int threads : {1, 3}) {
    ParallelOptions options;
    options.threads = threads;
    auto pool = ParallelExtractor::Create(testing::ProjectRules(), {}, options, [](Extracted) {});
    ASSERT_TRUE(pool.ok()) << pool.status().message();
    EXPECT_EQ(pool.value()->capacity(), 64u * static_cast<size_t>(threads));
    EXPECT_EQ(pool.value()->max_in_flight_bytes(), kInFlightBytesPerThread * static_cast<size_t>(threads));
  }
  ParallelOptions given;
  given.threads = 2;
  given.max_in_flight_bytes = 12345;
  auto pool = ParallelExtractor::Create(testing::ProjectRules(), {}, given, [](Extracted) {});
  ASSERT_TRUE(pool.ok());
  EXPECT_EQ(pool.value()->max_in_flight_bytes(), 12345u) << "a bound given is kept as given";
}

// A window that fails ends its article: the windows after it are not extracted (but for
// those already in flight), one last window closes the article for the sink, and the
// next article is extracted as usual.
TEST(ParallelTest, AfterAWindowFailsTheArticlesLaterWindowsAreNotExtracted) {
  Article long_article;
  long_article.id = "long";
  long_article.lang = "en";
  for (int i = 0; i < 80; ++i)
    long_article.text += i == 8 ? "Zanzibar gave €5m to Finland in March 2025. " : "The European Commission gave €5m to Finland in March 2025. ";
  Article next = MixedArticles(1)[0];
  ExtractorOptions extractor_options;
  extractor_options.window_bytes = 400;
  for (int threads : {1, 2}) {
    std::atomic<size_t> long_windows_extracted{0};
    extractor_options.before_extract = [&](const Article& item) {
      if (item.id != "long") return;
      ++long_windows_extracted;
      if (item.text.find("Zanzibar") != std::string::npos) throw std::runtime_error("planted failure");
    };
    const std::vector<Extracted> got = ExtractAll(extractor_options, threads, {long_article, next});

    const size_t windows = long_article.text.size() / extractor_options.window_bytes;
    ASSERT_GE(got.size(), 4u) << threads << " threads";
    size_t failed_at = got.size();
    for (size_t i = 0; i + 1 < got.size(); ++i) {
      ASSERT_TRUE(got[i].window) << "record " << i;
      EXPECT_EQ(got[i].window->index, i);
      EXPECT_EQ(got[i].window->last, i + 2 == got.size()) << "one last window, at the end";
      if (!got[i].error.empty() && failed_at == got.size()) failed_at = i;
    }
    ASSERT_LT(failed_at, 2u) << "the planted failure is in the first or second window";
    EXPECT_EQ(got[failed_at].error, "planted failure");
    EXPECT_NE(got[got.size() - 2].error.find("an earlier window of the article failed"), std::string::npos);
    // One thread stops at once; more may have the windows in flight (threads + 1) done.
    EXPECT_LE(long_windows_extracted.load(), failed_at + 1 + (threads > 1 ? static_cast<size_t>(threads) + 1 : 0))
        << "of " << windows << " windows, " << threads << " threads";
    EXPECT_FALSE(got.back().window);
    EXPECT_TRUE(got.back().error.empty());
    EXPECT_FALSE(got.back().record.facts.empty()) << "the next article is extracted";
  }
}

// The last window of one long article fails while the next long article is being
// queued: that next article keeps every window.
TEST(ParallelTest, AWindowFailingLateDoesNotCutTheNextArticle) {
  auto long_article = [](const std::string& id) {
    Article article;
    article.id = id;
    article.lang = "en";
    for (int i = 0; i < 40; ++i) article.text += "The European Commission gave €5m to Finland in March 2025. ";
    return article;
  };
  const Article first = long_article("first");
  const Article second = long_article("second");
  ExtractorOptions extractor_options;
  extractor_options.window_bytes = 400;
  std::mutex mutex;
  std::condition_variable started;
  bool second_started = false;
  extractor_options.before_extract = [&](const Article& item) {
    std::unique_lock<std::mutex> lock(mutex);
    if (item.id == "second") {
      second_started = true;
      started.notify_all();
    } else if (item.text.size() < 400 - 60) {  // the first article's last, short window
      started.wait_for(lock, std::chrono::seconds(20), [&] { return second_started; });
      throw std::runtime_error("planted failure");
    }
  };
  const std::vector<Extracted> got = ExtractAll(extractor_options, 2, {first, second});
  ASSERT_TRUE(second_started);
  size_t second_windows = 0;
  bool first_failed = false;
  for (const Extracted& extracted : got) {
    ASSERT_TRUE(extracted.window);
    first_failed |= extracted.record.id == "first" && extracted.error == "planted failure";
    if (extracted.record.id != "second") continue;
    EXPECT_EQ(extracted.window->index, second_windows++);
    EXPECT_EQ(extracted.error, "");
  }
  EXPECT_TRUE(first_failed);
  EXPECT_GE(second_windows, second.text.size() / extractor_options.window_bytes);
  EXPECT_TRUE(got.back().window->last);
  EXPECT_EQ(got.back().record.id, "second");
  EXPECT_EQ(got.back().error, "");
}

TEST(ParallelTest, FinishWithNothingSubmittedReturns) {
  size_t records = 0;
  auto pool = ParallelExtractor::Create(testing::ProjectRules(), {}, ParallelOptions{2, 4, size_t{64} << 20, nullptr}, [&](Extracted) { ++records; });
  ASSERT_TRUE(pool.ok());
  pool.value()->Finish();
  EXPECT_EQ(records, 0u);
}

}  // namespace
}  // namespace factwire
