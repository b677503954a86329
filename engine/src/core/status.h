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

// One pointer wide: null when ok, so passing, moving and testing a status
// (which every call in the engine does) costs a few instructions; the message
// lives on the heap only on failure. Out-of-line parts are in core_types.cc.
class Status {
 public:
  Status() = default;
  Status(Status&& o) noexcept : rep_(o.rep_) { o.rep_ = nullptr; }
  Status& operator=(Status&& o) noexcept {
    Rep* r = rep_;
    rep_ = o.rep_;
    o.rep_ = r;
    return *this;
  }
  Status(const Status& o);
  Status& operator=(const Status& o);
  // Always inlined: after a test of ok() the compiler then knows rep_ and
  // drops the call; at -Os GCC would otherwise call it after every check.
  __attribute__((always_inline)) ~Status() {
    if (rep_) release();
  }

  static Status Ok() { return Status(); }
  static Status Invalid(std::string msg) { return Status(StatusCode::kInvalidArgument, std::move(msg)); }
  static Status BadModel(std::string msg) { return Status(StatusCode::kInvalidModel, std::move(msg)); }
  static Status Unsupported(std::string msg) { return Status(StatusCode::kUnsupported, std::move(msg)); }
  static Status NoMemory(std::string msg) { return Status(StatusCode::kOutOfMemory, std::move(msg)); }
  static Status Internal(std::string msg) { return Status(StatusCode::kInternal, std::move(msg)); }
  // A printf-style message formatted out of line: one call at the error site
  // instead of a chain of std::string temporaries. `code` is not kOk.
  static Status Format(StatusCode code, const char* fmt, ...) __attribute__((format(printf, 2, 3)));

  bool ok() const { return rep_ == nullptr; }
  StatusCode code() const { return rep_ ? rep_->code : StatusCode::kOk; }
  const std::string& message() const;  // "" when ok

 private:
  struct Rep {
    StatusCode code;
    std::string message;
  };
  Status(StatusCode code, std::string msg);
  void release();
  Rep* rep_ = nullptr;
};

#define TAILOR_RETURN_IF_ERROR(expr)        \
  do {                                      \
    ::tailor::Status _st = (expr);          \
    if (!_st.ok()) return _st;              \
  } while (0)

}  // namespace tailor
