"""What makes a password acceptable: long enough, not one everybody tries first, not the user name.

The common passwords are the 30,000 most frequent of real leaked password lists, as shipped by zxcvbn
(resources/common_passwords.txt). A password is refused when it is on that list, or is a listed password
with digits or punctuation added at its ends ('password2024!', '!!dragon12345'), ignoring case; and when
it is a single character or a short pattern repeated ('aaaaaaaaaaaa', 'abcabcabcabc')."""
from __future__ import annotations

from functools import lru_cache

from decomp_desk.resource_files import read_text

MIN_PASSWORD = 12
MAX_PASSWORD = 256
_DECORATION = "0123456789!@#$%^&*()-_=+.,;:?/\\|~`'\"[]{}<> "


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    """Read once, when a password is first set (never at the desk's start)."""
    text = read_text("common_passwords.txt")  # the resources/ folder, wherever the program was installed from
    return frozenset(line for line in text.splitlines() if line and not line.startswith("#"))


def is_common(password: str) -> bool:
    p = password.strip().lower()
    common = common_passwords()
    if p in common:
        return True
    core = p.strip(_DECORATION)
    if len(core) >= 4 and core in common:
        return True
    # A short pattern said again and again: 'aaaaaaaaaaaa', 'abcabcabcabc', 'qwe123qwe123'.
    return any(len(p) % n == 0 and p == p[:n] * (len(p) // n) for n in range(1, min(6, len(p) // 2) + 1))


def password_problem(password: object, username: str) -> str | None:
    """Why `password` is refused, as the end of a sentence naming the field ("must be ..."); None if it is fine."""
    name = (username or "").strip().lower()
    if isinstance(password, str) and name and name in (password.strip().lower(),
                                                       password.strip().lower().strip(_DECORATION)):
        return "must not be the user name"
    if not isinstance(password, str) or len(password) < MIN_PASSWORD:
        return f"must be at least {MIN_PASSWORD} characters"
    if len(password) > MAX_PASSWORD:
        return f"must be at most {MAX_PASSWORD} characters"
    if not password.strip():
        return "must not be only spaces"
    if is_common(password):
        return "is one of the most common passwords, which are tried first; choose another"
    return None
