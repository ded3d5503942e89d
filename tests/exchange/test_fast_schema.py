"""The compiled schema check says "valid" exactly when jsonschema does (it may only ever be
stricter, which costs time, never correctness), and it covers the published schema."""

from __future__ import annotations

import copy
import json

from exchange_builders import build, gemeinde_data
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from paktdesk.exchange.fast_schema import compile_schema
from paktdesk.exchange.schema import fast_check, findings, schema, validator

BASE = build(gemeinde_data())
CHECKER = Draft202012Validator.FORMAT_CHECKER

scalars = (st.none() | st.booleans() | st.integers(min_value=-(10**16), max_value=10**16)
           | st.sampled_from([0, 1, -1, 2000, 2100, 2101, 1999, 999_999_999, 1_000_000_000, 9007199254740991,
                              9007199254740992, 10_000_000_000_000, 10_000_000_000_001])
           | st.floats(allow_nan=True) | st.sampled_from([1.0, 5.0, -0.0, 2023.0, 1.5])
           | st.text(max_size=12)
           | st.sampled_from(["", "a", "b", "c", "d", "P", "S", "p", "2023-01-01", "2023-02-30", "2023-1-01",
                              "2023-01-01\n", "２０２３-01-01", "08125081", "0812508", "081250810\n",
                              "beraten_gesamt", "Beraten", "eigen", "kommune", "Landkreis", "1.0", "x" * 201,
                              "paktdesk-exchange", "qualifiziert", "a" * 64, "f" * 64,
                              "2025-01-31T09:30:00+00:00", "2025-01-31T09:30:00Z\n"]))
json_values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=3)
                           | st.dictionaries(st.text(max_size=8), inner, max_size=3), max_leaves=6)


def _mutate(data, document):
    """Change one place: a table cell most of the time (where the compiled column checks work)."""
    if data.draw(st.integers(0, 3), label="where") and document["tables"]["receipts"]:
        table = data.draw(st.sampled_from(sorted(t for t, rows in document["tables"].items() if rows)),
                          label="table")
        rows = document["tables"][table]
        row = rows[data.draw(st.integers(0, len(rows) - 1), label="row")]
        action = data.draw(st.sampled_from(["replace", "replace", "delete", "add"]), label="action")
        if action == "add":
            row[data.draw(st.text(max_size=8), label="key")] = data.draw(scalars, label="value")
        elif action == "delete":
            del row[data.draw(st.sampled_from(sorted(row)), label="key")]
        else:
            row[data.draw(st.sampled_from(sorted(row)), label="key")] = data.draw(json_values, label="value")
        return document
    node = document
    for _ in range(data.draw(st.integers(0, 4), label="depth")):
        if isinstance(node, dict) and node:
            key = data.draw(st.sampled_from(sorted(node)), label="key")
        elif isinstance(node, list) and node:
            key = data.draw(st.integers(0, len(node) - 1), label="index")
        else:
            break
        if data.draw(st.booleans(), label="stop") or not isinstance(node[key], (dict, list)):
            node[key] = data.draw(json_values, label="value")
            return document
        node = node[key]
    if isinstance(node, dict) and node:
        del node[data.draw(st.sampled_from(sorted(node)), label="key")]
    elif isinstance(node, list):
        node.append(data.draw(json_values, label="item"))
    return document


def test_the_published_schema_is_compiled():
    assert fast_check() is not None
    assert fast_check()(BASE)
    assert findings(BASE) == []


@settings(max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_same_verdict_as_jsonschema(data):
    document = copy.deepcopy(BASE)
    if data.draw(st.booleans(), label="many rows"):  # long tables go through the column checks
        count = data.draw(st.integers(2, 40), label="rows")
        document["tables"]["receipts"] = [copy.deepcopy(document["tables"]["receipts"][i % 2]) for i in range(count)]
    document = _mutate(data, document)
    jsonschema_valid = not any(True for _ in validator().iter_errors(document))
    assert fast_check()(document) == jsonschema_valid
    assert (findings(document) == []) == jsonschema_valid


def test_a_bad_value_deep_in_a_long_table_is_found():
    document = copy.deepcopy(BASE)
    receipt = document["tables"]["receipts"][0]
    document["tables"]["receipts"] = [dict(receipt, id=i + 1, number=i + 1) for i in range(5000)]
    assert fast_check()(document)
    document["tables"]["receipts"][4321]["paid_on"] = "2023-02-29"  # not a leap year
    assert not fast_check()(document)
    assert findings(document) == ['Feld tables.receipts[4321].paid_on: "2023-02-29" ist kein gültiges Datum.']


def test_values_the_compiled_check_leaves_to_jsonschema():
    document = copy.deepcopy(BASE)
    document["tables"]["receipts"][0]["amount_cents"] = 12_345.0  # integral float: an integer for jsonschema
    assert fast_check()(document) is True
    document["tables"]["receipts"][0]["amount_cents"] = True
    assert fast_check()(document) is False
    assert findings(document)


def test_keywords_it_does_not_know_are_not_compiled():
    assert compile_schema({"anyOf": [{"type": "string"}]}, format_checker=CHECKER) is None
    assert compile_schema({"type": "object", "patternProperties": {"^x": {}}}, format_checker=CHECKER) is None
    assert compile_schema({"enum": [1, 2]}, format_checker=CHECKER) is None  # needs jsonschema's bool/int rules
    assert compile_schema({"$ref": "other.json#/x"}, format_checker=CHECKER) is None
    assert compile_schema(json.loads(json.dumps(schema())), format_checker=CHECKER) is not None


def test_a_schema_that_refers_to_itself():
    tree = {"$defs": {"node": {"type": "object", "additionalProperties": False, "required": ["children"],
                               "properties": {"name": {"type": "string", "maxLength": 3},
                                              "children": {"type": "array", "items": {"$ref": "#/$defs/node"}}}}},
            "$ref": "#/$defs/node"}
    check = compile_schema(tree, format_checker=CHECKER)
    assert check({"name": "a", "children": [{"children": []}, {"name": "abc", "children": []}]})
    assert not check({"name": "a", "children": [{"children": [{"name": "toolong", "children": []}]}]})
    assert not check({"children": [{"children": [{}]}]})
