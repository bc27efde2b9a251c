#include "pipeline/extractor.h"

#include "langid/language.h"

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

Record Extractor::Extract(const Article& article, Trace* trace) {
  Record record;
  record.id = article.id;
  record.source = article.source;
  record.title = article.title;
  record.url = article.url;
  record.published = article.published;
  record.warnings = article.warnings;

  using Clock = std::chrono::steady_clock;
  Clock::time_point stage_start = Clock::now();
  // Adds the time since the last call to `stage`.
  auto lap = [&](double* stage) {
    const Clock::time_point now = Clock::now();
    *stage += std::chrono::duration<double>(now - stage_start).count();
    stage_start = now;
  };
  normaliser_.Normalise(article.text, &doc_);
  lap(&times_.normalise);
  record.warnings.insert(record.warnings.end(), doc_.warnings.begin(), doc_.warnings.end());
  const bool empty = doc_.text.find_first_not_of(" \t\r\n") == std::string::npos;
  if (empty) record.warnings.push_back("empty text");
  if (article.text.find('\0') != std::string::npos) record.warnings.push_back("text contains NUL bytes: binary input?");

  record.lang = article.lang;
  if (record.lang.empty() && !empty) {
    record.lang = IdentifyLanguage(doc_.text).code;
    lap(&times_.identify);
    if (record.lang.empty())
      record.warnings.push_back("language not identified (give it as lang or --lang): language-neutral rules only");
  }
  // Rules are per primary language: "en-US" and "en_GB" use rules/<type>/en.yaml, and the
  // full tag still reaches value builders (en-US orders numeric dates month first).
  std::string lang = record.lang.substr(0, record.lang.find_first_of("-_"));
  for (char& c : lang) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lang.empty()) {
    record.lang = lang = kNeutralLanguage;
  } else if (!rules_.HasLanguage(lang)) {
    record.warnings.push_back("no rules for language '" + lang + "': language-neutral rules only");
    lang = kNeutralLanguage;
  }
  if (!rules_.HasLanguage(lang)) return record;  // a rule folder without neutral rules
  Result<Segmenter*> segmenter = SegmenterFor(lang);
  if (!segmenter.ok()) {
    record.warnings.push_back("cannot segment '" + lang + "' text: " + segmenter.status().message());
    return record;
  }
  lap(&times_.normalise);  // the checks above belong to reading the text
  const std::vector<Span> sentences = segmenter.value()->Sentences(doc_.text);
  lap(&times_.segment);
  candidates_.clear();
  // The language's first article compiles its patterns (counted as match time).
  if (Status s = rules_.Prepare(lang); !s.ok()) record.warnings.push_back(s.message());
  rules_.Match(doc_.text, lang, &candidates_, &tokens_);
  lap(&times_.match);
  std::vector<Fact> facts;
  std::vector<Relation> relations;
  Resolve(doc_, sentences, {article.published, record.lang, &tokens_}, candidates_, &facts, &relations, &decisions_);
  lap(&times_.resolve);
  size_t unresolved = 0;
  std::vector<size_t> kept_as(facts.size(), SIZE_MAX);  // --types may drop facts; relations follow
  for (size_t i = 0; i < facts.size(); ++i) {
    unresolved += article.published.empty() && std::holds_alternative<DateValue>(facts[i].value) && !std::get<DateValue>(facts[i].value).iso;
    if (!options_.types.empty() && !options_.types.count(facts[i].type)) continue;
    kept_as[i] = record.facts.size();
    record.facts.push_back(std::move(facts[i]));
  }
  for (Relation& relation : relations) {
    if (kept_as[relation.from] == SIZE_MAX || kept_as[relation.to] == SIZE_MAX) continue;
    relation.from = kept_as[relation.from];
    relation.to = kept_as[relation.to];
    for (std::vector<size_t>* parties : {&relation.funders, &relation.beneficiaries}) {
      std::erase_if(*parties, [&](size_t i) { return kept_as[i] == SIZE_MAX; });
      for (size_t& i : *parties) i = kept_as[i];
    }
    record.relations.push_back(std::move(relation));
  }
  if (unresolved > 0)
    record.warnings.push_back("no publication date: " + std::to_string(unresolved) +
                              " relative date(s) left without iso (give --published)");
  if (trace) {
    trace->normalised = doc_.text;
    trace->sentences = sentences;
    trace->candidates = candidates_;
    trace->decisions = decisions_;
  }
  return record;
}

std::string DefaultRulesDir() {
  namespace fs = std::filesystem;
  if (const char* env = std::getenv("FACTWIRE_RULES"); env && *env) return env;
  std::error_code error;
  const fs::path exe = fs::read_symlink("/proc/self/exe", error);
  if (!error) {
    for (const fs::path& candidate : {exe.parent_path() / "rules", exe.parent_path().parent_path() / "rules",
                                      exe.parent_path().parent_path() / "share" / "factwire" / "rules"})
      if (fs::is_directory(candidate / "common", error)) return candidate.string();
  }
  return FACTWIRE_SOURCE_RULES_DIR;
}

Result<std::unique_ptr<RuleSet>> LoadRules(const std::string& dir) {
  Result<std::unique_ptr<RuleSet>> rules = RuleSet::Load(dir);
  if (!rules.ok()) return rules.status();
  if (Status s = ValidateRules(rules.value().get()); !s.ok()) return s;
  return rules;
}

}  // namespace factwire
