"""Booking bounds, written once: travellers per booking, the child age limit, name lengths."""

# A booking of more travellers is a group quote, not a basket line.
TRAVELLERS_MAX = 9
# A child travels at the child fare until the day before their 12th birthday, counted on the
# departure date.
CHILD_AGE_LIMIT = 12
# Traveller.first_name / last_name max_length.
NAME_MAX = 100
