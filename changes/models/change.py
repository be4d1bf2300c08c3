"""Change requests (ECR) and their notices (ECN), REFERENCE §3."""

from django.db import models

__all__ = ["ChangeRequest"]


class ChangeRequest(models.Model):
    number = models.CharField(max_length=20, unique=True)

    def __str__(self):
        return self.number
