from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password-reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path("password-reset/done/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("reset/<uidb64>/<token>/", views.PasswordResetConfirmView.as_view(), name="password_reset_confirm"),
    path("reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("password-change/", views.PasswordChangeView.as_view(), name="password_change"),
    path("password-change/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("display-mode/", views.display_mode, name="display_mode"),
    path("signup/", views.signup, name="signup"),
    path("signup/done/", views.signup_done, name="signup_done"),
    path("signup/claimed/", views.signup_claimed, name="signup_claimed"),
    path("organisation/", views.organisation_profile, name="organisation_profile"),
    path("organisation/edit/", views.organisation_edit, name="organisation_edit"),
    path("colleagues/", views.colleagues, name="colleagues"),
    path("colleagues/add/", views.colleague_add, name="colleague_add"),
    path("colleagues/<id:pk>/active/", views.colleague_set_active, name="colleague_set_active"),
    path("welcome/<uidb64>/<token>/", views.ColleagueWelcomeView.as_view(), name="colleague_welcome"),
    path("organisations/", views.organisation_list, name="organisation_list"),
    path("organisations/<id:pk>/", views.organisation_detail, name="organisation_detail"),
    path("organisations/<id:pk>/verify/", views.organisation_verify, name="organisation_verify"),
    path("organisations/<id:pk>/reject/", views.organisation_reject, name="organisation_reject"),
]
