"""Paddle Lite's enum values as stored in `.nb` files, with the names Paddle itself prints
(lite/api/paddle_place.h, framework.fbs). Unknown values are kept as numbers by the callers, since newer
Paddle releases add members."""

from __future__ import annotations

TARGET_NAMES: tuple[str, ...] = (
    "kUnk", "kHost", "kX86", "kCUDA", "kARM", "kOpenCL", "kAny", "kFPGA", "kNPU", "kXPU", "kBM", "kMLU",
    "kRKNPU", "kAPU", "kHuaweiAscendNPU", "kImaginationNNA", "kIntelFPGA", "kMetal", "kNNAdapter",
)  # fmt: skip

PRECISION_NAMES: tuple[str, ...] = (
    "kUnk", "kFloat", "kInt8", "kInt32", "kAny", "kFP16", "kBool", "kInt64", "kInt16", "kUInt8", "kFP64",
)  # fmt: skip

LAYOUT_NAMES: tuple[str, ...] = (
    "kUnk", "kNCHW", "kAny", "kNHWC", "kImageDefault", "kImageFolder", "kImageNW", "kMetalTexture2DArray",
    "kMetalTexture2D",
)  # fmt: skip

# VarType_.Type; 16 is unused in framework.fbs.
VAR_TYPE_NAMES: dict[int, str] = {
    0: "BOOL", 1: "INT16", 2: "INT32", 3: "INT64", 4: "FP16", 5: "FP32", 6: "FP64", 7: "LOD_TENSOR",
    8: "SELECTED_ROWS", 9: "FEED_MINIBATCH", 10: "FETCH_LIST", 11: "STEP_SCOPES", 12: "LOD_RANK_TABLE",
    13: "LOD_TENSOR_ARRAY", 14: "PLACE_LIST", 15: "READER", 17: "RAW", 18: "TUPLE", 19: "SIZE_T", 20: "UINT8",
    21: "INT8",
}  # fmt: skip

# Bytes per element of the tensor data types, for checking a parameter's data length against its dims.
DTYPE_SIZES: dict[int, int] = {0: 1, 1: 2, 2: 4, 3: 8, 4: 2, 5: 4, 6: 8, 19: 8, 20: 1, 21: 1}

VAR_TYPE_LOD_TENSOR = 7
VAR_TYPE_SELECTED_ROWS = 8
VAR_TYPE_LOD_TENSOR_ARRAY = 13


def enum_name(names: tuple[str, ...], value: int) -> str:
    """Paddle's name for `value`, or the bare number for a value this table does not know."""
    return names[value] if 0 <= value < len(names) else str(value)


def dtype_name(value: int) -> str:
    return VAR_TYPE_NAMES.get(value, str(value))
