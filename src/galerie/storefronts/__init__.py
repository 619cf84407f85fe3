"""Storefronts: the branded sites of the mall, their hosts and their assortments."""
