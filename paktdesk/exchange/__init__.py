"""Export and import files: calendar (ICS), CSV and XLSX for German Excel, and the exchange file: PaktDesk's own documented, versioned format for handing a Datenbestand's
grant data to a Kreis or the Land (JSON with a published schema), the same content as CSV and
XLSX for German Excel, and the reading of such files for a Kreis's consolidation. No Qt, no
database: everything here takes and returns plain data."""

FORMAT_NAME = "paktdesk-exchange"
FORMAT_VERSION = "1.2"  # the version this PaktDesk writes
# the versions it reads: 1.1 only added the optional table ``third_party_funds`` (Drittmittel),
# 1.2 the optional table ``settlements`` (the computed settlement per decision and person)
READABLE_VERSIONS = ("1.0", "1.1", "1.2")
