#include "emit/emitter.h"

#include "base/utf8.h"
#include "factwire/io.h"

#include <algorithm>

namespace factwire {

namespace {

// Appends JSON to one string as it goes: no tree of the record is built, which made
// rendering a sixth of an extraction run. Strings and values go through nlohmann's
// serializer, which escapes them and replaces text that is not UTF-8 (the record must
// still come out).
class CompactJson {
 public:
  // `inside_object`: appending to an object whose first field is already written.
  explicit CompactJson(std::string* out, bool inside_object = false) : out_(out), first_field_(!inside_object) {}
  // An object's fields: Begin, then Field/Key calls, then End. Keys are ASCII names.
  void Begin() {
    out_->push_back('{');
    first_field_ = true;
  }
  void End() { out_->push_back('}'); }
  void Key(std::string_view key) {
    out_->append(first_field_ ? "\"" : ",\"").append(key).append("\":");
    first_field_ = false;
  }
  void Field(std::string_view key, std::string_view s) {
    Key(key);
    String(s);
  }
  void Field(std::string_view key, size_t n) {
    Key(key);
    out_->append(std::to_string(n));
  }
  void ValueField(std::string_view key, const Value& value) {
    Key(key);
    AppendJson(value, out_);
  }
  void FieldOrNull(std::string_view key, std::string_view s) {
    Key(key);
    s.empty() ? void(out_->append("null")) : String(s);
  }
  // Fact indexes as fact ids, which count from 1.
  void FactIds(std::string_view key, const std::vector<size_t>& indexes) {
    Key(key);
    out_->push_back('[');
    for (size_t k = 0; k < indexes.size(); ++k) {
      if (k) out_->push_back(',');
      out_->append(std::to_string(indexes[k] + 1));
    }
    out_->push_back(']');
  }
  // An array: Open, then for each element Next and the element, then Close.
  void Open(std::string_view key) {
    Key(key);
    out_->push_back('[');
  }
  void Next(size_t index) {
    if (index) out_->push_back(',');
  }
  void Close() { out_->push_back(']'); }
  void String(std::string_view s) {
    AppendJsonString(s, out_);
  }

