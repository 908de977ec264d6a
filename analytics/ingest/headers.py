"""Match a sheet's header names to our canonical columns.

Why: people type "Item ID", "% Complete", "RAG" or "Reporting date", never our
snake_case names. Headers are compared ignoring case, accents, spacing and
punctuation and looked up in a synonym list per kind, English first, then French
("Identifiant", "% achevé", "État"); unknown columns are ignored with a
warning, a missing required column or two headers for one column are errors.
The upload page shows the result and lets the user correct it (`overrides`).

Called by `analytics.ingest.read_upload` and the upload page.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from analytics.ingest import messages as say
from analytics.ingest.messages import FIELD_LABELS, field_label  # noqa: F401  (named here too)
from analytics.writes import COLUMNS

REQUIRED = {
    "items": ["item_id", "domain", "title", "lead_party", "owner", "start_date", "due_date"],
    "milestones": ["milestone_id", "item_id", "title", "due_date"],
    "updates": ["item_id", "as_of", "percent_complete", "status"],
}

_ITEM_ID = ["item id", "item", "id", "item no", "item number", "item ref", "ref", "reference",
            "commitment id", "action id", "work item id", "work item", "item code"]
_COMMON = {
    "item_id": _ITEM_ID,
    "domain": ["domain", "area", "theme", "workstream", "work stream", "pillar", "strand"],
    "lead_party": ["lead party", "lead", "lead country", "lead side", "lead government", "party"],
    "owner": ["owner", "responsible", "agency", "lead agency", "responsible agency",
              "accountable", "owner agency"],
    "start_date": ["start date", "start", "begin", "begin date", "starts", "planned start"],
    "weight": ["weight", "weighting"],
    "description": ["description", "details", "desc", "summary"],
}
SYNONYMS: dict[str, dict[str, list[str]]] = {
    "items": {
        **_COMMON,
        "title": ["title", "name", "item name", "item title", "commitment", "task", "activity",
                  "action"],
        "due_date": ["due date", "due", "deadline", "end date", "end", "target date", "target",
                     "finish", "finish date", "planned end", "planned finish"],
    },
    "milestones": {
        "milestone_id": ["milestone id", "ms id", "milestone ref", "milestone no",
                         "milestone number", "milestone code", "id"],
        "item_id": [s for s in _ITEM_ID if s != "id"],
        "title": ["title", "milestone", "milestone name", "milestone title", "name", "description"],
        "due_date": ["due date", "due", "deadline", "target date", "target", "date",
                     "forecast date", "planned date"],
        "completed_date": ["completed date", "completed", "completed on", "completion date",
                           "actual date", "actual completion", "done date", "date completed",
                           "achieved", "achieved date", "actual"],
        "baseline_date": ["baseline date", "baseline", "original date", "original due date",
                          "baseline due date", "original due"],
    },
    "updates": {
        "item_id": _ITEM_ID,
        "as_of": ["as of", "as of date", "date", "report date", "reporting date", "status date",
                  "update date", "week ending", "date of report", "reported on", "period end"],
        "percent_complete": ["percent complete", "% complete", "percent", "pct", "pct complete",
                             "progress", "progress %", "% done", "percent done", "completion",
                             "completion %", "percentage", "percentage complete", "complete %",
                             "% progress"],
        "status": ["status", "rag", "rag status", "rating", "health", "overall status", "state",
                   "status rag"],
        "note": ["note", "notes", "comment", "comments", "remarks", "narrative", "update",
                 "commentary", "status note", "details"],
        "reported_by": ["reported by", "reporter", "submitted by", "author", "updated by", "by"],
        "party": ["party", "country", "reporting party", "side", "government", "submitting party"],
    },
}


# The same columns as French sheets head them (Government of Canada usage: "jalon",
# "échéance", "partie responsable"). Looked up after the English words, so a French word
# never changes the column an English header maps to.
_FR_ITEM_ID = ["identifiant", "id de l'élément", "identifiant de l'élément", "élément",
               "n° de l'élément", "numéro de l'élément", "numéro", "référence", "réf",
               "identifiant de l'engagement", "identifiant de l'action", "code de l'élément"]
_FR_COMMON = {
    "item_id": _FR_ITEM_ID,
    "domain": ["domaine", "secteur", "thème", "volet", "axe", "pilier", "chantier"],
    "lead_party": ["partie responsable", "partie", "partie chef de file", "chef de file",
                   "pays responsable", "gouvernement responsable"],
    "owner": ["responsable", "organisme responsable", "organisme", "ministère responsable",
              "ministère", "propriétaire", "porteur", "agence responsable"],
    "start_date": ["date de début", "début", "date de démarrage", "début prévu"],
    "weight": ["pondération", "poids"],
    "description": ["description", "détails", "résumé"],
}
FRENCH_SYNONYMS: dict[str, dict[str, list[str]]] = {
    "items": {
        **_FR_COMMON,
        "title": ["titre", "intitulé", "libellé", "nom", "engagement", "tâche", "activité",
                  "action"],
        "due_date": ["échéance", "date d'échéance", "date limite", "date de fin", "fin",
                     "fin prévue", "date cible", "cible", "date de fin prévue"],
    },
    "milestones": {
        "milestone_id": ["identifiant du jalon", "id du jalon", "n° du jalon", "numéro du jalon",
                         "code du jalon", "référence du jalon", "identifiant"],
        "item_id": [s for s in _FR_ITEM_ID if s != "identifiant"],
        "title": ["jalon", "titre", "intitulé", "titre du jalon", "nom du jalon", "libellé",
                  "description"],
        "due_date": ["échéance", "date d'échéance", "date limite", "date cible", "date prévue",
                     "date prévisionnelle"],
        "completed_date": ["date d'achèvement", "achevé le", "terminé le", "date de réalisation",
                           "réalisé le", "date réelle", "date d'achèvement réelle"],
        "baseline_date": ["date de référence", "échéance initiale", "date initiale",
                          "échéance de référence"],
    },
    "updates": {
        "item_id": _FR_ITEM_ID,
        "as_of": ["date du rapport", "date de rapport", "date de l'état", "date de mise à jour",
                  "date de la mise à jour", "en date du", "semaine se terminant le",
                  "fin de période", "date de déclaration"],
        "percent_complete": ["% achevé", "pourcentage achevé", "% d'achèvement",
                             "pourcentage d'achèvement", "taux d'achèvement", "achevé (%)",
                             "avancement", "% d'avancement", "avancement (%)", "progression",
                             "% réalisé", "pourcentage réalisé", "pourcentage"],
        "status": ["état", "statut", "cote", "code de couleur",
                   "état global", "situation"],
        "note": ["commentaires", "commentaire", "remarques", "remarque", "observations", "explication",
                 "mise à jour", "notes", "note"],
        "reported_by": ["signalé par", "déclaré par", "rapporté par", "soumis par", "auteur",
                        "mis à jour par", "par"],
        "party": ["partie", "pays", "partie déclarante", "gouvernement"],
    },
}


def normalise(name: str) -> str:
    """'% Complete ' -> 'percentcomplete', 'État' -> 'etat'; case, accents, spacing and
    punctuation ignored."""
    text = unaccented(str(name).lower()).replace("%", " percent ").replace("#", " number ")
    return re.sub(r"[^a-z0-9]+", "", text)


def unaccented(text: str) -> str:
    """'Échéance' -> 'Echeance', 'cœur' -> 'coeur': letters without their accents."""
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return bare.replace("œ", "oe").replace("Œ", "OE").replace("æ", "ae").replace("Æ", "AE")


def _lookup(kind: str) -> dict[str, str]:
    table = {}
    for synonyms in (SYNONYMS, FRENCH_SYNONYMS):      # English first: it keeps its meaning
        for canonical in COLUMNS[kind]:
            for word in [canonical, *synonyms[kind].get(canonical, [])]:
                table.setdefault(normalise(word), canonical)
    return table


@dataclass
class HeaderMapping:
    """Which sheet column (index) feeds each canonical column, and what is wrong."""

    kind: str
    headers: list[str]
    columns: dict[str, int] = field(default_factory=dict)   # canonical -> header index
    errors: list[dict] = field(default_factory=list)        # row, column, message, value
    warnings: list[str] = field(default_factory=list)

    def header_for(self, canonical: str) -> str | None:
        index = self.columns.get(canonical)
        return None if index is None else self.headers[index]

    def as_dict(self) -> dict[str, str | None]:
        return {c: self.header_for(c) for c in COLUMNS[self.kind]}


def map_headers(kind: str, headers: list[str], overrides: dict[str, str | None] | None = None,
                empty_columns: set[int] | None = None) -> HeaderMapping:
    """Map headers to canonical columns; `overrides` (canonical -> header) win."""
    mapping = HeaderMapping(kind=kind, headers=list(headers))
    lookup = _lookup(kind)
    claimed: dict[str, list[int]] = {}
    for index, header in enumerate(headers):
        canonical = lookup.get(normalise(header))
        if canonical:
            claimed.setdefault(canonical, []).append(index)
    for canonical, header in (overrides or {}).items():
        _apply_override(mapping, claimed, canonical, header)
    for canonical, indexes in claimed.items():
        if len(indexes) > 1:
            names = " and ".join(repr(headers[i]) for i in indexes)
            mapping.errors.append(_header_error(
                headers[indexes[1]], say.TWO_COLUMNS.format(names=names, column=canonical)))
        mapping.columns[canonical] = indexes[0]
    used = {index for indexes in claimed.values() for index in indexes}   # duplicates: an error, not ignored
    for index, header in enumerate(headers):
        if index in used:
            continue
        if not header.strip():
            if empty_columns is None or index not in empty_columns:
                mapping.warnings.append(say.NO_HEADER.format(n=index + 1))
        else:
            mapping.warnings.append(say.NOT_IMPORTED.format(header=repr(header)))
    for canonical in REQUIRED[kind]:
        if canonical not in mapping.columns:
            examples = ", ".join(repr(s) for s in SYNONYMS[kind].get(canonical, [])[:3])
            mapping.errors.append(_header_error(
                canonical, say.REQUIRED_MISSING.format(column=canonical, headers=examples)))
    return mapping


def _apply_override(mapping: HeaderMapping, claimed: dict, canonical: str, header) -> None:
    if canonical not in COLUMNS[mapping.kind]:
        return
    for indexes in claimed.values():
        for index in list(indexes):
            if header and mapping.headers[index] == header:
                indexes.remove(index)
    claimed.pop(canonical, None)
    if header:
        if header not in mapping.headers:
            mapping.errors.append(_header_error(header, say.NO_SUCH_COLUMN.format(header=repr(header))))
            return
        claimed[canonical] = [mapping.headers.index(header)]
    for key in [k for k, v in claimed.items() if not v]:
        claimed.pop(key)


def _header_error(column: str, message: str) -> dict:
    return {"row": 1, "column": column, "message": message, "value": None}
