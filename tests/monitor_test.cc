// The state the resident commands keep in the database (store/store.h): the alert log,
// the webhook outbox and the watched files; and the webhook signature and URL checks.
// Against a real SQLite file; tests/pg_test.sh runs the same SQL on PostgreSQL.
#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "base/digest.h"
#include "monitor/webhooks.h"
#include "store/store.h"

namespace factwire {
namespace {

class StoreStateTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = ::testing::TempDir() + "monitor_test_" + ::testing::UnitTest::GetInstance()->current_test_info()->name() +
            "_" + std::to_string(::getpid()) + ".db";
    std::remove(path_.c_str());
    Result<std::unique_ptr<Store>> store = Store::Open("sqlite:" + path_, {"rules-1", 1});
    ASSERT_TRUE(store.ok()) << store.status().message();
    store_ = std::move(store.value());
  }
  void TearDown() override {
    store_.reset();
    for (const char* suffix : {"", "-wal", "-shm"}) std::remove((path_ + suffix).c_str());
  }
  std::string path_;
  std::unique_ptr<Store> store_;
};

TEST_F(StoreStateTest, AnAlertIsKeptOnceWithOneDeliveryPerUrl) {
  const std::vector<std::string> urls = {"http://a/hook", "http://b/hook"};
  Result<int64_t> first = store_->PutAlert("alert-1", "rule", "article", "{\"id\":\"alert-1\"}\n", urls);
  ASSERT_TRUE(first.ok()) << first.status().message();
  EXPECT_EQ(first.value(), 1);
  Result<int64_t> again = store_->PutAlert("alert-1", "rule", "article", "{\"id\":\"alert-1\"}\n", urls);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again.value(), 0) << "the same id again is no new alert";
  Result<std::vector<Store::Delivery>> due = store_->DueDeliveries(INT64_MAX, 10);
  ASSERT_TRUE(due.ok()) << due.status().message();
  ASSERT_EQ(due->size(), 2u) << "one delivery per URL, none for the repeat";
  EXPECT_EQ(due->at(0).json, "{\"id\":\"alert-1\"}\n");
  EXPECT_EQ(due->at(0).attempts, 0);
  Result<std::vector<StoredAlert>> log = store_->AlertsAfter(0, 10);
  ASSERT_TRUE(log.ok());
  ASSERT_EQ(log->size(), 1u);
  EXPECT_EQ(log->at(0).seq, 1);
}

TEST_F(StoreStateTest, AFailedDeliveryWaitsAndADeliveredOneLeavesTheOutbox) {
  ASSERT_TRUE(store_->PutAlert("alert-1", "rule", "article", "{}", {"http://a/hook"}).ok());
  ASSERT_TRUE(store_->PutAlert("alert-2", "rule", "article", "{}", {}).ok());
  Result<std::vector<Store::Delivery>> due = store_->DueDeliveries(INT64_MAX, 10);
  ASSERT_TRUE(due.ok());
  ASSERT_EQ(due->size(), 1u) << "an alert without webhooks has no delivery";
  const Store::Delivery delivery = due->at(0);
  ASSERT_TRUE(store_->DeliveryFailed(delivery, 5000, "HTTP status 500").ok());
  EXPECT_TRUE(store_->DueDeliveries(4999, 10)->empty()) << "not due before its retry time";
  Result<std::optional<int64_t>> next = store_->NextDeliveryMs();
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(next.value(), std::optional<int64_t>(5000));
  Result<std::vector<Store::Delivery>> retry = store_->DueDeliveries(5000, 10);
  ASSERT_EQ(retry->size(), 1u);
  EXPECT_EQ(retry->at(0).attempts, 1);
  ASSERT_TRUE(store_->Delivered(retry->at(0)).ok());
  EXPECT_TRUE(store_->DueDeliveries(INT64_MAX, 10)->empty());
  EXPECT_EQ(store_->NextDeliveryMs().value(), std::nullopt);
}

