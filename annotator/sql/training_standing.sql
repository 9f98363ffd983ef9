CREATE OR REPLACE FUNCTION public.lede_training_standing(p_project bigint, p_reviewer integer)
 RETURNS TABLE(agreed bigint, total bigint, passed boolean)
 LANGUAGE sql
 STABLE
AS $function$
    -- The training gate: how many of the project's reference labels the reviewer's answers agree with, of how
    -- many, and whether they may go on to real articles. An answer is the first answer, fixed when the reference
    -- was shown (annotator_traininganswer); a sentence whose reference the reviewer has not seen counts with
    -- its current label. A lead's decision (let through, sent back) overrides the figures; without a threshold,
    -- or without a reference label, the gate is open.
    SELECT g.agreed, g.total, CASE m.training_decision
        WHEN 'let_through' THEN true
        WHEN 'sent_back' THEN false
        ELSE p.training_threshold IS NULL OR g.total = 0 OR g.agreed::double precision / g.total >= p.training_threshold
    END
    FROM annotator_project p
    JOIN annotator_membership m ON m.project_id = p.id AND m.user_id = p_reviewer
    CROSS JOIN LATERAL (
        SELECT count(*) AS total, count(*) FILTER (WHERE coalesce(
            (SELECT fa.label_id FROM annotator_traininganswer fa
             WHERE fa.sentence_id = r.sentence_id AND fa.reviewer_id = p_reviewer),
            (SELECT an.label_id FROM annotator_annotation an
             WHERE an.sentence_id = r.sentence_id AND an.annotator_id = p_reviewer)) = r.label_id) AS agreed
        FROM annotator_referencelabel r
        JOIN annotator_sentence s ON s.id = r.sentence_id
        JOIN annotator_document d ON d.id = s.document_id
        WHERE d.project_id = p.id AND d.training
    ) g
    WHERE p.id = p_project
$function$
