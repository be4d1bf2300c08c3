"""AIAG PPAP 4th edition: the 18 elements and the retention/submission matrix (REFERENCE §2).

Cells: ``S`` submit (and retain), ``R`` retain and make available on request, ``*`` retain and
submit on request. Levels 1–5 left to right.
"""

from django.utils.translation import gettext_lazy as _

CODE = "aiag4"
LABEL = _("AIAG PPAP 4th edition")
DESIGN_RECORDS = 1
PSW = 18
# Element 1 has a second row for proprietary design records; it is keyed apart from 1–18.
PROPRIETARY_ROW = "1p"

ELEMENTS = (
    (1, _("Design records")),
    (2, _("Engineering change documents")),
    (3, _("Customer engineering approval")),
    (4, _("Design FMEA")),
    (5, _("Process flow diagrams")),
    (6, _("Process FMEA")),
    (7, _("Control plan")),
    (8, _("Measurement system analysis studies")),
    (9, _("Dimensional results")),
    (10, _("Records of material / performance test results")),
    (11, _("Initial process studies")),
    (12, _("Qualified laboratory documentation")),
    (13, _("Appearance approval report")),
    (14, _("Sample production parts")),
    (15, _("Master sample")),
    (16, _("Checking aids")),
    (17, _("Records of compliance with customer-specific requirements")),
    (18, _("Part submission warrant (PSW)")),
)

MATRIX = {
    PROPRIETARY_ROW: "RRR*R",
    1: "RSS*R",
    2: "RSS*R",
    3: "RRS*R",
    4: "RRS*R",
    5: "RRS*R",
    6: "RRS*R",
    7: "RRS*R",
    8: "RRS*R",
    9: "RSS*R",
    10: "RSS*R",
    11: "RRS*R",
    12: "RSS*R",
    13: "SSS*R",
    14: "RSS*R",
    15: "RRR*R",
    16: "RRR*R",
    17: "RRS*R",
    18: "SSSSR",
}
