"""./canbo bench NAME: run a benchmark module of this folder."""

import runpy
import sys
from pathlib import Path

NAMES = sorted(p.stem for p in Path(__file__).parent.glob("*.py") if not p.stem.startswith("_"))

if len(sys.argv) < 2 or sys.argv[1] not in NAMES:
    sys.exit(f"Dùng: ./canbo bench TÊN [tham số], TÊN là một trong: {', '.join(NAMES)}")
name = sys.argv.pop(1)
runpy.run_module(f"bench.{name}", run_name="__main__")
