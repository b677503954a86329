// Status: the one error channel of the engine. No exceptions cross unit boundaries.
#pragma once
#include <string>
#include <utility>

namespace tailor {

enum class StatusCode : int {
  kOk = 0,
  kInvalidArgument = 1,  // caller passed something wrong (shape, name, null pointer)
  kInvalidModel = 2,     // the .nb bytes are malformed or inconsistent
  kUnsupported = 3,      // a valid model needs something this build does not have
  kOutOfMemory = 4,
  kInternal = 5,
};

class Status {
 public:
  Status() = default;
  static Status Ok() { return Status(); }
  static Status Invalid(std::string msg) { return Status(StatusCode::kInvalidArgument, std::move(msg)); }
  static Status BadModel(std::string msg) { return Status(StatusCode::kInvalidModel, std::move(msg)); }
  static Status Unsupported(std::string msg) { return Status(StatusCode::kUnsupported, std::move(msg)); }
  static Status NoMemory(std::string msg) { return Status(StatusCode::kOutOfMemory, std::move(msg)); }
  static Status Internal(std::string msg) { return Status(StatusCode::kInternal, std::move(msg)); }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }

 private:
  Status(StatusCode code, std::string msg) : code_(code), message_(std::move(msg)) {}
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

#define TAILOR_RETURN_IF_ERROR(expr)        \
  do {                                      \
    ::tailor::Status _st = (expr);          \
    if (!_st.ok()) return _st;              \
  } while (0)

}  // namespace tailor
