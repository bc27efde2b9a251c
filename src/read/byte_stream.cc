#include "read/byte_stream.h"

#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace factwire {

namespace {
constexpr size_t kChunk = size_t{64} << 10;
}

Result<bool> ByteStream::Fill() {
  if (!error_.ok()) return error_;  // the bytes before a failure were delivered; then the failure
  if (ended_) return false;
  if (begin_ > 0 && begin_ >= end_ / 2) {  // keep the buffer from creeping
    std::memmove(buffer_.data(), buffer_.data() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
  }
  // The storage only grows (zero-filled then, once): filling it costs no clearing.
  if (buffer_.size() < end_ + kChunk) buffer_.resize(end_ + kChunk);
  Result<size_t> got = producer_(buffer_.data() + end_, kChunk);
  if (got.ok()) end_ += got.value();
  if (!got.ok()) {
    error_ = got.status();
    return error_;
  }
  if (got.value() == 0) ended_ = true;
  return got.value() > 0;
}

Result<std::string_view> ByteStream::Peek(size_t size) {
  while (end_ - begin_ < size) {
    Result<bool> more = Fill();
    if (!more.ok() && end_ == begin_) return more.status();
    if (!more.ok() || !more.value()) break;  // a failure after some bytes: they come first
  }
  return std::string_view(buffer_.data() + begin_, std::min(size, end_ - begin_));
}

Result<std::string_view> ByteStream::PeekAvailable() {
  if (end_ == begin_)
    if (Result<bool> more = Fill(); !more.ok()) return more.status();
  return std::string_view(buffer_.data() + begin_, end_ - begin_);  // (a failure with bytes buffered waits)
}

Result<size_t> ByteStream::Read(size_t size, std::string* out) {
  if (expected_end_ > offset_) out->reserve(out->size() + std::min<uint64_t>(size, expected_end_ - offset_));
  size_t done = 0;
  while (done < size) {
    if (end_ == begin_) {
      Result<bool> more = Fill();
      if (!more.ok()) return more.status();
      if (!more.value()) break;
    }
    const size_t take = std::min(size - done, end_ - begin_);
    out->append(buffer_, begin_, take);
    begin_ += take;
    offset_ += take;
    done += take;
  }
  return done;
}

Result<size_t> ByteStream::Skip(uint64_t size) {
  uint64_t done = 0;
  while (done < size) {
    if (end_ == begin_) {
      end_ = 0;
      begin_ = 0;
      Result<bool> more = Fill();
      if (!more.ok()) return more.status();
      if (!more.value()) break;
    }
    const size_t take = static_cast<size_t>(std::min<uint64_t>(size - done, end_ - begin_));
    begin_ += take;
    offset_ += take;
    done += take;
  }
  return static_cast<size_t>(done);
}

Result<bool> ByteStream::ReadLine(std::string* line, size_t max_bytes, bool* too_long) {
  line->clear();
  *too_long = false;
  bool any = false;
  for (;;) {
    if (end_ == begin_) {
      end_ = 0;
      begin_ = 0;
      Result<bool> more = Fill();
      if (!more.ok()) return more.status();
      if (!more.value()) break;
    }
    any = true;
    const char* start = buffer_.data() + begin_;
    const size_t available = end_ - begin_;
    const void* newline = std::memchr(start, '\n', available);
    const size_t take = newline ? static_cast<size_t>(static_cast<const char*>(newline) - start) : available;
    const size_t room = max_bytes > line->size() ? max_bytes - line->size() : 0;
    if (take > room) *too_long = true;
    line->append(start, std::min(take, room));
    const size_t consumed = take + (newline ? 1 : 0);
    begin_ += consumed;
    offset_ += consumed;
    if (newline) break;
  }
  if (!line->empty() && line->back() == '\r') line->pop_back();
  return any;
}

void ByteStream::Resume() {
  offset_ += end_ - begin_;
  end_ = 0;
  begin_ = 0;
  ended_ = false;
  error_ = Status();
}

Result<bool> ByteStream::AtEnd() {
  Result<std::string_view> next = Peek(1);
  if (!next.ok()) return next.status();
  return next.value().empty();
}

ScopedFd::~ScopedFd() {
  if (fd_ >= 0) ::close(fd_);
}

ByteStream::Producer FileDescriptorProducer(int fd, const std::atomic<bool>* stop, std::function<void()> idle) {
  return [fd, stop, idle = std::move(idle)](char* buffer, size_t size) -> Result<size_t> {
    for (int waited = 0;; ++waited) {
      if (stop && stop->load()) return size_t{0};
      if (stop || idle) {  // wait in slices: a stop request and finished work are seen while input is quiet
        pollfd ready{fd, POLLIN, 0};
        const int polled = ::poll(&ready, 1, waited == 0 ? 0 : 100);
        if (polled == 0 || (polled < 0 && errno == EINTR)) {
          if (idle) idle();
          continue;
        }
      }
      const ssize_t got = ::read(fd, buffer, size);
      if (got >= 0) return static_cast<size_t>(got);
      if (errno != EINTR) return Status::IoError(std::string("read failed: ") + std::strerror(errno));
    }
  };
}

ByteStream::Producer FileRangeProducer(int fd, uint64_t begin, uint64_t end) {
  return [fd, at = begin, end](char* buffer, size_t size) mutable -> Result<size_t> {
    for (;;) {
      const size_t want = static_cast<size_t>(std::min<uint64_t>(size, end - at));
      if (want == 0) return size_t{0};
      const ssize_t got = ::pread(fd, buffer, want, static_cast<off_t>(at));
      if (got >= 0) {
        at += static_cast<uint64_t>(got);
        return static_cast<size_t>(got);
      }
      if (errno != EINTR) return Status::IoError(std::string("read failed: ") + std::strerror(errno));
    }
  };
}

ByteStream::Producer MemoryProducer(std::string_view bytes) {
  return [bytes](char* buffer, size_t size) mutable -> Result<size_t> {
    const size_t take = std::min(size, bytes.size());
    std::memcpy(buffer, bytes.data(), take);
    bytes.remove_prefix(take);
    return take;
  };
}

}  // namespace factwire
