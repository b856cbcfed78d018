"""Views of /api/documents/: thin; who sees what is documents.selectors' one rule (another
brand's document is a 404), domain errors become 400 / 403 naming the field."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse, Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny, BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle

from crm.api.permissions import ModelPermissions
from crm.models import Brand
from crm_site.users import signed_in
from documents.api import serializers as s
from documents.api.pagination import DocumentPagination
from documents.downloads import client_ip, file_response
from documents.errors import DocumentError, NotAllowed, ShareNotFound, UploadRefused
from documents.models import (
    Document,
    DocumentAccess,
    DocumentApproval,
    DocumentComment,
    DocumentShare,
    DocumentTemplate,
    DocumentVersion,
)
from documents.selectors import (
    approvals_visible_to,
    document_manageable_by,
    documents_search,
    documents_visible_to,
    shares_visible_to,
)
from documents.services.documents import (
    document_access_record,
    document_create,
    document_delete,
    document_update,
    document_version_create,
)
from documents.services.files import file_check
from documents.services.generation import document_generate
from documents.services.reviews import approval_decide, approval_request, comment_add
from documents.services.sharing import share_create, share_open, share_revoke


class ViewDocuments(BasePermission):
    """Shares, comments and approvals: for users who may view documents (the services check the rest)."""

    def has_permission(self, request: Request, view: Any) -> bool:
        return bool(request.user and request.user.has_perm("documents.view_document"))


def domain_errors(call: Callable[[], Any]) -> Any:
    """Run a service call; its DocumentError becomes a 400 naming the field, NotAllowed a 403."""
    try:
        return call()
    except NotAllowed as exc:
        raise PermissionDenied(str(exc)) from exc
    except DocumentError as exc:
        raise ValidationError({exc.field or "detail": [str(exc)]}) from exc


def uploaded(file: Any) -> Any:
    try:
        return file_check(file.chunks(), file.name or "document")
    except UploadRefused as exc:
        raise ValidationError({"file": [str(exc)]}) from exc


class DocumentViewSet(viewsets.ModelViewSet[Document]):
    """Documents of the user's brands as the access levels allow. `?q=` finds words in the name or
    the extracted text; filters: brand, category, access_level, contact, deal, candidate."""

    parser_classes = [MultiPartParser, FormParser, JSONParser]
    permission_classes = [ModelPermissions]
    pagination_class = DocumentPagination
    filterset_fields = ["brand", "category", "access_level", "contact", "deal", "candidate"]
    ordering_fields = ["name", "created_at", "updated_at"]
    queryset = Document.objects.none()

    def get_queryset(self) -> QuerySet[Document]:
        documents = documents_visible_to(self.request.user).select_related("owner", "current_version__author")
        documents = documents.prefetch_related("allowed_users").defer("search_vector", "current_version__text")
        if self.action != "list":
            return documents
        return documents_search(documents.defer("text"), self.request.query_params.get("q", ""))

    def get_serializer_class(self) -> type[s.DocumentSerializer]:
        return s.DocumentDetailSerializer if self.action == "retrieve" else s.DocumentSerializer

    @extend_schema(parameters=[OpenApiParameter("q", str, description="Words in the name or the text")])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    def perform_create(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        checked = uploaded(data.pop("file"))
        serializer.instance = domain_errors(
            lambda: document_create(checked=checked, owner=signed_in(self.request), **data)
        )

    def perform_update(self, serializer: Any) -> None:
        document = serializer.instance
        if not document_manageable_by(self.request.user, document):
            raise PermissionDenied("only the owner or a manager of the brand may change this document")
        data = dict(serializer.validated_data)
        allowed = data.pop("allowed_users", None)
        serializer.instance = domain_errors(lambda: document_update(document=document, allowed_users=allowed, **data))

    def perform_destroy(self, instance: Document) -> None:
        if not document_manageable_by(self.request.user, instance):
            raise PermissionDenied("only the owner or a manager of the brand may delete this document")
        document_delete(document=instance)

    @extend_schema(
        parameters=[OpenApiParameter("version", int, description="A version number; the current one if left out")],
        responses={(200, "application/octet-stream"): bytes},
    )
    @action(detail=True, methods=["get"])
    def download(self, request: Request, pk: str | None = None) -> FileResponse:
        """The file of the current version, or of `?version=N`; every download is logged."""
        document = self.get_object()
        version = self._version(document, request.query_params.get("version"))
        document_access_record(
            version=version, channel=DocumentAccess.Channel.API, user=signed_in(request), ip_address=client_ip(request)
        )
        return file_response(version)

    def _version(self, document: Document, number: str | None) -> DocumentVersion:
        if number is None:
            if document.current_version is None:
                raise NotFound("this document has no file")
            return document.current_version
        if not (number.isascii() and number.isdecimal()) or len(number) > 9:
            raise ValidationError({"version": ["a version number such as 2"]})
        version = document.versions.filter(number=int(number)).first()
        if version is None:
            raise NotFound(f"this document has no version {number}")
        return version

    @extend_schema(request=s.NewVersionSerializer, responses={201: s.VersionSerializer})
    @action(detail=True, methods=["post"])
    def create_version(self, request: Request, pk: str | None = None) -> Response:
        """A new file for the document: version N+1, with a note of what changed."""
        document = self.get_object()
        serializer = s.NewVersionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        checked = uploaded(serializer.validated_data["file"])
        note = serializer.validated_data.get("note", "")
        version = document_version_create(document=document, checked=checked, author=signed_in(request), note=note)
        return Response(s.VersionSerializer(version).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={200: s.VersionSerializer(many=True)})
    @action(detail=True, methods=["get"])
    def versions(self, request: Request, pk: str | None = None) -> Response:
        """Every version, newest first: who changed what and when."""
        versions = self.get_object().versions.select_related("author").order_by("-number")
        return Response(s.VersionSerializer(versions, many=True).data)

    @extend_schema(request=s.ShareCreateSerializer, responses={201: dict})
    @action(detail=True, methods=["post"])
    def share(self, request: Request, pk: str | None = None) -> Response:
        """A link that works without a login until it expires: the `token` is shown this once."""
        document = self.get_object()
        serializer = s.ShareCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        new = domain_errors(
            lambda: share_create(document=document, user=signed_in(request), **serializer.validated_data)
        )
        url = request.build_absolute_uri(f"/api/documents/shares/access/?token={new.token}")
        return Response({**s.ShareSerializer(new.share).data, "token": new.token, "url": url}, status=201)

    @extend_schema(request=s.ApprovalRequestSerializer, responses={201: s.ApprovalSerializer})
    @action(detail=True, methods=["post"])
    def request_approval(self, request: Request, pk: str | None = None) -> Response:
        """Ask a named person to approve the current version; only they can decide."""
        document = self.get_object()
        serializer = s.ApprovalRequestSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        approval = domain_errors(
            lambda: approval_request(
                document=document,
                requested_by=signed_in(request),
                approver=serializer.validated_data["approver"],
                note=serializer.validated_data.get("note", ""),
            )  # fmt: skip
        )
        return Response(s.ApprovalSerializer(approval).data, status=status.HTTP_201_CREATED)


class TemplateViewSet(viewsets.ModelViewSet[DocumentTemplate]):
    """Templates that become PDFs for a contact or a deal (`generate`)."""

    serializer_class = s.TemplateSerializer
    permission_classes = [ModelPermissions]
    filterset_fields = ["brand", "category"]
    queryset = DocumentTemplate.objects.none()

    def get_queryset(self) -> QuerySet[DocumentTemplate]:
        return DocumentTemplate.objects.filter(brand__in=Brand.objects.visible_to(self.request.user)).select_related(
            "brand"
        )

    @extend_schema(request=s.GenerateSerializer, responses={201: s.DocumentSerializer})
    @action(detail=True, methods=["post"])
    def generate(self, request: Request, pk: str | None = None) -> Response:
        """Fill the template for `deal` (and its contact) or `contact`, as a new PDF document."""
        template = self.get_object()
        serializer = s.GenerateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        document = domain_errors(
            lambda: document_generate(template=template, user=signed_in(request), **serializer.validated_data)
        )
        return Response(s.DocumentSerializer(document, context={"request": request}).data, status=201)


class ShareViewSet(mixins.DestroyModelMixin, viewsets.ReadOnlyModelViewSet[DocumentShare]):
    """Share links of the documents the user sees; DELETE (or `revoke`) ends a link at once."""

    serializer_class = s.ShareSerializer
    permission_classes = [ViewDocuments]
    throttle_scope = "document_share"  # `access`, the one action without a login, is throttled
    filterset_fields = ["document"]
    queryset = DocumentShare.objects.none()

    def get_queryset(self) -> QuerySet[DocumentShare]:
        return shares_visible_to(self.request.user).select_related("created_by")

    def perform_destroy(self, instance: DocumentShare) -> None:
        domain_errors(lambda: share_revoke(share=instance, user=signed_in(self.request)))

    @extend_schema(request=None, responses={200: s.ShareSerializer})
    @action(detail=True, methods=["post"])
    def revoke(self, request: Request, pk: str | None = None) -> Response:
        share = domain_errors(lambda: share_revoke(share=self.get_object(), user=signed_in(request)))
        return Response(s.ShareSerializer(share).data)

    @extend_schema(
        auth=[],
        parameters=[
            OpenApiParameter("token", str, required=True, description="The token the share answered"),
            OpenApiParameter("X-Share-Password", str, OpenApiParameter.HEADER, description="When the link has one"),
        ],
        responses={(200, "application/octet-stream"): bytes, 404: dict},
    )
    @action(
        detail=False, methods=["get", "post"], permission_classes=[AllowAny], authentication_classes=[],
        throttle_classes=[ScopedRateThrottle],
    )  # fmt: skip
    def access(self, request: Request) -> FileResponse:
        """The current version's file, without a login. Unknown, expired, revoked or used-up links
        and wrong passwords are the same 404. The password goes in `X-Share-Password` or a POST body."""
        token = request.query_params.get("token") or request.data.get("token", "")
        password = request.headers.get("X-Share-Password") or request.data.get("password", "")
        try:
            share, version = share_open(token=str(token), password=str(password))
        except ShareNotFound as exc:
            raise Http404("No such link.") from exc
        document_access_record(
            version=version, channel=DocumentAccess.Channel.SHARE, share=share, ip_address=client_ip(request)
        )
        return file_response(version)


class CommentViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet[DocumentComment]):
    """Comments on documents the user sees; `?document=` lists one document's."""

    serializer_class = s.CommentSerializer
    permission_classes = [ViewDocuments]
    filterset_fields = ["document"]
    queryset = DocumentComment.objects.none()

    def get_queryset(self) -> QuerySet[DocumentComment]:
        return DocumentComment.objects.filter(document__in=documents_visible_to(self.request.user)).select_related(
            "author"
        )

    def perform_create(self, serializer: Any) -> None:
        data = serializer.validated_data
        serializer.instance = domain_errors(
            lambda: comment_add(document=data["document"], author=signed_in(self.request), body=data["body"])
        )


