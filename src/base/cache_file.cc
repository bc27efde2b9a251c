#include "base/cache_file.h"

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

CachedBody ReadCacheFile(const std::string& path, std::string_view magic) {
  CachedBody out;
  std::ifstream in(path, std::ios::binary);
  if (!in) return out;  // not cached yet: nothing to say
  std::string read_magic, digest, size_line;
  std::getline(in, read_magic);
  std::getline(in, digest);
  std::getline(in, size_line);
  // The size is checked against what the file holds before anything is allocated for
  // it: a damaged size field must not ask for exabytes.
  const std::streampos here = in.tellg();
  in.seekg(0, std::ios::end);
  const std::streamoff left = in.tellg() - here;
  in.seekg(here);
  const bool size_ok = !size_line.empty() && size_line.size() <= 19 &&
                       std::all_of(size_line.begin(), size_line.end(), [](char c) { return c >= '0' && c <= '9'; }) &&
                       left >= 0 && std::stoull(size_line) == static_cast<unsigned long long>(left);
  if (!in || read_magic != magic || !size_ok) {
    out.note = "corrupt or truncated, made again: " + path;
    return out;
  }
  out.body.resize(static_cast<size_t>(left));
  in.read(out.body.data(), left);
  if (!in || Sha256Hex(out.body) != digest) {
    out.body.clear();
    out.note = "corrupt or truncated, made again: " + path;
    return out;
  }
  out.found = true;
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
