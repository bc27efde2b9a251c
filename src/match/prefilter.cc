#include "match/prefilter.h"

#include <hs/hs.h>
#include <sys/mman.h>

#include <charconv>
#include <limits>
#include <sstream>

#include "base/cache_file.h"
#include "base/digest.h"

namespace factwire {
namespace {

// UTF-8 as RE2 reads it; '^' after every line break, a superset of RE2's '^' on the
// lines RuleSet::Match scans; no HS_FLAG_UCP, so \b, \w and \d stay ASCII as in RE2.
constexpr unsigned kFlags = HS_FLAG_UTF8 | HS_FLAG_MULTILINE | HS_FLAG_PREFILTER;
constexpr std::string_view kCacheMagic = "factwire prefilter 3";

// A database is built for one Vectorscan version and the CPU features of the machine
// (another machine sharing the cache, or valgrind, sees others), so both name it.
std::string CacheKey(const std::vector<std::string>& patterns) {
  hs_platform_info_t platform{};
  hs_populate_platform(&platform);
  std::string all = std::string(kCacheMagic) + "\n" + hs_version() + "\n" + std::to_string(kFlags) + "\n" + std::to_string(platform.tune) +
                    " " + std::to_string(platform.cpu_features) + "\n";
  for (const std::string& pattern : patterns) all += pattern + '\0';
  return Sha256Hex(all);
}

// Compiles every pattern Vectorscan takes: on an error naming one pattern, that pattern
// is rejected and the rest compiled again.
Result<hs_database_t*> Compile(const std::vector<std::string>& patterns, std::vector<Prefilter::Rejected>* rejected) {
  std::vector<unsigned> ids;
  for (size_t i = 0; i < patterns.size(); ++i) ids.push_back(static_cast<unsigned>(i));
  while (!ids.empty()) {
    std::vector<const char*> expressions;
    for (unsigned id : ids) expressions.push_back(patterns[id].c_str());
    const std::vector<unsigned> flags(ids.size(), kFlags);
    hs_database_t* database = nullptr;
    hs_compile_error_t* error = nullptr;
    if (hs_compile_multi(expressions.data(), flags.data(), ids.data(), static_cast<unsigned>(ids.size()), HS_MODE_BLOCK,
                         nullptr, &database, &error) == HS_SUCCESS)
      return database;
    const std::string message = error->message;
    const int expression = error->expression;
    hs_free_compile_error(error);
    if (expression < 0) return Status::RuleError("Vectorscan cannot compile the prefilter: " + message);
    rejected->push_back({ids[static_cast<size_t>(expression)], message});
    ids.erase(ids.begin() + expression);
  }
  return Status::RuleError("Vectorscan takes none of the patterns");
}

// The longest match of each pattern in bytes, as Vectorscan compiles it (widened, so no
// shorter than RE2's); kUnbounded for a repeat without a bound or a pattern it cannot read.
std::vector<size_t> MaxWidths(const std::vector<std::string>& patterns) {
  std::vector<size_t> widths;
  widths.reserve(patterns.size());
  for (const std::string& pattern : patterns) {
    hs_expr_info_t* info = nullptr;
    hs_compile_error_t* error = nullptr;
    size_t width = Prefilter::kUnbounded;
    if (hs_expression_info(pattern.c_str(), kFlags, &info, &error) == HS_SUCCESS) {
      if (info->max_width != std::numeric_limits<unsigned>::max()) width = info->max_width;
      free(info);
    } else {
      hs_free_compile_error(error);
    }
    widths.push_back(width);
  }
  return widths;
}

// The database in memory whose pages are mapped at once, as CachedBody's are: copying
// megabytes into fresh pages one fault at a time cost more than the copy. Null if the
// blob is no database for this Vectorscan.
hs_database_t* DeserializeInPlace(std::string_view blob, size_t* mapped_bytes) {
  size_t size = 0;
  if (hs_serialized_database_size(blob.data(), blob.size(), &size) != HS_SUCCESS) return nullptr;
  void* memory = mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
  if (memory == MAP_FAILED) return nullptr;
  auto* database = static_cast<hs_database_t*>(memory);
  if (hs_deserialize_database_at(blob.data(), blob.size(), database) != HS_SUCCESS) {
    munmap(memory, size);
    return nullptr;
  }
  *mapped_bytes = size;
  return database;
}

// A "widths" line's values, one per pattern; false if they are not that.
bool ReadWidths(std::istream& fields, size_t patterns, std::vector<size_t>* widths) {
  for (std::string value; fields >> value;) {
    size_t width = Prefilter::kUnbounded;
    if (value != "-") {
      const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), width);
      if (error != std::errc() || end != value.data() + value.size()) return false;
    }
    widths->push_back(width);
  }
  return widths->size() == patterns;
}

