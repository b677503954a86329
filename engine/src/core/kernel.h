// The kernel interface: what every tailorable unit implements.
//
// A kernel unit is one translation unit (op type x precision x implementation)
// in its own namespace `tailor::kernels::<unit id>` (the catalog name with '.'
// and '-' replaced by '_'), exposing one factory function that the generated
// registry references. Kernels hold no global state and have no static
// initializers: a kernel absent from the registry is never referenced, so the
// linker drops it.
#pragma once
#include <cstddef>
#include <memory>
#include <string_view>

#include "core/op_desc.h"
#include "core/status.h"
#include "core/tensor.h"

namespace tailor {

// A fused activation applied in place after a kernel's main computation
// (conv with_act, fusion_elementwise_*_activation). Parameters are decoded by
// core from Paddle's attribute names; the function comes from the epilogue unit
// the registry holds for that activation.
struct Activation {
  using Fn = void (*)(float* data, int64_t n, const Activation& act);
  Fn fn = nullptr;     // nullptr: identity
  float alpha = 0;     // leaky_relu slope, relu6 / clip threshold, hard_swish threshold, swish beta, elu alpha
  float beta = 0;      // hard_swish scale, hard_sigmoid slope
  float gamma = 0;     // hard_swish offset, hard_sigmoid offset
  void apply(float* data, int64_t n) const { if (fn) fn(data, n, *this); }
};

// What a factory sees when the predictor creates a kernel for an op.
class KernelInit {
 public:
  explicit KernelInit(const OpDesc& op) : op_(op) {}
  virtual ~KernelInit() = default;
  const OpDesc& op() const { return op_; }
  // Resolves an activation by Paddle name ("relu", "relu6", "leaky_relu",
  // "hard_swish", ...), reading its parameters from this op's attributes.
  // Empty name or "identity" gives the identity. Fails with kUnsupported when
  // this build lacks the epilogue unit.
  virtual Status activation(std::string_view act_type, Activation* out) const = 0;

 private:
  const OpDesc& op_;
};

// Access to an op's tensors. The same context type is used by infer() (shapes
// known; data known only for constants) and run() (all data bound).
class OpContext {
 public:
  virtual ~OpContext() = default;
  virtual const OpDesc& op() const = 0;
  // Number of variables in an input/output slot; 0 when the slot is absent.
  virtual int input_count(std::string_view slot) const = 0;
  virtual int output_count(std::string_view slot) const = 0;
  // nullptr when slot/index is absent. During infer(), input(...)->raw() is
  // non-null only for constants (parameters and values folded at plan time).
  virtual const Tensor* input(std::string_view slot, int i = 0) const = 0;
  virtual Tensor* output(std::string_view slot, int i = 0) = 0;
  // infer(): ask for per-run scratch memory; run(): get it (aligned to 64 bytes).
  virtual void request_scratch(size_t bytes) = 0;
  virtual void* scratch() const = 0;
  // run(): tells the executor this run changed output dims (see Kernel::run).
  virtual void outputs_resized() = 0;
};

class Kernel {
 public:
  virtual ~Kernel() = default;
  // Validates inputs/attributes against shapes and declares every output's
  // dtype and dims with output(...)->set_shape(). Must not touch data of
  // non-constant inputs. Called at load and whenever an input shape changes.
  virtual Status infer(OpContext& ctx) = 0;
  // Computes outputs. Shapes are those declared by the last infer(). An op whose
  // output size depends on the data (NMS) declares the largest in infer() and
  // may shrink an output with set_shape() in run(), then calls
  // ctx.outputs_resized(): the executor infers the later ops again, which must
  // fit the memory planned for the first shapes.
  virtual Status run(OpContext& ctx) = 0;
};

using KernelFactory = Status (*)(const KernelInit& init, std::unique_ptr<Kernel>* out);

}  // namespace tailor
