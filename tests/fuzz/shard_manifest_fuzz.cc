// libFuzzer harness: a shard manifest (factwire/io.h) from mutated JSON. Parsing gives a
// plan or an error naming the manifest, never a crash; a plan it accepts has every piece
// inside its file and writes back to a manifest that parses to the same plan.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "factwire/io.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  factwire::Result<factwire::ShardPlan> plan = factwire::ParseShardPlan(bytes, "fuzz.json");
  if (!plan.ok()) {
    if (plan.status().message().rfind("fuzz.json: ", 0) != 0) std::abort();
    return 0;
  }
  for (const auto& shard : plan->shards)
    for (const factwire::InputPiece& piece : shard)
      if (piece.file >= plan->files.size() || piece.begin > piece.end || piece.end > plan->files[piece.file].size)
        std::abort();
  const std::string json = factwire::ShardPlanJson(plan.value());
  factwire::Result<factwire::ShardPlan> again = factwire::ParseShardPlan(json, "again.json");
  if (!again.ok() || factwire::ShardPlanJson(again.value()) != json) std::abort();
  return 0;
}
