"""Password hashing (argon2id, via argon2-cffi) and Magento's password strength rules."""

from __future__ import annotations

from argon2 import PasswordHasher as Argon2Hasher
from argon2.exceptions import InvalidHashError, VerificationError

from engine.errors import Problem, ProblemCode


class PasswordHasher:
    def __init__(self, time_cost: int, memory_kib: int) -> None:
        self._argon2 = Argon2Hasher(time_cost=time_cost, memory_cost=memory_kib, parallelism=1)
        # Verifying against a fixed hash when the account does not exist keeps the response time
        # from telling whether an e-mail is registered.
        self._decoy = self._argon2.hash("mageseg-decoy-password")

    def hash(self, password: str) -> str:
        return self._argon2.hash(password)

    def verify(self, password_hash: str | None, password: str) -> bool:
        try:
            return self._argon2.verify(password_hash or self._decoy, password) and bool(
                password_hash
            )
        except (VerificationError, InvalidHashError):
            return False


_CHARACTER_CLASSES = (
    str.islower,
    str.isupper,
    str.isdigit,
    lambda c: not c.isalnum(),
)


def password_problems(
    password: str, min_length: int, required_classes: int, path: str
) -> list[Problem]:
    """Magento's `AccountManagement::checkPasswordStrength`, with its messages."""
    problems = []
    if len(password) < min_length:
        problems.append(
            Problem(
                ProblemCode.INVALID,
                f"The password needs at least {min_length} characters. "
                "Create a new password and try again.",
                path,
            )
        )
    classes = sum(1 for test in _CHARACTER_CLASSES if any(test(c) for c in password))
    if classes < required_classes:
        problems.append(
            Problem(
                ProblemCode.INVALID,
                f"Minimum of different classes of characters in password is {required_classes}. "
                "Classes of characters: Lower Case, Upper Case, Digits, Special Characters.",
                path,
            )
        )
    if password != password.strip():
        problems.append(
            Problem(
                ProblemCode.INVALID,
                "The password can't begin or end with a space. Verify the password and try again.",
                path,
            )
        )
    return problems
