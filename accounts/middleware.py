"""The second factor, required: staff who may see children's data use nothing else until it is on."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

# Set in the session when the second factor was used (or turned on) in this session.
SECOND_FACTOR_DONE = "second_factor_done"
# Pages that need no second factor: setting it up, leaving, and the health probe (which must not even
# read the session: it answers while the database is down).
EXEMPT = {"two_factor_setup", "logout", "healthz"}


class SecondFactorRequiredMiddleware:
    """A signed-in account that must use the second factor (User.must_use_second_factor) and has not in
    this session is sent to the second-factor page, whatever it asks for (but EXEMPT).

    With a confirmed authenticator the login itself asks for the code (accounts.views.LoginView), so
    this only ever catches an account that has not set one up yet: it sets one up before anything else.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view: Any, args: Any, kwargs: Any) -> HttpResponse | None:
        match = request.resolver_match
        if match is not None and match.url_name in EXEMPT:
            return None
        user = request.user
        if user.is_authenticated and not request.session.get(SECOND_FACTOR_DONE) and user.must_use_second_factor:
            messages.warning(
                request, "Your account can see children's data: turn on the second factor before anything else."
            )
            return redirect("two_factor_setup")
        return None
