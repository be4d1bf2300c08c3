"""Who writes the CSR register: the staff who keep our controlled documents."""

from core.tenancy import is_internal
from documents.workflow import WORK


def may_work(user) -> bool:
    return is_internal(user) and user.has_capability(WORK)
