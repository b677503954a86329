// reshape / reshape2 (any dtype): the input bytes under a new shape.
//
// The target shape comes, by Paddle Lite's priority, from the ShapeTensor list
// (one single-element int tensor per dim), else the Shape tensor, else the
// `shape` attribute. In it 0 copies the input dim at that index and one -1 is
// inferred. Shape tensors must be known when the model is planned.
#include "helpers/shape/shape_util.h"

namespace tailor {
namespace kernels {
namespace reshape_any_ref {

namespace su = helpers::shape_util;

namespace {

Status target_shape(const OpContext& ctx, const std::string& op, std::vector<int64_t>* shape) {
  const std::vector<int64_t> attr = ctx.op().get_ints("shape");
  if (ctx.input_count("ShapeTensor") > 0) {
    TAILOR_RETURN_IF_ERROR(su::read_int_list(ctx, op, "ShapeTensor", shape));
    return Status::Ok();
  }
  if (su::has_input(ctx, "Shape")) {
    return su::read_int_tensor(op, "Shape", *ctx.input("Shape", 0), shape);
  }
  if (attr.empty()) return Status::BadModel(op + ": no target shape (attribute shape, Shape or ShapeTensor)");
  *shape = attr;
  return Status::Ok();
}

// Paddle's ValidateShape: 0 copies the input dim, a single -1 is inferred.
Status resolve(const std::string& op, const std::vector<int64_t>& shape, const Dims& in, Dims* out) {
  if (shape.size() > static_cast<size_t>(su::kMaxRank)) {
    return Status::Invalid(op + ": target shape " + su::ints_str(shape) + " has too many dims");
  }
  const int64_t in_numel = dims_numel(in);
  out->assign(shape.size(), 1);
  int unknown = -1;
  int64_t known = 1;
  for (size_t i = 0; i < shape.size(); ++i) {
    int64_t v = shape[i];
    if (v == -1) {
      if (unknown != -1) return Status::Invalid(op + ": more than one -1 in target shape " + su::ints_str(shape));
      unknown = static_cast<int>(i);
      continue;
    }
    if (v == 0) {
      if (i >= in.size()) {
        return Status::Invalid(op + ": target shape " + su::ints_str(shape) + " copies dim " + std::to_string(i) +
                               " (0) but the input " + su::dims_str(in) + " has rank " + std::to_string(in.size()));
      }
      v = in[i];
    } else if (v < 0) {
      return Status::Invalid(op + ": negative dim in target shape " + su::ints_str(shape));
    }
    // in_numel <= kMaxElements, so anything larger cannot match anyway.
    if (v > su::kMaxElements || known > su::kMaxElements / v) {
      return Status::Invalid(op + ": target shape " + su::ints_str(shape) + " has more elements than the input " +
                             su::dims_str(in));
    }
    known *= v;
    (*out)[i] = v;
  }
  if (unknown >= 0) {
    if (in_numel % known != 0) {
      return Status::Invalid(op + ": cannot infer -1 in target shape " + su::ints_str(shape) + " for input " +
                             su::dims_str(in));
    }
    (*out)[static_cast<size_t>(unknown)] = in_numel / known;
  } else if (known != in_numel) {
    return Status::Invalid(op + ": target shape " + su::ints_str(shape) + " does not hold the " +
                           std::to_string(in_numel) + " elements of input " + su::dims_str(in));
  }
  return su::check_shape(op, "output", *out);
}

class Reshape final : public su::ReshapeRule {
 private:
  Status out_dims(const OpContext& ctx, const std::string& op, const Dims& x_dims, Dims* out) const override {
    std::vector<int64_t> shape;
    TAILOR_RETURN_IF_ERROR(target_shape(ctx, op, &shape));
    return resolve(op, shape, x_dims, out);
  }
};

}  // namespace

Status create(const KernelInit& init, std::unique_ptr<Kernel>* out) {
  (void)init;
  return su::make_kernel<Reshape>("reshape.any.ref", out);
}

}  // namespace reshape_any_ref
}  // namespace kernels
}  // namespace tailor
