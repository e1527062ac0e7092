"""The log's table is split into pages by the rows' measured heights: every row on exactly one
page, in order, no page fuller than its room, and the text wrapped within its column."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QPdfWriter

from desktop_app.ui.print_table import LongTable, TablePainter

WIDE = "withdrawn before enrollment after a long discussion with the family " * 3


def painter_for(tmp_path: Path, rows: list[tuple[str, ...]]) -> TablePainter:
    writer = QPdfWriter(str(tmp_path / "unused.pdf"))
    writer.setResolution(300)
    table = LongTable(("Number", "Reasons", "Outcome"), (1, 3, 2), rows)
    return TablePainter(table, writer, 3000.0)


def test_every_row_lands_on_exactly_one_page_in_order(qapp: object, tmp_path: Path) -> None:
    rows = [
        (f"N-{i:04d}", "E5" if i % 7 else WIDE, WIDE if i % 11 == 0 else "enrolled")
        for i in range(500)
    ]
    table = painter_for(tmp_path, rows)
    assert max(table.heights) > 2 * min(table.heights)  # wrapped rows are taller
    pages = table.pages(first_room=1200.0, page_room=2000.0)
    assert [i for page in pages for i in page] == list(range(500))
    for number, page in enumerate(pages):
        room = 1200.0 if number == 0 else 2000.0
        assert table.heading_height + sum(table.heights[i] for i in page) <= room
    # Pages are full: the next row would not have fitted on any page but the last.
    for number, page in enumerate(pages[:-1]):
        room = 1200.0 if number == 0 else 2000.0
        used = table.heading_height + sum(table.heights[i] for i in page)
        assert used + table.heights[page[-1] + 1] > room


def test_a_first_page_without_room_for_a_row_starts_the_table_on_the_next(
    qapp: object, tmp_path: Path
) -> None:
    table = painter_for(tmp_path, [("N-1", "E5", "enrolled"), ("N-2", "E6", "enrolled")])
    pages = table.pages(first_room=table.heading_height + 1, page_room=2000.0)
    assert [list(p) for p in pages] == [[], [0, 1]]


def test_a_row_taller_than_a_page_gets_a_page_of_its_own(qapp: object, tmp_path: Path) -> None:
    table = painter_for(tmp_path, [("N-1", "E5", "x"), ("N-2", WIDE * 40, "y"), ("N-3", "E6", "z")])
    pages = table.pages(first_room=600.0, page_room=600.0)
    assert [list(p) for p in pages] == [[0], [1], [2]]
