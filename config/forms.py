"""The project's form renderer: DSFR markup for every form, with a Python fast path.

Rendering a field through Django's templates costs about half a millisecond (the field
group, the widget, its attributes, each option of a list: one template each), which is
most of the time of a 150-field wizard step. For the common cases the renderer builds
the same HTML in Python instead:

- `forms/field.html` (the DSFR field group: label, hint, widget, messages), whichever
  widget the field has;
- Django's own widget templates for text-like inputs (text, email, number, date, url,
  password, hidden…), the single checkbox, the textarea and the select;
- django-dsfr's radio and checkbox option templates as `BoundWidget.tag()` renders them
  (no label: the wizard's lists of radios and boxes, portal/includes/wizard_champ.html).

Anything else — a widget with a template of its own (adresse, carte, territoires…), a
whole radio or checkbox list rendered by its widget, a field with its own
`template_name` — goes through the templates as before. The fast path is only used
while the template it stands for is the one it was written from (checked once per
template name: another app overriding Django's widget template turns it off), and
tests/config/test_renderer.py renders every registered field type both ways and compares
the HTML. Change `templates/forms/field.html` and `_champ` together.
"""

import html
from pathlib import Path

import django.forms
import dsfr
from django.conf import settings
from django.forms.renderers import TemplatesSetting
from django.template import Context
from django.template.base import render_value_in_context
from django.template.defaultfilters import stringformat
from django.utils.safestring import SafeData, SafeString, mark_safe

DJANGO_WIDGETS = Path(django.forms.__file__).parent / "templates" / "django" / "forms" / "widgets"


class _Repli(Exception):  # noqa: N818 (not an error: "use the templates for this one")
    """Raised by a fast path that meets a case it does not reproduce."""


# A context like the one the templates get (autoescape on, the settings' l10n and tz).
_CONTEXTE = Context(autoescape=True)


def _v(valeur) -> str:
    """`{{ valeur }}`: localised, turned to text and escaped as a template does."""
    if type(valeur) is str:  # most values: nothing to localise (Django's escape, unwrapped)
        return SafeString(html.escape(valeur))
    if callable(valeur):  # a template would call it
        raise _Repli
    return render_value_in_context(valeur, _CONTEXTE)


def _s(valeur) -> str:
    """`{{ valeur|stringformat:'s' }}`."""
    if type(valeur) in (str, int):  # "%s" of them is plain text, then escaped
        return SafeString(html.escape(str(valeur)))
    if callable(valeur):
        raise _Repli
    texte = stringformat(valeur, "s")
    if isinstance(valeur, SafeData):  # stringformat is is_safe
        texte = mark_safe(texte)  # noqa: S308 (the input was safe already)
    return render_value_in_context(texte, _CONTEXTE)


def _attrs(attrs: dict) -> str:
    """django/forms/widgets/attrs.html."""
    parties = []
    for nom, valeur in attrs.items():
        if valeur is False:
            continue
        if valeur is True:
            parties.append(f" {_v(nom)}")
        else:
            parties.append(f' {_v(nom)}="{_s(valeur)}"')
    return "".join(parties)


def _input(widget: dict) -> str:
    """django/forms/widgets/input.html (and every template that only includes it)."""
    valeur = widget["value"]
    valeur = "" if valeur is None else f' value="{_s(valeur)}"'
    return f'<input type="{_v(widget["type"])}" name="{_v(widget["name"])}"{valeur}{_attrs(widget["attrs"])}>'


def _textarea(widget: dict) -> str:
    valeur = widget["value"]
    texte = _v(valeur) if valeur else ""
    return f'<textarea name="{_v(widget["name"])}"{_attrs(widget["attrs"])}>\n{texte}</textarea>'


_OPTION = "django/forms/widgets/select_option.html"


def _select(widget: dict) -> str:
    parties = [f'<select name="{_v(widget["name"])}"{_attrs(widget["attrs"])}>']
    for groupe, options, _index in widget["optgroups"]:
        if groupe:
            parties.append(f'\n  <optgroup label="{_v(groupe)}">')
        for option in options:
            if option["template_name"] != _OPTION:
                raise _Repli
            parties.append(
                f'\n  <option value="{_s(option["value"])}"{_attrs(option["attrs"])}>'
                f"{_v(option['label'])}</option>\n"
            )
        if groupe:
            parties.append("\n  </optgroup>")
    parties.append("\n</select>")
    return "".join(parties)


def _option_radio(widget: dict) -> str:
    """django-dsfr's radio_option.html, as `BoundWidget.tag()` renders it (no label)."""
    if widget.get("wrap_label"):
        raise _Repli
    return f'<div class="fr-radio-group">\n{_input(widget)}\n</div>'


def _option_case(widget: dict) -> str:
    """django-dsfr's checkbox_option.html, as `BoundWidget.tag()` renders it (no label)."""
    if widget.get("wrap_label"):
        raise _Repli
    if widget["attrs"].get("dsfr", "") == "dsfr":
        return f'<div class="fr-checkbox-group">\n{_input(widget)}\n</div>'
    return _input(widget)


