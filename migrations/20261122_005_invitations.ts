import type { Knex } from 'knex';

/**
 * Billing managers of an organization, and billing-manager invitations (issue 8). Users, organizations and team
 * billing managers are the API's tables (003).
 * - An invitation is for one team or one organization, one email, and valid 7 days; its workflow decides its fate.
 * - Notifications may now be for an organization rather than a team, and for one person (the invitee) rather than
 *   the scope's admins and billing managers.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('organization_billing_managers', (t) => {
    t.text('organization_id').notNullable().references('organizations.id');
    t.text('user_id').notNullable().references('users.id');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['organization_id', 'user_id']);
  });

  // The id is the invitation's secret link: random, never derived from the email or the scope.
  await knex.schema.createTable('billing_manager_invitations', (t) => {
    t.text('id').primary();
    // Like team_members, no foreign key to the ledger's teams.
    t.text('team_id');
    t.text('organization_id').references('organizations.id');
    t.text('email').notNullable();
    // Null when the platform invited.
    t.text('invited_by').references('users.id');
    // pending | accepted | revoked | expired
    t.text('status').notNullable().defaultTo('pending');
    t.timestamp('sent_at', { useTz: true }).notNullable();
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.timestamp('decided_at', { useTz: true });
    // Who accepted or revoked it.
    t.text('decided_by').references('users.id');
    t.index(['team_id', 'status']);
    t.index(['organization_id', 'status']);
  });
  await knex.raw(`ALTER TABLE billing_manager_invitations ADD CONSTRAINT billing_manager_invitations_one_scope
    CHECK ((team_id IS NULL) <> (organization_id IS NULL))`);
  await knex.raw(`ALTER TABLE billing_manager_invitations ADD CONSTRAINT billing_manager_invitations_status
    CHECK (status IN ('pending', 'accepted', 'revoked', 'expired'))`);

  await knex.raw('ALTER TABLE notifications ALTER COLUMN team_id DROP NOT NULL');
  await knex.schema.alterTable('notifications', (t) => {
    t.text('organization_id').references('organizations.id');
    // Set for a message to one person; null for the scope's admins and billing managers.
    t.text('recipient_user_id').references('users.id');
    // For someone who may have no account yet: the invitee of an invitation.
    t.text('recipient_email');
  });
  await knex.raw('ALTER TABLE notifications ADD CONSTRAINT notifications_scope CHECK (team_id IS NOT NULL OR organization_id IS NOT NULL)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE notifications DROP CONSTRAINT notifications_scope');
  await knex('notifications').whereNull('team_id').delete();
  await knex.schema.alterTable('notifications', (t) => {
    t.dropColumns('organization_id', 'recipient_user_id', 'recipient_email');
  });
  await knex.raw('ALTER TABLE notifications ALTER COLUMN team_id SET NOT NULL');
  await knex.schema.dropTableIfExists('billing_manager_invitations');
  await knex.schema.dropTableIfExists('organization_billing_managers');
}
