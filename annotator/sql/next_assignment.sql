CREATE OR REPLACE FUNCTION public.lede_next_assignment(p_project bigint, p_reviewer integer, p_overlap integer, p_reclaim_after interval, p_pool integer, p_strict_attempts integer)
 RETURNS TABLE(assignment_id bigint, document_id bigint, assigned_by_id integer, assigned timestamp with time zone, touched timestamp with time zone, title text, calibration boolean, training boolean, sentence_count bigint, labelled bigint, assigned_by_username text, agreed bigint, total bigint)
 LANGUAGE plpgsql
AS $function$
#variable_conflict use_column
DECLARE
    v_now timestamptz := clock_timestamp();
    v_cutoff timestamptz;
    v_stale record;
    v_latest timestamptz;
    v_document bigint;
    v_training boolean := false;
    v_agreed bigint;
    v_total bigint;
    v_passed boolean;
    v_strict boolean;
    v_id bigint;
    v_by integer;
    v_assigned timestamptz;
    v_touched timestamptz;
BEGIN
    -- A reviewer's own requests queue here, one at a time.
    PERFORM 1 FROM annotator_membership m WHERE m.project_id = p_project AND m.user_id = p_reviewer FOR UPDATE;

    -- Automatic assignments untouched for reclaim_after: finished ones are marked so, one labelled in
    -- lately is touched, the rest go back to the pool (the reviewer's labels stay).
    IF p_reclaim_after IS NOT NULL THEN
        v_cutoff := v_now - p_reclaim_after;
        FOR v_stale IN
            SELECT a.id, a.reviewer_id, a.document_id FROM annotator_assignment a
            WHERE a.project_id = p_project AND a.finished IS NULL AND a.assigned_by_id IS NULL AND a.touched < v_cutoff
            FOR UPDATE SKIP LOCKED
        LOOP
            SELECT max(an.updated) INTO v_latest FROM annotator_annotation an
            JOIN annotator_sentence s ON s.id = an.sentence_id
            WHERE an.annotator_id = v_stale.reviewer_id AND s.document_id = v_stale.document_id;
            IF NOT EXISTS (SELECT 1 FROM lede_unlabelled_sentence(v_stale.document_id, v_stale.reviewer_id)) THEN
                UPDATE annotator_assignment SET finished = coalesce(v_latest, v_now) WHERE id = v_stale.id;
            ELSIF v_latest >= v_cutoff THEN
                UPDATE annotator_assignment SET touched = v_latest WHERE id = v_stale.id;
            ELSE
                PERFORM 1 FROM annotator_document d WHERE d.id = v_stale.document_id FOR UPDATE;
                DELETE FROM annotator_assignment WHERE id = v_stale.id;
                UPDATE annotator_document d SET coverage = d.coverage - 1 WHERE d.id = v_stale.document_id AND d.coverage > 0;
            END IF;
        END LOOP;
    END IF;

    -- The reviewer's oldest unfinished assignment that they may label (lede_may_label: not while they are
    -- held in training), touched now; finished ones are marked so first.
    UPDATE annotator_assignment a SET finished = v_now
    WHERE a.project_id = p_project AND a.reviewer_id = p_reviewer AND a.finished IS NULL
      AND NOT EXISTS (SELECT 1 FROM lede_unlabelled_sentence(a.document_id, p_reviewer));
    UPDATE annotator_assignment a SET touched = v_now
    WHERE a.id = (
        SELECT o.id FROM annotator_assignment o
        WHERE o.project_id = p_project AND o.reviewer_id = p_reviewer AND o.finished IS NULL
          AND lede_may_label(o.document_id, p_reviewer) IS NULL
        ORDER BY o.assigned, o.id LIMIT 1)
    RETURNING a.id, a.document_id, a.assigned_by_id, a.assigned, a.touched
    INTO v_id, v_document, v_by, v_assigned, v_touched;
    IF v_id IS NULL THEN
        -- The first training article not yet given to the reviewer, else the first calibration one (each
        -- from its partial index; an OR of the two flags reads every article of the project).
        SELECT special.id, special.training INTO v_document, v_training FROM (
            (SELECT d.id, true AS training FROM annotator_document d
             WHERE d.project_id = p_project AND d.training AND NOT EXISTS (
                 SELECT 1 FROM annotator_assignment x WHERE x.document_id = d.id AND x.reviewer_id = p_reviewer)
             ORDER BY d.id LIMIT 1)
            UNION ALL
            (SELECT d.id, false FROM annotator_document d
             WHERE d.project_id = p_project AND d.calibration AND NOT EXISTS (
                 SELECT 1 FROM annotator_assignment x WHERE x.document_id = d.id AND x.reviewer_id = p_reviewer)
             ORDER BY d.id LIMIT 1)
        ) special ORDER BY special.training DESC, special.id LIMIT 1;
        v_training := coalesce(v_training, false);

        -- The training gate (lede_training_standing): no other article until the reviewer has passed it.
        IF NOT v_training THEN
            SELECT t.agreed, t.total, t.passed INTO v_agreed, v_total, v_passed
            FROM lede_training_standing(p_project, p_reviewer) t;
            IF NOT v_passed THEN
                RETURN QUERY SELECT NULL::bigint, NULL::bigint, NULL::integer, NULL::timestamptz, NULL::timestamptz,
                    NULL::text, NULL::boolean, NULL::boolean, NULL::bigint, NULL::bigint, NULL::text, v_agreed, v_total;
                RETURN;
            END IF;
        END IF;

        IF v_document IS NOT NULL THEN
            UPDATE annotator_document d SET coverage = d.coverage + 1 WHERE d.id = v_document;
        ELSIF p_overlap IS NULL THEN
            -- Every reviewer labels every article: the first with a sentence the reviewer has not labelled.
            SELECT s.document_id INTO v_document FROM annotator_sentence s
            JOIN annotator_document d ON d.id = s.document_id
            WHERE d.project_id = p_project AND NOT d.calibration AND NOT d.training
              AND NOT EXISTS (SELECT 1 FROM annotator_annotation an WHERE an.sentence_id = s.id AND an.annotator_id = p_reviewer)
              AND NOT EXISTS (SELECT 1 FROM annotator_assignment x WHERE x.document_id = s.document_id AND x.reviewer_id = p_reviewer)
            ORDER BY s.document_id LIMIT 1;
            IF v_document IS NOT NULL THEN
                UPDATE annotator_document d SET coverage = d.coverage + 1 WHERE d.id = v_document;
            END IF;
        ELSE
            -- The least-covered article below k of a small pool (p_pool articles), ranked by coverage, then by
            -- how many articles the reviewer already shares with the holder they share the fewest with (so
            -- that every pair of reviewers comes to share articles), then by a hash of article and reviewer (so
            -- that reviewers asking at once try the pool in different orders); taken with SKIP LOCKED, passing
            -- over articles whose coverage another request raised since the pool was read for
            -- p_strict_attempts tries, so that concurrent requests do not pile onto one article.
            FOR v_attempt IN 0..p_strict_attempts + 50 LOOP
                v_strict := v_attempt < p_strict_attempts;
                IF v_attempt > p_strict_attempts THEN
                    -- Every article with room is held by another request: let one of them commit.
                    PERFORM pg_sleep(0.002);
                END IF;
                WITH shared AS (
                    SELECT o.reviewer_id AS reviewer, count(*) AS n FROM annotator_assignment o
                    WHERE o.document_id IN (
                        SELECT m.document_id FROM annotator_assignment m
                        WHERE m.project_id = p_project AND m.reviewer_id = p_reviewer)
                    AND o.reviewer_id <> p_reviewer GROUP BY o.reviewer_id
                ), pool AS (
                    SELECT p.id, p.coverage FROM annotator_document p
                    WHERE p.project_id = p_project AND NOT p.calibration AND NOT p.training AND p.coverage < p_overlap
                    AND NOT EXISTS (
                        SELECT 1 FROM annotator_assignment x WHERE x.document_id = p.id AND x.reviewer_id = p_reviewer)
                    ORDER BY p.coverage, p.id LIMIT p_pool
                ), ranked AS (
                    SELECT pool.id, pool.coverage, min(coalesce(shared.n, 0)) AS pairing,
                        (pool.id * 2654435761 + p_reviewer::bigint * 40503) % 4294967296 AS tiebreak
                    FROM pool
                    LEFT JOIN annotator_assignment h ON h.document_id = pool.id
                    LEFT JOIN shared ON shared.reviewer = h.reviewer_id
                    GROUP BY pool.id, pool.coverage
                )
                UPDATE annotator_document t SET coverage = t.coverage + 1
                WHERE t.id = (
                    SELECT d.id FROM annotator_document d JOIN ranked ON ranked.id = d.id
                    WHERE d.coverage < p_overlap AND (NOT v_strict OR d.coverage = ranked.coverage)
                    ORDER BY ranked.coverage, ranked.pairing, ranked.tiebreak
                    LIMIT 1 FOR UPDATE OF d SKIP LOCKED)
                AND t.coverage < p_overlap
                RETURNING t.id INTO v_document;
                EXIT WHEN v_document IS NOT NULL;
                EXIT WHEN NOT EXISTS (
                    SELECT 1 FROM annotator_document p
                    WHERE p.project_id = p_project AND NOT p.calibration AND NOT p.training AND p.coverage < p_overlap
                    AND NOT EXISTS (
                        SELECT 1 FROM annotator_assignment x WHERE x.document_id = p.id AND x.reviewer_id = p_reviewer));
            END LOOP;
        END IF;
        IF v_document IS NULL THEN
            RETURN;
        END IF;
        -- An article the reviewer has already labelled throughout is finished at once.
        INSERT INTO annotator_assignment AS a (project_id, document_id, reviewer_id, assigned_by_id, assigned, touched, finished)
        VALUES (p_project, v_document, p_reviewer, NULL, v_now, v_now,
            CASE WHEN EXISTS (SELECT 1 FROM lede_unlabelled_sentence(v_document, p_reviewer)) THEN NULL ELSE v_now END)
        RETURNING a.id, a.assigned INTO v_id, v_assigned;
        v_touched := v_assigned;
    END IF;

    -- The assignment as the API shows it (annotator.selectors.assignments), so that nothing reads it again.
    RETURN QUERY
    SELECT v_id, d.id, v_by, v_assigned, v_touched, d.title::text, d.calibration, d.training,
        (SELECT count(*) FROM annotator_sentence s WHERE s.document_id = d.id),
        (SELECT count(*) FROM annotator_sentence s
         JOIN annotator_annotation an ON an.sentence_id = s.id AND an.annotator_id = p_reviewer
         WHERE s.document_id = d.id),
        (SELECT u.username::text FROM auth_user u WHERE u.id = v_by),
        NULL::bigint, NULL::bigint
    FROM annotator_document d WHERE d.id = v_document;
END
$function$
