#include "base/cache_file.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <utility>
#include <vector>

#include "base/digest.h"

namespace factwire {
namespace {

namespace fs = std::filesystem;

void Prune(const fs::path& dir, const fs::path& extension) {
  std::vector<std::pair<fs::file_time_type, fs::path>> files;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(dir, error))
    if (entry.path().extension() == extension) files.emplace_back(entry.last_write_time(error), entry.path());
  if (files.size() <= kCacheFilesKept) return;
  std::sort(files.begin(), files.end());
  for (size_t i = 0; i + kCacheFilesKept < files.size(); ++i) fs::remove(files[i].second, error);
}

}  // namespace

std::string CachePath(const std::string& dir, const std::string& key, std::string_view extension) {
  return (fs::path(dir) / (key + "." + std::string(extension))).string();
}

CachedBody::~CachedBody() {
  if (mapping_) munmap(mapping_, mapped_bytes_);
}

CachedBody::CachedBody(CachedBody&& other) noexcept { *this = std::move(other); }

CachedBody& CachedBody::operator=(CachedBody&& other) noexcept {
  if (this == &other) return *this;
  if (mapping_) munmap(mapping_, mapped_bytes_);
  mapping_ = std::exchange(other.mapping_, nullptr);
  mapped_bytes_ = std::exchange(other.mapped_bytes_, 0);
  found_ = std::exchange(other.found_, false);
  body_ = std::exchange(other.body_, {});
  note_ = std::move(other.note_);
  return *this;
}

CachedBody ReadCacheFile(const std::string& path, std::string_view magic) {
  CachedBody out;
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return out;  // not cached yet: nothing to say
  struct stat status {};
  if (fstat(fd, &status) == 0 && S_ISREG(status.st_mode) && status.st_size > 0) {
    out.mapped_bytes_ = static_cast<size_t>(status.st_size);
    out.mapping_ = mmap(nullptr, out.mapped_bytes_, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
    if (out.mapping_ == MAP_FAILED) out.mapping_ = nullptr;
  }
  close(fd);
  out.note_ = "corrupt or truncated, made again: " + path;
  if (!out.mapping_) return out;
  // Three header lines (magic, digest, size), then exactly as many bytes as the size says.
  std::string_view rest(static_cast<const char*>(out.mapping_), out.mapped_bytes_);
  std::string_view lines[3];
  for (std::string_view& line : lines) {
    const size_t newline = rest.substr(0, 100).find('\n');
    if (newline == std::string_view::npos) return out;
    line = rest.substr(0, newline);
    rest.remove_prefix(newline + 1);
  }
  const std::string_view size = lines[2];
  const bool size_ok = !size.empty() && size.size() <= 19 &&
                       std::all_of(size.begin(), size.end(), [](char c) { return c >= '0' && c <= '9'; }) &&
                       std::stoull(std::string(size)) == rest.size();
  if (lines[0] != magic || !size_ok || Sha256Hex(rest) != lines[1]) return out;
  out.found_ = true;
  out.body_ = rest;
  out.note_.clear();
  return out;
}

void WriteCacheFile(const std::string& path, std::string_view magic, std::string_view body) {
  std::error_code error;
  const fs::path dir = fs::path(path).parent_path();
  fs::create_directories(dir, error);
  const std::string temporary = path + ".tmp" + std::to_string(getpid());
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out << magic << '\n' << Sha256Hex(body) << '\n' << body.size() << '\n' << body;
    if (!out) {
      fs::remove(temporary, error);
      return;
    }
  }
  fs::rename(temporary, path, error);
  if (error) fs::remove(temporary, error);
  Prune(dir, fs::path(path).extension());
}

}  // namespace factwire
