#include "read/html.h"

#include "base/utf8.h"

#include <gumbo.h>

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>
#include <sstream>
#include <vector>

#include "match/matcher.h"
#include "read/reader.h"

namespace factwire {
namespace {

// Deeper than Read lets a page be is never walked: a bound on the walk's recursion.
constexpr int kMaxDepth = static_cast<int>(HtmlReader::kMaxOpenElements) + 64;

const char* Attribute(const GumboNode* node, const char* name) {
  const GumboAttribute* attribute = gumbo_get_attribute(&node->v.element.attributes, name);
  return attribute ? attribute->value : nullptr;
}

// Elements whose content is never article text: code, forms, media, navigation and the
// page furniture HTML5 names as such.
bool IsDropped(GumboTag tag) {
  switch (tag) {
    case GUMBO_TAG_HEAD: case GUMBO_TAG_SCRIPT: case GUMBO_TAG_STYLE: case GUMBO_TAG_NOSCRIPT:
    case GUMBO_TAG_TEMPLATE: case GUMBO_TAG_SVG: case GUMBO_TAG_MATH: case GUMBO_TAG_IFRAME:
    case GUMBO_TAG_OBJECT: case GUMBO_TAG_EMBED: case GUMBO_TAG_CANVAS: case GUMBO_TAG_BUTTON:
    case GUMBO_TAG_SELECT: case GUMBO_TAG_TEXTAREA: case GUMBO_TAG_INPUT: case GUMBO_TAG_LABEL:
    case GUMBO_TAG_NAV: case GUMBO_TAG_ASIDE: case GUMBO_TAG_FOOTER: case GUMBO_TAG_HEADER:
    case GUMBO_TAG_AUDIO: case GUMBO_TAG_VIDEO: case GUMBO_TAG_MAP:
    case GUMBO_TAG_MENU: case GUMBO_TAG_TITLE: case GUMBO_TAG_H1:
      return true;
    default:
      return false;
  }
}

// ARIA roles of page furniture.
bool IsFurnitureRole(std::string_view role) {
  return role == "navigation" || role == "banner" || role == "contentinfo" || role == "complementary" ||
         role == "dialog" || role == "alertdialog" || role == "menu" || role == "menubar" || role == "search";
}

// Elements that start a paragraph of their own; the rest flow inline.
bool IsParagraph(GumboTag tag) {
  switch (tag) {
    case GUMBO_TAG_P: case GUMBO_TAG_H2: case GUMBO_TAG_H3: case GUMBO_TAG_H4: case GUMBO_TAG_H5:
    case GUMBO_TAG_H6: case GUMBO_TAG_LI: case GUMBO_TAG_DT: case GUMBO_TAG_DD: case GUMBO_TAG_PRE:
    case GUMBO_TAG_FIGCAPTION: case GUMBO_TAG_CAPTION: case GUMBO_TAG_ADDRESS: case GUMBO_TAG_HR:
    case GUMBO_TAG_TR:
      return true;
    default:
      return false;
  }
}

// Elements that hold paragraphs: the blocks that are scored.
bool IsContainer(GumboTag tag) {
  switch (tag) {
    case GUMBO_TAG_BODY: case GUMBO_TAG_DIV: case GUMBO_TAG_SECTION: case GUMBO_TAG_ARTICLE:
    case GUMBO_TAG_MAIN: case GUMBO_TAG_TD: case GUMBO_TAG_TH: case GUMBO_TAG_BLOCKQUOTE:
    case GUMBO_TAG_FIGURE: case GUMBO_TAG_TABLE: case GUMBO_TAG_UL: case GUMBO_TAG_OL: case GUMBO_TAG_DL:
    case GUMBO_TAG_CENTER: case GUMBO_TAG_FORM: case GUMBO_TAG_FIELDSET: case GUMBO_TAG_DETAILS:
      return true;
    default:
      return false;
  }
}

bool IsHeading(GumboTag tag) {
  return tag == GUMBO_TAG_H2 || tag == GUMBO_TAG_H3 || tag == GUMBO_TAG_H4 || tag == GUMBO_TAG_H5 ||
         tag == GUMBO_TAG_H6;
}

struct Box {  // a container element, or any element with a boilerplate hint
  int parent = -1;
  bool boilerplate = false;  // hinted as page furniture
  bool article = false;      // <article>, <main> or a body hint: what furniture cannot wrap
  double score = 0;       // from the paragraphs inside it
  double prior = 0;       // from its tag and hints
  size_t text_bytes = 0;  // of every paragraph inside it
  size_t link_bytes = 0;
  bool scored = false;
};

struct Paragraph {
  std::string text;
  size_t link_bytes = 0;
  int box = -1;
  bool heading = false;
  bool caption = false;
};

// One walk over the tree: paragraphs with the boxes that hold them, and the metadata.
class Walker {
 public:
  explicit Walker(const HtmlReader& reader) : reader_(reader) {}

