"""Letter templates as data (`resources/letters/*.yaml`): the blocks of a letter, the labels of
its fields and which fields must not be empty. Checked when loaded — unknown blocks, fields
or {placeholders} are refused with the file and the block named — and extracted for the
`documents` catalogs by the `traject_letter` Babel extractor."""

from __future__ import annotations

import string
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import IO, Any

from app.package_data import resources
from app.services.data_files import load_yaml
from app.services.referrals.letters.content import FIELDS

TEMPLATE_DIR = resources() / "letters"
KINDS = ("partner", "client")
#: Block kinds whose value is a text to translate, and those whose value names fields.
TEXT_BLOCKS = frozenset({"subject", "paragraph", "heading", "closing"})
FIELD_BLOCKS = frozenset({"fields", "text_field", "list_field", "lines"})
OPTIONS = frozenset({"when", "otherwise"})
TRANSLATABLE = TEXT_BLOCKS | {"otherwise", "title"}


class TemplateInvalid(ValueError):
    pass


@dataclass(frozen=True)
class Block:
    kind: str
    text: str | None  # a source text for text blocks
    fields: tuple[str, ...]  # the fields of field blocks
    when: str | None = None  # shown only when this field has a value…
    otherwise: str | None = None  # …else this text (source), if any


@dataclass(frozen=True)
class Template:
    kind: str
    title: str
    required: frozenset[str]
    labels: Mapping[str, str]
    blocks: tuple[Block, ...]


def placeholders(text: str) -> set[str]:
    return {name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name}


def _block(raw: Any, where: str) -> Block:
    if not isinstance(raw, dict):
        raise TemplateInvalid(f"{where}: a block is a mapping like {{paragraph: …}}")
    kinds = set(raw) - OPTIONS
    if len(kinds) != 1 or not kinds <= TEXT_BLOCKS | FIELD_BLOCKS:
        raise TemplateInvalid(
            f"{where}: one of {sorted(TEXT_BLOCKS | FIELD_BLOCKS)} expected, got {sorted(raw)}"
        )
    kind = kinds.pop()
    value = raw[kind]
    when, otherwise = raw.get("when"), raw.get("otherwise")
    if when is not None and when not in FIELDS:
        raise TemplateInvalid(f"{where}: `when` names the unknown field {when!r}")
    texts = [t for t in (value if kind in TEXT_BLOCKS else None, otherwise) if t is not None]
    for text in texts:
        if not isinstance(text, str) or not text.strip():
            raise TemplateInvalid(f"{where}: the text is empty")
        unknown = placeholders(text) - set(FIELDS)
        if unknown:
            raise TemplateInvalid(f"{where}: unknown placeholders {sorted(unknown)}")
    if kind in TEXT_BLOCKS:
        return Block(kind, value, (), when, otherwise)
    names = (value,) if isinstance(value, str) else tuple(value or ())
    unknown = set(names) - set(FIELDS)
    if not names or unknown:
        raise TemplateInvalid(f"{where}: unknown fields {sorted(unknown) or '(none given)'}")
    return Block(kind, None, names, when, otherwise)


def parse(document: Any, name: str) -> Template:
    if not isinstance(document, dict) or document.get("kind") not in KINDS:
        raise TemplateInvalid(f"{name}: `kind` must be one of {KINDS}")
    required = set(document.get("required") or ())
    labels = dict(document.get("labels") or {})
    unknown = (required | set(labels)) - set(FIELDS)
    if unknown:
        raise TemplateInvalid(f"{name}: unknown fields {sorted(unknown)}")
    blocks = tuple(
        _block(raw, f"{name}, block {n}") for n, raw in enumerate(document.get("blocks") or (), 1)
    )
    if not blocks or not isinstance(document.get("title"), str):
        raise TemplateInvalid(f"{name}: a template needs a title and blocks")
    shown = {f for b in blocks for f in b.fields}
    unlabelled = shown - set(labels)
    if unlabelled:
        raise TemplateInvalid(f"{name}: fields without a label: {sorted(unlabelled)}")
    return Template(document["kind"], document["title"], frozenset(required), labels, blocks)


def fields_used(template: Template) -> list[str]:
    """Every field the template prints, as a row, a line or a {placeholder}, in its order."""
    out: list[str] = []
    for block in template.blocks:
        names = list(block.fields) + [
            name
            for text in (block.text, block.otherwise)
            if text
            for name in sorted(placeholders(text))
        ]
        out += [name for name in names if name not in out]
    return out


@cache
def load(kind: str, directory: Path = TEMPLATE_DIR) -> Template:
    path = directory / f"{kind}.yaml"
    return parse(load_yaml(path.read_text(encoding="utf-8")), path.name)


def extract_letter(
    fileobj: IO[bytes], keywords: Collection[str], comment_tags: Collection[str],
    options: Mapping[str, Any],
) -> Iterator[tuple[int, str | None, str, list[str]]]:  # fmt: skip
    """The Babel extractor for templates: block texts, `otherwise`, the title and the labels."""
    from app.services.scripts.extract import yaml_texts

    yield from yaml_texts(fileobj, TRANSLATABLE, mappings=("labels",))
