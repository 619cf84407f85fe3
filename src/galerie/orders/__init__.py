"""Orders: customer orders split into one seller order per seller, and their lifecycle."""
