#!/usr/bin/env bash
# The main job, end to end, on the bundled example model: scan it, then build a tailored engine for
# linux-x86_64 and linux-aarch64, verify it runs the model (natively and under qemu) against the full
# engine, and write the libraries and size reports into dist/. Extra arguments go to `tailor build`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
model=examples/mobilenet_v1_x0_25_arm.nb
echo "example: tailor scan $model"
.venv/bin/tailor scan --models "$model"
echo "example: tailor build --models $model --abi linux-x86_64 --abi linux-aarch64 --out dist"
.venv/bin/tailor build --models "$model" --abi linux-x86_64 --abi linux-aarch64 --out dist "$@"
echo "example: size reports in dist/<abi>/size-report.{md,html,json}"
cat dist/linux-aarch64/size-report.md
