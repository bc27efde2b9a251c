#include "emit/emitter.h"

#include <algorithm>

namespace factwire {

namespace {

// Appends JSON to one string as it goes: no tree of the record is built, which made
// rendering a sixth of an extraction run. Strings and values go through nlohmann's
// serializer, which escapes them and replaces text that is not UTF-8 (the record must
// still come out).
class CompactJson {
 public:
  explicit CompactJson(std::string* out) : out_(out) {}
  void Raw(std::string_view punctuation) { out_->append(punctuation); }
  void Number(size_t n) { out_->append(std::to_string(n)); }
  void String(std::string_view s) {
    scratch_.get_ref<std::string&>().assign(s);
    Value(scratch_);
  }
  void OptionalString(std::string_view s) { s.empty() ? Raw("null") : String(s); }
  void Value(const nlohmann::json& value) { out_->append(value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)); }
  void Numbers(const std::vector<size_t>& indexes) {  // fact indexes as fact ids, from 1
    Raw("[");
    for (size_t k = 0; k < indexes.size(); ++k) {
      if (k) Raw(",");
      Number(indexes[k] + 1);
    }
    Raw("]");
  }

 private:
  std::string* out_;
  nlohmann::json scratch_ = std::string();
};

// The record as one line of JSON, fields in the order DESIGN.md shows them.
std::string CompactLine(const Record& record) {
  std::string line;
  line.reserve(256 + 192 * record.facts.size());
  CompactJson json(&line);
  json.Raw("{\"id\":");
  json.String(record.id);
  json.Raw(",\"source\":");
  json.String(record.source);
  json.Raw(",\"published\":");
  json.OptionalString(record.published);
  json.Raw(",\"lang\":");
  json.OptionalString(record.lang);
  if (!record.title.empty()) {
    json.Raw(",\"title\":");
    json.String(record.title);
  }
  if (!record.url.empty()) {
    json.Raw(",\"url\":");
    json.String(record.url);
  }
  json.Raw(",\"facts\":[");
  for (size_t i = 0; i < record.facts.size(); ++i) {
    const Fact& fact = record.facts[i];
    json.Raw(i ? ",{\"id\":" : "{\"id\":");
    json.Number(i + 1);
    json.Raw(",\"type\":");
    json.String(fact.type);
    json.Raw(",\"start\":");
    json.Number(fact.start);
    json.Raw(",\"end\":");
    json.Number(fact.end);
    json.Raw(",\"text\":");
    json.String(fact.text);
    json.Raw(",\"value\":");
    json.Value(fact.value);
    json.Raw(",\"rule\":");
    json.String(fact.rule);
    json.Raw("}");
  }
  json.Raw("],\"relations\":[");
  for (size_t i = 0; i < record.relations.size(); ++i) {
    const Relation& relation = record.relations[i];
    json.Raw(i ? ",{\"type\":" : "{\"type\":");
    json.String(relation.type);
    if (relation.type == "investment") {
      json.Raw(",\"money\":");
      json.Number(relation.from + 1);
      json.Raw(",\"funders\":");
      json.Numbers(relation.funders);
      json.Raw(",\"beneficiaries\":");
      json.Numbers(relation.beneficiaries);
      if (!relation.purpose.empty()) {
        json.Raw(",\"purpose\":");
        json.String(relation.purpose);
      }
    } else {
      json.Raw(",\"from\":");
      json.Number(relation.from + 1);
      json.Raw(",\"to\":");
      json.Number(relation.to + 1);
    }
    json.Raw(",\"rule\":");
    json.String(relation.rule);
    json.Raw("}");
  }
  json.Raw("],\"warnings\":[");
  for (size_t i = 0; i < record.warnings.size(); ++i) {
    if (i) json.Raw(",");
    json.String(record.warnings[i]);
  }
  json.Raw("]}");
  return line;
}

}  // namespace

nlohmann::ordered_json ToJson(const Record& record) { return nlohmann::ordered_json::parse(CompactLine(record)); }

std::string RenderJsonl(const Record& record, const EmitterOptions& options) {
  if (options.pretty) return ToJson(record).dump(2) + '\n';
  return CompactLine(record) + '\n';
}

void JsonlWriter::Write(const Record& record) { WriteRendered(RenderJsonl(record, options_)); }

void RunSummary::Add(const Record& record) {
  ++articles_;
  for (const Fact& fact : record.facts) {
    ++per_type_[fact.type];
    if (fact.type == "country") ++per_country_[fact.value.value("name", "")];
    if (fact.type == "money" && fact.value.contains("amount") && fact.value["amount"].is_number()) {
      // Keep the few largest only: a run over an archive meets millions of amounts.
      std::pair<double, std::string> entry(fact.value["amount"].get<double>(), fact.text + "  (" + record.id + ")");
      if (largest_.size() == kLargestShown && !(entry > largest_.back())) continue;
      largest_.insert(std::upper_bound(largest_.begin(), largest_.end(), entry, std::greater<>()), std::move(entry));
      if (largest_.size() > kLargestShown) largest_.pop_back();
    }
  }
  for (const Relation& relation : record.relations) ++per_relation_[relation.type];
}

std::vector<std::string> RunSummary::Largest() const {
  std::vector<std::string> out;
  for (const auto& [amount, text] : largest_) out.push_back(text);
  return out;
}

void RunSummary::Print(std::ostream& out) const {
  out << "articles: " << articles_ << " extracted, " << failed_ << " failed\n";
  for (const auto& [type, count] : per_type_) out << "  " << type << ": " << count << " facts\n";
  for (const auto& [type, count] : per_relation_) out << "  " << type << ": " << count << " relations\n";
  std::vector<std::pair<int, std::string>> countries;
  for (const auto& [name, count] : per_country_) countries.push_back({count, name});
  std::sort(countries.rbegin(), countries.rend());
  out << "most mentioned countries:";
  for (size_t i = 0; i < std::min<size_t>(8, countries.size()); ++i)
    out << (i ? ", " : " ") << countries[i].second << " (" << countries[i].first << ")";
  out << "\nlargest amounts (in their own currency):\n";
  for (const std::string& text : Largest()) out << "  " << text << "\n";
}

}  // namespace factwire
