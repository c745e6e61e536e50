from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

username_validator = RegexValidator(
    r"^[a-z0-9][a-z0-9_-]{1,29}\Z",
    _(
        "Use 2 to 30 lowercase letters, digits, hyphens or underscores, "
        "starting with a letter or digit."
    ),
    code="invalid_username",
)


class YearloopUserManager(UserManager):
    def get_by_natural_key(self, username: str):
        return self.get(username=username.lower())


class User(AbstractUser):
    """A person who writes years; the username is their address, /@username/."""

    username = models.CharField(
        _("username"),
        max_length=30,
        unique=True,
        validators=[username_validator],
        help_text=_("Your address on the site: /@username/. Lowercase letters, digits, - and _."),
        error_messages={"unique": _("That username is taken. Please choose another.")},
    )
    display_name = models.CharField(_("display name"), max_length=60, blank=True)
    bio = models.CharField(
        _("bio"),
        max_length=120,
        blank=True,
        help_text=_("One line, for example “Researcher, Developer, Student”."),
    )
    avatar = models.ImageField(_("avatar"), upload_to="avatars/", blank=True)
    email_on_comments = models.BooleanField(
        _("e-mail me about comments"),
        default=True,
        help_text=_("New comments on my posts, and replies to my comments."),
    )
    email_reminders = models.BooleanField(
        _("e-mail me reminders"),
        default=True,
        help_text=_(
            "At the end of each period, on December 1, and a week before a goal's deadline."
        ),
    )
    keep_original_photos = models.BooleanField(
        _("keep the original files of my photos"),
        default=False,
        help_text=_(
            "Readers always get resized copies without location or camera data. With this on, "
            "the files you upload are kept as well, for you alone to download."
        ),
    )
    # Set once the default life areas were made for the person (planner.Area): removing
    # them all must not bring them back.
    life_areas_created = models.BooleanField(default=False, editable=False)

    language = models.CharField(
        _("language"),
        max_length=10,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("The site's language for you, and the language of the e-mail you get."),
    )
    # What the browser asked for at the last sign-up or log-in: the language of their mail
    # (and calendar) while they follow their browser.
    browser_language = models.CharField(
        max_length=10, choices=settings.LANGUAGES, blank=True, editable=False
    )

    objects = YearloopUserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.username

    def save(self, *args, **kwargs) -> None:
        self.username = self.username.lower()
        # set_password() notes the new password until it is saved (a hash upgraded at
        # log-in does not): changed or reset, it closes every access token of the API.
        password_changed = self._password is not None and self.pk is not None
        super().save(*args, **kwargs)
        if password_changed:
            from api.models import AccessToken

            AccessToken.objects.filter(owner=self).live().update(revoked_at=timezone.now())

    def get_absolute_url(self) -> str:
        return reverse("planner:profile", args=[self.username])

    @property
    def avatar_url(self) -> str:
        """Where the avatar is served (media is never served straight from storage)."""
        if not self.avatar:
            return ""
        return reverse("planner:avatar_file", args=[self.avatar.name.rsplit("/", 1)[-1]])

    @property
    def name(self) -> str:
        return self.display_name or self.username

    @property
    def mail_language(self) -> str:
        """The language to write to this person in: the one they chose, else their browser's
        when they last came in, else the site's."""
        return self.language or self.browser_language or settings.LANGUAGE_CODE
