// The HTML reader: main text without the page furniture, metadata, charsets; and the
// WARC record's HTTP payload. Table-driven: each case is a page and what it should give.
#include "read/html.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "read/charset.h"
#include "read/ordered_sink.h"
#include "read/gzip.h"
#include "read/warc.h"
#include "test_support.h"

namespace factwire {
namespace {

const HtmlReader& Reader() {
  static const std::unique_ptr<HtmlReader> reader = [] {
    Result<std::unique_ptr<HtmlReader>> loaded = HtmlReader::Load(testing::SourceDir() + "/rules");
    EXPECT_TRUE(loaded.ok()) << loaded.status().message();
    return std::move(loaded.value());
  }();
  return *reader;
}

const std::string kStory =
    "<p>The European Commission said on Tuesday that Spain will host a new AI factory, funded with "
    "&euro;1.5bn, in Barcelona.</p><p>The site will open in 2026, officials said, adding that Germany "
    "and France had also applied for one.</p>";

std::string Page(const std::string& body, const std::string& head = "") {
  return "<!DOCTYPE html><html><head>" + head + "</head><body>" + body + "</body></html>";
}

const std::string kExpected =
    "The European Commission said on Tuesday that Spain will host a new AI factory, funded with €1.5bn, "
    "in Barcelona.\n\nThe site will open in 2026, officials said, adding that Germany and France had also "
    "applied for one.";

TEST(HtmlTest, TheStoryComesOutWithoutThePageFurniture) {
  const struct {
    const char* name;
    std::string page;
  } cases[] = {
      {"bare paragraphs", Page(kStory)},
      {"scripts, styles and navigation",
       Page("<nav><a href='/'>Home</a> <a href='/w'>World news today</a></nav><script>var p = '$99';</script>"
            "<style>p{}</style><article>" + kStory + "</article><footer>Copyright 2025, all rights reserved</footer>")},
      {"cookie banner and share buttons by class",
       Page("<div class='cookie-consent'><p>We use cookies to improve the site, and partners may too.</p></div>"
            "<div class='story-body'>" + kStory + "<div class='share-tools'><p>Share this on social media, now, please.</p></div></div>")},
      {"a comments section",
       Page("<main>" + kStory + "</main><section id='comments'><p>Great news, said a reader, with commas, many, many, "
            "many of them, here and there.</p><p>I disagree entirely, wrote another, at length, at great length.</p></section>")},
      {"a related-links list inside the article",
       Page("<article>" + kStory + "<ul><li><a href='/1'>Another story about supercomputers in Europe</a></li>"
            "<li><a href='/2'>Why AI factories matter for the continent</a></li></ul></article>")},
      {"a photo caption", Page("<article><figure><img src='x.jpg'><figcaption>The MareNostrum 5 machine. "
                               "Photo: BSC</figcaption></figure>" + kStory + "</article>")},
      {"hidden and aria-hidden blocks",
       Page("<div hidden><p>A hidden paragraph that is long enough to count as text.</p></div><div aria-hidden='true'>"
            "<p>Another hidden paragraph, long enough, to count as text.</p></div><article>" + kStory + "</article>")},
      {"a wrapper with a furniture class around the whole article",
       Page("<div class='background-overlay'><div class='site'><article class='post'>" + kStory + "</article></div></div>")},
      {"paragraphs made of <br><br>",
       Page("<div class='content'>The European Commission said on Tuesday that Spain will host a new AI factory, "
            "funded with &euro;1.5bn, in Barcelona.<br><br>The site will open in 2026, officials said, adding that "
            "Germany and France had also applied for one.</div>")},
  };
  for (const auto& c : cases) EXPECT_EQ(Reader().Read(c.page).value().text, kExpected) << c.name;
}

TEST(HtmlTest, AGalleryKeepsItsCaptionsAsTheStory) {
  std::string slides;
  for (int i = 1; i <= 4; ++i)
    slides += "<figure><img src='" + std::to_string(i) + ".jpg'><figcaption>Slide " + std::to_string(i) +
              ": the new supercomputer hall in Barcelona, seen from the north gallery.</figcaption></figure>";
  const std::string text = Reader().Read(Page("<main class='gallery'>" + slides + "</main>")).value().text;
  EXPECT_NE(text.find("Slide 1: the new supercomputer hall"), std::string::npos) << text;
  EXPECT_NE(text.find("Slide 4: the new supercomputer hall"), std::string::npos) << text;
}

TEST(HtmlTest, ALiveBlogKeepsEveryEntry) {
  std::string entries;
  for (int minute : {90, 75, 60, 45, 30, 15})
    entries += "<div class='entry'><p>Minute " + std::to_string(minute) +
               ": the home side pressed again, and the keeper, at full stretch, pushed the ball wide.</p></div>";
  const std::string text = Reader().Read(Page("<div class='live'>" + entries + "</div>")).value().text;
  for (int minute : {90, 15}) EXPECT_NE(text.find("Minute " + std::to_string(minute) + ":"), std::string::npos) << text;
}

TEST(HtmlTest, MetadataComesFromTheHeadJsonLdAndTime) {
  const struct {
    const char* name;
    std::string head;
    std::string body;
    HtmlPage expected;  // text not compared
  } cases[] = {
      {"Open Graph and article:published_time",
       "<title>Site | Spain wins</title><meta property='og:title' content='Spain wins'>"
       "<meta property='article:published_time' content='2025-03-04T10:00:00Z'><link rel='canonical' href='https://x.eu/a'>",
       "", {"", "Spain wins", "https://x.eu/a", "2025-03-04", ""}},
      {"JSON-LD in a @graph",
       "<title>T</title><script type='application/ld+json'>{\"@graph\":[{\"@type\":\"NewsArticle\",\"datePublished\":"
       "\"2024-11-02T08:00:00+01:00\"}]}</script>",
       "", {"", "T", "", "2024-11-02", ""}},
      {"<time datetime> and og:url", "<meta property='og:url' content='https://x.eu/b'>",
       "<h1>Headline</h1><time datetime='2023-07-08'>8 July</time>", {"", "Headline", "https://x.eu/b", "2023-07-08", ""}},
      {"a date that is no date is left out", "<meta name='pubdate' content='yesterday'>", "", {"", "", "", "", ""}},
  };
  for (const auto& c : cases) {
    const HtmlPage page = Reader().Read(Page(c.body + kStory, c.head)).value();
    EXPECT_EQ(page.title, c.expected.title) << c.name;
    EXPECT_EQ(page.url, c.expected.url) << c.name;
    EXPECT_EQ(page.published, c.expected.published) << c.name;
  }
  EXPECT_EQ(Reader().Read("<html lang='de-AT'><body>" + kStory + "</body></html>").value().lang, "de-AT");
  EXPECT_EQ(Reader().Read(Page(kStory, "<meta property='og:locale' content='fr_FR'>")).value().lang, "fr-FR");
}

// Regression (issue 17): 100,000 nested <div>s took gumbo 19 s (its scans of the open
// elements are quadratic); such a page is turned away at once, and one just under the
// limit still reads.
TEST(HtmlTest, MarkupNestedDeeperThanTheLimitIsRefusedNotParsedForever) {
  std::string deep = "<html><body>";
  for (int i = 0; i < 100000; ++i) deep += "<div>";
  const Result<HtmlPage> refused = Reader().Read(deep + "text");
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("nested more than 5000"), std::string::npos);
  std::string nested;
  for (int i = 0; i < 1000; ++i) nested += "<div>";
  EXPECT_EQ(Reader().Read(Page(nested + kStory)).value().text, kExpected);
}

// Regression (CI fuzz_html): gumbo wraps a numeric reference past 2^31 into a negative
// code point and writes its low byte raw, so "&#x80000080;" gave the lone byte 0x80 in the
// text and title. The reader's fields are UTF-8 whatever gumbo writes: the byte is U+FFFD.
TEST(HtmlTest, ANumericReferencePastTwoToThe31ComesOutAsUtf8) {
  for (const std::string reference : {"&#x80000080;", "&#x800000E9;", "&#2147483776;"}) {
    const HtmlPage page =
        Reader().Read(Page("<p>The bank " + reference + " said on Tuesday it had raised its forecast for the year.</p>",
                           "<title>Bank " + reference + "</title>")).value();
    EXPECT_EQ(page.text, "The bank \uFFFD said on Tuesday it had raised its forecast for the year.") << reference;
    EXPECT_EQ(page.title, "Bank \uFFFD") << reference;
  }
}

TEST(HtmlTest, ClassHintsMatchWordPartsAndFurnitureWins) {
  EXPECT_EQ(Reader().HintOf("article__body"), HtmlReader::Hint::kBody);
  EXPECT_EQ(Reader().HintOf("comments-area"), HtmlReader::Hint::kBoilerplate);
  EXPECT_EQ(Reader().HintOf("article-comments"), HtmlReader::Hint::kBoilerplate);  // furniture outranks the body
  EXPECT_EQ(Reader().HintOf("most-read-list"), HtmlReader::Hint::kBoilerplate);     // two parts joined
  EXPECT_EQ(Reader().HintOf("commentary"), HtmlReader::Hint::kNone);               // a whole part, not a prefix
}

TEST(HtmlTest, AHintFileWithABadLineNamesTheLine) {
  testing::TempRuleFolder rules;
  rules.Write("html/hints.tsv", "# kinds\nbody\tarticle\nfurniture\tnav\n");
  const Result<std::unique_ptr<HtmlReader>> loaded = HtmlReader::Load(rules.dir());
  ASSERT_FALSE(loaded.ok());
  EXPECT_NE(loaded.status().message().find("html/hints.tsv:3:"), std::string::npos) << loaded.status().message();
}

TEST(CharsetTest, DeclaredDetectedAndByteOrderMarked) {
  std::string note;
  // "Café 3 €" in windows-1252: 0x80 is the euro sign there, not a C1 control.
  EXPECT_EQ(ToUtf8("Caf\xE9 3 \x80", "windows-1252", &note).value(), "Café 3 €");
  EXPECT_EQ(ToUtf8("Caf\xE9 3 \x80", "ISO-8859-1", &note).value(), "Café 3 €") << "read as browsers read it";
  EXPECT_EQ(note, "decoded from windows-1252 (declared)");
  EXPECT_EQ(ToUtf8("Café", "utf-8", &note).value(), "Café");
  EXPECT_EQ(ToUtf8("Café", "no-such-charset", &note).value(), "Café") << "an unknown label: as if none";
  EXPECT_EQ(DeclaredHtmlCharset("<html><head><meta charset=\"windows-1252\">"), "windows-1252");
  EXPECT_EQ(DeclaredHtmlCharset("<meta http-equiv=\"Content-Type\" content=\"text/html; charset=ISO-8859-1\">"),
            "iso-8859-1");
  EXPECT_EQ(DeclaredHtmlCharset(std::string(2000, ' ') + "<meta charset=\"koi8-r\">"), "") << "only the first 1024 bytes";
  EXPECT_EQ(CharsetOfContentType("text/html; charset=\"UTF-8\""), "utf-8");
}

TEST(WarcTest, HttpResponsesAreDecoded) {
  WarcPage page;
  ASSERT_TRUE(DecodeHttpResponse("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=iso-8859-1\r\n"
                                 "Transfer-Encoding: chunked\r\n\r\n5\r\nHello\r\n6\r\n world\r\n0\r\n\r\n",
                                 1 << 20, &page)
                  .ok());
  EXPECT_EQ(page.body, "Hello world");
  EXPECT_EQ(page.media_type, "text/html");
  EXPECT_EQ(page.charset, "iso-8859-1");
  const Status not_found = DecodeHttpResponse("HTTP/1.1 404 Not Found\r\n\r\n", 1 << 20, &page);
  EXPECT_EQ(not_found.message(), "HTTP status 404");
  const Status broken_chunks =
      DecodeHttpResponse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc", 1 << 20, &page);
  EXPECT_EQ(broken_chunks.code(), Status::Code::kInvalidInput);
}

TEST(WarcTest, ACompressionBombIsRefused) {
  // 64 MiB of zeros deflate to about 64 KiB; the limit stops inflating long before the end.
  const std::string zeros(size_t{64} << 20, '\0');
  uLongf size = compressBound(static_cast<uLong>(zeros.size()));
  std::string compressed(size, '\0');
  ASSERT_EQ(compress2(reinterpret_cast<Bytef*>(compressed.data()), &size, reinterpret_cast<const Bytef*>(zeros.data()),
                      static_cast<uLong>(zeros.size()), 9),
            Z_OK);
  compressed.resize(size);
  Result<std::string> inflated = InflateBody(compressed, size_t{1} << 20);
  ASSERT_FALSE(inflated.ok());
  EXPECT_NE(inflated.status().message().find("over the limit"), std::string::npos) << inflated.status().message();
  EXPECT_EQ(InflateBody(compressed, size_t{128} << 20).value().size(), zeros.size());
}

}  // namespace
}  // namespace factwire

