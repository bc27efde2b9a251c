// libFuzzer harness: the normaliser on any bytes. Its text must be valid UTF-8, and
// every span whose ends are segment boundaries maps back inside the original, in order.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "base/utf8.h"
#include "normalise/normaliser.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const factwire::Normaliser normaliser = factwire::Normaliser::Create().value();
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  factwire::Document doc;
  normaliser.Normalise(input, &doc);
  if (!factwire::IsValidUtf8(doc.text) || !factwire::IsValidUtf8(doc.original())) std::abort();
  size_t previous = 0;
  for (size_t at = 0; at <= doc.text.size(); ++at) {
    if (at < doc.text.size() && (static_cast<unsigned char>(doc.text[at]) & 0xC0) == 0x80) continue;
    const size_t begin = at < doc.text.size() ? doc.map.ToOriginalBegin(at) : doc.original().size();
    if (begin < previous || begin > doc.original().size()) std::abort();  // the way back is monotone and in bounds
    if (at > 0 && doc.map.ToOriginalEnd(at) > doc.original().size()) std::abort();
    previous = begin;
  }
  return 0;
}
