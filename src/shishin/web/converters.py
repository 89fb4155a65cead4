"""The numbers public and staff URLs carry (ids, years, edition numbers), bounded to what the
database stores: a 20-digit id is a page that does not exist (404), never an overflow (500)."""

from __future__ import annotations

from django.urls import register_converter

LARGEST_ID = 2_147_483_647  # a 32-bit signed integer, the largest id both databases store


class IdConverter:
    regex = "[0-9]{1,10}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > LARGEST_ID:
            raise ValueError(value)  # the URL matches no page
        return number

    def to_url(self, value: int) -> str:
        return str(value)


register_converter(IdConverter, "id")
