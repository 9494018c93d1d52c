"""The dashboard's navigation: each page area registers one item with the roles that may see it.

    from .nav import nav_item
    nav_item("admin.participants", "Participants", roles=("worker",), order=30)

Items are shown in `order`, only to accounts holding one of their roles; an item is marked
current on its own page and on every page whose endpoint starts with `active_prefix`.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import request, url_for


@dataclass(frozen=True)
class NavItem:
    """One link in the service navigation."""

    endpoint: str
    label: str
    roles: tuple[str, ...]
    order: int
    active_prefix: str


NAV: dict[str, NavItem] = {}


def nav_item(
    endpoint: str, label: str, *, roles: tuple[str, ...] = (), order: int = 50, active_prefix: str = ""
) -> None:
    """Add (or replace) a navigation link. Empty `roles` means every signed-in account sees it."""
    NAV[endpoint] = NavItem(endpoint, label, tuple(roles), order, active_prefix or endpoint)


def visible_nav(roles: frozenset[str]) -> list[dict]:
    """The links this account may follow, in order, each with `href`, `label` and `current`."""
    here = request.endpoint or ""
    items = []
    for item in sorted(NAV.values(), key=lambda item: (item.order, item.label)):
        if item.roles and not (roles & set(item.roles)):
            continue
        current = here == item.endpoint or (item.active_prefix != item.endpoint and here.startswith(item.active_prefix))
        items.append({"href": url_for(item.endpoint), "label": item.label, "current": current})
    return items
