"""The instruction API, under /api/instruction/ (config/urls.py): the déclencheurs'
signed webhooks."""

from django.urls import path

from instruction import webhooks

app_name = "instruction"

urlpatterns = [
    path("webhooks/<slug:code>/", webhooks.webhook, name="webhook"),
]
