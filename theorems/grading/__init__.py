"""Exercise grading: the exercise format, answer checks, the batch grader and its reports.

``theorems grade EXERCISES SUBMISSIONS.csv -o OUT/`` (see :mod:`theorems.grading.cli` and
``docs/exercises.md``).
"""

from .checks import Result, grade_in_process
from .exercise import (
    Exercise,
    ExerciseError,
    load_exercise,
    load_exercises,
    parse_exercise,
    shipped_exercises,
)
from .grader import Job, Pool, grade_answer, grade_many

__all__ = [
    "Exercise", "ExerciseError", "Job", "Pool", "Result", "grade_answer", "grade_in_process", "grade_many",
    "load_exercise", "load_exercises", "parse_exercise", "shipped_exercises",
]
