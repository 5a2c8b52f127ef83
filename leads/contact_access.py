"""Who may see a lead's contact details (e-mail, phone, contact name), and who may edit its scraped data.

One rule for every screen: the lead list and page, the search box, the import preview, exports and
the API all ask `contact_info_visible(user=...)`. The permission is `exports.view_contact_info`
("Can view contact information"); it governs viewing and exporting alike.

The search (`q`) matches contact fields only for such users, wherever a spec is read: each web
request (`leads.middleware.ContactSearchMiddleware`, the API's token users included), each export
as its creator (`exports.services.running`), the CLI as its `--user`. Work outside any of these
(the shell, the site's own jobs) searches everything.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

VIEW_CONTACT_INFO = "exports.view_contact_info"
# Editing what the scraper found (title, description, URL, post id, ...) goes with adding leads: the
# people who feed leads in may correct them; sales staff work a lead's status.
EDIT_SCRAPED_DATA = "leads.add_lead"

CONTACT_FIELDS: tuple[str, ...] = ("contact_name", "email", "phone")
SCRAPED_FIELDS: tuple[str, ...] = (
    "title",
    "price",
    "description",
    "url",
    "location",
    "category",
    "source_post_id",
    "posted_at",
)


def contact_info_visible(*, user) -> bool:
    """True when `user` may see (and so export) leads' contact details."""
    return bool(user is not None and user.is_active and user.has_perm(VIEW_CONTACT_INFO))


def scraped_data_editable(*, user) -> bool:
    """True when `user` may change the fields a scrape filled in, not only a lead's status."""
    return bool(user is not None and user.is_active and user.has_perm(EDIT_SCRAPED_DATA))


# Who the spec is being read for: a callable giving the user (read late: the API authenticates in the view).
_SEARCH_FOR: ContextVar[Callable[[], object] | None] = ContextVar("contact_search_for", default=None)


@contextmanager
def contact_search_for(user_getter: Callable[[], object]) -> Iterator[None]:
    """Within this block, `q` matches contact fields only if the user `user_getter()` gives may see them."""
    token = _SEARCH_FOR.set(user_getter)
    try:
        yield
    finally:
        _SEARCH_FOR.reset(token)


def contact_search_allowed() -> bool:
    """May the search match e-mail, phone and contact name here? (True outside any user's scope.)"""
    user_getter = _SEARCH_FOR.get()
    return True if user_getter is None else contact_info_visible(user=user_getter())
