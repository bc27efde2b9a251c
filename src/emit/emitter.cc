#include "emit/emitter.h"

namespace factwire {

nlohmann::ordered_json ToJson(const Record& record) {
  using Json = nlohmann::ordered_json;  // fields in the order DESIGN.md shows them
  Json out = Json::object();
  out["id"] = record.id;
  out["source"] = record.source;
  out["published"] = record.published.empty() ? Json(nullptr) : Json(record.published);
  out["lang"] = record.lang.empty() ? Json(nullptr) : Json(record.lang);
  if (!record.title.empty()) out["title"] = record.title;
  if (!record.url.empty()) out["url"] = record.url;
  Json facts = Json::array();
  int id = 0;
  for (const Fact& fact : record.facts)
    facts.push_back({{"id", ++id}, {"type", fact.type}, {"start", fact.start}, {"end", fact.end},
                     {"text", fact.text}, {"value", Json(fact.value)}, {"rule", fact.rule}});
  out["facts"] = std::move(facts);
  Json relations = Json::array();
  auto ids = [](const std::vector<size_t>& indexes) {  // fact ids count from 1
    Json list = Json::array();
    for (size_t i : indexes) list.push_back(i + 1);
    return list;
  };
  for (const Relation& relation : record.relations) {
    if (relation.type == "investment") {
      Json investment = {{"type", relation.type}, {"money", relation.from + 1}, {"funders", ids(relation.funders)},
                         {"beneficiaries", ids(relation.beneficiaries)}};
      if (!relation.purpose.empty()) investment["purpose"] = relation.purpose;
      investment["rule"] = relation.rule;
      relations.push_back(std::move(investment));
    } else {
      relations.push_back({{"type", relation.type}, {"from", relation.from + 1}, {"to", relation.to + 1}, {"rule", relation.rule}});
    }
  }
  out["relations"] = std::move(relations);
  out["warnings"] = record.warnings;
  return out;
}

std::string RenderJsonl(const Record& record, const EmitterOptions& options) {
  // Replace, never throw, on text that is not UTF-8: the record must still come out.
  const auto handler = nlohmann::json::error_handler_t::replace;
  return ToJson(record).dump(options.pretty ? 2 : -1, ' ', false, handler) + '\n';
}

void JsonlWriter::Write(const Record& record) { WriteRendered(RenderJsonl(record, options_)); }

}  // namespace factwire
