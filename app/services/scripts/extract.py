"""A Babel extraction method for script files: every text a counsellor or client reads.

Registered as the `traject_script` extractor (pyproject entry point) and used by
`babel.cfg`, so `make i18n` puts script texts in the catalogs like any `_()` in the code.
With the option `client_facing = true` (`babel-documents.cfg`) it gives only what a client
reads — titles, questions and their options (the paper questionnaire), the results' labels
(their data export) — for the documents catalogs.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from typing import IO, Any

import yaml

TRANSLATABLE = frozenset(
    {"title", "description", "text", "guidance", "label", "explanation", "reason", "unmet"}
)
CLIENT_FACING = frozenset({"title", "text", "results.label"})


_MAPPED = "\0mapped"  # the key of a value inside one of the `mappings`


def _texts(
    node: yaml.Node, key: str | None, keys: Collection[str], mappings: Collection[str],
    section: str | None = None,
) -> Iterator[tuple[int, str]]:  # fmt: skip
    """`section` is the top-level key the node is under: "results.label" in `keys` takes the
    labels of the results only."""
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            # every value of a mapping under one of `mappings` (a template's field labels)
            inner = _MAPPED if key in mappings else str(key_node.value)
            yield from _texts(value_node, inner, keys, mappings, section or inner)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield from _texts(item, key, keys, mappings, section)
    elif (
        isinstance(node, yaml.ScalarNode)
        and node.value
        and (key in keys or key == _MAPPED or f"{section}.{key}" in keys)
    ):
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
    client_facing = str(options.get("client_facing", "")).lower() == "true"
    yield from yaml_texts(fileobj, CLIENT_FACING if client_facing else TRANSLATABLE)
