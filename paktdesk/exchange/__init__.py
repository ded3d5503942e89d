"""Export and import files (JSON with its schema, CSV, XLSX). No Qt, no database."""
