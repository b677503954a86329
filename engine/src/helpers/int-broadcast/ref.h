// int-broadcast.ref: integer (int32 / int64) binary elementwise ops X (op) Y -> Out with Paddle's
// `axis` broadcasting (the plan of broadcast.ref), for ops such as elementwise_floordiv / _mod whose
// Lite kernels are integer-only.
#pragma once
#include <cstdint>
#include <memory>

#include "core/kernel.h"

namespace tailor {
namespace helpers {
namespace int_broadcast_ref {

// The math of one op over a run: out[i] = x[i*xs] (op) y[i*ys], i < n. Returns false, leaving the
// rest of the run unwritten, when an operand pair has no result (a zero divisor).
using RunI32 = bool (*)(const int32_t* x, int64_t xs, const int32_t* y, int64_t ys, int32_t* out,
                        int64_t n);
using RunI64 = bool (*)(const int64_t* x, int64_t xs, const int64_t* y, int64_t ys, int64_t* out,
                        int64_t n);

// A kernel for X and Y of the same dtype, int32 or int64; Out has that dtype. `undefined` says
// what a false return from the run functions means (e.g. "division by zero").
Status create(RunI32 run_i32, RunI64 run_i64, const char* undefined, std::unique_ptr<Kernel>* out);

}  // namespace int_broadcast_ref
}  // namespace helpers
}  // namespace tailor
