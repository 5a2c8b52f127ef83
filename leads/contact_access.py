"""Who may see a lead's contact details (e-mail, phone, contact name), and who may edit its scraped data.

One rule for every screen: the lead list and page, the search box, the import preview, exports and
the API all ask `contact_info_visible(user=...)`. The permission is `exports.view_contact_info`
("Can view contact information"); it governs viewing and exporting alike.
"""

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
