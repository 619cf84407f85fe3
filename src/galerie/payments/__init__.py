"""Payments: the gateway interface, a simulated hosted card gateway and bank transfer."""
