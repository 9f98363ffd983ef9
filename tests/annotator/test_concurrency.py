"""Saves that race each other, each on its own database connection, never lose work or duplicate a label."""

import threading

import pytest
from django.db import close_old_connections, connection, connections, transaction

from annotator import services
from annotator.errors import Conflict, InvalidInput
from annotator.models import Annotation, AnnotationEvent, Membership

from ..factories import AnnotationFactory, DocumentFactory
from ..worker import wait_for

ROUNDS = 8


def run_at_once(*calls):
    """Run each call in its own thread (so its own DB connection), released together; re-raise any error."""
    barrier = threading.Barrier(len(calls))
    errors = []

    def worker(call):
        try:
            barrier.wait(timeout=10)
            call()
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads)
    assert errors == []


@pytest.fixture
def sentences(team):
    text = " ".join(f"Statement {n} was made in public." for n in range(ROUNDS))
    return list(DocumentFactory(project=team.project, text=text).sentences.all())


def save(sentence, annotator, label):
    return lambda: services.label_sentence(sentence=sentence, annotator=annotator, label_name=label)


@pytest.mark.django_db(transaction=True)
def test_two_reviewers_saving_at_once_both_keep_their_label(team, sentences):
    anna, ben = team.users["annotator"], team.users["annotator2"]
    for sentence in sentences:
        run_at_once(save(sentence, anna, "claim"), save(sentence, ben, "opinion"))
    for sentence in sentences:
        labels = dict(sentence.annotations.values_list("annotator__username", "label__name"))
        assert labels == {"anna": "claim", "ben": "opinion"}


@pytest.mark.django_db(transaction=True)
def test_one_reviewer_saving_twice_at_once_ends_with_one_label(team, sentences):
    anna = team.users["annotator"]
    for sentence in sentences:
        run_at_once(save(sentence, anna, "claim"), save(sentence, anna, "quote"))
    for sentence in sentences:
        [annotation] = Annotation.objects.filter(sentence=sentence, annotator=anna)
        assert annotation.label.name in {"claim", "quote"}
        events = list(AnnotationEvent.objects.filter(sentence=sentence).order_by("id").values_list("action", "data"))
        assert [action for action, _ in events] == ["created", "updated"]
        assert events[-1][1]["label"] == annotation.label.name


@pytest.mark.django_db(transaction=True)
def test_one_reviewer_saving_and_deleting_at_once_leaves_a_consistent_state(team, sentences):
    anna = team.users["annotator"]
    for sentence in sentences:
        AnnotationFactory(sentence=sentence, annotator=anna, label="claim")
        run_at_once(
            save(sentence, anna, "quote"),
            lambda sentence=sentence: services.delete_annotation(sentence=sentence, annotator=anna),
        )
        last = AnnotationEvent.objects.filter(sentence=sentence).order_by("-id").first()
        exists = Annotation.objects.filter(sentence=sentence, annotator=anna).exists()
        assert exists == (last.action != "deleted")


