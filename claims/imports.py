"""Claims imported in bulk from a customer's own system: a CSV or JSON file, all rows or none.

A customer's columns are mapped to our fields (``ClaimImportMapping``); a field the mapping leaves
out is read from a column named like the field. Every row is checked before the first claim is
filed: a refused file files nothing and names each bad row by its line in the CSV file (the header
is line 1) or its position in the JSON list ("Item 3"), with every reason.

The customer's reference identifies a claim: a row whose reference the customer already has is
skipped, not checked again, so the same file sent twice changes nothing, and a rolling export that
repeats old claims (perhaps on parts since discontinued) still imports its new ones. Imports of
one customer take turns (a lock on the customer's requirements), so a double submit cannot file a
claim twice.

Each new claim is filed through ``services.claim_file`` like one filed by hand (number, history,
timeline), with an "import" event naming the file and line. Our team hears of the file once
instead of once per claim; each safety or critical claim still alerts at once on its own.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models.functions import Lower
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import dateparse, timezone, translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import csvexport, limits
from core.api.parsers import json_too_deep
from core.errors import PermissionDenied
from core.records import services as records
from core.tenancy import customer_id_of, is_internal
from customers.models import CustomerRequirements, Part
from customers.services import requirements_ensure
from notifications.services import Text, notify

from . import notification_kinds as kinds
from . import notifications, services
from .models import Claim, ClaimEvent, ClaimImport, ClaimImportMapping

FILE = "claims.file"
# Defaults of the settings CQM_CLAIM_IMPORT_MAX_ROWS and CQM_CLAIM_IMPORT_MAX_BYTES.
MAX_ROWS = 1000
MAX_BYTES = 5 * 1024 * 1024
MAX_HEADER_LENGTH = 100
# What a claim is filed with besides FILED_FIELDS: the part, by the customer's number or ours, and
# its revision where the number has several active ones.
PART, REVISION, REFERENCE = "part", "part_revision", "customer_reference"
IMPORTABLE_FIELDS = (
    REFERENCE,
    PART,
    REVISION,
    *(name for name in services.FILED_FIELDS if name != REFERENCE),
)
DATE_FORMATS = ("%Y-%m-%d", "%d.%m.%Y")
DATETIME_FORMATS = ("%d.%m.%Y %H:%M", "%d.%m.%Y %H:%M:%S")
MAX_QUANTITY = 2_147_483_647  # the largest value a quantity column holds
# Columns that may carry photos, in the languages customers export in; a link there is refused.
PHOTO_COLUMN = re.compile(r"photo|foto|image|bild|picture|attachment|anhang|url|link", re.I)
LINK = re.compile(r"^\s*(?:(?:https?|ftp)://|www\.)", re.I)
EXCEL_SIGNATURES = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")
# Values per IN (…) query: well below the smallest database limit on query parameters.
QUERY_CHUNK = 900
# Claim numbers named in the one notification of an import.
NUMBERS_TOLD = 20


def max_rows() -> int:
    return getattr(settings, "CQM_CLAIM_IMPORT_MAX_ROWS", MAX_ROWS)


def max_bytes() -> int:
    return getattr(settings, "CQM_CLAIM_IMPORT_MAX_BYTES", MAX_BYTES)


def field_label(name: str) -> str:
    if name == PART:
        return _("part number")
    return str(Claim._meta.get_field(name).verbose_name)


def required_fields() -> tuple[str, ...]:
    """The fields every new claim needs: what the model cannot do without, the part and the
    reference (the service sets the notification time when it is not given)."""
    needed = [
        name
        for name in services.FILED_FIELDS
        if name != "notified_at" and _model_requires(Claim._meta.get_field(name))
    ]
    return tuple(name for name in IMPORTABLE_FIELDS if name in {REFERENCE, PART, *needed})


def _model_requires(model_field) -> bool:
    return not (model_field.blank or model_field.null or model_field.has_default())


# --- who -----------------------------------------------------------------------------------------


def may_import(user, customer) -> bool:
    """Customer users for their own company, our staff for any customer: who may file claims."""
    if user is None or not user.has_capability(FILE):
        return False
    return is_internal(user) or customer_id_of(user) == customer.pk


def _require_may_import(actor, customer) -> None:
    if not may_import(actor, customer):
        raise PermissionDenied(_("You may import claims only for your own company."))


# --- the mapping ---------------------------------------------------------------------------------


def mapping_for(customer) -> dict[str, str]:
    """The header of the customer's column for each importable field, in the fields' order."""
    saved = (
        ClaimImportMapping.objects.filter(customer=customer)
        .values_list("columns", flat=True)
        .first()
    )
    saved = saved if isinstance(saved, dict) else {}
    return {name: saved.get(name) or name for name in IMPORTABLE_FIELDS}


@transaction.atomic
def mapping_save(*, actor, customer, columns) -> ClaimImportMapping:
    """Keep ``columns`` (our field → the header of the customer's column) as the customer's
    mapping, replacing the one before; a field left out is read from a column of its own name."""
    _require_may_import(actor, customer)
    cleaned = _clean_columns(columns)
    mapping = ClaimImportMapping.objects.select_for_update().filter(
        customer=customer
    ).first() or ClaimImportMapping(customer=customer)
    mapping.columns, mapping.updated_by = cleaned, actor
    records.note_history(mapping, actor, _("Column mapping saved"))
    mapping.save()
    return mapping


def _clean_columns(columns) -> dict[str, str]:
    if not isinstance(columns, dict):
        raise ValidationError(_("Send the columns as an object: field → column header."))
    problems: dict[str, str] = {}
    cleaned: dict[str, str] = {}
    for name, header in columns.items():
        if name not in IMPORTABLE_FIELDS:
            problems[str(name)] = _("Not a field of the import. Fields: %(fields)s.") % {
                "fields": ", ".join(IMPORTABLE_FIELDS)
            }
            continue
        header = header.strip() if isinstance(header, str) else ""
        if not header:
            problems[name] = _("Name the column header.")
        elif len(header) > MAX_HEADER_LENGTH:
            problems[name] = _("At most %(max)d characters.") % {"max": MAX_HEADER_LENGTH}
        elif header.lower() != name:
            cleaned[name] = header
    if problems:
        raise ValidationError(problems)
    reader_of: dict[str, str] = {}
    for name in IMPORTABLE_FIELDS:
        header = cleaned.get(name, name).lower()
        if header in reader_of:
            problems[name] = _("The column “%(header)s” is already read for “%(other)s”.") % {
                "header": cleaned.get(name, name),
                "other": reader_of[header],
            }
        reader_of.setdefault(header, name)
    if problems:
        raise ValidationError(problems)
    return cleaned


def template_csv(customer) -> str:
    """The header line of an import file as the customer's mapping reads it (UTF-8 with BOM for
    Excel). No example row: a forgotten one would be filed as a claim."""
    buffer = io.StringIO()
    csvexport.writer(buffer).writerow(list(mapping_for(customer).values()))
    return csvexport.BOM + buffer.getvalue()


# --- reading a file ------------------------------------------------------------------------------


@dataclass
class SourceRow:
    """One claim as read from the file: where it is and its values by the file's own headers."""

    where: str  # "Line 5" (CSV) or "Item 3" (JSON)
    values: dict[str, object]
    problems: list[str] = field(default_factory=list)


