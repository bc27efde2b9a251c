// Character sets in: a page's declared or detected encoding, converted to UTF-8 with ICU.
//
// Input:  raw bytes and the charset something declared for them (an HTTP header, a
//         <meta> tag), or nothing.
// Output: UTF-8. The order is the HTML standard's: a byte order mark, then the declared
//         charset, then UTF-8 when the bytes are valid UTF-8, else ICU's detector.
//         Labels follow the WHATWG encoding table where it differs from ICU's names
//         (iso-8859-1, latin1 and us-ascii mean windows-1252).
// Thread-safety: reentrant.
#ifndef FACTWIRE_READ_CHARSET_H_
#define FACTWIRE_READ_CHARSET_H_

#include <string>
#include <string_view>

#include "factwire/status.h"

namespace factwire {

// The value of "charset=" in a Content-Type header value ("text/html; charset=UTF-8").
std::string CharsetOfContentType(std::string_view content_type);

// The charset a page declares in <meta charset> or <meta http-equiv="Content-Type"> in
// its first 1024 bytes (the standard's pre-scan, which looks no further); "" if none.
std::string DeclaredHtmlCharset(std::string_view page);

// `bytes` from `encoding` (an ICU or WHATWG label) to UTF-8. With `strict`, a malformed
// sequence is an error; else it becomes U+FFFD.
Result<std::string> ConvertToUtf8(std::string_view bytes, std::string_view encoding, bool strict);

// `bytes` in UTF-8, by the order above; `*note` says which charset was used when it was
// not UTF-8 ("decoded from windows-1252 (declared)").
Result<std::string> ToUtf8(std::string bytes, std::string_view declared, std::string* note);

}  // namespace factwire

#endif  // FACTWIRE_READ_CHARSET_H_
