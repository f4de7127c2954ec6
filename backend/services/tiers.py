"""CPS tiers as data (data/tiers.csv): Silver/Gold/Platinum and business tiers above 2 500 points."""
from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache

from ..data import DATA_DIR


@dataclass(frozen=True)
class Tier:
    code: str
    name: str
    kind: str  # standard | business
    min_points: int
    max_points: int | None  # the tier's band; informative (a higher total may still choose it)
    annual_fee_eur: int

    def as_dict(self) -> dict:
        return {"code": self.code, "name": self.name, "kind": self.kind, "min_points": self.min_points,
                "max_points": self.max_points, "annual_fee_eur": self.annual_fee_eur}


@lru_cache(maxsize=1)
def load_tiers() -> tuple[Tier, ...]:
    with open(DATA_DIR / "tiers.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    tiers = [Tier(r["code"].strip(), r["name"].strip(), r["kind"].strip(), int(r["min_points"]),
                  int(r["max_points"]) if (r.get("max_points") or "").strip() else None, int(r["annual_fee_eur"]))
             for r in rows]
    return tuple(sorted(tiers, key=lambda t: (t.min_points, t.annual_fee_eur)))


def get_tier(code: str) -> Tier | None:
    return next((t for t in load_tiers() if t.code == code), None)


def invitation_threshold() -> int:
    """Points that bring the invitation to join CPS: the lowest tier's minimum (500 by default)."""
    return min(t.min_points for t in load_tiers())


def available_tiers(points: int) -> list[Tier]:
    """Every tier whose minimum is reached: more points, more choice (2 000 ⇒ any standard tier)."""
    return [t for t in load_tiers() if points >= t.min_points]


def next_threshold(points: int) -> int | None:
    higher = sorted({t.min_points for t in load_tiers() if t.min_points > points})
    return higher[0] if higher else None
