"""A search query as people type Japanese: words separated by a space (half- or full-width) must all be
found, in any order (「防犯　カメラ」 and 「カメラ 防犯」 find 防犯カメラ); a word is found however wide its
letters are written, in the query or in the text (ＣｏＣｏ and CoCo, ｶﾒﾗ and カメラ): each word is looked
for as typed, as NFKC writes it, and with its ASCII letters and digits full-width."""

from __future__ import annotations

import unicodedata

MAX_WORDS = 5
_WIDE = {code: code + 0xFEE0 for code in range(0x21, 0x7F)}  # ASCII → full-width forms (！ to ～)


def words(query: str) -> list[str]:
    """The words of a query (at most MAX_WORDS): split at spaces of either width, each once."""
    return list(dict.fromkeys(query.split()))[:MAX_WORDS]


def forms(word: str) -> list[str]:
    """The ways a word may be written in the text: as typed, NFKC (ＣｏＣｏ → CoCo, ｶﾒﾗ → カメラ), and
    with its ASCII full-width (CoCo → ＣｏＣｏ)."""
    folded = unicodedata.normalize("NFKC", word)
    return list(dict.fromkeys([word, folded, folded.translate(_WIDE)]))
