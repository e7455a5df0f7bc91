"""The case page's replication / award / HKI section reads its own data (so the case page's
view and template need only one include line)."""

from django import template

from mentoring.models import Innovation
from mentoring.people import actor_for
from recognition.selectors import CaseRecognition, case_recognition

register = template.Library()


@register.simple_tag
def recognition_for(innovation: Innovation, user) -> CaseRecognition:
    return case_recognition(innovation=innovation, actor=actor_for(user))
