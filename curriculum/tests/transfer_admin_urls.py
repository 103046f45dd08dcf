"""A test-only admin site with the question import/export mixin, for test_import_export.py.

The project's QuestionAdmin is being rewritten elsewhere; this site lets the mixin be
tested on its own. Its name is not "admin", so the mixin must reverse its own URLs
through the site it is registered with.
"""

from django.contrib import admin
from django.urls import include, path

from curriculum.admin_transfer import QuestionTransferAdminMixin
from curriculum.models import Question

site = admin.AdminSite(name="transfer_admin")


class TransferQuestionAdmin(QuestionTransferAdminMixin, admin.ModelAdmin):
    list_display = ("quiz_id", "chapter")


site.register(Question, TransferQuestionAdmin)

urlpatterns = [
    path("admin/", site.urls),
    # The site's own pages, which the error pages (403, 404) link to.
    path("", include("accounts.urls")),
    path("", include("curriculum.urls")),
    path("", include("analytics.urls")),
]
