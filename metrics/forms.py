from __future__ import annotations

from core.csvimport import upload_field
from core.forms import StyledForm

from . import imports


class DeliveryImportForm(StyledForm):
    file = upload_field(imports.layout())
