"""Row-level security: the application's tenant role only ever sees its organization's rows.

The service connects as any login role and, in every transaction, switches to the tenant role
and sets `app.tenant_id` from the verified token (see db.py). Policies apply to that role only,
so the owner running migrations and maintenance jobs is unaffected. Roles are cluster-wide:
downgrading revokes this database's grants but leaves the role for other databases.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TENANT_ROLE = "{{ cookiecutter.package_name }}_tenant"
TENANT_TABLES = ("products", "stock_items", "orders", "order_lines", "payments")
# NULLIF: after a transaction that set it, the setting reads '' rather than NULL.
CURRENT_TENANT = "nullif(current_setting('app.tenant_id', TRUE), '')::UUID"


def upgrade() -> None:
    op.execute(
        f"""
        DO $$ BEGIN
            IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{TENANT_ROLE}') THEN
                CREATE ROLE {TENANT_ROLE} NOLOGIN NOBYPASSRLS;
            END IF;
        END $$
        """
    )
    # The login role that runs migrations is usually the one the service uses; other login roles
    # need the same grant (GRANT <tenant role> TO <login role>).
    op.execute(f"GRANT {TENANT_ROLE} TO current_user")
    op.execute(f"GRANT USAGE ON SCHEMA public TO {TENANT_ROLE}")
    op.execute(f"GRANT SELECT ON organizations TO {TENANT_ROLE}")
    op.execute("ALTER TABLE organizations ENABLE ROW LEVEL SECURITY")
    op.execute(
        f"CREATE POLICY tenant_isolation ON organizations FOR SELECT TO {TENANT_ROLE} "
        f"USING (id = {CURRENT_TENANT})"
    )
    for table in TENANT_TABLES:
        op.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON {table} TO {TENANT_ROLE}")
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        op.execute(
            f"CREATE POLICY tenant_isolation ON {table} TO {TENANT_ROLE} "
            f"USING (organization_id = {CURRENT_TENANT}) "
            f"WITH CHECK (organization_id = {CURRENT_TENANT})"
        )


def downgrade() -> None:
    for table in (*TENANT_TABLES, "organizations"):
        op.execute(f"DROP POLICY tenant_isolation ON {table}")
        op.execute(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")
        op.execute(f"REVOKE ALL ON {table} FROM {TENANT_ROLE}")
    op.execute(f"REVOKE USAGE ON SCHEMA public FROM {TENANT_ROLE}")
