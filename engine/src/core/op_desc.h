// OpDesc: one operator of the loaded program, as the loader decoded it.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace tailor {

// Paddle's AttrType values.
enum class AttrType : int {
  kInt = 0, kFloat = 1, kString = 2, kInts = 3, kFloats = 4, kStrings = 5, kBoolean = 6,
  kBooleans = 7, kBlock = 8, kLong = 9, kBlocks = 10, kLongs = 11, kFloat64s = 12,
  kVar = 13, kVars = 14, kFloat64 = 15,
};

// One attribute. Integers (INT, LONG, BLOCK) live in `i`/`ints`, reals (FLOAT,
// FLOAT64) in `f`/`floats`, so kernels need not care about Paddle's width.
struct Attr {
  AttrType type = AttrType::kInt;
  int64_t i = 0;
  double f = 0;
  bool b = false;
  std::string s;
  std::vector<int64_t> ints;
  std::vector<double> floats;
  std::vector<std::string> strings;
  std::vector<bool> bools;
};

// Paddle Lite's place enums as written in `__@kernel_type_attr@__`.
enum class Target : int { kUnk = 0, kHost = 1, kX86 = 2, kCUDA = 3, kARM = 4, kOpenCL = 5, kAny = 6 };
enum class Precision : int {
  kUnk = 0, kFloat = 1, kInt8 = 2, kInt32 = 3, kAny = 4, kFP16 = 5, kBool = 6, kInt64 = 7,
  kInt16 = 8, kUInt8 = 9, kFP64 = 10,
};

struct KernelKey {
  std::string op;
  std::string alias;
  int target = 0;
  int precision = 0;
  int layout = 0;
  std::string to_string() const;  // "conv2d/def/kARM/kFloat/kNCHW"
};

struct Slot {
  std::string name;                // e.g. "Input", "Filter"
  std::vector<std::string> args;   // variable names as written in the program
};

class OpDesc {
 public:
  std::string type;
  KernelKey key;
  std::vector<Slot> inputs;
  std::vector<Slot> outputs;
  std::map<std::string, Attr, std::less<>> attrs;

  const Attr* attr(std::string_view name) const;
  bool has_attr(std::string_view name) const { return attr(name) != nullptr; }
  // Typed getters: return `def` when the attribute is absent; a present attribute
  // of an incompatible type also yields `def` (the kernel's infer() validates).
  int64_t get_int(std::string_view name, int64_t def) const;
  double get_float(std::string_view name, double def) const;
  bool get_bool(std::string_view name, bool def) const;
  std::string get_string(std::string_view name, const std::string& def) const;
  std::vector<int64_t> get_ints(std::string_view name) const;  // empty when absent
  std::vector<double> get_floats(std::string_view name) const;

  const Slot* input(std::string_view slot) const;
  const Slot* output(std::string_view slot) const;
};

}  // namespace tailor
