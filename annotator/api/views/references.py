"""Reference labels of training articles: one sentence's, or an article's all at once."""

from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from annotator import selectors, services
from annotator.models import ReferenceLabel
from annotator.roles import CAN_CURATE, CAN_LABEL

from ..scoping import DocumentScoped, SentenceScoped
from ..serializers import DocumentReferenceSerializer, ReferenceLabelSerializer, ReferenceUploadSerializer


class SentenceReference(SentenceScoped, APIView):
    """A training sentence's reference label and explanation. Leads set it with PUT; a reviewer reads it
    once they have labelled the sentence (404 before), so that training shows the answer after each one.
    The first GET that shows it to a reviewer fixes their answer: `first_answer`, the label the training
    gate counts, however they change the label afterwards for practice."""

    read_roles = CAN_LABEL | CAN_CURATE
    write_roles = CAN_CURATE

    @extend_schema(responses=ReferenceLabelSerializer)
    def get(self, request, pk):
        reference = ReferenceLabel.objects.select_related("label").filter(sentence=self.sentence).first()
        # Showing the reference is what fixes the reviewer's answer: the gate counts the label they held now.
        first_answer = None
        if reference is not None:
            first_answer = services.reveal_reference(sentence=self.sentence, reviewer=request.user)
        if reference is None or not (first_answer or self.role in CAN_CURATE):
            return Response(
                {"detail": "No reference to show: label the sentence first, on a training article."},
                status=status.HTTP_404_NOT_FOUND,
            )
        reference.first_answer = first_answer
        return Response(ReferenceLabelSerializer(reference).data)

    @extend_schema(request=ReferenceLabelSerializer, responses=ReferenceLabelSerializer)
    def put(self, request, pk):
        serializer = ReferenceLabelSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        reference = services.set_reference(
            sentence=self.sentence,
            label_name=serializer.validated_data["label"]["name"],
            explanation=serializer.validated_data["explanation"],
        )
        return Response(ReferenceLabelSerializer(reference).data)


class DocumentReferences(DocumentScoped, generics.GenericAPIView):
    """A training article's reference labels (leads). POST a file of them (`sentence`, `label`, `explanation`;
    CSV or JSONL) to set them all at once: all or none, a 400 on `file` naming the line at fault."""

    read_roles = CAN_CURATE
    write_roles = CAN_CURATE
    parser_classes = [MultiPartParser, FormParser]
    serializer_class = DocumentReferenceSerializer
    pagination_class = None
    queryset = ReferenceLabel.objects.none()

    def listing(self) -> Response:
        return Response(DocumentReferenceSerializer(selectors.references(self.document), many=True).data)

    @extend_schema(responses=DocumentReferenceSerializer(many=True))
    def get(self, request, pk):
        return self.listing()

    @extend_schema(request=ReferenceUploadSerializer, responses=DocumentReferenceSerializer(many=True))
    def post(self, request, pk):
        upload = ReferenceUploadSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        file = upload.validated_data["file"]
        references = services.read_references(file.read(), file.name or "")
        services.import_references(document=self.document, references=references)
        return self.listing()
