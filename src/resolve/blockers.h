// Spans that stop facts of their own type inside them: blocking rules ("New Jersey"
// blocks the country Jersey) and vetoed hits ("Jordan" in "Jordan Smith").
//
// Add every blocker, call Finish once, then ask Covering as often as needed: each
// question is a binary search over the blockers of one type, sorted by start, with the
// furthest end reached so far.
//
// Thread-safety: Covering may be called concurrently after Finish; Add and Finish not.
#ifndef FACTWIRE_RESOLVE_BLOCKERS_H_
#define FACTWIRE_RESOLVE_BLOCKERS_H_

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace factwire {

class BlockerIndex {
 public:
  // A blocker of `type` over [begin, end), known to the caller as `id`.
  void Add(std::string_view type, uint32_t begin, uint32_t end, size_t id);
  void Finish();
  // The id of a blocker of `type` with begin <= `begin` and `end` <= its end, or
  // nullopt. (A longer fact across a blocker still wins: "New Guinea" does not stop
  // "Papua New Guinea".) Of several, the one starting at or before `begin` that reaches
  // furthest.
  std::optional<size_t> Covering(std::string_view type, uint32_t begin, uint32_t end) const;

 private:
  struct Entry {
    uint32_t begin;
    uint32_t end;
    size_t id;
    size_t furthest = 0;  // index of the entry reaching furthest among this one and those before
    uint32_t end_of_furthest = 0;
  };
  std::map<std::string, std::vector<Entry>, std::less<>> by_type_;
};

}  // namespace factwire

#endif  // FACTWIRE_RESOLVE_BLOCKERS_H_
