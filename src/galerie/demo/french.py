"""The little French grammar the demo's generated sentences need: « de » elided or contracted
before a name (« d'Arthur Meyer », « du Quatuor Ostinato », « des Marées »)."""

import unicodedata

# Names whose h is aspirated: no elision (« de Haddad »). Given names of French use (Hugo,
# Hélène, Henri) have a mute h and take « d' ».
ASPIRATED_H = frozenset({"haddad", "hollande", "hongrie", "honduras", "hambourg"})
_VOWELS = frozenset("aeiou")


def _base_letter(char: str) -> str:
    return unicodedata.normalize("NFKD", char)[0].casefold()


def elides(word: str) -> bool:
    """Whether « de », « le », « que »… elide before `word` (« d'Irène », « qu'Yves »).

    A vowel, a mute h, or a y before a consonant (« d'Yves », but « de Yann »)."""
    if not word:
        return False
    first = _base_letter(word[0])
    if first in _VOWELS or first in "œæ":
        return True
    if first == "h":
        head = word.split()[0].casefold().strip(",.;:")
        return head not in ASPIRATED_H
    if first == "y" and len(word) > 1:
        return _base_letter(word[1]) not in _VOWELS
    return False


def de(name: str) -> str:
    """« de » before `name`, as French writes it: « d'Arthur Meyer », « de Sophie Martin »,
    « du Quatuor Ostinato » (name given with its article « le »), « des Marées » (a name that
    starts with « Les »), « de l'Ensemble baroque » (« l' » or « la » stay)."""
    for article, contracted in (("le ", "du "), ("les ", "des ")):
        if name[: len(article)].casefold() == article:
            return contracted + name[len(article) :]
    return f"d'{name}" if elides(name) else f"de {name}"
