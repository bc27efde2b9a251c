// gzip (RFC 1952) with zlib: a stream of members decompressed one at a time, and whole
// HTTP bodies (Content-Encoding gzip or deflate).
//
// Input:  the compressed bytes, as a ByteStream.
// Output: a Producer of the decompressed bytes. With `stop_at_member_end`, each member
//         ends the stream (a .warc.gz holds one record per member); NextMember goes on,
//         and after a corrupt or cut-off member it skips to the next member's header, so
//         one bad member costs only its own record.
// Invariants: memory is zlib's window plus the caller's buffer, whatever the sizes.
// Thread-safety: one thread. Not copyable: owns a zlib stream.
#ifndef FACTWIRE_READ_GZIP_H_
#define FACTWIRE_READ_GZIP_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "read/byte_stream.h"

namespace factwire {

// Whether `head` starts with a gzip member's magic bytes.
bool IsGzip(std::string_view head);

class GzipReader {
 public:
  GzipReader(ByteStream* compressed, bool stop_at_member_end);
  ~GzipReader();
  GzipReader(const GzipReader&) = delete;
  GzipReader& operator=(const GzipReader&) = delete;

  ByteStream::Producer producer();
  // Whether the end of a member ends the stream (see above); may change between reads.
  void set_stop_at_member_end(bool stop) { stop_at_member_end_ = stop; }
  // Moves on to the member after the current one (ended, failed or half read); false
  // when the compressed input has no more.
  Result<bool> NextMember();
  // Where the current member starts in the compressed input.
  uint64_t member_offset() const { return member_offset_; }

 private:
  Result<size_t> Produce(char* buffer, size_t size);
  Status Reset();

  ByteStream* compressed_;
  bool stop_at_member_end_;
  struct Stream;
  std::unique_ptr<Stream> stream_;
  bool member_done_ = false;
  Status pending_;  // a failure met by a read that also produced bytes: returned by the next
  uint64_t member_offset_ = 0;
};

// A whole gzip, zlib or raw deflate body, decompressed; more than `max_bytes` out is an
// error (a compression bomb is refused, not inflated).
Result<std::string> InflateBody(std::string_view body, size_t max_bytes);

}  // namespace factwire

#endif  // FACTWIRE_READ_GZIP_H_
