#include "read/warc.h"

#include "base/utf8.h"

#include <algorithm>
#include <cctype>
#include <map>

#include "read/charset.h"
#include "read/reader.h"

namespace factwire {
namespace {

constexpr size_t kMaxHeaderLine = 64 << 10;

std::string_view Trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  return text;
}

using Headers = std::map<std::string, std::string>;  // lower-case names

// "Name: value" lines, a line starting with white space continuing the one before.
void AddHeaderLine(std::string_view line, Headers* headers, std::string* last) {
  if (!line.empty() && (line[0] == ' ' || line[0] == '\t') && !last->empty()) {
    (*headers)[*last] += " " + std::string(Trim(line));
    return;
  }
  const size_t colon = line.find(':');
  if (colon == std::string_view::npos) return;
  *last = AsciiLower(Trim(line.substr(0, colon)));
  (*headers)[*last] = std::string(Trim(line.substr(colon + 1)));
}

std::string MediaType(std::string_view content_type) {
  return AsciiLower(Trim(content_type.substr(0, content_type.find(';'))));
}

Result<std::string> Dechunk(std::string_view body) {
  std::string out;
  for (;;) {
    const size_t line_end = body.find('\n');
    if (line_end == std::string_view::npos) return Status::InvalidInput("chunked body is cut off");
    const std::string size_text(Trim(body.substr(0, body.find_first_of(";\r\n"))));
    size_t size = 0;
    if (size_text.empty() || size_text.size() > 15 || size_text.find_first_not_of("0123456789abcdefABCDEF") != std::string::npos)
      return Status::InvalidInput("chunked body has a bad chunk size '" + size_text.substr(0, 20) + "'");
    size = std::stoull(size_text, nullptr, 16);
    body.remove_prefix(line_end + 1);
    if (size == 0) return out;
    if (size > body.size()) return Status::InvalidInput("chunked body is cut off");
    out.append(body.substr(0, size));
    body.remove_prefix(size);
    if (body.starts_with("\r\n")) body.remove_prefix(2);
    else if (body.starts_with("\n")) body.remove_prefix(1);
  }
}

constexpr size_t kMaxHeaderBlock = 1 << 20;

// Records are followed by two blank lines; any number are stepped over before the next.
Status SkipBlankLines(ByteStream& in) {
  for (;;) {
    Result<std::string_view> next = in.Peek(2);
    if (!next.ok()) return next.status();
    const std::string_view bytes = next.value();
    const size_t blank = bytes.starts_with("\r\n") ? 2 : bytes.starts_with("\n") ? 1 : 0;
    if (blank == 0) return {};
    if (Result<size_t> s = in.Skip(blank); !s.ok()) return s.status();
  }
}

// Reads one record's header block into `headers`; false at a clean end of the stream. A
// failure of the stream itself sets *stream_failed; anything else is a bad record.
Result<bool> ReadHeaderBlock(ByteStream& in, Headers* headers, bool* stream_failed) {
  std::string line;
  bool too_long = false;
  Result<bool> got = in.ReadLine(&line, kMaxHeaderLine, &too_long);
  *stream_failed = !got.ok();
  if (!got.ok()) return got.status();
  if (!got.value()) return false;
  if (!line.starts_with("WARC/1.")) return Status::InvalidInput("expected a WARC/1.0 or WARC/1.1 header line");
  std::string last;
  for (size_t bytes = 0;; bytes += line.size()) {
    got = in.ReadLine(&line, kMaxHeaderLine, &too_long);
    *stream_failed = !got.ok();
    if (!got.ok()) return got.status();
    if (!got.value()) return Status::InvalidInput("record header is cut off");
    if (too_long || bytes > kMaxHeaderBlock)
      return Status::InvalidInput("record header is over the limit of " + std::to_string(kMaxHeaderBlock) + " bytes");
    if (line.empty()) return true;
    AddHeaderLine(line, headers, &last);
  }
}

// A Content-Length header's value: decimal digits, at most 18 of them.
bool ParseContentLength(const std::string& text, uint64_t* length) {
  if (text.empty() || text.size() > 18 || text.find_first_not_of("0123456789") != std::string::npos) return false;
  *length = std::stoull(text);
  return true;
}

// After a bad record: the next line that starts a record (within the same stream).
Status SkipToNextRecord(ByteStream& in) {
  for (;;) {
    Result<std::string_view> next = in.Peek(7);
    if (!next.ok()) return next.status();
    if (next.value().size() < 7 || next.value() == "WARC/1.") return {};
    std::string line;
    bool too_long = false;
    if (Result<bool> got = in.ReadLine(&line, 16, &too_long); !got.ok()) return got.status();
  }
}

}  // namespace