// The cache file's body (base/cache_file.h): a "widths" line with each pattern's
// MaxWidth ("-" unbounded; computing them took 0.06 s of a 0.2 s start), one "rejected"
// line per pattern left out, an empty line, then hs_serialize_database's bytes.
// ReadCache gives them back, or false with `note` saying why not.
bool ReadCache(const std::string& path, size_t patterns, hs_database_t** database, size_t* mapped_bytes,
               std::vector<size_t>* widths, std::vector<Prefilter::Rejected>* rejected, std::string* note) {
  const CachedBody cached = ReadCacheFile(path, kCacheMagic);
  *note = cached.note();
  if (!cached.found()) return false;
  auto corrupt = [&] {
    *note = "corrupt or truncated, made again: " + path;
    return false;
  };
  std::string_view rest = cached.body();  // not copied: a database is megabytes
  std::vector<size_t> read_widths;
  std::vector<Prefilter::Rejected> listed;
  for (size_t newline; (newline = rest.find('\n')) != 0;) {
    if (newline == std::string_view::npos) return corrupt();
    std::istringstream fields(std::string(rest.substr(0, newline)));
    rest.remove_prefix(newline + 1);
    std::string word;
    fields >> word;
    if (word == "widths" && read_widths.empty()) {
      if (!ReadWidths(fields, patterns, &read_widths)) return corrupt();
      continue;
    }
    Prefilter::Rejected entry;
    if (word != "rejected" || !(fields >> entry.pattern) || entry.pattern >= patterns) return corrupt();
    std::getline(fields >> std::ws, entry.reason);
    listed.push_back(std::move(entry));
  }
  if (read_widths.size() != patterns) return corrupt();
  const std::string_view blob = rest.substr(1);
  *database = DeserializeInPlace(blob, mapped_bytes);
  if (!*database) {
    *note = "not readable by this Vectorscan, made again: " + path;
    return false;
  }
  *widths = std::move(read_widths);
  *rejected = std::move(listed);
  return true;
}

void WriteCache(const std::string& path, const hs_database_t* database, const std::vector<size_t>& widths,
                const std::vector<Prefilter::Rejected>& rejected) {
  char* bytes = nullptr;
  size_t size = 0;
  if (hs_serialize_database(database, &bytes, &size) != HS_SUCCESS) return;
  std::string body = "widths";
  for (size_t width : widths) body += width == Prefilter::kUnbounded ? " -" : " " + std::to_string(width);
  body += '\n';
  for (const auto& entry : rejected) body += "rejected " + std::to_string(entry.pattern) + ' ' + entry.reason + '\n';
  body += '\n';
  body.append(bytes, size);
  free(bytes);
  WriteCacheFile(path, kCacheMagic, body);
}

}  // namespace

std::string PrefilterPattern(std::string_view pattern) {
  if (pattern.find("\\Q") != std::string_view::npos) return std::string(pattern);
  std::string out;
  bool in_class = false;
  for (size_t i = 0; i < pattern.size(); ++i) {
    const char c = pattern[i];
    if (c == '\\' && i + 1 < pattern.size()) {
      // "\b{2}": the quantifier would move onto what precedes it, so that one stays
      const bool quantified = i + 2 < pattern.size() && std::string_view("*+?{").find(pattern[i + 2]) != std::string_view::npos;
      if (!in_class && pattern[i + 1] == 'b' && !quantified) {
        ++i;
        continue;
      }
      out += pattern.substr(i, 2);
      ++i;
    } else if (!in_class && c == '[') {
      in_class = true;
      out += c;
      if (i + 1 < pattern.size() && pattern[i + 1] == '^') out += pattern[++i];
      if (i + 1 < pattern.size() && pattern[i + 1] == ']') out += pattern[++i];  // "[]a]": a literal ']'
    } else if (in_class && c == '[' && i + 1 < pattern.size() && pattern[i + 1] == ':') {
      const size_t close = pattern.find(":]", i + 2);  // "[:alpha:]" inside a class
      const size_t end = close == std::string_view::npos ? pattern.size() : close + 2;
      out += pattern.substr(i, end - i);
      i = end - 1;
    } else {
      if (in_class && c == ']') in_class = false;
      out += c;
    }
  }
  return out;
}

