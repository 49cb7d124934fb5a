"""Cheaper rendering of GOV.UK form fields. Each field's template is rendered directly, not through Flask's
render_template, which ran every context processor and signal once per field (a search form has a dozen).
A field that is empty (or a choice showing one of its options) with no error renders the same HTML every
time, so that HTML is kept and reused: the GOV.UK macros were most of a form page's time. A text field holding
what someone typed, or text loaded from a record, is rendered once with a placeholder for its value, and that
HTML is kept and the escaped value put in the placeholder's place on each use: no search term, reason or name
is kept in memory."""

import json
from collections import ChainMap

from flask import Flask, current_app
from flask.templating import Environment
from govuk_frontend_wtf.gov_form_base import GovFormBase, GovIterableBase
from govuk_frontend_wtf.wtforms_widgets import GovInput, GovSelect, GovTextArea
from markupsafe import Markup, escape

MAX_KEPT = 2048  # distinct empty fields (form x field x params): the app has a few hundred
_kept: dict[str, Markup] = {}
# Stands for a typed value: letters only, so it escapes to itself and sits where the escaped value would.
PLACEHOLDER = "registerFieldValuePlaceholder"


def _render_field(self: GovFormBase, params: dict) -> Markup:
    # The widget templates read only `params` (checked for govuk-frontend-wtf 3.2): the output is the same.
    return Markup(current_app.jinja_env.get_template(self.template).render(params=params))  # noqa: S704


def _call_field(self: GovFormBase, field, **kwargs) -> Markup:
    params = self.map_gov_params(field, **kwargs)
    typed = any(value not in (None, "") for value in getattr(field, "raw_data", None) or ())
    # A choice's data is one of the form's own values (a default such as CSV), never free text.
    holds_text = not isinstance(self, GovIterableBase | GovSelect) and field.data not in (None, "", [], ())
    if field.errors:
        return self.render(params)
    if typed or holds_text:
        return _with_value(self, params)
    return _kept_html(self, params)


def _kept_html(self: GovFormBase, params: dict) -> Markup:
    key = json.dumps([self.template, params], sort_keys=True, default=repr)
    html = _kept.get(key)
    if html is None:
        if len(_kept) >= MAX_KEPT:
            _kept.clear()
        html = _kept[key] = self.render(params)
    return html


def _with_value(self: GovFormBase, params: dict) -> Markup:
    """A text field's HTML with its value: the field's HTML around a placeholder is kept (it holds nothing
    typed), and the value goes where the placeholder is, escaped as the macro escapes it (markupsafe's
    escape). The macros print a text input's or a text area's value once and read nothing else from it;
    anything else (a date's parts, an empty or marked-safe value) is rendered afresh."""
    value = params.get("value")
    if not (isinstance(self, GovInput | GovTextArea) and type(value) is str and value
            and PLACEHOLDER not in value):
        return self.render(params)
    html = _kept_html(self, params | {"value": PLACEHOLDER})
    before, found, after = html.partition(PLACEHOLDER)
    if not found or PLACEHOLDER in after:
        return self.render(params)
    return Markup(before + escape(value) + after)  # noqa: S704  (the value is escaped; the rest is the macro's)


class _TemplateGlobals(ChainMap):
    """A template's globals over the environment's (what Jinja builds), whose keys() is a plain set: every
    `{% from ... import %}` takes the difference of two key sets, and through ChainMap's view that was a
    Python-level lookup per key, a sixth of a form page's time (the GOV.UK macros import in every call)."""

    def keys(self):  # type: ignore[override]
        return set().union(*self.maps)


class RegisterEnvironment(Environment):
    def make_globals(self, d):
        return _TemplateGlobals({} if d is None else d, self.globals)


def use_environment(app: Flask) -> None:
    """Before anything reads app.jinja_env (it is built on first use)."""
    app.jinja_environment = RegisterEnvironment


_MISSING = object()


def _cell(cell, name: str):
    """What Jinja's `cell.name` finds: the attribute, else the item; _MISSING where it would be undefined."""
    value = getattr(cell, name, _MISSING) if not isinstance(cell, dict) else _MISSING
    return cell.get(name, _MISSING) if value is _MISSING and hasattr(cell, "get") else value


def stack_table(head, rows, id=None, caption=None) -> Markup:  # noqa: A002  (the macro's parameter name)
    """_macros.html's stack_table written in Python: the same HTML, byte for byte, without Jinja's per-cell
    attribute lookups and escaping calls (the person page's tables were a tenth of its CPU)."""
    labels = [escape(h) for h in head]
    out = ['<table class="govuk-table app-table--stack"', f' id="{escape(id)}"' if id else "", ">\n"]
    if caption:
        out.append('<caption class="govuk-table__caption govuk-table__caption--s">')
        out.append(f"{escape(caption)}</caption>")
    out.append('  <thead class="govuk-table__head"><tr class="govuk-table__row">\n')
    out.extend(f'<th scope="col" class="govuk-table__header">{label}</th>' for label in labels)
    out.append('  </tr></thead>\n  <tbody class="govuk-table__body">\n')
    for row in rows:
        row_id = _cell(row[0], "id")
        out.append('      <tr class="govuk-table__row"')
        if row_id is not _MISSING and row_id:
            out.append(f' id="{escape(row_id)}"')
        out.append(">\n")
        for index, cell in enumerate(row):
            label = labels[index] if index < len(labels) else ""
            out.append(f'          <td class="govuk-table__cell" data-label="{label}">')
            html, href = _cell(cell, "html"), _cell(cell, "href")
            text = _cell(cell, "text")
            text = "" if text is _MISSING else escape(text)
            if html is not _MISSING:
                out.append(escape(html))
            elif href is not _MISSING and href:
                out.append(f'<a class="govuk-link" href="{escape(href)}">{text}</a>')
            else:
                out.append(text)
            out.append("</td>\n")
        out.append("      </tr>\n")
    out.append("  </tbody>\n</table>")
    return Markup("".join(out))  # noqa: S704  (every value above is escaped)


def init_app(app: Flask) -> None:
    GovFormBase.render = _render_field
    GovFormBase.__call__ = _call_field
    app.add_template_global(stack_table, "stack_table_html")
