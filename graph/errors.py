"""How failures reach clients: Magento's `extensions.category` on every error, internal errors
masked, and `user_errors` for admin mutations."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from enum import Enum, StrEnum

import strawberry
from graphql import GraphQLError
from strawberry.extensions import SchemaExtension

from engine.errors import (
    AlreadyExists,
    AuthenticationFailed,
    DomainError,
    NoSuchEntity,
    NotAuthorized,
    ProblemCode,
)

logger = logging.getLogger("mageseg.graphql")

INTERNAL_ERROR = "Internal server error"


class Category(StrEnum):
    INPUT = "graphql-input"
    AUTHORIZATION = "graphql-authorization"
    AUTHENTICATION = "graphql-authentication"
    NO_SUCH_ENTITY = "graphql-no-such-entity"
    ALREADY_EXISTS = "graphql-already-exists"
    INTERNAL = "internal"


AUTH_CATEGORIES = {Category.AUTHORIZATION.value, Category.AUTHENTICATION.value}


def category_of(error: DomainError) -> Category:
    if isinstance(error, AuthenticationFailed):
        return Category.AUTHENTICATION
    if isinstance(error, NotAuthorized):
        return Category.AUTHORIZATION
    if isinstance(error, NoSuchEntity):
        return Category.NO_SUCH_ENTITY
    if isinstance(error, AlreadyExists):
        return Category.ALREADY_EXISTS
    return Category.INPUT


def extensions_of(error: DomainError) -> dict[str, object]:
    """The `extensions` of an expected failure: its category and the input path at fault."""
    extensions: dict[str, object] = {"category": category_of(error).value}
    if error.problems and error.problems[0].path:
        extensions["input_path"] = error.problems[0].path
    return extensions


def present_error(error: GraphQLError, debug: bool) -> GraphQLError:
    """Expected failures keep their message and get their category; syntax, validation and limit
    errors are input errors; anything else is a bug and is masked unless in debug mode.

    The error is changed in place: strawberry hands the same objects to the response through more
    than one list (pre-execution errors are not read back from the execution context)."""
    original = error.original_error
    if isinstance(original, DomainError):
        error.extensions = extensions_of(original)
    elif original is None or isinstance(original, GraphQLError):
        # No original, or a GraphQL one: parse, validation, limit and variable-coercion errors.
        error.extensions = {"category": Category.INPUT.value, **(error.extensions or {})}
    elif error.extensions is None or "category" not in error.extensions:
        logger.error("unexpected error", exc_info=original)
        error.message = f"{INTERNAL_ERROR}: {original!r}" if debug else INTERNAL_ERROR
        error.original_error = None
        error.extensions = {"category": Category.INTERNAL.value}
    return error


class MagentoErrors(SchemaExtension):
    """Rewrites every error of a result the way `present_error` says."""

    debug = False

    def on_operation(self) -> Iterator[None]:
        try:
            yield
        except GraphQLError as error:
            # Parse failures leave the operation as exceptions; strawberry reports the same object.
            present_error(error, self.debug)
            raise
        result = self.execution_context.result
        for reported in getattr(result, "errors", None) or []:
            present_error(reported, self.debug)
        for reported in self.execution_context.pre_execution_errors or []:
            present_error(reported, self.debug)


@strawberry.enum(description="Why an admin mutation refused its input.")
class UserErrorCode(Enum):
    REQUIRED = strawberry.enum_value(
        ProblemCode.REQUIRED.value, description="A required value is missing."
    )
    INVALID = strawberry.enum_value(
        ProblemCode.INVALID.value, description="A value is not acceptable."
    )
    INVALID_UID = strawberry.enum_value(
        ProblemCode.INVALID_UID.value, description="A uid is not valid base64 of an id."
    )
    TOO_LONG = strawberry.enum_value(ProblemCode.TOO_LONG.value, description="A value is too long.")
    NOT_FOUND = strawberry.enum_value(
        ProblemCode.NOT_FOUND.value, description="A referenced entity does not exist."
    )
    ALREADY_EXISTS = strawberry.enum_value(
        ProblemCode.ALREADY_EXISTS.value, description="The value must be unique and is taken."
    )
    PROTECTED = strawberry.enum_value(
        ProblemCode.PROTECTED.value, description="The entity is protected from this change."
    )
    IN_USE = strawberry.enum_value(
        ProblemCode.IN_USE.value, description="The entity is still referenced elsewhere."
    )
    INVALID_CREDENTIALS = strawberry.enum_value(
        ProblemCode.INVALID_CREDENTIALS.value, description="A password or token is wrong."
    )
    UNKNOWN_CONDITION = strawberry.enum_value(
        ProblemCode.UNKNOWN_CONDITION.value,
        description="A segment condition type is unknown or not allowed where it is.",
    )
    UNKNOWN_ATTRIBUTE = strawberry.enum_value(
        ProblemCode.UNKNOWN_ATTRIBUTE.value,
        description="A segment condition names an attribute the catalogue does not offer.",
    )
    INVALID_OPERATOR = strawberry.enum_value(
        ProblemCode.INVALID_OPERATOR.value,
        description="A segment condition's operator is not allowed for its attribute or type.",
    )
    INVALID_VALUE = strawberry.enum_value(
        ProblemCode.INVALID_VALUE.value,
        description="A segment condition's value is of the wrong type or not an allowed option.",
    )
    UNKNOWN_SEGMENT = strawberry.enum_value(
        ProblemCode.UNKNOWN_SEGMENT.value,
        description="A segment condition refers to a segment that does not exist.",
    )
    CYCLE = strawberry.enum_value(
        ProblemCode.CYCLE.value,
        description="Segment conditions would refer to each other in a cycle.",
    )
    NOT_FOR_VISITORS = strawberry.enum_value(
        ProblemCode.NOT_FOR_VISITORS.value,
        description="A condition needs a registered customer, in a segment for visitors.",
    )


@strawberry.type(description="One problem with an admin mutation's input.")
class UserError:
    code: UserErrorCode = strawberry.field(description="What kind of problem this is.")
    message: str = strawberry.field(description="A sentence a person can read.")
    path: str = strawberry.field(
        description="Where in the input the problem is, as dotted names and indexes "
        "(`input.street.2`); empty when the input as a whole is at fault."
    )

    @classmethod
    def from_error(cls, error: DomainError) -> list[UserError]:
        return [
            cls(code=UserErrorCode(p.code.value), message=p.message, path=p.path)
            for p in error.problems
        ]
