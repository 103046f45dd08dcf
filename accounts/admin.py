import logging
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import admin as auth_admin
from django.contrib.auth import forms as auth_forms
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path

from accounts.data_rights import erase_parent, erase_student, erasure_counts, export_download, may_erase
from accounts.models import FamilyCodeAttempt, Parent, StaffTOTP, Student, StudentParentLink, ThrottleHit, User

logger = logging.getLogger(__name__)


# The e-mail is normalised by User.clean() and unique ignoring case by the model's constraint: both
# run in these ModelForms' own validation.
class UserCreationForm(auth_forms.AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email",)


class UserChangeForm(auth_forms.UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


class RoleFilter(admin.SimpleListFilter):
    title = "role"
    parameter_name = "role"

    def lookups(self, request, model_admin):
        return [("student", "Student"), ("parent", "Parent"), ("staff", "Staff"), ("none", "No profile")]

    def queryset(self, request, queryset):
        match self.value():
            case "student":
                return queryset.filter(student__isnull=False)
            case "parent":
                return queryset.filter(parent__isnull=False)
            case "staff":
                return queryset.filter(is_staff=True)
            case "none":
                return queryset.filter(student__isnull=True, parent__isnull=True, is_staff=False)
        return queryset


@admin.register(User)
class UserAdmin(auth_admin.UserAdmin):
    form = UserChangeForm
    add_form = UserCreationForm
    fieldsets = (
        (None, {"fields": ("email", "username", "password", "public_id")}),
        ("Permissions", {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        ("Important dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "usable_password", "password1", "password2")}),)
    readonly_fields = ("public_id",)
    list_display = ("sign_in", "role", "is_staff", "is_active", "date_joined", "last_login")
    # role reads the reverse one-to-ones; joining them keeps the changelist at one query.
    list_select_related = ("student", "parent", "teacher")
    list_filter = (RoleFilter, "is_staff", "is_superuser", "is_active", "groups")
    search_fields = ("email", "username", "public_id", "student__name", "parent__name")
    ordering = ("email",)

    @admin.display(description="e-mail or username", ordering="email")
    def sign_in(self, account):
        return account.sign_in_name


class ProfileForm(forms.ModelForm):
    """A student's or parent's profile: it belongs to one account and repeats that account's e-mail."""

    other_profile = ""  # the reverse accessor of the profile an account may not have as well

    def clean(self):
        super().clean()
        cleaned_data = self.cleaned_data
        user = cleaned_data.get("user")
        email = cleaned_data.get("email")
        if user is None:
            return cleaned_data
        if user.is_staff or user.is_superuser:
            self.add_error("user", "This is a staff account: a child's or a parent's profile cannot belong to it.")
        if email and User.objects.normalize_email(email) != user.email:
            self.add_error("email", f"Must be the account's e-mail address, {user.email}.")
        if hasattr(user, self.other_profile):
            self.add_error("user", f"This account already has a {self.other_profile} profile.")
        return cleaned_data


class StudentForm(ProfileForm):
    other_profile = "parent"

    class Meta:
        model = Student
        fields = ("user", "name", "email", "grade_level", "time_zone")


class ParentForm(ProfileForm):
    other_profile = "student"

    class Meta:
        model = Parent
        fields = ("user", "name", "email")


class ParentLinkInline(admin.TabularInline):
    model = StudentParentLink
    fk_name = "student"
    fields = ("parent", "created_at")
    readonly_fields = ("created_at",)
    autocomplete_fields = ("parent",)
    extra = 0
    verbose_name = "parent"
    verbose_name_plural = "parents"


class ChildLinkInline(admin.TabularInline):
    model = StudentParentLink
    fk_name = "parent"
    fields = ("student", "created_at")
    readonly_fields = ("created_at",)
    autocomplete_fields = ("student",)
    extra = 0
    verbose_name = "child"
    verbose_name_plural = "children"


class DeleteIsErasureMixin(admin.ModelAdmin):
    """Every delete of a profile, single or bulk, is its full erasure (`erase`): the login account goes too,
    so a "deleted" child cannot log in. It takes the permission to delete accounts as well, and a
    superuser's account only a superuser may erase (accounts.data_rights.may_erase)."""

    erase: Callable[[Any], None]

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj) and request.user.has_perm("accounts.delete_user")
        return allowed and (obj is None or may_erase(request.user, obj.user))

    def delete_model(self, request, obj):
        self.erase(obj)
        name = obj._meta.model_name
        logger.info("%s erased %s_id=%s staff_id=%s", name, name, obj.pk, request.user.pk)

    def delete_queryset(self, request, queryset):
        for profile in queryset.select_related("user"):
            if may_erase(request.user, profile.user):
                self.delete_model(request, profile)


class EraseStudentForm(forms.Form):
    confirm = forms.BooleanField(label="I understand that this erases the student and cannot be undone.")


@admin.register(Student)
class StudentAdmin(DeleteIsErasureMixin, admin.ModelAdmin):
    form = StudentForm
    fields = (
        "user",
        "name",
        "email",
        "grade_level",
        "time_zone",
        # Derived from the student's answers; only record_answer writes them.
        "total_xp",
        "current_streak",
        "best_streak",
        "last_active_on",
        "created_at",
        "updated_at",
    )
    readonly_fields = ("total_xp", "current_streak", "best_streak", "last_active_on", "created_at", "updated_at")
    autocomplete_fields = ("user",)
    inlines = (ParentLinkInline,)
    list_display = ("name", "sign_in", "grade_level", "total_xp", "current_streak", "best_streak", "last_active_on")
    list_select_related = ("user",)
    list_filter = ("grade_level",)
    search_fields = ("name", "email", "user__username")
    ordering = ("name", "id")

    @admin.display(description="e-mail or username", ordering="email")
    def sign_in(self, student):
        return student.user.sign_in_name

    erase = staticmethod(erase_student)

    def get_urls(self):
        # Before the model's own URLs: "<path:object_id>/" would take these paths otherwise.
        view = self.admin_site.admin_view
        return [
            path("<int:student_id>/export/", view(self.export_view), name="accounts_student_export"),
            path("<int:student_id>/erase/", view(self.erase_view), name="accounts_student_erase"),
            *super().get_urls(),
        ]

    def export_view(self, request, student_id):
        """The student's data as a JSON download (a data access request), for staff who may view the student."""
        student = get_object_or_404(self.get_queryset(request).select_related("user"), pk=student_id)
        if not self.has_view_permission(request, student):
            raise PermissionDenied
        logger.info("student data exported student_id=%s staff_id=%s", student.pk, request.user.pk)
        return export_download(student)

    def erase_view(self, request, student_id):
        """Confirm, then erase the student with their login account and all their rows (an erasure request)."""
        student = get_object_or_404(self.get_queryset(request).select_related("user"), pk=student_id)
        if not self.has_delete_permission(request, student):
            raise PermissionDenied
        form = EraseStudentForm(request.POST) if request.method == "POST" else EraseStudentForm()
        if form.is_bound and form.is_valid():
            erase_student(student)
            # Ids only: the log outlives the erasure.
            logger.info(
                "student erased student_id=%s account_id=%s staff_id=%s", student.pk, student.user.pk, request.user.pk
            )
            self.message_user(
                request, f"Student #{student.pk}, their login account and all their data were erased.", messages.SUCCESS
            )
            return redirect("admin:accounts_student_changelist")
        context = {
            **self.admin_site.each_context(request),
            "title": "Erase student",
            "opts": self.opts,
            "student": student,
            "counts": erasure_counts(student),
            "form": form,
        }
        return TemplateResponse(request, "admin/accounts/student/erase.html", context)


@admin.register(Parent)
class ParentAdmin(DeleteIsErasureMixin, admin.ModelAdmin):
    form = ParentForm
    fields = ("user", "name", "email", "created_at", "updated_at")
    readonly_fields = ("created_at", "updated_at")
    autocomplete_fields = ("user",)
    inlines = (ChildLinkInline,)
    list_display = ("name", "email", "child_count")
    search_fields = ("name", "email")
    ordering = ("name", "id")

    erase = staticmethod(erase_parent)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(child_count=Count("child_links"))

    @admin.display(description="children", ordering="child_count")
    def child_count(self, obj):
        return obj.child_count


@admin.register(StudentParentLink)
class StudentParentLinkAdmin(admin.ModelAdmin):
    fields = ("student", "parent", "created_at")
    readonly_fields = ("created_at",)
    autocomplete_fields = ("student", "parent")
    list_display = ("parent", "student", "created_at")
    list_select_related = ("parent", "student")
    search_fields = ("parent__name", "parent__email", "student__name", "student__email")
    ordering = ("-id",)


@admin.register(FamilyCodeAttempt)
class FamilyCodeAttemptAdmin(admin.ModelAdmin):
    """Wrong family codes typed by parents (the hourly limit counts these); read-only."""

    list_display = ("parent", "attempted_at")
    list_select_related = ("parent",)
    search_fields = ("parent__name", "parent__email")
    date_hierarchy = "attempted_at"
    actions = None

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(StaffTOTP)
class StaffTOTPAdmin(admin.ModelAdmin):
    """Which staff accounts have a second factor; the secret is never shown. Deleting one turns it off."""

    list_display = ("user", "confirmed", "created_at")
    list_filter = ("confirmed",)
    list_select_related = ("user",)
    search_fields = ("user__email",)
    fields = ("user", "confirmed", "created_at")
    readonly_fields = ("user", "confirmed", "created_at")

    def has_add_permission(self, request):
        return False


@admin.register(ThrottleHit)
class ThrottleHitAdmin(admin.ModelAdmin):
    """Counted events of the rate limits (hashed keys only); deleting a row lifts a lock early."""

    list_display = ("scope", "at")
    list_filter = ("scope",)
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
