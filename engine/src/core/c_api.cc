// The C API (include/tailor/tailor.h): handles, status codes and the
// thread-local last error. No exception crosses this boundary.
#include <cstdio>
#include <cstring>
#include <memory>
#include <new>

#include "core/executor.h"
#include "core/model.h"
#include "core/registry.h"
#include "tailor/tailor.h"

struct tailor_model {
  tailor::ModelRef model;
};

struct tailor_predictor {
  std::unique_ptr<tailor::Predictor> impl;
};

namespace {

// Fixed-size and trivially constructed: no per-thread constructor or
// destructor, no static initializer. Longer messages are truncated.
thread_local char g_last_error[4096];

void set_error(const char* msg) {
  size_t n = std::strlen(msg);
  if (n >= sizeof(g_last_error)) {
    n = sizeof(g_last_error) - 4;
    std::memcpy(g_last_error, msg, n);
    std::memcpy(g_last_error + n, "...", 4);
    return;
  }
  std::memcpy(g_last_error, msg, n + 1);
}

tailor_status to_c(const tailor::Status& st) {
  if (st.ok()) return TAILOR_OK;
  set_error(st.message().c_str());
  switch (st.code()) {
    case tailor::StatusCode::kInvalidArgument: return TAILOR_INVALID_ARGUMENT;
    case tailor::StatusCode::kInvalidModel: return TAILOR_INVALID_MODEL;
    case tailor::StatusCode::kUnsupported: return TAILOR_UNSUPPORTED;
    case tailor::StatusCode::kOutOfMemory: return TAILOR_OUT_OF_MEMORY;
    default: return TAILOR_INTERNAL;
  }
}

tailor_status fail(tailor_status code, const char* msg) {
  set_error(msg);
  return code;
}

// Runs `fn` (returning tailor_status), turning allocation failure into
// TAILOR_OUT_OF_MEMORY. Built with -fno-exceptions, allocation failure in
// std containers aborts instead (large buffers report kOutOfMemory either way).
template <typename F>
tailor_status guarded(F fn) {
#if defined(__cpp_exceptions) || defined(__EXCEPTIONS)
  try {
    return fn();
  } catch (const std::bad_alloc&) {
    return fail(TAILOR_OUT_OF_MEMORY, "out of memory");
  } catch (...) {
    return fail(TAILOR_INTERNAL, "internal error: unexpected exception");
  }
#else
  return fn();
#endif
}

tailor_status wrap_model(std::unique_ptr<tailor::Model> m, tailor_model** out) {
  // Not evaluated when the allocation fails: `m` then still deletes the model.
  auto* h = new (std::nothrow) tailor_model{tailor::ModelRef(m.get())};
  if (!h) return fail(TAILOR_OUT_OF_MEMORY, "out of memory");
  m.release();  // owned through the reference count from now on
  *out = h;
  return TAILOR_OK;
}

tailor_status make_predictor(const tailor::Model* model, tailor_predictor** out) {
  std::unique_ptr<tailor::Predictor> impl;
  tailor_status st = to_c(tailor::Predictor::create(model, &impl));
  if (st != TAILOR_OK) return st;
  auto* h = new (std::nothrow) tailor_predictor;
  if (!h) return fail(TAILOR_OUT_OF_MEMORY, "out of memory");
  h->impl = std::move(impl);
  *out = h;
  return TAILOR_OK;
}

tailor_status shape_out(const tailor::Dims& d, int64_t* dims, size_t capacity, size_t* rank) {
  if (!rank) return fail(TAILOR_INVALID_ARGUMENT, "rank pointer is null");
  *rank = d.size();
  if (capacity < d.size() || (!dims && !d.empty())) {
    char msg[96];
    std::snprintf(msg, sizeof(msg), "shape has rank %zu, capacity is %zu", d.size(), capacity);
    return fail(TAILOR_INVALID_ARGUMENT, msg);
  }
  for (size_t k = 0; k < d.size(); ++k) dims[k] = d[k];
  return TAILOR_OK;
}

}  // namespace

