// Compressed files and archives with libarchive: .bz2, .xz, .zst around one file, and
// .tar (compressed or not) and .zip archives of many.
//
// Input:  the archive's bytes, as a ByteStream (so archives nest: a .tar inside a .zst).
// Output: `entry` is called once per regular file in the archive, in archive order, with
//         the entry's path ("data" for a compressed single file) and a stream of its
//         bytes; the callback may read as much of the entry as it wants.
// Errors: a corrupt or cut-off archive returns a Status naming the byte offset in the
//         archive's input where reading stopped; the entries before it were delivered.
//         An error inside an entry reaches the entry's reader through its stream (which
//         reports it); reading goes on with the next entry where the format allows.
// Thread-safety: reentrant.
#ifndef FACTWIRE_READ_ARCHIVE_H_
#define FACTWIRE_READ_ARCHIVE_H_

#include <functional>
#include <string>
#include <string_view>

#include "read/byte_stream.h"

namespace factwire {

enum class Container { kNone, kBzip2, kXz, kZstd, kTar, kZip };

// What kind of compressed file or archive `head` starts, by its magic bytes (gzip is
// read by read/gzip.h).
Container SniffContainer(std::string_view head);
const char* ContainerName(Container container);

using ArchiveEntryFn = std::function<void(const std::string& path, ByteStream& entry)>;
// `damage` hears of a damaged part that libarchive stepped over (a bad header in a tar)
// before the reading went on.
Status ForEachArchiveEntry(ByteStream& in, const ArchiveEntryFn& entry,
                           const std::function<void(const Status&)>& damage);

}  // namespace factwire

#endif  // FACTWIRE_READ_ARCHIVE_H_
