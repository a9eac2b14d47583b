"""Pages of accounts: sign-up, the organisation's profile and colleagues, the bureau's verification,
the home to-do list and the password pages. Views are thin: services change state, selectors read."""

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alliance_portal.core import todo
from alliances.models import Organisation

from . import audit, selectors, services
from .context_processors import LARGE_PRINT_SESSION_KEY
from .errors import AccountsError
from .forms import (
    ColleagueForm,
    DisplayModeForm,
    FirstUserForm,
    OrganisationFilter,
    OrganisationProfileForm,
    OrganisationSignupForm,
    PasswordResetForm,
    RejectForm,
    platform_formset,
)

MODEL_BACKEND = "accounts.backends.StaffModelBackend"  # the one of AUTHENTICATION_BACKENDS that checks passwords
PAGE_SIZE = 20


def permission_required(perm):
    """Anonymous users go to the login page; signed-in users without the permission get 403."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(request, *args, **kwargs):
            if not request.user.has_perm(perm):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


# --- Sign-in and passwords -----------------------------------------------------------------------

class LoginView(auth_views.LoginView):
    redirect_authenticated_user = True


@require_POST
def display_mode(request):
    """Switch the ageing-friendly mode on or off: remembered on the user when signed in (every device),
    in the session before; then back to the page the switch was pressed on."""
    form = DisplayModeForm(request.POST)
    if not form.is_valid():  # only an over-long "next": the mode is a checkbox's yes or no
        return redirect("home")
    on = form.cleaned_data["large_print"]
    request.session[LARGE_PRINT_SESSION_KEY] = on
    if request.user.is_authenticated and request.user.large_print != on:
        request.user.large_print = on
        request.user.save(update_fields=["large_print"])
    target = form.cleaned_data["next"]
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        target = reverse("home")
    return HttpResponseRedirect(target)  # not redirect(): it would take a bare word for a URL name


class PasswordResetView(auth_views.PasswordResetView):
    """The answer is the same whether or not the address has an account; the email leaves via a task."""

    form_class = PasswordResetForm
    extra_email_context = {"PORTAL": settings.PORTAL}


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    def form_valid(self, form):
        response = super().form_valid(form)
        audit.record("password_reset", user=form.user)
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    def form_valid(self, form):
        response = super().form_valid(form)
        audit.record("password_changed", user=form.user)
        return response


class ColleagueWelcomeView(auth_views.PasswordResetConfirmView):
    """A colleague added by their organisation's admin sets a first password and is signed in."""

    template_name = "accounts/colleague_welcome.html"
    reset_url_token = "set-password"  # noqa: S105 - a URL placeholder, not a password
    post_reset_login = True
    post_reset_login_backend = MODEL_BACKEND
    success_url = reverse_lazy("home")

    def form_valid(self, form):
        response = super().form_valid(form)
        audit.record("password_set", user=form.user)
        messages.success(self.request, _("Welcome! Your password is set and you are signed in."))
        return response


# --- Home --------------------------------------------------------------------------------------------

def home(request):
    """A to-do list per role for signed-in users; the public landing page for others."""
    if not request.user.is_authenticated:
        return render(request, "home_public.html")
    items = todo.collect(request.user)
    return render(request, "home.html", {
        "notices": [item for item in items if item.is_notice],
        "todo": [item for item in items if not item.is_notice],
    })


# --- Sign-up -----------------------------------------------------------------------------------------

