"""The preferences form: one choice per kind the person can receive, mandatory kinds left out."""

from __future__ import annotations

from django import forms

from .kinds import Delivery


class PreferencesForm(forms.Form):
    """A field per changeable kind, named by the kind's key; mandatory kinds have no field.

    A forged field for a mandatory (or unknown) kind is not a field of the form and is ignored.
    """

    def __init__(self, *args, rows, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        for row in rows:
            if row.mandatory:
                continue
            self.fields[row.kind.key] = forms.ChoiceField(
                label=row.kind.label,
                choices=Delivery.choices,
                initial=row.delivery,
                widget=forms.RadioSelect,
                # A kind left out (a kind added since the page was loaded) keeps its setting.
                required=False,
            )

    def choices(self) -> dict[str, str]:
        return {key: value for key, value in self.cleaned_data.items() if value}

    def groups(self):
        """``[(group, [(row, bound field or None), …]), …]`` in the rows' order."""
        groups: dict[str, list] = {}
        for row in self.rows:
            field = None if row.mandatory else self[row.kind.key]
            groups.setdefault(str(row.kind.group), []).append((row, field))
        return list(groups.items())
