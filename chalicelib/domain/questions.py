"""A category's questions: what a region asks of every report of that
category besides the description (Open311 GeoReport v2's service
attributes), and the check of the answers a report brings.

Bounded per region (the region is one DynamoDB item, ``domain.regions``):
at most ``MAX_QUESTIONS`` questions and ``MAX_CHOICES`` listed values across
all its categories, each of bounded length: about 50 KB at worst."""
from __future__ import annotations

import math
from typing import Any

import msgspec

from .errors import InvalidInput

DATATYPES = ("string", "number", "text", "singlevaluelist", "multivaluelist")
LISTS = ("singlevaluelist", "multivaluelist")
MAX_QUESTIONS = 40         # per region, all categories together
MAX_CHOICES = 200          # listed values per region, all questions together
MAX_PER_CATEGORY = 10
DESCRIPTION_MAX = 160
CHOICE_NAME_MAX = 60
KEY_MAX = 40
ANSWER_MAX = {"string": 200, "number": 32, "text": 2000, "singlevaluelist": KEY_MAX, "multivaluelist": 1000}


class Choice(msgspec.Struct, frozen=True):
    key: str
    name_id: str
    name_en: str


class Question(msgspec.Struct, frozen=True, kw_only=True):
    code: str
    datatype: str
    required: bool = False
    description_id: str
    description_en: str
    values: tuple[Choice, ...] = ()

    @classmethod
    def from_record(cls, record: Any) -> "Question":
        return cls(code=record["code"], datatype=record["datatype"], required=bool(record.get("required")),
                   description_id=record["description_id"], description_en=record["description_en"],
                   values=tuple(Choice(key=v["key"], name_id=v["name_id"], name_en=v["name_en"])
                                for v in record.get("values") or []))

    def as_record(self) -> dict[str, Any]:
        record: dict[str, Any] = msgspec.to_builtins(self)
        record["values"] = list(record["values"])  # DynamoDB stores lists, not tuples
        return record


def check_table(questions_per_category: dict[str, tuple[Question, ...]]) -> None:
    """The rules a category table's questions meet beyond each one's shape:
    list types list their values, other types none; codes and keys unique;
    the region's totals bounded."""
    total = choices = 0
    for category, questions in questions_per_category.items():
        if len(questions) > MAX_PER_CATEGORY:
            raise InvalidInput("too_many_questions", category=category, max=MAX_PER_CATEGORY)
        codes: set[str] = set()
        for question in questions:
            if question.code in codes:
                raise InvalidInput("invalid_question", category=category, question=question.code)
            codes.add(question.code)
            keys = [v.key for v in question.values]
            if (question.datatype in LISTS) != bool(keys) or len(set(keys)) != len(keys):
                raise InvalidInput("invalid_question", category=category, question=question.code)
            total += 1
            choices += len(keys)
    if total > MAX_QUESTIONS or choices > MAX_CHOICES:
        raise InvalidInput("too_many_questions_in_region", max=MAX_QUESTIONS, choices=MAX_CHOICES)


def check_answers(questions: tuple[Question, ...], given: dict[str, list[str]]) -> dict[str, str]:
    """The answers to keep, each as text (a multivaluelist's keys joined by
    commas): a required question left unanswered, a number that is none or
    a value not listed is ``400``, naming the question.  An attribute the
    category does not ask is left out (clients such as FixMyStreet send
    their own extra fields as attributes too)."""
    answers: dict[str, str] = {}
    for question in questions:
        values = [v.strip() for v in given.get(question.code, []) if v.strip()]
        if not values:
            if question.required:
                raise InvalidInput("attribute_required", attribute=question.code)
            continue
        if question.datatype != "multivaluelist" and len(values) > 1:
            raise InvalidInput("invalid_attribute", attribute=question.code)
        if question.datatype in LISTS:
            keys = {v.key for v in question.values}
            chosen = [part.strip() for value in values for part in value.split(",") if part.strip()]
            if not chosen or any(key not in keys for key in chosen):
                raise InvalidInput("invalid_attribute", attribute=question.code)
            text = ",".join(dict.fromkeys(chosen))
        else:
            text = values[0]
            if question.datatype == "number" and not _is_number(text):
                raise InvalidInput("invalid_attribute", attribute=question.code)
        if len(text) > ANSWER_MAX[question.datatype]:
            raise InvalidInput("invalid_attribute", attribute=question.code)
        answers[question.code] = text
    return answers


def _is_number(text: str) -> bool:
    try:
        return math.isfinite(float(text)) and len(text) <= ANSWER_MAX["number"]
    except ValueError:
        return False