  void Walk(const GumboNode* node, int depth) {
    if (depth > kMaxDepth) return;
    switch (node->type) {
      case GUMBO_NODE_TEXT: case GUMBO_NODE_CDATA: case GUMBO_NODE_WHITESPACE:
        AddText(node->v.text.text);
        return;
      case GUMBO_NODE_ELEMENT: case GUMBO_NODE_TEMPLATE:
        WalkElement(node, depth);
        return;
      case GUMBO_NODE_DOCUMENT:
        WalkChildren(&node->v.document.children, depth);
        return;
      case GUMBO_NODE_COMMENT:
        return;
    }
  }

  std::vector<Box> boxes;
  std::vector<Paragraph> paragraphs;

 private:
  void WalkChildren(const GumboVector* children, int depth) {
    for (unsigned i = 0; i < children->length; ++i) Walk(static_cast<const GumboNode*>(children->data[i]), depth + 1);
  }

  HtmlReader::Hint HintOf(const GumboNode* node) const {
    HtmlReader::Hint hint = HtmlReader::Hint::kNone;
    for (const char* name : {"class", "id", "itemprop"}) {
      const char* value = Attribute(node, name);
      if (!value) continue;
      const HtmlReader::Hint found = reader_.HintOf(value);
      if (found == HtmlReader::Hint::kBoilerplate) return found;  // "article-comments" is comments
      if (found != HtmlReader::Hint::kNone) hint = found;
    }
    return hint;
  }

  bool IsHidden(const GumboNode* node) const {
    if (Attribute(node, "hidden")) return true;
    if (const char* aria = Attribute(node, "aria-hidden"); aria && std::string_view(aria) == "true") return true;
    if (const char* role = Attribute(node, "role"); role && IsFurnitureRole(role)) return true;
    if (const char* style = Attribute(node, "style")) {
      std::string css = AsciiLower(style);
      css.erase(std::remove(css.begin(), css.end(), ' '), css.end());
      if (css.find("display:none") != std::string::npos || css.find("visibility:hidden") != std::string::npos)
        return true;
    }
    return false;
  }

  void WalkElement(const GumboNode* node, int depth) {
    const GumboTag tag = node->v.element.tag;
    if (IsDropped(tag) || IsHidden(node)) return;
    const bool page = tag == GUMBO_TAG_HTML || tag == GUMBO_TAG_BODY;
    // <article> and <main> say what they are; a class on them ("no-sidebar") says less.
    const bool semantic = tag == GUMBO_TAG_ARTICLE || tag == GUMBO_TAG_MAIN;
    const HtmlReader::Hint hint = page ? HtmlReader::Hint::kNone : HintOf(node);
    if (tag == GUMBO_TAG_BR) {
      BreakLine();
      return;
    }
    // A hinted element is only marked here: whether it is furniture depends on what it
    // holds (a theme's "background-overlay" can wrap the whole page, article included).
    const bool boilerplate = hint == HtmlReader::Hint::kBoilerplate && !semantic;
    const bool caption = hint == HtmlReader::Hint::kCaption || tag == GUMBO_TAG_FIGCAPTION;
    if (IsContainer(tag) || boilerplate) {
      EndParagraph();
      const int box = static_cast<int>(boxes.size());
      Box added;
      added.parent = box_;
      added.prior = Prior(tag, hint);
      added.boilerplate = boilerplate;
      added.article = !boilerplate && (semantic || hint == HtmlReader::Hint::kBody);
      boxes.push_back(added);
      const int outer = box_;
      const bool outer_caption = caption_;
      box_ = box;
      caption_ = caption_ || caption;
      WalkChildren(&node->v.element.children, depth);
      EndParagraph();
      box_ = outer;
      caption_ = outer_caption;
      return;
    }
    if (IsParagraph(tag) || caption) {
      EndParagraph();
      const bool outer_caption = caption_;
      caption_ = caption_ || caption;
      heading_ = IsHeading(tag);
      WalkChildren(&node->v.element.children, depth);
      EndParagraph();
      caption_ = outer_caption;
      return;
    }
    const bool link = tag == GUMBO_TAG_A;
    in_link_ += link;
    WalkChildren(&node->v.element.children, depth);
    in_link_ -= link;
  }

