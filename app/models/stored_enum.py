"""Enums stored by their string value, without a database CHECK, so values can be added later."""

from __future__ import annotations

import enum

from sqlalchemy import Enum


def StoredEnum(enum_class: type[enum.Enum]) -> Enum:  # noqa: N802 - reads like a type
    return Enum(
        enum_class,
        native_enum=False,
        create_constraint=False,
        length=32,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )
