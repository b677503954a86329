#include "core/flatbuffer.h"

#include "core/format.h"

namespace tailor {
namespace fb {

Status malformed_v(size_t at, const char* fmt, va_list ap) {
  std::string msg = format("malformed model at byte %zu: ", at);
  append_vformat(&msg, fmt, ap);
  return Status::BadModel(std::move(msg));
}

Status malformed(size_t at, const char* fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  Status st = malformed_v(at, fmt, ap);
  va_end(ap);
  return st;
}

Status Buffer::error(size_t pos, const char* fmt, ...) const {
  va_list ap;
  va_start(ap, fmt);
  Status st = malformed_v(file_offset_ + pos, fmt, ap);
  va_end(ap);
  return st;
}

Status Buffer::charge(size_t pos, size_t bytes) const {
  if (bytes > budget_) {
    return error(pos, "the FlatBuffer references more data than it holds (shared or overlapping objects)");
  }
  budget_ -= bytes;
  return Status::Ok();
}

Status Buffer::root(Table* out) const {
  if (size_ < 8) return error(0, "FlatBuffer of %zu bytes is too short", size_);
  return table_at(load<uint32_t>(0), out);
}

Status Buffer::table_at(size_t pos, Table* out) const {
  if (!in_bounds(pos, 4)) return error(pos, "table offset out of bounds");
  int64_t vt = static_cast<int64_t>(pos) - load<int32_t>(pos);
  if (vt < 0 || !in_bounds(static_cast<size_t>(vt), 4)) return error(pos, "vtable offset out of bounds");
  size_t vtable = static_cast<size_t>(vt);
  uint16_t vt_size = load<uint16_t>(vtable);
  uint16_t tbl_size = load<uint16_t>(vtable + 2);
  if (vt_size < 4 || (vt_size & 1) || !in_bounds(vtable, vt_size)) return error(vtable, "bad vtable size");
  if (tbl_size < 4 || !in_bounds(pos, tbl_size)) return error(pos, "table size out of bounds");
  TAILOR_RETURN_IF_ERROR(charge(pos, tbl_size));
  out->buf_ = this;
  out->pos_ = pos;
  out->vtable_ = vtable;
  out->vtable_size_ = vt_size;
  out->table_size_ = tbl_size;
  return Status::Ok();
}

Status Buffer::string_at(size_t pos, std::string* out) const {
  if (!in_bounds(pos, 4)) return error(pos, "string offset out of bounds");
  uint32_t len = load<uint32_t>(pos);
  // The NUL terminator is part of the format; requiring it also rejects
  // lengths that run to the very end of the buffer.
  if (!in_bounds(pos + 4, size_t{len} + 1) || data_[pos + 4 + len] != 0) {
    return error(pos, "string of length %u runs past the buffer or lacks its NUL", len);
  }
  TAILOR_RETURN_IF_ERROR(charge(pos, size_t{len} + 4));
  out->assign(reinterpret_cast<const char*>(data_ + pos + 4), len);
  return Status::Ok();
}

Status Buffer::vector_at(size_t pos, size_t elem_size, Vector* out) const {
  if (!in_bounds(pos, 4)) return error(pos, "vector offset out of bounds");
  uint32_t count = load<uint32_t>(pos);
  // A count can never exceed the bytes that would hold its elements.
  if (count > (size_ - pos - 4) / elem_size) {
    return error(pos, "vector of %u elements runs past the buffer", count);
  }
  TAILOR_RETURN_IF_ERROR(charge(pos, size_t{count} * elem_size + 4));
  out->start = pos + 4;
  out->count = count;
  return Status::Ok();
}

// Elements of offset vectors hold a uint32 relative to the element itself.
static Status element_target(const Buffer& b, const Vector& v, uint32_t i, size_t* target) {
  if (i >= v.count) return b.error(v.start, "vector index out of range");
  size_t at = v.start + size_t{i} * 4;
  uint32_t rel = b.load<uint32_t>(at);
  if (!b.in_bounds(at, rel)) return b.error(at, "vector element points out of bounds");
  *target = at + rel;
  return Status::Ok();
}

Status Buffer::table_elem(const Vector& v, uint32_t i, Table* out) const {
  size_t target = 0;
  TAILOR_RETURN_IF_ERROR(element_target(*this, v, i, &target));
  return table_at(target, out);
}

Status Buffer::string_elem(const Vector& v, uint32_t i, std::string* out) const {
  size_t target = 0;
  TAILOR_RETURN_IF_ERROR(element_target(*this, v, i, &target));
  return string_at(target, out);
}

Status Table::field(int id, size_t size, size_t* at) const {
  *at = 0;
  size_t slot = 4 + 2 * static_cast<size_t>(id);
  if (id < 0 || slot + 2 > vtable_size_) return Status::Ok();  // past the vtable: absent
  uint16_t off = buf_->load<uint16_t>(vtable_ + slot);
  if (off == 0) return Status::Ok();
  if (off < 4 || off + size > table_size_) {
    return buf_->error(pos_, "field %d lies outside its table", id);
  }
  *at = pos_ + off;
  return Status::Ok();
}

Status Table::scalar_bytes(int id, size_t size, void* out) const {
  size_t at = 0;
  TAILOR_RETURN_IF_ERROR(field(id, size, &at));
  if (at) std::memcpy(out, buf_->data() + at, size);
  return Status::Ok();
}

Status Table::offset_field(int id, size_t* target, bool* present) const {
  size_t at = 0;
  TAILOR_RETURN_IF_ERROR(field(id, 4, &at));
  *present = at != 0;
  if (!at) return Status::Ok();
  uint32_t rel = buf_->load<uint32_t>(at);
  if (rel == 0 || !buf_->in_bounds(at, rel)) return buf_->error(at, "offset field points out of bounds");
  *target = at + rel;
  return Status::Ok();
}

Status Table::string(int id, std::string* out, bool* present) const {
  size_t target = 0;
  TAILOR_RETURN_IF_ERROR(offset_field(id, &target, present));
  return *present ? buf_->string_at(target, out) : Status::Ok();
}

Status Table::table(int id, Table* out, bool* present) const {
  size_t target = 0;
  TAILOR_RETURN_IF_ERROR(offset_field(id, &target, present));
  return *present ? buf_->table_at(target, out) : Status::Ok();
}

Status Table::vector(int id, size_t elem_size, Vector* out, bool* present) const {
  size_t target = 0;
  *out = Vector();
  TAILOR_RETURN_IF_ERROR(offset_field(id, &target, present));
  return *present ? buf_->vector_at(target, elem_size, out) : Status::Ok();
}

template <typename Out, typename Narrow, typename Wide>
Status Table::widening_vector(int id, size_t elem_size, std::vector<Out>* out) const {
  out->clear();
  Vector v;
  bool present = false;
  TAILOR_RETURN_IF_ERROR(vector(id, elem_size, &v, &present));
  *out = std::vector<Out>(v.count);
  for (uint32_t k = 0; k < v.count; ++k) {
    size_t at = v.start + size_t{k} * elem_size;
    (*out)[k] = elem_size == 4 ? static_cast<Out>(buf_->load<Narrow>(at))
                               : static_cast<Out>(buf_->load<Wide>(at));
  }
  return Status::Ok();
}

Status Table::int_vector(int id, size_t elem_size, std::vector<int64_t>* out) const {
  return widening_vector<int64_t, int32_t, int64_t>(id, elem_size, out);
}

Status Table::real_vector(int id, size_t elem_size, std::vector<double>* out) const {
  return widening_vector<double, float, double>(id, elem_size, out);
}

}  // namespace fb
}  // namespace tailor
