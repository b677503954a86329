// Out-of-line helpers declared in tensor.h, op_desc.h, status.h and format.h.
#include <cstdio>
#include <cstring>
#include <limits>

#include "core/format.h"
#include "core/op_desc.h"
#include "core/status.h"
#include "core/tensor.h"

namespace tailor {

void append_vformat(std::string* out, const char* fmt, va_list ap) {
  va_list again;
  va_copy(again, ap);
  int n = std::vsnprintf(nullptr, 0, fmt, again);
  va_end(again);
  if (n <= 0) return;
  size_t old = out->size();
  out->resize(old + static_cast<size_t>(n));
  std::vsnprintf(&(*out)[old], static_cast<size_t>(n) + 1, fmt, ap);  // the NUL lands on out's terminator
}

void append_format(std::string* out, const char* fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  append_vformat(out, fmt, ap);
  va_end(ap);
}

std::string format(const char* fmt, ...) {
  std::string s;
  va_list ap;
  va_start(ap, fmt);
  append_vformat(&s, fmt, ap);
  va_end(ap);
  return s;
}

void append_dims(std::string* out, const Dims& dims) {
  const char* sep = "[";
  for (int64_t d : dims) {
    append_format(out, "%s%lld", sep, static_cast<long long>(d));
    sep = ", ";
  }
  out->append(dims.empty() ? "[]" : "]");
}

bool one_of(std::string_view s, const char* words) {
  std::string_view rest(words);
  while (!rest.empty()) {
    size_t end = rest.find(' ');
    if (rest.substr(0, end) == s) return true;
    rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
  }
  return false;
}

Status::Status(StatusCode code, std::string msg) : rep_(new Rep{code, std::move(msg)}) {}
Status::Status(const Status& o) : rep_(o.rep_ ? new Rep(*o.rep_) : nullptr) {}
Status& Status::operator=(const Status& o) {
  if (this != &o) *this = Status(o);
  return *this;
}
void Status::release() {
  delete rep_;
  rep_ = nullptr;
}
const std::string& Status::message() const {
  static const std::string kNone;
  return rep_ ? rep_->message : kNone;
}

Status Status::Format(StatusCode code, const char* fmt, ...) {
  std::string msg;
  va_list ap;
  va_start(ap, fmt);
  append_vformat(&msg, fmt, ap);
  va_end(ap);
  return Status(code, std::move(msg));
}

size_t dtype_size(DType t) {
  switch (t) {
    case DType::kBool: case DType::kU8: case DType::kI8: return 1;
    case DType::kI16: case DType::kF16: return 2;
    case DType::kI32: case DType::kF32: return 4;
    case DType::kI64: case DType::kF64: return 8;
  }
  return 0;
}

const char* dtype_name(DType t) {
  switch (t) {
    case DType::kBool: return "bool";
    case DType::kI16: return "int16";
    case DType::kI32: return "int32";
    case DType::kI64: return "int64";
    case DType::kF16: return "float16";
    case DType::kF32: return "float32";
    case DType::kF64: return "float64";
    case DType::kU8: return "uint8";
    case DType::kI8: return "int8";
  }
  return "unknown";
}

// -1 when a dim is negative or the product overflows, so callers can check
// untrusted shapes with one comparison.
int64_t dims_numel(const Dims& d) {
  int64_t n = 1;
  for (int64_t v : d) {
    if (v < 0) return -1;
    if (v != 0 && n > std::numeric_limits<int64_t>::max() / v) return -1;
    n *= v;
  }
  return n;
}

namespace {
// The v-th of the NUL-separated names in `packed` (ended by an empty name), or
// nullptr. A scan rather than a table of pointers: a pointer table costs a
// run-time relocation per name in a shared library.
const char* nth_name(const char* packed, int v) {
  if (v < 0) return nullptr;
  for (; *packed; packed += std::strlen(packed) + 1) {
    if (v-- == 0) return packed;
  }
  return nullptr;
}
const char* target_name(int v) {
  return nth_name("kUnk\0kHost\0kX86\0kCUDA\0kARM\0kOpenCL\0kAny\0kFPGA\0kNPU\0kXPU\0kBM\0kMLU\0kRKNPU\0kAPU\0"
                  "kHuaweiAscendNPU\0kImaginationNNA\0kIntelFPGA\0kMetal\0kNNAdapter\0",
                  v);
}
const char* precision_name(int v) {
  return nth_name("kUnk\0kFloat\0kInt8\0kInt32\0kAny\0kFP16\0kBool\0kInt64\0kInt16\0kUInt8\0kFP64\0", v);
}
const char* layout_name(int v) {
  return nth_name("kUnk\0kNCHW\0kAny\0kNHWC\0kImageDefault\0kImageFolder\0kImageNW\0kMetalTexture2DArray\0"
                  "kMetalTexture2D\0",
                  v);
}
// "/kARM", or "/99" for a value without a name.
void append_enum(std::string* s, const char* name, int v) {
  if (name) {
    append_format(s, "/%s", name);
  } else {
    append_format(s, "/%d", v);
  }
}
}  // namespace

std::string KernelKey::to_string() const {
  std::string s = format("%s/%s", op.c_str(), alias.c_str());
  append_enum(&s, target_name(target), target);
  append_enum(&s, precision_name(precision), precision);
  append_enum(&s, layout_name(layout), layout);
  return s;
}

const Attr* OpDesc::attr(std::string_view name) const {
  auto it = attrs.find(name);
  return it == attrs.end() ? nullptr : &it->second;
}

int64_t OpDesc::get_int(std::string_view name, int64_t def) const {
  const Attr* a = attr(name);
  if (!a) return def;
  switch (a->type) {
    case AttrType::kInt: case AttrType::kLong: case AttrType::kBlock: return a->i;
    case AttrType::kBoolean: return a->b ? 1 : 0;
    default: return def;
  }
}

double OpDesc::get_float(std::string_view name, double def) const {
  const Attr* a = attr(name);
  if (!a) return def;
  switch (a->type) {
    case AttrType::kFloat: case AttrType::kFloat64: return a->f;
    case AttrType::kInt: case AttrType::kLong: return static_cast<double>(a->i);
    default: return def;
  }
}

bool OpDesc::get_bool(std::string_view name, bool def) const {
  const Attr* a = attr(name);
  if (!a) return def;
  switch (a->type) {
    case AttrType::kBoolean: return a->b;
    case AttrType::kInt: case AttrType::kLong: return a->i != 0;
    default: return def;
  }
}

std::string OpDesc::get_string(std::string_view name, const std::string& def) const {
  const Attr* a = attr(name);
  return a && a->type == AttrType::kString ? a->s : def;
}

std::vector<int64_t> OpDesc::get_ints(std::string_view name) const {
  const Attr* a = attr(name);
  if (!a) return {};
  switch (a->type) {
    case AttrType::kInts: case AttrType::kLongs: case AttrType::kBlocks: return a->ints;
    default: return {};
  }
}

std::vector<double> OpDesc::get_floats(std::string_view name) const {
  const Attr* a = attr(name);
  if (!a) return {};
  switch (a->type) {
    case AttrType::kFloats: case AttrType::kFloat64s: return a->floats;
    case AttrType::kInts: case AttrType::kLongs: return std::vector<double>(a->ints.begin(), a->ints.end());
    default: return {};
  }
}

const Slot* OpDesc::input(std::string_view slot) const {
  for (const Slot& s : inputs) {
    if (s.name == slot) return &s;
  }
  return nullptr;
}

const Slot* OpDesc::output(std::string_view slot) const {
  for (const Slot& s : outputs) {
    if (s.name == slot) return &s;
  }
  return nullptr;
}

}  // namespace tailor
