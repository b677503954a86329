/* tailor engine — public C API.
 *
 * C ABI only: opaque handles, status codes, and a thread-local last-error
 * string. Nothing of C++ crosses this boundary.
 *
 * Threading contract:
 *   - A tailor_model is immutable after creation and may be shared by any
 *     number of predictors on any threads (it is reference counted).
 *   - A tailor_predictor must be used by one thread at a time. Use one
 *     predictor per thread; they share the model's weights.
 *   - tailor_last_error() is per thread.
 */
#ifndef TAILOR_TAILOR_H_
#define TAILOR_TAILOR_H_

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(_WIN32)
#define TAILOR_API __declspec(dllexport)
#else
#define TAILOR_API __attribute__((visibility("default")))
#endif

typedef enum {
  TAILOR_OK = 0,
  TAILOR_INVALID_ARGUMENT = 1,
  TAILOR_INVALID_MODEL = 2,
  TAILOR_UNSUPPORTED = 3,
  TAILOR_OUT_OF_MEMORY = 4,
  TAILOR_INTERNAL = 5,
} tailor_status;

typedef struct tailor_model tailor_model;
typedef struct tailor_predictor tailor_predictor;

/* "MAJOR.MINOR.PATCH" of the engine. */
TAILOR_API const char* tailor_version(void);
/* Message of the last failed call on this thread ("" if none). */
TAILOR_API const char* tailor_last_error(void);

/* Models: parsed program + weights. The buffer is copied; the caller may free it. */
TAILOR_API tailor_status tailor_model_load_file(const char* path, tailor_model** out);
TAILOR_API tailor_status tailor_model_load_buffer(const void* data, size_t size, tailor_model** out);
TAILOR_API void tailor_model_release(tailor_model* model);

/* Predictors: kernels, shapes and the activation arena of one inference stream.
 * A predictor keeps its model alive. */
TAILOR_API tailor_status tailor_predictor_create(tailor_model* model, tailor_predictor** out);
/* Convenience: load a model and create a predictor on it. */
TAILOR_API tailor_status tailor_predictor_create_from_file(const char* path, tailor_predictor** out);
TAILOR_API tailor_status tailor_predictor_create_from_buffer(const void* data, size_t size,
                                                             tailor_predictor** out);
TAILOR_API void tailor_predictor_destroy(tailor_predictor* p);

TAILOR_API size_t tailor_input_count(const tailor_predictor* p);
TAILOR_API size_t tailor_output_count(const tailor_predictor* p);
/* Names are owned by the predictor and valid until it is destroyed. */
TAILOR_API const char* tailor_input_name(const tailor_predictor* p, size_t index);
TAILOR_API const char* tailor_output_name(const tailor_predictor* p, size_t index);
/* Current shape. Writes up to `capacity` dims into `dims` and the rank into
 * `*rank`; fails with TAILOR_INVALID_ARGUMENT when capacity < rank. Output
 * shapes are those of the last inference (or of the planned shapes before). */
TAILOR_API tailor_status tailor_input_shape(const tailor_predictor* p, size_t index, int64_t* dims,
                                            size_t capacity, size_t* rank);
TAILOR_API tailor_status tailor_output_shape(const tailor_predictor* p, size_t index, int64_t* dims,
                                             size_t capacity, size_t* rank);

/* Copies float32 data of the given shape into input `index`. A shape different
 * from the current one re-infers shapes and re-plans the arena. */
TAILOR_API tailor_status tailor_set_input(tailor_predictor* p, size_t index, const float* data,
                                          const int64_t* dims, size_t rank);
TAILOR_API tailor_status tailor_run(tailor_predictor* p);
/* Copies output `index` as float32 (converted from its dtype) into `data`, which
 * holds `capacity` floats; `*count` receives the element count. */
TAILOR_API tailor_status tailor_get_output(const tailor_predictor* p, size_t index, float* data,
                                           size_t capacity, size_t* count);

/* Diagnostics. */
/* Peak bytes of the activation arena as currently planned. */
TAILOR_API size_t tailor_arena_bytes(const tailor_predictor* p);
/* Number of ops in the program and, for op `index`, its type and the catalog
 * unit that serves it in this build (for tests and `tailor-run --plan`). */
TAILOR_API size_t tailor_op_count(const tailor_predictor* p);
TAILOR_API const char* tailor_op_type(const tailor_predictor* p, size_t index);
TAILOR_API const char* tailor_op_unit(const tailor_predictor* p, size_t index);
/* Kernel key of op `index` as "op/alias/target/precision/layout" with Paddle's
 * enum names, e.g. "conv2d/def/kARM/kFloat/kNCHW". */
TAILOR_API const char* tailor_op_key(const tailor_predictor* p, size_t index);
/* Identifier of the registry this library was built with. */
TAILOR_API const char* tailor_build_selection(void);

#ifdef __cplusplus
}
#endif

#endif /* TAILOR_TAILOR_H_ */