class ApprovalViewSet(viewsets.ReadOnlyModelViewSet[DocumentApproval]):
    """Approvals asked of the user and those on documents they see; `?mine=true` leaves only the
    ones waiting for the user's decision."""

    serializer_class = s.ApprovalSerializer
    permission_classes = [ViewDocuments]
    filterset_fields = ["document", "status"]
    queryset = DocumentApproval.objects.none()

    def get_queryset(self) -> QuerySet[DocumentApproval]:
        approvals = approvals_visible_to(self.request.user)
        mine = self.request.query_params.get("mine", "").lower()
        if mine not in ("", "true", "false", "1", "0"):
            raise ValidationError({"mine": ["true or false"]})
        if mine in ("true", "1"):
            approvals = approvals.filter(approver=signed_in(self.request), status="pending")
        return approvals

    @extend_schema(request=s.DecisionSerializer, responses={200: s.ApprovalSerializer})
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str | None = None) -> Response:
        return self._decide(request, approve=True)

    @extend_schema(request=s.DecisionSerializer, responses={200: s.ApprovalSerializer})
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: str | None = None) -> Response:
        return self._decide(request, approve=False)

    def _decide(self, request: Request, *, approve: bool) -> Response:
        approval = self.get_object()
        serializer = s.DecisionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        comment = serializer.validated_data.get("comment", "")
        decided = domain_errors(
            lambda: approval_decide(approval=approval, user=signed_in(request), approve=approve, comment=comment)
        )
        return Response(s.ApprovalSerializer(decided).data)
