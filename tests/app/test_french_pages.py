"""The pages in French: `?lang=fr`, the sidebar's Language choice and WORKPLAN_LANGUAGE give the
navigation, the chart alternatives and everything analytics/ writes for the view in French;
an unknown code falls back to English."""

from __future__ import annotations

from analytics.charts import alternatives
from analytics.metrics import group_metrics
from analytics.store import open_store


def chart_labels(at) -> set[str]:
    assert not at.exception, [e.value for e in at.exception]
    return {e.label for e in at.expander}


def french_sentence(sample_db, sample_view) -> str:
    from dataclasses import replace

    view = replace(sample_view(), lang="fr")
    with open_store(sample_db) as store:
        return alternatives.progress_by_domain_summary(group_metrics(store, view, "domain"), view)


def test_lang_fr_in_the_url_writes_the_overview_in_french(sample_db, dashboard_app, sample_view):
    at = dashboard_app(sample_db, "pages/overview.py")
    at.query_params["lang"] = "fr"
    at.run()
    assert "Données du graphique" in chart_labels(at)
    assert french_sentence(sample_db, sample_view) in [c.value.replace("\\", "") for c in at.caption]
    assert at.selectbox(key="lang").value == "fr"


def test_the_sidebar_choice_switches_the_language(sample_db, dashboard_app):
    at = dashboard_app(sample_db, "pages/overview.py")
    at.run()
    assert "Chart data" in chart_labels(at)
    at.selectbox(key="lang").set_value("fr").run()
    assert "Données du graphique" in chart_labels(at)
    assert at.query_params["lang"] == ["fr"] or at.query_params["lang"] == "fr"


def test_workplan_language_sets_the_default(sample_db, dashboard_app, monkeypatch):
    monkeypatch.setenv("WORKPLAN_LANGUAGE", "fr")
    at = dashboard_app(sample_db, "pages/overview.py")
    at.run()
    assert "Données du graphique" in chart_labels(at)


def test_an_unknown_language_code_falls_back_to_english(sample_db, dashboard_app):
    at = dashboard_app(sample_db, "pages/overview.py")
    at.query_params["lang"] = "xx"
    at.run()
    assert "Chart data" in chart_labels(at)


FRENCH_PASSWORD = "correct horse battery"


def signed_in_french(db, dashboard_app, name: str):
    """The dashboard at ?lang=fr, signed in as `name` with the test password."""
    at = dashboard_app(db)
    at.query_params["lang"] = "fr"
    at.run()
    at.text_input(key="sign_in_name").input(name)
    at.text_input(key="sign_in_password").input(FRENCH_PASSWORD)
    at = at.form_submit_button[0].click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_the_sign_in_page_is_in_french(sample_db, dashboard_app, monkeypatch):
    monkeypatch.setenv("WORKPLAN_AUTH", "password")
    at = dashboard_app(sample_db)
    at.query_params["lang"] = "fr"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert [box.label for box in at.text_input] == ["Nom d'utilisateur", "Mot de passe"]
    assert at.form_submit_button[0].label == "Se connecter"
    assert "Connectez-vous pour consulter le plan de travail." in [m.value for m in at.markdown]


def test_the_accounts_page_is_in_french(sample_db, dashboard_app, monkeypatch):
    from analytics import auth

    monkeypatch.setattr(auth, "BCRYPT_ROUNDS", 4)
    monkeypatch.setenv("WORKPLAN_AUTH", "password")
    with open_store(sample_db) as store:
        auth.add_user(store, "boss", "admin", FRENCH_PASSWORD, by="test")
        auth.add_user(store, "vera", "viewer", FRENCH_PASSWORD, by="test")
    at = signed_in_french(sample_db, dashboard_app, "boss")
    at.switch_page("pages/accounts.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert "Session ouverte\u00a0: boss" in [t.value for t in at.sidebar.text]
    assert at.sidebar.button(key="sign_out").label == "Se déconnecter"
    rows = {row["Nom"]: row for row in at.dataframe[0].value.to_dict("records")}
    assert (rows["boss"]["Tous les plans"], rows["boss"]["Mot de passe"]) == ("administrateur", "oui")
    assert {"Attribuer un rôle", "Retirer un rôle", "Ajouter un compte"} <= {
        s.value for s in at.subheader}
    assert at.selectbox(key="grant_role").options == ["lecteur", "éditeur", "administrateur"]
    at.selectbox(key="grant_name").select("vera")
    at.selectbox(key="grant_role").select("éditeur")       # the label shown; the code is 'editor'
    at.button(key="FormSubmitter:accounts_grant-Attribuer le rôle").click().run()
    assert [s.value for s in at.success] == ["vera est maintenant éditeur pour Tous les plans\\."]


def test_the_sidebar_header_and_cards_are_in_french(sample_db, dashboard_app):
    at = dashboard_app(sample_db, "pages/overview.py")
    at.query_params["lang"] = "fr"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.sidebar.date_input(key="as_of").label == "En date du"
    assert [(box.label, box.placeholder) for box in at.sidebar.multiselect] == [
        ("Domaine", "Tous les domaines"), ("Partie responsable", "Toutes les parties"),
        ("Responsable", "Tous les responsables")]
    assert "Données à jour au 24 novembre 2026" in [c.value for c in at.sidebar.caption]
    header = at.caption[0].value.replace("\\", "")
    assert header.startswith(":orange-badge[Données d'exemple\u00a0: le plan de démonstration")
    assert header.endswith("· Données à jour au 24 novembre 2026")
    cards = {metric.label: metric for metric in at.metric}
    assert cards["Avancement"].value.endswith("\u00a0%")
    assert cards["Avancement"].delta.endswith(" pts de pourcentage")   # the planned % is in its help
    assert "IPC(t)" in cards               # the card's short label; its help spells it out
    assert "indice de performance du calendrier" in cards["IPC(t)"].help
