"""Decode the topology FlatBuffer (root `paddle.lite.fbs.proto.ProgramDesc`, framework.fbs) into model types.

Field ids follow framework.fbs; see FORMAT.md section 3. Only block 0 is decoded: it is the program Lite runs,
and sub-blocks (control flow) are reached from its ops' BLOCK attributes.
"""

from __future__ import annotations

from dataclasses import dataclass

from tailor.model import AttrValue, KernelKey, Op, TensorInfo, Var
from tailor.nb.flatbuffers import FLOAT32, FLOAT64, INT32, INT64, FlatBuffer, Table
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
    inputs = _io_tensors(fb, ops, op_tables, variables, "feed", "Out")
    outputs = _io_tensors(fb, ops, op_tables, variables, "fetch", "X")
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
    fb: FlatBuffer, ops: list[Op], op_tables: list[Table], variables: dict[str, Var], op_type: str, slot: str
) -> list[TensorInfo]:
    """The model's inputs (feed ops' Out) or outputs (fetch ops' X), ordered by the ops' `col` attribute."""
    by_col: dict[int, TensorInfo] = {}
    for op, table in zip(ops, op_tables, strict=True):
        if op.type != op_type:
            continue
        col = op.attrs.get("col")
        names = op.inputs.get(slot) if slot == "X" else op.outputs.get(slot)
        if not isinstance(col, int) or isinstance(col, bool) or col in by_col:
            raise fb.error(table.pos, f"{op_type} op with a unique INT attribute col", repr(col))
        if not names or len(names) != 1 or names[0] not in variables:
            raise fb.error(table.pos, f"{op_type} op whose {slot} is one declared var", repr(names))
        by_col[col] = TensorInfo(names[0], variables[names[0]].dims)
    return [by_col[col] for col in sorted(by_col)]
