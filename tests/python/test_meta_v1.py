"""meta_version 1: the parameter section is one CombinedParamsDesc FlatBuffer (FORMAT.md section 4).

Real v1 fixtures are covered in test_reader_fixtures.py when they exist; this re-encodes the bundled v2
example (see testdata.as_meta_version_1) so the v1 path is always tested against known-good parameters.
"""

from __future__ import annotations

from pathlib import Path

from testdata import EXAMPLE_MODEL, as_meta_version_1

from tailor.nb import load_model, read_param_data, read_params


def test_v1_reencoding_reads_like_v2(tmp_path: Path) -> None:
    v1_path = tmp_path / "v1.nb"
    v1_path.write_bytes(as_meta_version_1(EXAMPLE_MODEL.read_bytes()))
    v1, v2 = load_model(v1_path), load_model(EXAMPLE_MODEL)
    assert v1.meta_version == 1
    assert v1.ops == v2.ops and v1.inputs == v2.inputs and v1.params_offset == v2.params_offset
    p1, p2 = read_params(v1), read_params(v2)
    assert [(p.name, p.dims, p.dtype, p.nbytes) for p in p1] == [
        (p.name, p.dims, p.dtype, p.nbytes) for p in p2
    ]
    assert len(p1) == 56
    for name in ("batch_norm2d_0.b_0", "conv2d_0.w_0"):
        assert read_param_data(v1, name) == read_param_data(v2, name)
