"""Cart price rules as admins manage them (Magento's `salesrule` with its websites, customer
groups, store labels, primary coupon and condition trees), one transaction per write.

As Magento's `Rule::afterSave`: a SPECIFIC_COUPON rule without auto generation keeps its code in
one primary `salesrule_coupon` row (usage limit = uses per coupon, per customer = uses per
customer, expiration = the rule's end date, 0 stored as NULL = unlimited); any other coupon type
deletes that row. AUTO rules (and SPECIFIC ones with auto generation) get codes from
`coupons.generate`. Validation messages are Magento's where it has them
(`Rule\\Model\\AbstractModel::validateData`: "End Date must follow Start Date.", "Please specify
a website.", "Please specify Customer Groups."; the coupon resource's unique key: "Coupon with the
same code already exists.")."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import Any, cast

from tortoise.transactions import in_transaction

from engine.errors import (
    AlreadyExists,
    DomainError,
    NoSuchEntity,
    Problem,
    ProblemCode,
    Problems,
)
from engine.invalidation import Topic, touch
from engine.pagination import Page, PageRequest, paginate
from engine.rules import drafts
from engine.rules import magento_json as rule_json
from engine.rules.drafts import RuleConditionDraft, TreeKind
from engine.rules.tree import CartCombine, ProductCombine
from models import (
    CustomerGroup,
    Salesrule,
    SalesruleCoupon,
    SalesruleCustomerGroup,
    SalesruleLabel,
    SalesruleWebsite,
    Store,
    StoreWebsite,
)
from models.salesrules import CartRuleAction, CouponCreationType, CouponType, FreeShipping
from models.stores import ADMIN_STORE_ID, ADMIN_WEBSITE_ID

NAME_MAX_LENGTH = 255
CODE_MAX_LENGTH = 255
END_BEFORE_START = "End Date must follow Start Date."
NO_WEBSITE = "Please specify a website."
NO_GROUPS = "Please specify Customer Groups."
COUPON_EXISTS = "Coupon with the same code already exists."


@dataclass(frozen=True)
class LabelChange:
    """One store-view label; store 0 is the default for all store views."""

    store_id: int
    label: str


@dataclass(frozen=True)
class CartRuleChanges:
    """What an admin sends; `None` leaves a value as it is. To clear `description`, `from_date`,
    `to_date` or `discount_qty`, set the matching `clear_*` flag. At most one of `conditions` and
    `conditions_serialized` (Magento's JSON), likewise for the actions."""

    name: str | None = None
    description: str | None = None
    is_active: bool | None = None
    website_ids: Sequence[int] | None = None
    customer_group_ids: Sequence[int] | None = None
    from_date: date | None = None
    to_date: date | None = None
    uses_per_customer: int | None = None
    stop_rules_processing: bool | None = None
    sort_order: int | None = None
    simple_action: CartRuleAction | None = None
    discount_amount: Decimal | None = None
    discount_qty: Decimal | None = None
    discount_step: int | None = None
    apply_to_shipping: bool | None = None
    simple_free_shipping: FreeShipping | None = None
    coupon_type: CouponType | None = None
    coupon_code: str | None = None
    uses_per_coupon: int | None = None
    use_auto_generation: bool | None = None
    is_rss: bool | None = None
    labels: Sequence[LabelChange] | None = None
    conditions: RuleConditionDraft | None = None
    conditions_serialized: str | None = None
    actions: RuleConditionDraft | None = None
    actions_serialized: str | None = None
    clear_description: bool = False
    clear_from_date: bool = False
    clear_to_date: bool = False
    clear_discount_qty: bool = False


@dataclass(frozen=True)
class CartRuleFilter:
    name_contains: str | None = None
    ids: Sequence[int] | None = None
    is_active: bool | None = None
    coupon_type: CouponType | None = None
    website_id: int | None = None
    coupon_code: str | None = None


@dataclass(frozen=True)
class CartRuleDetails:
    """A rule with what lives beside it, for display."""

    rule: Salesrule
    website_ids: tuple[int, ...]
    customer_group_ids: tuple[int, ...]
    labels: tuple[LabelChange, ...]
    coupon_code: str | None
    conditions: RuleConditionDraft
    actions: RuleConditionDraft
    conditions_serialized: str
    actions_serialized: str


def not_found(rule_id: int, path: str = "uid") -> NoSuchEntity:
    return NoSuchEntity(
        Problem(
            ProblemCode.NOT_FOUND,
            f'The rule with the "{rule_id}" ID wasn\'t found. Verify the ID and try again.',
            path,
        )
    )


async def get(rule_id: int, path: str = "uid") -> Salesrule:
    rule = await Salesrule.get_or_none(rule_id=rule_id)
    if rule is None:
        raise not_found(rule_id, path)
    return rule


async def page(filter_: CartRuleFilter, request: PageRequest) -> Page[Salesrule]:
    query = Salesrule.all().order_by("sort_order", "rule_id")
    if filter_.name_contains:
        query = query.filter(name__icontains=filter_.name_contains)
    if filter_.ids is not None:
        query = query.filter(rule_id__in=list(filter_.ids))
    if filter_.is_active is not None:
        query = query.filter(is_active=filter_.is_active)
    if filter_.coupon_type is not None:
        query = query.filter(coupon_type=filter_.coupon_type)
    if filter_.website_id is not None:
        query = query.filter(websites__website_id=filter_.website_id)
    if filter_.coupon_code:
        query = query.filter(coupons__code=filter_.coupon_code.strip())
    return await paginate(query.distinct(), request)


def _tree_text(text: str | None, kind: TreeKind) -> RuleConditionDraft:
    """The stored tree as a normalized draft; a corrupt one is shown as an empty root."""
    try:
        tree = drafts.build_tree(rule_json.loads(text, kind, "stored"), kind)
    except DomainError:
        return drafts.empty_draft()
    return drafts.dump_tree(tree)


async def details(rules: Sequence[Salesrule]) -> list[CartRuleDetails]:
    """Every rule with its websites, groups, labels, primary coupon and trees (five queries)."""
    ids = [r.rule_id for r in rules]
    websites: dict[int, list[int]] = {i: [] for i in ids}
    groups: dict[int, list[int]] = {i: [] for i in ids}
    labels: dict[int, list[LabelChange]] = {i: [] for i in ids}
    codes: dict[int, str] = {}
    if ids:
        for rule_id, website_id in (
            await SalesruleWebsite.filter(rule_id__in=ids)
            .order_by("website_id")
            .values_list("rule_id", "website_id")
        ):
            websites[int(rule_id)].append(int(website_id))
        for rule_id, group_id in (
            await SalesruleCustomerGroup.filter(rule_id__in=ids)
            .order_by("customer_group_id")
            .values_list("rule_id", "customer_group_id")
        ):
            groups[int(rule_id)].append(int(group_id))
        for rule_id, store_id, label in (
            await SalesruleLabel.filter(rule_id__in=ids)
            .order_by("store_id")
            .values_list("rule_id", "store_id", "label")
        ):
            labels[int(rule_id)].append(LabelChange(int(store_id), str(label or "")))
        for rule_id, code in await SalesruleCoupon.filter(
            rule_id__in=ids, is_primary=True
        ).values_list("rule_id", "code"):
            codes[int(rule_id)] = str(code)
    result: list[CartRuleDetails] = []
    for rule in rules:
        conditions = _tree_text(rule.conditions_serialized, TreeKind.CART_CONDITIONS)
        actions = _tree_text(rule.actions_serialized, TreeKind.CART_ACTIONS)
        result.append(
            CartRuleDetails(
                rule=rule,
                website_ids=tuple(websites[rule.rule_id]),
                customer_group_ids=tuple(groups[rule.rule_id]),
                labels=tuple(labels[rule.rule_id]),
                coupon_code=codes.get(rule.rule_id),
                conditions=conditions,
                actions=actions,
                conditions_serialized=rule_json.dumps(conditions, TreeKind.CART_CONDITIONS),
                actions_serialized=rule_json.dumps(actions, TreeKind.CART_ACTIONS),
            )
        )
    return result


# --- validation -------------------------------------------------------------------------------


@dataclass
class _State:
    """The rule's values after the change, for the checks that span fields."""

    from_date: date | None
    to_date: date | None
    simple_action: CartRuleAction
    discount_amount: Decimal
    coupon_type: CouponType
    use_auto_generation: bool
    coupon_code: str | None
    uses_per_coupon: int
    uses_per_customer: int


def _non_negative(problems: Problems, value: Decimal | int | None, label: str, path: str) -> None:
    if value is not None and value < 0:
        problems.add(ProblemCode.INVALID, f"{label} must be 0 or greater.", path)


async def _check_tree(
    problems: Problems,
    typed: RuleConditionDraft | None,
    serialized: str | None,
    kind: TreeKind,
    name: str,
) -> CartCombine | ProductCombine | None:
    try:
        draft = rule_json.choose_draft(
            typed,
            serialized,
            kind,
            path=f"input.{name}",
            serialized_path=f"input.{name}_serialized",
        )
        if draft is None:
            return None
        path = f"input.{name}" if serialized is None else f"input.{name}_serialized"
        return await drafts.check_tree(draft, kind, path)
    except DomainError as error:
        problems.items.extend(error.problems)
        return None


async def _check_ids(
    problems: Problems, changes: CartRuleChanges, state: _State, creating: bool
) -> None:
    if changes.website_ids is not None:
        known = {
            cast(int, w)
            for w in await StoreWebsite.exclude(website_id=ADMIN_WEBSITE_ID).values_list(
                "website_id", flat=True
            )
        }
        for index, website_id in enumerate(changes.website_ids):
            if website_id not in known:
                problems.add(
                    ProblemCode.NOT_FOUND,
                    f'Could not find a website with ID "{website_id}"',
                    f"input.website_uids.{index}",
                )
        if not changes.website_ids:
            problems.add(ProblemCode.REQUIRED, NO_WEBSITE, "input.website_uids")
    elif creating:
        problems.add(ProblemCode.REQUIRED, NO_WEBSITE, "input.website_uids")
    if changes.customer_group_ids is not None:
        known = {
            cast(int, g)
            for g in await CustomerGroup.all().values_list("customer_group_id", flat=True)
        }
        for index, group_id in enumerate(changes.customer_group_ids):
            if group_id not in known:
                problems.add(
                    ProblemCode.NOT_FOUND,
                    f"No such entity with id = {group_id}",
                    f"input.customer_group_uids.{index}",
                )
        if not changes.customer_group_ids:
            problems.add(ProblemCode.REQUIRED, NO_GROUPS, "input.customer_group_uids")
    elif creating:
        problems.add(ProblemCode.REQUIRED, NO_GROUPS, "input.customer_group_uids")
    if changes.labels is not None:
        stores = {cast(int, s) for s in await Store.all().values_list("store_id", flat=True)}
        seen: set[int] = set()
        for index, label in enumerate(changes.labels):
            if label.store_id not in stores and label.store_id != ADMIN_STORE_ID:
                problems.add(
                    ProblemCode.NOT_FOUND,
                    f'The store with the "{label.store_id}" ID wasn\'t found.',
                    f"input.labels.{index}.store_uid",
                )
            elif label.store_id in seen:
                problems.add(
                    ProblemCode.INVALID,
                    "Only one label per store view.",
                    f"input.labels.{index}.store_uid",
                )
            seen.add(label.store_id)
            if len(label.label) > 255:
                problems.add(
                    ProblemCode.TOO_LONG,
                    "A label is at most 255 characters.",
                    f"input.labels.{index}.label",
                )


def _check_fields(
    problems: Problems, changes: CartRuleChanges, state: _State, creating: bool
) -> None:
    if changes.name is not None or creating:
        name = (changes.name or "").strip()
        if not name:
            problems.add(
                ProblemCode.REQUIRED, '"name" is required. Enter and try again.', "input.name"
            )
        elif len(name) > NAME_MAX_LENGTH:
            problems.add(
                ProblemCode.TOO_LONG,
                f"Name is more than {NAME_MAX_LENGTH} characters. Enter a shorter name.",
                "input.name",
            )
    if state.from_date and state.to_date and state.to_date < state.from_date:
        problems.add(ProblemCode.INVALID, END_BEFORE_START, "input.to_date")
    _non_negative(problems, changes.discount_amount, "Discount Amount", "input.discount_amount")
    _non_negative(problems, changes.discount_qty, "Maximum Qty", "input.discount_qty")
    _non_negative(problems, changes.discount_step, "Discount Qty Step", "input.discount_step")
    _non_negative(
        problems, changes.uses_per_customer, "Uses per Customer", "input.uses_per_customer"
    )
    _non_negative(problems, changes.uses_per_coupon, "Uses per Coupon", "input.uses_per_coupon")
    _non_negative(problems, changes.sort_order, "Priority", "input.sort_order")
    if (
        state.simple_action is CartRuleAction.BY_PERCENT
        and state.discount_amount > 100
        and (changes.discount_amount is not None or changes.simple_action is not None)
    ):
        problems.add(
            ProblemCode.INVALID,
            "Percentage discount should be between 0 and 100.",
            "input.discount_amount",
        )
    if changes.coupon_code is not None and len(changes.coupon_code.strip()) > CODE_MAX_LENGTH:
        problems.add(
            ProblemCode.TOO_LONG,
            f"A coupon code is at most {CODE_MAX_LENGTH} characters.",
            "input.coupon_code",
        )
    needs_code = state.coupon_type is CouponType.SPECIFIC_COUPON and not state.use_auto_generation
    if needs_code and not state.coupon_code:
        problems.add(
            ProblemCode.REQUIRED,
            "A Specific Coupon rule needs a coupon code (or auto generation).",
            "input.coupon_code",
        )
    if changes.coupon_code and not needs_code:
        problems.add(
            ProblemCode.INVALID,
            "A coupon code is kept only for Specific Coupon rules without auto generation.",
            "input.coupon_code",
        )


async def _check_code(problems: Problems, state: _State, rule_id: int | None) -> None:
    if not state.coupon_code or state.coupon_type is not CouponType.SPECIFIC_COUPON:
        return
    if state.use_auto_generation:
        return
    taken = SalesruleCoupon.filter(code=state.coupon_code)
    if rule_id is not None:
        taken = taken.exclude(rule_id=rule_id, is_primary=True)
    if await taken.exists():
        problems.add(ProblemCode.ALREADY_EXISTS, COUPON_EXISTS, "input.coupon_code")


# --- writes -----------------------------------------------------------------------------------


def _state(rule: Salesrule | None, changes: CartRuleChanges, code: str | None) -> _State:
    def pick(new: Any, old: Any, default: Any) -> Any:
        if new is not None:
            return new
        return old if rule is not None else default

    from_date = None if changes.clear_from_date else changes.from_date
    to_date = None if changes.clear_to_date else changes.to_date
    return _State(
        from_date=from_date
        if from_date is not None or changes.clear_from_date
        else (rule.from_date if rule else None),
        to_date=to_date
        if to_date is not None or changes.clear_to_date
        else (rule.to_date if rule else None),
        simple_action=CartRuleAction(
            pick(changes.simple_action, rule and rule.simple_action, CartRuleAction.BY_PERCENT)
        ),
        discount_amount=Decimal(
            pick(changes.discount_amount, rule and rule.discount_amount, Decimal(0))
        ),
        coupon_type=CouponType(
            pick(changes.coupon_type, rule and rule.coupon_type, CouponType.NO_COUPON)
        ),
        use_auto_generation=bool(
            pick(changes.use_auto_generation, rule and rule.use_auto_generation, False)
        ),
        coupon_code=(changes.coupon_code.strip() or None)
        if changes.coupon_code is not None
        else code,
        uses_per_coupon=int(pick(changes.uses_per_coupon, rule and rule.uses_per_coupon, 0)),
        uses_per_customer=int(pick(changes.uses_per_customer, rule and rule.uses_per_customer, 0)),
    )


def _apply(rule: Salesrule, changes: CartRuleChanges, state: _State) -> None:
    if changes.name is not None:
        rule.name = changes.name.strip()
    if changes.clear_description:
        rule.description = None  # type: ignore[assignment]
    elif changes.description is not None:
        rule.description = changes.description
    for field in (
        "is_active",
        "uses_per_customer",
        "stop_rules_processing",
        "sort_order",
        "discount_step",
        "apply_to_shipping",
        "uses_per_coupon",
        "is_rss",
    ):
        value = getattr(changes, field)
        if value is not None:
            setattr(rule, field, value)
    rule.from_date = state.from_date
    rule.to_date = state.to_date
    rule.simple_action = state.simple_action
    rule.discount_amount = state.discount_amount
    if changes.clear_discount_qty:
        rule.discount_qty = None
    elif changes.discount_qty is not None:
        rule.discount_qty = changes.discount_qty
    if changes.simple_free_shipping is not None:
        rule.simple_free_shipping = changes.simple_free_shipping
    rule.coupon_type = state.coupon_type
    # AUTO rules always generate their codes (Magento sets the flag for them).
    rule.use_auto_generation = state.use_auto_generation or state.coupon_type is CouponType.AUTO


async def _save_relations(rule: Salesrule, changes: CartRuleChanges, state: _State) -> None:
    rule_id = rule.rule_id
    if changes.website_ids is not None:
        await SalesruleWebsite.filter(rule_id=rule_id).delete()
        for website_id in sorted(set(changes.website_ids)):
            await SalesruleWebsite.create(rule_id=rule_id, website_id=website_id)
    if changes.customer_group_ids is not None:
        await SalesruleCustomerGroup.filter(rule_id=rule_id).delete()
        for group_id in sorted(set(changes.customer_group_ids)):
            await SalesruleCustomerGroup.create(rule_id=rule_id, customer_group_id=group_id)
    if changes.labels is not None:
        await SalesruleLabel.filter(rule_id=rule_id).delete()
        for label in changes.labels:
            if label.label.strip():
                await SalesruleLabel.create(
                    rule_id=rule_id, store_id=label.store_id, label=label.label
                )
    # Rule::afterSave: the primary coupon follows the rule.
    primary = await SalesruleCoupon.get_or_none(rule_id=rule_id, is_primary=True)
    keeps_code = (
        state.coupon_type is CouponType.SPECIFIC_COUPON
        and not state.use_auto_generation
        and state.coupon_code
    )
    if not keeps_code:
        if primary is not None:
            await primary.delete()
        return
    values: dict[str, Any] = {
        "code": state.coupon_code,
        "usage_limit": state.uses_per_coupon or None,
        "usage_per_customer": state.uses_per_customer or None,
        "expiration_date": None,
    }
    if state.to_date is not None:
        # Stored as Magento stores the rule's `to_date` there: midnight of that day.
        values["expiration_date"] = datetime.combine(state.to_date, time(0), tzinfo=UTC)
    if primary is None:
        await SalesruleCoupon.create(
            rule_id=rule_id,
            is_primary=True,
            type=CouponCreationType.MANUAL,
            times_used=0,
            **values,
        )
    else:
        for key, value in values.items():
            setattr(primary, key, value)
        await primary.save()


async def _checked(
    changes: CartRuleChanges, rule: Salesrule | None
) -> tuple[_State, CartCombine | None, ProductCombine | None]:
    problems = Problems()
    code = None
    if rule is not None:
        primary = await SalesruleCoupon.get_or_none(rule_id=rule.rule_id, is_primary=True)
        code = primary.code if primary is not None else None
    state = _state(rule, changes, code)
    creating = rule is None
    _check_fields(problems, changes, state, creating)
    await _check_ids(problems, changes, state, creating)
    await _check_code(problems, state, rule.rule_id if rule else None)
    conditions = await _check_tree(
        problems,
        changes.conditions,
        changes.conditions_serialized,
        TreeKind.CART_CONDITIONS,
        "conditions",
    )
    actions = await _check_tree(
        problems, changes.actions, changes.actions_serialized, TreeKind.CART_ACTIONS, "actions"
    )
    if problems.items and {p.code for p in problems.items} == {ProblemCode.ALREADY_EXISTS}:
        raise AlreadyExists(problems.items)
    problems.raise_if_any()
    assert conditions is None or isinstance(conditions, CartCombine)
    assert actions is None or isinstance(actions, ProductCombine)
    return state, conditions, actions


async def create(changes: CartRuleChanges) -> Salesrule:
    """A new cart rule (inactive unless `is_active`), or every problem with the input."""
    async with in_transaction():
        state, conditions, actions = await _checked(changes, None)
        rule = Salesrule(
            name="",
            is_active=False,
            stop_rules_processing=False,
            sort_order=0,
            uses_per_customer=0,
            discount_step=0,
            apply_to_shipping=False,
            times_used=0,
            is_rss=True,
            is_advanced=True,
            uses_per_coupon=0,
            simple_free_shipping=FreeShipping.NONE,
        )
        _apply(rule, changes, state)
        rule.conditions_serialized = rule_json.dump_cart_conditions(conditions or CartCombine())
        rule.actions_serialized = rule_json.dump_cart_actions(actions or ProductCombine())
        await rule.save()
        await _save_relations(rule, changes, state)
        touch(Topic.PROMOTIONS)
    return await get(rule.rule_id)


async def update(rule_id: int, changes: CartRuleChanges) -> Salesrule:
    """Change a cart rule; omitted fields stay as they are."""
    async with in_transaction():
        rule = await get(rule_id)
        state, conditions, actions = await _checked(changes, rule)
        _apply(rule, changes, state)
        if conditions is not None:
            rule.conditions_serialized = rule_json.dump_cart_conditions(conditions)
        if actions is not None:
            rule.actions_serialized = rule_json.dump_cart_actions(actions)
        await rule.save()
        await _save_relations(rule, changes, state)
        touch(Topic.PROMOTIONS)
    return await get(rule_id)


async def delete(rule_id: int) -> Salesrule:
    """Delete a cart rule with its websites, groups, labels, coupons and usage (cascade)."""
    async with in_transaction():
        rule = await get(rule_id)
        await rule.delete()
        touch(Topic.PROMOTIONS)
    return rule
