#include "eval/evaluator.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <sstream>

#include "base/utf8.h"
#include "read/reader.h"

namespace factwire {
namespace {

namespace fs = std::filesystem;

bool Overlap(const EvalFact& a, const EvalFact& b) { return a.start < b.end && b.start < a.end; }

// Kuhn's augmenting paths over the remaining facts of one type: small per document.
bool Augment(size_t g, const std::vector<std::vector<size_t>>& edges, std::vector<bool>* seen,
             std::vector<size_t>* system_of_gold, std::vector<size_t>* gold_of_system) {
  for (size_t s : edges[g]) {
    if ((*seen)[s]) continue;
    (*seen)[s] = true;
    if ((*gold_of_system)[s] == SIZE_MAX || Augment((*gold_of_system)[s], edges, seen, system_of_gold, gold_of_system)) {
      (*gold_of_system)[s] = g;
      (*system_of_gold)[g] = s;
      return true;
    }
  }
  return false;
}

// A fact's value in factwire's shape. Gold written in other conventions (MEANTIME, see
// ../shared/data/README) gives a date's value as a bare string and names the entity an
// org or person mention stands for in `entity`.
nlohmann::json ValueOf(const nlohmann::json& fact) {
  nlohmann::json value = fact.value("value", nlohmann::json());
  if (value.is_string() && fact["type"] == "date") return {{"iso", value}};
  if (value.is_null() && fact.contains("entity") && fact["entity"].is_string()) return {{"name", fact["entity"]}};
  return value;
}

Result<std::vector<EvalFact>> FactsOf(const nlohmann::json& facts, const std::string& where) {
  std::vector<EvalFact> out;
  if (facts.is_null()) return out;
  if (!facts.is_array()) return Status::InvalidInput(where + ": `facts` is not a list");
  for (const auto& fact : facts) {
    if (!fact.is_object() || !fact.contains("type") || !fact["type"].is_string() || !fact.contains("start") ||
        !fact["start"].is_number_unsigned() || !fact.contains("end") || !fact["end"].is_number_unsigned())
      return Status::InvalidInput(where + ": a fact needs type, start and end: " + fact.dump());
    out.push_back({fact["type"], fact["start"], fact["end"], ValueOf(fact)});
  }
  return out;
}

std::vector<size_t> Sorted(std::vector<size_t> list) {
  std::sort(list.begin(), list.end());
  return list;
}

// Gold relations name facts by start offset already.
Result<std::vector<EvalRelation>> GoldRelationsOf(const nlohmann::json& relations, const std::string& where) {
  std::vector<EvalRelation> out;
  if (relations.is_null()) return out;
  try {
    for (const auto& r : relations) {
      EvalRelation relation;
      relation.type = r.at("type");
      if (relation.type == "investment") {
        relation.from = relation.to = r.at("money");
        relation.funders = Sorted(r.value("funders", std::vector<size_t>{}));
        relation.beneficiaries = Sorted(r.value("beneficiaries", std::vector<size_t>{}));
        relation.purpose = r.value("purpose", "");
      } else {
        relation.from = r.at("from");
        relation.to = r.at("to");
      }
      out.push_back(std::move(relation));
    }
  } catch (const nlohmann::json::exception& e) {
    return Status::InvalidInput(where + ": malformed relation: " + e.what());
  }
  return out;
}

Result<EvalDocument> GoldDocument(const nlohmann::json& json, std::string text, const std::string& where) {
  if (!json.is_object() || !json.contains("id") || !json["id"].is_string())
    return Status::InvalidInput(where + ": a golden record needs a string `id`");
  EvalDocument doc;
  doc.id = json["id"];
  doc.text = std::move(text);
  // Golden articles in JSONL carry their facts as `facts` or, as MEANTIME's do, `gold`.
  const char* key = json.contains("facts") ? "facts" : "gold";
  Result<std::vector<EvalFact>> facts = FactsOf(json.value(key, nlohmann::json()), where);
  if (!facts.ok()) return facts.status();
  doc.facts = std::move(facts.value());
  Result<std::vector<EvalRelation>> relations = GoldRelationsOf(json.value("relations", nlohmann::json()), where);
  if (!relations.ok()) return relations.status();
  doc.relations = std::move(relations.value());
  return doc;
}

// A fact as the error list shows it: type, span, text in context and value.
std::string Describe(const EvalDocument& doc, const EvalFact& fact) {
  // Appends, not "lit" + string: g++ 12 warns falsely (-Wrestrict) on the latter.
  std::string out;
  out.append("[").append(std::to_string(fact.start)).append(",").append(std::to_string(fact.end)).append(")");
  if (!doc.text.empty()) {
    auto byte_at = [&](size_t code_point) {  // errors are few: a walk from the start will do
      Utf8Cursor cursor(doc.text);
      for (size_t i = 0; i < code_point && !cursor.done(); ++i) cursor.Next();
      return cursor.offset();
    };
    const size_t before = fact.start > 30 ? fact.start - 30 : 0;
    std::string context = doc.text.substr(byte_at(before), byte_at(fact.start) - byte_at(before));
    context.append("[[")
        .append(doc.text.substr(byte_at(fact.start), byte_at(fact.end) - byte_at(fact.start)))
        .append("]]")
        .append(doc.text.substr(byte_at(fact.end), byte_at(fact.end + 30) - byte_at(fact.end)));
    std::replace(context.begin(), context.end(), '\n', ' ');
    out.append(" \"").append(context).append("\"");
  }
  if (!fact.value.is_null()) out.append(" ").append(fact.value.dump());
  return out;
}

std::string DescribeRelation(const EvalRelation& r) {
  if (r.type != "investment") return r.type + " " + std::to_string(r.from) + " -> " + std::to_string(r.to);
  auto list = [](const std::vector<size_t>& starts) {
    std::string out = "[";
    for (size_t s : starts) out.append(out.size() > 1 ? " " : "").append(std::to_string(s));
    return out.append("]");
  };
  return "investment money@" + std::to_string(r.from) + " funders@" + list(r.funders) + " beneficiaries@" +
         list(r.beneficiaries) + (r.purpose.empty() ? "" : " purpose '" + r.purpose + "'");
}

// Relations agree when their ends do; an investment's purpose is its value.
bool SameEnds(const EvalRelation& a, const EvalRelation& b) {
  return a.type == b.type && a.from == b.from && a.to == b.to && a.funders == b.funders &&
         a.beneficiaries == b.beneficiaries;
}

}  // namespace

double Score::F1(size_t matched, size_t gold, size_t system) {
  const double p = Precision(matched, system), r = Recall(matched, gold);
  return p + r > 0 ? 2 * p * r / (p + r) : 0;
}

void Score::Add(const Score& other) {
  gold += other.gold;
  system += other.system;
  strict += other.strict;
  relaxed += other.relaxed;
  value_checked += other.value_checked;
  value_correct += other.value_correct;
}

std::vector<MatchPair> MatchFacts(const std::vector<EvalFact>& gold, const std::vector<EvalFact>& system, bool strict) {
  std::vector<size_t> system_of_gold(gold.size(), SIZE_MAX), gold_of_system(system.size(), SIZE_MAX);
  // Identical spans first, so that a looser pairing never takes a strict partner.
  for (size_t g = 0; g < gold.size(); ++g)
    for (size_t s = 0; s < system.size(); ++s)
      if (gold_of_system[s] == SIZE_MAX && gold[g].type == system[s].type && gold[g].start == system[s].start &&
          gold[g].end == system[s].end) {
        system_of_gold[g] = s;
        gold_of_system[s] = g;
        break;
      }
  if (!strict) {
    std::vector<std::vector<size_t>> edges(gold.size());
    for (size_t g = 0; g < gold.size(); ++g)
      if (system_of_gold[g] == SIZE_MAX)
        for (size_t s = 0; s < system.size(); ++s)
          if (gold_of_system[s] == SIZE_MAX && gold[g].type == system[s].type && Overlap(gold[g], system[s]))
            edges[g].push_back(s);
    for (size_t g = 0; g < gold.size(); ++g) {
      if (edges[g].empty()) continue;
      std::vector<bool> seen(system.size(), false);
      Augment(g, edges, &seen, &system_of_gold, &gold_of_system);
    }
  }
  std::vector<MatchPair> pairs;
  for (size_t g = 0; g < gold.size(); ++g)
    if (system_of_gold[g] != SIZE_MAX) pairs.push_back({g, system_of_gold[g]});
  return pairs;
}

bool ValuesAgree(std::string_view type, const nlohmann::json& gold, const nlohmann::json& system) {
  if (!gold.is_object() || !system.is_object()) return false;
  auto same_string = [&](const char* key) {
    return gold.contains(key) && system.contains(key) && gold[key].is_string() && system[key].is_string() &&
           gold[key] == system[key];
  };
  if (type == "money") {
    if (!same_string("currency") || !gold.contains("amount") || !system.contains("amount") ||
        !gold["amount"].is_number() || !system["amount"].is_number())
      return false;
    const double want = gold["amount"].get<double>(), got = system["amount"].get<double>();
    return std::fabs(got - want) <= 0.005 * std::fabs(want);
  }
  if (type == "date") return same_string("iso");
  if (type == "country") return same_string("iso2");
  // Named things: site, programme, org, person.
  return gold.contains("name") && system.contains("name") && gold["name"].is_string() && system["name"].is_string() &&
         AsciiLower(gold["name"].get<std::string>()) == AsciiLower(system["name"].get<std::string>());
}

Result<EvalDocument> DocumentFromRecord(const nlohmann::json& record) {
  if (!record.is_object() || !record.contains("id") || !record["id"].is_string())
    return Status::InvalidInput("a record needs a string `id`");
  EvalDocument doc;
  doc.id = record["id"];
  Result<std::vector<EvalFact>> facts = FactsOf(record.value("facts", nlohmann::json()), doc.id);
  if (!facts.ok()) return facts.status();
  doc.facts = std::move(facts.value());
  // Relations name facts by id (1-based, or the fact's own `id` field): map to starts.
  std::map<int64_t, size_t> start_of;
  const nlohmann::json& raw_facts = record.value("facts", nlohmann::json::array());
  for (size_t i = 0; i < raw_facts.size(); ++i)
    start_of[raw_facts[i].value("id", static_cast<int64_t>(i + 1))] = doc.facts[i].start;
  try {
    auto start = [&](const nlohmann::json& id) {
      auto it = start_of.find(id.get<int64_t>());
      if (it == start_of.end()) throw std::out_of_range("relation names no fact " + id.dump());
      return it->second;
    };
    for (const auto& r : record.value("relations", nlohmann::json::array())) {
      EvalRelation relation;
      relation.type = r.at("type");
      if (relation.type == "investment") {
        relation.from = relation.to = start(r.at("money"));
        for (const auto& f : r.value("funders", nlohmann::json::array())) relation.funders.push_back(start(f));
        for (const auto& b : r.value("beneficiaries", nlohmann::json::array())) relation.beneficiaries.push_back(start(b));
        relation.funders = Sorted(relation.funders);
        relation.beneficiaries = Sorted(relation.beneficiaries);
        relation.purpose = r.value("purpose", "");
      } else {
        relation.from = start(r.at("from"));
        relation.to = start(r.at("to"));
      }
      doc.relations.push_back(std::move(relation));
    }
  } catch (const std::exception& e) {
    return Status::InvalidInput(doc.id + ": malformed relation: " + e.what());
  }
  return doc;
}

Result<std::vector<EvalDocument>> ReadGold(const std::string& path, bool subfolders) {
  std::vector<EvalDocument> docs;
  std::error_code error;
  if (fs::is_directory(path, error)) {
    std::vector<std::string> golds;
    for (auto it = fs::recursive_directory_iterator(path, error); !error && it != fs::recursive_directory_iterator();
         it.increment(error))
      if (it->path().string().ends_with(".gold.json") && (subfolders || it.depth() == 0))
        golds.push_back(it->path().string());
    std::sort(golds.begin(), golds.end());
    if (golds.empty()) return Status::InvalidInput(path + ": no NAME.gold.json files");
    for (const std::string& gold_path : golds) {
      std::ifstream in(gold_path);
      nlohmann::json json = nlohmann::json::parse(in, nullptr, false);
      if (json.is_discarded()) return Status::InvalidInput(gold_path + ": malformed JSON");
      const std::string text_path = gold_path.substr(0, gold_path.size() - std::string(".gold.json").size()) + ".txt";
      std::string text;
      std::string lang;
      Status read;
      ReadInputs({text_path}, {}, [&](Result<Article> article) {
        if (!article.ok()) {
          read = article.status();
          return;
        }
        text = std::move(article.value().text);
        lang = article.value().lang;
      });
      if (!read.ok()) return read;
      Result<EvalDocument> doc = GoldDocument(json, std::move(text), gold_path);
      if (!doc.ok()) return doc.status();
      doc.value().lang = lang;
      docs.push_back(std::move(doc.value()));
    }
    return docs;
  }
  std::ifstream in(path);
  if (!in) return Status::IoError(path + ": cannot open");
  std::string line;
  for (size_t number = 1; std::getline(in, line); ++number) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    const std::string where = path + ":" + std::to_string(number);
    nlohmann::json json = nlohmann::json::parse(line, nullptr, false);
    if (json.is_discarded()) return Status::InvalidInput(where + ": malformed JSON");
    Result<EvalDocument> doc = GoldDocument(json, json.value("text", ""), where);
    if (!doc.ok()) return doc.status();
    if (json.contains("lang") && json["lang"].is_string()) doc.value().lang = json["lang"];
    docs.push_back(std::move(doc.value()));
  }
  return docs;
}

