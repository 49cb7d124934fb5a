"""Exports to CSV and Excel, with cells that a spreadsheet would run as formulas neutralised."""
