"""People pages of a partnership (Working Group and administrators) and the invitation link."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_http_methods

from csa_tracker.accounts.access import partnership_view
from csa_tracker.accounts.identities import accounts_sharing_address
from csa_tracker.accounts.models import Invitation, Membership
from csa_tracker.accounts.people import display_name
from csa_tracker.accounts.policies import Can
from csa_tracker.paging import page_shown
from csa_tracker.refusals import Refusal, refuse_on_form

from . import services
from .forms import InviteForm, MemberForm, NewAccountForm
from .policies import MEMBERSHIPS

PER_PAGE = 25


def _people(partnership, search: str):
    """Everyone with a role in `partnership`, with their memberships here as `.here`, by name."""
    here = Membership.objects.in_partnership(partnership).select_related("organisation").order_by("role")
    people = (
        get_user_model()
        .objects.filter(pk__in=Membership.objects.in_partnership(partnership).values("user"))
        .prefetch_related(Prefetch("memberships", queryset=here, to_attr="here"))
        .order_by("first_name", "last_name", "username")
    )
    if search:
        people = people.filter(
            Q(first_name__icontains=search)
            | Q(last_name__icontains=search)
            | Q(username__icontains=search)
            | Q(email__icontains=search)
            | Q(
                memberships__partnership=partnership,
                memberships__organisation__name__icontains=search,
            )
        ).distinct()
    return people


def _member(access, pk: int):
    """A person with a role in this partnership, else 404."""
    people = get_user_model().objects.filter(
        pk__in=Membership.objects.in_partnership(access.partnership).values("user")
    )
    return get_object_or_404(people, pk=pk)


@partnership_view(Can.MANAGE_PEOPLE)
def people_list(request):
    partnership = request.access.partnership
    search = request.GET.get("q", "").strip()
    page, page_notice = page_shown(
        Paginator(_people(partnership, search), PER_PAGE), request.GET.get("page"), where="in this list"
    )
    invitations = (
        Invitation.objects.pending(timezone.now())
        .filter(partnership=partnership)
        .select_related("organisation", "invited_by")
    )
    context = {
        "page": page,
        "page_notice": page_notice,
        # Accounts sharing an address in another letter case, to merge (README "People").
        "shared": accounts_sharing_address(person.pk for person in page),
        "search": search,
        "query": urlencode({"q": search}) + "&" if search else "",
        "invitations": invitations,
    }
    return render(request, "people/people_list.html", context)


@partnership_view(Can.MANAGE_PEOPLE)
def people_invite(request):
    access = request.access
    form = InviteForm(request.POST if request.method == "POST" else None, access=access)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            invitation = services.invitation_send(
                access=access,
                email=data["email"],
                name=data["name"],
                organisation=data["organisation"],
                roles=data["roles"],
            )
        except Refusal as exc:
            refuse_on_form(form, exc)
        else:
            messages.success(request, f"An invitation is on its way to {invitation.email}.")
            return redirect("people_list", partnership=access.partnership.slug)
    return render(request, "people/invite.html", {"form": form, "days": settings.CSA_INVITATION_DAYS})


@partnership_view(Can.MANAGE_PEOPLE)
def member_edit(request, pk: int):
    access = request.access
    person = _member(access, pk)
    roles, organisations = services.current_roles(person, access.partnership)
    initial = {"roles": sorted(roles), "organisation": organisations[0] if organisations else None}
    posted = request.POST if request.method == "POST" else None
    form = MemberForm(posted, access=access, initial=initial, person=person)
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.membership_change(
                access=access,
                user=person,
                organisation=form.cleaned_data["organisation"],
                roles=form.cleaned_data["roles"],
                seen=form.seen_value,
            )
        except Refusal as exc:
            refuse_on_form(form, exc)
        else:
            name = display_name(person)
            messages.success(request, f"Saved {name}'s roles." if changed else f"Nothing changed for {name}.")
            return redirect("people_list", partnership=access.partnership.slug)
    context = {"form": form, "person": person, "organisations": organisations}
    return render(request, "people/member_edit.html", context)


@partnership_view(Can.MANAGE_PEOPLE)
@require_http_methods(["GET", "POST"])
def member_deactivate(request, pk: int):
    access = request.access
    person = _member(access, pk)
    roles, organisations = services.current_roles(person, access.partnership)
    other_partnerships = (
        Membership.objects.filter(user=person).exclude(partnership=access.partnership).values("partnership").distinct()
    )
    error = None
    if request.method == "POST":
        try:
            deactivated = services.membership_deactivate(access=access, user=person)
        except Refusal as exc:
            error = str(exc)
        else:
            name = display_name(person)
            messages.success(
                request,
                f"{name} no longer has a role in {access.partnership.short_name}"
                + (" and their account is deactivated." if deactivated else "."),
            )
            return redirect("people_list", partnership=access.partnership.slug)
    context = {
        "person": person,
        "organisations": organisations,
        "role_labels": [label for value, label in Membership._meta.get_field("role").choices if value in roles],
        "keeps_account": other_partnerships.exists(),
        "error": error,
    }
    return render(request, "people/member_deactivate.html", context, status=400 if error else 200)


@partnership_view(Can.MANAGE_PEOPLE)
@require_http_methods(["GET", "POST"])
def invitation_withdraw(request, pk: int):
    """GET asks to confirm; POST withdraws the pending invitation."""
    access = request.access
    invitation = get_object_or_404(
        Invitation.objects.pending(timezone.now()).filter(partnership=access.partnership), pk=pk
    )
    if request.method == "POST":
        try:
            services.invitation_withdraw(access=access, invitation=invitation)
        except services.InvitationUsed:
            messages.warning(request, f"{invitation.email} accepted the invitation before it was withdrawn.")
        else:
            messages.success(request, f"The invitation to {invitation.email} is withdrawn; its link no longer works.")
        return redirect("people_list", partnership=access.partnership.slug)
    return render(request, "people/invitation_withdraw.html", {"invitation": invitation})


@login_not_required
@require_http_methods(["GET", "POST"])
def invitation_accept(request, token: str):
    """The link in an invitation e-mail: the token is the permission, so no sign-in is needed to open it.

    An address with no account sets a password here; an address with one signs in and accepts.
    """
    invitation = services.find_invitation(token)
    problem = services.invitation_problem(invitation, timezone.now())
    if problem:
        return _problem(request, invitation, problem)
    account = services.account_for(invitation.email)
    signed_in = request.user if request.user.is_authenticated else None
    context = {"invitation": invitation, "account": account, "signed_in": signed_in}
    if signed_in is not None and (account is None or account.pk != signed_in.pk):
        return render(request, "people/invitation_accept.html", context | {"step": "wrong_account"})
    if account is not None and account.is_active:
        if signed_in is None:
            login_url = f"{reverse('login')}?{urlencode({'next': request.path})}"
            return render(
                request, "people/invitation_accept.html", context | {"step": "sign_in", "login_url": login_url}
            )
        if request.method == "POST":
            return _accepted(request, invitation, user=signed_in)
        return render(request, "people/invitation_accept.html", context | {"step": "confirm"})
    form = NewAccountForm(invitation, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        return _accepted(request, invitation, password=form.cleaned_data["new_password1"])
    return render(request, "people/invitation_accept.html", context | {"step": "password", "form": form})


def _problem(request, invitation, problem: str):
    context = {"problem": problem, "invitation": invitation}
    if problem == "sender":
        context["sender_refusal"] = MEMBERSHIPS.sender_refusal(invitation)
    return render(request, "people/invitation_problem.html", context, status=404 if problem == "unknown" else 410)


def _accepted(request, invitation, **how):
    try:
        user = services.invitation_accept(invitation=invitation, **how)
    except services.InvitationUsed:
        return _problem(request, invitation, "used")
    except services.InvitationExpired:
        invitation.refresh_from_db()  # withdrawn or expired while the page was open
        return _problem(request, invitation, services.invitation_problem(invitation, timezone.now()) or "expired")
    except services.InvitationSenderCannot:
        return _problem(request, invitation, "sender")
    if not request.user.is_authenticated:
        login(request, user, backend="csa_tracker.accounts.identities.CaseInsensitiveBackend")
    messages.success(request, f"Welcome to {invitation.partnership.name}.")
    return redirect("partnership_home", partnership=invitation.partnership.slug)
