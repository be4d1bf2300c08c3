"""Choice labels without Django's per-call cost.

``Model.get_<field>_display()`` builds a dictionary of every choice on each call and hashes the
labels, and hashing a translatable label translates it: a status field with fifteen choices costs
fifteen translations per badge. A list of 25 claims showing kind, severity and status spent
more time there than on its SQL. ``ChoiceLabels`` looks the label up in a dictionary built once per
field, and translates only the label shown.
"""

from __future__ import annotations

import functools

from django.utils.encoding import force_str


@functools.cache
def _labels(field) -> dict:
    # Keys are the stored values; the (lazy) labels translate when shown, in the viewer's language.
    return dict(field.flatchoices)


class ChoiceLabels:
    """Mix into a model before its Django base to make every ``get_<field>_display`` cheap."""

    def _get_FIELD_display(self, field):
        value = getattr(self, field.attname)
        try:
            label = _labels(field).get(value, value)
        except TypeError:  # an unhashable value (a JSON choice): Django's general way
            return super()._get_FIELD_display(field)
        return force_str(label, strings_only=True)
