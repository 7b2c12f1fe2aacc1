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


_MAPPED = "\0mapped"  # the key of a value inside one of the `mappings`


def _texts(
    node: yaml.Node, key: str | None, keys: Collection[str], mappings: Collection[str]
) -> Iterator[tuple[int, str]]:
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            # every value of a mapping under one of `mappings` (a template's field labels)
            inner = _MAPPED if key in mappings else str(key_node.value)
            yield from _texts(value_node, inner, keys, mappings)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield from _texts(item, key, keys, mappings)
    elif isinstance(node, yaml.ScalarNode) and (key in keys or key == _MAPPED) and node.value:
        yield node.start_mark.line + 1, str(node.value)


def yaml_texts(
    fileobj: IO[bytes], keys: Collection[str], mappings: Collection[str] = ()
) -> Iterator[tuple[int, str | None, str, list[str]]]:
    """Babel extraction of a YAML file: the values under `keys`, and every value of the
    mappings under `mappings`, with their line numbers."""
    root = yaml.compose(fileobj.read().decode("utf-8"))
    if root is None:
        return
    for lineno, text in _texts(root, None, keys, mappings):
        yield lineno, None, text, []


def extract_script(
    fileobj: IO[bytes], keywords: Collection[str], comment_tags: Collection[str],
    options: Mapping[str, Any],
) -> Iterator[tuple[int, str | None, str, list[str]]]:  # fmt: skip
    yield from yaml_texts(fileobj, TRANSLATABLE)
