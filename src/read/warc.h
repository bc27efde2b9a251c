// WARC 1.0 and 1.1 (ISO 28500) in: the pages a crawl saved.
//
// Input:  a WARC stream, plain or (with `members`) gzipped one record per member, as
//         Common Crawl writes it.
// Output: for each `response` record (its HTTP status line and headers parsed and
//         skipped, a chunked or gzip/deflate body decoded) and each `resource` record, a
//         WarcPage with the payload, its media type and charset, the WARC-Target-URI and
//         the WARC-Date's day; other records are counted by `skip` with their reason.
// Errors: a bad header (or one over 1 MB), a cut-off record or a corrupt gzip member goes
//         to `problem` with where the record starts, and reading goes on at the next
//         record header (after a corrupt gzip member: at the next member). A record over
//         `max_record_bytes` is skipped without being held in memory, and reported.
// Thread-safety: reentrant.
#ifndef FACTWIRE_READ_WARC_H_
#define FACTWIRE_READ_WARC_H_

#include <functional>
#include <string>
#include <string_view>

#include "read/byte_stream.h"
#include "read/gzip.h"

namespace factwire {

struct WarcPage {
  // Where the record starts: "OFFSET" in the file, in a .warc.gz the gzip member's
  // offset, and "MEMBER+N" for a record N bytes into a member holding several.
  std::string where;
  std::string target_uri;
  std::string day;           // YYYY-MM-DD of WARC-Date, or ""
  std::string media_type;    // "text/html", lower case, without parameters; "" if none was given
  std::string charset;       // from the HTTP Content-Type, or ""
  std::string body;
};

struct WarcCallbacks {
  std::function<void(WarcPage)> page;
  std::function<void(const std::string& reason)> skip;  // a record passed over on purpose
  std::function<void(const std::string& where, const Status&)> problem;  // `where` as WarcPage::where
};

// Whether `head` starts a WARC file.
bool IsWarc(std::string_view head);

void ReadWarc(ByteStream& in, GzipReader* members, size_t max_record_bytes, const WarcCallbacks& callbacks);

// Calls `each` with the offset of every record of a plain WARC in turn, stepping over
// contents unread, until it returns false or the stream ends. Fails at a record it cannot
// step over (a bad header or Content-Length), so no offset after it is a guess.
Status ForEachWarcRecordStart(ByteStream& in, const std::function<bool(uint64_t offset)>& each);

// The payload of an HTTP response: headers parsed (media type and charset into `page`),
// chunked transfer coding and gzip/deflate content coding undone. Exposed for tests.
Status DecodeHttpResponse(std::string_view message, size_t max_bytes, WarcPage* page);

}  // namespace factwire

#endif  // FACTWIRE_READ_WARC_H_
