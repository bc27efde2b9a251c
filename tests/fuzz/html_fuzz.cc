// libFuzzer harness: an HTML page of any bytes, through the charset sniffing and
// conversion and the main-text reader. Whatever the bytes, the page reads or is refused
// with a message; the text and metadata it gives are valid UTF-8.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>

#include "base/utf8.h"
#include "read/charset.h"
#include "read/html.h"

namespace {
std::unique_ptr<factwire::HtmlReader> reader;
}

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  factwire::Result<std::unique_ptr<factwire::HtmlReader>> loaded =
      factwire::HtmlReader::Load(std::string(FACTWIRE_SOURCE_DIR) + "/rules");
  if (!loaded.ok()) std::abort();
  reader = std::move(loaded.value());
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string bytes(reinterpret_cast<const char*>(data), size);
  std::string note;
  const std::string declared = factwire::DeclaredHtmlCharset(bytes);
  factwire::Result<std::string> utf8 = factwire::ToUtf8(std::move(bytes), declared, &note);
  if (!utf8.ok()) return 0;
  const std::string page = factwire::IsValidUtf8(utf8.value()) ? utf8.value() : factwire::RepairUtf8(utf8.value()).text;
  factwire::Result<factwire::HtmlPage> read = reader->Read(page);
  if (!read.ok()) return 0;
  for (const std::string* field : {&read->text, &read->title, &read->url, &read->published, &read->lang})
    if (!factwire::IsValidUtf8(*field)) std::abort();  // gumbo hands out UTF-8
  return 0;
}
