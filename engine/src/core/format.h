// String helpers of the core (defined in core_types.cc). printf into
// std::string for error messages and diagnostics: cheaper in code than
// std::to_string + operator+ chains, which expand inline at every call site.
#pragma once
#include <cstdarg>
#include <string>
#include <string_view>

#include "core/tensor.h"

namespace tailor {

void append_vformat(std::string* out, const char* fmt, va_list ap);
void append_format(std::string* out, const char* fmt, ...) __attribute__((format(printf, 2, 3)));
std::string format(const char* fmt, ...) __attribute__((format(printf, 1, 2)));
// "[1, 3, 224, 224]"
void append_dims(std::string* out, const Dims& dims);
// Whether `s` is one of the space-separated `words` ("conv2d depthwise_conv2d"):
// one call instead of a chain of inline string comparisons.
bool one_of(std::string_view s, const char* words);

}  // namespace tailor