void Evaluator::AddError(const EvalDocument& gold, const std::string& type, std::string kind, std::string detail) {
  if (errors_per_type_[type]++ >= options_.max_errors) return;
  report_.errors.push_back({gold.id, type, std::move(kind), std::move(detail)});
}

void Evaluator::Add(const EvalDocument& gold, const EvalDocument* system) {
  ++report_.documents;
  if (!system) report_.missing_documents.push_back(gold.id);
  static const EvalDocument kEmpty;
  const EvalDocument& got = system ? *system : kEmpty;

  std::vector<EvalFact> want_facts, got_facts;
  for (const EvalFact& f : gold.facts)
    if (Wanted(f.type)) want_facts.push_back(f);
  for (const EvalFact& f : got.facts)
    if (Wanted(f.type)) got_facts.push_back(f);
  for (const EvalFact& f : want_facts) ++report_.facts[f.type].gold;
  for (const EvalFact& f : got_facts) ++report_.facts[f.type].system;

  std::vector<bool> gold_matched(want_facts.size(), false), system_matched(got_facts.size(), false);
  for (const auto& [g, s] : MatchFacts(want_facts, got_facts, /*strict=*/false)) {
    Score& score = report_.facts[want_facts[g].type];
    gold_matched[g] = system_matched[s] = true;
    ++score.relaxed;
    const bool same_span = want_facts[g].start == got_facts[s].start && want_facts[g].end == got_facts[s].end;
    score.strict += same_span;
    if (!same_span)
      AddError(gold, want_facts[g].type, "wrong span", Describe(gold, want_facts[g]) + " got " + Describe(gold, got_facts[s]));
    if (!want_facts[g].value.is_null() && !got_facts[s].value.is_null()) {
      ++score.value_checked;
      if (ValuesAgree(want_facts[g].type, want_facts[g].value, got_facts[s].value)) ++score.value_correct;
      else AddError(gold, want_facts[g].type, "wrong value", Describe(gold, want_facts[g]) + " got " + got_facts[s].value.dump());
    }
  }
  for (size_t g = 0; g < want_facts.size(); ++g)
    if (!gold_matched[g]) AddError(gold, want_facts[g].type, "missed", Describe(gold, want_facts[g]));
  for (size_t s = 0; s < got_facts.size(); ++s)
    if (!system_matched[s]) AddError(gold, got_facts[s].type, "false hit", Describe(gold, got_facts[s]));

  // Relations: one-to-one on their ends; an investment's purpose counts as its value.
  std::vector<bool> used(got.relations.size(), false);
  for (const EvalRelation& r : got.relations)
    if (Wanted(r.type)) ++report_.relations[r.type].system;
  for (const EvalRelation& want : gold.relations) {
    if (!Wanted(want.type)) continue;
    Score& score = report_.relations[want.type];
    ++score.gold;
    size_t found = SIZE_MAX;
    for (size_t i = 0; i < got.relations.size() && found == SIZE_MAX; ++i)
      if (!used[i] && SameEnds(want, got.relations[i])) found = i;
    if (found == SIZE_MAX) {
      AddError(gold, want.type, "missed", DescribeRelation(want));
      continue;
    }
    used[found] = true;
    ++score.strict;
    ++score.relaxed;
    if (want.type == "investment") {
      ++score.value_checked;
      if (want.purpose == got.relations[found].purpose) ++score.value_correct;
      else AddError(gold, want.type, "wrong value", DescribeRelation(want) + " got purpose '" + got.relations[found].purpose + "'");
    }
  }
  for (size_t i = 0; i < got.relations.size(); ++i)
    if (!used[i] && Wanted(got.relations[i].type))
      AddError(gold, got.relations[i].type, "false hit", DescribeRelation(got.relations[i]));

  report_.overall = Score();
  for (const auto& [type, score] : report_.facts) report_.overall.Add(score);
}

