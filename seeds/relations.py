"""The demo shop's product relations: manual related / up-sell / cross-sell links on the first
demo products, and two related product rules, one for everybody and one for a demo segment,
created through the engine's admin functions (validated and indexed)."""

from __future__ import annotations

from engine.targetrule import links, rules
from engine.targetrule.conditions import DISPLAY_COMBINE, DISPLAY_PRICE, DISPLAY_PRODUCT
from models.targetrule import ApplyTo, LinkType
from seeds import catalog as demo
from seeds.segments import DemoSegments


def _display(*conditions: str) -> str:
    inner = ",".join(conditions)
    return f'{{"type":{_q(DISPLAY_COMBINE)},"aggregator":"all","value":"1","conditions":[{inner}]}}'


def _q(text: str) -> str:
    return '"' + text.replace("\\", "\\\\") + '"'


SAME_CATEGORY = (
    f'{{"type":{_q(DISPLAY_PRODUCT)},"attribute":"category_ids","operator":"==",'
    '"value_type":"same_as","value":""}'
)


def _price(operator: str, percent: int) -> str:
    return f'{{"type":{_q(DISPLAY_PRICE)},"operator":"{operator}","value":"{percent}"}}'


async def ensure_relations(segments: DemoSegments) -> None:
    """Links on the first demo product, and the rules (call once, after the demo segments)."""
    first = demo.sku(0)
    await links.set_links(
        [
            links.LinkList(
                first,
                LinkType.RELATED,
                (links.LinkedItem(demo.sku(1)), links.LinkedItem(demo.sku(2))),
            ),
            links.LinkList(first, LinkType.UP_SELL, (links.LinkedItem(demo.sku(3)),)),
            links.LinkList(first, LinkType.CROSS_SELL, (links.LinkedItem(demo.sku(4)),)),
        ]
    )
    await rules.create(
        rules.RuleChanges(
            name="Same department, similar price",
            is_active=True,
            apply_to=ApplyTo.RELATED,
            sort_order=10,
            positions_limit=4,
            actions_serialized=_display(SAME_CATEGORY, _price(">=", 50), _price("<=", 150)),
        )
    )
    await rules.create(
        rules.RuleChanges(
            name="Frequent shoppers: step up",
            is_active=True,
            apply_to=ApplyTo.UP_SELLS,
            sort_order=1,
            positions_limit=3,
            segment_ids=(segments.frequent,),
            actions_serialized=_display(SAME_CATEGORY, _price(">", 100)),
        )
    )