_INPUTS = ("text", "email", "number", "date", "datetime", "time", "url", "password", "hidden")
DSFR_WIDGETS = Path(dsfr.__file__).parent / "templates" / "django" / "forms" / "widgets"
_ATTRS = DJANGO_WIDGETS / "attrs.html"
_INPUT = (DJANGO_WIDGETS / "input.html", _ATTRS)
# Widget template → (fast path, the template files it reproduces: the one found for each
# name must be that one).
_WIDGETS = {
    **{
        f"django/forms/widgets/{nom}.html": (_input, (DJANGO_WIDGETS / f"{nom}.html", *_INPUT))
        for nom in (*_INPUTS, "checkbox")
    },
    "django/forms/widgets/input.html": (_input, _INPUT),
    "django/forms/widgets/textarea.html": (_textarea, (DJANGO_WIDGETS / "textarea.html", _ATTRS)),
    "django/forms/widgets/select.html": (
        _select,
        (DJANGO_WIDGETS / "select.html", DJANGO_WIDGETS / "select_option.html", _ATTRS),
    ),
    "django/forms/widgets/radio_option.html": (
        _option_radio,
        (DSFR_WIDGETS / "radio_option.html", *_INPUT),
    ),
    "django/forms/widgets/checkbox_option.html": (
        _option_case,
        (DSFR_WIDGETS / "checkbox_option.html", *_INPUT),
    ),
}

_GROUPES = {
    "checkbox": "fr-checkbox-group",
    "radioselect": "fr-fieldset",
    "checkboxselectmultiple": "fr-fieldset",
    "select": "fr-select-group",
}
_CLASSES = {"select": "fr-select", "checkbox": "", "radioselect": ""}


def classe_de_groupe(widget_type: str) -> str:
    """The DSFR class of a field's group (`dsfr_group_class` in templates)."""
    return _GROUPES.get(widget_type, "fr-input-group")


def widget_dsfr(field, widget_type: str | None = None) -> str:
    """The widget with its DSFR class, and its hint and messages announced with it
    (`dsfr_widget` in templates)."""
    widget_type = widget_type or field.widget_type
    attrs = {}
    css = _CLASSES.get(widget_type, "fr-input")
    if css:
        existing = field.field.widget.attrs.get("class", "")
        attrs["class"] = f"{existing} {css}".strip()
    described_by = []
    if field.help_text:
        described_by.append(f"{field.auto_id}_helptext")
    if field.errors:
        described_by.append(f"{field.auto_id}-messages")
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    return field.as_widget(attrs=attrs)


def _messages(field, errors) -> str:
    erreurs = "".join(f'<p class="fr-message fr-message--error">{_v(e)}</p>' for e in errors)
    return (
        f'<div class="fr-messages-group" id="{_v(field.auto_id)}-messages" aria-live="polite">'
        f"\n{erreurs}\n</div>"
    )


def _champ(context: dict) -> str:
    """templates/forms/field.html."""
    field = context["field"]
    widget_type = field.widget_type
    groupe = _v(classe_de_groupe(widget_type))
    errors = field.errors
    etat = f" {groupe}--error" if errors else ""
    aide = ""
    if field.help_text:
        aide = (
            f'<span class="fr-hint-text" id="{_v(field.auto_id)}_helptext">'
            f"{_v(field.help_text)}</span>"
        )
    pour = _v(field.id_for_label)
    if widget_type == "checkbox":
        return (
            f'<div class="fr-fieldset__element">\n<div class="{groupe}{etat}">\n'
            f"{widget_dsfr(field, widget_type)}\n"
            f'<label class="fr-label" for="{pour}">\n{_v(field.label)}\n{aide}\n</label>\n'
            f"{_messages(field, errors)}\n</div>\n</div>"
        )
    if field.field.disabled:
        etat += f" {groupe}--disabled"
    facultatif = ""
    if not field.field.required:
        facultatif = ' <span class="fr-text--light">(facultatif)</span>'
    return (
        f'<div class="{groupe}{etat}">\n'
        f'<label class="fr-label" for="{pour}">\n{_v(field.label)}{facultatif}\n{aide}\n</label>\n'
        f"{widget_dsfr(field, widget_type)}\n{_messages(field, errors)}\n</div>"
    )


FIELD_TEMPLATE = "forms/field.html"


class DsfrFormRenderer(TemplatesSetting):
    """Renders every form with the DSFR markup: label, hint, input, error under it."""

    form_template_name = "forms/form.html"
    field_template_name = FIELD_TEMPLATE

    def __init__(self, *, rapide: bool = True):
        super().__init__()
        self.rapide = rapide  # False: always the templates (what the tests compare with)
        self._rapides: dict[str, object] = {}

    def _rapide(self, template_name: str):
        """The fast path for `template_name`, or None: only while the template found is
        the one the fast path reproduces (no other app or folder overrides it)."""
        try:
            return self._rapides[template_name]
        except KeyError:
            pass
        rapide = None
        if template_name == FIELD_TEMPLATE:
            attendu = Path(settings.BASE_DIR) / "templates" / "forms" / "field.html"
            if self._origine(FIELD_TEMPLATE) == attendu:
                rapide = _champ
        elif template_name in _WIDGETS:
            fonction, fichiers = _WIDGETS[template_name]
            if all(self._origine(f"django/forms/widgets/{f.name}") == f for f in fichiers):
                rapide = fonction
        self._rapides[template_name] = rapide
        return rapide

    def _origine(self, template_name: str) -> Path:
        return Path(self.get_template(template_name).template.origin.name)

    def render(self, template_name, context, request=None):
        rapide = self._rapide(template_name) if self.rapide else None
        if rapide is not None:
            try:
                if template_name == FIELD_TEMPLATE:
                    return rapide(context)
                return rapide(context["widget"])
            except _Repli:
                pass
        return super().render(template_name, context, request=request)
