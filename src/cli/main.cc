// factwire: extracts facts (money, countries, ...) from press articles.
//
//   factwire extract [OPTIONS] INPUT...   facts as JSONL, one record per article
//   factwire explain [OPTIONS] TEXT       every candidate and why it was kept or dropped
//   factwire check-rules [--rules DIR]    runs the examples in every rule file
//   factwire eval [OPTIONS] GOLD [SYSTEM] scores SYSTEM records (or factwire itself)
//                                         against hand-verified GOLD
//
// Exit status: 0 all done; 1 some articles (or examples) failed, each reported on
// stderr; 2 usage or rule errors.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

#include "emit/emitter.h"
#include "eval/evaluator.h"
#include "pipeline/extractor.h"
#include "pipeline/parallel.h"
#include "pipeline/rule_examples.h"
#include "read/reader.h"
#include "store/store.h"

namespace factwire {
namespace {

constexpr int kExitOk = 0;
constexpr int kExitSomeFailed = 1;
constexpr int kExitUsage = 2;

std::set<std::string> SplitTypes(const std::string& list) {
  std::set<std::string> types;
  std::stringstream in(list);
  for (std::string type; std::getline(in, type, ',');)
    if (!type.empty()) types.insert(type);
  return types;
}

Result<std::unique_ptr<RuleSet>> LoadRulesOrReport(const std::string& dir) {
  Result<std::unique_ptr<RuleSet>> rules = LoadRules(dir.empty() ? DefaultRulesDir() : dir);
  if (!rules.ok()) std::cerr << "factwire: rule error: " << rules.status().message() << "\n";
  return rules;
}

// Counts what an extraction found, for --summary.
struct ExtractArgs {
  std::vector<std::string> inputs;
  std::string out;
  bool pretty = false;
  std::string types;
  std::string published;
  std::string lang;
  std::string rules;
  size_t max_bytes = 64u << 20;
  bool summary = false;
  std::string db;  // load into this database too
  bool force = false;
  size_t batch = 100;
  int threads = 0;  // 0: one per core
  bool timings = false;
};

// --timings: where the time went, for tools/bench. Stage times are summed over threads.
void PrintTimings(double load_seconds, double total_seconds, size_t input_bytes, int threads, const StageTimes& stages,
                  double emit_seconds) {
  const std::pair<const char*, double> parts[] = {{"normalise", stages.normalise}, {"identify", stages.identify},
                                                  {"segment", stages.segment},     {"match", stages.match},
                                                  {"resolve", stages.resolve},     {"render", stages.render},
                                                  {"write", emit_seconds}};
  double staged = 0;
  for (const auto& part : parts) staged += part.second;
  const double extract_seconds = total_seconds - load_seconds;
  std::fprintf(stderr, "timings: rules loaded in %.3f s; %.1f MB extracted in %.3f s on %d thread(s): %.2f MB/s\n",
               load_seconds, static_cast<double>(input_bytes) / 1e6, extract_seconds, threads,
               extract_seconds > 0 ? static_cast<double>(input_bytes) / 1e6 / extract_seconds : 0.0);
  for (const auto& [name, value] : parts)
    std::fprintf(stderr, "timings: %-10s %8.3f s  %5.1f%%\n", name, value, staged > 0 ? 100 * value / staged : 0.0);
}

int RunExtract(const ExtractArgs& args) {
  using Clock = std::chrono::steady_clock;
  const Clock::time_point start = Clock::now();
  auto seconds_since = [](Clock::time_point from) { return std::chrono::duration<double>(Clock::now() - from).count(); };
  Result<std::unique_ptr<RuleSet>> rules = LoadRulesOrReport(args.rules);
  if (!rules.ok()) return kExitUsage;
  const double load_seconds = seconds_since(start);
  ExtractorOptions options;
  options.types = SplitTypes(args.types);
  for (const auto& type : options.types) {
    bool known = false;
    for (const auto& file : rules.value()->files()) known |= file->type == type;
    if (!known) {
      std::cerr << "factwire: --types: no rules for fact type '" << type << "'\n";
      return kExitUsage;
    }
  }
  std::unique_ptr<Store> store;
  if (!args.db.empty()) {
    StoreOptions store_options;
    // Facts made by other rules, or filtered to other types, are not current.
    store_options.rules_version = RulesVersion(args.rules.empty() ? DefaultRulesDir() : args.rules) + ":" + args.types;
    store_options.batch_articles = std::max<size_t>(1, args.batch);
    Result<std::unique_ptr<Store>> opened = Store::Open(args.db, store_options);
    if (!opened.ok()) {
      std::cerr << "factwire: " << opened.status().message() << "\n";
      return opened.status().code() == Status::Code::kUsage ? kExitUsage : kExitSomeFailed;
    }
    store = std::move(opened.value());
  }
  std::ofstream file;
  std::ostream* out = args.db.empty() ? &std::cout : nullptr;  // with --db, JSONL only to --out
  if (!args.out.empty()) {
    file.open(args.out);
    if (!file) {
      std::cerr << "factwire: cannot write " << args.out << "\n";
      return kExitUsage;
    }
    out = &file;
  }
  std::optional<JsonlWriter> writer;
  if (out) writer.emplace(out, EmitterOptions{args.pretty});
  ReaderOptions reader_options;
  reader_options.default_published = args.published;
  reader_options.default_lang = args.lang;
  reader_options.max_article_bytes = args.max_bytes;
  RunSummary summary;
  bool failed = false;
  bool store_failed = false;  // after a database error nothing more is loaded
  size_t current = 0;         // articles the database already holds unchanged
  auto report_store_error = [&](const Status& status) {
    std::cerr << "factwire: database: " << status.message() << "\n";
    store_failed = failed = true;
  };
  // Records come back in input order on this thread, however many threads extract.
  double emit_seconds = 0;
  size_t input_bytes = 0;
  auto emit = [&](Extracted extracted) {
    if (store_failed) return;
    const Clock::time_point emit_start = Clock::now();
    const Record& record = extracted.record;
    for (const auto& warning : record.warnings) std::cerr << "factwire: warning: " << record.id << ": " << warning << "\n";
    if (writer) writer->WriteRendered(extracted.rendered);
    if (store)
      if (Status s = store->Put(record, extracted.tag); !s.ok()) return report_store_error(s);
    summary.Add(record);
    emit_seconds += seconds_since(emit_start);
  };
  ParallelOptions parallel;
  parallel.threads = args.threads;
  const EmitterOptions emitter_options{args.pretty};
  if (writer) parallel.render = [emitter_options](const Record& record) { return RenderJsonl(record, emitter_options); };
  Result<std::unique_ptr<ParallelExtractor>> extractor = ParallelExtractor::Create(*rules.value(), options, parallel, emit);
  if (!extractor.ok()) {
    std::cerr << "factwire: " << extractor.status().message() << "\n";
    return kExitUsage;
  }
  ReadInputs(args.inputs, reader_options, [&](Result<Article> article) {
    if (store_failed) return;
    if (!article.ok()) {
      std::cerr << "factwire: skipped: " << article.status().message() << "\n";
      summary.AddFailure();
      failed = true;
      return;
    }
    std::string sha;
    if (store) {
      sha = Sha256Hex(article.value().text);
      Result<bool> is_current = store->IsCurrent(article.value().id, sha);
      if (!is_current.ok()) return report_store_error(is_current.status());
      if (is_current.value() && !args.force) {
        ++current;
        return;
      }
    }
    input_bytes += article.value().text.size();
    extractor.value()->Submit(std::move(article.value()), std::move(sha));
  });
  extractor.value()->Finish();
  if (args.timings) PrintTimings(load_seconds, seconds_since(start), input_bytes, extractor.value()->threads(),
                                 extractor.value()->stage_times(), emit_seconds);
  if (store && !store_failed)
    if (Status s = store->Finish(); !s.ok()) report_store_error(s);
  if (out) {
    out->flush();
    if (!*out) {
      std::cerr << "factwire: writing the output failed\n";
      return kExitSomeFailed;
    }
  }
  if (args.summary && !store) summary.Print(std::cerr);
  if (store) {
    std::cerr << "factwire: database " << args.db << ": " << summary.articles() << " articles loaded, " << current
              << " unchanged and skipped" << (store_failed ? "; stopped at a database error" : "") << "\n";
    if (args.summary && !store_failed)
      if (Status s = store->PrintSummary(std::cerr); !s.ok()) report_store_error(s);
  }
  return failed ? kExitSomeFailed : kExitOk;
}

struct ExplainArgs {
  std::string text;
  std::string published;
  std::string lang = "en";
  std::string rules;
};

int RunExplain(const ExplainArgs& args) {
  Result<std::unique_ptr<RuleSet>> rules = LoadRulesOrReport(args.rules);
  if (!rules.ok()) return kExitUsage;
  Result<std::unique_ptr<Extractor>> extractor = Extractor::Create(*rules.value());
  if (!extractor.ok()) {
    std::cerr << "factwire: " << extractor.status().message() << "\n";
    return kExitUsage;
  }
  Article article;
  article.id = "explain";
  article.text = args.text;
  article.published = args.published;
  article.lang = args.lang;
  Trace trace;
  const Record record = extractor.value()->Extract(article, &trace);
  std::cout << "normalised: " << trace.normalised << "\n";
  std::cout << "sentences:";
  for (const Span& s : trace.sentences) std::cout << " [" << s.begin << "," << s.end << ")";
  std::cout << "\ncandidates (normalised byte spans):\n";
  for (size_t i = 0; i < trace.candidates.size(); ++i) {
    const Candidate& c = trace.candidates[i];
    const Decision& d = trace.decisions[i];
    std::cout << "  " << VerdictName(d.verdict) << "\t" << c.rule->id << "\t[" << c.begin << "," << c.end << ") '"
              << trace.normalised.substr(c.begin, c.end - c.begin) << "'";
    if (const nlohmann::json value = ToJson(d.value); !value.is_null()) std::cout << " " << value.dump();
    if (!d.reason.empty()) std::cout << "  -- " << d.reason;
    std::cout << "\n";
  }
  std::cout << "record:\n";
  JsonlWriter(&std::cout, {true}).Write(record);
  return kExitOk;
}

int RunCheckRules(const std::string& dir) {
  Result<std::unique_ptr<RuleSet>> rules = LoadRulesOrReport(dir);
  if (!rules.ok()) return kExitUsage;
  if (Status s = rules.value()->PrepareAll(); !s.ok()) {  // extract compiles a language when it meets it
    std::cerr << "factwire: rule error: " << s.message() << "\n";
    return kExitUsage;
  }
  Result<std::unique_ptr<Extractor>> extractor = Extractor::Create(*rules.value());
  if (!extractor.ok()) return kExitUsage;
  size_t passed = 0;
  size_t failed = 0;
  for (const auto& outcome : CheckAllExamples(*rules.value(), extractor.value().get())) {
    if (outcome.passed) {
      ++passed;
    } else {
      ++failed;
      std::cout << "FAIL " << outcome.message << "\n";
    }
  }
  std::cout << "rule examples: " << passed << " passed, " << failed << " failed\n";
  return failed ? kExitSomeFailed : kExitOk;
}

struct EvalArgs {
  std::string gold;
  std::string system;  // empty: run factwire on GOLD
  std::vector<std::string> types;
  std::string lang;  // score only articles in this language
  size_t errors = 0;
  bool json = false;
  std::string rules;
};

// System documents by id: read from a JSONL of records, or made by running factwire on
// the gold articles. Bad lines are reported and skipped.
std::map<std::string, EvalDocument> SystemDocuments(const EvalArgs& args, bool* failed) {
  std::map<std::string, EvalDocument> out;
  auto add = [&](const nlohmann::json& record, const std::string& where) {
    Result<EvalDocument> doc = DocumentFromRecord(record);
    if (!doc.ok()) {
      std::cerr << "factwire: " << where << ": " << doc.status().message() << "\n";
      *failed = true;
      return;
    }
    out[doc.value().id] = std::move(doc.value());
  };
  if (!args.system.empty()) {
    std::ifstream in(args.system);
    if (!in) {
      std::cerr << "factwire: " << args.system << ": cannot open\n";
      *failed = true;
      return out;
    }
    std::string line;
    for (size_t number = 1; std::getline(in, line); ++number) {
      if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
      const std::string where = args.system + ":" + std::to_string(number);
      nlohmann::json record = nlohmann::json::parse(line, nullptr, false);
      if (record.is_discarded()) {
        std::cerr << "factwire: " << where << ": malformed JSON\n";
        *failed = true;
        continue;
      }
      add(record, where);
    }
    return out;
  }
  Result<std::unique_ptr<RuleSet>> rules = LoadRulesOrReport(args.rules);
  if (!rules.ok()) {
    *failed = true;
    return out;
  }
  Result<std::unique_ptr<Extractor>> extractor = Extractor::Create(*rules.value());
  if (!extractor.ok()) {
    std::cerr << "factwire: " << extractor.status().message() << "\n";
    *failed = true;
    return out;
  }
  ReadInputs({args.gold}, {}, [&](Result<Article> article) {
    if (!article.ok()) {
      std::cerr << "factwire: " << article.status().message() << "\n";
      *failed = true;
      return;
    }
    add(ToJson(extractor.value()->Extract(article.value())), article.value().source);
  });
  return out;
}

int RunEval(const EvalArgs& args) {
  Result<std::vector<EvalDocument>> gold = ReadGold(args.gold);
  if (!gold.ok()) {
    std::cerr << "factwire: " << gold.status().message() << "\n";
    return kExitUsage;
  }
  bool failed = false;
  const std::map<std::string, EvalDocument> system = SystemDocuments(args, &failed);
  EvalOptions options;
  options.types.insert(args.types.begin(), args.types.end());
  options.max_errors = args.errors;
  Evaluator evaluator(options);
  for (const EvalDocument& doc : gold.value()) {
    if (!args.lang.empty() && doc.lang.substr(0, doc.lang.find_first_of("-_")) != args.lang) continue;
    auto it = system.find(doc.id);
    evaluator.Add(doc, it == system.end() ? nullptr : &it->second);
  }
  if (args.json) std::cout << evaluator.report().ToJson().dump(2) << "\n";
  else std::cout << evaluator.report().Table();
  return failed ? kExitSomeFailed : kExitOk;
}

}  // namespace
}  // namespace factwire

