"""Change requests (ECR/ECN) and deviations/concessions."""

from .change import *  # noqa: F403
from .deviation import *  # noqa: F403
