from django.http import HttpResponse, HttpResponseNotFound, HttpResponseServerError


def home(request):
    return HttpResponse("Galerie")


def page_not_found(request, exception=None):
    return HttpResponseNotFound("Page introuvable")


def server_error(request):
    return HttpResponseServerError("Erreur")
