"""The end-of-session summary of a permanence desk, as text (the dialog shows it, and it can be
copied into a report): visitors, waiting times, questions, languages and outcomes."""

from __future__ import annotations

from app.i18n import _, format_list, format_number, ngettext
from app.language_names import display_name
from app.services.contact.permanence import Summary


def summary_text(summary: Summary) -> str:
    lines = [
        ngettext("{n} visitor", "{n} visitors", summary.visitors).format(n=summary.visitors)
        + " · " + _("served: {served}").format(served=summary.served)
        + " · " + _("left without being served: {n}").format(n=summary.left_unserved),
    ]  # fmt: skip
    if summary.median_wait_minutes is not None and summary.longest_wait_minutes is not None:
        lines.append(_("Waiting time: median {median} min, longest {longest} min").format(
            median=format_number(round(summary.median_wait_minutes)),
            longest=format_number(round(summary.longest_wait_minutes))))  # fmt: skip
    if summary.categories:
        lines.append(_("Questions: {list}").format(
            list=format_list([f"{c.label} {n}" for c, n in summary.categories.items()])))  # fmt: skip
    if summary.languages:
        lines.append(_("Languages: {list}").format(
            list=format_list([f"{display_name(code) or _('not recorded')} {format_number(n)}"
                              for code, n in summary.languages.items()])))  # fmt: skip
    if summary.outcomes:
        lines.append(_("Outcomes: {list}").format(
            list=format_list([f"{o.label} {n}" for o, n in summary.outcomes.items()])))  # fmt: skip
    return "\n".join(lines)
