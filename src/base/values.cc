#include "factwire/values.h"

#include <algorithm>

namespace factwire {
namespace {

constexpr int kMaxScale = 18;

// 10^n for n in [0, 18].
int64_t Pow10(int n) {
  int64_t p = 1;
  while (n-- > 0) p *= 10;
  return p;
}

// `units` with `extra` more digits after the point (units * 10^extra), or false.
bool Widen(int64_t units, int extra, int64_t* out) {
  return extra <= kMaxScale && !__builtin_mul_overflow(units, Pow10(extra), out);
}

}  // namespace

std::optional<Decimal> Decimal::FromUnits(int64_t units, int scale) {
  if (scale < 0 || scale > kMaxScale) return std::nullopt;
  while (scale > 0 && units % 10 == 0) {  // normalise: 1.50 is 1.5
    units /= 10;
    --scale;
  }
  return Decimal(units, scale);
}

std::optional<Decimal> Decimal::Parse(std::string_view text) {
  const bool negative = text.starts_with('-');
  if (negative) text.remove_prefix(1);
  const size_t point = text.find('.');
  if (text.empty() || point == 0 || point + 1 == text.size()) return std::nullopt;
  int64_t units = 0;
  int scale = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if (i == point) continue;
    const char c = text[i];
    if (c < '0' || c > '9') return std::nullopt;
    if (__builtin_mul_overflow(units, 10, &units) || __builtin_add_overflow(units, c - '0', &units)) return std::nullopt;
    scale += point != std::string_view::npos && i > point;
  }
  return FromUnits(negative ? -units : units, scale);
}

std::optional<Decimal> Decimal::Plus(const Decimal& other) const {
  const int scale = std::max(scale_, other.scale_);
  int64_t a = 0, b = 0, sum = 0;
  if (!Widen(units_, scale - scale_, &a) || !Widen(other.units_, scale - other.scale_, &b) ||
      __builtin_add_overflow(a, b, &sum))
    return std::nullopt;
  return FromUnits(sum, scale);
}

std::optional<Decimal> Decimal::Times(const Decimal& other) const {
  int64_t product = 0;
  if (__builtin_mul_overflow(units_, other.units_, &product)) return std::nullopt;
  return FromUnits(product, scale_ + other.scale_);
}

std::string Decimal::ToString() const {
  std::string digits = std::to_string(units_ < 0 ? -(units_ + 1) + uint64_t{1} : uint64_t(units_));
  const size_t scale = static_cast<size_t>(scale_);
  if (digits.size() <= scale) digits = std::string(scale + 1 - digits.size(), '0') + digits;  // 0.05
  // Built by appending: insert() trips a GCC 12 -Wrestrict false positive.
  std::string out = units_ < 0 ? "-" : "";
  out.append(digits, 0, digits.size() - scale);
  if (scale > 0) out.append(".").append(digits, digits.size() - scale);
  return out;
}

std::strong_ordering operator<=>(const Decimal& a, const Decimal& b) {
  // Compare at the larger scale; when a side does not fit there it is the larger in size.
  const int scale = std::max(a.scale_, b.scale_);
  int64_t x = 0, y = 0;
  const bool x_fits = Widen(a.units_, scale - a.scale_, &x);
  const bool y_fits = Widen(b.units_, scale - b.scale_, &y);
  if (x_fits && y_fits) return x <=> y;
  // Only the side at the smaller scale is widened, so only one can overflow; its sign
  // says which way.
  if (!x_fits) return a.units_ < 0 ? std::strong_ordering::less : std::strong_ordering::greater;
  return b.units_ < 0 ? std::strong_ordering::greater : std::strong_ordering::less;
}

std::string_view NameOf(const Value& value) {
  return std::visit(
      [](const auto& v) -> std::string_view {
        if constexpr (requires { v.name; }) return v.name;
        return {};
      },
      value);
}

}  // namespace factwire
