"""Loading extract files into the warehouse: validated, quarantined, all or nothing."""