std::string EvalReport::Table() const {
  std::ostringstream out;
  out << std::fixed << std::setprecision(3);
  auto row = [&](const std::string& name, const Score& s, bool relaxed_columns) {
    out << std::left << std::setw(12) << name << std::right << std::setw(6) << s.gold << std::setw(7) << s.system << "  "
        << std::setw(6) << Score::Precision(s.strict, s.system) << std::setw(7) << Score::Recall(s.strict, s.gold)
        << std::setw(7) << Score::F1(s.strict, s.gold, s.system);
    if (relaxed_columns)
      out << "  " << std::setw(6) << Score::Precision(s.relaxed, s.system) << std::setw(7)
          << Score::Recall(s.relaxed, s.gold) << std::setw(7) << Score::F1(s.relaxed, s.gold, s.system);
    if (s.value_checked) out << "  " << std::setw(6) << double(s.value_correct) / double(s.value_checked);
    else out << "  " << std::setw(6) << "-";
    out << "\n";
  };
  out << documents << " documents";
  if (!missing_documents.empty()) out << " (" << missing_documents.size() << " without a system record)";
  out << "\n\n";
  out << std::left << std::setw(12) << "facts" << std::right << std::setw(6) << "gold" << std::setw(7) << "system"
      << "  " << std::setw(20) << "strict P / R / F1" << "  " << std::setw(20) << "relaxed P / R / F1" << "  "
      << std::setw(6) << "value" << "\n";
  for (const auto& [type, score] : facts) row(type, score, true);
  row("overall", overall, true);
  if (!relations.empty()) {
    out << "\n"
        << std::left << std::setw(12) << "relations" << std::right << std::setw(6) << "gold" << std::setw(7) << "system"
        << "  " << std::setw(20) << "P / R / F1" << "  " << std::setw(6) << "purpose" << "\n";
    for (const auto& [type, score] : relations) row(type, score, false);
  }
  if (!errors.empty()) {
    out << "\nerrors:\n";
    for (const EvalError& e : errors) out << "  " << e.document << " " << e.type << " " << e.kind << ": " << e.detail << "\n";
  }
  return out.str();
}

