"""Spreadsheet imports of the campaigns app (TabularImport subclasses), one module per aggregate."""
