// libFuzzer harness: the readers of outside input (a JSONL line, a text file's front
// matter, a byte order mark). Whatever the bytes, each returns an article or an error,
// never throws or crashes, and an article's text is valid UTF-8 where the reader
// promises it.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "base/utf8.h"
#include "read/reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  factwire::Result<factwire::Article> line = factwire::ParseJsonLine(bytes, "fuzz:1", {});
  if (line.ok() && !factwire::IsValidUtf8(line->text)) std::abort();  // repaired before parsing
  factwire::Article article;
  (void)factwire::ParseFrontMatter(bytes, &article);
  std::string note;
  factwire::Result<std::string> decoded = factwire::DecodeByteOrderMark(bytes, &note);
  if (decoded.ok() && !note.empty() && !factwire::IsValidUtf8(decoded.value())) std::abort();  // ICU wrote it
  return 0;
}
