#include "resolve/resolver.h"

#include "resolve/blockers.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

namespace factwire {
namespace {

// The obvious quadratic version of SelectFlat: go through the contenders in order of
// preference and keep each one that overlaps nothing kept so far.
std::vector<size_t> ReferenceSelectFlat(const std::vector<Contender>& contenders) {
  std::vector<size_t> order(contenders.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    const auto key = [&](size_t i) {
      const Contender& c = contenders[i];
      return std::make_tuple(-static_cast<int64_t>(c.end - c.begin), -c.priority, c.begin, i);
    };
    return key(a) < key(b);
  });
  std::vector<size_t> kept;
  for (size_t i : order) {
    bool overlaps = false;
    for (size_t k : kept) overlaps |= contenders[i].begin < contenders[k].end && contenders[k].begin < contenders[i].end;
    if (!overlaps) kept.push_back(i);
  }
  std::sort(kept.begin(), kept.end(), [&](size_t a, size_t b) { return contenders[a].begin < contenders[b].begin; });
  return kept;
}

TEST(SelectFlatTest, LongestWinsThenPriorityThenEarliest) {
  struct Case {
    const char* name;
    std::vector<Contender> contenders;
    std::vector<size_t> winners;
  };
  const Case cases[] = {
      {"money 'US$1.1bn' beats country 'US' inside it", {{0, 2, 10}, {0, 8, 20}}, {1}},
      {"longer beats higher priority", {{0, 4, 100}, {2, 9, 1}}, {1}},
      {"same span: higher priority", {{3, 8, 5}, {3, 8, 7}}, {1}},
      {"same length, same priority: earlier start", {{0, 4, 0}, {2, 6, 0}}, {0}},
      {"disjoint spans all win, in text order", {{10, 12, 0}, {0, 3, 0}, {3, 5, 0}}, {1, 2, 0}},
      {"touching is not overlapping", {{0, 5, 0}, {5, 9, 0}}, {0, 1}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(SelectFlat(c.contenders), c.winners);
  }
}

TEST(SelectFlatTest, AgreesWithTheReferenceOnGeneratedSpans) {
  std::mt19937 random(7);
  for (int round = 0; round < 2000; ++round) {
    std::vector<Contender> contenders(random() % 30);
    for (auto& c : contenders) {
      c.begin = random() % 60;
      c.end = c.begin + random() % 13;  // empty ones too: they lose only strictly inside a winner
      c.priority = static_cast<int>(random() % 3);
    }
    std::vector<int64_t> loser_of;
    const std::vector<size_t> winners = SelectFlat(contenders, &loser_of);
    ASSERT_EQ(winners, ReferenceSelectFlat(contenders)) << "round " << round;
    for (size_t i = 0; i < contenders.size(); ++i) {
      const bool won = std::find(winners.begin(), winners.end(), i) != winners.end();
      EXPECT_EQ(won, loser_of[i] < 0) << "every loser names its winner";
    }
  }
}

// A contender put out by may_win is as if it had never competed: the winners are the
// reference's over the others.
TEST(SelectFlatTest, ContendersPutOutByMayWinAreAsIfAbsent) {
  std::mt19937 random(11);
  for (int round = 0; round < 2000; ++round) {
    std::vector<Contender> contenders(random() % 30);
    std::vector<bool> out(contenders.size());
    for (size_t i = 0; i < contenders.size(); ++i) {
      contenders[i].begin = random() % 60;
      contenders[i].end = contenders[i].begin + random() % 13;
      contenders[i].priority = static_cast<int>(random() % 3);
      out[i] = random() % 3 == 0;
    }
    std::vector<Contender> others;
    std::vector<size_t> index_of;  // in `contenders`, of each of `others`
    for (size_t i = 0; i < contenders.size(); ++i)
      if (!out[i]) {
        others.push_back(contenders[i]);
        index_of.push_back(i);
      }
    std::vector<size_t> expected;
    for (size_t k : ReferenceSelectFlat(others)) expected.push_back(index_of[k]);
    std::vector<size_t> asked;
    const std::vector<size_t> winners = SelectFlat(contenders, nullptr, [&](size_t i) {
      asked.push_back(i);
      return !out[i];
    });
    ASSERT_EQ(winners, expected) << "round " << round;
    for (size_t w : winners) EXPECT_NE(std::find(asked.begin(), asked.end(), w), asked.end()) << "every winner was asked";
  }
}

// The obvious quadratic version of BlockerIndex::Covering: any blocker of the type that
// starts at or before the span and ends at or after it.
struct ReferenceBlocker {
  std::string type;
  uint32_t begin;
  uint32_t end;
};
bool ReferenceCovered(const std::vector<ReferenceBlocker>& blockers, std::string_view type, uint32_t begin, uint32_t end) {
  for (const ReferenceBlocker& b : blockers)
    if (b.type == type && b.begin <= begin && end <= b.end) return true;
  return false;
}

TEST(BlockerIndexTest, CoversOnlyWithinItsOwnType) {
  BlockerIndex index;
  index.Add("country", 4, 14, 0);  // "New Jersey" blocks the country "Jersey"
  index.Add("date", 20, 32, 1);    // "Horizon 2020" blocks the date "2020"
  index.Finish();
  EXPECT_EQ(index.Covering("country", 8, 14), std::optional<size_t>(0));
  EXPECT_EQ(index.Covering("country", 0, 14), std::nullopt) << "a longer fact across a blocker wins";
  EXPECT_EQ(index.Covering("date", 8, 14), std::nullopt) << "another type's blocker";
  EXPECT_EQ(index.Covering("org", 20, 32), std::nullopt);
  EXPECT_EQ(index.Covering("date", 28, 32), std::optional<size_t>(1));
}

TEST(BlockerIndexTest, AgreesWithTheReferenceOnGeneratedSpans) {
  const char* const types[] = {"country", "date", "org"};
  std::mt19937 random(11);
  for (int round = 0; round < 2000; ++round) {
    std::vector<ReferenceBlocker> blockers(random() % 20);
    BlockerIndex index;
    for (size_t i = 0; i < blockers.size(); ++i) {
      ReferenceBlocker& b = blockers[i];
      b.type = types[random() % 3];
      b.begin = random() % 60;
      b.end = b.begin + 1 + random() % 15;
      index.Add(b.type, b.begin, b.end, i);
    }
    index.Finish();
    for (int probe = 0; probe < 30; ++probe) {
      const std::string_view type = types[random() % 3];
      const uint32_t begin = random() % 70;
      const uint32_t end = begin + 1 + random() % 10;
      const std::optional<size_t> by = index.Covering(type, begin, end);
      ASSERT_EQ(by.has_value(), ReferenceCovered(blockers, type, begin, end))
          << "round " << round << ": " << type << " [" << begin << "," << end << ")";
      if (by) {  // the blocker named really covers the span
        ASSERT_LT(*by, blockers.size());
        EXPECT_EQ(blockers[*by].type, type);
        EXPECT_LE(blockers[*by].begin, begin);
        EXPECT_GE(blockers[*by].end, end);
      }
    }
  }
}

}  // namespace
}  // namespace factwire
