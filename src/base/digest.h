// Content digests, for keys that say "these bytes, and no others": an article's text in
// the database, a rule folder's fingerprint, a cached matcher's rules, a watched file;
// and the signature a webhook receiver checks.
#ifndef FACTWIRE_BASE_DIGEST_H_
#define FACTWIRE_BASE_DIGEST_H_

#include <string>
#include <string_view>

#include "factwire/status.h"

namespace factwire {

// Lower-case hex SHA-256 of `data` (OpenSSL).
std::string Sha256Hex(std::string_view data);

// SHA-256 of bytes given in pieces: the digest of them all, one after the other, with
// none of them held. Not copyable: it owns OpenSSL's digest state.
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;
  void Update(std::string_view bytes);
  // Appends the bytes of the file at `path`, read in blocks; kIoError naming the file
  // when it cannot be read.
  Status UpdateFromFile(const std::string& path);
  // Lower-case hex of the digest; ends it (call once).
  std::string FinishHex();

 private:
  struct Context;
  Context* context_;
};
// The same of a file's bytes, read in blocks; kIoError naming the file when it cannot
// be read.
Result<std::string> FileSha256Hex(const std::string& path);
// The same of every regular file under `dir`, recursively, in sorted path order: each
// one's path relative to `dir`, a NUL, its bytes and a NUL. A file that cannot be read
// counts as empty. A rule folder's fingerprint.
std::string FolderSha256Hex(const std::string& dir);
// Lower-case hex HMAC-SHA256 of `data` under `key`.
std::string HmacSha256Hex(std::string_view key, std::string_view data);

}  // namespace factwire

#endif  // FACTWIRE_BASE_DIGEST_H_