extern "C" {

const char* tailor_version(void) { return "0.1.0"; }
const char* tailor_last_error(void) { return g_last_error; }

tailor_status tailor_model_load_file(const char* path, tailor_model** out) {
  if (!out) return fail(TAILOR_INVALID_ARGUMENT, "out is null");
  *out = nullptr;
  return guarded([&] {
    std::unique_ptr<tailor::Model> m;
    tailor_status st = to_c(tailor::load_model_file(path, &m));
    return st == TAILOR_OK ? wrap_model(std::move(m), out) : st;
  });
}

tailor_status tailor_model_load_buffer(const void* data, size_t size, tailor_model** out) {
  if (!out) return fail(TAILOR_INVALID_ARGUMENT, "out is null");
  *out = nullptr;
  if (!data) return fail(TAILOR_INVALID_ARGUMENT, "model buffer is null");
  return guarded([&] {
    std::unique_ptr<tailor::Model> m;
    tailor_status st = to_c(tailor::load_model(static_cast<const uint8_t*>(data), size, &m));
    return st == TAILOR_OK ? wrap_model(std::move(m), out) : st;
  });
}

void tailor_model_release(tailor_model* model) { delete model; }

tailor_status tailor_predictor_create(tailor_model* model, tailor_predictor** out) {
  if (!out) return fail(TAILOR_INVALID_ARGUMENT, "out is null");
  *out = nullptr;
  if (!model) return fail(TAILOR_INVALID_ARGUMENT, "model is null");
  return guarded([&] { return make_predictor(model->model.get(), out); });
}

tailor_status tailor_predictor_create_from_file(const char* path, tailor_predictor** out) {
  if (!out) return fail(TAILOR_INVALID_ARGUMENT, "out is null");
  *out = nullptr;
  return guarded([&] {
    std::unique_ptr<tailor::Model> m;
    tailor_status st = to_c(tailor::load_model_file(path, &m));
    if (st != TAILOR_OK) return st;
    tailor::ModelRef ref(m.release());  // the predictor takes its own reference
    return make_predictor(ref.get(), out);
  });
}

tailor_status tailor_predictor_create_from_buffer(const void* data, size_t size, tailor_predictor** out) {
  if (!out) return fail(TAILOR_INVALID_ARGUMENT, "out is null");
  *out = nullptr;
  if (!data) return fail(TAILOR_INVALID_ARGUMENT, "model buffer is null");
  return guarded([&] {
    std::unique_ptr<tailor::Model> m;
    tailor_status st = to_c(tailor::load_model(static_cast<const uint8_t*>(data), size, &m));
    if (st != TAILOR_OK) return st;
    tailor::ModelRef ref(m.release());  // the predictor takes its own reference
    return make_predictor(ref.get(), out);
  });
}

void tailor_predictor_destroy(tailor_predictor* p) { delete p; }

size_t tailor_input_count(const tailor_predictor* p) { return p ? p->impl->num_inputs() : 0; }
size_t tailor_output_count(const tailor_predictor* p) { return p ? p->impl->num_outputs() : 0; }

const char* tailor_input_name(const tailor_predictor* p, size_t index) {
  if (!p || index >= p->impl->num_inputs()) return nullptr;
  return p->impl->model().inputs[index].name.c_str();
}

const char* tailor_output_name(const tailor_predictor* p, size_t index) {
  if (!p || index >= p->impl->num_outputs()) return nullptr;
  return p->impl->model().outputs[index].name.c_str();
}

tailor_status tailor_input_shape(const tailor_predictor* p, size_t index, int64_t* dims, size_t capacity, size_t* rank) {
  if (!p) return fail(TAILOR_INVALID_ARGUMENT, "predictor is null");
  if (index >= p->impl->num_inputs()) return fail(TAILOR_INVALID_ARGUMENT, "input index out of range");
  return guarded([&] { return shape_out(p->impl->input_dims(index), dims, capacity, rank); });
}

tailor_status tailor_output_shape(const tailor_predictor* p, size_t index, int64_t* dims, size_t capacity, size_t* rank) {
  if (!p) return fail(TAILOR_INVALID_ARGUMENT, "predictor is null");
  if (index >= p->impl->num_outputs()) return fail(TAILOR_INVALID_ARGUMENT, "output index out of range");
  return guarded([&] { return shape_out(p->impl->output(index).dims(), dims, capacity, rank); });
}

tailor_status tailor_set_input(tailor_predictor* p, size_t index, const float* data, const int64_t* dims, size_t rank) {
  if (!p) return fail(TAILOR_INVALID_ARGUMENT, "predictor is null");
  if (!dims && rank) return fail(TAILOR_INVALID_ARGUMENT, "dims is null");
  if (rank > 16) return fail(TAILOR_INVALID_ARGUMENT, "rank exceeds 16");
  return guarded([&] { return to_c(p->impl->set_input(index, data, tailor::Dims(dims, dims + rank))); });
}

tailor_status tailor_run(tailor_predictor* p) {
  if (!p) return fail(TAILOR_INVALID_ARGUMENT, "predictor is null");
  return guarded([&] { return to_c(p->impl->run()); });
}

tailor_status tailor_get_output(const tailor_predictor* p, size_t index, float* data, size_t capacity, size_t* count) {
  if (count) *count = 0;
  if (!p) return fail(TAILOR_INVALID_ARGUMENT, "predictor is null");
  return guarded([&] { return to_c(p->impl->get_output(index, data, capacity, count)); });
}

size_t tailor_arena_bytes(const tailor_predictor* p) { return p ? p->impl->arena_bytes() : 0; }
size_t tailor_op_count(const tailor_predictor* p) { return p ? p->impl->model().ops.size() : 0; }

const char* tailor_op_type(const tailor_predictor* p, size_t index) {
  if (!p || index >= p->impl->model().ops.size()) return nullptr;
  return p->impl->model().ops[index].type.c_str();
}

const char* tailor_op_unit(const tailor_predictor* p, size_t index) {
  if (!p || index >= p->impl->model().program.size()) return nullptr;
  return p->impl->model().program[index].unit;
}

const char* tailor_op_key(const tailor_predictor* p, size_t index) {
  if (!p || index >= p->impl->model().program.size()) return nullptr;
  return p->impl->model().program[index].key.c_str();
}

const char* tailor_build_selection(void) {
  const char* id = tailor::registry().selection_id;
  return id ? id : "";
}

}  // extern "C"
