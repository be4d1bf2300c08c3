"""Question catalogues as versioned data: import and export as JSON or CSV, all or nothing.

JSON: ``{"name", "version", "kind", "notes", "questions": [{"code", "element", "sub_element",
"star", "text"}, …]}``. CSV: one question per row with the columns ``code, element, sub_element,
star, text``; name, version and kind come with the upload. Every row is checked before the first
is stored; a refused file stores nothing and names every problem with its row. A new version
of a catalogue is a new row with the same name and kind: its questions copied, or new rows
checked the same way; audits keep the version they were planned with.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from core import csvexport, limits
from core.errors import PermissionDenied

from .models import Catalogue, Question
from .scoring import ELEMENTS, SUB_ELEMENTS
from .workflow import PLAN

CSV_COLUMNS = ("code", "element", "sub_element", "star", "text")
SHIPPED = Path(__file__).parent / "catalogues"
MAX_QUESTIONS = 1000
TRUE = {"1", "true", "yes", "y", "x", "*"}
FALSE = {"", "0", "false", "no", "n"}
NUL = "\x00"


def parse_json(content: bytes | str) -> dict:
    try:
        data = json.loads(content)
    except (ValueError, UnicodeDecodeError) as error:
        raise ValidationError(
            _("The file is not valid JSON: %(error)s") % {"error": error}
        ) from None
    if not isinstance(data, dict) or not isinstance(data.get("questions"), list):
        raise ValidationError(_("The JSON must be an object with a list of “questions”."))
    return data


def parse_csv(content: bytes | str) -> list[dict]:
    if isinstance(content, bytes):
        try:
            content = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValidationError(_("The CSV file must be UTF-8 encoded.")) from None
    reader = csv.DictReader(io.StringIO(content))
    missing = [column for column in CSV_COLUMNS if column not in (reader.fieldnames or [])]
    if missing:
        raise ValidationError(
            _("The CSV file lacks the columns: %(columns)s.") % {"columns": ", ".join(missing)}
        )
    return list(reader)


def clean_questions(kind: str, rows: list) -> list[Question]:
    """The rows as unsaved questions, or ValidationError listing every problem by row."""
    if not rows:
        raise ValidationError(_("The catalogue has no questions."))
    if len(rows) > MAX_QUESTIONS:
        raise ValidationError(
            _("A catalogue has at most %(count)d questions.") % {"count": MAX_QUESTIONS}
        )
    problems: list[str] = []
    questions: list[Question] = []
    codes: set[str] = set()
    for number, row in enumerate(rows, start=1):
        code = str(row.get("code") or "").strip() if isinstance(row, dict) else ""
        if code and code in codes:
            problems.append(
                _("Row %(row)d: the code %(code)s appears twice.") % {"row": number, "code": code}
            )
        codes.add(code)
        try:
            questions.append(_question(kind, row, number))
        except ValidationError as error:
            problems += [
                _("Row %(row)d: %(problem)s") % {"row": number, "problem": message}
                for message in error.messages
            ]
    if problems:
        raise ValidationError(problems)
    return questions


def _question(kind: str, row, position: int) -> Question:
    if not isinstance(row, dict):
        raise ValidationError(_("each question must be an object."))
    code = str(row.get("code") or "").strip()
    element = (
        str(row.get("element") or "").strip().upper()
        if kind == Catalogue.Kind.VDA_63
        else str(row.get("element") or "").strip()
    )
    sub_element = str(row.get("sub_element") or "").strip().upper()
    text = str(row.get("text") or "").strip()
    star = _flag(row.get("star"))
    problems = []
    if NUL in code + element + sub_element + text:
        # PostgreSQL stores no NUL character in text: refused here, not a server error later.
        problems.append(_("the row contains a null character."))
    if not code or len(code) > 20:
        problems.append(_("the code is missing or longer than 20 characters."))
    if not text:
        problems.append(_("the question text is missing."))
    elif len(text) > limits.LONG_TEXT:
        problems.append(
            _("the question text is longer than %(count)d characters.")
            % {"count": limits.LONG_TEXT}
        )
    if len(element) > 20:
        problems.append(_("the element is longer than 20 characters."))
    if kind == Catalogue.Kind.VDA_63:
        if element not in ELEMENTS:
            problems.append(_("the element must be one of P2 to P7."))
        if element == "P6" and sub_element not in SUB_ELEMENTS:
            problems.append(_("a P6 question needs its sub-element U1 to U6."))
        if element != "P6" and sub_element:
            problems.append(_("only P6 questions have a sub-element."))
    elif sub_element or star:
        problems.append(_("sub-elements and *-questions exist in VDA 6.3 catalogues only."))
    if star is None:
        problems.append(_("“star” must be yes or no."))
    if problems:
        raise ValidationError(problems)
    return Question(
        position=position, code=code, element=element, sub_element=sub_element, star=star, text=text
    )


def _flag(value) -> bool | None:
    if isinstance(value, bool):
        return value
    text = str(value if value is not None else "").strip().lower()
    if text in TRUE:
        return True
    return False if text in FALSE else None


@transaction.atomic
def catalogue_import(
    *, actor, name: str, version: str, kind: str, rows: list, notes: str = ""
) -> Catalogue:
    """Store a new catalogue version with its questions, or nothing at all."""
    if actor is not None and not actor.has_capability(PLAN):
        raise PermissionDenied(_("You are not allowed to do this."))
    name, version = (name or "").strip(), (version or "").strip()
    if not name or not version:
        raise ValidationError(_("A catalogue needs its name and version."))
    if NUL in name + version + (notes or ""):
        raise ValidationError(_("The name, version and notes may not contain a null character."))
    if kind not in Catalogue.Kind.values:
        raise ValidationError(_("Choose the kind of catalogue."))
    if Catalogue.objects.filter(name=name, version=version).exists():
        raise _exists_already(name, version)
    questions = clean_questions(kind, rows)
    catalogue = Catalogue(
        name=name[:200], version=version[:20], kind=kind, notes=(notes or "").strip()
    )
    catalogue._history_user = actor
    try:
        # Two people storing the same version at once: the second gets the message, not a 500.
        with transaction.atomic():
            catalogue.save()
    except IntegrityError:
        raise _exists_already(name, version) from None
    for question in questions:
        question.catalogue = catalogue
    Question.objects.bulk_create(questions)
    return catalogue


def _exists_already(name: str, version: str) -> ValidationError:
    return ValidationError(
        _("%(name)s %(version)s exists already: give the new one another version.")
        % {"name": name, "version": version}
    )


def catalogue_new_version(
    *, actor, catalogue: Catalogue, version: str, notes: str = "", questions: list | None = None
) -> Catalogue:
    """A new version of ``catalogue`` (same name and kind) as a new row: audits keep theirs.

    ``questions`` None copies the catalogue's questions; given rows are checked as an import's.
    """
    if questions is None:
        questions = question_rows(catalogue)
    return catalogue_import(
        actor=actor,
        name=catalogue.name,
        version=version,
        kind=catalogue.kind,
        rows=questions,
        notes=notes,
    )


def import_json(*, actor, content) -> Catalogue:
    data = parse_json(content)
    return catalogue_import(
        actor=actor,
        name=str(data.get("name") or ""),
        version=str(data.get("version") or ""),
        kind=str(data.get("kind") or ""),
        notes=str(data.get("notes") or ""),
        rows=data["questions"],
    )


def load_shipped(*, actor=None) -> list[Catalogue]:
    """The catalogues in ``audits/catalogues/`` that are not loaded yet (demo and command)."""
    loaded = []
    for path in sorted(SHIPPED.glob("*.json")):
        data = parse_json(path.read_text(encoding="utf-8"))
        if Catalogue.objects.filter(name=data.get("name"), version=data.get("version")).exists():
            continue
        loaded.append(import_json(actor=actor, content=path.read_text(encoding="utf-8")))
    return loaded


def question_rows(catalogue: Catalogue) -> list[dict]:
    """The catalogue's questions in order, as an import takes them."""
    return [
        {
            "code": q.code,
            "element": q.element,
            "sub_element": q.sub_element,
            "star": q.star,
            "text": q.text,
        }
        for q in catalogue.questions.order_by("position")
    ]


def as_json(catalogue: Catalogue) -> str:
    data = {
        "name": catalogue.name,
        "version": catalogue.version,
        "kind": catalogue.kind,
        "notes": catalogue.notes,
        "questions": question_rows(catalogue),
    }
    return json.dumps(data, ensure_ascii=False, indent=2)


def as_csv(catalogue: Catalogue) -> str:
    buffer = io.StringIO()
    writer = csvexport.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for q in catalogue.questions.order_by("position"):
        writer.writerow([q.code, q.element, q.sub_element, "yes" if q.star else "no", q.text])
    return buffer.getvalue()
