import { loadConfig } from '../../src/config';

// The invitation email's link opens the portal's invitation page (it once opened the API's POST accept route, which a
// browser answers with a 401 body), on the port the engine listens on (it once said 3000 whatever the port).
test('the default invitation link is the portal page, and follows PORT', () => {
  expect(loadConfig({ PORT: '4100' }).INVITATION_ACCEPT_URL).toBe('http://localhost:4100/portal/invitations/{invitationId}');
  expect(loadConfig({}).INVITATION_ACCEPT_URL).toBe('http://localhost:3000/portal/invitations/{invitationId}');
});

test('the default invitation link follows API_PUBLIC_URL, where the portal is served', () => {
  const config = loadConfig({ PORT: '4100', API_PUBLIC_URL: 'https://billing.example.com/' });
  expect(config.INVITATION_ACCEPT_URL).toBe('https://billing.example.com/portal/invitations/{invitationId}');
});

test('INVITATION_ACCEPT_URL, when set, is used as it is', () => {
  const url = 'https://billing.example.com/invitations/{invitationId}';
  expect(loadConfig({ PORT: '4100', INVITATION_ACCEPT_URL: url }).INVITATION_ACCEPT_URL).toBe(url);
});

test('PORTAL_SIGN_IN_URL takes an http(s) URL with {invitationId}', () => {
  const url = 'https://app.example.com/billing/invitations/{invitationId}';
  expect(loadConfig({ PORTAL_SIGN_IN_URL: url }).PORTAL_SIGN_IN_URL).toBe(url);
  expect(() => loadConfig({ PORTAL_SIGN_IN_URL: 'javascript:alert(1)' })).toThrow(/PORTAL_SIGN_IN_URL/);
});
