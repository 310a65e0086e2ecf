"""The User of every audience: citizens, agents and administrators log in by email."""

import functools

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import connection, connections, models, router
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.postgresql.base import curseur_prepare


@functools.cache
def _sql_par_pk(model) -> str:
    colonnes = ", ".join(connection.ops.quote_name(f.column) for f in model._meta.concrete_fields)
    pk = connection.ops.quote_name(model._meta.pk.column)
    return f"SELECT {colonnes} FROM {model._meta.db_table} WHERE {pk} = %s"  # noqa: S608


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra_fields) -> "User":
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra_fields) -> "User":
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email: str, password: str | None = None, **extra_fields):
        extra_fields.update(is_staff=True, is_superuser=True, is_agent=True)
        return self._create_user(email, password, **extra_fields)

    def get(self, *args, **kwargs) -> "User":
        """`get(pk=<int>)`, which Django's authentication runs on every signed-in request
        (ModelBackend.get_user: is the account still there and active?): the same row
        and the same object as the ORM's, from a hand-written query, since building the
        SQL cost more CPU than running it. Any other lookup: the ORM's `get`."""
        pk = kwargs.get("pk")
        if args or len(kwargs) != 1 or type(pk) is not int:
            return super().get(*args, **kwargs)
        db = self._db or router.db_for_read(self.model)
        with curseur_prepare(connections[db]) as cursor:
            cursor.execute(_sql_par_pk(self.model), [pk])
            row = cursor.fetchone()
        if row is None:
            raise self.model.DoesNotExist(
                f"{self.model._meta.object_name} matching query does not exist."
            )
        return self.model.from_db(db, [f.attname for f in self.model._meta.concrete_fields], row)

    def get_by_natural_key(self, username: str) -> "User":
        # Emails are stored lower-cased; logins are matched the same way.
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(_("adresse électronique"), unique=True)
    first_name = models.CharField(_("prénom"), max_length=150, blank=True)
    last_name = models.CharField(_("nom"), max_length=150, blank=True)
    is_agent = models.BooleanField(
        _("agent"),
        default=False,
        help_text=_("Donne accès au CRM (espace agents)."),
    )
    is_staff = models.BooleanField(
        _("administrateur"),
        default=False,
        help_text=_("Donne accès à l'administration (/admin/)."),
    )
    is_active = models.BooleanField(
        _("actif"),
        default=True,
        help_text=_("Décochez plutôt que supprimer : le compte ne peut plus se connecter."),
    )
    date_joined = models.DateTimeField(_("date d'inscription"), default=timezone.now)

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("utilisateur")
        verbose_name_plural = _("utilisateurs")
        ordering = ["email"]
        indexes = [
            # The agents among hundreds of thousands of citizens' accounts (the CRM
            # list's and the map's « attribué à » options: issue 9's benchmark).
            models.Index(fields=["id"], condition=Q(is_agent=True), name="user_agent"),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    def clean(self) -> None:
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()

    def get_full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self) -> str:
        return self.first_name or self.email

    @property
    def can_use_crm(self) -> bool:
        return self.is_active and self.is_agent


class Connexion(models.Model):
    """A successful login: kept for the citizen's security page and the CRM (RGS)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="connexions")
    le = models.DateTimeField(_("le"), default=timezone.now, db_index=True)
    ip = models.GenericIPAddressField(_("adresse IP"), null=True, blank=True)
    user_agent = models.TextField(_("navigateur (brut)"), blank=True)
    navigateur = models.CharField(_("navigateur"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("connexion")
        verbose_name_plural = _("connexions")
        ordering = ["-le"]
        indexes = [models.Index(fields=["user", "-le"], name="connexion_user_le")]

    def __str__(self) -> str:
        return f"{self.user} — {self.le:%d/%m/%Y %H:%M}"


class TableauDeBord(models.Model):
    """An agent's own choice of dashlets on the CRM dashboard (C1), by code, in order.
    Without one the agent sees the default: every dashlet they may have."""

    user = models.OneToOneField(
        User, on_delete=models.CASCADE, primary_key=True, related_name="tableau_de_bord"
    )
    dashlets = models.JSONField(_("blocs"), default=list, blank=True)
    modifie_le = models.DateTimeField(_("modifié le"), auto_now=True)

    class Meta:
        verbose_name = _("tableau de bord d’un agent")
        verbose_name_plural = _("tableaux de bord des agents")

    def __str__(self) -> str:
        return str(self.user)
