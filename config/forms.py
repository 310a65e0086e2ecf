from django.forms.renderers import TemplatesSetting


class DsfrFormRenderer(TemplatesSetting):
    """Renders every form with the DSFR markup: label, hint, input, error under it."""

    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"
