"""Operator-editable reference data: markets, product catalogue, CPS tiers (CSV files)."""
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent
