"""Bounds of what a visitor or a seller writes to moderation: the models' validators, the forms
and the services read them from here."""

EXPLANATION_MAX = 5000
NAME_MAX = 120
FACTS_MAX = 5000
GROUND_MAX = 500
COMPLAINT_MAX = 3000
# DSA art. 20(1): a complaint may be lodged for at least six months after the decision.
COMPLAINT_MONTHS = 6