  static double Prior(GumboTag tag, HtmlReader::Hint hint) {
    double prior = hint == HtmlReader::Hint::kBody ? 25 : 0;
    if (tag == GUMBO_TAG_ARTICLE) prior += 10;
    if (tag == GUMBO_TAG_DIV) prior += 5;
    if (tag == GUMBO_TAG_TD || tag == GUMBO_TAG_BLOCKQUOTE) prior += 3;
    if (tag == GUMBO_TAG_UL || tag == GUMBO_TAG_OL || tag == GUMBO_TAG_DL || tag == GUMBO_TAG_FORM) prior -= 3;
    return prior;
  }

  // Text flows into the open paragraph with runs of white space made one space.
  void AddText(const char* text) {
    for (const char* c = text; *c; ++c) {
      const unsigned char byte = static_cast<unsigned char>(*c);
      if (byte == ' ' || byte == '\n' || byte == '\t' || byte == '\r' || byte == '\f') {
        space_ = true;
        continue;
      }
      if (byte == 0xC2 && static_cast<unsigned char>(c[1]) == 0xA0) {  // a no-break space, as entities give it
        space_ = true;
        ++c;
        continue;
      }
      if (space_ && !open_.text.empty() && open_.text.back() != '\n') {
        open_.text += ' ';
        if (in_link_) ++open_.link_bytes;
      }
      space_ = false;
      open_.text += static_cast<char>(byte);
      if (in_link_) ++open_.link_bytes;
    }
  }

  // <br> breaks a line; two in a row break the paragraph, as they do on screen.
  void BreakLine() {
    if (open_.text.empty()) return;
    if (open_.text.back() == '\n') {
      open_.text.pop_back();
      EndParagraph();
      return;
    }
    open_.text += '\n';
    space_ = false;
  }

  void EndParagraph() {
    while (!open_.text.empty() && open_.text.back() == '\n') open_.text.pop_back();
    if (!open_.text.empty() && box_ >= 0) {
      open_.box = box_;
      open_.heading = heading_;
      open_.caption = caption_;
      for (int box = box_; box >= 0; box = boxes[box].parent) {
        boxes[box].text_bytes += open_.text.size();
        boxes[box].link_bytes += open_.link_bytes;
      }
      paragraphs.push_back(std::move(open_));
    }
    open_ = Paragraph();
    space_ = false;
    heading_ = false;
  }

