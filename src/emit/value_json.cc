#include "emit/value_json.h"

#include <algorithm>
#include <charconv>

namespace factwire {
namespace {

// Builds a JSON tree.
class TreeSink {
 public:
  explicit TreeSink(nlohmann::json* object) : object_(object) { *object_ = nlohmann::json::object(); }
  void Field(const char* key, const std::string& s) { (*object_)[key] = s; }
  void Field(const char* key, bool b) { (*object_)[key] = b; }
  void Field(const char* key, int n) { (*object_)[key] = n; }
  void Field(const char* key, const Decimal& d) {
    if (d.IsInteger()) {
      (*object_)[key] = d.units();
      return;
    }
    const std::string text = d.ToString();
    double nearest = 0;
    std::from_chars(text.data(), text.data() + text.size(), nearest);
    (*object_)[key] = nearest;
  }
  template <typename Fields>
  void Object(const char* key, const Fields& fields) {
    TreeSink inner(&(*object_)[key]);
    fields(inner);
  }

 private:
  nlohmann::json* object_;
};

// Writes compact JSON text, as nlohmann's dump() would for the tree, but with amounts'
// exact digits.
class TextSink {
 public:
  explicit TextSink(std::string* out) : out_(out) { out_->push_back('{'); }
  ~TextSink() { out_->push_back('}'); }
  TextSink(const TextSink&) = delete;
  TextSink& operator=(const TextSink&) = delete;

  void Field(const char* key, const std::string& s) {
    Key(key);
    AppendJsonString(s, out_);
  }
  void Field(const char* key, bool b) {
    Key(key);
    out_->append(b ? "true" : "false");
  }
  void Field(const char* key, int n) {
    Key(key);
    out_->append(std::to_string(n));
  }
  void Field(const char* key, const Decimal& d) {
    Key(key);
    out_->append(d.ToString());
  }
  template <typename Fields>
  void Object(const char* key, const Fields& fields) {
    Key(key);
    TextSink inner(out_);
    fields(inner);
  }

 private:
  void Key(const char* key) {
    out_->append(first_ ? "\"" : ",\"").append(key).append("\":");
    first_ = false;
  }
  std::string* out_;
  bool first_ = true;
};

// Notes whether the value has one field, building nothing.
class ProbeSink {
 public:
  explicit ProbeSink(std::string_view key) : key_(key) {}
  template <typename T>
  void Field(const char* key, const T& /*value*/) {
    found_ |= key_ == key;
  }
  template <typename Fields>
  void Object(const char* key, const Fields& /*fields*/) {
    found_ |= key_ == key;
  }
  bool found() const { return found_; }

 private:
  std::string_view key_;
  bool found_ = false;
};

template <typename Sink, typename T>
void Optional(Sink& sink, const char* key, const std::optional<T>& field) {
  if (field) sink.Field(key, *field);
}

// Each type's fields, in byte order of their names (the order of an nlohmann object).
template <typename Sink>
void Fields(const MoneyValue& v, Sink& sink) {
  sink.Field("amount", v.amount);
  Optional(sink, "approx", v.approx);
  sink.Field("currency", v.currency);
  Optional(sink, "max", v.max);
  Optional(sink, "min", v.min);
}
template <typename Sink>
void Fields(const DateValue& v, Sink& sink) {
  if (v.fiscal) sink.Field("fiscal", true);
  sink.Field("grain", v.grain);
  Optional(sink, "iso", v.iso);
  Optional(sink, "mod", v.mod);
  if (v.shift_from_previous)  // only before ResolveDateReferences: explain shows it
    sink.Object("shift_from_previous", [&](auto& inner) {
      inner.Field("by", v.shift_from_previous->by);
      inner.Field("unit", v.shift_from_previous->unit);
    });
}
template <typename Sink>
void Fields(const CountryValue& v, Sink& sink) {
  sink.Field("iso2", v.iso2);
  sink.Field("name", v.name);
}
template <typename Sink>
void Fields(const SiteValue& v, Sink& sink) {
  Optional(sink, "country", v.country);
  Optional(sink, "kind", v.kind);
  sink.Field("name", v.name);
}
template <typename Sink>
void Fields(const ProgrammeValue& v, Sink& sink) {
  Optional(sink, "kind", v.kind);
  sink.Field("name", v.name);
}
template <typename Sink>
void Fields(const OrgValue& v, Sink& sink) {
  sink.Field("name", v.name);
}
template <typename Sink>
void Fields(const PersonValue& v, Sink& sink) {
  sink.Field("name", v.name);
  Optional(sink, "role", v.role);
}

}  // namespace

nlohmann::json ToJson(const Value& value) {
  nlohmann::json out;
  std::visit(
      [&](const auto& v) {
        if constexpr (!std::is_same_v<std::decay_t<decltype(v)>, std::monostate>) {
          TreeSink sink(&out);
          Fields(v, sink);
        }
      },
      value);
  return out;
}

void AppendJsonString(std::string_view s, std::string* out) {
  // Most strings are printable ASCII with nothing to escape; the rest go through nlohmann.
  const bool plain = std::all_of(s.begin(), s.end(), [](char c) { return c >= 0x20 && c < 0x7f && c != '"' && c != '\\'; });
  if (plain) {
    out->push_back('"');
    out->append(s);
    out->push_back('"');
    return;
  }
  out->append(nlohmann::json(std::string(s)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

bool HasField(const Value& value, std::string_view key) {
  ProbeSink sink(key);
  std::visit(
      [&](const auto& v) {
        if constexpr (!std::is_same_v<std::decay_t<decltype(v)>, std::monostate>) Fields(v, sink);
      },
      value);
  return sink.found();
}

void AppendJson(const Value& value, std::string* out) {
  std::visit(
      [&](const auto& v) {
        if constexpr (std::is_same_v<std::decay_t<decltype(v)>, std::monostate>) {
          out->append("null");
        } else {
          TextSink sink(out);
          Fields(v, sink);
        }
      },
      value);
}

std::string JsonText(const Value& value) {
  std::string out;
  AppendJson(value, &out);
  return out;
}

}  // namespace factwire
