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
// The same of a file's bytes, read in blocks; kIoError naming the file when it cannot
// be read.
Result<std::string> FileSha256Hex(const std::string& path);
// Lower-case hex HMAC-SHA256 of `data` under `key`.
std::string HmacSha256Hex(std::string_view key, std::string_view data);

}  // namespace factwire

#endif  // FACTWIRE_BASE_DIGEST_H_
