"""Services of the campaigns app (writes), one module per business process."""
