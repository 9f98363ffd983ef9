CREATE OR REPLACE FUNCTION public.lede_may_label(p_document bigint, p_reviewer integer)
 RETURNS text
 LANGUAGE sql
 STABLE
AS $function$
    -- The study design's rule of who labels what, for every write of a label (save, sources, speaker, delete)
    -- and every page that offers one: NULL when the reviewer may label the article, else why not: 'training'
    -- (held in training: below the gate, or sent back by a lead) or 'assignment' (not given to them). It binds
    -- annotators in a project with a design (an overlap or a training threshold); owners and curators set the
    -- design and are not held to it, and a project without one keeps every article open to every reviewer.
    -- Training articles are open to every reviewer; calibration articles, and with no overlap every article,
    -- once the gate is passed; with an overlap, ordinary articles only when assigned to the reviewer.
    SELECT CASE
        WHEN m.role IS DISTINCT FROM 'annotator' OR d.training
            OR (p.overlap IS NULL AND p.training_threshold IS NULL) THEN NULL
        WHEN NOT (SELECT t.passed FROM lede_training_standing(p.id, p_reviewer) t) THEN 'training'
        WHEN p.overlap IS NULL OR d.calibration OR EXISTS (
            SELECT 1 FROM annotator_assignment a WHERE a.document_id = d.id AND a.reviewer_id = p_reviewer) THEN NULL
        ELSE 'assignment'
    END
    FROM annotator_document d
    JOIN annotator_project p ON p.id = d.project_id
    LEFT JOIN annotator_membership m ON m.project_id = p.id AND m.user_id = p_reviewer
    WHERE d.id = p_document
$function$
