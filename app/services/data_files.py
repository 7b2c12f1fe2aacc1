"""Reading Traject's YAML data files (guided scripts, letter templates, offer catalogues).

PyYAML's safe loader, on libyaml's C parser where the installed PyYAML has it (about ten times
faster: opening the first client file reads the three scripts) and on PyYAML's own parser
where it does not; the same safe subset of YAML either way.
"""

from __future__ import annotations

from typing import Any

import yaml

SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(text: str) -> Any:
    """The document in `text` (plain data only: no tags that build objects)."""
    return yaml.load(text, Loader=SafeLoader)
