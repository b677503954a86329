#include "tailor/tailor.hpp"
#include "test_harness.h"
#include "test_util.h"

TEST(cpp_wrapper) {
  using namespace tailor::cpp;
  Model model;
  Status st = Model::load_file("/nonexistent.nb", &model);
  EXPECT(!st && st.code == TAILOR_INVALID_ARGUMENT && !st.message.empty() && !model.valid());
  const std::string path = tailor_test::models_dir() + "/mobilenet_v1_x0_25/mobilenet_v1_x0_25_x86.nb";
  st = Model::load_file(path, &model);
  if (!st) {
    std::printf("  (skipped: %s)\n", st.message.substr(0, 80).c_str());
    return;
  }
  Predictor p;
  EXPECT(Predictor::create(model, &p).ok());
  model = Model();  // the predictor keeps the model alive
  std::vector<int64_t> dims;
  EXPECT(p.input_shape(0, &dims).ok() && dims == (std::vector<int64_t>{1, 3, 224, 224}));
  std::vector<float> in(3 * 224 * 224, 0.5f), out;
  EXPECT(p.set_input(0, in, dims).ok() && p.run().ok());
  EXPECT(p.get_output(0, &out, &dims).ok() && out.size() == 1000 && dims == (std::vector<int64_t>{1, 1000}));
  EXPECT(p.op_unit(0) == "core" && p.op_key(0) == "feed/def/kHost/kAny/kAny");
  Predictor moved = std::move(p);
  EXPECT(moved.valid() && !p.valid());
}
