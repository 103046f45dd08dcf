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


def confirm_signup(client, mailoutbox, run_tasks):
    """Run the task worker, open the sign-up link it mailed, and finish: the final response."""
    import re

    run_tasks()
    (link,) = re.findall(r"http://testserver(/accounts/signup/confirm/[^/\s]+/[^/\s]+/)", mailoutbox[-1].body)
    assert client.get(link).status_code == 200
    return client.post(link)
