// The portal's templates escape every value they are given; only html`` itself is markup.
import { html } from '../../src/portal/html';
import { customerMessage } from '../../src/portal/messages';

test('interpolated values are text, nested templates and lists stay markup', () => {
  const name = `<img src=x onerror="alert('x')">&`;
  const page = html`<p title="${name}">${name}</p><ul>${['a<b', 'c'].map((item) => html`<li>${item}</li>`)}</ul>${null}${false}`;
  expect(page.text).toBe(
    '<p title="&lt;img src=x onerror=&quot;alert(&#39;x&#39;)&quot;&gt;&amp;">&lt;img src=x onerror=&quot;alert(&#39;x&#39;)&quot;&gt;&amp;</p>' +
      '<ul><li>a&lt;b</li><li>c</li></ul>',
  );
});

test('refusals are told in words a customer understands, not as developer details', () => {
  expect(customerMessage(409, { code: 'past_due', detail: 'team is past_due' })).toMatch(/^A payment is overdue/);
  expect(customerMessage(401, null)).toMatch(/session has ended/);
  expect(customerMessage(500, { detail: 'stack trace' })).toMatch(/^Something went wrong on our side/);
});
