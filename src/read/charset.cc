#include "read/charset.h"

#include <unicode/ucnv.h>
#include <unicode/ucsdet.h>

#include <algorithm>
#include <cctype>
#include <iterator>
#include <memory>

#include "base/utf8.h"
#include "read/reader.h"

namespace factwire {
namespace {

bool IsUtf8Label(std::string_view label) { return label == "utf-8" || label == "utf8" || label == "unicode-1-1-utf-8"; }

// The WHATWG encoding standard reads these labels as windows-1252, as browsers do.
std::string IcuName(std::string label) {
  static const std::string_view kWindows1252[] = {"iso-8859-1", "iso8859-1", "iso_8859-1", "iso88591", "latin1",
                                                  "l1", "us-ascii", "ascii", "cp1252", "x-cp1252", "cp819",
                                                  "ibm819", "csisolatin1", "iso-ir-100", "iso_8859-1:1987",
                                                  "ansi_x3.4-1968", "windows-1252"};
  if (std::find(std::begin(kWindows1252), std::end(kWindows1252), label) != std::end(kWindows1252))
    return "windows-1252";
  return label;
}

// A page that says it is UTF-16 or UTF-32 but has no byte order mark is ASCII-compatible
// bytes after all (it was read as such to find the <meta>): WHATWG reads it as UTF-8.
bool IsUtf16Or32Label(std::string_view label) { return label.starts_with("utf-16") || label.starts_with("utf-32"); }

// The value of the first "charset=VALUE" in `text`, unquoted; "" if none.
std::string CharsetValueAfter(std::string_view text) {
  const std::string lower = AsciiLower(text);
  const size_t at = lower.find("charset");
  if (at == std::string::npos) return "";
  size_t i = at + 7;
  while (i < lower.size() && lower[i] == ' ') ++i;
  if (i >= lower.size() || lower[i] != '=') return "";
  ++i;
  while (i < lower.size() && (lower[i] == ' ' || lower[i] == '"' || lower[i] == '\'')) ++i;
  size_t end = i;
  while (end < lower.size() && (std::isalnum(static_cast<unsigned char>(lower[end])) || lower[end] == '-' ||
                                lower[end] == '_' || lower[end] == '.' || lower[end] == ':'))
    ++end;
  return lower.substr(i, end - i);
}

}  // namespace

std::string CharsetOfContentType(std::string_view content_type) { return CharsetValueAfter(content_type); }

std::string DeclaredHtmlCharset(std::string_view page) {
  const std::string head = AsciiLower(page.substr(0, 1024));
  for (size_t at = head.find("<meta"); at != std::string::npos; at = head.find("<meta", at + 5)) {
    const size_t close = head.find('>', at);
    const std::string_view tag = std::string_view(head).substr(at, close == std::string::npos ? std::string::npos : close - at);
    if (std::string charset = CharsetValueAfter(tag); !charset.empty()) return charset;
  }
  return "";
}

Result<std::string> ConvertToUtf8(std::string_view bytes, std::string_view encoding, bool strict) {
  const std::string name = IcuName(AsciiLower(encoding));
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<UConverter, void (*)(UConverter*)> converter(ucnv_open(name.c_str(), &status), ucnv_close);
  if (U_FAILURE(status)) return Status::InvalidInput("unknown character set '" + std::string(encoding) + "'");
  if (strict) ucnv_setToUCallBack(converter.get(), UCNV_TO_U_CALLBACK_STOP, nullptr, nullptr, nullptr, &status);
  std::string out(bytes.size() * 3 + 4, '\0');  // a byte or two of any charset is at most 3 UTF-8 bytes
  const int32_t written = ucnv_toAlgorithmic(UCNV_UTF8, converter.get(), out.data(), static_cast<int32_t>(out.size()),
                                             bytes.data(), static_cast<int32_t>(bytes.size()), &status);
  if (U_FAILURE(status))
    return Status::InvalidInput("cannot be decoded as " + name + ": " + u_errorName(status));
  out.resize(static_cast<size_t>(written));
  return out;
}

Result<std::string> ToUtf8(std::string bytes, std::string_view declared, std::string* note) {
  if (bytes.starts_with("\xEF\xBB\xBF") || bytes.starts_with("\xFF\xFE") || bytes.starts_with("\xFE\xFF"))
    return DecodeByteOrderMark(std::move(bytes), note);
  std::string label = AsciiLower(declared);
  if (IsUtf16Or32Label(label)) label = "utf-8";
  if (!label.empty() && !IsUtf8Label(label)) {
    Result<std::string> converted = ConvertToUtf8(bytes, label, /*strict=*/false);
    if (converted.ok()) {
      *note = "decoded from " + IcuName(label) + " (declared)";
      return converted;
    }
    // An unknown label: read on as if nothing was declared.
  }
  if (IsValidUtf8(bytes) || IsUtf8Label(label)) return bytes;  // declared UTF-8 but invalid: normalise repairs it
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<UCharsetDetector, void (*)(UCharsetDetector*)> detector(ucsdet_open(&status), ucsdet_close);
  ucsdet_setText(detector.get(), bytes.data(), static_cast<int32_t>(std::min<size_t>(bytes.size(), 1u << 20)), &status);
  const UCharsetMatch* match = ucsdet_detect(detector.get(), &status);
  const char* name = U_SUCCESS(status) && match ? ucsdet_getName(match, &status) : nullptr;
  if (!name || U_FAILURE(status)) return bytes;
  Result<std::string> converted = ConvertToUtf8(bytes, name, /*strict=*/false);
  if (!converted.ok()) return bytes;
  *note = std::string("decoded from ") + name + " (detected)";
  return converted;
}

}  // namespace factwire