def signup(request):
    """One page: the organisation, its R&D platforms, enterprise figures and the first user's account."""
    if request.user.is_authenticated:
        messages.info(request, _("You are signed in already. To register another organisation, sign out first."))
        return redirect("home")
    data = request.POST if request.method == "POST" else None
    organisation_form = OrganisationSignupForm(data, prefix="org", initial={"kind": Organisation.Kind.ENTERPRISE})
    platforms = platform_formset(data)
    account_form = FirstUserForm(data, prefix="account")
    if data is not None:
        forms_valid = [organisation_form.is_valid(), platforms.is_valid(), account_form.is_valid()]
        if all(forms_valid) and organisation_form.claimed_organisation is not None:
            return _claim(request, organisation_form, platforms, account_form)
        if all(forms_valid):
            try:
                user = services.register_member_unit(
                    organisation={name: organisation_form.cleaned_data[name] for name in organisation_form.fields},
                    platforms=platforms.platform_values(),
                    username=account_form.cleaned_data["username"],
                    full_name=account_form.cleaned_data["full_name"],
                    email=account_form.cleaned_data["email"],
                    phone=account_form.cleaned_data["phone"],
                    password=account_form.cleaned_data["password1"],
                )
            except AccountsError as conflict:
                target = organisation_form if conflict.field == "credit_code" else account_form
                target.add_error(conflict.field, conflict.message)
            else:
                login(request, user, backend=MODEL_BACKEND)
                return redirect("signup_done")
    return render(request, "accounts/signup.html", {
        "organisation_form": organisation_form, "platforms": platforms, "account_form": account_form,
    })


def _claim(request, organisation_form, platforms, account_form):
    """The credit code is that of a unit the bureau imported and nobody has claimed: join it, pending."""
    try:
        services.claim_imported_organisation(
            organisation_form.claimed_organisation,
            profile={name: organisation_form.cleaned_data[name] for name in services.PROFILE_FIELDS
                     if name in organisation_form.cleaned_data},
            platforms=platforms.platform_values(),
            **{name: account_form.cleaned_data[name] for name in ("username", "full_name", "email", "phone")},
            password=account_form.cleaned_data["password1"],
        )
    except AccountsError as conflict:
        target = organisation_form if conflict.field == "credit_code" else account_form
        target.add_error(conflict.field, conflict.message)
        return render(request, "accounts/signup.html", {
            "organisation_form": organisation_form, "platforms": platforms, "account_form": account_form,
        })
    return redirect("signup_claimed")


def signup_claimed(request):
    """After claiming an imported organisation: nothing to show until the bureau has verified the claim."""
    return render(request, "accounts/signup_claimed.html")


@login_required
def signup_done(request):
    if request.user.organisation_id is None:
        raise Http404
    return render(request, "accounts/signup_done.html", {"organisation": request.user.organisation})


# --- The user's own organisation -------------------------------------------------------------------

def _own_organisation(request) -> Organisation:
    if request.user.organisation_id is None:
        raise Http404(_("Your account does not belong to an organisation."))
    return selectors.organisation_detail(request.user.organisation_id)


@login_required
def organisation_profile(request):
    organisation = _own_organisation(request)
    return render(request, "accounts/organisation_profile.html", {
        "organisation": organisation, "platforms": selectors.platforms_of(organisation),
    })


@permission_required("accounts.add_colleague")
def organisation_edit(request):
    organisation = _own_organisation(request)
    data = request.POST if request.method == "POST" else None
    form = OrganisationProfileForm(data, instance=organisation)
    platforms = platform_formset(data, instance=organisation)
    if data is not None and form.is_valid() and platforms.is_valid():
        try:
            changed = services.update_organisation_profile(
                organisation, by=request.user, fields=form.profile_values(), platforms=platforms.platform_values(),
            )
        except AccountsError as refusal:
            messages.error(request, refusal.message)
        else:
            messages.success(request, _("The profile is saved.") if changed else _("Nothing was changed."))
            return redirect("organisation_profile")
    return render(request, "accounts/organisation_edit.html", {
        "organisation": organisation, "form": form, "platforms": platforms,
    })


# --- Colleagues ----------------------------------------------------------------------------------------

@permission_required("accounts.add_colleague")
def colleagues(request):
    return render(request, "accounts/colleagues.html", {
        "colleagues": selectors.colleagues_of(request.user), "organisation": request.user.organisation,
    })


