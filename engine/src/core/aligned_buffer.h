// AlignedBuffer: an owned, 64-byte aligned byte buffer whose allocation failure
// is a status, not an exception (params, arena, constants, scratch).
#pragma once
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <utility>

namespace tailor {

class AlignedBuffer {
 public:
  static constexpr size_t kAlign = 64;

  AlignedBuffer() = default;
  AlignedBuffer(const AlignedBuffer&) = delete;
  AlignedBuffer& operator=(const AlignedBuffer&) = delete;
  AlignedBuffer(AlignedBuffer&& o) noexcept : data_(o.data_), size_(o.size_) {
    o.data_ = nullptr;
    o.size_ = 0;
  }
  AlignedBuffer& operator=(AlignedBuffer&& o) noexcept {
    std::swap(data_, o.data_);
    std::swap(size_, o.size_);
    return *this;
  }
  ~AlignedBuffer() { std::free(data_); }

  // Replaces the contents with `size` zeroed bytes; false when out of memory.
  bool allocate(size_t size) {
    reset();
    if (size == 0) return true;
    size_t rounded = (size + kAlign - 1) / kAlign * kAlign;
    if (rounded < size) return false;
    void* p = nullptr;
    if (posix_memalign(&p, kAlign, rounded) != 0) return false;
    std::memset(p, 0, rounded);
    data_ = static_cast<unsigned char*>(p);
    size_ = size;
    return true;
  }
  void reset() {
    std::free(data_);
    data_ = nullptr;
    size_ = 0;
  }
  unsigned char* data() { return data_; }
  const unsigned char* data() const { return data_; }
  size_t size() const { return size_; }

 private:
  unsigned char* data_ = nullptr;
  size_t size_ = 0;
};

}  // namespace tailor
