import os
import sys
from pathlib import Path

from hypothesis import settings

# Test helpers (tests/helpers.py) import as a plain module.
sys.path.insert(0, str(Path(__file__).parent))

# Property tests explore new examples on every local run. CI (`.ci/run`) sets HYPOTHESIS_PROFILE=ci:
# the same examples every run, so a submission passes or fails on its own change, and a failure
# there reproduces anywhere with `HYPOTHESIS_PROFILE=ci uv run pytest`. Loaded here, before the
# test modules build their own `settings(...)` on top of it.
settings.register_profile("ci", derandomize=True, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))
