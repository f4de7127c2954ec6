"""Initial schema: applications, documents, accounts, old CPS data, products, points, memberships,
invoices, outbox, login codes and handoff tickets.

Revision ID: 0001
Revises: 
Create Date: 2026-11-22 00:23:41.642207
"""
from alembic import op
import sqlalchemy as sa


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('applications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ref', sa.String(length=64), nullable=False),
    sa.Column('company_name', sa.String(length=200), nullable=False),
    sa.Column('country', sa.String(length=2), nullable=False),
    sa.Column('language', sa.String(length=5), nullable=False),
    sa.Column('contact_email', sa.String(length=254), nullable=False),
    sa.Column('vat_registered', sa.Boolean(), nullable=False),
    sa.Column('vat_number', sa.String(length=32), nullable=True),
    sa.Column('old_cps_email', sa.String(length=254), nullable=True),
    sa.Column('status', sa.String(length=24), nullable=False),
    sa.Column('status_reason', sa.String(length=500), nullable=True),
    sa.Column('submitted_at', sa.DateTime(), nullable=False),
    sa.Column('decision_due', sa.Date(), nullable=False),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_applications')),
    sa.UniqueConstraint('ref', name=op.f('uq_applications_ref'))
    )
    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_applications_contact_email'), ['contact_email'], unique=False)

    op.create_table('handoff_tickets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ref', sa.String(length=64), nullable=False),
    sa.Column('conversation_id', sa.String(length=200), nullable=False),
    sa.Column('language', sa.String(length=5), nullable=False),
    sa.Column('reason', sa.String(length=200), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('customer_ref', sa.String(length=64), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('assigned_agent', sa.String(length=100), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('claimed_at', sa.DateTime(), nullable=True),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.Column('close_note', sa.String(length=500), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_handoff_tickets')),
    sa.UniqueConstraint('ref', name=op.f('uq_handoff_tickets_ref'))
    )
    with op.batch_alter_table('handoff_tickets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_handoff_tickets_conversation_id'), ['conversation_id'], unique=False)

    op.create_table('old_cps_accounts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('membership_number', sa.String(length=40), nullable=False),
    sa.Column('holder_name', sa.String(length=200), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_old_cps_accounts')),
    sa.UniqueConstraint('email', name=op.f('uq_old_cps_accounts_email')),
    sa.UniqueConstraint('membership_number', name=op.f('uq_old_cps_accounts_membership_number'))
    )
    op.create_table('outbox',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('to_address', sa.String(length=254), nullable=False),
    sa.Column('from_address', sa.String(length=254), nullable=False),
    sa.Column('subject', sa.String(length=300), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('customer_ref', sa.String(length=64), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('sent_at', sa.DateTime(), nullable=True),
    sa.Column('send_error', sa.String(length=300), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox'))
    )
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outbox_customer_ref'), ['customer_ref'], unique=False)
        batch_op.create_index(batch_op.f('ix_outbox_to_address'), ['to_address'], unique=False)

    op.create_table('business_accounts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('password_hash', sa.String(length=200), nullable=True),
    sa.Column('password_set_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['application_id'], ['applications.id'], name=op.f('fk_business_accounts_application_id_applications')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_business_accounts')),
    sa.UniqueConstraint('application_id', name=op.f('uq_business_accounts_application_id'))
    )
    op.create_table('documents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('document_type', sa.String(length=40), nullable=False),
    sa.Column('content_type', sa.String(length=40), nullable=False),
    sa.Column('size_bytes', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('storage_name', sa.String(length=200), nullable=False),
    sa.Column('uploaded_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['application_id'], ['applications.id'], name=op.f('fk_documents_application_id_applications')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_documents'))
    )
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_documents_application_id'), ['application_id'], unique=False)

    op.create_table('login_codes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('used_at', sa.DateTime(), nullable=True),
    sa.Column('locked_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['application_id'], ['applications.id'], name=op.f('fk_login_codes_application_id_applications')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_login_codes'))
    )
    with op.batch_alter_table('login_codes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_login_codes_application_id'), ['application_id'], unique=False)

    op.create_table('old_cps_products',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('old_account_id', sa.Integer(), nullable=False),
    sa.Column('model', sa.String(length=80), nullable=False),
    sa.Column('serial_number', sa.String(length=40), nullable=True),
    sa.Column('purchase_date', sa.Date(), nullable=True),
    sa.Column('country_of_purchase', sa.String(length=2), nullable=True),
    sa.Column('dealer', sa.String(length=200), nullable=True),
    sa.ForeignKeyConstraint(['old_account_id'], ['old_cps_accounts.id'], name=op.f('fk_old_cps_products_old_account_id_old_cps_accounts')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_old_cps_products'))
    )
    with op.batch_alter_table('old_cps_products', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_old_cps_products_old_account_id'), ['old_account_id'], unique=False)

    op.create_table('upload_links',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.Column('used_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['application_id'], ['applications.id'], name=op.f('fk_upload_links_application_id_applications')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_upload_links')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_upload_links_token_hash'))
    )
    with op.batch_alter_table('upload_links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_upload_links_application_id'), ['application_id'], unique=False)

    op.create_table('invitations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('points', sa.Integer(), nullable=False),
    sa.Column('outbox_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['business_accounts.id'], name=op.f('fk_invitations_account_id_business_accounts')),
    sa.ForeignKeyConstraint(['outbox_id'], ['outbox.id'], name=op.f('fk_invitations_outbox_id_outbox')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_invitations')),
    sa.UniqueConstraint('account_id', name=op.f('uq_invitations_account_id'))
    )
    op.create_table('memberships',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('membership_number', sa.String(length=40), nullable=False),
    sa.Column('tier_code', sa.String(length=40), nullable=False),
    sa.Column('payment_method', sa.String(length=20), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('started_at', sa.DateTime(), nullable=False),
    sa.Column('replaced_number', sa.String(length=40), nullable=True),
    sa.Column('idempotency_key', sa.String(length=100), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['business_accounts.id'], name=op.f('fk_memberships_account_id_business_accounts')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_memberships')),
    sa.UniqueConstraint('account_id', name=op.f('uq_memberships_account_id')),
    sa.UniqueConstraint('membership_number', name=op.f('uq_memberships_membership_number'))
    )
    op.create_table('password_links',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('outbox_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.Column('used_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['account_id'], ['business_accounts.id'], name=op.f('fk_password_links_account_id_business_accounts')),
    sa.ForeignKeyConstraint(['outbox_id'], ['outbox.id'], name=op.f('fk_password_links_outbox_id_outbox')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_password_links')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_password_links_token_hash'))
    )
    with op.batch_alter_table('password_links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_password_links_account_id'), ['account_id'], unique=False)

    op.create_table('product_migrations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('old_account_id', sa.Integer(), nullable=False),
    sa.Column('old_membership_number', sa.String(length=40), nullable=False),
    sa.Column('products_moved', sa.Integer(), nullable=False),
    sa.Column('products_skipped', sa.Integer(), nullable=False),
    sa.Column('migrated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['business_accounts.id'], name=op.f('fk_product_migrations_account_id_business_accounts')),
    sa.ForeignKeyConstraint(['old_account_id'], ['old_cps_accounts.id'], name=op.f('fk_product_migrations_old_account_id_old_cps_accounts')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_product_migrations')),
    sa.UniqueConstraint('account_id', name=op.f('uq_product_migrations_account_id')),
    sa.UniqueConstraint('old_account_id', name=op.f('uq_product_migrations_old_account_id'))
    )
    op.create_table('products',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('model', sa.String(length=80), nullable=False),
    sa.Column('serial_number', sa.String(length=40), nullable=True),
    sa.Column('purchase_date', sa.Date(), nullable=True),
    sa.Column('country_of_purchase', sa.String(length=2), nullable=True),
    sa.Column('dealer', sa.String(length=200), nullable=True),
    sa.Column('source', sa.String(length=16), nullable=False),
    sa.Column('registered_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['business_accounts.id'], name=op.f('fk_products_account_id_business_accounts')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_products')),
    sa.UniqueConstraint('serial_number', name=op.f('uq_products_serial_number'))
    )
    with op.batch_alter_table('products', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_products_account_id'), ['account_id'], unique=False)

    op.create_table('invoices',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=40), nullable=False),
    sa.Column('membership_id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('tier_code', sa.String(length=40), nullable=False),
    sa.Column('amount_cents', sa.Integer(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('payment_method', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('issued_at', sa.DateTime(), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=False),
    sa.Column('card_charge_date', sa.Date(), nullable=True),
    sa.Column('note', sa.String(length=500), nullable=True),
    sa.ForeignKeyConstraint(['account_id'], ['business_accounts.id'], name=op.f('fk_invoices_account_id_business_accounts')),
    sa.ForeignKeyConstraint(['membership_id'], ['memberships.id'], name=op.f('fk_invoices_membership_id_memberships')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_invoices')),
    sa.UniqueConstraint('membership_id', name=op.f('uq_invoices_membership_id')),
    sa.UniqueConstraint('number', name=op.f('uq_invoices_number'))
    )
    with op.batch_alter_table('invoices', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_invoices_account_id'), ['account_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('invoices', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_invoices_account_id'))

    op.drop_table('invoices')
    with op.batch_alter_table('products', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_products_account_id'))

    op.drop_table('products')
    op.drop_table('product_migrations')
    with op.batch_alter_table('password_links', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_password_links_account_id'))

    op.drop_table('password_links')
    op.drop_table('memberships')
    op.drop_table('invitations')
    with op.batch_alter_table('upload_links', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_upload_links_application_id'))

    op.drop_table('upload_links')
    with op.batch_alter_table('old_cps_products', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_old_cps_products_old_account_id'))

    op.drop_table('old_cps_products')
    with op.batch_alter_table('login_codes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_login_codes_application_id'))

    op.drop_table('login_codes')
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_documents_application_id'))

    op.drop_table('documents')
    op.drop_table('business_accounts')
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outbox_to_address'))
        batch_op.drop_index(batch_op.f('ix_outbox_customer_ref'))

    op.drop_table('outbox')
    op.drop_table('old_cps_accounts')
    with op.batch_alter_table('handoff_tickets', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_handoff_tickets_conversation_id'))

    op.drop_table('handoff_tickets')
    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_applications_contact_email'))

    op.drop_table('applications')