int main(int argc, char** argv) {
  using namespace factwire;
  const auto kIsoDate = [](const std::string& s) -> std::string {
    return IsIsoDate(s) ? "" : "must be a calendar date, YYYY-MM-DD";
  };
  CLI::App app{"factwire: extracts money amounts, countries and other facts from press articles,\n"
               "each with its exact place in the original text and a normalised value."};
  app.require_subcommand(1);

  ExtractArgs extract;
  CLI::App* extract_cmd = app.add_subcommand("extract", "Extract facts from articles and write one JSON record per article");
  extract_cmd->add_option("INPUT", extract.inputs,
                          "A text file (one article; front matter optional), a folder (read recursively: *.txt, *.jsonl), "
                          "a .jsonl file (one {\"id\",\"text\",...} object per line) or - for JSONL on stdin")
      ->required()
      ->type_name("INPUT");
  extract_cmd->add_option("-o,--out", extract.out, "Write records to FILE instead of stdout")->type_name("FILE");
  extract_cmd->add_flag("--pretty", extract.pretty, "Indent the JSON for humans");
  extract_cmd->add_option("--types", extract.types, "Keep only these fact types, comma-separated (e.g. money,country)")
      ->type_name("TYPES");
  extract_cmd->add_option("--published", extract.published, "Publication date (YYYY-MM-DD) for articles that lack one")
      ->check(kIsoDate)
      ->type_name("DATE");
  extract_cmd->add_option("--lang", extract.lang, "Language for articles that lack one (default: identified from the text; language-neutral rules when it cannot be)")->type_name("LANG");
  extract_cmd->add_option("--rules", extract.rules, "Rule folder (default: $FACTWIRE_RULES, else the rules/ shipped with factwire)")
      ->type_name("DIR");
  extract_cmd->add_option("--max-bytes", extract.max_bytes, "Skip (and report) articles larger than this many bytes")
      ->type_name("N")
      ->capture_default_str();
  extract_cmd->add_flag("--summary", extract.summary,
                        "Print counts of what was found to stderr at the end (with --db, read back from the database)");
  extract_cmd->add_option("--db", extract.db,
                          "Also load the facts into a database: sqlite:PATH or PATH.db (JSONL then goes only to --out)")
      ->type_name("URI");
  extract_cmd->add_flag("--force", extract.force, "With --db, re-extract articles the database holds unchanged");
  extract_cmd->add_option("--threads", extract.threads, "Extraction threads (default 0: one per core); output stays in input order")
      ->check(CLI::NonNegativeNumber)
      ->type_name("N")
      ->capture_default_str();
  extract_cmd->add_flag("--timings", extract.timings, "Print rule load time, throughput and the time per stage to stderr");
  extract_cmd->add_option("--batch", extract.batch, "With --db, articles per transaction")->type_name("N")->capture_default_str();

  ExplainArgs explain;
  CLI::App* explain_cmd = app.add_subcommand("explain", "Show every candidate each rule produced for TEXT and why it was kept or dropped");
  explain_cmd->add_option("TEXT", explain.text, "The text to explain")->required();
  explain_cmd->add_option("--published", explain.published, "Publication date (YYYY-MM-DD)")->check(kIsoDate)->type_name("DATE");
  explain_cmd->add_option("--lang", explain.lang, "Language of the text")->capture_default_str();
  explain_cmd->add_option("--rules", explain.rules, "Rule folder");

  std::string check_dir;
  CLI::App* check_cmd = app.add_subcommand("check-rules", "Load every rule file and run the examples it carries");
  check_cmd->add_option("--rules", check_dir, "Rule folder");

  EvalArgs eval;
  CLI::App* eval_cmd = app.add_subcommand(
      "eval", "Score SYSTEM records (or factwire itself, without SYSTEM) against hand-verified GOLD");
  eval_cmd->add_option("GOLD", eval.gold, "A corpus folder (NAME.txt + NAME.gold.json) or a JSONL of articles with facts")
      ->required();
  eval_cmd->add_option("SYSTEM", eval.system, "A JSONL of records in factwire's shape (facts need type, start, end)");
  eval_cmd->add_option("--types", eval.types, "Score only these fact and relation types, comma-separated")
      ->delimiter(',')
      ->type_name("TYPES");
  eval_cmd->add_option("--errors", eval.errors, "List up to N misses and false hits per type, with context")
      ->type_name("N");
  eval_cmd->add_option("--lang", eval.lang, "Score only the golden articles in this language (e.g. de)")->type_name("LANG");
  eval_cmd->add_flag("--json", eval.json, "Print the scores as JSON");
  eval_cmd->add_option("--rules", eval.rules, "Rule folder, when running factwire on GOLD")->type_name("DIR");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : 2;
  }
  if (*extract_cmd) return RunExtract(extract);
  if (*explain_cmd) return RunExplain(explain);
  if (*check_cmd) return RunCheckRules(check_dir);
  if (*eval_cmd) return RunEval(eval);
  return 2;
}
