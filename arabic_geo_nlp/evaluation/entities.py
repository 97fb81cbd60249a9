"""Entities scored against gold per document, as sets."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Set, Tuple

import pandas as pd

from .matching import ENTITY_LABELS, Counts, _cell, _group_scores, _optional, _ratio, _unclitic, light_normalize


# --- entities ---------------------------------------------------------------------------------

@dataclass
class EntityCounts(Counts):
    """``linked``: gold entities matched by canonical name; ``spurious`` counts distinct predictions,
    so the precision is a lower bound (gold lists are not exhaustive)."""

    linked: int = 0

    @property
    def precision_lower(self) -> float:
        return self.precision

    @property
    def linked_rate(self) -> float:
        """Share of the required gold entities found by their canonical name."""
        return _ratio(self.linked, self.gold)

    def scores(self) -> Dict[str, float]:
        return dict(P_lower=self.precision_lower, R=self.recall, F1=self.f1, linked_rate=self.linked_rate)


@dataclass
class EntityReport:
    """Overall and per-label counts plus the errors: ``missed`` gold entities, ``unlinked`` ones
    (found by surface only) and ``spurious`` predictions."""

    overall: EntityCounts
    by_label: Dict[str, EntityCounts]
    missed: List[Dict[str, Any]] = field(default_factory=list)
    unlinked: List[Dict[str, Any]] = field(default_factory=list)
    spurious: List[Dict[str, Any]] = field(default_factory=list)

    def summary(self) -> Dict[str, Any]:
        """The overall figures under the reference scorer's JSON keys."""
        o = self.overall
        return dict(entities_gold=o.gold, entity_P_lower=o.precision_lower, entity_R=o.recall,
                    entity_F1=o.f1, entity_linked=o.linked_rate)

    def to_dict(self, errors: bool = False) -> Dict[str, Any]:
        out = dict(self.summary(), by_label=_group_scores(self.by_label))
        if errors:
            out.update(missed=self.missed, unlinked=self.unlinked, spurious=self.spurious)
        return out


def _surface_keys(surfaces: Iterable[str]) -> Set[str]:
    norms = [light_normalize(s) for s in surfaces]
    return set(norms) | {_unclitic(n) for n in norms}


def score_entities(pred: pd.DataFrame, gold: Sequence[Mapping]) -> EntityReport:
    """Score an entities table (columns doc_id, text; entity, label when present) against gold
    entities (dicts as in the gold JSONL). Only the documents of the gold are scored.

    >>> gold = [dict(doc="d", entity="Iran", label="GPE", surfaces=["لإيران"], optional=False)]
    >>> pred = pd.DataFrame(dict(doc_id=["d", "d"], text=["إيران", "طهران"], entity=[None, "Tehran"],
    ...                          label=["GPE", "GPE"]))
    >>> r = score_entities(pred, gold)
    >>> r.overall.found, r.overall.linked, r.overall.spurious, r.overall.precision_lower
    (1, 0, 1, 0.5)
    """
    pred = pred.reset_index(drop=True)
    labels = sorted({str(g.get("label")) for g in gold if g.get("label")} - set(ENTITY_LABELS))
    report = EntityReport(EntityCounts(), {k: EntityCounts() for k in (*ENTITY_LABELS, *labels)})
    rows_of = pred.groupby(pred["doc_id"].astype(str), sort=False).indices
    for doc in sorted({str(g["doc"]) for g in gold}):
        rows = pred.iloc[rows_of.get(doc, [])]
        # key → (canonical name or None, normalised text, label) of the first row with that key
        keys: Dict[str, Tuple[Optional[str], str, Optional[str]]] = {}
        for pos in range(len(rows)):
            canon = _cell(rows, "entity", pos)
            text = light_normalize(rows["text"].iat[pos])
            keys.setdefault(canon.casefold() if canon else text, (canon, text, _cell(rows, "label", pos)))
        matched: Set[str] = set()
        for g in (g for g in gold if str(g["doc"]) == doc):
            hit, linked = _entity_hit(keys, g)
            if hit is not None:
                matched.add(hit)
            if _optional(g):
                continue
            counts = [c for c in (report.overall, report.by_label.get(str(g.get("label")))) if c is not None]
            for c in counts:
                c.gold += 1
                c.found += hit is not None
                c.linked += linked
            error = dict(doc=doc, entity=g["entity"], label=g.get("label"), surfaces=list(g["surfaces"]))
            if hit is None:
                report.missed.append(error)
            elif not linked:
                report.unlinked.append(dict(error, got=keys[hit][1]))
        for key, (canon, text, label) in keys.items():
            if key in matched:
                continue
            for c in (report.overall, report.by_label.get(str(label))):
                if c is not None:
                    c.spurious += 1
            report.spurious.append(dict(doc=doc, entity=canon, text=text, label=label))
    return report


def _entity_hit(keys: Mapping[str, Tuple[Optional[str], str, Optional[str]]],
                g: Mapping) -> Tuple[Optional[str], bool]:
    """The prediction key matching gold entity ``g`` (the first by canonical name, else the last by
    surface) and whether it matched by canonical name."""
    surfaces = _surface_keys(g["surfaces"])
    entity = str(g["entity"]).casefold()
    hit = None
    for key, (canon, text, _) in keys.items():
        if canon and canon.casefold() == entity:
            return key, True
        if text in surfaces or _unclitic(text) in surfaces:
            hit = key
    return hit, False


