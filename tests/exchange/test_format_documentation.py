"""The published description (EXCHANGE-FORMAT.md) names every field of the schema, table by table,
and the schema and the program agree on the format name, version and tables."""

from __future__ import annotations

import json
import re
from pathlib import Path

from paktdesk.exchange import FORMAT_NAME, FORMAT_VERSION, READABLE_VERSIONS
from paktdesk.exchange.document import ADDED_IN, AMOUNT_FIELD, REQUIRED_TABLES, TABLES
from paktdesk.exchange.schema import schema

RESOURCES = Path(__file__).resolve().parents[2] / "resources"
DOC = (RESOURCES / "EXCHANGE-FORMAT.md").read_text(encoding="utf-8")


def _section(heading_code: str) -> str:
    match = re.search(rf"^##+ [^\n]*`{heading_code}`[^\n]*\n(.*?)(?=^##)", DOC + "\n##", re.S | re.M)
    assert match, f"no section for {heading_code}"
    return match.group(1)


def _documented_fields(section: str) -> set[str]:
    return set(re.findall(r"^\| `([a-z_0-9]+)` \|", section, re.M))


def test_every_table_field_is_documented():
    defs = schema()["$defs"]
    for table in TABLES:
        fields = set(defs[f"record_{table}"]["properties"])
        assert _documented_fields(_section(table)) == fields, table


def test_top_level_owner_and_period_are_documented():
    defs = schema()["$defs"]
    assert _documented_fields(_section("owner")) == set(defs["owner"]["properties"])
    assert _documented_fields(_section("period")) == set(defs["period"]["properties"])
    top = _documented_fields(DOC.split("## 2.")[0])
    assert top == set(schema()["properties"])


def test_schema_and_program_agree():
    document_schema = json.loads((RESOURCES / "paktdesk-exchange.schema.json").read_text(encoding="utf-8"))
    assert document_schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert document_schema["properties"]["format"] == {"const": FORMAT_NAME}
    assert document_schema["$id"].endswith(f":{FORMAT_VERSION}") and FORMAT_VERSION in document_schema["title"]
    assert document_schema["properties"]["format_version"]["enum"] == list(READABLE_VERSIONS)
    assert document_schema["$defs"]["member"]["properties"]["format_version"]["enum"] == list(READABLE_VERSIONS)
    assert FORMAT_VERSION == READABLE_VERSIONS[-1]
    defs = document_schema["$defs"]
    assert defs["tables"]["required"] == list(REQUIRED_TABLES) == defs["control_totals"]["required"]
    assert list(defs["tables"]["properties"]) == list(TABLES) == list(defs["control_totals"]["properties"])
    for table, column in AMOUNT_FIELD.items():
        assert f"`{column}`" in _section(table)


def test_the_version_history_names_every_readable_version_and_added_table():
    history = re.search(r"^## \d+\. Versionen[^\n]*\n(.*?)(?=^## )", DOC, re.S | re.M).group(1)
    for version in READABLE_VERSIONS:
        assert f"`{version}`" in history, version
    for table, version in ADDED_IN.items():
        assert f"`{table}`" in history and f"`{version}`" in history
        heading = re.search(rf"^### `{table}` .*$", DOC, re.M).group(0)
        assert f"ab Version {version}" in heading and f"since version {version}" in heading
