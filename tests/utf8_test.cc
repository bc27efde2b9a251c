#include "base/utf8.h"

#include <gtest/gtest.h>

namespace factwire {
namespace {

struct RepairCase {
  const char* name;
  std::string input;
  std::string repaired;
  size_t invalid;
};

TEST(Utf8Test, RepairReplacesEachInvalidSequenceWithOneReplacementCharacter) {
  const std::string fffd = "\xEF\xBF\xBD";
  const RepairCase cases[] = {
      // -- valid text passes through untouched
      {"ascii", "plain", "plain", 0},
      {"multibyte", "€1.5bn in Türkiye", "€1.5bn in Türkiye", 0},
      // -- invalid bytes
      {"lone continuation byte", "a\x80z", "a" + fffd + "z", 1},
      {"truncated sequence at end", "a\xE2\x82", "a" + fffd, 1},
      {"overlong encoding", "\xC0\xAF", fffd + fffd, 2},
      {"surrogate", "\xED\xA0\x80", fffd + fffd + fffd, 3},
      {"latin-1 byte", "caf\xE9 au lait", "caf" + fffd + " au lait", 1},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(IsValidUtf8(c.input), c.invalid == 0);
    const Utf8Repair repair = RepairUtf8(c.input);
    EXPECT_EQ(repair.text, c.repaired);
    EXPECT_EQ(repair.invalid_count, c.invalid);
    EXPECT_TRUE(IsValidUtf8(repair.text));
  }
}

TEST(Utf8Test, CodePointCursorCountsCodePointsNotBytes) {
  const std::string text = "a€b😀c";  // 1 + 3 + 1 + 4 + 1 bytes
  CodePointCursor cursor(text);
  EXPECT_EQ(cursor.ToCodePoint(0), 0u);
  EXPECT_EQ(cursor.ToCodePoint(1), 1u);
  EXPECT_EQ(cursor.ToCodePoint(4), 2u);
  EXPECT_EQ(cursor.ToCodePoint(9), 4u);
  EXPECT_EQ(cursor.ToCodePoint(10), 5u);
  EXPECT_EQ(cursor.ToCodePoint(4), 2u);  // going back restarts rather than lying
  EXPECT_EQ(CountCodePoints(text), 5u);
}

}  // namespace
}  // namespace factwire
