import { loadConfig } from '../../src/config';

// The invitation email's link points at this engine: its default follows PORT (it once said 3000 whatever the port).
test('the default invitation link follows PORT', () => {
  expect(loadConfig({ PORT: '4100' }).INVITATION_ACCEPT_URL).toBe('http://localhost:4100/v1/billing-manager-invitations/{invitationId}/accept');
  expect(loadConfig({}).INVITATION_ACCEPT_URL).toBe('http://localhost:3000/v1/billing-manager-invitations/{invitationId}/accept');
});

test('INVITATION_ACCEPT_URL, when set, is used as it is', () => {
  const url = 'https://billing.example.com/invitations/{invitationId}';
  expect(loadConfig({ PORT: '4100', INVITATION_ACCEPT_URL: url }).INVITATION_ACCEPT_URL).toBe(url);
});
