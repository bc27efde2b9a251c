// One article through the stages: normalise -> identify its language -> segment ->
// match -> resolve (values, then link/, relate/ and events/). read/ makes the Article;
// emit/ and the sinks write the Record. Pipeline (include/factwire/pipeline.h) runs
// Extractors; this is the engine under it.
//
// Input:  an Article and a loaded, validated RuleSet shared read-only.
// Output: a Record with every fact of the wanted types and the relations between kept
//         facts (a long article is done in windows, ExtractorOptions::window_bytes); problems with the text (invalid UTF-8, empty text, no rules for its
//         language) become warnings in the record, never a lost article. An article
//         without a language gets the one langid/ identifies; an unidentified or
//         unsupported one gets the language-neutral rules and a warning.
// Thread-safety: an Extractor owns per-article scratch state and ICU iterators, so it
//         is not shareable: use one per thread, all on the same RuleSet.
#ifndef FACTWIRE_PIPELINE_EXTRACTOR_H_
#define FACTWIRE_PIPELINE_EXTRACTOR_H_

#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "factwire/pipeline.h"
#include "factwire/record.h"
#include "factwire/status.h"
#include "match/matcher.h"
#include "normalise/normaliser.h"
#include "resolve/resolver.h"
#include "segment/segmenter.h"

namespace factwire {

struct ExtractorOptions {
  std::set<std::string> types;  // fact types to keep; empty keeps all
  size_t window_bytes = size_t{1} << 20;  // PipelineOptions::window_bytes
  // Called with each article or window before it is extracted, on the extracting
  // thread. Whatever it throws, the extraction throws: how tests make a library fail
  // on one item. Default: none.
  std::function<void(const Article&)> before_extract;
};

// The rules an article gets when its language is unknown or has no rules of its own:
// rules/<type>/und.yaml (ISO codes, symbols, ISO dates), "undetermined" in BCP 47.
inline constexpr std::string_view kNeutralLanguage = "und";

// Everything the pipeline saw on the way to a record, for `factwire explain`.
struct Trace {
  std::string normalised;
  std::vector<Span> sentences;
  std::vector<Candidate> candidates;
  std::vector<Decision> decisions;
};

// A record with the article's metadata and warnings, and no facts yet.
Record RecordOf(const Article& article);

// Code points of `text` as the normaliser counts them: an invalid sequence is one.
size_t CodePointsOf(std::string_view text);

// Long articles. One longer than ExtractorOptions::window_bytes is extracted in windows
// of about that size, each cut at a paragraph break where there is one. Extract does
// them in turn; Pipeline::Run hands them to its threads and gives sinks the record in
// parts (Sink::PutPart). Both cut with WindowCutter and join with WindowJoiner, so the
// parts together are the record Extract gives.

// Cuts an article into windows, in order: each an Article with the metadata a window's
// extraction reads (id, source, published, lang) and the next stretch of the text.
// Holds a view of `article`'s text, which must outlive it.
class WindowCutter {
 public:
  WindowCutter(const Article& article, size_t window_bytes);
  // The next window; false after the last.
  bool Next(Article* window);
  bool done() const { return begin_ >= text_.size(); }
  // The language of the windows after the first: the first window's, as identified
  // when the article has none (Extractor::LanguageOf).
  void set_lang(std::string lang) { metadata_.lang = std::move(lang); }

 private:
  std::string_view text_;
  size_t window_bytes_;
  size_t begin_ = 0;
  Article metadata_;  // of every window: id, source, published, lang; no text
};

// Turns the records of an article's windows, given in order, into the parts of the
// article's record: offsets counted in the whole article, relations' fact indexes among
// all its facts, each warning once. Not thread-safe; one per long article.
class WindowJoiner {
 public:
  explicit WindowJoiner(Record header) : header_(std::move(header)) {}  // RecordOf(article)
  // The next part: the window's record, whose text has `code_points` code points and
  // left `unresolved` dates relative for want of a publication date. The first part
  // also carries the header: metadata and the article's own warnings.
  Record Join(Record window, size_t code_points, size_t unresolved);
  // Adds the warnings about the whole article to the last part.
  void Close(Record* last_part) const;

 private:
  Record header_;
  bool first_ = true;
  size_t code_points_before_ = 0;
  size_t facts_before_ = 0;
  size_t unresolved_ = 0;
  std::vector<std::string> given_warnings_;
};

// Appends a part after the first (WindowJoiner::Join) to the record the earlier ones made.
void AppendPart(Record part, Record* record);

class Extractor {
 public:
  static Result<std::unique_ptr<Extractor>> Create(const RuleSet& rules, const ExtractorOptions& options = {});
  // Holds Segmenters (ICU iterators with state) and scratch buffers: not copyable.
  Extractor(const Extractor&) = delete;
  Extractor& operator=(const Extractor&) = delete;

  Record Extract(const Article& article, Trace* trace = nullptr);
  // One window of a long article (WindowCutter), as Extract does it: its record, with
  // offsets in the window, and the dates it left relative for want of a publication date.
  Record ExtractWindow(const Article& window, size_t* unresolved) { return ExtractWindow(window, nullptr, unresolved); }
  // The language the windows after `first_window` run with (WindowCutter::set_lang):
  // the one its extraction identifies when it has none.
  std::string LanguageOf(const Article& first_window);
  // Time per stage over every article this extractor did (render stays 0: sinks render).
  const StageTimes& stage_times() const { return times_; }

 private:
  Extractor(const RuleSet& rules, Normaliser normaliser, const ExtractorOptions& options)
      : rules_(rules), normaliser_(normaliser), options_(options) {}
  // One window of an article (or all of it): the record, and how many dates were left
  // relative for want of a publication date.
  Record ExtractWindow(const Article& article, Trace* trace, size_t* unresolved);
  // A record's start: metadata, the warnings about the text, and its language
  // (identified when the article has none). Leaves the normalised text in doc_.
  Record Begin(const Article& article);
  // The sentence segmenter for a language (its ICU locale and abbreviations), made on
  // first use.
  Result<Segmenter*> SegmenterFor(const std::string& lang);

  const RuleSet& rules_;
  Normaliser normaliser_;
  std::map<std::string, std::unique_ptr<Segmenter>> segmenters_;
  ExtractorOptions options_;
  Document doc_;
  StageTimes times_;
  std::vector<Candidate> candidates_;
  std::vector<Token> tokens_;  // of the normalised text: made by match, read by resolve
  std::vector<Decision> decisions_;
};

// Where the rules are when --rules is not given: $FACTWIRE_RULES, then rules/ or
// share/factwire/rules/ in or above the folder of the binary or the Python module (up
// to four levels), then the source tree it was built from.
std::string DefaultRulesDir();

// Where compiled matchers are kept (PipelineOptions::cache_dir): `option` itself, else
// $FACTWIRE_CACHE, else $XDG_CACHE_HOME/factwire, else $HOME/.cache/factwire; "" (no
// cache) when the one that applies is "none" or none applies.
std::string CacheDir(const std::string& option);

// Loads and validates a rule folder in one step; compiled matchers are kept in
// CacheDir(cache_dir). Without `examples`, the rule files' examples are not read
// (RuleSetOptions::examples).
Result<std::unique_ptr<RuleSet>> LoadRules(const std::string& dir, const std::string& cache_dir = "", bool examples = true);

}  // namespace factwire

#endif  // FACTWIRE_PIPELINE_EXTRACTOR_H_