def someone_waits_for_a_row_lock() -> bool:
    """Whether another connection of this database waits for a row lock."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0] > 0


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("labelled_before", [False, True], ids=["first-label", "replacing-a-label"])
def test_a_save_that_waits_for_another_one_ends_with_its_own_sources(team, sentences, labelled_before):
    """Two tabs of one reviewer: a save with a source is committing while a save without sources waits for it.

    The later save wins, whole: its label and no sources, never the earlier save's sources under
    the later save's label.
    """
    from django.db import transaction

    anna, sentence = team.users["annotator"], sentences[0]
    if labelled_before:
        AnnotationFactory(sentence=sentence, annotator=anna, label="opinion")
    holding, release = threading.Event(), threading.Event()
    errors = []

    def in_thread(work):
        def run():
            try:
                work()
            except Exception as error:
                errors.append(error)
            finally:
                connection.close()

        thread = threading.Thread(target=run)
        thread.start()
        return thread

    def earlier_save_with_a_source():
        with transaction.atomic():
            services.label_sentence(
                sentence=sentence,
                annotator=anna,
                label_name="claim",
                sources=[services.SourceInput(url="https://evidence.example/report")],
            )
            holding.set()
            release.wait(timeout=10)

    earlier = in_thread(earlier_save_with_a_source)
    assert holding.wait(timeout=10)
    later = in_thread(save(sentence, anna, "quote"))
    wait_for(someone_waits_for_a_row_lock, timeout=10, what="the second save to wait for the first one's lock")
    release.set()
    for thread in (earlier, later):
        thread.join(timeout=30)
    assert errors == []

    annotation = Annotation.objects.get(sentence=sentence, annotator=anna)
    assert annotation.label.name == "quote"
    assert list(annotation.sources.values_list("url", flat=True)) == []
    assert AnnotationEvent.objects.filter(sentence=sentence).latest("id").data["sources"] == []


def backend_waits_for_a_lock(pid: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s", [pid])
        row = cursor.fetchone()
    return bool(row) and row[0] == "Lock"


def second_while_first_uncommitted(first, second):
    """Run `first` in a transaction left open until `second`, on another connection, has finished or waits for
    a lock; then commit it. Return what `second` returned, or the domain error it raised."""
    first_done, commit_first = threading.Event(), threading.Event()
    second_pid, outcome = [], []

    def run_first():
        try:
            with transaction.atomic():
                first()
                first_done.set()
                commit_first.wait(timeout=30)
        finally:
            connection.close()

    def run_second():
        try:
            connection.ensure_connection()
            second_pid.append(connection.connection.get_backend_pid())
            outcome.append(second())
        except InvalidInput as error:
            outcome.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run_first), threading.Thread(target=run_second)]
    threads[0].start()
    first_done.wait(timeout=30)
    threads[1].start()
    wait_for(
        lambda: outcome or (second_pid and backend_waits_for_a_lock(second_pid[0])),
        timeout=30,
        what="the second change to finish or wait for the first",
    )
    commit_first.set()
    for thread in threads:
        thread.join(timeout=30)
    [result] = outcome
    return result


@pytest.mark.django_db(transaction=True)
def test_two_owners_demoting_themselves_at_once_leave_the_project_an_owner(team):
    """The second demotion runs while the first is uncommitted: it must wait for it, then refuse."""
    project, first, second = team.project, team.users["owner"], team.users["curator"]
    services.add_member(project=project, username=second.username, role="owner")

    refused = second_while_first_uncommitted(
        lambda: services.add_member(project=project, username=first.username, role="curator"),
        lambda: services.add_member(project=project, username=second.username, role="curator"),
    )

    assert isinstance(refused, Conflict)
    assert "role" in refused.errors
    assert list(Membership.objects.filter(project=project, role="owner").values_list("user", flat=True)) == [second.pk]


@pytest.mark.django_db(transaction=True)
def test_a_save_during_a_scheme_edit_that_removes_its_label_is_refused_cleanly(team):
    """The edit removes the unused label `opinion` and has not committed when the save of `opinion` arrives."""
    project, sentence = team.project, team.document.sentences.first()
    kept = [{"name": name} for name in project.labels.exclude(name="opinion").values_list("name", flat=True)]

    answer = second_while_first_uncommitted(
        lambda: services.update_project(project=project, labels=kept),
        lambda: team.client("annotator").put(f"/api/v1/sentences/{sentence.pk}/annotation/", {"label": "opinion"}),
    )

    assert answer.status_code == 400
    assert "label" in answer.json()
    assert not Annotation.objects.filter(sentence=sentence).exists()


def drop_connection():
    """End this thread's database session from another connection, as a database restart does."""
    pid = connection.connection.get_backend_pid()
    with connections.create_connection("default").cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])


@pytest.mark.django_db(transaction=True)
def test_a_save_after_the_database_dropped_the_kept_connection_succeeds(team):
    client, sentence = team.client("annotator"), team.document.sentences.first()
    assert client.get(f"/api/v1/documents/{team.document.pk}/").status_code == 200
    drop_connection()

    close_old_connections()  # what Django does as a request starts (the test client skips it)
    response = client.put(f"/api/v1/sentences/{sentence.pk}/annotation/", {"label": "claim"})

    assert response.status_code == 201


@pytest.mark.django_db(transaction=True)
def test_saves_go_on_after_the_database_restarts_between_them(team):
    """The save's statements are prepared per connection (`lede.prepared`): a new session prepares them again."""
    client = team.client("annotator")
    first, second = team.document.sentences.order_by("index")[:2]
    assert client.put(f"/api/v1/sentences/{first.pk}/annotation/", {"label": "claim"}).status_code == 201
    drop_connection()

    close_old_connections()
    assert client.put(f"/api/v1/sentences/{second.pk}/annotation/", {"label": "quote"}).status_code == 201
    assert client.put(f"/api/v1/sentences/{first.pk}/annotation/", {"label": "opinion"}).status_code == 200
    labels = dict(
        Annotation.objects.filter(annotator=team.users["annotator"]).values_list("sentence_id", "label__name")
    )
    assert labels == {first.pk: "opinion", second.pk: "quote"}


@pytest.mark.django_db(transaction=True)
def test_a_save_that_loses_its_connection_is_refused_with_a_503_and_saves_nothing(team):
    client, sentence = team.client("annotator"), team.document.sentences.first()
    assert client.get(f"/api/v1/documents/{team.document.pk}/").status_code == 200
    drop_connection()  # after the request's health check: the save itself meets the lost connection

    response = client.put(f"/api/v1/sentences/{sentence.pk}/annotation/", {"label": "claim"})

    assert response.status_code == 503
    assert response["Retry-After"]
    assert "try again" in response.json()["detail"]
    close_old_connections()
    assert not Annotation.objects.filter(sentence=sentence).exists()