Result<std::unique_ptr<Prefilter>> Prefilter::Build(const std::vector<std::string>& patterns,
                                                    const PrefilterOptions& options, std::vector<Rejected>* rejected,
                                                    Report* report) {
  Report own_report;
  if (!report) report = &own_report;
  std::vector<std::string> widened;
  for (const std::string& pattern : patterns) widened.push_back(PrefilterPattern(pattern));
  std::unique_ptr<Prefilter> prefilter(new Prefilter);
  rejected->clear();
  if (!options.cache_dir.empty()) {
    report->cache_file = CachePath(options.cache_dir, CacheKey(widened), "hsdb");
    report->from_cache = ReadCache(report->cache_file, widened.size(), &prefilter->database_,
                                   &prefilter->database_mapped_bytes_, &prefilter->max_widths_, rejected,
                                   &report->cache_note);
  }
  if (!report->from_cache) {
    rejected->clear();
    Result<hs_database_t*> compiled = Compile(widened, rejected);
    if (!compiled.ok()) return compiled.status();
    prefilter->database_ = compiled.value();
    prefilter->max_widths_ = MaxWidths(widened);
    if (!report->cache_file.empty())
      WriteCache(report->cache_file, prefilter->database_, prefilter->max_widths_, *rejected);
  }
  hs_database_size(prefilter->database_, &report->database_bytes);
  if (hs_alloc_scratch(prefilter->database_, &prefilter->prototype_) != HS_SUCCESS)
    return Status::RuleError("Vectorscan cannot allocate scratch space for the prefilter");
  return prefilter;
}

Prefilter::~Prefilter() {
  for (hs_scratch_t* scratch : idle_scratch_) hs_free_scratch(scratch);
  hs_free_scratch(prototype_);
  if (database_mapped_bytes_) munmap(database_, database_mapped_bytes_);
  else hs_free_database(database_);
}

hs_scratch_t* Prefilter::TakeScratch() const {
  {
    std::lock_guard<std::mutex> lock(scratch_mutex_);
    if (!idle_scratch_.empty()) {
      hs_scratch_t* scratch = idle_scratch_.back();
      idle_scratch_.pop_back();
      return scratch;
    }
  }
  hs_scratch_t* scratch = nullptr;
  return hs_clone_scratch(prototype_, &scratch) == HS_SUCCESS ? scratch : nullptr;
}

void Prefilter::GiveBackScratch(hs_scratch_t* scratch) const {
  std::lock_guard<std::mutex> lock(scratch_mutex_);
  idle_scratch_.push_back(scratch);
}

bool Prefilter::Scan(std::string_view text, const std::function<void(size_t, size_t)>& hit) const {
  if (text.size() > std::numeric_limits<unsigned>::max()) return false;  // Vectorscan's length is an unsigned int
  hs_scratch_t* scratch = TakeScratch();
  if (!scratch) return false;
  auto on_match = [](unsigned id, unsigned long long, unsigned long long to, unsigned, void* context) -> int {
    (*static_cast<const std::function<void(size_t, size_t)>*>(context))(id, static_cast<size_t>(to));
    return 0;
  };
  const hs_error_t scanned = hs_scan(database_, text.data(), static_cast<unsigned>(text.size()), 0, scratch,
                                     on_match, const_cast<std::function<void(size_t, size_t)>*>(&hit));
  GiveBackScratch(scratch);
  return scanned == HS_SUCCESS;
}

}  // namespace factwire
