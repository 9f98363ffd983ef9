-- The randomized control of suggestions: every new assignment, however it is made (Lede's
-- lede_next_assignment() or a lead's), is drawn to come without suggestions with the project's
-- unassisted_share at that moment, and the draw is recorded beside it. The one place this rule lives.
CREATE OR REPLACE FUNCTION lede_draw_assistance() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    v_share double precision;
BEGIN
    SELECT p.unassisted_share INTO v_share FROM annotator_project p WHERE p.id = NEW.project_id;
    INSERT INTO machine_assistancedraw (assignment_id, unassisted, share, drawn)
    VALUES (NEW.id, random() < v_share, v_share, now());
    RETURN NEW;
END;
$$;

DROP TRIGGER IF EXISTS lede_draw_assistance ON annotator_assignment;
CREATE TRIGGER lede_draw_assistance AFTER INSERT ON annotator_assignment
    FOR EACH ROW EXECUTE FUNCTION lede_draw_assistance();

-- A draw goes with its assignment: an assignment reclaimed or removed in SQL (lede_next_assignment()
-- reclaims by DELETE) takes its draw along, as the ORM's cascade does for a delete made in Python.
CREATE OR REPLACE FUNCTION lede_forget_assistance() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM machine_assistancedraw WHERE assignment_id = OLD.id;
    RETURN OLD;
END;
$$;

DROP TRIGGER IF EXISTS lede_forget_assistance ON annotator_assignment;
CREATE TRIGGER lede_forget_assistance BEFORE DELETE ON annotator_assignment
    FOR EACH ROW EXECUTE FUNCTION lede_forget_assistance();
