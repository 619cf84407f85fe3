from django.core.management.base import BaseCommand

from galerie.sellers.onboarding import sellers_erase_expired


class Command(BaseCommand):
    help = "Anonymise les vendeurs dont la relation a pris fin il y a six mois ou plus."

    def handle(self, *args, **options):
        count = sellers_erase_expired()
        self.stdout.write(f"{count} vendeur(s) anonymisé(s).")
