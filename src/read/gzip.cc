#include "read/gzip.h"

#include <zlib.h>

#include <algorithm>
#include <cstring>
#include <utility>

namespace factwire {

namespace {
constexpr std::string_view kGzipMagic = "\x1f\x8b\x08";
constexpr int kGzipWindow = 16 + MAX_WBITS;  // zlib: gzip header and trailer
}  // namespace

bool IsGzip(std::string_view head) { return head.starts_with(kGzipMagic); }

struct GzipReader::Stream {
  z_stream z{};
  bool open = false;
  ~Stream() {
    if (open) inflateEnd(&z);
  }
};

GzipReader::GzipReader(ByteStream* compressed, bool stop_at_member_end)
    : compressed_(compressed), stop_at_member_end_(stop_at_member_end), stream_(std::make_unique<Stream>()) {}

GzipReader::~GzipReader() = default;

ByteStream::Producer GzipReader::producer() {
  return [this](char* buffer, size_t size) { return Produce(buffer, size); };
}

Status GzipReader::Reset() {
  if (!stream_->open) {
    if (inflateInit2(&stream_->z, kGzipWindow) != Z_OK) return Status::IoError("zlib cannot start");
    stream_->open = true;
  } else if (inflateReset(&stream_->z) != Z_OK) {
    return Status::IoError("zlib cannot restart");
  }
  member_offset_ = compressed_->offset();
  member_done_ = false;
  return {};
}

Result<size_t> GzipReader::Produce(char* buffer, size_t size) {
  if (!pending_.ok()) return std::exchange(pending_, Status());
  if (!stream_->open)
    if (Status s = Reset(); !s.ok()) return s;
  z_stream& z = stream_->z;
  for (;;) {
    if (member_done_) {
      if (stop_at_member_end_) return size_t{0};
      Result<std::string_view> next = compressed_->Peek(kGzipMagic.size());
      if (!next.ok()) return next.status();
      if (next.value().empty()) return size_t{0};
      if (!IsGzip(next.value()))
        return Status::InvalidInput("byte " + std::to_string(compressed_->offset()) + ": data after the last gzip member");
      if (Status s = Reset(); !s.ok()) return s;
    }
    Result<std::string_view> in = compressed_->PeekAvailable();
    if (!in.ok()) return in.status();
    if (in.value().empty())
      return Status::InvalidInput("gzip member at byte " + std::to_string(member_offset_) + " is cut off");
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.value().data()));
    z.avail_in = static_cast<uInt>(std::min<size_t>(in.value().size(), 1u << 30));
    z.next_out = reinterpret_cast<Bytef*>(buffer);
    z.avail_out = static_cast<uInt>(size);
    const int result = inflate(&z, Z_NO_FLUSH);
    const size_t used = in.value().size() - z.avail_in;
    if (Result<size_t> skipped = compressed_->Skip(used); !skipped.ok()) return skipped.status();
    const size_t produced = size - z.avail_out;
    if (result == Z_STREAM_END) {
      member_done_ = true;
    } else if (result != Z_OK && result != Z_BUF_ERROR) {
      Status corrupt = Status::InvalidInput("gzip member at byte " + std::to_string(member_offset_) + " is corrupt: " +
                                            (z.msg ? z.msg : "inflate error " + std::to_string(result)));
      if (produced == 0) return corrupt;
      pending_ = std::move(corrupt);  // the bytes decoded before the damage come first
    }
    if (produced > 0) return produced;
  }
}

Result<bool> GzipReader::NextMember() {
  if (!member_done_) {  // a failed or half-read member: find the next member's header
    for (;;) {
      Result<std::string_view> ahead = compressed_->Peek(size_t{64} << 10);
      if (!ahead.ok()) return ahead.status();
      const std::string_view bytes = ahead.value();
      // At the failed member's own header, look past it; further on (a bad trailer leaves
      // the stream at the next member's header), look from here.
      const size_t from = compressed_->offset() == member_offset_ ? 1 : 0;
      const size_t found = bytes.size() > from ? bytes.find(kGzipMagic, from) : std::string_view::npos;
      if (found != std::string_view::npos) {
        if (Result<size_t> s = compressed_->Skip(found); !s.ok()) return s.status();
        break;
      }
      if (bytes.size() < kGzipMagic.size()) {
        if (Result<size_t> s = compressed_->Skip(bytes.size()); !s.ok()) return s.status();
        return false;
      }
      const size_t keep = kGzipMagic.size() - 1;  // a magic split across two peeks
      if (Result<size_t> s = compressed_->Skip(bytes.size() - keep); !s.ok()) return s.status();
    }
  }
  Result<bool> end = compressed_->AtEnd();
  if (!end.ok()) return end.status();
  if (end.value()) return false;
  pending_ = Status();
  if (Status s = Reset(); !s.ok()) return s;
  return true;
}

Result<std::string> InflateBody(std::string_view body, size_t max_bytes) {
  // gzip or zlib by their headers; else raw deflate, which some servers send as "deflate".
  for (const int window : {32 + MAX_WBITS, -MAX_WBITS}) {
    z_stream z{};
    if (inflateInit2(&z, window) != Z_OK) return Status::IoError("zlib cannot start");
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(body.data()));
    z.avail_in = static_cast<uInt>(body.size());
    std::string out;
    int result = Z_OK;
    char chunk[64 << 10];
    while (result == Z_OK) {
      z.next_out = reinterpret_cast<Bytef*>(chunk);
      z.avail_out = sizeof chunk;
      result = inflate(&z, Z_NO_FLUSH);
      out.append(chunk, sizeof chunk - z.avail_out);
      if (out.size() > max_bytes) {
        inflateEnd(&z);
        return Status::InvalidInput("decompressed body is over the limit of " + std::to_string(max_bytes) + " bytes");
      }
      if (result == Z_BUF_ERROR && z.avail_in == 0) break;
    }
    inflateEnd(&z);
    if (result == Z_STREAM_END) return out;
    if (window < 0 || result != Z_DATA_ERROR) {
      if (result == Z_BUF_ERROR) return Status::InvalidInput("compressed body is cut off");
      return Status::InvalidInput(std::string("compressed body is corrupt: ") + (z.msg ? z.msg : "inflate error"));
    }
  }
  return Status::InvalidInput("compressed body is corrupt");
}

}  // namespace factwire
