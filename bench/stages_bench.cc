// Micro-benchmarks, one per pipeline stage, on the article that started the project
// (corpus/dev/eurohpc-ai-factories.txt) with the project's rules. tools/bench runs them;
// bytes/s are of the article's text.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <iostream>

#include "emit/emitter.h"
#include "langid/language.h"
#include "pipeline/extractor.h"
#include "read/reader.h"

namespace factwire {
namespace {

// Loaded once for every benchmark: the rules, the article and each stage's output, so
// that a benchmark times its own stage only.
struct Fixture {
  std::unique_ptr<RuleSet> rules;
  Article article;
  Normaliser normaliser = Normaliser::Create().value();
  std::unique_ptr<Segmenter> segmenter;
  Document doc;
  std::vector<Span> sentences;
  std::vector<Candidate> candidates;
  Record record;

  Fixture() {
    Result<std::unique_ptr<RuleSet>> loaded = LoadRules(FACTWIRE_SOURCE_DIR "/rules");
    if (!loaded.ok()) Die(loaded.status().message());
    rules = std::move(loaded.value());
    ReadInputs({FACTWIRE_SOURCE_DIR "/corpus/dev/eurohpc-ai-factories.txt"}, {}, [&](Result<Article> read) {
      if (!read.ok()) Die(read.status().message());
      article = std::move(read.value());
    });
    SegmenterOptions segmenter_options;
    segmenter_options.abbreviations = rules->Abbreviations("en");
    segmenter = std::move(Segmenter::Create(segmenter_options).value());
    normaliser.Normalise(article.text, &doc);
    sentences = segmenter->Sentences(doc.text);
    rules->Match(doc.text, "en", &candidates);
    record = Extractor::Create(*rules).value()->Extract(article);
  }
  static void Die(const std::string& message) {
    std::cerr << "stages_bench: " << message << "\n";
    std::exit(1);
  }
};

Fixture& Shared() {
  static Fixture fixture;
  return fixture;
}

void Processed(benchmark::State& state) {
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(Shared().article.text.size()));
}

void BM_Normalise(benchmark::State& state) {
  Fixture& f = Shared();
  Document doc;
  for (auto _ : state) f.normaliser.Normalise(f.article.text, &doc);
  Processed(state);
}
BENCHMARK(BM_Normalise);

void BM_Identify(benchmark::State& state) {
  Fixture& f = Shared();
  for (auto _ : state) benchmark::DoNotOptimize(IdentifyLanguage(f.doc.text));
  Processed(state);
}
BENCHMARK(BM_Identify);

void BM_Segment(benchmark::State& state) {
  Fixture& f = Shared();
  for (auto _ : state) benchmark::DoNotOptimize(f.segmenter->Sentences(f.doc.text));
  Processed(state);
}
BENCHMARK(BM_Segment);

void BM_Match(benchmark::State& state) {
  Fixture& f = Shared();
  std::vector<Candidate> candidates;
  for (auto _ : state) {
    candidates.clear();
    f.rules->Match(f.doc.text, "en", &candidates);
  }
  Processed(state);
}
BENCHMARK(BM_Match);

void BM_Resolve(benchmark::State& state) {
  Fixture& f = Shared();
  std::vector<Fact> facts;
  std::vector<Relation> relations;
  std::vector<Decision> decisions;
  for (auto _ : state) {
    facts.clear();
    relations.clear();
    decisions.clear();
    Resolve(f.doc, f.sentences, {f.article.published, "en"}, f.candidates, &facts, &relations, &decisions);
  }
  Processed(state);
}
BENCHMARK(BM_Resolve);

void BM_Emit(benchmark::State& state) {
  Fixture& f = Shared();
  for (auto _ : state) benchmark::DoNotOptimize(RenderJsonl(f.record, {}));
  Processed(state);
}
BENCHMARK(BM_Emit);

void BM_ExtractWholeArticle(benchmark::State& state) {
  Fixture& f = Shared();
  std::unique_ptr<Extractor> extractor = Extractor::Create(*f.rules).value();
  for (auto _ : state) benchmark::DoNotOptimize(extractor->Extract(f.article));
  Processed(state);
}
BENCHMARK(BM_ExtractWholeArticle);

}  // namespace
}  // namespace factwire

BENCHMARK_MAIN();
