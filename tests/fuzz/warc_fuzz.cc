// libFuzzer harness: a WARC stream (plain, or gzipped when the bytes start as gzip), the
// record walk shard plans cut by, and an archive (libarchive over the same bytes).
// Whatever the bytes, every record is a page, a skip or a problem, memory stays under
// the record limit, record starts only go forward, and nothing crashes.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "read/archive.h"
#include "read/byte_stream.h"
#include "read/gzip.h"
#include "read/warc.h"

namespace {
constexpr size_t kMaxRecord = size_t{1} << 20;

void Warc(std::string_view bytes) {
  factwire::ByteStream in(factwire::MemoryProducer(bytes));
  factwire::WarcCallbacks callbacks;
  callbacks.page = [](factwire::WarcPage page) {
    if (page.body.size() > kMaxRecord) std::abort();
  };
  callbacks.skip = [](const std::string&) {};
  callbacks.problem = [](const std::string&, const factwire::Status& status) {
    if (status.ok()) std::abort();
  };
  if (factwire::IsGzip(bytes)) {
    factwire::GzipReader gzip(&in, /*stop_at_member_end=*/true);
    factwire::ByteStream inner(gzip.producer());
    factwire::ReadWarc(inner, &gzip, kMaxRecord, callbacks);
  } else {
    factwire::ReadWarc(in, nullptr, kMaxRecord, callbacks);
  }
}

void RecordStarts(std::string_view bytes) {
  factwire::ByteStream in(factwire::MemoryProducer(bytes));
  uint64_t last = 0;
  bool first = true;
  (void)factwire::ForEachWarcRecordStart(in, [&](uint64_t start) {
    if (start >= bytes.size() || (!first && start <= last)) std::abort();
    first = false;
    last = start;
    return true;
  });
}

void Archive(std::string_view bytes) {
  factwire::ByteStream in(factwire::MemoryProducer(bytes));
  (void)factwire::ForEachArchiveEntry(
      in,
      [](const std::string&, factwire::ByteStream& entry) {
        std::string content;
        (void)entry.Read(kMaxRecord, &content);
      },
      [](const factwire::Status&) {});
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  Warc(bytes);
  RecordStarts(bytes);
  Archive(bytes);
  factwire::WarcPage page;
  (void)factwire::DecodeHttpResponse(bytes, kMaxRecord, &page);
  return 0;
}
