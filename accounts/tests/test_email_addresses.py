"""E-mail addresses have one normal form (the user manager's) and are unique ignoring case, down to the index."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from accounts.models import User

pytestmark = pytest.mark.django_db


def test_the_manager_stores_an_address_trimmed_and_in_lower_case():
    user = User.objects.create_user("  Mia.K@Example.COM ", "a-long-password")

    assert user.email == "mia.k@example.com"
    assert User.objects.normalize_email("Mia.K@Example.COM") == "mia.k@example.com"


def test_an_account_is_found_by_its_address_in_any_case():
    user = User.objects.create_user("mia.k@example.com", "a-long-password")

    assert User.objects.with_email("MIA.K@example.com").get() == user
    assert User.objects.get_by_natural_key("Mia.K@Example.com") == user


def test_the_database_refuses_the_same_address_in_another_case_even_past_the_manager():
    User.objects.create(email="Mia.K@example.com")  # a raw create skips the normalisation

    with pytest.raises(IntegrityError, match="accounts_user_email_ci_unique"):
        User.objects.create(email="mia.k@EXAMPLE.com")


def test_full_clean_names_the_email_field_for_a_taken_address():
    User.objects.create_user("mia.k@example.com", "a-long-password")
    other = User(email="Mia.K@Example.com")

    with pytest.raises(ValidationError) as refused:
        other.full_clean(exclude=["password"])

    assert refused.value.message_dict == {"email": ["An account with this e-mail address already exists."]}
