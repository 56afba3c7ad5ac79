"""./canbo bench NAME: run a benchmark module of this folder."""

import runpy
import sys

if len(sys.argv) < 2:
    sys.exit("Dùng: ./canbo bench pages [--repeat N]")
name = sys.argv.pop(1)
runpy.run_module(f"bench.{name}", run_name="__main__")
