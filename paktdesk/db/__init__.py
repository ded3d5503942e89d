"""Storage: the only package with SQL and sqlite_utils. Opening the data file, migrations,
one repository module per aggregate (rows ⇄ core dataclasses), integrity checks."""
