"""The history of label changes, of a sentence or of a whole project."""

from rest_framework import generics

from annotator import selectors
from annotator.models import AnnotationEvent
from annotator.roles import CAN_CURATE

from ..scoping import InProject, SentenceScoped
from ..serializers import AnnotationEventSerializer


class SentenceHistory(SentenceScoped, generics.ListAPIView):
    """Every change to any label on the sentence: for owners and curators."""

    read_roles = CAN_CURATE
    serializer_class = AnnotationEventSerializer
    queryset = AnnotationEvent.objects.none()

    def get_queryset(self):
        return selectors.history(project=self.project, sentence=self.sentence)


class ProjectHistory(InProject, generics.ListAPIView):
    read_roles = CAN_CURATE
    serializer_class = AnnotationEventSerializer
    queryset = AnnotationEvent.objects.none()

    def get_queryset(self):
        return selectors.history(project=self.project)
