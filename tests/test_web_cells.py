"""Cells of Datasette's tables (monitor.web.cells): rules as linked names, titles as links."""

from __future__ import annotations

import sqlite3

from monitor.web.cells import render, rules_cell


def row(**values: object) -> sqlite3.Row:
    db = sqlite3.connect(":memory:")
    db.row_factory = sqlite3.Row
    names = ", ".join(f"? AS {name}" for name in values)
    found: sqlite3.Row = db.execute(f"SELECT {names}", tuple(values.values())).fetchone()
    return found


def test_rules_are_linked_names_not_json() -> None:
    assert rules_cell('["dan-van", "toan-dan"]') == (
        '<a href="/archive/articles_view?rules__arraycontains=dan-van">dan-van</a>, '
        '<a href="/archive/articles_view?rules__arraycontains=toan-dan">toan-dan</a>'
    )


def test_no_rule_is_an_empty_cell() -> None:
    assert rules_cell("[]") == "&nbsp;"


def test_what_is_not_a_list_of_names_is_left_to_datasette() -> None:
    assert rules_cell("dan-van") is None
    assert rules_cell("[1, 2]") is None
    assert rules_cell(None) is None


def test_a_title_links_to_its_article_page() -> None:
    html = render(row(article_id=141005, title="Dân vận <khéo>"), "Dân vận <khéo>", "title")
    assert html == '<a href="/archive/article/141005">Dân vận &lt;khéo&gt;</a>'


def test_a_title_without_an_article_id_is_left_to_datasette() -> None:
    assert render(row(title="x"), "x", "title") is None
    assert render(row(article_id=1, lead="x"), "x", "lead") is None
