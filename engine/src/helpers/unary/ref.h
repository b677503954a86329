// unary.ref: the kernel behind every float32 elementwise op Out = f(X) — activation
// ops (f = their epilogue) and simple math ops (f defined in the op's own unit).
#pragma once
#include <memory>

#include "core/kernel.h"

namespace tailor {
namespace helpers {
namespace unary_ref {

// A kernel reading slot X and writing Out (same shape): copies X into Out, then
// applies `f` in place. `f.fn` must be non-null.
Status create(const Activation& f, std::unique_ptr<Kernel>* out);

// For activation ops: resolves the epilogue for `act_name` through `init` (the unit
// must `require` it in the catalog), then lets `set_params` overwrite its parameters
// from the op's own attributes (activation ops use plain names such as `threshold`).
Status create_activation_op(const KernelInit& init, const char* act_name,
                            void (*set_params)(const OpDesc& op, Activation* act),
                            std::unique_ptr<Kernel>* out);

}  // namespace unary_ref
}  // namespace helpers
}  // namespace tailor
