"""A Babel extraction method for script files: every text a counsellor or client reads.

Registered as the `traject_script` extractor (pyproject entry point) and used by
`babel.cfg`, so `make i18n` puts script texts in the catalogs like any `_()` in the code.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from typing import IO, Any

import yaml

TRANSLATABLE = frozenset(
    {"title", "description", "text", "guidance", "label", "explanation", "reason", "unmet"}
)


def _texts(node: yaml.Node, key: str | None) -> Iterator[tuple[int, str]]:
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            yield from _texts(value_node, str(key_node.value))
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield from _texts(item, key)
    elif isinstance(node, yaml.ScalarNode) and key in TRANSLATABLE and node.value:
        yield node.start_mark.line + 1, str(node.value)


def extract_script(
    fileobj: IO[bytes], keywords: Collection[str], comment_tags: Collection[str],
    options: Mapping[str, Any],
) -> Iterator[tuple[int, str | None, str, list[str]]]:  # fmt: skip
    root = yaml.compose(fileobj.read().decode("utf-8"))
    if root is None:
        return
    for lineno, text in _texts(root, None):
        yield lineno, None, text, []
