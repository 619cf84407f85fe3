"""Demo: the deterministic demo mall loaded by `galerie loaddemo`."""
