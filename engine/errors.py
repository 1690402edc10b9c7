"""Expected failures. Each kind matches one of Magento's GraphQL exception classes; the graph layer
maps them to `extensions.category`, admin mutations to `user_errors`."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum


class ProblemCode(StrEnum):
    REQUIRED = "REQUIRED"
    INVALID = "INVALID"
    INVALID_UID = "INVALID_UID"
    TOO_LONG = "TOO_LONG"
    NOT_FOUND = "NOT_FOUND"
    ALREADY_EXISTS = "ALREADY_EXISTS"
    PROTECTED = "PROTECTED"
    IN_USE = "IN_USE"
    INVALID_CREDENTIALS = "INVALID_CREDENTIALS"
    # segment conditions (engine/segments/validate.py)
    UNKNOWN_CONDITION = "UNKNOWN_CONDITION"
    UNKNOWN_ATTRIBUTE = "UNKNOWN_ATTRIBUTE"
    INVALID_OPERATOR = "INVALID_OPERATOR"
    INVALID_VALUE = "INVALID_VALUE"
    UNKNOWN_SEGMENT = "UNKNOWN_SEGMENT"
    CYCLE = "CYCLE"
    NOT_FOR_VISITORS = "NOT_FOR_VISITORS"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input: `path` points into it (`input.street.2`)."""

    code: ProblemCode
    message: str
    path: str = ""


class DomainError(Exception):
    """Base of expected failures. Carries every problem found, not just the first."""

    def __init__(self, problems: Iterable[Problem] | Problem | str) -> None:
        if isinstance(problems, str):
            problems = Problem(ProblemCode.INVALID, problems)
        self.problems: tuple[Problem, ...] = (
            (problems,) if isinstance(problems, Problem) else tuple(problems)
        )
        super().__init__(self.problems[0].message if self.problems else type(self).__name__)

    @property
    def message(self) -> str:
        return str(self)


class InputInvalid(DomainError):
    """Magento's GraphQlInputException."""


class NoSuchEntity(DomainError):
    """Magento's GraphQlNoSuchEntityException."""


class AlreadyExists(DomainError):
    """Magento's GraphQlAlreadyExistsException."""


class AuthenticationFailed(DomainError):
    """Magento's GraphQlAuthenticationException: wrong credentials, bad or expired token."""


class NotAuthorized(DomainError):
    """Magento's GraphQlAuthorizationException: a known caller without the right."""


class Problems:
    """Collects problems while validating a whole input, then raises them at once."""

    def __init__(self) -> None:
        self.items: list[Problem] = []

    def add(self, code: ProblemCode, message: str, path: str) -> None:
        self.items.append(Problem(code, message, path))

    def __bool__(self) -> bool:
        return bool(self.items)

    def raise_if_any(self) -> None:
        if not self.items:
            return
        kinds = {p.code for p in self.items}
        if kinds == {ProblemCode.NOT_FOUND}:
            raise NoSuchEntity(self.items)
        if kinds == {ProblemCode.ALREADY_EXISTS}:
            raise AlreadyExists(self.items)
        raise InputInvalid(self.items)
