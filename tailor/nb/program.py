"""Decode the topology FlatBuffer (root `paddle.lite.fbs.proto.ProgramDesc`, framework.fbs) into model types.

Field ids follow framework.fbs; see FORMAT.md section 3. Only block 0 is decoded: it is the program Lite runs,
and sub-blocks (control flow) are reached from its ops' BLOCK attributes.

Two decoders produce the same `Program`: `_FastDecoder`, written for speed (no Table objects, vtables read
once per distinct vtable, locals instead of attribute lookups), and the `Table`-based one below it, which is
the reference and builds the precise error. The fast one makes every check the reference makes (bounds,
vtable sanity, NUL terminators, UTF-8, the aliasing budget with the same charges) but on any failure only
raises; `decode_program` then reruns the reference decoder, which raises the `NbFormatError` with the byte
offset and object path. So a well-formed file is decoded once, fast; a bad one costs at most two bounded
passes. tests/python/test_fuzz_reader.py checks that both decoders agree on mutated files.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from itertools import islice
from typing import Any

from tailor.model import AttrValue, KernelKey, Op, TensorInfo, Var
from tailor.nb.flatbuffers import _OBJECT_COST, FLOAT32, FLOAT64, INT32, INT64, FlatBuffer, Table
from tailor.paddle_enums import VAR_TYPE_LOD_TENSOR, VAR_TYPE_LOD_TENSOR_ARRAY, VAR_TYPE_SELECTED_ROWS

KERNEL_TYPE_ATTR = "__@kernel_type_attr@__"


@dataclass(frozen=True)
class Program:
    paddle_version: int | None
    vars: dict[str, Var]
    ops: list[Op]
    inputs: list[TensorInfo]
    outputs: list[TensorInfo]


def decode_program(fb: FlatBuffer) -> Program:
    """Decode the topology; raises NbFormatError (file, byte offset, object path) for malformed input."""
    try:
        return _FastDecoder(fb).program()
    except Exception:  # any failure: the reference decoder finds it again and reports it precisely
        pass
    return decode_program_reference(fb)  # the fast decoder leaves `fb` (and its budget) untouched


def decode_program_reference(fb: FlatBuffer) -> Program:
    """The reference decoder, through `Table`: slower, and raises the precise NbFormatError."""
    root = fb.root("ProgramDesc")
    blocks = root.table_vector(0, "blocks")
    if not blocks:
        raise fb.error(root.pos, "ProgramDesc with at least one block", "no blocks")
    version = root.table_field(1, "version")
    paddle_version = None if version is None else version.int_field(0, INT64, "version")

    block = blocks[0]
    variables = {var.name: var for var in (_decode_var(t) for t in block.table_vector(2, "vars"))}
    op_tables = block.table_vector(3, "ops")
    ops = [_decode_op(index, table) for index, table in enumerate(op_tables)]
    op_positions = [table.pos for table in op_tables]
    inputs = _io_tensors(fb, ops, op_positions, variables, "feed", "Out")
    outputs = _io_tensors(fb, ops, op_positions, variables, "fetch", "X")
    return Program(paddle_version, variables, ops, inputs, outputs)


def _decode_var(table: Table) -> Var:
    name = table.required_string(0, "name")
    persistable = table.bool_field(2, "persistable")
    var_type = table.table_field(1, "type")
    if var_type is None:
        return Var(name, 0, None, (), persistable)
    kind = var_type.int_field(0, INT32, "type")
    tensor: Table | None = None
    if kind == VAR_TYPE_SELECTED_ROWS:
        tensor = var_type.table_field(1, "selected_rows")
    elif kind in (VAR_TYPE_LOD_TENSOR, VAR_TYPE_LOD_TENSOR_ARRAY):
        holder = var_type.table_field(2 if kind == VAR_TYPE_LOD_TENSOR else 3, "tensor_desc")
        tensor = None if holder is None else holder.table_field(0, "tensor")
    if tensor is None:
        return Var(name, kind, None, (), persistable)
    dtype = tensor.int_field(0, INT32, "data_type")
    dims = tensor.int_vector(1, INT64, "dims")
    return Var(name, kind, dtype, dims, persistable)


def _decode_slots(table: Table, field_id: int, name: str) -> dict[str, tuple[str, ...]]:
    slots: dict[str, tuple[str, ...]] = {}
    for slot in table.table_vector(field_id, name):
        slots[slot.required_string(0, "parameter")] = tuple(slot.string_vector(1, "arguments"))
    return slots


def _attr_value(attr: Table, attr_type: int) -> AttrValue:
    """The member of Attr that its AttrType names. VAR (13) and VARS (14) have no member in Lite's schema."""
    match attr_type:
        case 0:
            return attr.int_field(2, INT32, "i")
        case 1:
            return attr.float_field(3, FLOAT32, "f")
        case 2:
            return attr.string_field(4, "s") or ""
        case 3:
            return list(attr.int_vector(5, INT32, "ints"))
        case 4:
            return list(attr.float_vector(6, FLOAT32, "floats"))
        case 5:
            return attr.string_vector(7, "strings")
        case 6:
            return attr.bool_field(8, "b")
        case 7:
            return list(attr.bool_vector(9, "bools"))
        case 8:
            return attr.int_field(10, INT32, "block_idx")
        case 9:
            return attr.int_field(11, INT64, "l")
        case 10:
            return list(attr.int_vector(12, INT32, "blocks_idx"))
        case 11:
            return list(attr.int_vector(13, INT64, "longs"))
        case 12:
            return list(attr.float_vector(15, FLOAT64, "float64s"))
        case 13 | 14:
            return None
        case 15:
            return attr.float_field(14, FLOAT64, "float64")
    raise attr.fb.error(attr.pos, f"{attr.what}: an AttrType in 0..15", str(attr_type))


