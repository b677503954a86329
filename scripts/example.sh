#!/usr/bin/env bash
# The main job, end to end. For now: scan the bundled example model. `tailor build` joins here later.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/tailor scan --models examples/mobilenet_v1_x0_25_arm.nb "$@"
