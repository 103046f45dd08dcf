"""Import and export of questions from the admin: a mixin for the question ModelAdmin.

The views parse their input with a form and call curriculum.transfer, which holds
every rule; staff need the add and change permissions on questions.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.http import content_disposition_header

from curriculum import transfer
from curriculum.models import Chapter

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
CONTENT_TYPES = {"json": "application/json; charset=utf-8", "csv": "text/csv; charset=utf-8"}


class QuestionImportForm(forms.Form):
    file = forms.FileField(
        help_text="UTF-8 text: JSON, CSV or Moodle GIFT, at most 5 MB.",
        # static/admin/upload-limit.js refuses a larger file in the browser, before it is sent.
        widget=forms.ClearableFileInput(attrs={"data-max-bytes": MAX_UPLOAD_BYTES, "accept": ".json,.csv,.gift,.txt"}),
    )
    file_format = forms.ChoiceField(
        label="Format",
        required=False,
        choices=[
            ("", "From the file name (.json, .csv, .gift, .txt)"),
            ("json", "JSON"),
            ("csv", "CSV"),
            ("gift", "Moodle GIFT (multiple choice)"),
        ],
    )
    chapter = forms.ModelChoiceField(
        queryset=Chapter.objects.in_map_order(),
        required=False,
        help_text="GIFT only: the chapter of the questions whose $CATEGORY names no existing chapter.",
    )
    create_chapters = forms.BooleanField(
        required=False,
        help_text=(
            "Create the chapters the file needs but the site lacks (CSV and GIFT: named after their id, subject "
            f"“{transfer.IMPORTED_SUBJECT}”, locked) and apply the chapters listed in a JSON file."
        ),
    )
    dry_run = forms.BooleanField(required=False, help_text="Check the file and show the report; write nothing.")

    def clean(self):
        super().clean()
        data = self.cleaned_data
        upload = data.get("file")
        if upload is None:
            return data
        if upload.size > MAX_UPLOAD_BYTES:
            self.add_error("file", "The file is larger than 5 MB: split it.")
        data["file_format"] = data.get("file_format") or transfer.format_for(upload.name)
        if not data["file_format"]:
            self.add_error("file_format", "The file name does not tell the format: choose it.")
        elif data.get("chapter") and data["file_format"] != "gift":
            self.add_error("chapter", "Only GIFT files take a chapter: JSON and CSV name each question's chapter.")
        return data


class QuestionExportForm(forms.Form):
    file_format = forms.ChoiceField(label="Format", choices=[("json", "JSON (with the chapters)"), ("csv", "CSV")])
    chapter = forms.ModelChoiceField(
        queryset=Chapter.objects.in_map_order(), required=False, empty_label="All chapters"
    )


class QuestionTransferAdminMixin(admin.ModelAdmin):
    """Adds import/ and export/ pages to the question admin, and links to them on its changelist."""

    transfer_import_template = "admin/curriculum/question/import.html"
    transfer_export_template = "admin/curriculum/question/export.html"

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path("import/", self.admin_site.admin_view(self.import_view), name="{}_{}_import".format(*info)),
            path("export/", self.admin_site.admin_view(self.export_view), name="{}_{}_export".format(*info)),
            *super().get_urls(),  # last: its "<path:object_id>/" would catch import/ and export/
        ]

    def has_import_permission(self, request) -> bool:
        return self.has_add_permission(request) and self.has_change_permission(request)

    def has_export_permission(self, request) -> bool:
        return self.has_change_permission(request)

    def changelist_view(self, request, extra_context=None):
        links = {}
        if self.has_import_permission(request):
            links["question_import_url"] = self._transfer_url("import")
        if self.has_export_permission(request):
            links["question_export_url"] = self._transfer_url("export")
        return super().changelist_view(request, {**links, **(extra_context or {})})

    def import_view(self, request):
        if not self.has_import_permission(request):
            raise PermissionDenied
        report = None
        form = QuestionImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            report = transfer.import_file(
                data["file"].read(),
                fmt=data["file_format"],
                chapter_id=data["chapter"].pk if data["chapter"] else None,
                dry_run=data["dry_run"],
                create_chapters=data["create_chapters"],
            )
            if report.written:
                self.message_user(request, f"Import done. {report.summary()}", messages.SUCCESS)
                return redirect(self._transfer_url("changelist"))
        return self._render(request, self.transfer_import_template, "Import questions", form=form, report=report)

    def export_view(self, request):
        if not self.has_export_permission(request):
            raise PermissionDenied
        form = QuestionExportForm(request.GET or None)
        if form.is_valid():
            fmt, chapter = form.cleaned_data["file_format"], form.cleaned_data["chapter"]
            chapter_id = chapter.pk if chapter else None
            try:
                content = transfer.export_questions(fmt, chapter_id=chapter_id)
            except transfer.TransferError as error:
                form.add_error(None, str(error))
            else:
                filename = transfer.export_filename(fmt, chapter_id=chapter_id)
                return HttpResponse(
                    content,
                    content_type=CONTENT_TYPES[fmt],
                    headers={"Content-Disposition": content_disposition_header(True, filename)},
                )
        return self._render(request, self.transfer_export_template, "Export questions", form=form)

    def _transfer_url(self, view: str) -> str:
        return reverse(f"{self.admin_site.name}:{self.opts.app_label}_{self.opts.model_name}_{view}")

    def _render(self, request, template: str, title: str, **context) -> TemplateResponse:
        request.current_app = self.admin_site.name
        context = {**self.admin_site.each_context(request), "title": title, "opts": self.opts, **context}
        return TemplateResponse(request, template, context)
