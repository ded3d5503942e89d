"""Key figures laid out like the Land's sheet "Auswertung Zeitraum".

Rows are the figures (grouped as in the Land's list), columns the integration managers and
their sum; where figures were also recorded for the applicant as a whole they get a column of
their own. With many persons the columns continue in further tables (the figure names repeat)."""

from __future__ import annotations

from itertools import groupby

from reportlab.platypus import Flowable, Spacer

from .fonts import BOLD
from .layout import (
    LANDSCAPE,
    SUM_FILL,
    frame_size,
    escape_text,
    grid_table,
    markup,
    para,
    styles,
    title_block,
)
from .model import KeyFigureSheet

LABEL_WIDTH = 210
VALUE_WIDTH = 76
MAX_PERSON_COLUMNS = 8


def _years(years: tuple[int, ...]) -> str:
    if not years:
        return "–"
    return str(years[0]) if len(years) == 1 else f"{years[0]}–{years[-1]}"


def _number(value: int | None) -> str:
    return "–" if value is None else f"{value:,}".replace(",", ".")


def key_figure_story(sheet: KeyFigureSheet, *, subtitle: str) -> list[Flowable]:
    st = styles()
    width, _ = frame_size(LANDSCAPE)
    story: list[Flowable] = title_block("Kennzahlen – Auswertung Zeitraum",
                                        f"{subtitle} · Kalenderjahre {_years(sheet.years)}")
    if not sheet.rows:
        return story + [para("Es sind keine Kennzahlen festgelegt.", st["text"])]
    if not any(any(r.values) or r.applicant_value for r in sheet.rows):
        story.append(para("Für diesen Zeitraum sind noch keine Kennzahlen erfasst; die Tabelle zeigt "
                          "die zu meldenden Kennzahlen.", st["small"]))
        story.append(Spacer(1, 4))
    persons = list(sheet.persons)
    chunks = [list(range(i, min(i + MAX_PERSON_COLUMNS, len(persons))))
              for i in range(0, max(len(persons), 1), MAX_PERSON_COLUMNS)] or [[]]
    for number, chunk in enumerate(chunks):
        last = number == len(chunks) - 1
        header = ["Kennzahl"] + [para(persons[i], st["cell_bold"]) for i in chunk]
        if last:
            header.append(para("Summe Personen", st["cell_bold"]))
            if sheet.has_applicant_column:
                header.append(para("Antragsteller gesamt", st["cell_bold"]))
        rows: list[list] = [header]
        extra: list[tuple] = []
        for group, items in groupby(sheet.rows, key=lambda r: r.group):
            rows.append([group] + [""] * (len(header) - 1))
            extra += [("SPAN", (0, len(rows) - 1), (-1, len(rows) - 1)),
                      ("FONT", (0, len(rows) - 1), (-1, len(rows) - 1), BOLD, 8, 10),
                      ("BACKGROUND", (0, len(rows) - 1), (-1, len(rows) - 1), SUM_FILL)]
            for row in items:
                cells = [para(row.label, st["cell"])] + [_number(row.values[i]) for i in chunk]
                if last:
                    cells.append(_number(row.total))
                    if sheet.has_applicant_column:
                        cells.append(_number(row.applicant_value))
                rows.append(cells)
        value_columns = len(header) - 1
        value_width = min(VALUE_WIDTH, (width - LABEL_WIDTH) / max(value_columns, 1))
        widths = [LABEL_WIDTH] + [value_width] * value_columns
        if last:
            extra.append(("FONT", (1 + len(chunk), 1), (1 + len(chunk), -1), BOLD, 8, 10))
        story.append(grid_table(rows, widths, right_columns=tuple(range(1, len(header))), extra=extra,
                                font_size=8, leading=10))
        story.append(Spacer(1, 10))
    story.append(para("Summe Personen: Summe der Spalten der einzelnen Integrationsmanager:innen. "
                      "Antragsteller gesamt: für den Antragsteller insgesamt erfasste Werte (Personen, die "
                      "von mehreren Integrationsmanager:innen beraten wurden, zählen dort nur einmal).",
                      st["small"]))
    if sheet.problems:
        story.append(Spacer(1, 6))
        story.append(markup("<b>Bitte prüfen:</b> " + escape_text(" ".join(sheet.problems)), st["small"]))
    return story
