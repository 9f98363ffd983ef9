CREATE OR REPLACE FUNCTION public.lede_unlabelled_sentence(p_document bigint, p_reviewer integer, p_labelling bigint DEFAULT NULL::bigint)
 RETURNS TABLE(sentence_id bigint)
 LANGUAGE sql
 STABLE
AS $function$
    -- A sentence of the article that the reviewer has not labelled, leaving out p_labelling, the one the
    -- asking statement labels (its snapshot does not show that label yet); none when the reviewer's
    -- assignment of the article is finished. From the article's end: reviewers label from the top, so the
    -- index walk finds one at once until the article is done. Kept inlinable (one SELECT, STABLE, not
    -- STRICT), so the planner plans it inside each caller's statement.
    SELECT s.id FROM annotator_sentence s
    WHERE s.document_id = p_document AND s.id IS DISTINCT FROM p_labelling
      AND (SELECT 1 FROM annotator_annotation an WHERE an.sentence_id = s.id AND an.annotator_id = p_reviewer) IS NULL
    ORDER BY s.index DESC LIMIT 1
$function$
