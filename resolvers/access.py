"""Authorization checks shared by every resolver."""

from __future__ import annotations

from engine.auth import Viewer, ViewerKind
from engine.errors import NotAuthorized, Problem, ProblemCode
from graph.context import Info

CUSTOMER_NOT_AUTHORIZED = "The current customer isn't authorized."
ADMIN_NOT_AUTHORIZED = "The current user isn't authorized: this operation needs an admin token."


async def require_customer(info: Info) -> Viewer:
    """The calling customer; guests and admin tokens get Magento's authorization error."""
    viewer = await info.context.viewer()
    if viewer.kind is not ViewerKind.CUSTOMER or viewer.customer_id is None:
        raise NotAuthorized(Problem(ProblemCode.INVALID_CREDENTIALS, CUSTOMER_NOT_AUTHORIZED))
    return viewer


async def require_admin(info: Info) -> Viewer:
    viewer = await info.context.viewer()
    if viewer.kind is not ViewerKind.ADMIN:
        raise NotAuthorized(Problem(ProblemCode.INVALID_CREDENTIALS, ADMIN_NOT_AUTHORIZED))
    return viewer
