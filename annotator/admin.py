"""The Django admin's pages for projects with their labels and members, articles and the history of labels."""

from django.contrib import admin

from .models import Annotation, AnnotationEvent, Document, Label, Membership, Project


class LabelInline(admin.TabularInline):
    model = Label
    extra = 0


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["name", "scale", "blind", "created"]
    inlines = [LabelInline, MembershipInline]


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ["title", "project", "outlet", "published"]
    list_filter = ["project"]
    search_fields = ["title", "outlet"]


@admin.register(Annotation)
class AnnotationAdmin(admin.ModelAdmin):
    list_display = ["sentence", "annotator", "label", "updated"]
    raw_id_fields = ["sentence", "annotator"]
    list_select_related = ["sentence", "annotator", "label"]


@admin.register(AnnotationEvent)
class AnnotationEventAdmin(admin.ModelAdmin):
    list_display = ["at", "project", "annotator", "actor", "action"]
    raw_id_fields = ["sentence", "annotator", "actor"]
