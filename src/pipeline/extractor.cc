#include "pipeline/extractor.h"

#include <dlfcn.h>

#include "base/utf8.h"
#include "langid/language.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <filesystem>

namespace factwire {

Result<std::unique_ptr<Extractor>> Extractor::Create(const RuleSet& rules, const ExtractorOptions& options) {
  Result<Normaliser> normaliser = Normaliser::Create();
  if (!normaliser.ok()) return normaliser.status();
  std::unique_ptr<Extractor> extractor(new Extractor(rules, normaliser.value(), options));
  // Fail early, not on the first article, if ICU cannot segment at all.
  if (Result<Segmenter*> segmenter = extractor->SegmenterFor("en"); !segmenter.ok()) return segmenter.status();
  return extractor;
}

Result<Segmenter*> Extractor::SegmenterFor(const std::string& lang) {
  std::unique_ptr<Segmenter>& segmenter = segmenters_[lang];
  if (!segmenter) {
    SegmenterOptions segmenter_options;
    segmenter_options.locale = lang;
    segmenter_options.abbreviations = rules_.Abbreviations(lang);
    Result<std::unique_ptr<Segmenter>> made = Segmenter::Create(segmenter_options);
    if (!made.ok()) {
      segmenters_.erase(lang);
      return made.status();
    }
    segmenter = std::move(made.value());
  }
  return segmenter.get();
}

namespace {

using Clock = std::chrono::steady_clock;

// Adds the time since the last lap to a stage's total.
class Stopwatch {
 public:
  void Lap(double* stage) {
    const Clock::time_point now = Clock::now();
    *stage += std::chrono::duration<double>(now - start_).count();
    start_ = now;
  }

 private:
  Clock::time_point start_ = Clock::now();
};


// The language whose rules run on the record's text, "und" when it has none or none of
// its own (with a warning). Rules are per primary language: "en-US" and "en_GB" use
// rules/<type>/en.yaml, and the full tag still reaches value builders (en-US orders
// numeric dates month first).
std::string RulesLanguage(const RuleSet& rules, Record* record) {
  std::string lang = record->lang.substr(0, record->lang.find_first_of("-_"));
  for (char& c : lang) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lang.empty()) return record->lang = std::string(kNeutralLanguage);
  if (rules.HasLanguage(lang)) return lang;
  record->warnings.push_back("no rules for language '" + lang + "': language-neutral rules only");
  return std::string(kNeutralLanguage);
}

// Moves the facts of the kept types (all when `types` is empty) into `record`, which has
// none yet, and the relations all of whose facts are kept, re-indexed. The facts are
// kept in place: a window has tens of thousands, and copying them into a vector grown
// by doubling took a third of a window's memory.
void Keep(const std::set<std::string>& types, std::vector<Fact>* facts, std::vector<Relation>* relations,
          Record* record) {
  std::vector<size_t> kept_as(facts->size(), SIZE_MAX);
  size_t kept = 0;
  for (size_t i = 0; i < facts->size(); ++i) {
    if (!types.empty() && !types.count((*facts)[i].type)) continue;
    if (kept != i) (*facts)[kept] = std::move((*facts)[i]);
    kept_as[i] = kept++;
  }
  facts->erase(facts->begin() + static_cast<std::ptrdiff_t>(kept), facts->end());
  record->facts = std::move(*facts);
  for (Relation& relation : *relations) {
    if (kept_as[relation.from] == SIZE_MAX || kept_as[relation.to] == SIZE_MAX) continue;
    relation.from = kept_as[relation.from];
    relation.to = kept_as[relation.to];
    for (std::vector<size_t>* parties : {&relation.funders, &relation.beneficiaries}) {
      std::erase_if(*parties, [&](size_t i) { return kept_as[i] == SIZE_MAX; });
      for (size_t& i : *parties) i = kept_as[i];
    }
    record->relations.push_back(std::move(relation));
  }
}

// How many dates, of every type kept or not, are relative and so have no iso.
size_t DatesWithoutIso(const std::vector<Fact>& facts) {
  size_t count = 0;
  for (const Fact& fact : facts)
    if (const auto* date = std::get_if<DateValue>(&fact.value)) count += !date->iso;
  return count;
}

// The sentences of the normalised text as code point spans of the original, which
// they tile: each starts where the last ended, the last ends with the text.
std::vector<Record::Sentence> SentencesInOriginal(const Document& doc, const std::vector<Span>& sentences) {
  std::vector<Record::Sentence> out;
  out.reserve(sentences.size());
  CodePointCursor cursor(doc.original());
  for (size_t i = 0; i < sentences.size(); ++i) {
    const size_t start = i == 0 ? 0 : cursor.ToCodePoint(doc.map.ToOriginalBegin(sentences[i].begin));
    if (!out.empty()) out.back().end = start;
    out.push_back({start, start});
  }
  if (!out.empty()) out.back().end = cursor.ToCodePoint(doc.original().size());
  return out;
}

}  // namespace

