"""Export and import files (calendar, CSV, XLSX, the exchange file). No Qt, no database."""
