// Derived data kept between runs under a key that names its inputs: compiled prefilter
// databases (match/prefilter.cc) and checked patterns (match/rule_loader.cc).
//
// A file is "MAGIC\n" + the body's SHA-256 + "\n" + the body's size + "\n" + the body.
// Reading checks all of it (magic, size against what the file holds, digest) before a
// byte of the body is trusted; a file that does not check out is reported, never used.
// A write goes to a temporary file renamed into place, so a concurrent reader sees all or
// nothing; then the folder keeps the newest kCacheFilesKept files of that extension.
// Thread-safety: the functions may run on any number of threads at once.
#ifndef FACTWIRE_BASE_CACHE_FILE_H_
#define FACTWIRE_BASE_CACHE_FILE_H_

#include <cstddef>
#include <string>
#include <string_view>

namespace factwire {

// Every rule change makes new files; the oldest go, so a folder stays small.
constexpr size_t kCacheFilesKept = 32;

// A cache file's body, mapped from the file with its pages read at once: a prefilter
// database is megabytes, and faulting it in page by page cost more than reading it.
// Move-only: it owns the mapping.
class CachedBody {
 public:
  CachedBody() = default;
  ~CachedBody();
  CachedBody(CachedBody&& other) noexcept;
  CachedBody& operator=(CachedBody&& other) noexcept;
  CachedBody(const CachedBody&) = delete;
  CachedBody& operator=(const CachedBody&) = delete;

  bool found() const { return found_; }          // the file exists and checks out
  std::string_view body() const { return body_; }  // empty unless found
  const std::string& note() const { return note_; }  // why an existing file was not used

 private:
  friend CachedBody ReadCacheFile(const std::string& path, std::string_view magic);
  void* mapping_ = nullptr;
  size_t mapped_bytes_ = 0;
  bool found_ = false;
  std::string_view body_;
  std::string note_;  // "corrupt or truncated, made again: PATH"
};

// DIR/KEY.EXTENSION.
std::string CachePath(const std::string& dir, const std::string& key, std::string_view extension);

// The body of `path` when it was written by WriteCacheFile with `magic`. No file: not
// found and no note.
CachedBody ReadCacheFile(const std::string& path, std::string_view magic);

// Writes `body` to `path` (creating its folder). A file that cannot be written is only
// a slower next start, so nothing is reported.
void WriteCacheFile(const std::string& path, std::string_view magic, std::string_view body);

}  // namespace factwire

#endif  // FACTWIRE_BASE_CACHE_FILE_H_