def check_size(size: int) -> None:
    """Refuse a file over the size limit, before it is read."""
    if size > max_bytes():
        raise ValidationError(
            _("The file is %(size)s; the largest file allowed is %(limit)s.")
            % {"size": filesizeformat(size), "limit": filesizeformat(max_bytes())}
        )


def parse(content: bytes, file_name: str) -> tuple[str, list[SourceRow]]:
    """The format ("csv" or "json") and the rows of an uploaded file, or ValidationError."""
    check_size(len(content))
    if content.startswith(EXCEL_SIGNATURES):
        raise ValidationError(
            _("Excel workbooks are not read: save the sheet as “CSV UTF-8” and upload that file.")
        )
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(
            _("The file is not UTF-8 encoded text. Save it as “CSV UTF-8” and upload it again.")
        ) from None
    if not text.strip():
        raise ValidationError(_("The file is empty."))
    file_format = _format_of(file_name, text)
    rows = _json_rows(text) if file_format == ClaimImport.Format.JSON else _csv_rows(text)
    if not rows:
        raise ValidationError(_("The file holds no claims."))
    return file_format, rows


def _format_of(file_name: str, text: str) -> str:
    suffix = Path(file_name or "").suffix.lower()
    if suffix == ".json":
        return ClaimImport.Format.JSON
    if suffix in (".csv", ".txt"):
        return ClaimImport.Format.CSV
    if not suffix:
        starts_json = text.lstrip()[:1] in ("[", "{")
        return ClaimImport.Format.JSON if starts_json else ClaimImport.Format.CSV
    raise ValidationError(_("Upload a CSV file (.csv) or a JSON file (.json)."))