// A record with the article's metadata and warnings, and no facts yet.
Record RecordOf(const Article& article) {
  Record record;
  record.id = article.id;
  record.source = article.source;
  record.title = article.title;
  record.url = article.url;
  record.published = article.published;
  record.lang = article.lang;
  record.warnings = article.warnings;
  return record;
}

namespace {

// Where the window starting at `begin` ends: at the last paragraph break before
// `begin + size` (else line break, else space) in its second half, else at `begin + size`
// moved back to a UTF-8 character boundary.
size_t WindowEnd(std::string_view text, size_t begin, size_t size) {
  if (text.size() - begin <= size) return text.size();
  const size_t limit = begin + size;
  const std::string_view second_half = text.substr(begin + size / 2, size - size / 2);
  for (std::string_view cut : {"\n\n", "\n", " "})
    if (const size_t at = second_half.rfind(cut); at != std::string_view::npos) return begin + size / 2 + at + cut.size();
  size_t end = limit;
  while (end > begin + 1 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return end;
}

void AddUnresolvedWarning(size_t unresolved, Record* record) {
  if (unresolved > 0)
    record->warnings.push_back("no publication date: " + std::to_string(unresolved) +
                               " relative date(s) left without iso (give --published)");
}

}  // namespace

size_t CodePointsOf(std::string_view text) {
  return IsValidUtf8(text) ? CountCodePoints(text) : CountCodePoints(RepairUtf8(text).text);
}

WindowCutter::WindowCutter(const Article& article, size_t window_bytes) : text_(article.text), window_bytes_(window_bytes) {
  metadata_.id = article.id;
  metadata_.source = article.source;
  metadata_.published = article.published;
  metadata_.lang = article.lang;
}

bool WindowCutter::Next(Article* window) {
  if (done()) return false;
  const size_t end = WindowEnd(text_, begin_, window_bytes_);
  window->id = metadata_.id;
  window->source = metadata_.source;
  window->published = metadata_.published;
  window->lang = metadata_.lang;
  window->text.assign(text_, begin_, end - begin_);
  begin_ = end;
  return true;
}

Record WindowJoiner::Join(Record window, size_t code_points, size_t unresolved) {
  Record part = first_ ? std::move(header_) : Record{};
  first_ = false;
  part.lang = window.lang;
  for (Fact& fact : window.facts) {
    fact.start += code_points_before_;
    fact.end += code_points_before_;
  }
  part.facts = std::move(window.facts);
  for (Record::Sentence& sentence : window.sentences) {
    sentence.start += code_points_before_;
    sentence.end += code_points_before_;
  }
  part.sentences = std::move(window.sentences);
  for (Relation& relation : window.relations) {
    relation.from += facts_before_;
    relation.to += facts_before_;
    for (std::vector<size_t>* parties : {&relation.funders, &relation.beneficiaries})
      for (size_t& i : *parties) i += facts_before_;
  }
  part.relations = std::move(window.relations);
  for (std::string& warning : window.warnings)
    if (std::find(given_warnings_.begin(), given_warnings_.end(), warning) == given_warnings_.end() &&
        std::find(part.warnings.begin(), part.warnings.end(), warning) == part.warnings.end())
      part.warnings.push_back(std::move(warning));
  given_warnings_.insert(given_warnings_.end(), part.warnings.begin(), part.warnings.end());
  part.text = std::move(window.text);
  code_points_before_ += code_points;
  facts_before_ += part.facts.size();
  unresolved_ += unresolved;
  return part;
}

void WindowJoiner::Close(Record* last_part) const { AddUnresolvedWarning(unresolved_, last_part); }

void AppendPart(Record part, Record* record) {
  std::move(part.facts.begin(), part.facts.end(), std::back_inserter(record->facts));
  std::move(part.relations.begin(), part.relations.end(), std::back_inserter(record->relations));
  record->sentences.insert(record->sentences.end(), part.sentences.begin(), part.sentences.end());
  std::move(part.warnings.begin(), part.warnings.end(), std::back_inserter(record->warnings));
  record->text += part.text;
  record->lang = part.lang;
}

Record Extractor::Extract(const Article& article, Trace* trace) {
  if (article.text.size() <= options_.window_bytes || trace) {
    size_t unresolved = 0;
    Record record = ExtractWindow(article, trace, &unresolved);
    AddUnresolvedWarning(unresolved, &record);
    return record;
  }
  WindowCutter cutter(article, options_.window_bytes);
  WindowJoiner joiner(RecordOf(article));
  Record record;
  Article window;
  for (bool first = true; cutter.Next(&window); first = false) {
    size_t window_unresolved = 0;
    Record extracted = ExtractWindow(window, nullptr, &window_unresolved);
    Record part = joiner.Join(std::move(extracted), CodePointsOf(window.text), window_unresolved);
    if (!first) {
      AppendPart(std::move(part), &record);
      continue;
    }
    record = std::move(part);
    cutter.set_lang(record.lang);  // the first window's language holds for the rest
    // Room for the facts still to come, at the rate so far: a vector left to double
    // would hold up to twice what it needs, and both copies while it moves.
    record.facts.reserve(record.facts.size() * (article.text.size() / window.text.size() + 1) * 9 / 8 + 16);
  }
  joiner.Close(&record);
  return record;
}

std::string Extractor::LanguageOf(const Article& window) {
  Record record = Begin(window);
  RulesLanguage(rules_, &record);
  return record.lang;
}

Record Extractor::Begin(const Article& article) {
  Record record = RecordOf(article);
  Stopwatch watch;
  normaliser_.Normalise(article.text, &doc_);
  watch.Lap(&times_.normalise);
  record.warnings.insert(record.warnings.end(), doc_.warnings.begin(), doc_.warnings.end());
  const bool empty = doc_.text.find_first_not_of(" \t\r\n") == std::string::npos;
  if (empty) record.warnings.push_back("empty text");
  if (article.text.find('\0') != std::string::npos) record.warnings.push_back("text contains NUL bytes: binary input?");
  if (record.lang.empty() && !empty) {
    record.lang = IdentifyLanguage(doc_.text).code;
    watch.Lap(&times_.identify);
    if (record.lang.empty())
      record.warnings.push_back("language not identified (give it as lang or --lang): language-neutral rules only");
  }
  return record;
}

Record Extractor::ExtractWindow(const Article& article, Trace* trace, size_t* unresolved) {
  if (options_.before_extract) options_.before_extract(article);
  Record record = Begin(article);
  Stopwatch watch;
  const std::string lang = RulesLanguage(rules_, &record);
  if (!rules_.HasLanguage(lang)) return record;  // a rule folder without neutral rules
  Result<Segmenter*> segmenter = SegmenterFor(lang);
  if (!segmenter.ok()) {
    record.warnings.push_back("cannot segment '" + lang + "' text: " + segmenter.status().message());
    return record;
  }
  watch.Lap(&times_.normalise);  // the checks above belong to reading the text
  const std::vector<Span> sentences = segmenter.value()->Sentences(doc_.text);
  watch.Lap(&times_.segment);
  candidates_.clear();
  // The language's first article compiles its patterns (counted as match time).
  if (Status s = rules_.Prepare(lang); !s.ok()) record.warnings.push_back(s.message());
  rules_.Match(doc_.text, lang, &candidates_, &tokens_);
  watch.Lap(&times_.match);
  std::vector<Fact> facts;
  std::vector<Relation> relations;
  Resolve(doc_, sentences, {article.published, record.lang, &tokens_, trace != nullptr}, candidates_, &facts,
          &relations, &decisions_);
  watch.Lap(&times_.resolve);
  record.sentences = SentencesInOriginal(doc_, sentences);
  // Counted before --types drops any: a date left relative is worth a warning either way.
  *unresolved = article.published.empty() ? DatesWithoutIso(facts) : 0;
  Keep(options_.types, &facts, &relations, &record);
  if (trace) *trace = {doc_.text, sentences, candidates_, decisions_};
  return record;
}

namespace {
// The file this code was loaded from: the binary, or the Python module's shared object.
std::filesystem::path CodeFile() {
  Dl_info info{};
  if (dladdr(reinterpret_cast<void*>(&CodeFile), &info) && info.dli_fname && *info.dli_fname)
    return std::filesystem::absolute(info.dli_fname);
  return {};
}
}  // namespace

std::string DefaultRulesDir() {
  namespace fs = std::filesystem;
  if (const char* env = std::getenv("FACTWIRE_RULES"); env && *env) return env;
  // Next to the code, or above it: build/factwire (the source tree's rules/),
  // PREFIX/bin/factwire and PREFIX/lib/python3/dist-packages/factwire/_factwire.so (an
  // installed package's PREFIX/share/factwire/rules).
  std::error_code error;
  for (const fs::path& file : {CodeFile(), fs::read_symlink("/proc/self/exe", error)}) {
    fs::path dir = file.parent_path();
    for (int up = 0; up < 5 && !dir.empty(); ++up, dir = dir.parent_path())
      for (const fs::path& candidate : {dir / "rules", dir / "share" / "factwire" / "rules"})
        if (fs::is_directory(candidate / "common", error)) return candidate.string();
  }
  return FACTWIRE_SOURCE_RULES_DIR;
}

std::string CacheDir(const std::string& option) {
  if (option == "none") return "";
  if (!option.empty()) return option;
  if (const char* env = std::getenv("FACTWIRE_CACHE"); env && *env) return std::string(env) == "none" ? "" : env;
  if (const char* env = std::getenv("XDG_CACHE_HOME"); env && *env) return std::string(env) + "/factwire";
  if (const char* env = std::getenv("HOME"); env && *env) return std::string(env) + "/.cache/factwire";
  return "";
}

Result<std::unique_ptr<RuleSet>> LoadRules(const std::string& dir, const std::string& cache_dir, bool examples) {
  RuleSetOptions options;
  options.cache_dir = CacheDir(cache_dir);
  options.examples = examples;
  options.check_rule = ValidateRule;
  return RuleSet::Load(dir, options);
}

}  // namespace factwire
