// A bounds-checked FlatBuffers reader for untrusted .nb bytes.
//
// Every offset, length and count is checked against the buffer before use,
// every load goes through memcpy (the .nb layout leaves nothing aligned), and
// errors carry the absolute file offset. The schemas read here are fixed and
// shallow (ProgramDesc -> Block -> Op -> Attr), so the reader is not recursive.
//
// A FlatBuffer may point many vector elements at one large table or string; a
// decoder that copies each would allocate far more than the file holds. Every
// decoded table, string and vector is therefore charged against a budget
// proportional to the buffer size, which an honest file never approaches
// (each of its bytes is decoded about once; only vtables are shared).
#pragma once
#include <cstdarg>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <type_traits>
#include <vector>

#include "core/status.h"

namespace tailor {
namespace fb {

class Buffer;

struct Vector {
  size_t start = 0;  // position of element 0
  uint32_t count = 0;
};

class Table {
 public:
  Table() = default;
  size_t pos() const { return pos_; }

  // Scalar field `id`, or `def` when absent.
  template <typename T>
  Status scalar(int id, T def, T* out) const;
  // Offset-typed fields; *present=false (and Ok) when absent.
  Status string(int id, std::string* out, bool* present) const;
  Status table(int id, Table* out, bool* present) const;
  Status vector(int id, size_t elem_size, Vector* out, bool* present) const;
  // A vector of signed integers of `elem_size` bytes (4 or 8), widened to
  // int64 (empty when absent).
  Status int_vector(int id, size_t elem_size, std::vector<int64_t>* out) const;
  // A vector of float (elem_size 4) or double (8), widened to double.
  Status real_vector(int id, size_t elem_size, std::vector<double>* out) const;

 private:
  friend class Buffer;
  // Position of field `id` inside the buffer, 0 when absent.
  Status field(int id, size_t size, size_t* at) const;
  // Copies the `size` bytes of scalar field `id` to `out`; leaves it alone when
  // absent. One function behind every scalar<T>.
  Status scalar_bytes(int id, size_t size, void* out) const;
  Status offset_field(int id, size_t* target, bool* present) const;
  // int_vector / real_vector: elements of type Narrow (elem_size 4) or Wide (8), widened to Out.
  template <typename Out, typename Narrow, typename Wide>
  Status widening_vector(int id, size_t elem_size, std::vector<Out>* out) const;

  const Buffer* buf_ = nullptr;
  size_t pos_ = 0;
  size_t vtable_ = 0;
  uint16_t vtable_size_ = 0;
  uint16_t table_size_ = 0;
};

class Buffer {
 public:
  // `file_offset` is where data[0] sits in the file, for error messages.
  Buffer(const uint8_t* data, size_t size, size_t file_offset)
      : data_(data), size_(size), file_offset_(file_offset),
        budget_(size > SIZE_MAX / 4 - 4096 ? SIZE_MAX : size * 4 + 4096) {}

  Status root(Table* out) const;
  Status table_at(size_t pos, Table* out) const;
  // Element i of a vector of tables / strings.
  Status table_elem(const Vector& v, uint32_t i, Table* out) const;
  Status string_elem(const Vector& v, uint32_t i, std::string* out) const;
  Status string_at(size_t pos, std::string* out) const;
  Status vector_at(size_t pos, size_t elem_size, Vector* out) const;

  template <typename T>
  T load(size_t pos) const {  // caller has checked pos + sizeof(T) <= size
    if constexpr (std::is_same<T, bool>::value) {
      return data_[pos] != 0;  // any byte is a valid FlatBuffers bool; not every byte is a valid C++ bool
    } else {
      T v;
      std::memcpy(&v, data_ + pos, sizeof(T));
      return v;
    }
  }
  const uint8_t* data() const { return data_; }
  size_t size() const { return size_; }
  bool in_bounds(size_t pos, size_t len) const { return pos <= size_ && len <= size_ - pos; }
  // "malformed model at byte <file offset of pos>: <printf of fmt>"
  Status error(size_t pos, const char* fmt, ...) const __attribute__((format(printf, 3, 4)));
  Status charge(size_t pos, size_t bytes) const;

 private:
  const uint8_t* data_;
  size_t size_;
  size_t file_offset_;
  mutable size_t budget_;
};

// "malformed model at byte <at>: ..." for positions outside any FlatBuffer.
Status malformed(size_t at, const char* fmt, ...) __attribute__((format(printf, 2, 3)));
Status malformed_v(size_t at, const char* fmt, va_list ap);

template <typename T>
Status Table::scalar(int id, T def, T* out) const {
  static_assert(std::is_arithmetic<T>::value, "scalar fields only");
  if constexpr (std::is_same<T, bool>::value) {
    uint8_t v = def;  // any byte is a valid FlatBuffers bool; not every byte is a valid C++ bool
    Status st = scalar_bytes(id, 1, &v);
    *out = v != 0;
    return st;
  } else {
    *out = def;
    return scalar_bytes(id, sizeof(T), out);
  }
}

}  // namespace fb
}  // namespace tailor
