"""Models of the surveys app: questionnaires (questions, options, statements) and their
distribution (waves, invitations, responses, answers)."""

from .coding import AgreedCoding, Code, Codebook, Coding
from .distribution import (
    Answer,
    Invitation,
    ResponseSource,
    ResponseStatus,
    SurveyResponse,
    UsedRight,
    Wave,
    WaveStatus,
    new_token,
    random_pk,
    token_hash,
)
from .matrix import MatrixDecision, MatrixVerdict, RecommendationMatrix
from .questionnaire import (
    AGREEMENT_SCALE,
    GRADE_MAX,
    GRADE_MIN,
    OTHER,
    Audience,
    Background,
    Option,
    Question,
    QuestionKind,
    Questionnaire,
    Statement,
)

__all__ = [
    "AGREEMENT_SCALE",
    "GRADE_MAX",
    "GRADE_MIN",
    "OTHER",
    "AgreedCoding",
    "Answer",
    "Audience",
    "Background",
    "Code",
    "Codebook",
    "Coding",
    "Invitation",
    "MatrixDecision",
    "MatrixVerdict",
    "Option",
    "Question",
    "QuestionKind",
    "Questionnaire",
    "RecommendationMatrix",
    "ResponseSource",
    "ResponseStatus",
    "Statement",
    "SurveyResponse",
    "UsedRight",
    "Wave",
    "WaveStatus",
    "new_token",
    "random_pk",
    "token_hash",
]
