"""Selectors of the campaigns app (reads with rules), one module per aggregate."""
