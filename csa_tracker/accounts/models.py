"""Who takes part: partnerships, the organisations in them, and people's roles."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

# Partnership slugs are the first segment of every scoped address, so they must not shadow site paths.
RESERVED_SLUGS = {"admin", "accounts", "static", "media", "healthz", "api", "notifications", "open-data"}


def validate_partnership_slug(value: str) -> None:
    if value in RESERVED_SLUGS:
        raise ValidationError(f"“{value}” is reserved for the site; choose another short name.")


class Partnership(models.Model):
    name = models.CharField(max_length=200, unique=True)
    short_name = models.CharField(max_length=30)
    slug = models.SlugField(unique=True, validators=[validate_partnership_slug])
    # A district partnership names its county's; the county's dashboard shows the districts' published figures.
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
        verbose_name="county partnership",
    )
    # Read by csa_tracker.accounts.published: published reports and open data for anyone, signed in or not.
    open_data_public = models.BooleanField(
        default=False,
        verbose_name="published reports and open data are public",
        help_text="Anyone may read the published reports and the open data without signing in.",
    )
    separate_publisher = models.BooleanField(
        default=True,
        help_text="Whoever submitted or imported an item cannot also publish it: a second person checks it.",
    )
    # Quarters, years to date and year labels follow it: 4 gives April–March financial years (Kent),
    # 10 an October–September year whose Q1 is October–December.
    year_start_month = models.PositiveSmallIntegerField(
        default=4,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
        verbose_name="month the partnership's year starts",
        help_text="1 for January, 4 for April (the financial year), 10 for October.",
    )
    # Bumped whenever what published figures show may change (a reading published or corrected, a report
    # published, the indicators, areas or populations changed): the cache of computed figures is keyed by
    # it (`indicators.figure_cache`), so a new generation is never served an old figure.
    figures_generation = models.PositiveIntegerField(default=0, editable=False)
    # Bumped by every audited change in the partnership (`csa_tracker.audit.services.audit_record`, in the
    # change's own transaction): the rendered work-in-progress pages (`csa_tracker.accounts.fragments`) are
    # keyed by it, so a page is never served from before the latest change.
    work_generation = models.PositiveIntegerField(default=0, editable=False)
    # Bumped by every audited change except those about one piece of partners' work only (a progress update
    # or a reading, whose organisations' `Organisation.work_generation` moves instead): a partner's own
    # pages are keyed by it and by their organisations' generations (issue 26), so a submission by one
    # organisation rebuilds its partners' pages (and the Working Group's) but not every other partner's.
    shared_work_generation = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Organisation(models.Model):
    class Kind(models.TextChoices):
        COUNTY_COUNCIL = "county_council", "County council"
        UNITARY_COUNCIL = "unitary_council", "Unitary council"
        DISTRICT_COUNCIL = "district_council", "District council"
        POLICE = "police", "Police"
        FIRE = "fire", "Fire and rescue"
        HEALTH = "health", "Health"
        PCC = "pcc", "Police and Crime Commissioner"
        PARTNERSHIP_TEAM = "partnership_team", "Partnership team"
        VOLUNTARY = "voluntary", "Voluntary sector"
        NATIONAL = "national", "National body"

    # An organisation belongs to one partnership: the same body in two partnerships is two rows.
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="organisations")
    name = models.CharField(max_length=200)
    short_name = models.CharField(max_length=30, blank=True)
    kind = models.CharField(max_length=30, choices=Kind.choices)
    # Bumped by every audited change to work this organisation's partners follow (a progress update on an
    # action it leads or supports, a reading of an indicator it supplies, anything written for it): see
    # `Partnership.shared_work_generation` (issue 26).
    work_generation = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["partnership", "name"], name="organisation_unique_name")]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return self.short_name or self.name


class Role(models.TextChoices):
    PARTNER = "partner", "Partner"
    WORKING_GROUP = "working_group", "Working Group"
    GOVERNING = "governing", "Governing group"
    ADMIN = "admin", "Administrator"


class MembershipQuerySet(models.QuerySet):
    def in_partnership(self, partnership):
        return self.filter(partnership=partnership)


class Membership(models.Model):
    """A person's role in one partnership on behalf of one organisation."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices)
    # Moved, on all of the person's memberships in the partnership, by every change to their
    # notifications there (`csa_tracker.notifications.services`, in the change's transaction): the menu's
    # unread count is kept in the cache under it (issue 26).
    notifications_generation = models.PositiveIntegerField(default=0, editable=False)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "partnership", "organisation", "role"], name="membership_unique_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()}, {self.organisation} ({self.partnership.short_name})"

    def clean(self):
        """The organisation is one the partnership may use (its own, or a shared one)."""
        from .scoping import foreign_records, refusal

        if self.partnership_id:
            for name, record in foreign_records(self, ["organisation"], self.partnership_id).items():
                raise ValidationError({name: refusal(record, self.partnership, "organisations")})


class InvitationQuerySet(models.QuerySet):
    def pending(self, now):
        return self.filter(accepted_at__isnull=True, withdrawn_at__isnull=True, expires__gt=now)


class Invitation(models.Model):
    """An e-mailed offer of roles in one partnership, for one organisation.

    The link carries a random token; only its SHA-256 is stored, so the table cannot be used to accept
    anyone's invitation. Nothing but this row exists until the invitee accepts: then the account (if
    new) and the memberships are created by `invitation_accept`.
    """

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField("e-mail address")
    name = models.CharField("full name", max_length=150)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="invitations")
    roles = models.JSONField(help_text='Role values (see Role), e.g. ["partner"].')
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="invitations_sent"
    )
    created = models.DateTimeField(default=timezone.now)
    expires = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"Invitation for {self.email} to {self.partnership.short_name}"

    @property
    def role_labels(self) -> list[str]:
        return [Role(role).label for role in Role.values if role in self.roles]
