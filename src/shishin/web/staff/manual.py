"""The manual (ヘルプ): the Markdown pages of the package's ``manual`` folder, rendered in the site's
layout, and their screenshots.

The same files are read in the repository (docs/manual links to the folder), so they refer to each
other as files (``editor.md#…``, ``images/…png``); rendering turns those into the site's addresses.
"""

from __future__ import annotations

import re
from importlib import resources
from typing import cast
from xml.etree.ElementTree import Element

import markdown
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from markdown.extensions import Extension
from markdown.extensions.toc import slugify_unicode
from markdown.treeprocessors import Treeprocessor

from . import staff_view

MANUAL = resources.files("shishin") / "manual"
INDEX = "index"
PAGE = re.compile(r"[a-z]+")
# Strict, so that no other file of the package can be asked for.
IMAGE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\.png")
PAGE_LINK = re.compile(r"(?P<page>[a-z]+)\.md(?P<anchor>#.*)?")
IMAGE_LINK = re.compile(r"images/(?P<name>[^/]+)")


@staff_view()
def index(request: HttpRequest) -> HttpResponse:
    return _render(request, INDEX)


@staff_view()
def page(request: HttpRequest, name: str) -> HttpResponse:
    if name == INDEX:
        return redirect("staff:help")
    return _render(request, name)


@staff_view()
def image(request: HttpRequest, name: str) -> HttpResponse:
    source = MANUAL / "images" / name
    if not IMAGE.fullmatch(name) or not source.is_file():
        raise Http404("この画像はありません")
    # A streaming response, which staff_view's type (HttpResponse) does not name but passes on as it is.
    return cast(HttpResponse, FileResponse(source.open("rb"), content_type="image/png"))


def _render(request: HttpRequest, name: str) -> HttpResponse:
    source = MANUAL / f"{name}.md"
    if not PAGE.fullmatch(name) or not source.is_file():
        raise Http404("このページはありません")
    # Headings get the ids GitHub gives them (Japanese kept), so links to sections work in both places.
    converter = markdown.Markdown(
        extensions=["tables", "sane_lists", "toc", _SiteAddresses()],
        extension_configs={"toc": {"slugify": slugify_unicode}},
    )
    html = converter.convert(source.read_text(encoding="utf-8"))
    title = converter.toc_tokens[0]["name"] if converter.toc_tokens else "ヘルプ"  # type: ignore[attr-defined]
    return render(request, "staff/help.html", {"html": html, "title": title, "is_index": name == INDEX})


def page_address(link: str) -> str:
    """Where a link of the Markdown leads on the site: ``admin.md#x`` → ``/staff/help/admin/#x``;
    other links are kept."""
    match = PAGE_LINK.fullmatch(link)
    if match is None:
        return link
    name = match["page"]
    address = reverse("staff:help") if name == INDEX else reverse("staff:help_page", args=[name])
    return address + (match["anchor"] or "")


class _Addresses(Treeprocessor):
    def run(self, root: Element) -> None:
        for link in root.iter("a"):
            link.set("href", page_address(link.get("href", "")))
        for picture in root.iter("img"):
            if match := IMAGE_LINK.fullmatch(picture.get("src", "")):
                picture.set("src", reverse("staff:help_image", args=[match["name"]]))


class _SiteAddresses(Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:
        # After the inline patterns (20) have made the links and images.
        md.treeprocessors.register(_Addresses(md), "site_addresses", 15)
