"""The bulk loader writes every field of every model: its columns come from the models, not from a list."""

from __future__ import annotations

import pytest

from shishin.plans.actions.loading import _Table
from shishin.plans.models import Indicator, Item, Record


def test_a_table_has_a_column_for_every_field_of_its_model() -> None:
    names = {f.attname for f in Record._meta.concrete_fields if not f.primary_key}
    assert set(_Table(Record).columns) == names
    assert {"updated_at", "updated_by_id", "version", "state"} <= names


def test_a_field_without_a_value_or_a_default_is_refused() -> None:
    with pytest.raises(TypeError, match=r"Indicator: no value for \['label'"):
        _Table(Indicator).add(item_id=-1, position=0, value=1, unit="件", start=0, end=1)


def test_a_name_that_is_not_a_field_is_refused() -> None:
    with pytest.raises(TypeError, match="Item has no field"):
        _Table(Item).add(record_id=-1, position=0, text="x", colour="red")


def test_fields_not_given_take_their_defaults() -> None:
    table = _Table(Item)
    table.add(record_id=-1, position=0, text="x")
    row = dict(zip(table.columns, table.rows[0], strict=True))
    assert (row["bullet"], row["carried_over"]) == (True, False)
