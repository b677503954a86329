// Tensor: a non-owning view (dtype, dims, data). Storage belongs to the model's
// parameter store, the predictor's arena, or the plan's constant pool.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

namespace tailor {

// Values match Paddle's VarType_.Type so loader code needs no translation table.
enum class DType : int {
  kBool = 0,
  kI16 = 1,
  kI32 = 2,
  kI64 = 3,
  kF16 = 4,
  kF32 = 5,
  kF64 = 6,
  kU8 = 20,
  kI8 = 21,
};

size_t dtype_size(DType t);   // 0 for unknown values
const char* dtype_name(DType t);

using Dims = std::vector<int64_t>;

int64_t dims_numel(const Dims& d);  // product; 1 for rank 0

class Tensor {
 public:
  DType dtype() const { return dtype_; }
  const Dims& dims() const { return dims_; }
  int rank() const { return static_cast<int>(dims_.size()); }
  int64_t dim(int i) const { return dims_[static_cast<size_t>(i < 0 ? i + rank() : i)]; }
  int64_t numel() const { return dims_numel(dims_); }
  size_t bytes() const { return static_cast<size_t>(numel()) * dtype_size(dtype_); }

  // Null while only the shape is known (shape inference of a non-constant value).
  const void* raw() const { return data_; }
  void* raw_mut() { return data_; }
  template <typename T> const T* data() const { return static_cast<const T*>(data_); }
  template <typename T> T* mutable_data() { return static_cast<T*>(data_); }

  // Kernels call this in infer() to declare an output's dtype and shape.
  void set_shape(DType dtype, Dims dims) {
    dtype_ = dtype;
    dims_ = std::move(dims);
  }
  // Only core binds storage.
  void bind(void* data) { data_ = data; }

 private:
  DType dtype_ = DType::kF32;
  Dims dims_;
  void* data_ = nullptr;
};

}  // namespace tailor