bool IsWarc(std::string_view head) { return head.starts_with("WARC/1.0") || head.starts_with("WARC/1.1"); }

Status DecodeHttpResponse(std::string_view message, size_t max_bytes, WarcPage* page) {
  size_t end = message.find("\r\n\r\n");
  size_t skip = 4;
  if (end == std::string_view::npos) {
    end = message.find("\n\n");
    skip = 2;
  }
  if (end == std::string_view::npos) return Status::InvalidInput("HTTP headers have no end");
  const std::string_view head = message.substr(0, end);
  std::string_view body = message.substr(end + skip);
  const size_t first_end = head.find('\n');
  const std::string_view status_line = Trim(head.substr(0, first_end));
  if (!status_line.starts_with("HTTP/")) return Status::InvalidInput("no HTTP status line");
  Headers headers;
  std::string last;
  for (size_t at = first_end; at != std::string_view::npos && at < head.size();) {
    const size_t next = head.find('\n', at + 1);
    AddHeaderLine(Trim(head.substr(at + 1, next == std::string_view::npos ? std::string_view::npos : next - at - 1)),
                  &headers, &last);
    at = next;
  }
  const size_t space = status_line.find(' ');
  const std::string code(space == std::string_view::npos ? "" : status_line.substr(space + 1, 3));
  if (code != "200") return Status::Usage("HTTP status " + code);  // Usage: skipped, not broken
  page->media_type = MediaType(headers["content-type"]);
  page->charset = CharsetOfContentType(headers["content-type"]);
  std::string decoded;
  if (AsciiLower(headers["transfer-encoding"]).find("chunked") != std::string::npos) {
    Result<std::string> dechunked = Dechunk(body);
    if (!dechunked.ok()) return dechunked.status();
    decoded = std::move(dechunked.value());
    body = decoded;
  }
  const std::string coding = AsciiLower(headers["content-encoding"]);
  if (coding == "gzip" || coding == "x-gzip" || coding == "deflate") {
    Result<std::string> inflated = InflateBody(body, max_bytes);
    if (!inflated.ok()) return inflated.status();
    page->body = std::move(inflated.value());
  } else if (coding.empty() || coding == "identity") {
    page->body.assign(body);
  } else {
    return Status::Usage("Content-Encoding " + coding);
  }
  return {};
}

namespace {

// A whole record: a page, a skip (not a page), or a problem with its HTTP payload.
void Deliver(Headers& headers, std::string content, const std::string& where, size_t max_record_bytes,
             const WarcCallbacks& callbacks) {
  const std::string type = headers["warc-type"];
  if (type != "response" && type != "resource") {
    callbacks.skip("WARC " + (type.empty() ? std::string("untyped") : type) + " record");
    return;
  }
  WarcPage page;
  page.where = where;
  page.target_uri = headers["warc-target-uri"];
  if (page.target_uri.starts_with('<') && page.target_uri.ends_with('>'))  // WARC 1.0 allowed <uri>
    page.target_uri = page.target_uri.substr(1, page.target_uri.size() - 2);
  const std::string_view date = headers["warc-date"];
  page.day = IsIsoDate(date.substr(0, 10)) ? std::string(date.substr(0, 10)) : "";
  const std::string record_type = MediaType(headers["content-type"]);
  if (type == "response" && record_type.starts_with("application/http")) {
    const Status decoded = DecodeHttpResponse(content, max_record_bytes, &page);
    if (decoded.code() == Status::Code::kUsage) {  // a response that is no page: counted
      callbacks.skip(decoded.message());
      return;
    }
    if (!decoded.ok()) {
      callbacks.problem(where, decoded);
      return;
    }
  } else {
    page.media_type = record_type;
    page.charset = CharsetOfContentType(headers["content-type"]);
    page.body = std::move(content);
  }
  callbacks.page(std::move(page));
}

// Where a record starts: its byte offset in a plain WARC; in a .warc.gz, its gzip
// member's offset, with "+N" for the record's offset inside the member when the member
// holds more than one record (a whole file gzipped as one member).
class RecordPosition {
 public:
  RecordPosition(const ByteStream& in, const GzipReader* members)
      : in_(in), members_(members), member_start_(in.offset()) {}
  void MemberStarts() { member_start_ = in_.offset(); }
  std::string Here() const {
    if (!members_) return std::to_string(in_.offset());
    const uint64_t inside = in_.offset() - member_start_;
    return std::to_string(members_->member_offset()) + (inside ? "+" + std::to_string(inside) : "");
  }

