#include "match/prefilter.h"

#include <hs/hs.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>

#include "base/digest.h"

namespace factwire {
namespace {

// UTF-8 as RE2 reads it; '^' after every line break, a superset of RE2's '^' on the
// lines RuleSet::Match scans; no HS_FLAG_UCP, so \b, \w and \d stay ASCII as in RE2.
constexpr unsigned kFlags = HS_FLAG_UTF8 | HS_FLAG_MULTILINE | HS_FLAG_PREFILTER;
constexpr std::string_view kCacheMagic = "factwire prefilter 1";

// A database is built for one Vectorscan version and the CPU features of the machine
// (another machine sharing the cache, or valgrind, sees others), so both name it.
std::string CacheKey(const std::vector<std::string>& patterns) {
  hs_platform_info_t platform{};
  hs_populate_platform(&platform);
  std::string all = std::string(hs_version()) + "\n" + std::to_string(kFlags) + "\n" + std::to_string(platform.tune) +
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

// The cache file: the magic line, the blob's digest and size, one "rejected" line per
// pattern left out, an empty line, then hs_serialize_database's bytes.
bool ReadCache(const std::string& path, hs_database_t** database, std::vector<Prefilter::Rejected>* rejected,
               std::string* note) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;  // not cached yet: nothing to say
  std::string magic, digest, line;
  size_t size = 0;
  std::getline(in, magic);
  std::getline(in, digest);
  in >> size;
  std::getline(in, line);
  std::vector<Prefilter::Rejected> listed;
  while (std::getline(in, line) && !line.empty()) {
    std::istringstream fields(line);
    std::string word;
    Prefilter::Rejected entry;
    if (!(fields >> word >> entry.pattern) || word != "rejected") break;
    std::getline(fields >> std::ws, entry.reason);
    listed.push_back(std::move(entry));
  }
  // The size is checked against what the file holds before anything is allocated for it:
  // a damaged size field must not ask for exabytes.
  const std::streampos here = in.tellg();
  in.seekg(0, std::ios::end);
  const std::streamoff left = in.tellg() - here;
  in.seekg(here);
  if (!in || left < 0 || size != static_cast<size_t>(left)) {
    *note = "corrupt or truncated, compiled again: " + path;
    return false;
  }
  std::string blob(size, '\0');
  in.read(blob.data(), static_cast<std::streamsize>(size));
  if (magic != kCacheMagic || !in || in.peek() != EOF || Sha256Hex(blob) != digest) {
    *note = "corrupt or truncated, compiled again: " + path;
    return false;
  }
  if (hs_deserialize_database(blob.data(), blob.size(), database) != HS_SUCCESS) {
    *note = "not readable by this Vectorscan, compiled again: " + path;
    return false;
  }
  *rejected = std::move(listed);
  return true;
}

// Every rule change makes a new file; the oldest go once there are more than
// kCacheFilesKept, so the folder stays a few hundred MB at most.
constexpr size_t kCacheFilesKept = 32;

void PruneCache(const std::filesystem::path& dir) {
  namespace fs = std::filesystem;
  std::vector<std::pair<fs::file_time_type, fs::path>> files;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(dir, error))
    if (entry.path().extension() == ".hsdb") files.emplace_back(entry.last_write_time(error), entry.path());
  if (files.size() <= kCacheFilesKept) return;
  std::sort(files.begin(), files.end());
  for (size_t i = 0; i + kCacheFilesKept < files.size(); ++i) fs::remove(files[i].second, error);
}

// Written to a temporary file and renamed, so a concurrent reader sees all or nothing.
void WriteCache(const std::string& path, const hs_database_t* database, const std::vector<Prefilter::Rejected>& rejected) {
  char* bytes = nullptr;
  size_t size = 0;
  if (hs_serialize_database(database, &bytes, &size) != HS_SUCCESS) return;
  const std::string blob(bytes, size);
  free(bytes);
  std::error_code error;
  std::filesystem::create_directories(std::filesystem::path(path).parent_path(), error);
  const std::string temporary = path + ".tmp" + std::to_string(getpid());
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out << kCacheMagic << '\n' << Sha256Hex(blob) << '\n' << size << '\n';
    for (const auto& entry : rejected) out << "rejected " << entry.pattern << ' ' << entry.reason << '\n';
    out << '\n' << blob;
    if (!out) return;  // a cache that cannot be written is only a slower next start
  }
  std::filesystem::rename(temporary, path, error);
  if (error) std::filesystem::remove(temporary, error);
  PruneCache(std::filesystem::path(path).parent_path());
}

}  // namespace

Result<std::unique_ptr<Prefilter>> Prefilter::Build(const std::vector<std::string>& patterns,
                                                    const PrefilterOptions& options, std::vector<Rejected>* rejected,
                                                    Report* report) {
  Report own_report;
  if (!report) report = &own_report;
  std::unique_ptr<Prefilter> prefilter(new Prefilter);
  rejected->clear();
  if (!options.cache_dir.empty()) {
    report->cache_file = (std::filesystem::path(options.cache_dir) / (CacheKey(patterns) + ".hsdb")).string();
    report->from_cache = ReadCache(report->cache_file, &prefilter->database_, rejected, &report->cache_note);
  }
  if (!report->from_cache) {
    rejected->clear();
    Result<hs_database_t*> compiled = Compile(patterns, rejected);
    if (!compiled.ok()) return compiled.status();
    prefilter->database_ = compiled.value();
    if (!report->cache_file.empty()) WriteCache(report->cache_file, prefilter->database_, *rejected);
  }
  hs_database_size(prefilter->database_, &report->database_bytes);
  if (hs_alloc_scratch(prefilter->database_, &prefilter->prototype_) != HS_SUCCESS)
    return Status::RuleError("Vectorscan cannot allocate scratch space for the prefilter");
  return prefilter;
}

Prefilter::~Prefilter() {
  for (hs_scratch_t* scratch : idle_scratch_) hs_free_scratch(scratch);
  hs_free_scratch(prototype_);
  hs_free_database(database_);
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
