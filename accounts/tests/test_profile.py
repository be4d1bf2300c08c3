from django.urls import reverse

PROFILE_URL = reverse("accounts:profile")


def profile_data(**changes):
    data = {
        "full_name": "Erika Mustermann",
        "job_title": "Supplier quality engineer",
        "phone": "+49 711 1234",
        "language": "en",
        "time_zone": "Europe/Berlin",
    }
    return {**data, **changes}


def test_profile_shows_the_users_data_and_role(client_for, engineer):
    response = client_for(engineer).get(PROFILE_URL)

    assert response.status_code == 200
    html = response.content.decode()
    assert engineer.email in html
    assert "Quality engineer" in html
    assert reverse("accounts:password-change") in html
    assert "No API tokens yet" in html


def test_customer_user_sees_their_customer(client_for, user_a):
    html = client_for(user_a).get(PROFILE_URL).content.decode()

    assert "Autowerk AG" in html
    assert "Customer user" in html


def test_profile_needs_sign_in(client, db):
    response = client.get(PROFILE_URL)

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_profile_update_persists(client_for, engineer):
    client = client_for(engineer)

    response = client.post(PROFILE_URL, profile_data(time_zone="America/Detroit"))

    assert response.status_code == 302
    engineer.refresh_from_db()
    assert engineer.full_name == "Erika Mustermann"
    assert engineer.job_title == "Supplier quality engineer"
    assert engineer.phone == "+49 711 1234"
    assert engineer.time_zone == "America/Detroit"
    assert "Your profile has been saved." in client.get(PROFILE_URL).content.decode()


def test_profile_update_switches_the_language(client_for, engineer):
    client = client_for(engineer)

    client.post(PROFILE_URL, profile_data(language="de"))

    engineer.refresh_from_db()
    assert engineer.language == "de"
    assert '<html lang="de">' in client.get(PROFILE_URL).content.decode()


def test_invalid_profile_input_is_shown_inline_and_not_saved(client_for, engineer):
    response = client_for(engineer).post(
        PROFILE_URL, profile_data(full_name="", time_zone="Mars/Olympus_Mons", language="fr")
    )

    assert response.status_code == 200
    form = response.context["profile_form"]
    assert set(form.errors) == {"full_name", "time_zone", "language"}
    engineer.refresh_from_db()
    assert engineer.full_name == "Erika Engineer"


def test_profile_cannot_change_email_or_role(client_for, user_a):
    client_for(user_a).post(
        PROFILE_URL, profile_data(email="evil@example.com", role="admin", customer="")
    )

    user_a.refresh_from_db()
    assert user_a.email == "quality@autowerk.example"
    assert user_a.role == "customer"
    assert user_a.customer.name == "Autowerk AG"
