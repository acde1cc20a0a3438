"""A question's photos: members upload them; whoever may read the question may see them, nobody else."""
from sqlalchemy import select

from backend.consult.models import Question, QuestionPhoto
from backend.consult.services import may_read
from backend.extensions import db
from backend.files import Purpose, register_purpose


def _is_member(user, community_id: int) -> bool:
    return bool(user.roles_in(community_id))


def _may_read(user, file) -> bool:
    question = db.session.scalar(select(Question).join(QuestionPhoto, QuestionPhoto.question_id == Question.id)
                                 .where(QuestionPhoto.file_id == file.id,
                                        QuestionPhoto.community_id == file.community_id))
    return question is not None and may_read(user, question)


register_purpose("question_photo", Purpose(may_upload=_is_member, may_read=_may_read))
