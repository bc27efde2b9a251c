// Bytes in, pulled with look-ahead: the one interface every input format reads through
// (files, stdin, decompressed gzip members, libarchive entries, memory).
//
// Input:  a Producer that fills a buffer and returns how many bytes it wrote (0: the
//         end) or a Status naming what failed.
// Output: Peek/Read/ReadLine/Skip over those bytes; offset() counts the bytes consumed.
//         When the producer fails, the bytes it gave before come first; the failure is
//         returned by the read that needs more.
// Memory: one buffer of the bytes peeked but not consumed, plus the caller's own reads;
//         ReadLine and Read take a limit, so no line or record grows without bound.
// Thread-safety: one thread at a time. Not copyable: it holds a position in a stream.
#ifndef FACTWIRE_READ_BYTE_STREAM_H_
#define FACTWIRE_READ_BYTE_STREAM_H_

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "factwire/status.h"

namespace factwire {

class ByteStream {
 public:
  using Producer = std::function<Result<size_t>(char* buffer, size_t size)>;

  explicit ByteStream(Producer producer) : producer_(std::move(producer)) {}
  // A stream whose first byte is at `start_offset` of something larger (a byte range of
  // a file): offset() and the messages that quote it count from there.
  ByteStream(Producer producer, uint64_t start_offset) : producer_(std::move(producer)), offset_(start_offset) {}
  ByteStream(const ByteStream&) = delete;
  ByteStream& operator=(const ByteStream&) = delete;

  // Up to `size` bytes ahead, not consumed: fewer only at the end of the stream.
  Result<std::string_view> Peek(size_t size);
  // The bytes the producer has given so far and not consumed, reading once if there are
  // none: for sniffing a stream (stdin) without waiting for more input than it has.
  Result<std::string_view> PeekAvailable();
  // Appends up to `size` bytes to *out; returns how many (fewer only at the end).
  Result<size_t> Read(size_t size, std::string* out);
  // Consumes up to `size` bytes without keeping them; returns how many.
  Result<size_t> Skip(uint64_t size);
  // The next line, without its "\n" (or "\r\n"); false at the end of the stream. A line
  // longer than `max_bytes` is consumed whole but only its first `max_bytes` are kept,
  // and *too_long says so.
  Result<bool> ReadLine(std::string* line, size_t max_bytes, bool* too_long);
  // Whether the stream has ended (after a read that met the end).
  Result<bool> AtEnd();
  uint64_t offset() const { return offset_; }
  // Where the stream is expected to end (a file's size), so that Read makes room for
  // what it will append at once instead of doubling as it goes: a 20 MB text file took
  // 48 MB while it was read. Only a hint; 0: unknown.
  void set_expected_end(uint64_t offset) { expected_end_ = offset; }
  // Lets a producer that ended or failed (a gzip member) be read again after it moved
  // on; bytes buffered from before are dropped.
  void Resume();
  // Lets a producer that ended be read again, keeping what is buffered (a gzip stream
  // switched from one member at a time to all members as one).
  void Continue() { ended_ = false; }

 private:
  // Reads once more from the producer; false at the end.
  Result<bool> Fill();

  Producer producer_;
  std::string buffer_;  // storage; bytes read and not yet consumed are [begin_, end_)
  size_t begin_ = 0;
  size_t end_ = 0;
  bool ended_ = false;
  Status error_;  // the producer's failure: reported once the bytes before it are consumed
  uint64_t offset_ = 0;
  uint64_t expected_end_ = 0;
};

// Closes a file descriptor (if >= 0) on every path out of a scope. Not copyable: one
// owner closes it.
class ScopedFd {
 public:
  explicit ScopedFd(int fd) : fd_(fd) {}
  ~ScopedFd();
  ScopedFd(const ScopedFd&) = delete;
  ScopedFd& operator=(const ScopedFd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

// A producer over a file descriptor (not closed). When no input is ready it calls `idle`
// (if any) and then every 100 ms while it waits, so a caller can deliver finished work
// while a pipe is quiet; it ends the stream once `stop` is set (Ctrl-C).
ByteStream::Producer FileDescriptorProducer(int fd, const std::atomic<bool>* stop = nullptr,
                                            std::function<void()> idle = nullptr);

// A producer over bytes [begin, end) of the file `fd` (not closed), read with pread, so
// several producers may share one descriptor.
ByteStream::Producer FileRangeProducer(int fd, uint64_t begin, uint64_t end);

// A producer over memory that must outlive it.
ByteStream::Producer MemoryProducer(std::string_view bytes);

}  // namespace factwire

#endif  // FACTWIRE_READ_BYTE_STREAM_H_