def _too_many_rows() -> ValidationError:
    return ValidationError(
        _("The file has more than %(max)d claims. Split it into smaller files.")
        % {"max": max_rows()}
    )


def _csv_rows(text: str) -> list[SourceRow]:
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[SourceRow] = []
    try:
        header = [cell.strip() for cell in next(reader, [])]
        _check_header(header)
        line = reader.line_num
        for cells in reader:
            # A quoted value may span lines: a row is named by the line it starts on.
            start, line = line + 1, reader.line_num
            if not any(cell.strip() for cell in cells):
                continue  # blank lines, e.g. at the end of a spreadsheet's export
            if len(rows) >= max_rows():
                raise _too_many_rows()
            rows.append(_csv_row(start, header, cells))
    except csv.Error as error:
        raise ValidationError(
            _("The CSV file cannot be read at line %(line)d: %(error)s")
            % {"line": reader.line_num, "error": error}
        ) from None
    return rows


def _check_header(header: list[str]) -> None:
    if not any(header):
        raise ValidationError(_("The first line must name the columns."))
    seen: set[str] = set()
    for name in header:
        if name and name.lower() in seen:
            raise ValidationError(
                _("The column “%(name)s” appears twice in the first line.") % {"name": name}
            )
        seen.add(name.lower())


def _csv_row(line: int, header: list[str], cells: list[str]) -> SourceRow:
    row = SourceRow(_("Line %(line)d") % {"line": line}, dict(zip(header, cells, strict=False)))
    row.values.pop("", None)  # a column without a header holds nothing we read
    if any(cell.strip() for cell in cells[len(header) :]):
        row.problems.append(_("this line has more values than the first line has columns"))
    return row


def _json_rows(text: str) -> list[SourceRow]:
    if json_too_deep(text, limits.JSON_MAX_DEPTH):
        raise ValidationError(_("The JSON is nested too deeply."))
    try:
        data = json.loads(text)
    except ValueError as error:
        raise ValidationError(
            _("The file is not valid JSON: %(error)s") % {"error": error}
        ) from None
    items = data.get("claims") if isinstance(data, dict) else data
    if not isinstance(items, list):
        raise ValidationError(
            _("The JSON must be a list of claims, or an object with the list in “claims”.")
        )
    if len(items) > max_rows():
        raise _too_many_rows()
    return [_json_row(number, item) for number, item in enumerate(items, start=1)]


def _json_row(number: int, item) -> SourceRow:
    row = SourceRow(_("Item %(number)d") % {"number": number}, {})
    if not isinstance(item, dict):
        row.problems.append(_("each claim must be an object of named values"))
        return row
    for key, value in item.items():
        if isinstance(value, dict | list):
            row.problems.append(_("“%(key)s” must be a single value") % {"key": key})
        else:
            row.values[str(key).strip()] = value
    return row


# --- importing -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Imported:
    """What an accepted file did: its log row and the numbers of the claims it filed."""

    log: ClaimImport
    numbers: list[str]


def claims_import(*, actor, customer, content: bytes, file_name: str) -> Imported:
    """File a claim for every new row of the file, or none: ValidationError lists every bad row.

    Rows whose customer reference the customer already has are skipped.
    """
    _require_may_import(actor, customer)
    if not customer.is_active:
        raise ValidationError(_("Claims cannot be filed for an inactive customer."))
    file_name = Path(file_name or "").name[: ClaimImport._meta.get_field("file_name").max_length]
    file_format, rows = parse(content, file_name)
    with transaction.atomic():
        _take_turn(customer)
        checked = _Check(customer, actor, mapping_for(customer), file_format, rows)
        if checked.problems:
            raise ValidationError(checked.problems)
        claims = [_file(actor, customer, row, values) for row, values in checked.new]
        ClaimEvent.objects.bulk_create(
            ClaimEvent(
                claim=claim,
                customer_id=customer.pk,
                actor=actor,
                action="import",
                comment=f"{file_name}, {row.where}",
            )
            for (row, _values), claim in zip(checked.new, claims, strict=True)
        )
        log = ClaimImport.objects.create(
            customer=customer,
            file_name=file_name or "-",
            format=file_format,
            rows=len(rows),
            created=len(claims),
            skipped=checked.skipped,
            created_by=actor,
        )
        _tell_our_team(log, claims, actor)
    return Imported(log, [claim.number for claim in claims])


