"""Reading Paddle Lite `.nb` (naive_buffer) files: see FORMAT.md and `tailor.nb.reader`."""

from tailor.nb.reader import load_model, read_param_data, read_params

__all__ = ["load_model", "read_param_data", "read_params"]