 private:
  std::string* out_;
  bool first_field_;
};

// A record's line of JSON, fields in the order DESIGN.md shows them, in pieces so that
// a long article's record can go out part by part: the head (up to the facts), facts
// and relations (`first_index` the index of the first among the record's), and the
// warnings at the tail.
void AppendHead(const Record& record, std::string* line) {
  CompactJson json(line);
  json.Begin();
  json.Field("id", record.id);
  json.Field("source", record.source);
  json.FieldOrNull("published", record.published);
  json.FieldOrNull("lang", record.lang);
  if (!record.title.empty()) json.Field("title", record.title);
  if (!record.url.empty()) json.Field("url", record.url);
  json.Open("facts");
}

void AppendFacts(const std::vector<Fact>& facts, size_t first_index, std::string* line) {
  CompactJson json(line);
  for (size_t i = 0; i < facts.size(); ++i) {
    const Fact& fact = facts[i];
    json.Next(first_index + i);
    json.Begin();
    json.Field("id", first_index + i + 1);
    json.Field("type", fact.type);
    json.Field("start", fact.start);
    json.Field("end", fact.end);
    json.Field("text", fact.text);
    json.ValueField("value", fact.value);
    json.Field("rule", fact.rule);
    json.End();
  }
}

// Between the facts and the relations.
void AppendFactsEnd(std::string* line) {
  CompactJson json(line, /*inside_object=*/true);
  json.Close();
  json.Open("relations");
}

void AppendRelations(const std::vector<Relation>& relations, size_t first_index, std::string* line) {
  CompactJson json(line);
  for (size_t i = 0; i < relations.size(); ++i) {
    const Relation& relation = relations[i];
    json.Next(first_index + i);
    json.Begin();
    json.Field("type", relation.type);
    if (relation.type == "investment") {
      json.Field("money", relation.from + 1);
      json.FactIds("funders", relation.funders);
      json.FactIds("beneficiaries", relation.beneficiaries);
      if (!relation.purpose.empty()) json.Field("purpose", relation.purpose);
    } else {
      json.Field("from", relation.from + 1);
      json.Field("to", relation.to + 1);
    }
    json.Field("rule", relation.rule);
    json.End();
  }
}

void AppendTail(const std::vector<std::string>& warnings, std::string* line) {
  CompactJson json(line, /*inside_object=*/true);
  json.Close();
  json.Open("warnings");
  for (size_t i = 0; i < warnings.size(); ++i) {
    json.Next(i);
    json.String(warnings[i]);
  }
  json.Close();
  json.End();
}

std::string CompactLine(const Record& record) {
  std::string line;
  line.reserve(256 + 192 * record.facts.size());
  AppendHead(record, &line);
  AppendFacts(record.facts, 0, &line);
  AppendFactsEnd(&line);
  AppendRelations(record.relations, 0, &line);
  AppendTail(record.warnings, &line);
  return line;
}

}  // namespace

nlohmann::ordered_json ToJson(const Record& record) { return nlohmann::ordered_json::parse(CompactLine(record)); }

std::string RenderJsonl(const Record& record, const EmitterOptions& options) {
  if (options.pretty) return ToJson(record).dump(2) + '\n';
  return CompactLine(record) + '\n';
}

void RunSummary::Add(const Record& record, const std::string& article_id, bool article_ends) {
  articles_ += article_ends;
  for (const Fact& fact : record.facts) {
    ++per_type_[fact.type];
    if (const auto* country = std::get_if<CountryValue>(&fact.value)) ++per_country_[country->name];
    if (const auto* money = std::get_if<MoneyValue>(&fact.value)) {
      // Keep the few largest only: a run over an archive meets millions of amounts.
      std::pair<Decimal, std::string> entry(money->amount, fact.text + "  (" + article_id + ")");
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

void RunSummary::Print(size_t extracted, size_t failed, std::ostream& out) const {
  out << "articles: " << extracted << " extracted, " << failed << " failed\n";
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

std::string RenderArticleJsonl(const Article& article) {
  std::string line;
  line.reserve(article.text.size() + 256);
  CompactJson json(&line);
  json.Begin();
  json.Field("id", article.id);
  json.Field("source", article.source);
  json.FieldOrNull("url", article.url);
  json.FieldOrNull("title", article.title);
  json.FieldOrNull("published", article.published);
  json.FieldOrNull("lang", article.lang);
  json.Field("text", IsValidUtf8(article.text) ? article.text : RepairUtf8(article.text).text);
  json.End();
  line += '\n';
  return line;
}

namespace {

class JsonlSink : public Sink {
 public:
  JsonlSink(std::ostream* out, bool pretty) : out_(out), options_{pretty} {}
  bool renders() const override { return true; }
  std::string Render(const Record& record) const override { return RenderJsonl(record, options_); }
  Status Put(const Record& /*record*/, std::string_view rendered, const std::string& /*text_sha256*/) override {
    out_->write(rendered.data(), static_cast<std::streamsize>(rendered.size()));
    return *out_ ? Status() : Status::IoError("writing the output failed");
  }
  Status PutError(const Problem& problem) override {
    std::string line;
    CompactJson json(&line);
    json.Begin();
    json.FieldOrNull("id", problem.article_id);
    json.Field("error", IsValidUtf8(problem.message) ? problem.message : RepairUtf8(problem.message).text);
    json.End();
    line += '\n';
    out_->write(line.data(), static_cast<std::streamsize>(line.size()));
    return *out_ ? Status() : Status::IoError("writing the output failed");
  }
  // A pretty record is one JSON tree: it comes whole.
  bool takes_parts() const override { return !options_.pretty; }
  // Writes each part's facts as it comes; keeps the relations (as JSON, a third of
  // their size as objects) and warnings, which follow the facts in the line, until the
  // last.
  Status PutPart(const Record& part, RecordPart place, const std::string& /*text_sha256*/) override {
    std::string bytes;
    if (place == RecordPart::kFirst) {
      AppendHead(part, &bytes);
      facts_given_ = 0;
      relations_given_ = 0;
      relations_.clear();
      warnings_.clear();
    }
    AppendFacts(part.facts, facts_given_, &bytes);
    facts_given_ += part.facts.size();
    AppendRelations(part.relations, relations_given_, &relations_);
    relations_given_ += part.relations.size();
    warnings_.insert(warnings_.end(), part.warnings.begin(), part.warnings.end());
    if (place == RecordPart::kLast) {
      AppendFactsEnd(&bytes);
      bytes += relations_;
      AppendTail(warnings_, &bytes);
      bytes += '\n';
      std::string().swap(relations_);
    }
    out_->write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    return *out_ ? Status() : Status::IoError("writing the output failed");
  }
  Status Flush() override {
    out_->flush();
    return *out_ ? Status() : Status::IoError("writing the output failed");
  }
  Status Finish() override { return Flush(); }

 private:
  std::ostream* out_;
  EmitterOptions options_;
  // Of the long article being written (PutPart).
  size_t facts_given_ = 0;
  size_t relations_given_ = 0;
  std::string relations_;  // rendered
  std::vector<std::string> warnings_;
};

}  // namespace

std::unique_ptr<Sink> NewJsonlSink(std::ostream* out, bool pretty) { return std::make_unique<JsonlSink>(out, pretty); }

std::string RecordJsonLine(const Record& record) { return RenderJsonl(record, EmitterOptions{}); }

SummarySink::SummarySink() : counts_(std::make_unique<RunSummary>()) {}
SummarySink::~SummarySink() = default;

Status SummarySink::Put(const Record& record, std::string_view /*rendered*/, const std::string& /*text_sha256*/) {
  counts_->Add(record);
  return {};
}

Status SummarySink::PutPart(const Record& part, RecordPart place, const std::string& /*text_sha256*/) {
  if (place == RecordPart::kFirst) part_article_id_ = part.id;
  counts_->Add(part, part_article_id_, place == RecordPart::kLast);
  return {};
}

void SummarySink::Print(const RunStats& stats, std::ostream& out) const {
  // The run's count of articles, not the parts': a long article that failed midway
  // gave a last part, but is not extracted.
  counts_->Print(stats.extracted, stats.unreadable + stats.duplicates + stats.failed_articles, out);
}

}  // namespace factwire
