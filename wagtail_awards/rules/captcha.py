"""The captcha's question, pure: an arithmetic challenge as school books print it, and the words a speech
synthesiser reads for it."""

import secrets

_SPOKEN = {"+": "plus", "\u2212": "minus", "\u00d7": "times", "=": ""}


def arithmetic_challenge():
    """A sum, difference or product of two-digit numbers, e.g. ``"47 + 36 ="`` (answer ``"83"``).

    For ``CAPTCHA_CHALLENGE_FUNCT``. The signs are the ones printed in school books (× and −, not ``*`` and
    ``-``); the numbers are small enough to work out on a phone without a calculator, the answers at most 198.
    """
    rng = secrets.SystemRandom()
    kind = rng.choice("+\u2212\u00d7")
    if kind == "+":
        a, b = rng.randint(10, 89), rng.randint(10, 99)
        answer = a + b
    elif kind == "\u2212":
        a = rng.randint(30, 99)
        b = rng.randint(10, a - 10)
        answer = a - b
    else:
        a, b = rng.randint(11, 19), rng.randint(3, 9)
        answer = a * b
    return f"{a} {kind} {b} =", str(answer)


def spoken_question(challenge: str) -> str:
    """The words a speech synthesiser reads for ``challenge`` (``"47 + 36 ="`` → ``"47 plus 36"``)."""
    words = [_SPOKEN.get(part, part) for part in challenge.split()]
    return " ".join(word for word in words if word) or ", ".join(challenge)
