// Shard plans (factwire/io.h): inputs cut into shards of roughly equal bytes, at item
// starts, so that each shard reads as its part of the whole run.
//
// Every byte of the inputs is in exactly one piece. Cuts aim at k * total / shards (in
// the inputs laid end to end) and move forward to the next item start: a line start in
// JSONL, a record start in a plain WARC, a validated gzip member start in a .warc.gz. A
// piece goes to the shard its first byte falls in; a file that cannot be cut goes to the
// shard its middle falls in, so shard numbers never decrease along the inputs.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <type_traits>
#include <nlohmann/json.hpp>

#include "base/utf8.h"
#include "factwire/io.h"
#include "read/byte_stream.h"
#include "read/gzip.h"
#include "read/reader.h"
#include "read/warc.h"

namespace factwire {
namespace {

constexpr int kManifestVersion = 1;
constexpr size_t kMaxShards = 1000000;  // a Slurm array is far smaller; more is a typo
constexpr size_t kScanChunk = size_t{1} << 20;
// Byte positions times shard counts overflow 64 bits on inputs of a few petabytes.
__extension__ typedef unsigned __int128 Wide;

struct Cut {
  uint64_t offset = 0;
  uint64_t first_line = 1;
};

// The first line start at or after each target (ascending, all > 0), with its line number.
Result<std::vector<Cut>> JsonLinesCuts(int fd, uint64_t size, const std::vector<uint64_t>& targets) {
  std::vector<Cut> cuts;
  std::string buffer(kScanChunk, '\0');
  uint64_t newlines = 0;
  size_t next = 0;
  for (uint64_t at = 0; at < size && next < targets.size();) {
    const ssize_t got = ::pread(fd, buffer.data(), buffer.size(), static_cast<off_t>(at));
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) return Status::IoError(std::string("read failed: ") + std::strerror(errno));
    if (got == 0) break;
    for (const char* p = buffer.data(); next < targets.size();) {
      const char* end = buffer.data() + got;
      const char* newline = static_cast<const char*>(std::memchr(p, '\n', static_cast<size_t>(end - p)));
      if (!newline) break;
      ++newlines;
      const uint64_t line_start = at + static_cast<uint64_t>(newline - buffer.data()) + 1;
      if (line_start >= targets[next] && line_start < size) {
        cuts.push_back({line_start, newlines + 1});
        while (next < targets.size() && targets[next] <= line_start) ++next;
      }
      p = newline + 1;
    }
    at += static_cast<uint64_t>(got);
  }
  return cuts;
}

// The first record start at or after each target, walking the record headers. A record
// the walk cannot step over ends it: the rest of the file stays one piece, read there as
// a whole run reads it.
Result<std::vector<Cut>> WarcCuts(int fd, uint64_t size, const std::vector<uint64_t>& targets) {
  std::vector<Cut> cuts;
  size_t next = 0;
  ByteStream in(FileRangeProducer(fd, 0, size));
  // A damaged record ends the walk with an error: the cuts before it stand.
  (void)ForEachWarcRecordStart(in, [&](uint64_t start) {
    if (start >= targets[next]) {
      cuts.push_back({start, 1});
      while (next < targets.size() && targets[next] <= start) ++next;
    }
    return next < targets.size();
  });
  return cuts;
}

// The first gzip member start at or after each target, found by walking the members
// from the file's start as the reader does (decompressing them: a member start cannot
// be told from gzip bytes stored inside a record). The walk stops at a damaged member,
// and the rest of the file stays one piece.
Result<std::vector<Cut>> WarcGzipCuts(int fd, uint64_t size, const std::vector<uint64_t>& targets) {
  std::vector<Cut> cuts;
  size_t next = 0;
  ByteStream in(FileRangeProducer(fd, 0, size));
  GzipReader gzip(&in, /*stop_at_member_end=*/true);
  ByteStream inner(gzip.producer());
  if (!inner.Skip(UINT64_MAX).ok()) return cuts;
  while (next < targets.size()) {
    Result<bool> more = gzip.NextMember();
    if (!more.ok() || !more.value()) break;
    inner.Resume();
    const uint64_t start = gzip.member_offset();
    // Only a member that decompresses whole is a place to cut: trailing junk is not.
    if (!inner.Skip(UINT64_MAX).ok()) break;
    if (start < targets[next]) continue;
    cuts.push_back({start, 1});
    while (next < targets.size() && targets[next] <= start) ++next;
  }
  return cuts;
}

Result<std::vector<Cut>> CutsOf(const PlannedFile& file, int fd, const std::vector<uint64_t>& targets) {
  if (targets.empty()) return std::vector<Cut>{};
  switch (file.layout) {
    case FileLayout::kJsonLines: return JsonLinesCuts(fd, file.size, targets);
    case FileLayout::kWarc: return WarcCuts(fd, file.size, targets);
    case FileLayout::kWarcGzip: return WarcGzipCuts(fd, file.size, targets);
    case FileLayout::kWhole: break;
  }
  return std::vector<Cut>{};
}

Result<PlannedFile> Inspect(const InputFile& input) {
  PlannedFile file;
  std::error_code error;
  file.path = input.path;
  // Not normalised: "link/../x" is the x beside the link's target, as open() sees it.
  file.absolute_path = std::filesystem::absolute(input.path, error).string();
  if (error) return Status::IoError(input.path + ": " + error.message());
  if (!IsValidUtf8(file.absolute_path))
    return Status::InvalidInput(RepairUtf8(input.path).text + ": a path that is not UTF-8 cannot go in a manifest");
  file.id_name = input.id_name;
  file.named = input.named;
  const ScopedFd fd(::open(input.path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) return Status::IoError(input.path + ": cannot open: " + std::strerror(errno));
  struct stat status {};
  if (::fstat(fd.get(), &status) != 0) return Status::IoError(input.path + ": cannot stat: " + std::strerror(errno));
  if (!S_ISREG(status.st_mode))
    return Status::Usage(input.path + ": not a regular file (a pipe?); shards are planned over files and folders");
  file.size = static_cast<uint64_t>(status.st_size);
  file.mtime_ns = ModifiedNanoseconds(status);
  Result<FileLayout> layout = SniffFileLayout(fd.get(), input.id_name);
  if (!layout.ok()) return layout.status().At(input.path);
  file.layout = layout.value();
  return file;
}

// Which shard the byte at `position` of the inputs laid end to end falls in.
size_t ShardAt(uint64_t position, uint64_t total, size_t shards) {
  if (total == 0) return 0;
  const auto shard = static_cast<size_t>(static_cast<Wide>(position) * shards / total);
  return std::min(shard, shards - 1);
}

// Cuts file `index`, which starts at `start` of the inputs laid end to end.
Status CutFile(size_t index, uint64_t start, ShardPlan* plan) {
  const PlannedFile& file = plan->files[index];
  const size_t shards = plan->shards.size();
  if (file.layout == FileLayout::kWhole) {
    plan->shards[ShardAt(start + file.size / 2, plan->total_bytes, shards)].push_back({index, 0, file.size, 1});
    return {};
  }
  std::vector<uint64_t> targets;  // in the file's own offsets
  for (size_t k = 1; k < shards; ++k) {
    const auto target = static_cast<uint64_t>(
        (static_cast<Wide>(plan->total_bytes) * k + shards - 1) / shards);
    if (target > start && target < start + file.size) targets.push_back(target - start);
  }
  std::vector<Cut> cuts;
  if (!targets.empty()) {
    const ScopedFd fd(::open(file.absolute_path.c_str(), O_RDONLY | O_CLOEXEC));
    if (fd.get() < 0) return Status::IoError(file.path + ": cannot open: " + std::strerror(errno));
    Result<std::vector<Cut>> found = CutsOf(file, fd.get(), targets);
    if (!found.ok()) return found.status().At(file.path);
    cuts = std::move(found.value());
  }
  Cut from;
  for (size_t k = 0; k <= cuts.size(); ++k) {
    const uint64_t end = k < cuts.size() ? cuts[k].offset : file.size;
    // Each cut is the first item start after a target, so each piece opens a later shard.
    plan->shards[ShardAt(start + from.offset, plan->total_bytes, shards)].push_back(
        {index, from.offset, end, from.first_line});
    if (k < cuts.size()) from = cuts[k];
  }
  return {};
}

const char* LayoutName(FileLayout layout) {
  switch (layout) {
    case FileLayout::kJsonLines: return "jsonl";
    case FileLayout::kWarc: return "warc";
    case FileLayout::kWarcGzip: return "warc.gz";
    case FileLayout::kWhole: break;
  }
  return "whole";
}

Result<FileLayout> LayoutNamed(const std::string& name) {
  for (FileLayout layout : {FileLayout::kWhole, FileLayout::kJsonLines, FileLayout::kWarc, FileLayout::kWarcGzip})
    if (name == LayoutName(layout)) return layout;
  return Status::InvalidInput("unknown layout '" + name + "'");
}

// A manifest field that must be a whole number of its type: nlohmann would convert a
// float or a negative number, silently or out of range.
struct BadField : std::runtime_error {
  using std::runtime_error::runtime_error;
};

template <typename Number>
Number Whole(const nlohmann::json& object, const char* key) {
  const nlohmann::json& field = object.at(key);
  const bool whole = std::is_signed_v<Number> ? field.is_number_integer() : field.is_number_unsigned();
  if (!whole) throw BadField(std::string("'") + key + "' must be a whole number");
  return field.get<Number>();
}

}  // namespace

uint64_t ShardPlan::ShardBytes(size_t shard) const {
  if (shard == PathSource::kAllShards) return total_bytes;
  uint64_t bytes = 0;
  for (const InputPiece& piece : shards.at(shard)) bytes += piece.end - piece.begin;
  return bytes;
}

Status CheckPlannedFile(const PlannedFile& file, int fd) {
  struct stat now {};
  if (::fstat(fd, &now) != 0) return Status::IoError(file.path + ": cannot stat: " + std::strerror(errno));
  const auto size_now = static_cast<uint64_t>(now.st_size);
  if (size_now == file.size && ModifiedNanoseconds(now) == file.mtime_ns) return {};
  const std::string how = size_now == file.size
                              ? "its modification time differs"
                              : "size " + std::to_string(file.size) + " then, " + std::to_string(size_now) + " now";
  return Status::InvalidInput(file.path + ": changed since the shard plan was made (" + how +
                              "); plan the shards again");
}

Status ShardPlan::CheckFiles() const {
  for (const PlannedFile& file : files) {
    const ScopedFd fd(::open(file.absolute_path.c_str(), O_RDONLY | O_CLOEXEC));
    if (fd.get() < 0) return Status::IoError(file.path + ": cannot open: " + std::strerror(errno));
    if (Status status = CheckPlannedFile(file, fd.get()); !status.ok()) return status;
  }
  return {};
}

Result<ShardPlan> PlanShards(const std::vector<std::string>& inputs, size_t shards) {
  if (shards == 0 || shards > kMaxShards)
    return Status::Usage("the number of shards must be from 1 to " + std::to_string(kMaxShards));
  if (inputs.empty()) return Status::Usage("no inputs to plan shards over");
  ShardPlan plan;
  plan.inputs = inputs;
  std::vector<InputFile> listed;
  for (const std::string& input : inputs) {
    if (input == "-") return Status::Usage("stdin cannot be cut into shards: name files or folders");
    if (!IsValidUtf8(input))
      return Status::InvalidInput(RepairUtf8(input).text + ": a path that is not UTF-8 cannot go in a manifest");
    if (Status status = ListInput(input, &listed, &plan.unsupported_files); !status.ok()) return status;
  }
  for (std::string& name : plan.unsupported_files) name = RepairUtf8(name).text;  // named, never opened
  for (const InputFile& input : listed) {
    Result<PlannedFile> file = Inspect(input);
    if (!file.ok()) return file.status();
    plan.total_bytes += file->size;
    plan.files.push_back(std::move(file.value()));
  }
  plan.shards.resize(shards);
  uint64_t start = 0;
  for (size_t index = 0; index < plan.files.size(); ++index) {
    if (Status status = CutFile(index, start, &plan); !status.ok()) return status;
    start += plan.files[index].size;
  }
  return plan;
}

std::string ShardPlanJson(const ShardPlan& plan) {
  nlohmann::ordered_json files = nlohmann::ordered_json::array();
  for (const PlannedFile& file : plan.files)
    files.push_back({{"path", file.path}, {"absolute_path", file.absolute_path}, {"id_name", file.id_name}, {"named", file.named},
                     {"layout", LayoutName(file.layout)}, {"size", file.size}, {"mtime_ns", file.mtime_ns}});
  nlohmann::ordered_json shards = nlohmann::ordered_json::array();
  for (size_t shard = 0; shard < plan.shards.size(); ++shard) {
    nlohmann::ordered_json pieces = nlohmann::ordered_json::array();
    for (const InputPiece& piece : plan.shards[shard])
      pieces.push_back({{"file", piece.file}, {"begin", piece.begin}, {"end", piece.end}, {"first_line", piece.first_line}});
    shards.push_back({{"shard", shard}, {"bytes", plan.ShardBytes(shard)}, {"pieces", std::move(pieces)}});
  }
  const nlohmann::ordered_json manifest = {{"factwire_shard_manifest", kManifestVersion},
                                           {"inputs", plan.inputs},
                                           {"total_bytes", plan.total_bytes},
                                           {"unsupported_files", plan.unsupported_files},
                                           {"files", std::move(files)},
                                           {"shards", std::move(shards)}};
  return manifest.dump(1) + "\n";
}

Result<ShardPlan> ParseShardPlan(std::string_view json, const std::string& name) {
  const nlohmann::json manifest = nlohmann::json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (manifest.is_discarded()) return Status::InvalidInput(name + ": not JSON");
  const auto version = manifest.is_object() ? manifest.find("factwire_shard_manifest") : manifest.end();
  if (version == manifest.end() || !version->is_number_integer() || version->get<int64_t>() != kManifestVersion)
    return Status::InvalidInput(name + ": not a factwire shard manifest of version " + std::to_string(kManifestVersion));
  ShardPlan plan;
  try {
    plan.inputs = manifest.at("inputs").get<std::vector<std::string>>();
    plan.total_bytes = Whole<uint64_t>(manifest, "total_bytes");
    plan.unsupported_files = manifest.at("unsupported_files").get<std::vector<std::string>>();
    for (const nlohmann::json& entry : manifest.at("files")) {
      PlannedFile file;
      file.path = entry.at("path").get<std::string>();
      file.absolute_path = entry.at("absolute_path").get<std::string>();
      file.id_name = entry.at("id_name").get<std::string>();
      file.named = entry.at("named").get<bool>();
      Result<FileLayout> layout = LayoutNamed(entry.at("layout").get<std::string>());
      if (!layout.ok()) return layout.status().At(name + ": file " + file.path);
      file.layout = layout.value();
      file.size = Whole<uint64_t>(entry, "size");
      file.mtime_ns = Whole<int64_t>(entry, "mtime_ns");
      plan.files.push_back(std::move(file));
    }
    for (const nlohmann::json& entry : manifest.at("shards")) {
      std::vector<InputPiece> pieces;
      for (const nlohmann::json& item : entry.at("pieces")) {
        InputPiece piece{Whole<size_t>(item, "file"), Whole<uint64_t>(item, "begin"), Whole<uint64_t>(item, "end"),
                         Whole<uint64_t>(item, "first_line")};
        if (piece.file >= plan.files.size() || piece.begin > piece.end || piece.end > plan.files[piece.file].size)
          return Status::InvalidInput(name + ": shard " + std::to_string(plan.shards.size()) +
                                      " has a piece outside its file");
        pieces.push_back(piece);
      }
      plan.shards.push_back(std::move(pieces));
    }
  } catch (const std::exception& error) {  // nlohmann's, and BadField
    return Status::InvalidInput(name + ": malformed manifest: " + error.what());
  }
  if (plan.shards.empty()) return Status::InvalidInput(name + ": a manifest without shards");
  return plan;
}

Result<ShardPlan> LoadShardPlan(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::IoError(path + ": cannot read the manifest");
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return ParseShardPlan(bytes.str(), path);
}

}  // namespace factwire
