"""English dates that no reader can take the wrong way round.

Django's English formats are American (``12/07/2026`` is 7 December there and 12 July to a German
or British reader). Our customers read dates across Europe, America and Asia, so English shows the
month as a word and the day first (``7 Dec 2026``) and times on a 24-hour clock. German keeps
Django's ``07.12.2026``. CSV files and the API write ISO 8601.
"""

DATE_FORMAT = "j M Y"
SHORT_DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j M Y, H:i"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
TIME_FORMAT = "H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
FIRST_DAY_OF_WEEK = 1  # Monday, as in ISO 8601 weeks

# What a typed date may look like; "12/07/2026" is refused rather than guessed.
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d %b %Y", "%d %B %Y", "%d.%m.%Y"]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M:%S.%f",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M",
    "%d.%m.%Y %H:%M",
]
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
