// Content digests, for keys that say "these bytes, and no others": an article's text in
// the database, a rule folder's fingerprint, a cached matcher's rules.
#ifndef FACTWIRE_BASE_DIGEST_H_
#define FACTWIRE_BASE_DIGEST_H_

#include <string>
#include <string_view>

namespace factwire {

// Lower-case hex SHA-256 of `data` (OpenSSL).
std::string Sha256Hex(std::string_view data);

}  // namespace factwire

#endif  // FACTWIRE_BASE_DIGEST_H_