 private:
  const ByteStream& in_;
  const GzipReader* members_;
  uint64_t member_start_;
};

}  // namespace

void ReadWarc(ByteStream& in, GzipReader* members, size_t max_record_bytes, const WarcCallbacks& callbacks) {
  RecordPosition position(in, members);
  // The stream itself failed (a corrupt gzip member): go on at the next member; a plain
  // stream that fails cannot go on.
  auto next_member = [&]() -> bool {
    if (!members) return false;
    Result<bool> next = members->NextMember();
    in.Resume();
    position.MemberStarts();
    if (!next.ok()) callbacks.problem(std::to_string(members->member_offset()), next.status());
    return next.ok() && next.value();
  };
  for (;;) {
    if (Status s = SkipBlankLines(in); !s.ok()) {
      callbacks.problem(position.Here(), s);
      if (!next_member()) return;
      continue;
    }
    const std::string where = position.Here();
    // A bad record costs that record: reading goes on at the next header line.
    auto bad_record = [&](const Status& status, bool stream_failed) -> bool {
      callbacks.problem(where, status);
      if (stream_failed) return next_member();
      return SkipToNextRecord(in).ok() || next_member();
    };
    Headers headers;
    bool stream_failed = false;
    Result<bool> header = ReadHeaderBlock(in, &headers, &stream_failed);
    if (!header.ok()) {
      if (!bad_record(header.status(), stream_failed)) return;
      continue;
    }
    if (!header.value()) {  // the end of the stream, or of one gzip member
      if (!members) return;
      Result<bool> next = members->NextMember();
      if (!next.ok()) {
        callbacks.problem(std::to_string(members->member_offset()), next.status());
        return;
      }
      if (!next.value()) return;
      in.Resume();
      position.MemberStarts();
      continue;
    }
    const std::string& length_text = headers["content-length"];
    uint64_t length = 0;
    if (!ParseContentLength(length_text, &length)) {
      if (!bad_record(Status::InvalidInput("record has no valid Content-Length"), false)) return;
      continue;
    }
    if (length > max_record_bytes) {  // stepped over, never held
      Result<size_t> skipped = in.Skip(length);
      if (!skipped.ok()) {
        if (!bad_record(skipped.status(), true)) return;
        continue;
      }
      callbacks.problem(where, skipped.value() < length
                                   ? Status::InvalidInput("record is cut off (Content-Length " + length_text + ")")
                                   : Status::InvalidInput("record is " + length_text + " bytes, over the limit of " +
                                                          std::to_string(max_record_bytes) + " (--max-bytes); skipped"));
      continue;
    }
    std::string content;
    Result<size_t> got = in.Read(static_cast<size_t>(length), &content);
    if (!got.ok()) {
      if (!bad_record(got.status(), true)) return;
      continue;
    }
    if (got.value() < length) {
      callbacks.problem(where, Status::InvalidInput("record is cut off: Content-Length " + length_text + ", " +
                                                    std::to_string(got.value()) + " bytes there"));
      continue;
    }
    Deliver(headers, std::move(content), where, max_record_bytes, callbacks);
  }
}

Status ForEachWarcRecordStart(ByteStream& in, const std::function<bool(uint64_t offset)>& each) {
  for (;;) {
    if (Status s = SkipBlankLines(in); !s.ok()) return s;
    const uint64_t start = in.offset();
    Headers headers;
    bool stream_failed = false;
    Result<bool> header = ReadHeaderBlock(in, &headers, &stream_failed);
    if (!header.ok()) return header.status().At("record at byte " + std::to_string(start));
    if (!header.value()) return {};
    if (!each(start)) return {};
    uint64_t length = 0;
    if (!ParseContentLength(headers["content-length"], &length))
      return Status::InvalidInput("record at byte " + std::to_string(start) + ": no valid Content-Length");
    Result<size_t> skipped = in.Skip(length);
    if (!skipped.ok()) return skipped.status();
    if (skipped.value() < length) return Status::InvalidInput("record at byte " + std::to_string(start) + " is cut off");
  }
}

}  // namespace factwire
