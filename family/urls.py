from django.urls import path

from family import views

urlpatterns = [
    path("family/", views.family, name="family"),
    path("family/link/", views.link_child, name="link_child"),
    path("family/children/new/", views.new_child, name="family_new_child"),
    path("family/children/<int:student_id>/", views.child, name="family_child"),
    path("family/children/<int:student_id>/name/", views.rename_child, name="family_rename_child"),
    path("family/children/<int:student_id>/password/", views.reset_child_password, name="family_child_password"),
    path("family/children/<int:student_id>/card/", views.sign_in_card, name="family_child_card"),
    path("family/children/<int:student_id>/leaderboard/", views.child_leaderboard, name="family_child_leaderboard"),
    path("family/children/<int:student_id>/export/", views.export_child, name="family_export_child"),
    path("family/children/<int:student_id>/erase/", views.erase_child, name="family_erase_child"),
    path("family/children/<int:student_id>/consent/revoke/", views.revoke_consent, name="family_revoke_consent"),
    path("family/children/<int:student_id>/consent/", views.grant_consent, name="family_grant_consent"),
    path("family/children/<int:student_id>/invite/", views.invite_parent, name="family_invite_parent"),
    path(
        "family/children/<int:student_id>/classes/<int:class_id>/leave/", views.leave_class, name="family_leave_class"
    ),
    path("family/invitations/<str:token>/", views.accept_invitation, name="accept_invitation"),
]
