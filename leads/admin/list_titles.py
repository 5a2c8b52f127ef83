"""Every admin list is titled by what it lists ("Auto-responses"), not "Select auto response to change".

Mixed into each changelist by leads.admin.strict_changelist (every model admin of the site goes
through it), so a new admin needs nothing for it. A view's own `title` in extra_context still wins.
"""

from django.utils.text import capfirst


class PlainTitleChangeListMixin:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.title = capfirst(self.opts.verbose_name_plural)
