"""The pinyin dictionaries (tens of MB) load only when the typo fallback first runs."""

from __future__ import annotations

import subprocess
import sys

PROBE = """
import sys
import bot.cli
from nlu import classify
from nlu import prior
print(prior._package_prior.cache_info().currsize)
classify("3栋楼道的灯坏了，请社区派人来修")
print("pypinyin" in sys.modules)
classify("楼下拉极好几天没人收拾，请帮忙")
print("pypinyin" in sys.modules)
"""


def test_pypinyin_is_imported_by_the_first_fallback_not_at_start():
    result = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True,
                            check=True)
    assert result.stdout.split() == ["0", "False", "True"]
