// The prefilter: one Vectorscan (Hyperscan) database per language that holds every
// pattern rule and scans an article once, saying where each rule may match.
//
// Input: a language's rule patterns (RE2 syntax, macros expanded); at scan time, the
// article's normalised UTF-8 text. Output: (pattern index, end offset) hits, and each
// pattern's longest match, where Vectorscan can bound it.
// Invariant: a superset. Wherever RE2 finds a match of pattern i ending at byte e, the
// scan reports (i, e): patterns compile in Vectorscan's prefilter mode, which may widen
// a pattern but never narrows it, and without their word boundaries (PrefilterPattern),
// so RE2 only confirms the hits and takes the captures.
// A pattern Vectorscan cannot take at all is left out and named in `rejected`; its rule
// keeps to RE2 alone.
// Compiling takes seconds for a large language, so a compiled database is kept in a
// cache folder, under a name derived from the patterns, the flags and the Vectorscan
// version; a cache file that does not check out (wrong size, digest, or version) is
// compiled again and replaced, never trusted.
// Thread-safety: Build is not; a built Prefilter is immutable and Scan may run on any
// number of threads at once (each takes its own scratch space).
#ifndef FACTWIRE_MATCH_PREFILTER_H_
#define FACTWIRE_MATCH_PREFILTER_H_

#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "factwire/status.h"

struct hs_database;
struct hs_scratch;

namespace factwire {

// What the prefilter compiles for an RE2 pattern: the pattern without its word
// boundaries (\b outside a character class). Leaving an assertion out only widens a
// pattern, so every match keeps its end; Vectorscan scans English rules a third faster
// without them, for a seventh more hits. A pattern quoting with \Q...\E is kept whole.
std::string PrefilterPattern(std::string_view pattern);

struct PrefilterOptions {
  // Where compiled databases are kept. Empty: no cache, compile on every load.
  std::string cache_dir;
};

class Prefilter {
 public:
  struct Rejected {
    size_t pattern = 0;  // index into the patterns given to Build
    std::string reason;  // Vectorscan's message
  };
  // How a Build went: whether the database came from the cache, and its size.
  struct Report {
    bool from_cache = false;
    std::string cache_file;  // empty without a cache
    std::string cache_note;  // why a cache file was not used ("corrupt: ...")
    size_t database_bytes = 0;
  };

  // Compiles `patterns` (or loads them from the cache). Fails only when no pattern at
  // all could be compiled or Vectorscan cannot allocate; rejected patterns are listed.
  static Result<std::unique_ptr<Prefilter>> Build(const std::vector<std::string>& patterns,
                                                  const PrefilterOptions& options,
                                                  std::vector<Rejected>* rejected, Report* report = nullptr);
  ~Prefilter();
  // Owns the database and its scratch spaces; shared by reference between threads.
  Prefilter(const Prefilter&) = delete;
  Prefilter& operator=(const Prefilter&) = delete;

  // Calls hit(pattern index as given to Build, end byte offset) for each place a pattern
  // may end a match in `text`, in no particular order. False when it could not scan (no
  // memory for scratch space, a text over 4 GB): then any pattern may match anywhere.
  bool Scan(std::string_view text, const std::function<void(size_t pattern, size_t end)>& hit) const;

  // The longest match of `pattern` in bytes, or kUnbounded: a match ending at byte e
  // starts at e - MaxWidth or after, so RE2 need not start reading before that.
  static constexpr size_t kUnbounded = static_cast<size_t>(-1);
  size_t MaxWidth(size_t pattern) const { return max_widths_[pattern]; }

 private:
  Prefilter() = default;
  hs_scratch* TakeScratch() const;
  void GiveBackScratch(hs_scratch* scratch) const;

  hs_database* database_ = nullptr;
  size_t database_mapped_bytes_ = 0;  // read from the cache into a mapping of this size; 0: Vectorscan's
  std::vector<size_t> max_widths_;  // per pattern, as MaxWidth says
  hs_scratch* prototype_ = nullptr;           // cloned for each concurrent scan
  mutable std::mutex scratch_mutex_;
  mutable std::vector<hs_scratch*> idle_scratch_;
};

}  // namespace factwire

#endif  // FACTWIRE_MATCH_PREFILTER_H_
