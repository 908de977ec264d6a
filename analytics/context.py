"""What a view shows: the as-of date, the filters, and whether the data is the sample.

Why: every figure, chart title, export file name and report page must say which
plan, which date and which slice of it it describes. Pages build one `ViewContext` from
the sidebar (and the URL); the CLI builds one from its flags; metrics, charts,
exports and reports all take it, so the label and the file name are written once.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

from analytics.i18n import N_, format_date, normalise_language, translator
from analytics.plans import FIRST_PLAN, Plan
from analytics.settings import Settings


@dataclass(frozen=True)
class Filters:
    """Item filters; an empty tuple means no filter on that field."""

    domains: tuple[str, ...] = ()
    parties: tuple[str, ...] = ()     # lead_party values
    owners: tuple[str, ...] = ()

    def is_empty(self) -> bool:
        return not (self.domains or self.parties or self.owners)

    def describe(self, lang: str = "en") -> str:
        """Human text, e.g. 'domain: Fraud; lead party: India' ('' when unfiltered); in French
        'domaine : Fraud ; partie responsable : India'."""
        _ = translator(lang)
        parts = []
        for label, values in ((N_("domain: {values}"), self.domains),
                              (N_("lead party: {values}"), self.parties),
                              (N_("owner: {values}"), self.owners)):
            if values:
                parts.append(_(label).format(values=", ".join(values)))
        return _("; ").join(parts)

    def scope(self, lang: str = "en") -> str:
        """What a verdict is about: 'The whole plan', a domain's name when only one domain is
        chosen, else 'This view (domain: Fraud; lead party: India)'."""
        _ = translator(lang)
        if self.is_empty():
            return _("The whole plan")
        if len(self.domains) == 1 and not (self.parties or self.owners):
            return self.domains[0]
        return _("This view ({filters})").format(filters=self.describe(lang))

    def slug(self) -> str:
        """File-name fragment, e.g. 'domain-fraud_party-india' ('' when unfiltered)."""
        parts = []
        for label, values in (("domain", self.domains), ("party", self.parties),
                              ("owner", self.owners)):
            if values:
                parts.append(f"{label}-{slugify('-'.join(values))}")
        return "_".join(parts)


@dataclass(frozen=True)
class ViewContext:
    """The plan, as-of date, filters and sample flag of one view or export."""

    as_of: date
    filters: Filters = field(default_factory=Filters)
    settings: Settings = field(default_factory=Settings)
    sample: bool = False
    plan: Plan = FIRST_PLAN
    lang: str = "en"      # the language of every word written for this view (analytics.i18n)

    def label(self) -> str:
        """'IC · as of 2026-10-31 · domain: Fraud · sample data' for titles and footers; in
        French 'IC · au 31 octobre 2026 · données d'exemple'."""
        _ = translator(self.lang)
        when = (self.as_of.isoformat() if self.lang == "en"
                else format_date(self.as_of, self.lang))
        parts = [self.plan.code, _("as of {date}").format(date=when)]
        if not self.filters.is_empty():
            parts.append(self.filters.describe(self.lang))
        if self.sample:
            parts.append(_("sample data"))
        return " · ".join(parts)

    def file_name(self, name: str, extension: str) -> str:
        """'progress-by-domain_ic_2026-10-31.png', with filter and sample markers when present;
        `name` (a slug such as 'progress-by-domain') is translated when the catalog has it
        ('avancement-par-domaine_ic_2026-10-31.png'), always as an ASCII slug."""
        _ = translator(self.lang)
        parts = [slugify(_(name)), slugify(self.plan.code), self.as_of.isoformat()]
        if self.filters.slug():
            parts.append(self.filters.slug())
        if self.sample:
            parts.append(slugify(_("sample-data")))
        return "_".join(parts) + "." + extension.lstrip(".")


def plan_view(store, plan: Plan, as_of: date | None = None, filters: Filters | None = None,
              settings: Settings | None = None, lang: str | None = None) -> ViewContext:
    """The view of `plan` as of `as_of` (default: its data current to, else today), with its
    sample flag, in `lang` (default: the settings' language): what the CLI and the pages
    start from."""
    from analytics.plans import plan_current_to

    settings = settings or Settings.from_env()
    return ViewContext(as_of=as_of or plan_current_to(store, plan.id) or date.today(),
                       filters=filters or Filters(), settings=settings,
                       sample=plan.sample, plan=plan,
                       lang=normalise_language(lang or settings.language))


def slugify(text: str) -> str:
    """Lower-case ASCII words joined by '-', safe in any file system ('données' -> 'donnees')."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    return "-".join(words)[:60] or "export"
