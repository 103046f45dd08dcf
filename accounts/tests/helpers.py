"""Signing a test client in as a user, as the login pages would."""

from accounts.middleware import SECOND_FACTOR_DONE


def sign_in(client, user, *, second_factor: bool = True):
    """force_login, and (by default) as if the second factor had been used in this session: staff who see
    children's data are otherwise sent to set it up first."""
    client.force_login(user)
    if second_factor:
        session = client.session
        session[SECOND_FACTOR_DONE] = True
        session.save()
    return client
