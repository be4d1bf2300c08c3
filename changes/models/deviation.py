"""Deviations and concessions (IATF 16949 8.7.1.1), REFERENCE §3."""

from django.db import models

__all__ = ["Deviation"]


class Deviation(models.Model):
    number = models.CharField(max_length=20, unique=True)

    def __str__(self):
        return self.number