nlohmann::json EvalReport::ToJson() const {
  auto score_json = [](const Score& s, bool relaxed) {
    nlohmann::json j = {{"gold", s.gold},
                        {"system", s.system},
                        {"strict", {{"matched", s.strict},
                                    {"precision", Score::Precision(s.strict, s.system)},
                                    {"recall", Score::Recall(s.strict, s.gold)},
                                    {"f1", Score::F1(s.strict, s.gold, s.system)}}}};
    if (relaxed)
      j["relaxed"] = {{"matched", s.relaxed},
                      {"precision", Score::Precision(s.relaxed, s.system)},
                      {"recall", Score::Recall(s.relaxed, s.gold)},
                      {"f1", Score::F1(s.relaxed, s.gold, s.system)}};
    j["value_checked"] = s.value_checked;
    j["value_accuracy"] = s.value_checked ? nlohmann::json(double(s.value_correct) / double(s.value_checked)) : nullptr;
    return j;
  };
  nlohmann::json out = {{"documents", documents}, {"missing_documents", missing_documents}};
  for (const auto& [type, score] : facts) out["facts"][type] = score_json(score, true);
  out["overall"] = score_json(overall, true);
  out["relations"] = nlohmann::json::object();
  for (const auto& [type, score] : relations) out["relations"][type] = score_json(score, false);
  out["errors"] = nlohmann::json::array();
  for (const EvalError& e : errors)
    out["errors"].push_back({{"document", e.document}, {"type", e.type}, {"kind", e.kind}, {"detail", e.detail}});
  return out;
}

}  // namespace factwire
