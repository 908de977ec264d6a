"""What a contact row may hold: a known owner, well-formed addresses, a party of the plan.

Why: the sheet import and the page's one-row edit must refuse the same things with the same
words, so the checks are plain functions of a value and the plan's owners and parties, with
no store and no sheet. Each returns (value to store, message or None): the owner and party
come back spelt as the plan spells them ('mha' is stored as 'MHA'), an empty optional cell
as None. Used by analytics.contacts.sheet (a whole sheet) and analytics.contacts.changes
(one row, and the sheet again inside the commit's transaction).
"""

from __future__ import annotations

import re
from email.utils import parseaddr

from analytics.i18n import LANGUAGES, N_, normalise_language
from analytics.ingest.headers import normalise
from analytics.ingest.messages import TEMPLATES as SHEET_TEMPLATES
from analytics.ingest.messages import listed
from analytics.ingest.unknown_items import KnownIds

FIELDS = ("owner", "email", "party", "escalation_email", "language")
REQUIRED = ("owner", "email")
# Headers each field is known by, compared ignoring case, spacing and punctuation.
SYNONYMS = {
    "owner": ["owner", "agency", "desk", "owner agency", "lead agency", "responsible agency"],
    "email": ["email", "e-mail", "email address", "e-mail address", "contact email", "mail"],
    "party": ["party", "country", "side"],
    "escalation_email": ["escalation email", "escalation", "cc", "escalation e-mail",
                         "escalate to", "escalation address"],
    "language": ["language", "langue", "lang", "preferred language", "langue de correspondance"],
}
HEADER_FIELDS = {normalise(name): field for field, names in SYNONYMS.items() for name in names}
MAX_EMAIL = 254
# Each problem of a contacts sheet or row, in English (what the error frame and the CLI keep);
# the page and `workplan contacts --lang fr` read it back with CONTACT_TEMPLATES
# (analytics.ingest.messages.message_in). A header problem any sheet can have (two columns
# for one field, a required column missing, a column ignored) is the import's own message.
EMAIL_REQUIRED = N_("an email address is required")
NOT_AN_EMAIL = N_("'{value}' is not an email address; write one plain address such as "
                  "desk@agency.gov")
OWNER_REQUIRED = N_("an owner is required (as in the items sheet's owner column)")
NO_ITEMS_YET = N_("unknown owner '{value}'; the plan has no items yet, import them first")
UNKNOWN_OWNER_CLOSE = N_("unknown owner '{value}'; did you mean {ids}? Otherwise use an owner "
                         "named in the plan's items sheet")
UNKNOWN_OWNER = N_("unknown owner '{value}'; use an owner named in the plan's items sheet")
UNKNOWN_PARTY = N_("unknown party '{value}'; the plan's parties are {known} (or leave it empty)")
NO_PARTIES = N_("unknown party '{value}'; the plan has no parties recorded (leave it empty)")
NOT_A_LANGUAGE = N_("'{value}' is not a language the mail is written in; write en or fr (or "
                    "leave it empty for en)")
OWNER_TWICE = N_("owner '{value}' is already on row {row}; give each owner one row")
TOO_MANY_ROWS = N_("The sheet has {n} rows; a contacts sheet has one row per owner (at most {m}).")
# The contacts' own first: the import's "unknown party {value}; ..." would also read the
# contacts' longer sentence, leaving its end in English.
CONTACT_TEMPLATES = (EMAIL_REQUIRED, NOT_AN_EMAIL, OWNER_REQUIRED, NO_ITEMS_YET,
                     UNKNOWN_OWNER_CLOSE, UNKNOWN_OWNER, UNKNOWN_PARTY, NO_PARTIES,
                     NOT_A_LANGUAGE, OWNER_TWICE, TOO_MANY_ROWS, *SHEET_TEMPLATES)
# local@domain.tld: dot-atom characters, labels of letters, digits and inner hyphens, a TLD of
# two or more letters; no consecutive or edge dots in the local part.
_EMAIL = re.compile(r"^(?!\.)(?!.*\.\.)[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+(?<!\.)"
                    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$")


def name_key(name: str) -> str:
    """'  Home  Affairs ' and 'home affairs' are the same owner or party."""
    return " ".join(str(name).split()).casefold()


def check_email(value: str, *, required: bool) -> tuple[str | None, str | None]:
    """The address to store, or a message: one plain address such as desk@agency.gov."""
    text = (value or "").strip()
    if not text:
        return None, (EMAIL_REQUIRED if required else None)
    _, address = parseaddr(text)
    if address != text or len(text) > MAX_EMAIL or not _EMAIL.match(text):
        return None, NOT_AN_EMAIL.format(value=text[:80])
    return text, None


def check_owner(value: str, owners: list[str]) -> tuple[str | None, str | None]:
    """The owner as the plan's items spell it, or a message naming the closest owners."""
    text = " ".join((value or "").split())
    if not text:
        return None, OWNER_REQUIRED
    spelt = {name_key(o): o for o in owners}
    if name_key(text) in spelt:
        return spelt[name_key(text)], None
    if not owners:
        return None, NO_ITEMS_YET.format(value=text[:80])
    close = KnownIds(owners).closest(text) or _containing(text, owners)
    if close:
        return None, UNKNOWN_OWNER_CLOSE.format(value=text[:80],
                                                 ids=listed(close, N_("{items} or {last}"), "en"))
    return None, UNKNOWN_OWNER.format(value=text[:80])


def _containing(text: str, owners: list[str]) -> list[str]:
    """The owners whose name holds `text` ('Home Affairs' in 'Ministry of Home Affairs'), when
    at most three do."""
    key = name_key(text)
    found = sorted(o for o in owners if len(key) >= 3 and key in name_key(o))
    return found if len(found) <= 3 else []


def check_party(value: str, parties: list[str]) -> tuple[str | None, str | None]:
    """The party as the plan spells it, None when empty, or a message listing the parties."""
    text = " ".join((value or "").split())
    if not text:
        return None, None
    spelt = {name_key(p): p for p in parties}
    if name_key(text) in spelt:
        return spelt[name_key(text)], None
    if not parties:
        return None, NO_PARTIES.format(value=text[:80])
    return None, UNKNOWN_PARTY.format(value=text[:80], known=", ".join(parties))


def check_language(value: str) -> tuple[str | None, str | None]:
    """'en' or 'fr' ('French', 'fr-CA', 'Français' too; empty: 'en'), or a message."""
    text = " ".join((value or "").split())
    if not text:
        return "en", None
    named = {"english": "en", "anglais": "en", "french": "fr", "francais": "fr", "français": "fr"}
    code = named.get(text.casefold()) or normalise_language(text, default="")
    if code in LANGUAGES:
        return code, None
    return None, NOT_A_LANGUAGE.format(value=text[:80])


def check_contact(values: dict[str, str], owners: list[str], parties: list[str]
                  ) -> tuple[dict[str, str | None], list[tuple[str, str]]]:
    """One row: the values to store and the (field, message) problems, in column order."""
    checked = {
        "owner": check_owner(values.get("owner", ""), owners),
        "email": check_email(values.get("email", ""), required=True),
        "party": check_party(values.get("party", ""), parties),
        "escalation_email": check_email(values.get("escalation_email", ""), required=False),
        "language": check_language(values.get("language", "")),
    }
    row = {field: value for field, (value, _) in checked.items()}
    problems = [(field, message) for field, (_, message) in checked.items() if message]
    return row, problems
