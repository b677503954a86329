#include "helpers/sort/sort.h"

#include <algorithm>
#include <cmath>
#include <new>
#include <string>

#include "helpers/shape/shape_util.h"
#include "helpers/tensor-checks/checks.h"

namespace tailor {
namespace helpers {
namespace sort_ref {

void sorted_slices(const float* x, int64_t outer, int64_t n, int64_t inner, int64_t k, bool descending,
                   float* vals, int64_t* idx, std::vector<int64_t>* order) {
  order->resize(static_cast<size_t>(n));
  for (int64_t o = 0; o < outer; ++o) {
    for (int64_t j = 0; j < inner; ++j) {
      const float* p = x + o * n * inner + j;
      for (int64_t i = 0; i < n; ++i) (*order)[static_cast<size_t>(i)] = i;
      // NaN compares above every number, so it comes first descending and last ascending.
      auto less = [p, inner](int64_t a, int64_t b) {
        const float va = p[a * inner], vb = p[b * inner];
        return (!std::isnan(va) && std::isnan(vb)) || va < vb;
      };
      if (descending) {
        std::stable_sort(order->begin(), order->end(), [&less](int64_t a, int64_t b) { return less(b, a); });
      } else {
        std::stable_sort(order->begin(), order->end(), less);
      }
      for (int64_t i = 0; i < k; ++i) {
        const int64_t at = (o * k + i) * inner + j;
        idx[at] = (*order)[static_cast<size_t>(i)];
        vals[at] = p[idx[at] * inner];
      }
    }
  }
}

namespace {

namespace su = helpers::shape_util;
namespace shp = helpers::tensor_checks;

class TopK final : public Kernel {
 public:
  explicit TopK(bool v2) : v2_(v2) {}

  Status infer(OpContext& ctx) override {
    const std::string& op = ctx.op().type;
    const Tensor* x = nullptr;
    Tensor* out = nullptr;
    Tensor* indices = nullptr;
    TAILOR_RETURN_IF_ERROR(su::get_x_out(ctx, op, &x, &out));
    TAILOR_RETURN_IF_ERROR(su::get_output(ctx, op, "Indices", 0, &indices));
    TAILOR_RETURN_IF_ERROR(shp::require_f32(op, x, "X"));
    int64_t k = ctx.op().get_int("k", 1);
    if (su::has_input(ctx, "K")) {
      std::vector<int64_t> kv;
      TAILOR_RETURN_IF_ERROR(su::read_int_tensor(op, "K", *ctx.input("K"), &kv));
      if (kv.size() != 1) return Status::Invalid(op + ": K must hold one value");
      k = kv[0];
    }
    int axis = x->rank() - 1;
    if (v2_) {
      TAILOR_RETURN_IF_ERROR(su::normalize_axis(op, "axis", ctx.op().get_int("axis", -1), x->rank(), &axis));
    }
    largest_ = !v2_ || ctx.op().get_bool("largest", true);
    TAILOR_RETURN_IF_ERROR(shp::split_at_axis(op, x->dims(), axis, &outer_, &n_, &inner_));
    if (k < 1 || k > n_)
      return Status::Invalid(op + ": k " + std::to_string(k) + " out of range [1, " + std::to_string(n_) +
                             "] for X " + shp::str(x->dims()));
    k_ = k;
    Dims od = x->dims();
    od[static_cast<size_t>(axis)] = k;
    out->set_shape(DType::kF32, od);
    indices->set_shape(DType::kI64, std::move(od));
    return Status::Ok();
  }

  Status run(OpContext& ctx) override {
    const Tensor* x = ctx.input("X", 0);
    Tensor* out = ctx.output("Out", 0);
    Tensor* indices = ctx.output("Indices", 0);
    if (!x || !out || !indices || !x->raw() || !out->raw_mut() || !indices->raw_mut())
      return Status::Internal(ctx.op().type + ": tensors not bound at run");
    sorted_slices(x->data<float>(), outer_, n_, inner_, k_, largest_, out->mutable_data<float>(),
                  indices->mutable_data<int64_t>(), &order_);
    return Status::Ok();
  }

 private:
  bool v2_;
  bool largest_ = true;
  int64_t outer_ = 1, n_ = 1, inner_ = 1, k_ = 1;
  std::vector<int64_t> order_;
};

}  // namespace

Status create_topk(bool v2, std::unique_ptr<Kernel>* out) {
  out->reset(new (std::nothrow) TopK(v2));
  return *out ? Status::Ok() : Status::NoMemory("top_k: out of memory creating kernel");
}

}  // namespace sort_ref
}  // namespace helpers
}  // namespace tailor
