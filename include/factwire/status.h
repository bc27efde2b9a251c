// Errors as values. No exception crosses a stage boundary: a stage that can fail returns
// a Status, or a Result<T> holding either a value or the Status that explains why not.
// A Status names where the problem is (a rule file and line, an input file and line, an
// article id) so a message can be acted on without a debugger.
//
// Thread-safety: plain values; copy freely.
#ifndef FACTWIRE_INCLUDE_FACTWIRE_STATUS_H_
#define FACTWIRE_INCLUDE_FACTWIRE_STATUS_H_

#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace factwire {

class Status {
 public:
  enum class Code { kOk, kInvalidInput, kRuleError, kIoError, kUsage };

  Status() = default;
  static Status InvalidInput(std::string message) { return {Code::kInvalidInput, std::move(message)}; }
  static Status RuleError(std::string message) { return {Code::kRuleError, std::move(message)}; }
  static Status IoError(std::string message) { return {Code::kIoError, std::move(message)}; }
  static Status Usage(std::string message) { return {Code::kUsage, std::move(message)}; }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }

  // Returns a copy whose message starts with `where: ` (a file, file:line or article id).
  Status At(const std::string& where) const { return {code_, where + ": " + message_}; }

 private:
  Status(Code code, std::string message) : code_(code), message_(std::move(message)) {}
  Code code_ = Code::kOk;
  std::string message_;
};

// Either a T or a non-ok Status, like std::expected (which C++20 lacks).
template <typename T>
class Result {
 public:
  Result(T value) : value_(std::move(value)) {}
  Result(Status status) : status_(std::move(status)) {}

  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }
  T& value() & { return *value_; }
  const T& value() const& { return *value_; }
  T&& value() && { return std::move(*value_); }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }
  T& operator*() { return *value_; }

 private:
  std::optional<T> value_;
  Status status_;
};

}  // namespace factwire

#endif  // FACTWIRE_INCLUDE_FACTWIRE_STATUS_H_
