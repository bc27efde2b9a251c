// A fact's value as JSON: the one place that knows each value type's JSON shape (the
// record format DESIGN.md gives). Fields come out in byte order of their names, as an
// nlohmann::json object orders them.
//
// Thread-safety: pure functions.
#ifndef FACTWIRE_EMIT_VALUE_JSON_H_
#define FACTWIRE_EMIT_VALUE_JSON_H_

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "factwire/values.h"

namespace factwire {

// The value as a JSON tree (explain, rule examples, tests); null for std::monostate.
// An integral amount is a JSON integer. A fractional one is the nearest double, which
// nlohmann prints with the same digits up to 15 significant ones; AppendJson is exact.
nlohmann::json ToJson(const Value& value);

// The same JSON, compact, appended to `out` (records, the store): amounts are written
// with their exact decimal digits, never through a double. Text that is not UTF-8 is
// replaced, as nlohmann's dump with error_handler_t::replace does.
void AppendJson(const Value& value, std::string* out);
// AppendJson to an empty string.
std::string JsonText(const Value& value);

// `s` as a JSON string, quoted and escaped as nlohmann's dump writes it (UTF-8 kept,
// text that is not UTF-8 replaced), appended to `out`.
void AppendJsonString(std::string_view s, std::string* out);

// Whether ToJson(value) would have the field `key` ("role" of a person with one), without
// building it: what relation frames ask with `from_has`.
bool HasField(const Value& value, std::string_view key);

}  // namespace factwire

#endif  // FACTWIRE_EMIT_VALUE_JSON_H_