  const HtmlReader& reader_;
  Paragraph open_;
  int box_ = -1;
  int in_link_ = 0;
  bool space_ = false;
  bool heading_ = false;
  bool caption_ = false;
};

double LinkDensity(size_t link_bytes, size_t text_bytes) {
  return text_bytes == 0 ? 0 : static_cast<double>(link_bytes) / static_cast<double>(text_bytes);
}

// Furniture is a boilerplate-hinted box with no article box inside it; `furniture[i]`
// says whether box i is furniture or lies inside furniture. Boxes come in document
// order, parents before children.
std::vector<bool> Furniture(const std::vector<Box>& boxes) {
  std::vector<bool> holds_article(boxes.size(), false);
  for (size_t i = boxes.size(); i-- > 0;) {
    if (boxes[i].article) holds_article[i] = true;
    if (holds_article[i] && boxes[i].parent >= 0) holds_article[boxes[i].parent] = true;
  }
  std::vector<bool> furniture(boxes.size(), false);
  for (size_t i = 0; i < boxes.size(); ++i)
    furniture[i] = (boxes[i].boilerplate && !holds_article[i]) || (boxes[i].parent >= 0 && furniture[boxes[i].parent]);
  return furniture;
}

bool IsBodyParagraph(const Paragraph& p, bool captions_count) {
  return !p.heading && (captions_count || !p.caption) && p.text.size() >= 25 &&
         LinkDensity(p.link_bytes, p.text.size()) <= 0.5;
}

// Readability's rule for a story cut into blocks (live-blog entries, one box per
// paragraph): when three or more of the next best boxes score near the best, their
// closest common ancestor with it is the article.
int Unify(const std::vector<Box>& boxes, const std::vector<int>& ranked) {
  const int best = ranked[0];
  std::vector<int> near;
  for (size_t i = 1; i < std::min<size_t>(ranked.size(), 6); ++i)
    if (boxes[ranked[i]].score >= 0.75 * boxes[best].score) near.push_back(ranked[i]);
  if (near.size() < 3) return best;
  auto holds = [&](int ancestor, int box) {
    for (; box >= 0; box = boxes[box].parent)
      if (box == ancestor) return true;
    return false;
  };
  for (int ancestor = boxes[best].parent; ancestor >= 0; ancestor = boxes[ancestor].parent)
    if (std::count_if(near.begin(), near.end(), [&](int box) { return holds(ancestor, box); }) >= 3) return ancestor;
  return best;
}

// Readability's scoring: each paragraph gives its box its weight, the box's parent half
// and the grandparent a third; a box's score is then discounted by its link density.
int BestBox(std::vector<Box>& boxes, const std::vector<Paragraph>& paragraphs, bool captions_count) {
  for (const Paragraph& p : paragraphs) {
    if (!IsBodyParagraph(p, captions_count)) continue;
    const double weight = 1 + static_cast<double>(std::count(p.text.begin(), p.text.end(), ',')) +
                          std::min(3.0, static_cast<double>(p.text.size() / 100));
    int box = p.box;
    for (double share : {1.0, 0.5, 1.0 / 3}) {
      if (box < 0) break;
      boxes[box].score += weight * share;
      boxes[box].scored = true;
      box = boxes[box].parent;
    }
  }
  std::vector<int> ranked;
  for (size_t i = 0; i < boxes.size(); ++i) {
    Box& box = boxes[i];
    if (!box.scored) continue;
    box.score = (box.score + box.prior) * (1 - LinkDensity(box.link_bytes, box.text_bytes));
    ranked.push_back(static_cast<int>(i));
  }
  if (ranked.empty()) return -1;
  std::stable_sort(ranked.begin(), ranked.end(), [&](int a, int b) { return boxes[a].score > boxes[b].score; });
  return Unify(boxes, ranked);
}

// The best box and those of its siblings that score near it (a story cut into several
// blocks); the paragraphs inside them are the article.
std::vector<bool> ChosenBoxes(const std::vector<Box>& boxes, int best) {
  std::vector<bool> chosen(boxes.size(), false);
  if (best < 0) return chosen;
  const double threshold = std::max(10.0, boxes[best].score * 0.2);
  for (size_t i = 0; i < boxes.size(); ++i)
    if (static_cast<int>(i) == best ||
        (boxes[i].parent == boxes[best].parent && boxes[i].scored && boxes[i].score >= threshold))
      chosen[i] = true;
  return chosen;
}

bool Inside(const std::vector<Box>& boxes, const std::vector<bool>& chosen, int box) {
  for (; box >= 0; box = boxes[box].parent)
    if (chosen[box]) return true;
  return false;
}

std::string MainText(std::vector<Box>& boxes, std::vector<Paragraph>& paragraphs) {
  const std::vector<bool> furniture = Furniture(boxes);
  std::erase_if(paragraphs, [&](const Paragraph& p) { return furniture[p.box]; });
  // A page of captions (a gallery) is scored by its captions.
  size_t page_captions = 0;
  size_t page_text = 0;
  for (const Paragraph& p : paragraphs) {
    page_captions += p.caption ? p.text.size() : 0;
    page_text += p.text.size();
  }
  const bool captions_count = 2 * page_captions > page_text;
  const int best = BestBox(boxes, paragraphs, captions_count);
  const std::vector<bool> chosen = ChosenBoxes(boxes, best);
  std::vector<const Paragraph*> body;
  size_t body_bytes = 0;
  size_t caption_bytes = 0;
  for (const Paragraph& p : paragraphs) {
    if (!Inside(boxes, chosen, p.box)) continue;
    if (LinkDensity(p.link_bytes, p.text.size()) > 0.5) continue;  // a list of links, not prose
    (p.caption ? caption_bytes : body_bytes) += p.text.size();
    body.push_back(&p);
  }
  const bool gallery = caption_bytes > body_bytes;  // the captions are the story
  std::string text;
  for (const Paragraph* p : body) {
    if (p->caption && !gallery) continue;
    if (!text.empty()) text += "\n\n";
    text += p->text;
  }
  return text;
}

std::string IsoDay(std::string_view value) {
  const std::string_view day = value.substr(0, 10);
  return IsIsoDate(day) ? std::string(day) : "";
}

// "datePublished" anywhere in a JSON-LD block (an object, an array, an @graph).
std::string JsonLdPublished(const nlohmann::json& json, int depth = 0) {
  if (depth > 8) return "";
  if (json.is_object()) {
    if (auto it = json.find("datePublished"); it != json.end() && it->is_string())
      if (std::string day = IsoDay(it->get<std::string>()); !day.empty()) return day;
    for (const auto& [key, value] : json.items())
      if (std::string day = JsonLdPublished(value, depth + 1); !day.empty()) return day;
  } else if (json.is_array()) {
    for (const auto& value : json)
      if (std::string day = JsonLdPublished(value, depth + 1); !day.empty()) return day;
  }
  return "";
}

void AppendTextOf(const GumboNode* node, int depth, std::string* out) {
  if (node->type == GUMBO_NODE_TEXT || node->type == GUMBO_NODE_WHITESPACE) *out += node->v.text.text;
  if (node->type != GUMBO_NODE_ELEMENT || depth > kMaxDepth) return;
  const GumboVector& children = node->v.element.children;
  for (unsigned i = 0; i < children.length; ++i)
    AppendTextOf(static_cast<const GumboNode*>(children.data[i]), depth + 1, out);
}

std::string TextOf(const GumboNode* node, int depth) {
  std::string out;
  AppendTextOf(node, depth, &out);
  return out;
}

std::string Collapse(std::string_view text) {
  std::string out;
  bool space = false;
  for (const char c : text) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

// Metadata from <head> and the few body elements that carry it, in order of trust.
class Metadata {
 public:
  void Visit(const GumboNode* node, int depth) {
    if (node->type != GUMBO_NODE_ELEMENT || depth > kMaxDepth) return;
    const GumboTag tag = node->v.element.tag;
    if (tag == GUMBO_TAG_HTML) Keep(&page_.lang, Attribute(node, "lang"));
    if (tag == GUMBO_TAG_TITLE) Keep(&title_tag_, Collapse(TextOf(node, depth)));
    if (tag == GUMBO_TAG_H1) Keep(&h1_, Collapse(TextOf(node, depth)));
    if (tag == GUMBO_TAG_META) VisitMeta(node);
    if (tag == GUMBO_TAG_LINK)
      if (const char* rel = Attribute(node, "rel"); rel && AsciiLower(rel) == "canonical") Keep(&page_.url, Attribute(node, "href"));
    if (tag == GUMBO_TAG_TIME)
      if (const char* when = Attribute(node, "datetime")) Keep(&time_, IsoDay(when));
    if (tag == GUMBO_TAG_SCRIPT)
      if (const char* type = Attribute(node, "type"); type && AsciiLower(type) == "application/ld+json") {
        const nlohmann::json json = nlohmann::json::parse(TextOf(node, depth), nullptr, /*allow_exceptions=*/false);
        if (!json.is_discarded()) Keep(&json_ld_, JsonLdPublished(json));
      }
    const GumboVector& children = node->v.element.children;
    for (unsigned i = 0; i < children.length; ++i) Visit(static_cast<const GumboNode*>(children.data[i]), depth + 1);
  }

  void Finish(HtmlPage* page) {
    page->title = !og_title_.empty() ? og_title_ : !title_tag_.empty() ? title_tag_ : h1_;
    page->url = !page_.url.empty() ? page_.url : og_url_;
    page->published = !meta_published_.empty() ? meta_published_ : !json_ld_.empty() ? json_ld_ : time_;
    page->lang = !page_.lang.empty() ? page_.lang : og_locale_;
    std::replace(page->lang.begin(), page->lang.end(), '_', '-');
  }

 private:
  static void Keep(std::string* field, const char* value) {
    if (field->empty() && value) *field = Collapse(value);
  }
  static void Keep(std::string* field, const std::string& value) {
    if (field->empty()) *field = value;
  }

  void VisitMeta(const GumboNode* node) {
    const char* key = Attribute(node, "property");
    if (!key) key = Attribute(node, "name");
    if (!key) key = Attribute(node, "itemprop");
    const char* content = Attribute(node, "content");
    if (!key || !content) return;
    const std::string name = AsciiLower(key);
    if (name == "og:title") Keep(&og_title_, content);
    if (name == "og:url") Keep(&og_url_, content);
    if (name == "og:locale") Keep(&og_locale_, content);
    if (name == "article:published_time" || name == "datepublished" || name == "pubdate" || name == "publishdate" ||
        name == "dc.date" || name == "dc.date.issued" || name == "dcterms.created" || name == "parsely-pub-date" ||
        name == "sailthru.date" || name == "date")
      Keep(&meta_published_, IsoDay(content));
  }

  HtmlPage page_;
  std::string og_title_, og_url_, og_locale_, title_tag_, h1_, meta_published_, json_ld_, time_;
};

}  // namespace

Result<std::unique_ptr<HtmlReader>> HtmlReader::Load(const std::string& rules_dir) {
  const std::string relative = "html/hints.tsv";
  Result<std::string> content = ReadRuleFile(rules_dir, relative);
  if (!content.ok()) return content.status().At(rules_dir);
  std::unique_ptr<HtmlReader> reader(new HtmlReader());
  std::istringstream lines(content.value());
  std::string line;
  for (int number = 1; std::getline(lines, line); ++number) {
    if (line.empty() || line[0] == '#') continue;
    const size_t tab = line.find('\t');
    const std::string kind = line.substr(0, tab);
    const std::string token = tab == std::string::npos ? "" : AsciiLower(line.substr(tab + 1));
    Hint hint = Hint::kNone;
    if (kind == "body") hint = Hint::kBody;
    if (kind == "boilerplate") hint = Hint::kBoilerplate;
    if (kind == "caption") hint = Hint::kCaption;
    if (hint == Hint::kNone || token.empty() || token.find_first_of(" \t") != std::string::npos)
      return Status::RuleError(relative + ":" + std::to_string(number) +
                               ": expected 'body', 'boilerplate' or 'caption', a tab and one class or id word");
    reader->hints_[token] = hint;
  }
  return reader;
}

HtmlReader::Hint HtmlReader::HintOf(std::string_view value) const {
  // Each class word is cut at '-' and '_' ("article__body" is article, body); a part, or
  // two parts joined by '-' ("most-read"), is looked up. Boilerplate outranks the rest.
  Hint found = Hint::kNone;
  auto look = [&](const std::string& key) {
    auto it = hints_.find(key);
    if (it == hints_.end()) return;
    if (found != Hint::kBoilerplate) found = it->second;
  };
  std::string lower = AsciiLower(value);
  std::vector<std::string> parts;
  auto end_word = [&]() {
    for (size_t i = 0; i < parts.size(); ++i) {
      look(parts[i]);
      if (i + 1 < parts.size()) look(parts[i] + "-" + parts[i + 1]);
    }
    parts.clear();
  };
  std::string part;
  for (const char c : lower) {
    if (c == '-' || c == '_' || std::isspace(static_cast<unsigned char>(c))) {
      if (!part.empty()) parts.push_back(std::move(part));
      part.clear();
      if (std::isspace(static_cast<unsigned char>(c))) end_word();
      continue;
    }
    part += c;
  }
  if (!part.empty()) parts.push_back(std::move(part));
  end_word();
  return found;
}

namespace {

// Elements that never nest: void ones, and those whose end tag HTML lets a page leave
// out (a list of 2,000 unclosed <li> is flat, not 2,000 deep).
bool NeverNests(std::string_view name) {
  static const std::string_view kFlat[] = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link",
                                           "meta", "param", "source", "track", "wbr", "p", "li", "dt", "dd",
                                           "tr", "td", "th", "option", "optgroup", "thead", "tbody", "tfoot",
                                           "colgroup", "caption", "rb", "rt", "rp", "html", "head", "body"};
  return std::find(std::begin(kFlat), std::end(kFlat), name) != std::end(kFlat);
}

// The most start tags open at once, counting as a naive tokenizer would (most implied
// end tags not applied, so it errs high): cheap, and enough to turn away a page built to
// make the tree builder's scans of its open elements quadratic.
size_t MaxOpenTags(std::string_view page) {
  size_t open = 0;
  size_t most = 0;
  for (size_t at = page.find('<'); at != std::string_view::npos && at + 1 < page.size(); at = page.find('<', at + 1)) {
    const bool closing = page[at + 1] == '/';
    size_t name_start = at + (closing ? 2 : 1);
    size_t name_end = name_start;
    while (name_end < page.size() && std::isalnum(static_cast<unsigned char>(page[name_end]))) ++name_end;
    if (name_end == name_start) continue;
    const std::string name = AsciiLower(page.substr(name_start, name_end - name_start));
    if (NeverNests(name)) continue;
    if (closing) {
      open -= open > 0;
    } else {
      const size_t close = page.find('>', name_end);
      if (close != std::string_view::npos && page[close - 1] == '/') continue;  // <x/>
      most = std::max(most, ++open);
    }
  }
  return most;
}

}  // namespace

namespace {

// gumbo allocates every token, string and node on its own; from an arena each is a
// pointer bump, frees are nothing, and the whole tree goes at once. Pages over
// kMaxArenaPage use malloc, whose frees bound the memory of a very large page.
class Arena {
 public:
  static constexpr size_t kMaxArenaPage = size_t{8} << 20;

