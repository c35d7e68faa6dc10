import postgres from 'postgres';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contractFor, envelopeSchema } from '@twenny/contracts';
import { authClient, uniqueEmail } from './support/auth-client.ts';
import { startTestAuthService, type TestAuthService } from './support/auth-service.ts';

let auth: TestAuthService;
let sql: postgres.Sql;

beforeAll(async () => {
  auth = await startTestAuthService();
  sql = postgres(auth.database.adminUrl, { max: 1, onnotice: () => {} });
});

afterAll(async () => {
  await sql?.end();
  await auth?.stop();
});

async function signedUp(name: string, email = uniqueEmail(name)) {
  const client = authClient(auth.url);
  const result = await client.api.signUp.email({ name, email, password: 'correct horse battery' });
  expect(result.error).toBeNull();
  return { ...client, email, userId: result.data!.user.id };
}

async function messagesAbout(subject: string) {
  const rows = await sql`select envelope from auth.outbox where envelope->>'subject' = ${subject} order by seq`;
  return rows.map((row) => {
    const envelope = envelopeSchema.parse(row.envelope);
    return { type: envelope.type, version: envelope.version, data: contractFor(envelope.type)!.data.parse(envelope.data) as Record<string, unknown> };
  });
}

describe('organiser teams', () => {
  it('a signed-in user creates a team, invites by email; the invitee accepts and both tokens list the team with their roles', async () => {
    const owner = await signedUp('owner');
    const slug = `team-${Date.now()}`;
    const created = await owner.api.organization.create({ name: 'Night Owls', slug });
    expect(created.error).toBeNull();
    const organizationId = created.data!.id;

    const inviteeEmail = uniqueEmail('invitee');
    const invited = await owner.api.organization.inviteMember({ organizationId, email: inviteeEmail, role: 'admin' });
    expect(invited.error).toBeNull();
    const mail = await auth.smtp.waitForMail(inviteeEmail, /invited you to Night Owls/);
    expect(mail.text).toContain(`http://localhost:3000/invitations/${invited.data!.id}`);

    const invitee = await signedUp('invitee', inviteeEmail);
    const accepted = await invitee.api.organization.acceptInvitation({ invitationId: invited.data!.id });
    expect(accepted.error).toBeNull();

    const ownerClaims = decodeJwt((await owner.api.token()).data!.token);
    const inviteeClaims = decodeJwt((await invitee.api.token()).data!.token);
    expect(ownerClaims.orgs).toEqual([{ id: organizationId, role: 'owner' }]);
    expect(inviteeClaims.orgs).toEqual([{ id: organizationId, role: 'admin' }]);

    const members = await owner.api.organization.listMembers({ query: { organizationId } });
    expect(members.data!.members.map((m) => m.role).sort()).toEqual(['admin', 'owner']);

    const messages = await messagesAbout(organizationId);
    expect(messages.map((m) => [m.type, m.version])).toEqual([
      ['auth.organization.created.v1', 1],
      ['auth.organization.member-added.v1', 2],
      ['auth.organization.member-added.v1', 3],
    ]);
    expect(messages[0]!.data).toEqual({ organizationId, name: 'Night Owls', slug });
    expect(messages[2]!.data).toEqual({ organizationId, userId: invitee.userId, role: 'admin' });
  });

  it('publishes role changes, renames, removals and deletion, each a newer version', async () => {
    const owner = await signedUp('owner2');
    const member = await signedUp('member2');
    const { data: org } = await owner.api.organization.create({ name: 'Early Birds', slug: `birds-${Date.now()}` });
    const organizationId = org!.id;
    const invitation = await owner.api.organization.inviteMember({ organizationId, email: member.email, role: 'member' });
    await member.api.organization.acceptInvitation({ invitationId: invitation.data!.id });
    const { data: members } = await owner.api.organization.listMembers({ query: { organizationId } });
    const memberId = members!.members.find((m) => m.userId === member.userId)!.id;

    expect((await owner.api.organization.updateMemberRole({ organizationId, memberId, role: 'admin' })).error).toBeNull();
    expect((await owner.api.organization.update({ organizationId, data: { name: 'Early Birds Ltd' } })).error).toBeNull();
    expect((await owner.api.organization.removeMember({ organizationId, memberIdOrEmail: memberId })).error).toBeNull();
    expect((await owner.api.organization.delete({ organizationId })).error).toBeNull();

    const messages = await messagesAbout(organizationId);
    expect(messages.map((m) => m.type)).toEqual([
      'auth.organization.created.v1',
      'auth.organization.member-added.v1',
      'auth.organization.member-added.v1',
      'auth.organization.member-role-changed.v1',
      'auth.organization.updated.v1',
      'auth.organization.member-removed.v1',
      'auth.organization.member-removed.v1',
      'auth.organization.deleted.v1',
    ]);
    expect(messages.map((m) => m.version)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(messages[3]!.data).toEqual({ organizationId, userId: member.userId, role: 'admin' });
    expect(messages[4]!.data).toMatchObject({ name: 'Early Birds Ltd' });
  });

  it('a plain member cannot invite, and nobody outside the team can see its members', async () => {
    const owner = await signedUp('owner3');
    const member = await signedUp('member3');
    const outsider = await signedUp('outsider3');
    const { data: org } = await owner.api.organization.create({ name: 'Closed Circle', slug: `circle-${Date.now()}` });
    const invitation = await owner.api.organization.inviteMember({ organizationId: org!.id, email: member.email, role: 'member' });
    await member.api.organization.acceptInvitation({ invitationId: invitation.data!.id });

    const byMember = await member.api.organization.inviteMember({ organizationId: org!.id, email: uniqueEmail('x'), role: 'member' });
    expect(byMember.error?.status).toBe(403);
    const peek = await outsider.api.organization.listMembers({ query: { organizationId: org!.id } });
    expect(peek.error?.status).toBe(403);
  });

  it('only the invited address can accept an invitation', async () => {
    const owner = await signedUp('owner4');
    const { data: org } = await owner.api.organization.create({ name: 'Invite Only', slug: `only-${Date.now()}` });
    const invitation = await owner.api.organization.inviteMember({ organizationId: org!.id, email: uniqueEmail('intended'), role: 'member' });
    const stranger = await signedUp('stranger4');
    const stolen = await stranger.api.organization.acceptInvitation({ invitationId: invitation.data!.id });
    expect(stolen.error?.status).toBe(403);
  });
});