def _decode_op(index: int, table: Table) -> Op:
    op_type = table.required_string(0, "type")
    inputs = _decode_slots(table, 1, "inputs")
    outputs = _decode_slots(table, 2, "outputs")
    attrs: dict[str, AttrValue] = {}
    kernel: KernelKey | None = None
    for attr in table.table_vector(3, "attrs"):
        name = attr.required_string(0, "name")
        value = _attr_value(attr, attr.int_field(1, INT32, "type"))
        if name != KERNEL_TYPE_ATTR:
            attrs[name] = value
            continue
        try:
            kernel = KernelKey.parse(value if isinstance(value, str) else "")
        except ValueError:
            raise attr.fb.error(attr.pos, f"{op_type} op's kernel as op/alias/target/precision/layout",
                                repr(value)) from None  # fmt: skip
        if kernel.op != op_type:
            raise attr.fb.error(attr.pos, f"a kernel for op {op_type!r}", f"one for {kernel.op!r}")
    return Op(index, op_type, inputs, outputs, attrs, kernel)


def _io_tensors(
    fb: FlatBuffer, ops: list[Op], op_positions: list[int], variables: dict[str, Var], op_type: str, slot: str
) -> list[TensorInfo]:
    """The model's inputs (feed ops' Out) or outputs (fetch ops' X), ordered by the ops' `col` attribute."""
    by_col: dict[int, TensorInfo] = {}
    for op, pos in zip(ops, op_positions, strict=True):
        if op.type != op_type:
            continue
        col = op.attrs.get("col")
        names = op.inputs.get(slot) if slot == "X" else op.outputs.get(slot)
        if not isinstance(col, int) or isinstance(col, bool) or col in by_col:
            raise fb.error(pos, f"{op_type} op with a unique INT attribute col", repr(col))
        if not names or len(names) != 1 or names[0] not in variables:
            raise fb.error(pos, f"{op_type} op whose {slot} is one declared var", repr(names))
        by_col[col] = TensorInfo(names[0], variables[names[0]].dims)
    return [by_col[col] for col in sorted(by_col)]


# -- the fast decoder --

_I32 = INT32.unpack_from
_U32 = struct.Struct("<I").unpack_from
_I64 = INT64.unpack_from
_F32 = FLOAT32.unpack_from
_F64 = FLOAT64.unpack_from
_BOOL = struct.Struct("<?").unpack_from
_VTABLE_HEAD = struct.Struct("<HH").unpack_from
_MAX_FIELDS = 16
_VTABLE_FIELDS = [struct.Struct(f"<{n}H").unpack_from for n in range(_MAX_FIELDS + 1)]
_ABSENT = [(0,) * (_MAX_FIELDS - n) for n in range(_MAX_FIELDS + 1)]


# Parsed kernel keys by their raw text, shared by all models: a model uses few distinct keys many times, and
# sharing one (immutable) KernelKey object also makes later dict lookups and counting hit on identity.
_KERNEL_KEYS: dict[str, KernelKey] = {}
_KERNEL_KEYS_MAX = 4096


