from django.conf import settings


def guichet(request):
    """The authority's identity, from settings, for the header, footer and titles."""
    return {
        "AUTHORITY_NAME": settings.GUICHET_AUTHORITY_NAME,
        "AUTHORITY_LOGO": settings.GUICHET_AUTHORITY_LOGO,
        "SITE_TITLE": settings.GUICHET_SITE_TITLE,
        "SITE_TAGLINE": settings.GUICHET_SITE_TAGLINE,
    }
