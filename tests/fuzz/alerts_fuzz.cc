// libFuzzer harness: alert rules (include/factwire/alerts.h) from mutated YAML, with the
// project's country sets and rates. Loading gives rules or a file:line error, never a
// crash; loaded rules evaluate a record of every fact type and render their alerts.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

#include "factwire/alerts.h"

namespace fs = std::filesystem;

namespace {

factwire::Fact FactOf(const char* type, size_t start, factwire::Value value) {
  return {type, start, start + 4, "text", std::move(value), std::string(type) + "/en/fuzz"};
}

const factwire::Record& SampleRecord() {
  static const factwire::Record record = [] {
    factwire::Record r;
    r.id = "fuzz";
    r.published = "2024-05-01";
    r.text = "Spain gets €500 million from Horizon Europe for the site in Lyon, says Jane Doe of Acme.";
    factwire::MoneyValue money;
    money.amount = factwire::Decimal::FromUnits(500000000, 0).value();
    money.currency = "EUR";
    r.facts = {FactOf("country", 0, factwire::CountryValue{"ES", "Spain"}), FactOf("money", 11, money),
               FactOf("programme", 30, factwire::ProgrammeValue{"Horizon Europe", std::nullopt}),
               FactOf("site", 60, factwire::SiteValue{"Lyon", std::nullopt, std::string("FR")}),
               FactOf("person", 71, factwire::PersonValue{"Jane Doe", std::string("chief")}),
               FactOf("org", 83, factwire::OrgValue{"Acme"})};
    r.relations = {{"investment", 1, 1, "relation/en/fuzz", {2}, {0}, "for the site"}};
    r.sentences = {{0, 40}, {40, 88}};
    return r;
  }();
  return record;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const fs::path file = fs::temp_directory_path() / ("factwire-alerts-fuzz-" + std::to_string(::getpid()) + ".yaml");
  std::ofstream(file, std::ios::binary).write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  factwire::Result<std::unique_ptr<factwire::AlertRules>> rules =
      factwire::AlertRules::Load(file.string(), FACTWIRE_SOURCE_DIR "/rules");
  if (!rules.ok()) return 0;
  for (const factwire::Alert& alert : rules.value()->Evaluate(SampleRecord()))
    (void)factwire::AlertJsonLine(alert, SampleRecord());
  return 0;
}