  static void* Allocate(void* arena, size_t size) { return static_cast<Arena*>(arena)->Take(size); }
  static void Free(void*, void*) {}

 private:
  static constexpr size_t kBlock = size_t{256} << 10;
  void* Take(size_t size) {
    size = (size + 15) & ~size_t{15};
    if (size > left_) {
      const size_t block = std::max(size, kBlock);
      blocks_.emplace_back(new char[block]);
      next_ = blocks_.back().get();
      left_ = block;
    }
    void* taken = next_;
    next_ += size;
    left_ -= size;
    return taken;
  }
  std::vector<std::unique_ptr<char[]>> blocks_;
  char* next_ = nullptr;
  size_t left_ = 0;
};

// gumbo 0.10 reads a numeric character reference into an int that wraps: "&#x80000080;"
// becomes a negative code point, written as the raw byte 0x80. Such bytes become U+FFFD.
void RepairGumboBytes(HtmlPage* page) {
  for (std::string* field : {&page->text, &page->title, &page->url, &page->published, &page->lang})
    if (!IsValidUtf8(*field)) *field = RepairUtf8(*field).text;
}

}  // namespace

Result<HtmlPage> HtmlReader::Read(std::string_view utf8_page) const {
  if (MaxOpenTags(utf8_page) > kMaxOpenElements)
    return Status::InvalidInput("markup nested more than " + std::to_string(kMaxOpenElements) +
                                " elements deep; not read as a page");
  GumboOptions options = kGumboDefaultOptions;
  options.max_errors = 0;  // parse errors are not reported: keeping them costs time
  Arena arena;
  const bool in_arena = utf8_page.size() <= Arena::kMaxArenaPage;
  if (in_arena) {
    options.allocator = Arena::Allocate;
    options.deallocator = Arena::Free;
    options.userdata = &arena;
  }
  auto destroy = [&](GumboOutput* out) {
    if (!in_arena) gumbo_destroy_output(&options, out);  // an arena's tree goes with the arena
  };
  std::unique_ptr<GumboOutput, decltype(destroy)> output(
      gumbo_parse_with_options(&options, utf8_page.data(), utf8_page.size()), destroy);
  HtmlPage page;
  Metadata metadata;
  metadata.Visit(output->root, 0);
  metadata.Finish(&page);
  Walker walker(*this);
  walker.Walk(output->document, 0);
  page.text = MainText(walker.boxes, walker.paragraphs);
  RepairGumboBytes(&page);
  return page;
}

bool LooksLikeHtml(std::string_view head) {
  std::string start = AsciiLower(head.substr(0, 1024));
  const size_t first = start.find_first_not_of(" \t\r\n\xEF\xBB\xBF");
  if (first == std::string::npos || start[first] != '<') return false;
  for (const char* marker : {"<!doctype html", "<html", "<head", "<body", "<meta", "<title"})
    if (start.find(marker) != std::string::npos) return true;
  return false;
}

}  // namespace factwire