TEST_F(StoreStateTest, AWatchedFileIsKnownByItsContent) {
  EXPECT_EQ(store_->WatchedFile("abc").value(), std::nullopt);
  ASSERT_TRUE(store_->PutWatchedFile("abc", "a.txt", 3, 0).ok());
  EXPECT_EQ(store_->WatchedFile("abc").value(), std::optional<std::string>("a.txt"));
  EXPECT_TRUE(store_->PutWatchedFile("abc", "b.txt", 3, 0).ok()) << "the same bytes again: kept as first seen";
  EXPECT_EQ(store_->WatchedFile("abc").value(), std::optional<std::string>("a.txt"));
}

TEST_F(StoreStateTest, StateOutlivesTheConnection) {
  ASSERT_TRUE(store_->PutAlert("alert-1", "rule", "article", "{}", {"http://a/hook"}).ok());
  ASSERT_TRUE(store_->PutWatchedFile("abc", "a.txt", 1, 0).ok());
  store_.reset();  // as a kill would leave it: every call above committed on its own
  Result<std::unique_ptr<Store>> reopened = Store::Open("sqlite:" + path_, {"rules-1", 1});
  ASSERT_TRUE(reopened.ok());
  EXPECT_EQ(reopened.value()->DueDeliveries(INT64_MAX, 10)->size(), 1u);
  EXPECT_TRUE(reopened.value()->WatchedFile("abc").value().has_value());
}

TEST(WebhookTest, SignatureIsHmacSha256OfTheBody) {
  // RFC 4231, test case 2.
  EXPECT_EQ(HmacSha256Hex("Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  EXPECT_EQ(WebhookSignature("Jefe", "what do ya want for nothing?"),
            "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(DigestTest, PiecesGiveTheDigestOfTheWhole) {
  // FIPS 180-2, "abc".
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  Sha256 pieces;
  pieces.Update("a");
  pieces.Update("");
  pieces.Update("bc");
  EXPECT_EQ(pieces.FinishHex(), Sha256Hex("abc"));
  Result<std::string> missing = FileSha256Hex("/nonexistent/file");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("/nonexistent/file"), std::string::npos);
}

// Issue 19: the rule folder's fingerprint, stored with every article in a database,
// gathered every file into one string before hashing it (a tenth of a start's work); it
// now hashes them as they are read, and must give the fingerprint it always gave.
TEST(DigestTest, RulesVersionIsTheDigestOfEachPathAndContentsInOrder) {
  namespace fs = std::filesystem;
  const std::string rules = std::string(FACTWIRE_SOURCE_DIR) + "/rules";
  std::vector<fs::path> files;
  for (const auto& item : fs::recursive_directory_iterator(rules))
    if (item.is_regular_file()) files.push_back(item.path());
  std::sort(files.begin(), files.end());
  ASSERT_GT(files.size(), 100u);
  std::string all;
  for (const fs::path& file : files) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream content;
    content << in.rdbuf();
    all += fs::relative(file, rules).string() + '\0' + content.str() + '\0';
  }
  EXPECT_EQ(RulesVersion(rules), Sha256Hex(all).substr(0, 16));
}

TEST(WebhookTest, UrlsAreCheckedAtStart) {
  struct Case {
    const char* url;
    bool ok;
  };
  for (const Case& c : std::vector<Case>{{"http://127.0.0.1:9000/hook", true},
                                         {"http://receiver.example/alerts?team=1", true},
                                         {"http://localhost", true},
                                         {"https://receiver.example/hook", false},
                                         {"ftp://receiver.example/hook", false},
                                         {"http:///hook", false},
                                         {"http://host name/hook", false},
                                         {"receiver.example/hook", false}})
    EXPECT_EQ(CheckWebhookUrl(c.url).ok(), c.ok) << c.url;
}

}  // namespace
}  // namespace factwire
