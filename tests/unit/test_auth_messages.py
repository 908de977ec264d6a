"""Every refusal analytics/auth.py gives, in English and in French (issue 18).

Each row makes the real call that refuses (a password rule, a bad name or role, an unknown
account or plan, a role to revoke that is not held, a change the actor may not make) and
checks the AuthError's English (`str()`, what the CLI prints) and its French
(`in_language("fr")`, what the Accounts page shows).
"""

from __future__ import annotations

import pytest

from analytics import auth
from analytics.plans import add_plan

NBSP = "\u00a0"
PASSWORD = "correct horse battery"


@pytest.fixture(autouse=True)
def _fast_bcrypt(monkeypatch):
    monkeypatch.setattr(auth, "BCRYPT_ROUNDS", 4)


@pytest.fixture
def accounts(fresh_store):
    """Plans IC and CE; boss (admin of all plans), vera (viewer of all plans), ivy (admin of IC
    only); returned with the id of IC and of CE."""
    ic = add_plan(fresh_store, "IC", title="India Canada", by="test")
    ce = add_plan(fresh_store, "CE", title="Cyber Exchange", by="test")
    auth.add_user(fresh_store, "boss", "admin", PASSWORD, by="test")
    auth.add_user(fresh_store, "vera", "viewer", PASSWORD, by="test")
    auth.add_user(fresh_store, "ivy", "admin", PASSWORD, by="test", plan_id=ic.id)
    return fresh_store, ic.id, ce.id


def rights(store, name: str) -> auth.Management:
    return auth.management(store, name)


REFUSALS = [
    ("short password", lambda s, ic, ce: auth.set_password(s, "vera", "short", by="t"),
     "The password must have at least 12 characters.",
     "Le mot de passe doit compter au moins 12 caractères."),
    ("long password", lambda s, ic, ce: auth.set_password(s, "vera", "é" * 37, by="t"),
     "The password must be at most 72 bytes (bcrypt's limit).",
     "Le mot de passe doit compter au plus 72 octets (la limite de bcrypt)."),
    ("spaces", lambda s, ic, ce: auth.add_user(s, "new", "viewer", " padded password ", by="t"),
     "The password must not start or end with a space.",
     "Le mot de passe ne doit ni commencer ni se terminer par une espace."),
    ("role", lambda s, ic, ce: auth.add_user(s, "new", "root", PASSWORD, by="t"),
     "'root' is not a role; choose one of viewer, editor, admin.",
     f"«{NBSP}root{NBSP}» n'est pas un rôle{NBSP}; choisissez-en un parmi viewer, editor, admin."),
    ("name", lambda s, ic, ce: auth.add_user(s, "bad name", "viewer", PASSWORD, by="t"),
     "'bad name' is not a valid user name: use 1-254 letters, digits and . _ @ + -, starting "
     "with a letter or digit (for oidc, the email address).",
     f"«{NBSP}bad name{NBSP}» n'est pas un nom d'utilisateur valide{NBSP}: utilisez de 1 à 254 "
     "lettres, chiffres et . _ @ + -, en commençant par une lettre ou un chiffre (pour oidc, "
     "l'adresse courriel)."),
    ("taken", lambda s, ic, ce: auth.add_user(s, "Vera", "viewer", PASSWORD, by="t"),
     "There is already a user 'vera'; grant it a role instead.",
     f"Il existe déjà un utilisateur «{NBSP}vera{NBSP}»{NBSP}; attribuez-lui plutôt un rôle."),
    ("unknown user", lambda s, ic, ce: auth.remove_user(s, "ghost", by="t"),
     "There is no user 'ghost'; `workplan user list` shows them.",
     f"Il n'existe aucun utilisateur «{NBSP}ghost{NBSP}»{NBSP}; `workplan user list` les affiche."),
    ("unknown plan", lambda s, ic, ce: auth.grant(s, "vera", "editor", plan_id=99, by="t"),
     "There is no plan with id 99.",
     "Il n'existe aucun plan dont l'identifiant est 99."),
    ("no all-plans role", lambda s, ic, ce: auth.revoke(s, "ivy", plan_id=None, by="t"),
     "ivy holds no all-plans role to revoke.",
     "ivy ne détient aucun rôle sur tous les plans à retirer."),
    ("no plan role", lambda s, ic, ce: auth.revoke(s, "ivy", plan_id=ce, by="t"),
     "ivy holds no role on CE to revoke.",
     "ivy ne détient aucun rôle pour CE à retirer."),
    ("all-plans role applies", lambda s, ic, ce: auth.revoke(s, "vera", plan_id=ic, by="t"),
     "vera holds no role on IC to revoke; its all-plans role (viewer) applies there.",
     f"vera ne détient aucun rôle pour IC à retirer{NBSP}; son rôle sur tous les plans (lecteur) "
     "s'y applique."),
    ("accounts need an all-plans admin", lambda s, ic, ce: rights(s, "ivy").check(None),
     "Only an admin of all plans may change accounts and all-plans roles.",
     "Seul un administrateur de tous les plans peut modifier les comptes et les rôles sur tous "
     "les plans."),
    ("a plan needs its admin", lambda s, ic, ce: rights(s, "vera").check(ic),
     "Only an admin of that plan (or of all plans) may change roles on it.",
     "Seul un administrateur de ce plan (ou de tous les plans) peut y modifier les rôles."),
    ("own roles", lambda s, ic, ce: rights(s, "boss").check(ic, target="Boss"),
     "You cannot change your own roles or remove your own account; ask another admin.",
     f"Vous ne pouvez pas modifier vos propres rôles ni supprimer votre propre compte{NBSP}; "
     "demandez-le à un autre administrateur."),
]


@pytest.mark.parametrize(("call", "english", "french"), [row[1:] for row in REFUSALS],
                         ids=[row[0] for row in REFUSALS])
def test_each_refusal_in_english_and_french(accounts, call, english, french):
    with pytest.raises(auth.AuthError) as refused:
        call(*accounts)
    assert (str(refused.value), refused.value.in_language("en"),
            refused.value.in_language("fr")) == (english, english, french)


@pytest.mark.parametrize(("password", "lang", "problem"), [
    ("short", "en", "The password must have at least 12 characters."),
    ("short", "fr", "Le mot de passe doit compter au moins 12 caractères."),
    ("x" * 73, "en", "The password must be at most 72 bytes (bcrypt's limit)."),
    ("x" * 73, "fr", "Le mot de passe doit compter au plus 72 octets (la limite de bcrypt)."),
    (" leading space ok?", "en", "The password must not start or end with a space."),
    (" leading space ok?", "fr", "Le mot de passe ne doit ni commencer ni se terminer par une "
                                 "espace."),
    (PASSWORD, "fr", None),
])
def test_password_problem_is_told_in_the_language_asked(password, lang, problem):
    assert auth.password_problem(password, lang) == problem


@pytest.mark.parametrize(("role", "lang", "name"), [
    ("viewer", "en", "viewer"), ("editor", "en", "editor"), ("admin", "en", "admin"),
    ("viewer", "fr", "lecteur"), ("editor", "fr", "éditeur"), ("admin", "fr", "administrateur"),
    ("root", "fr", "root"), (None, "fr", "None"),
])
def test_role_name(role, lang, name):
    assert auth.role_name(role, lang) == name