namespace factwire {
namespace {

// The order items come out in is the order they went in, whichever worker finished first.
TEST(OrderedSinkTest, ItemsComeOutInInputOrderWhateverFinishesFirst) {
  for (int threads : {1, 2, 4}) {
    std::vector<std::string> seen;
    {
      OrderedSink out([&](Result<Article> item, const std::string& key) {
        seen.push_back(item.ok() ? item->id + "/" + key : "error:" + item.status().message());
      }, threads);
      for (int i = 0; i < 200; ++i) {
        if (i % 7 == 0) {
          out.Put(Status::InvalidInput(std::to_string(i)));
          continue;
        }
        out.Put([i]() -> Result<Article> {
          // Early items take longest, so later ones finish first on other workers.
          if (i % 5 == 1) std::this_thread::sleep_for(std::chrono::microseconds(200 - i));
          Article article;
          article.id = std::to_string(i);
          return article;
        }, "html");
      }
      out.Drain();
    }
    ASSERT_EQ(seen.size(), 200u) << threads;
    for (int i = 0; i < 200; ++i)
      EXPECT_EQ(seen[i], i % 7 == 0 ? "error:" + std::to_string(i) : std::to_string(i) + "/html") << threads;
  }
}

// Found in review: a job that threw on a worker ended the process (std::terminate).
// It is rethrown on the caller's thread in its turn, as with no workers; the items
// before it were delivered, and the destructor cancels the rest without delivering.
TEST(OrderedSinkTest, AJobThatThrowsIsRethrownOnTheCallersThreadInItsTurn) {
  for (int threads : {1, 3}) {
    std::vector<std::string> seen;
    bool thrown = false;
    try {
      OrderedSink out([&](Result<Article> item, const std::string&) { seen.push_back(item->id); }, threads);
      for (int i = 0; i < 20; ++i)
        out.Put([i]() -> Result<Article> {
          if (i == 5) throw std::runtime_error("job 5");
          Article article;
          article.id = std::to_string(i);
          return article;
        }, "html");
      out.Drain();
    } catch (const std::runtime_error& e) {
      thrown = std::string(e.what()) == "job 5";
    }
    EXPECT_TRUE(thrown) << threads;
    EXPECT_EQ(seen, (std::vector<std::string>{"0", "1", "2", "3", "4"})) << threads;
  }
}

}  // namespace
}  // namespace factwire