def _take_turn(customer) -> None:
    """Wait for a running import of the same customer to finish (its claims are then stored and
    this one's rows with their references skipped). FOR NO KEY UPDATE: filing claims, which
    refer to the row, goes on meanwhile."""
    requirements = CustomerRequirements.objects.select_for_update(no_key=True)
    if not requirements.filter(customer=customer).exists():
        requirements_ensure(customer=customer)
    requirements.get(customer=customer)


def _file(actor, customer, row: SourceRow, values: dict) -> Claim:
    part = values.pop(PART)
    try:
        return services.claim_file(
            actor=actor, customer=customer, part=part, submit=True, notify=False, **values
        )
    except ValidationError as error:  # the checks above should have found it: say where
        raise ValidationError([f"{row.where}: {message}" for message in error.messages]) from None


def _tell_our_team(log: ClaimImport, claims: list[Claim], actor) -> None:
    """Safety and critical claims alert as they would when filed by hand, one by one; the others
    are told in one notification (a single claim in its own)."""
    urgent = [claim for claim in claims if claim.severity in notifications.URGENT_SEVERITIES]
    others = [claim for claim in claims if claim.severity not in notifications.URGENT_SEVERITIES]
    for claim in urgent:
        notifications.claim_submitted(claim, actor)
    if len(others) == 1:
        notifications.claim_submitted(others[0], actor)
    if len(others) < 2:
        return
    numbers = ", ".join(claim.number for claim in others[:NUMBERS_TOLD])
    if len(others) > NUMBERS_TOLD:
        numbers += " …"
    query = urlencode({"customer": log.customer_id, "status": Claim.Status.SUBMITTED})
    notify(
        kind=kinds.SUBMITTED,
        recipients=notifications.first_responders(others[0]),
        record=log,
        url=f"{reverse('claims:claim-list')}?{query}",
        title=Text(
            gettext_lazy("%(count)d new claims from %(customer)s, imported from %(file)s"),
            count=len(others),
            customer=log.customer.name,
            file=log.file_name,
        ),
        body=Text(
            gettext_lazy("Imported by %(actor)s.\n\nClaims: %(numbers)s"),
            actor=str(actor),
            numbers=numbers,
        ),
        actor=actor,
    )


# --- checking the rows ---------------------------------------------------------------------------


class _Problem(Exception):
    """A value that cannot be used, and why; a second argument names the field it is about."""

    def __str__(self) -> str:
        return str(self.args[0])


