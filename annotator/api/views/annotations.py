"""Labels: an article's labels and the caller's own label on a sentence."""

import django_filters
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.response import Response
from rest_framework.views import APIView

from annotator import selectors, services
from annotator.errors import Conflict
from annotator.models import Annotation
from annotator.roles import CAN_LABEL
from lede.converters import MAX_ID

from ..filters import UtcIsoDateTimeFilter
from ..scoping import DocumentScoped, SentenceScoped
from ..serializers import AnnotationSerializer, AnnotationWriteSerializer


class AnnotationFilter(django_filters.FilterSet):
    annotator = django_filters.CharFilter(field_name="annotator__username")
    label = django_filters.CharFilter(field_name="label__name")
    sentence = django_filters.NumberFilter(field_name="sentence_id", max_value=MAX_ID)
    updated_since = UtcIsoDateTimeFilter(field_name="updated", lookup_expr="gte")


class DocumentAnnotations(DocumentScoped, generics.ListAPIView):
    """Every label on the article that the caller may see (only their own in a blind project)."""

    serializer_class = AnnotationSerializer
    filterset_class = AnnotationFilter
    queryset = Annotation.objects.none()

    def get_queryset(self):
        return selectors.annotations(project=self.project, user=self.request.user, role=self.role).filter(
            sentence__document=self.document
        )


QUEUED_BY = OpenApiParameter(
    "X-Lede-User",
    str,
    OpenApiParameter.HEADER,
    description="The username the change was made as: 409, nothing saved, if the caller is logged in as another.",
)


class SentenceAnnotation(SentenceScoped, APIView):
    """The caller's own label on a sentence: PUT sets or replaces it, DELETE removes it.

    The annotation screen keeps changes in the browser until they are saved, and a reviewer may
    log in again as someone else before they are: it sends the user each change was made as, and
    a change made as another user is refused, so it is never saved under the wrong name.
    """

    read_roles = CAN_LABEL
    write_roles = CAN_LABEL
    find_sentence = staticmethod(selectors.sentence_to_label)

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        made_as = request.headers.get(QUEUED_BY.name)
        if request.method in ("PUT", "DELETE") and made_as is not None and made_as != request.user.username:
            raise Conflict(
                "user",
                f"This change was made as {made_as}, but you are logged in as {request.user.username}; "
                "it was not saved.",
            )

    @extend_schema(responses=AnnotationSerializer)
    def get(self, request, pk):
        annotation = selectors.own_annotation(sentence=self.sentence, user=request.user)
        if annotation is None:
            return Response({"detail": "You have not labelled this sentence."}, status=status.HTTP_404_NOT_FOUND)
        return Response(AnnotationSerializer(annotation).data)

    @extend_schema(
        request=AnnotationWriteSerializer,
        responses={200: AnnotationSerializer, 201: AnnotationSerializer},
        parameters=[QUEUED_BY],
    )
    def put(self, request, pk):
        serializer = AnnotationWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        annotation, created = services.label_sentence(
            sentence=self.sentence,
            annotator=request.user,
            label_name=data["label"],
            sources=serializer.source_inputs(),
            speaker=data["speaker"],
            note=data["note"],
            seconds=data["seconds"],
        )
        return Response(
            AnnotationSerializer(annotation).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK
        )

    @extend_schema(responses={204: None}, parameters=[QUEUED_BY])
    def delete(self, request, pk):
        if not services.delete_annotation(sentence=self.sentence, annotator=request.user):
            return Response({"detail": "You have not labelled this sentence."}, status=status.HTTP_404_NOT_FOUND)
        return Response(status=status.HTTP_204_NO_CONTENT)
