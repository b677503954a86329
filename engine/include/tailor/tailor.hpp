// tailor engine — header-only C++ wrapper over the C API (tailor.h).
//
// RAII handles (move-only) and status returns instead of exceptions, so it
// works in code built with -fno-exceptions (common on Android):
//
//   tailor::cpp::Model model;
//   if (auto st = tailor::cpp::Model::load_file("m.nb", &model); !st) { log(st.message); return; }
//   tailor::cpp::Predictor pred;
//   if (auto st = tailor::cpp::Predictor::create(model, &pred); !st) { ... }
//   pred.set_input(0, data, {1, 3, 224, 224});
//   pred.run();
//   std::vector<float> out; std::vector<int64_t> shape;
//   pred.get_output(0, &out, &shape);
//
// A Model may be shared by predictors on several threads; each Predictor is
// used by one thread at a time (see tailor.h). The wrapper lives in
// tailor::cpp so that it never collides with the engine's internal names.
#ifndef TAILOR_TAILOR_HPP_
#define TAILOR_TAILOR_HPP_

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "tailor/tailor.h"

namespace tailor {
namespace cpp {

struct Status {
  tailor_status code = TAILOR_OK;
  std::string message;  // tailor_last_error() of the failed call

  bool ok() const { return code == TAILOR_OK; }
  explicit operator bool() const { return ok(); }
  static Status from(tailor_status code) {
    Status s;
    s.code = code;
    if (code != TAILOR_OK) s.message = tailor_last_error();
    return s;
  }
};

class Model {
 public:
  Model() = default;
  Model(Model&& o) noexcept : h_(std::exchange(o.h_, nullptr)) {}
  Model& operator=(Model&& o) noexcept {
    std::swap(h_, o.h_);
    return *this;
  }
  Model(const Model&) = delete;
  Model& operator=(const Model&) = delete;
  ~Model() { tailor_model_release(h_); }

  static Status load_file(const std::string& path, Model* out) {
    tailor_model* h = nullptr;
    Status st = Status::from(tailor_model_load_file(path.c_str(), &h));
    if (st) *out = Model(h);
    return st;
  }
  // The bytes are copied: the caller may free them afterwards.
  static Status load_buffer(const void* data, size_t size, Model* out) {
    tailor_model* h = nullptr;
    Status st = Status::from(tailor_model_load_buffer(data, size, &h));
    if (st) *out = Model(h);
    return st;
  }

  bool valid() const { return h_ != nullptr; }
  tailor_model* get() const { return h_; }

 private:
  explicit Model(tailor_model* h) : h_(h) {}
  tailor_model* h_ = nullptr;
};

class Predictor {
 public:
  Predictor() = default;
  Predictor(Predictor&& o) noexcept : h_(std::exchange(o.h_, nullptr)) {}
  Predictor& operator=(Predictor&& o) noexcept {
    std::swap(h_, o.h_);
    return *this;
  }
  Predictor(const Predictor&) = delete;
  Predictor& operator=(const Predictor&) = delete;
  ~Predictor() { tailor_predictor_destroy(h_); }

  // The predictor keeps the model alive; `model` may be destroyed afterwards.
  static Status create(const Model& model, Predictor* out) {
    tailor_predictor* h = nullptr;
    Status st = Status::from(tailor_predictor_create(model.get(), &h));
    if (st) *out = Predictor(h);
    return st;
  }
  static Status create_from_file(const std::string& path, Predictor* out) {
    tailor_predictor* h = nullptr;
    Status st = Status::from(tailor_predictor_create_from_file(path.c_str(), &h));
    if (st) *out = Predictor(h);
    return st;
  }

  bool valid() const { return h_ != nullptr; }
  tailor_predictor* get() const { return h_; }

  size_t input_count() const { return tailor_input_count(h_); }
  size_t output_count() const { return tailor_output_count(h_); }
  std::string input_name(size_t i) const { return str(tailor_input_name(h_, i)); }
  std::string output_name(size_t i) const { return str(tailor_output_name(h_, i)); }

  Status input_shape(size_t i, std::vector<int64_t>* dims) const {
    return shape(tailor_input_shape, i, dims);
  }
  Status output_shape(size_t i, std::vector<int64_t>* dims) const {
    return shape(tailor_output_shape, i, dims);
  }

  Status set_input(size_t i, const float* data, const std::vector<int64_t>& dims) {
    return Status::from(tailor_set_input(h_, i, data, dims.data(), dims.size()));
  }
  Status set_input(size_t i, const std::vector<float>& data, const std::vector<int64_t>& dims) {
    return set_input(i, data.data(), dims);
  }
  Status run() { return Status::from(tailor_run(h_)); }

  // Output i as float32, and its shape when `dims` is given.
  Status get_output(size_t i, std::vector<float>* data, std::vector<int64_t>* dims = nullptr) const {
    size_t count = 0;
    tailor_get_output(h_, i, nullptr, 0, &count);
    data->resize(count);
    Status st = Status::from(tailor_get_output(h_, i, data->data(), data->size(), &count));
    if (st && dims) st = output_shape(i, dims);
    return st;
  }

  size_t arena_bytes() const { return tailor_arena_bytes(h_); }
  size_t op_count() const { return tailor_op_count(h_); }
  std::string op_type(size_t i) const { return str(tailor_op_type(h_, i)); }
  std::string op_key(size_t i) const { return str(tailor_op_key(h_, i)); }
  std::string op_unit(size_t i) const { return str(tailor_op_unit(h_, i)); }

 private:
  explicit Predictor(tailor_predictor* h) : h_(h) {}
  static std::string str(const char* s) { return s ? s : ""; }
  template <typename Fn>
  Status shape(Fn fn, size_t i, std::vector<int64_t>* dims) const {
    size_t rank = 0;
    fn(h_, i, nullptr, 0, &rank);
    dims->resize(rank);
    return Status::from(fn(h_, i, dims->data(), dims->size(), &rank));
  }
  tailor_predictor* h_ = nullptr;
};

inline std::string version() { return tailor_version(); }
inline std::string build_selection() { return tailor_build_selection(); }

}  // namespace cpp
}  // namespace tailor

#endif  // TAILOR_TAILOR_HPP_