class _Check:
    """Every row checked, before anything is stored: the new rows' claim fields, the number of
    rows skipped, and one message per bad row."""

    def __init__(self, customer, actor, columns: dict[str, str], file_format, rows):
        self.customer, self.actor, self.columns = customer, actor, columns
        self.now = timezone.now()
        self.zone = ZoneInfo(customer.time_zone)
        self.required = required_fields()
        self.choices = {name: _choice_lookup(name) for name in _CHOICE_FIELDS}
        self.new: list[tuple[SourceRow, dict]] = []
        self.skipped = 0
        self.problems: list[str] = []
        if file_format == ClaimImport.Format.CSV:
            self._missing_columns(rows[0])
        if self.problems:
            return
        references = [self._text(row, REFERENCE) for row in rows]
        stored = _stored_references(customer, references)
        self.parts = _Parts(customer, {self._text(row, PART) for row in rows})
        first_line: dict[str, str] = {}
        for row, reference in zip(rows, references, strict=True):
            problems = list(row.problems)
            if reference in first_line:
                problems.append(
                    self._message(
                        REFERENCE,
                        _("%(reference)s is repeated (first: %(where)s)")
                        % {"reference": reference, "where": first_line[reference]},
                    )
                )
            elif reference:
                first_line[reference] = row.where
            if not problems and reference in stored:
                self.skipped += 1  # filed before: its values are not read again
                continue
            # A row that could not be read as a whole is not checked field by field.
            values = {} if row.problems else self._claim_fields(row, problems)
            if problems:
                reasons = "; ".join(problems)
                self.problems.append(f"{row.where}: {reasons}")
            else:
                self.new.append((row, values))

    def _missing_columns(self, first: SourceRow) -> None:
        """A CSV file names its columns once: a required one missing is a problem of the file."""
        headers = {name.lower() for name in first.values}
        for name in self.required:
            header = self.columns[name]
            if header.lower() not in headers:
                self.problems.append(
                    _("The file has no column “%(header)s” (%(field)s).")
                    % {"header": header, "field": field_label(name)}
                )

    # --- one row ---------------------------------------------------------------------------------

    def _raw(self, row: SourceRow, name: str):
        header = self.columns[name].lower()
        return next((value for key, value in row.values.items() if key.lower() == header), None)

    def _text(self, row: SourceRow, name: str) -> str:
        value = self._raw(row, name)
        return "" if value is None else str(value).strip()

    def _message(self, name: str, problem: str) -> str:
        return _("“%(column)s”: %(problem)s") % {"column": self.columns[name], "problem": problem}

    def _claim_fields(self, row: SourceRow, problems: list[str]) -> dict:
        values: dict = {}
        for name in IMPORTABLE_FIELDS:
            if name in (PART, REVISION):
                continue
            try:
                value = self._value(name, self._raw(row, name))
            except _Problem as problem:
                problems.append(self._message(name, str(problem)))
                continue
            if value is not None:
                values[name] = value
        part = self._part(row, problems)
        problems.extend(_links_in_photo_columns(row))
        if problems:
            return values
        values[PART] = part
        problems.extend(self._model_problems(values))
        return values

    def _value(self, name: str, raw):
        text = "" if raw is None else str(raw).strip()
        if not text:
            if name in self.required:
                raise _Problem(_("a value is needed"))
            return None
        model_field = Claim._meta.get_field(name)
        if name in self.choices:
            return _choice(text, self.choices[name])
        if isinstance(model_field, models.DateTimeField):
            return self._moment(text)
        if isinstance(model_field, models.DateField):
            return self._day(text)
        if isinstance(model_field, models.IntegerField):
            return _quantity(raw, text)
        if model_field.max_length and len(text) > model_field.max_length:
            raise _Problem(
                _("at most %(max)d characters (this has %(length)d)")
                % {"max": model_field.max_length, "length": len(text)}
            )
        return text

    def _moment(self, text: str) -> dt.datetime:
        moment = self._timestamp(text)
        if moment is None:
            problem = _("not a date and time; write YYYY-MM-DD HH:MM or DD.MM.YYYY HH:MM")
            day = _date(text, problem)
            moment = timezone.make_aware(dt.datetime.combine(day, dt.time()), self.zone)
        if moment > self.now:
            raise _Problem(_("lies in the future"))
        return moment

    def _day(self, text: str) -> dt.date:
        """A date; a timestamp, as some systems write their dates, is its day for the customer."""
        moment = self._timestamp(text)
        return _date(text) if moment is None else timezone.localtime(moment, self.zone).date()

    def _timestamp(self, text: str) -> dt.datetime | None:
        """Date and time (ISO 8601 or DD.MM.YYYY HH:MM), in the customer's zone unless it says."""
        try:
            moment = dateparse.parse_datetime(text)
        except ValueError:
            moment = None
        for pattern in DATETIME_FORMATS:
            if moment is None:
                moment = _parsed(text, pattern, dt.datetime)
        if moment is not None and timezone.is_naive(moment):
            moment = timezone.make_aware(moment, self.zone)
        return moment

    def _part(self, row: SourceRow, problems: list[str]) -> Part | None:
        number = self._text(row, PART)
        if not number:
            problems.append(self._message(PART, _("a value is needed")))
            return None
        try:
            return self.parts.find(number, self._text(row, REVISION))
        except _Problem as problem:
            problems.append(self._message(problem.args[1], str(problem.args[0])))
            return None

    def _model_problems(self, values: dict) -> list[str]:
        """What the claim's own rules say of the values, checked without the database."""
        part = values[PART]
        claim = Claim(
            customer=self.customer,
            part_revision=part.revision,
            created_by=self.actor,
            number="-",
            **{"notified_at": self.now, **values},
        )
        if claim.nonconforming_qty > claim.suspect_qty:
            return [_constraint_message("claims_claim_nonconforming_le_suspect")]
        try:
            claim.full_clean(
                exclude=["customer", "part", "created_by", "master", "assigned_engineer"],
                validate_unique=False,
                validate_constraints=False,
            )
        except ValidationError as error:
            problems = []
            for name, messages in error.message_dict.items():
                text = "; ".join(messages)
                problems.append(self._message(name, text) if name in self.columns else text)
            return problems
        return []


_CHOICE_FIELDS = ("kind", "severity", "detection_location")


def _choice_lookup(name: str) -> dict[str, str]:
    """Value, English label and German label of each choice, lower case → the value."""
    lookup = {}
    for value, label in Claim._meta.get_field(name).choices:
        lookup[str(value).lower()] = value
        for language in ("en", "de"):
            with translation.override(language):
                lookup.setdefault(str(label).strip().lower(), value)
    return lookup


