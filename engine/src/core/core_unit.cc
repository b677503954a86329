// The catalog's `core` unit serves feed and fetch so that the selector sees
// every op of a model served. The executor moves data in and out of the
// program itself and never asks the registry for these two ops; this factory
// exists only because every serving unit needs an entry point.
#include "core/kernel.h"

namespace tailor {
namespace kernels {
namespace core {

Status create(const KernelInit& init, std::unique_ptr<Kernel>* out) {
  out->reset();
  return Status::Format(StatusCode::kInternal, "%s is executed by the engine core, not by a kernel", init.op().type.c_str());
}

}  // namespace core
}  // namespace kernels
}  // namespace tailor