@permission_required("accounts.add_colleague")
def colleague_add(request):
    form = ColleagueForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            colleague = services.add_colleague(
                by=request.user, base_url=request.build_absolute_uri("/"),
                **{name: form.cleaned_data[name] for name in ("username", "full_name", "email", "phone",
                                                              "is_org_admin")},
            )
        except AccountsError as refusal:
            form.add_error(refusal.field, refusal.message)
        else:
            messages.success(request, _("%(name)s was added. We emailed %(email)s a link to set a password.")
                             % {"name": colleague, "email": colleague.email})
            return redirect("colleagues")
    return render(request, "accounts/colleague_add.html", {"form": form})


@require_POST
@permission_required("accounts.add_colleague")
def colleague_set_active(request, pk):
    colleague = get_object_or_404(selectors.colleagues_of(request.user), pk=pk)
    active = request.POST.get("active") == "1"
    try:
        changed = services.set_colleague_active(colleague, by=request.user, active=active)
    except AccountsError as refusal:
        messages.error(request, refusal.message)
    else:
        if changed:
            messages.success(request, (_("%(name)s can sign in again.") if active
                                       else _("%(name)s can no longer sign in.")) % {"name": colleague})
    return redirect("colleagues")


# --- The bureau's verification ---------------------------------------------------------------------

@permission_required("accounts.verify_organisation")
def organisation_list(request):
    sort = request.GET.get("sort", "")
    if sort.lstrip("-") not in selectors.ORGANISATION_SORTS:
        sort = ""
    filterset = OrganisationFilter(request.GET, queryset=selectors.organisations_for_bureau(sort=sort))
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "accounts/organisations/list.html", {
        "filter": filterset, "page_obj": page, "sort": sort or "created_at",
        "columns": [
            ("name", _("Organisation name")), ("credit_code", _("Unified social credit code")),
            ("kind", _("Kind of organisation")), ("district", _("District")), ("created_at", _("Registered at")),
            ("verification", _("Verification")),
        ],
    })


def _organisation_page(request, organisation, *, reject_form=None):
    return render(request, "accounts/organisations/detail.html", {
        "organisation": organisation,
        "platforms": selectors.platforms_of(organisation),
        "users": organisation.users.order_by("-is_org_admin", "username"),
        "timeline": selectors.organisation_timeline(organisation),
        "reject_form": reject_form or RejectForm(),
        "can_verify": (organisation.verification, Organisation.Verification.VERIFIED) in services.VERIFICATION_STEPS,
        "can_reject": (organisation.verification, Organisation.Verification.REJECTED) in services.VERIFICATION_STEPS,
    })


def _bureau_organisation(pk) -> Organisation:
    try:
        return selectors.organisation_detail(pk)
    except Organisation.DoesNotExist:
        raise Http404 from None


@permission_required("accounts.verify_organisation")
def organisation_detail(request, pk):
    return _organisation_page(request, _bureau_organisation(pk))


@require_POST
@permission_required("accounts.verify_organisation")
def organisation_verify(request, pk):
    organisation = _bureau_organisation(pk)
    try:
        changed = services.verify_organisation(organisation, by=request.user, approve=True)
    except AccountsError as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("%(name)s is verified.") % {"name": organisation} if changed
                         else _("%(name)s was verified already.") % {"name": organisation})
    return redirect("organisation_detail", pk=organisation.pk)


@require_POST
@permission_required("accounts.verify_organisation")
def organisation_reject(request, pk):
    organisation = _bureau_organisation(pk)
    form = RejectForm(request.POST)
    if not form.is_valid():
        return _organisation_page(request, organisation, reject_form=form)
    try:
        changed = services.verify_organisation(organisation, by=request.user, approve=False,
                                               note=form.cleaned_data["note"])
    except AccountsError as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("The registration of %(name)s is rejected; its users are told why.")
                         % {"name": organisation} if changed
                         else _("%(name)s was rejected already.") % {"name": organisation})
    return redirect("organisation_detail", pk=organisation.pk)