def _choice(text: str, lookup: dict[str, str]) -> str:
    value = lookup.get(text.lower())
    if value is None:
        allowed = ", ".join(sorted(set(lookup.values())))
        raise _Problem(
            _("“%(value)s” is not one of %(allowed)s (or their names)")
            % {"value": text, "allowed": allowed}
        )
    return value


def _parsed(text: str, pattern: str, kind):
    try:
        moment = dt.datetime.strptime(text, pattern)
    except ValueError:
        return None
    return moment if kind is dt.datetime else moment.date()


def _date(text: str, problem: str | None = None) -> dt.date:
    for pattern in DATE_FORMATS:
        day = _parsed(text, pattern, dt.date)
        if day is not None:
            return day
    raise _Problem(problem or _("not a date; write YYYY-MM-DD or DD.MM.YYYY"))


def _quantity(raw, text: str) -> int:
    if isinstance(raw, float) and raw.is_integer():
        text = str(int(raw))
    if isinstance(raw, bool) or not text.isdigit() or not text.isascii():
        raise _Problem(_("“%(value)s” is not a whole number of parts") % {"value": text})
    number = int(text)
    if number > MAX_QUANTITY:
        raise _Problem(_("at most %(max)d") % {"max": MAX_QUANTITY})
    return number


def _links_in_photo_columns(row: SourceRow) -> list[str]:
    return [
        _("“%(column)s”: photos by URL are not accepted; upload the photos on the claim")
        % {"column": name}
        for name, value in row.values.items()
        if PHOTO_COLUMN.search(name) and isinstance(value, str) and LINK.match(value)
    ]


def _constraint_message(name: str) -> str:
    constraint = next(c for c in Claim._meta.constraints if c.name == name)
    return str(constraint.violation_error_message)


def _stored_references(customer, references: list[str]) -> set[str]:
    wanted = sorted({reference for reference in references if reference})
    stored: set[str] = set()
    for start in range(0, len(wanted), QUERY_CHUNK):
        stored |= set(
            Claim.objects.filter(
                customer=customer, customer_reference__in=wanted[start : start + QUERY_CHUNK]
            ).values_list(REFERENCE, flat=True)
        )
    return stored


class _Parts:
    """The customer's parts that the file names, by their number or ours, read once per file."""

    def __init__(self, customer, numbers: set[str]):
        self.customer = customer
        self.today = timezone.localdate()
        self.by_their_number: dict[str, list[Part]] = {}
        self.by_our_number: dict[str, list[Part]] = {}
        wanted = sorted(number for number in numbers if number)
        for start in range(0, len(wanted), QUERY_CHUNK):
            chunk = wanted[start : start + QUERY_CHUNK]
            parts = (
                Part.objects.filter(customer=customer)
                .annotate(their_number=Lower("customer_part_number"))
                .filter(
                    models.Q(their_number__in=[n.lower() for n in chunk])
                    | models.Q(part_number__in=chunk)
                )
            )
            for part in parts:
                self.by_their_number.setdefault(part.their_number, []).append(part)
                self.by_our_number.setdefault(part.part_number, []).append(part)

    def find(self, number: str, revision: str) -> Part:
        """The one active part of this number (and revision), or _Problem saying why not."""
        found = self.by_their_number.get(number.lower()) or self.by_our_number.get(number) or []
        if not found:
            raise _Problem(
                _("“%(number)s” is not a part number of %(customer)s")
                % {"number": number, "customer": self.customer.name},
                PART,
            )
        if revision:
            known = ", ".join(sorted(part.revision for part in found))
            found = [part for part in found if part.revision.lower() == revision.lower()]
            if not found:
                raise _Problem(
                    _("part %(number)s has no revision “%(revision)s” (known: %(known)s)")
                    % {"number": number, "revision": revision, "known": known},
                    REVISION,
                )
        active = [part for part in found if self._active(part)]
        if not active:
            raise _Problem(_("part %(number)s is not active") % {"number": number}, PART)
        if len(active) > 1:
            raise _Problem(
                _("part %(number)s is active in revisions %(known)s: name the revision")
                % {"number": number, "known": ", ".join(sorted(p.revision for p in active))},
                REVISION,
            )
        return active[0]

    def _active(self, part: Part) -> bool:
        return (part.active_from is None or part.active_from <= self.today) and (
            part.active_to is None or part.active_to >= self.today
        )
