// HTML pages in: the article's main text and its metadata, boilerplate left out.
//
// Input:  a page in UTF-8 (read/charset.h converts others first), parsed by gumbo, an
//         HTML5 parser, as a browser would parse it.
// Output: the main text (paragraphs joined by a blank line, character references
//         decoded), the title, the canonical URL, the publication date (YYYY-MM-DD) and the
//         language the page declares, all valid UTF-8. The text is what `factwire text`
//         prints and what every fact offset of the page counts in.
// How:    scripts, styles, forms, navigation, headers, footers, asides and elements whose
//         class or id carries a boilerplate hint (rules/html/hints.tsv: comments, cookie
//         banners, share buttons, related links...) are dropped. Each remaining paragraph
//         scores the blocks that hold it by its length and commas (Readability's idea);
//         the best-scored block with its strong siblings is the article, and inside it
//         paragraphs that are mostly link text are dropped (text and link density, as
//         jusText and trafilatura use them). Photo captions are left out unless they are
//         most of the text (a gallery, whose captions are the story).
// Thread-safety: an HtmlReader is immutable once loaded; Read is safe from many threads.
#ifndef FACTWIRE_READ_HTML_H_
#define FACTWIRE_READ_HTML_H_

#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "factwire/status.h"

namespace factwire {

struct HtmlPage {
  std::string text;
  std::string title;
  std::string url;        // <link rel="canonical">, else og:url; "" if neither
  std::string published;  // YYYY-MM-DD from article:published_time, JSON-LD or <time>; ""
  std::string lang;       // <html lang>, else og:locale; ""
};

class HtmlReader {
 public:
  // Reads the class and id hints from `rules_dir`/html/hints.tsv; errors name file:line.
  static Result<std::unique_ptr<HtmlReader>> Load(const std::string& rules_dir);
  HtmlReader(const HtmlReader&) = delete;  // holds the hint tables; share one
  HtmlReader& operator=(const HtmlReader&) = delete;

  // Fails only for markup nested deeper than kMaxOpenElements, which the parser would
  // take quadratic time over (no article is built that way).
  Result<HtmlPage> Read(std::string_view utf8_page) const;
  static constexpr size_t kMaxOpenElements = 5000;

  enum class Hint { kNone, kBody, kBoilerplate, kCaption };
  // The hint of one class or id value ("article__body", "comments-area").
  Hint HintOf(std::string_view class_or_id) const;

 private:
  HtmlReader() = default;
  std::unordered_map<std::string, Hint> hints_;  // lower-case class/id parts
};

// Whether `head` (a file's first bytes) looks like HTML: a doctype, <html>, <head> or
// <body> near the start.
bool LooksLikeHtml(std::string_view head);

}  // namespace factwire

#endif  // FACTWIRE_READ_HTML_H_
