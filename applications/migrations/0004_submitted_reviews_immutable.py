"""A submitted review and its scores cannot be changed, not even by SQL that bypasses the models.

PostgreSQL refuses UPDATE and DELETE of a submitted review, and INSERT, UPDATE and DELETE of the
scores of one. SQLite refuses the updates and inserts only: Django empties test tables with
DELETE there (PostgreSQL uses TRUNCATE, which fires no row triggers), so a DELETE trigger would
break the test suite; the models and services refuse deletions on both.

SQLite drops a table's triggers when a later migration rebuilds the table: the test
``test_review_submitted_is_immutable_in_the_database`` fails if that happens.
"""

from django.db import migrations

MESSAGE = "a submitted review and its scores cannot be changed"

POSTGRESQL_CREATE = [
    f"""
    CREATE FUNCTION applications_review_immutable() RETURNS trigger AS $$
    BEGIN
        IF OLD.submitted_at IS NOT NULL THEN
            RAISE EXCEPTION '{MESSAGE} (review %)', OLD.id USING ERRCODE = 'restrict_violation';
        END IF;
        IF TG_OP = 'DELETE' THEN
            RETURN OLD;
        END IF;
        RETURN NEW;
    END
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER applications_review_immutable
    BEFORE UPDATE OR DELETE ON applications_review
    FOR EACH ROW EXECUTE FUNCTION applications_review_immutable()
    """,
    f"""
    CREATE FUNCTION applications_reviewscore_immutable() RETURNS trigger AS $$
    BEGIN
        IF TG_OP <> 'INSERT' AND EXISTS (
            SELECT 1 FROM applications_review WHERE id = OLD.review_id AND submitted_at IS NOT NULL
        ) THEN
            RAISE EXCEPTION '{MESSAGE} (review %)', OLD.review_id
                USING ERRCODE = 'restrict_violation';
        END IF;
        IF TG_OP <> 'DELETE' AND EXISTS (
            SELECT 1 FROM applications_review WHERE id = NEW.review_id AND submitted_at IS NOT NULL
        ) THEN
            RAISE EXCEPTION '{MESSAGE} (review %)', NEW.review_id
                USING ERRCODE = 'restrict_violation';
        END IF;
        IF TG_OP = 'DELETE' THEN
            RETURN OLD;
        END IF;
        RETURN NEW;
    END
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER applications_reviewscore_immutable
    BEFORE INSERT OR UPDATE OR DELETE ON applications_reviewscore
    FOR EACH ROW EXECUTE FUNCTION applications_reviewscore_immutable()
    """,
]
POSTGRESQL_DROP = [
    "DROP TRIGGER IF EXISTS applications_reviewscore_immutable ON applications_reviewscore",
    "DROP FUNCTION IF EXISTS applications_reviewscore_immutable()",
    "DROP TRIGGER IF EXISTS applications_review_immutable ON applications_review",
    "DROP FUNCTION IF EXISTS applications_review_immutable()",
]

_SUBMITTED = "(SELECT submitted_at FROM applications_review WHERE id = {row}.review_id) IS NOT NULL"
SQLITE_CREATE = [
    f"""
    CREATE TRIGGER applications_review_immutable_update
    BEFORE UPDATE ON applications_review
    WHEN OLD.submitted_at IS NOT NULL
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END
    """,
    f"""
    CREATE TRIGGER applications_reviewscore_immutable_insert
    BEFORE INSERT ON applications_reviewscore
    WHEN {_SUBMITTED.format(row="NEW")}
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END
    """,
    f"""
    CREATE TRIGGER applications_reviewscore_immutable_update
    BEFORE UPDATE ON applications_reviewscore
    WHEN {_SUBMITTED.format(row="OLD")} OR {_SUBMITTED.format(row="NEW")}
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END
    """,
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS applications_reviewscore_immutable_update",
    "DROP TRIGGER IF EXISTS applications_reviewscore_immutable_insert",
    "DROP TRIGGER IF EXISTS applications_review_immutable_update",
]

STATEMENTS = {
    "postgresql": (POSTGRESQL_CREATE, POSTGRESQL_DROP),
    "sqlite": (SQLITE_CREATE, SQLITE_DROP),
}


def _run(schema_editor, index):
    statements = STATEMENTS.get(schema_editor.connection.vendor)
    if statements is None:
        return  # other databases: the models and services still refuse every change
    for sql in statements[index]:
        schema_editor.execute(sql, params=None)


def create_triggers(apps, schema_editor):
    _run(schema_editor, 0)


def drop_triggers(apps, schema_editor):
    _run(schema_editor, 1)


class Migration(migrations.Migration):
    dependencies = [("applications", "0003_reviews")]

    operations = [migrations.RunPython(create_triggers, drop_triggers)]
