"""Who may see a page: decorators for views that belong to one kind of account."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied


def _role_required(role: str, message: str):
    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if request.user.role != role:
                raise PermissionDenied(message)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


student_required = _role_required("student", "This page is for students.")
parent_required = _role_required("parent", "This page is for parents.")