def _kernel_key(raw: str) -> KernelKey:
    key = _KERNEL_KEYS.get(raw)
    if key is None:
        key = KernelKey.parse(raw)  # ValueError for a malformed key
        if len(_KERNEL_KEYS) >= _KERNEL_KEYS_MAX:
            _KERNEL_KEYS.clear()
        _KERNEL_KEYS[raw] = key
    return key


class _Malformed(Exception):
    """Raised by the fast decoder on any violated check; the reference decoder then reports it."""


class _FastDecoder:
    """Decodes ProgramDesc with the reference decoder's checks and budget charges, without Table objects.

    A table is a (position, fields) pair: `fields` holds its vtable's 16 first field offsets (0 = absent).
    """

    __slots__ = ("budget", "buf", "fb", "size", "vtables")

    def __init__(self, fb: FlatBuffer) -> None:
        self.fb = fb
        self.buf = fb.buf
        self.size = len(fb.buf)
        self.budget = fb.budget
        # vtable position -> (table bytes, fields): builders share one vtable among many tables.
        self.vtables: dict[int, tuple[int, tuple[int, ...]]] = {}

    def fields(self, pos: int) -> tuple[int, ...]:
        """The field offsets of the table at `pos`, charging the table to the budget."""
        vtable = pos - _I32(self.buf, pos)[0]
        cached = self.vtables.get(vtable)
        if cached is None:
            return self.fields_of([pos])[0]
        self.budget -= cached[0]
        if self.budget < 0:
            raise _Malformed
        return cached[1]

    def fields_of(self, positions: list[int]) -> list[tuple[int, ...]]:
        """The field offsets of the tables at `positions`, charging each table to the budget."""
        buf = self.buf
        vtables = self.vtables
        budget = self.budget
        result = []
        for pos in positions:
            vtable = pos - _I32(buf, pos)[0]
            cached = vtables.get(vtable)
            if cached is None:
                if vtable < 0:
                    raise _Malformed
                vtable_bytes, table_bytes = _VTABLE_HEAD(buf, vtable)
                count = (vtable_bytes - 4) >> 1
                if count < 0 or vtable_bytes & 1:
                    raise _Malformed
                if count >= _MAX_FIELDS:
                    offsets = _VTABLE_FIELDS[_MAX_FIELDS](buf, vtable + 4)
                else:
                    offsets = _VTABLE_FIELDS[count](buf, vtable + 4) + _ABSENT[count]
                cached = vtables[vtable] = (table_bytes + _OBJECT_COST, offsets)
            budget -= cached[0]
            if budget < 0:
                raise _Malformed
            result.append(cached[1])
        self.budget = budget
        return result

    def strings(self, positions: list[int]) -> list[str]:
        """The strings whose length prefixes are at `positions`, charging each to the budget."""
        buf = self.buf
        size = self.size
        budget = self.budget
        result = []
        for pos in positions:
            length = _U32(buf, pos)[0]
            start = pos + 4
            end = start + length
            if end >= size or buf[end]:
                raise _Malformed
            budget -= length + _OBJECT_COST
            if budget < 0:
                raise _Malformed
            result.append(buf[start:end].decode())
        self.budget = budget
        return result

    def vector(self, pos: int, elem_size: int) -> tuple[int, int]:
        """(first element, count) of the vector with its length at `pos`, bounds-checked and charged."""
        count = _U32(self.buf, pos)[0]
        start = pos + 4
        nbytes = count * elem_size
        if start + nbytes > self.size:
            raise _Malformed
        self.budget -= nbytes + _OBJECT_COST
        if self.budget < 0:
            raise _Malformed
        return start, count

    def offsets(self, pos: int) -> list[int]:
        """Targets of the vector of offsets at `pos` (each relative to its own element)."""
        buf = self.buf
        count = _U32(buf, pos)[0]
        start = pos + 4
        nbytes = 4 * count
        if start + nbytes > self.size:
            raise _Malformed
        self.budget -= nbytes + _OBJECT_COST
        if self.budget < 0:
            raise _Malformed
        if count == 1:
            return [start + _U32(buf, start)[0]]
        if not count:
            return []
        rel = struct.unpack_from(f"<{count}I", buf, start)
        return [target + offset for target, offset in zip(range(start, start + nbytes, 4), rel, strict=True)]

    def scalars(self, pos: int, code: str, size: int) -> tuple[Any, ...]:
        start, count = self.vector(pos, size)
        return struct.unpack_from(f"<{count}{code}", self.buf, start) if count else ()

    def field_target(self, pos: int, offset: int) -> int:
        """Where the offset field at table position `pos` + `offset` points."""
        pos += offset
        target: int = pos + _U32(self.buf, pos)[0]
        return target

    # -- schema --

    def program(self) -> Program:
        buf = self.buf
        root = _U32(buf, 0)[0]
        fields = self.fields(root)
        if not fields[0]:
            raise _Malformed
        blocks = self.offsets(self.field_target(root, fields[0]))
        if not blocks:
            raise _Malformed
        paddle_version: int | None = None
        if fields[1]:
            version = self.field_target(root, fields[1])
            version_fields = self.fields(version)
            paddle_version = _I64(buf, version + version_fields[0])[0] if version_fields[0] else 0
        # The reference decoder builds every block's Table (charging each) before decoding block 0.
        block_fields = self.fields_of(blocks)
        block, fields = blocks[0], block_fields[0]
        variables: dict[str, Var] = {}
        if fields[2]:
            var_positions = self.offsets(self.field_target(block, fields[2]))
            var_fields = self.fields_of(var_positions)
            name_positions = []
            for pos, vfields in zip(var_positions, var_fields, strict=True):
                if not vfields[0]:
                    raise _Malformed
                target = pos + vfields[0]
                name_positions.append(target + _U32(buf, target)[0])
            var = self.var
            for pos, vfields, name in zip(
                var_positions, var_fields, self.strings(name_positions), strict=True
            ):
                variables[name] = var(pos, vfields, name)
        ops: list[Op] = []
        op_positions = self.offsets(self.field_target(block, fields[3])) if fields[3] else []
        op_fields = self.fields_of(op_positions)
        for index, (pos, op_fields_) in enumerate(zip(op_positions, op_fields, strict=True)):
            ops.append(self.op(index, pos, op_fields_))
        fb = self.fb
        inputs = _io_tensors(fb, ops, op_positions, variables, "feed", "Out")
        outputs = _io_tensors(fb, ops, op_positions, variables, "fetch", "X")
        return Program(paddle_version, variables, ops, inputs, outputs)

    def var(self, pos: int, fields: tuple[int, ...], name: str) -> Var:
        buf = self.buf
        persistable = bool(_BOOL(buf, pos + fields[2])[0]) if fields[2] else False
        if not fields[1]:
            return Var(name, 0, None, (), persistable)
        target = pos + fields[1]
        var_type = target + _U32(buf, target)[0]
        type_fields = self.fields(var_type)
        kind = _I32(buf, var_type + type_fields[0])[0] if type_fields[0] else 0
        tensor = 0
        if kind == VAR_TYPE_SELECTED_ROWS:
            if type_fields[1]:
                tensor = self.field_target(var_type, type_fields[1])
        elif kind in (VAR_TYPE_LOD_TENSOR, VAR_TYPE_LOD_TENSOR_ARRAY):
            offset = type_fields[2 if kind == VAR_TYPE_LOD_TENSOR else 3]
            if offset:
                target = var_type + offset
                holder = target + _U32(buf, target)[0]
                holder_fields = self.fields(holder)
                if holder_fields[0]:
                    target = holder + holder_fields[0]
                    tensor = target + _U32(buf, target)[0]
        if not tensor:
            return Var(name, kind, None, (), persistable)
        tensor_fields = self.fields(tensor)
        dtype = _I32(buf, tensor + tensor_fields[0])[0] if tensor_fields[0] else 0
        dims: tuple[int, ...] = ()
        if tensor_fields[1]:
            dims = self.scalars(self.field_target(tensor, tensor_fields[1]), "q", 8)
        return Var(name, kind, dtype, dims, persistable)

    def op(self, index: int, pos: int, fields: tuple[int, ...]) -> Op:
        buf = self.buf
        offsets = self.offsets
        fields_of = self.fields_of
        if not fields[0]:
            raise _Malformed
        # Gather the positions of every string of the op (type, slot parameters and arguments, attr names and
        # STRING values), decode them in one batch, then assemble the op from them in the same order.
        target = pos + fields[0]
        string_positions = [target + _U32(buf, target)[0]]
        slot_sizes: list[list[int]] = [[], []]
        for offset, sizes in ((fields[1], slot_sizes[0]), (fields[2], slot_sizes[1])):
            if not offset:
                continue
            target = pos + offset
            slot_positions = offsets(target + _U32(buf, target)[0])
            for slot, slot_fields in zip(slot_positions, fields_of(slot_positions), strict=True):
                if not slot_fields[0]:
                    raise _Malformed
                target = slot + slot_fields[0]
                string_positions.append(target + _U32(buf, target)[0])
                if slot_fields[1]:
                    target = slot + slot_fields[1]
                    arguments = offsets(target + _U32(buf, target)[0])
                    string_positions += arguments
                    sizes.append(len(arguments))
                else:
                    sizes.append(0)
        attr_positions: list[int] = []
        attr_fields: list[tuple[int, ...]] = []
        types = []
        if fields[3]:
            target = pos + fields[3]
            attr_positions = offsets(target + _U32(buf, target)[0])
            attr_fields = fields_of(attr_positions)
            for attr, afields in zip(attr_positions, attr_fields, strict=True):
                if not afields[0]:
                    raise _Malformed
                target = attr + afields[0]
                string_positions.append(target + _U32(buf, target)[0])
                attr_type = _I32(buf, attr + afields[1])[0] if afields[1] else 0
                types.append(attr_type)
                if attr_type == 2 and afields[4]:
                    target = attr + afields[4]
                    string_positions.append(target + _U32(buf, target)[0])
        strings = iter(self.strings(string_positions))
        op_type = next(strings)
        inputs: dict[str, tuple[str, ...]] = {}
        outputs: dict[str, tuple[str, ...]] = {}
        for slots, sizes in ((inputs, slot_sizes[0]), (outputs, slot_sizes[1])):
            for size in sizes:
                parameter = next(strings)
                slots[parameter] = tuple(islice(strings, size))
        attrs: dict[str, AttrValue] = {}
        kernel: KernelKey | None = None
        value: AttrValue
        for attr, afields, attr_type in zip(attr_positions, attr_fields, types, strict=True):
            name = next(strings)
            if attr_type == 0:
                value = _I32(buf, attr + afields[2])[0] if afields[2] else 0
            elif attr_type == 2:
                value = next(strings) if afields[4] else ""
            elif attr_type == 6:
                value = bool(_BOOL(buf, attr + afields[8])[0]) if afields[8] else False
            else:
                value = self.attr_value(attr, afields, attr_type)
            if name != KERNEL_TYPE_ATTR:
                attrs[name] = value
                continue
            kernel = _kernel_key(value if isinstance(value, str) else "")  # ValueError: malformed
            if kernel.op != op_type:
                raise _Malformed
        return Op(index, op_type, inputs, outputs, attrs, kernel)

    def attr_value(self, pos: int, fields: tuple[int, ...], attr_type: int) -> AttrValue:
        """The member of Attr that `attr_type` names, for the types `op` does not decode inline; see
        `_attr_value` for the mapping."""
        buf = self.buf
        if attr_type == 1:
            return _F32(buf, pos + fields[3])[0] if fields[3] else 0.0
        if attr_type == 8:
            return _I32(buf, pos + fields[10])[0] if fields[10] else 0
        if attr_type == 9:
            return _I64(buf, pos + fields[11])[0] if fields[11] else 0
        if attr_type == 15:
            return _F64(buf, pos + fields[14])[0] if fields[14] else 0.0
        if attr_type in (13, 14):
            return None
        if attr_type == 5:
            return self.strings(self.offsets(self.field_target(pos, fields[7]))) if fields[7] else []
        vector = _ATTR_VECTORS.get(attr_type)
        if vector is None:
            raise _Malformed
        field_id, code, size = vector
        offset = fields[field_id]
        return list(self.scalars(self.field_target(pos, offset), code, size)) if offset else []


# AttrType -> (Attr field id, struct code, element size) of the vector-of-scalars attribute types.
_ATTR_VECTORS = {
    3: (5, "i", 4),  # INTS
    4: (6, "f", 4),  # FLOATS
    7: (9, "?", 1),  # BOOLEANS
    10: (12, "i", 4),  # BLOCKS
    11: (13, "q", 8),  # LONGS
    12: (15, "d", 8),  # FLOAT64S
}
