"""The two languages Eligo speaks: their tags, a protocol text in one of them, dates in words."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Literal

Language = Literal["en", "zh-CN"]
LANGUAGES: tuple[Language, ...] = ("en", "zh-CN")
NAMES: dict[Language, str] = {"en": "English", "zh-CN": "中文"}
"""Each language named in itself, as the sign-in window offers them."""


def parse_language(text: str | None) -> Language:
    """'zh-CN', 'zh_CN', 'zh', 'zh-Hans-CN', a system locale such as 'zh_CN.UTF-8' -> 'zh-CN';
    anything else (or nothing) -> 'en'."""
    tag = (text or "").replace("_", "-").split(".", 1)[0].lower()
    return "zh-CN" if tag == "zh" or tag.startswith("zh-") else "en"


def local(text: Mapping[str, str], language: Language) -> str:
    """A protocol text in `language`, English where the protocol has no such text."""
    return text.get(language) or text["en"]


def date_text(value: date | str | None, language: Language, *, running: bool = False) -> str:
    """A date as the language writes it: 2023-03-08 in forms and tables (both languages), and in
    Chinese running text 2023年3月8日. Text that is not a date is returned as it is."""
    if value is None:
        return "—"
    if isinstance(value, str):
        try:
            day = date.fromisoformat(value)
        except ValueError:
            return value
    else:
        day = value
    if running and language == "zh-CN":
        return f"{day.year}年{day.month}月{day.day}日"
    return day.isoformat()
