#include "read/archive.h"

#include <archive.h>
#include <archive_entry.h>

#include <exception>
#include <memory>
#include <string>
#include <utility>

namespace factwire {

Container SniffContainer(std::string_view head) {
  if (head.starts_with("BZh")) return Container::kBzip2;
  if (head.starts_with(std::string_view("\xFD" "7zXZ\x00", 6))) return Container::kXz;
  if (head.starts_with("\x28\xB5\x2F\xFD")) return Container::kZstd;
  if (head.starts_with("PK\x03\x04") || head.starts_with("PK\x05\x06")) return Container::kZip;
  if (head.size() >= 262 && head.substr(257, 5) == "ustar") return Container::kTar;
  return Container::kNone;
}

const char* ContainerName(Container container) {
  switch (container) {
    case Container::kBzip2: return "bzip2";
    case Container::kXz: return "xz";
    case Container::kZstd: return "zstd";
    case Container::kTar: return "tar";
    case Container::kZip: return "zip";
    case Container::kNone: break;
  }
  return "none";
}

namespace {

struct Reading {
  ByteStream* in;
  std::exception_ptr thrown;  // from the stream (its producer runs caller code): rethrown outside libarchive
};

// libarchive keeps a block only until its next read: the stream's own buffer will do,
// consumed as it is handed over. No exception may cross libarchive's C frames.
la_ssize_t ReadCallback(struct archive* archive, void* data, const void** block) {
  auto* reading = static_cast<Reading*>(data);
  try {
    Result<std::string_view> chunk = reading->in->PeekAvailable();
    if (!chunk.ok()) {
      archive_set_error(archive, EIO, "%s", chunk.status().message().c_str());
      return -1;
    }
    *block = chunk.value().data();
    if (Result<size_t> skipped = reading->in->Skip(chunk.value().size()); !skipped.ok()) return -1;
    return static_cast<la_ssize_t>(chunk.value().size());
  } catch (...) {
    reading->thrown = std::current_exception();
    archive_set_error(archive, EIO, "the input stream failed");
    return -1;
  }
}

}  // namespace

Status ForEachArchiveEntry(ByteStream& in, const ArchiveEntryFn& entry,
                           const std::function<void(const Status&)>& damage) {
  std::unique_ptr<struct archive, int (*)(struct archive*)> archive(archive_read_new(), archive_read_free);
  archive_read_support_filter_all(archive.get());
  archive_read_support_format_tar(archive.get());
  archive_read_support_format_zip(archive.get());
  archive_read_support_format_raw(archive.get());  // a compressed single file
  const uint64_t start = in.offset();
  // Where a header went wrong, as libarchive counts it; else how far the input was read.
  auto failed = [&](const char* what, int64_t position = -1) {
    const char* message = archive_error_string(archive.get());
    const uint64_t where = position >= 0 ? static_cast<uint64_t>(position) : in.offset() - start;
    return Status::InvalidInput(std::string(what) + " from input byte " + std::to_string(where) + ": " +
                                (message ? message : "unknown error"));
  };
  bool in_damage = false;
  bool entry_failed = false;  // libarchive steps over one damaged stretch a block at a time: reported once
  Reading reading{&in, nullptr};
  auto rethrow = [&]() {
    if (reading.thrown) std::rethrow_exception(std::exchange(reading.thrown, nullptr));
  };
  const int opened = archive_read_open(archive.get(), &reading, nullptr, ReadCallback, nullptr);
  rethrow();
  if (opened != ARCHIVE_OK) return failed("cannot open the archive");
  for (;;) {
    struct archive_entry* header = nullptr;
    const int next = archive_read_next_header(archive.get(), &header);
    rethrow();
    if (next == ARCHIVE_EOF) return {};
    const int64_t position = archive_read_header_position(archive.get());
    if (next == ARCHIVE_RETRY || next == ARCHIVE_WARN) {  // a damaged header, stepped over
      if (!in_damage) damage(failed("damaged archive", position));
      in_damage = true;
      if (next == ARCHIVE_RETRY) continue;
    } else {
      in_damage = false;
    }
    if (next < ARCHIVE_WARN) {
      if (entry_failed) return {};  // the entry's reader reported it: libarchive cannot go on
      return failed("corrupt archive", position);
    }
    if (archive_entry_filetype(header) != AE_IFREG && archive_format(archive.get()) != ARCHIVE_FORMAT_RAW) continue;
    const char* path = archive_entry_pathname(header);
    Status entry_error;
    ByteStream data([&](char* buffer, size_t size) -> Result<size_t> {
      const la_ssize_t got = archive_read_data(archive.get(), buffer, size);
      rethrow();
      if (got >= 0) return static_cast<size_t>(got);
      entry_error = failed("corrupt archive entry");
      return entry_error;
    });
    entry(path ? path : "data", data);
    // The entry's reader met the error and reported it; a zip reads on at the next
    // member, while a compressed stream ends at the next header.
    entry_failed = !entry_error.ok();
  }
}

}  // namespace factwire
