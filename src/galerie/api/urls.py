"""The JSON API: one NinjaAPI, one router per domain module."""

from ninja import NinjaAPI

api = NinjaAPI(title="Galerie API", version="1", urls_namespace="api")
