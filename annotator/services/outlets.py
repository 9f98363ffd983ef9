"""A project's own list of outlets: recognising an article's outlet on import, and editing the list.

An article names its outlet in `Document.outlet`; the list (`Outlet`) adds what analyses group
by (leaning, country) and a web domain to recognise articles by their URL. A name is matched
case-insensitively and replaced by the list's spelling, so "FOX NEWS" and "Fox News" are one
outlet; an article without an outlet takes the one whose domain its URL is on (a subdomain
counts: edition.cnn.com is on cnn.com). A name the list lacks is added to it. Changing the list
changes what analyses group by, so it is announced like a label change.
"""

from collections.abc import Iterable
from urllib.parse import urlsplit

from django.db import IntegrityError, transaction
from django.db.models.functions import Lower

from annotator.errors import Conflict, InvalidInput
from annotator.models import Document, Outlet, Project
from annotator.signals import announce_labels_changed

OUTLET_FIELDS = ("name", "domain", "country", "leaning", "rating_source")


def web_domain(url: str) -> str:
    """The host of `url` in lower case without a leading "www."; empty when there is none."""
    host = (urlsplit(url).hostname or "") if url else ""
    return host.removeprefix("www.")


def _domain_owner(domains: dict[str, Outlet], url: str) -> Outlet | None:
    host = web_domain(url)
    while host:
        if host in domains:
            return domains[host]
        _, _, host = host.partition(".")
    return None


def match_outlets(project: Project, articles: Iterable) -> None:
    """Set each article's `outlet` (anything with `outlet` and `url`) to the list's name, adding new names.

    One read of the list and one insert for the new names, whatever the number of articles.
    """
    articles = list(articles)
    outlets = list(Outlet.objects.filter(project=project))
    by_name = {outlet.name.lower(): outlet for outlet in outlets}
    by_domain = {outlet.domain: outlet for outlet in outlets if outlet.domain}
    new = {}
    for article in articles:
        name = article.outlet.strip()
        if not name:
            owner = _domain_owner(by_domain, article.url)
            article.outlet = owner.name if owner else ""
            continue
        known = by_name.get(name.lower()) or new.get(name.lower())
        if known is None:
            known = new[name.lower()] = Outlet(project=project, name=name[:200])
        article.outlet = known.name
    Outlet.objects.bulk_create(new.values(), ignore_conflicts=True)


def _check(project: Project, values: dict) -> dict:
    values = {name: value.strip() for name, value in values.items()}
    if "name" in values and not values["name"]:
        raise InvalidInput("name", "An outlet needs a name.")
    if values.get("leaning") and values["leaning"] not in project.leanings:
        choices = ", ".join(project.leanings) or "none: set the project's leanings first"
        raise InvalidInput("leaning", f"'{values['leaning']}' is not one of this project's leanings ({choices}).")
    if values.get("domain"):
        domain = web_domain(values["domain"] if "//" in values["domain"] else f"https://{values['domain']}")
        if not domain or "." not in domain:
            raise InvalidInput("domain", f"'{values['domain']}' is not a web domain such as example.com.")
        values["domain"] = domain
    return values


def _saved(outlet: Outlet, fields: list[str] | None = None) -> Outlet:
    try:
        with transaction.atomic():
            outlet.save(update_fields=fields)
    except IntegrityError:
        taken = Outlet.objects.filter(project_id=outlet.project_id).exclude(pk=outlet.pk)
        if taken.annotate(lower=Lower("name")).filter(lower=outlet.name.lower()).exists():
            raise Conflict("name", f"The project already has an outlet named '{outlet.name}'.") from None
        raise Conflict("domain", f"Another outlet of the project has the domain '{outlet.domain}'.") from None
    return outlet


def create_outlet(*, project: Project, **values) -> Outlet:
    outlet = _saved(Outlet(project=project, **_check(project, values)))
    announce_labels_changed(project_id=project.pk, document_ids=[])
    return outlet


@transaction.atomic
def update_outlet(*, outlet: Outlet, **values) -> Outlet:
    """Change an outlet; a new name is written into its articles too, so they stay its articles."""
    values = _check(outlet.project, values)
    old_name = outlet.name
    for name, value in values.items():
        setattr(outlet, name, value)
    _saved(outlet, list(values))
    if outlet.name != old_name:
        Document.objects.filter(project_id=outlet.project_id, outlet__iexact=old_name).update(outlet=outlet.name)
    announce_labels_changed(project_id=outlet.project_id, document_ids=[])
    return outlet


def delete_outlet(*, outlet: Outlet) -> None:
    """Remove the outlet from the list; its articles keep its name as text, unrated."""
    outlet.delete()
    announce_labels_changed(project_id=outlet.project_id, document_ids=[])
