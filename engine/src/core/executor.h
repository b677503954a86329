// Predictor: one inference stream over a shared Model — the kernels, the
// shapes for the current input shapes, constants folded at plan time, and
// the activation arena.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "core/aligned_buffer.h"
#include "core/kernel.h"
#include "core/model.h"

namespace tailor {

// Upper bound on any one plan's memory: a tensor, the arena, the folded
// constants, the scratch buffer. Shapes come from untrusted files; this keeps
// a hostile shape a status instead of an out-of-memory kill.
// Fuzz builds lower it (-DTAILOR_MAX_PLAN_BYTES=...) to keep executions fast.
#ifndef TAILOR_MAX_PLAN_BYTES
#define TAILOR_MAX_PLAN_BYTES (size_t{1} << 30)
#endif
constexpr size_t kMaxPlanBytes = TAILOR_MAX_PLAN_BYTES;

class Predictor {
 public:
  // The predictor holds a reference to `model` (ModelRef) for its lifetime.
  static Status create(const Model* model, std::unique_ptr<Predictor>* out);
  ~Predictor();

  const Model& model() const { return *model_; }
  size_t num_inputs() const { return model_->inputs.size(); }
  size_t num_outputs() const { return model_->outputs.size(); }
  const Dims& input_dims(size_t i) const { return input_dims_[i]; }
  // Output tensor (shape of the current plan, data of the last run).
  const Tensor& output(size_t i) const { return tensors_[static_cast<size_t>(model_->outputs[i].value)]; }

  // Copies float32 data into input i, converting to the feed's dtype; a new
  // shape re-plans (other inputs keep their data).
  Status set_input(size_t i, const float* data, const Dims& dims);
  Status run();
  // Output i as float32; *count receives the element count even on failure.
  Status get_output(size_t i, float* dst, size_t capacity, size_t* count) const;

  size_t arena_bytes() const { return arena_size_; }
  size_t scratch_bytes() const { return scratch_.size(); }
  size_t constant_bytes() const { return constant_bytes_; }
  bool op_folded(size_t op) const { return op < folded_.size() && folded_[op]; }

 private:
  class Context;
  class Init;
  explicit Predictor(const Model* model);
  Status plan();
  // Runs op `op`. With `reinfer`, first infers its shapes again and checks they fit the memory planned
  // for them; sets *reshaped when the kernel reports it changed output dims (see run()).
  Status run_op(size_t op, bool reinfer, bool* reshaped);

  ModelRef model_;  // first: released after the kernels that may point into it
  std::vector<std::unique_ptr<Kernel>> kernels_;  // per op; null for feed / fetch
  std::vector<Tensor> tensors_;                   // per SSA value
  std::vector<char> is_const_;                    // per value: parameter or folded
  std::vector<char> folded_;                      // per op: ran at plan time
  std::vector<size_t> capacity_;                  // per value: bytes of storage the plan bound to it
  std::vector<Dims> input_dims_;
  std::vector<AlignedBuffer> constants_;          // storage of folded values
  size_t constant_bytes_ = 0;
  AlignedBuffer arena_;
  size_t arena_size_ = 0;
  AlignedBuffer scratch_;
  bool planned_ = false;
  Status plan_error_;
};

}  // namespace tailor
